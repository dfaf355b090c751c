"""Yearly target counts for one local authority, from the DfE published files where they exist.

Targets are the counts each year's synthetic return must give (see the counting definitions in
``simulate``).  Published counts win; gaps (suppressed ``c``, ``x``, ``z``, ``..`` or years the files do
not cover) get plausible values from the authority's own figures in other years or from its 0-17
population and the England rate.  Southwark (210) 2019-20 and 2020-21 use the figures of its
partnership's yearly report (docs/indicators.md, reference figures), which differ slightly from DfE's current files.
"""

import csv
import hashlib
import os
from functools import lru_cache
from pathlib import Path

# Measures: R referrals, RR re-referrals, NFA no further action, A completed assessments, S s47 starts,
# I ICPCs, P CPP starts, P2 second or subsequent starts, O CPP open at 31 March, O2 of which 2+ years,
# O12 1-2 years, B3/B6/B12 up to 3 months / 3-6 months / 6-12 months, E CPP ceased (None = derived),
# L looked after at 31 March, LS starting, LC ceasing, POP 0-17 population.

OVERRIDES = {
    "210": {
        2020: dict(R=3579, RR=573, A=3021, S=753, I=344, O=285, O2=21, P=279, P2=50, E=322,
                   L=458, LS=204, LC=222),
        2021: dict(R=3510, RR=681, A=3299, S=1298, I=534, O=392, O2=18, P=458, E=350,
                   L=449, LS=166, LC=178),
    }
}

# Checkpoints: (la, return year) -> list of (ordinal date, plans open on that date in that return).
CHECKPOINTS = {("210", 2022): [((2021, 12, 31), 318)]}

# Extra-familial harm over a period (la -> (start, end, children, with another vulnerability)).
EFH_TARGETS = {"210": ((2017, 4, 1), (2020, 3, 18), 1372, 1194)}

# England-like ratios used when nothing is published.
DEFAULT_RATES = dict(R=520.0, RR=0.22, P=50.0, P2=0.22, O=42.0, O2=0.03, L=67.0, LS=25.0, LC=24.0)

FILES = {
    "c1": "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    "d3": "d3_cpps_subsequent_plan_2013_to_2025.csv",
    "d5": "d5_cpps_at31march_by_duration_2013_to_2025.csv",
    "cla": "cla_number_and_rate_per_10k_children.csv",
    "ons": "ons_mid-year_population_estimates_2012_to_2024.csv",
    "c3": "c3_factors_identified_at_end_of_assessment_2018_to_2025.csv",  # read by factors.py
}

COLUMNS = {
    "c1": {"R": "referral_count", "RR": "rereferral_count", "NFA": "no_further_action_count"},
    "d3": {"P": "CPP_start", "P2": "CPP_subsequent"},
    "d5": {"O": "CPP_At31", "O2": "2_years_or_more", "O12": "1_year_less_than_2_years",
           "B3": "3_months_or_less", "B6": "more_than_3_months_6_months",
           "B12": "more_than_6_months_less_than_1_year"},
}
CLA_TYPES = {
    "Children looked after on 31 March each year": "L",
    "Children starting to be looked after each year": "LS",
    "Children ceasing to be looked after each year": "LC",
}


def default_dfe_dir():
    """The DfE/ONS files shipped with the code: PUBLISHED_DATA_DIR/dfe, or the repository's own copy where
    Django is not set up (perf/validate_synthetic.py)."""
    from django.conf import settings

    if settings.configured:
        return Path(settings.PUBLISHED_DATA_DIR) / "dfe"
    return Path(__file__).resolve().parents[3] / "published_data" / "dfe"


def missing_files(dfe_dir):
    """The files the targets come from that ``dfe_dir`` lacks: without them, counts are estimates."""
    return [name for name in FILES.values() if not os.path.isfile(os.path.join(dfe_dir, name))]


def inputs_digest(dfe_dir):
    """One digest of the published files the targets come from, so returns made from other files are known."""
    digest = hashlib.sha256()
    for name in sorted(FILES.values()):
        path = os.path.join(dfe_dir, name)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                digest.update(name.encode() + b"\0" + hashlib.file_digest(f, "sha256").digest())
    return digest.hexdigest()


def _num(value):
    value = (value or "").strip()
    try:
        return int(value)
    except ValueError:
        try:
            return int(round(float(value)))
        except ValueError:
            return None


def _year(tp):
    tp = str(tp).strip()
    if len(tp) == 6:  # 202021 -> 2021
        return int(tp[:2] + tp[4:])
    return int(tp)


@lru_cache(maxsize=4)
def load_published(dfe_dir):
    """{la: {year: {measure: int}}} plus {"ENG": ...} national rows and la names."""
    data = {}
    names = {}

    def put(la, year, key, value):
        if value is not None:
            data.setdefault(la, {}).setdefault(year, {})[key] = value

    for key, fname in FILES.items():
        path = os.path.join(dfe_dir, fname)
        if key == "c3" or not os.path.exists(path):
            continue
        with open(path, newline="", encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                level = row.get("geographic_level")
                if level == "Local authority":
                    la = (row.get("old_la_code") or "").strip()
                    if not la:
                        continue
                    names[la] = row.get("la_name") or la
                elif level == "National":
                    la = "ENG"
                else:
                    continue
                year = _year(row["time_period"])
                if key == "cla":
                    measure = CLA_TYPES.get(row.get("population_type"))
                    if measure:
                        put(la, year, measure, _num(row.get("children_count")))
                elif key == "ons":
                    # mid-year Y-1 population is used for collection year Y
                    put(la, year + 1, "POP", _num(row.get("population_estimate")))
                else:
                    for measure, col in COLUMNS[key].items():
                        put(la, year, measure, _num(row.get(col)))
    return data, names


def all_las(dfe_dir):
    data, names = load_published(dfe_dir)
    latest = max(y for la, years in data.items() if la != "ENG" for y in years)
    las = sorted(la for la, years in data.items()
                 if la != "ENG" and la.isdigit() and "R" in years.get(latest, {}))
    return las


def _nearest(series, year, key):
    best = None
    for y, vals in series.items():
        if key in vals and (best is None or abs(y - year) < abs(best - year)):
            best = y
    return best


def targets_for(la, years, dfe_dir=None, scale=1.0):
    """{year: {measure: int}} for every year in ``years`` (consistent enough to simulate)."""
    data, _ = load_published(dfe_dir) if dfe_dir else ({}, {})
    mine = data.get(la, {})
    over = OVERRIDES.get(la, {})
    # a stable pseudo-size for authorities we know nothing about
    pop_default = 40000 + (int(la) * 7919 % 60000 if la.isdigit() else 30000)
    out = {}
    for y in years:
        pub = dict(mine.get(y, {}))
        py = _nearest(mine, y, "POP")
        pop = mine[py]["POP"] if py else pop_default
        if "POP" not in pub:
            pub["POP"] = pop

        def get(key, fallback):
            if key in pub:
                return pub[key]
            ny = _nearest(mine, y, key)
            if ny is not None:
                npop = mine.get(ny, {}).get("POP") or pop
                return int(round(mine[ny][key] * pop / npop))
            return int(round(fallback))

        t = {}
        t["R"] = get("R", pop * DEFAULT_RATES["R"] / 1e4)
        t["RR"] = pub["RR"] if "RR" in pub else int(round(t["R"] * DEFAULT_RATES["RR"]))
        t["NFA"] = pub.get("NFA")
        t["P"] = get("P", pop * DEFAULT_RATES["P"] / 1e4)
        t["P2"] = pub["P2"] if "P2" in pub else int(round(t["P"] * DEFAULT_RATES["P2"]))
        t["O"] = get("O", pop * DEFAULT_RATES["O"] / 1e4)
        t["O2"] = pub["O2"] if "O2" in pub else max(1, int(round(t["O"] * DEFAULT_RATES["O2"])))
        for k in ("O12", "B3", "B6", "B12"):
            t[k] = pub.get(k)
        t["L"] = get("L", pop * DEFAULT_RATES["L"] / 1e4)
        t["LS"] = get("LS", pop * DEFAULT_RATES["LS"] / 1e4)
        t["LC"] = pub.get("LC")
        t["E"] = None
        t.update(over.get(y, {}))
        t["POP"] = pop
        out[y] = t
    # derived measures and consistency
    prev = None
    for y in years:
        t = out[y]
        if t.get("A") is None:
            nfa = t.get("NFA")
            t["A"] = t["R"] - int(round(0.9 * nfa)) if nfa is not None else int(round(t["R"] * 0.93))
        if t.get("I") is None:
            t["I"] = int(round(t["P"] * 1.18)) + 1
        if t.get("S") is None:
            t["S"] = int(round(t["I"] * 2.6))
        if t.get("LC") is None:
            if prev is not None:
                t["LC"] = max(0, prev["L"] + t["LS"] - t["L"])
            else:
                t["LC"] = t["LS"]
        prev = t
    if scale != 1.0:
        for y in years:
            t = out[y]
            for k, v in list(t.items()):
                if k != "POP" and isinstance(v, int):
                    t[k] = max(0, int(round(v * scale)))
    for y in years:
        t = out[y]
        t["RR"] = min(t["RR"], int(t["R"] * 0.45))
        t["P2"] = min(t["P2"], t["P"])
        t["O2"] = min(t["O2"], t["O"])
        t["I"] = max(t["I"], 0)
        t["S"] = max(t["S"], 0)
    return out
