"""The synthetic return generator: exact published counts, schema validity, determinism, identity."""

import csv
import filecmp
import os
from collections import Counter
from datetime import date

import pytest
from django.conf import settings

from safeguarding.returns.synthetic import generate, parse_years

from . import synthetic_counter as sc

DFE = os.path.join(settings.PUBLISHED_DATA_DIR, "dfe")
SCHEMAS = os.path.join(settings.PUBLISHED_DATA_DIR, "cin_schema")


def cin_path(out, la, y):
    return os.path.join(out, la, str(y), "cin_census_%s_%d.xml" % (la, y))


def lac_path(out, la, y, part="episodes"):
    return os.path.join(out, la, str(y), "ssda903_%s_%d_%s.csv" % (la, y, part))


@pytest.fixture(scope="module")
def southwark(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("southwark"))
    generate("210", range(2018, 2023), out, seed=7, scale=1.0, dfe_dir=DFE)
    parsed = {y: sc.read_cin(cin_path(out, "210", y)) for y in range(2018, 2023)}
    return out, parsed


SOUTHWARK = {
    2020: dict(referrals=3579, rereferrals=573, assessments=3021, s47=753, icpcs=344, cpp_open=285,
               cpp_2yrs=21, cpp_starts=279, cpp_subsequent=50, cpp_ceased=322,
               lac=458, lac_starts=204, lac_ceased=222),
    2021: dict(referrals=3510, rereferrals=681, assessments=3299, s47=1298, icpcs=534, cpp_open=392,
               cpp_2yrs=18, cpp_starts=458, cpp_ceased=350, lac=449, lac_starts=166, lac_ceased=178),
}


@pytest.mark.parametrize("year", [2020, 2021])
def test_southwark_counts_are_exact(southwark, year):
    out, parsed = southwark
    got = sc.cin_counts(parsed[year], year)
    got.update(sc.lac_counts(sc.read_903(lac_path(out, "210", year)), year))
    want = SOUTHWARK[year]
    assert {k: got[k] for k in want} == want
    if year == 2020:
        assert round(100 * got["cpp_subsequent"] / got["cpp_starts"]) == 18


def test_southwark_plans_open_on_31_december_2021(southwark):
    _, parsed = southwark
    assert sc.plans_open_on(parsed[2022], date(2021, 12, 31)) == 318


def test_southwark_extra_familial_harm(southwark):
    _, parsed = southwark
    n, vuln = sc.efh_counts([parsed[2018], parsed[2019], parsed[2020]], date(2017, 4, 1), date(2020, 3, 18))
    assert n == 1372
    assert 1187 <= vuln <= 1200 and round(100 * vuln / n) == 87


def test_cross_year_discrepancy_is_a_recorded_revision(southwark):
    """285 + 458 - 350 = 393, not 392: one plan open at 31 March 2020 in the 2020 return is recorded as
    ended in March 2020 by the 2021 return (so it is not in the 2021 return at all)."""
    _, parsed = southwark
    c20, c21 = sc.cin_counts(parsed[2020], 2020), sc.cin_counts(parsed[2021], 2021)
    seen_in_2021 = sc.plans_open_on(parsed[2021], date(2020, 3, 31))
    assert c20["cpp_open"] == 285 and seen_in_2021 == 284
    assert seen_in_2021 + c21["cpp_starts"] - c21["cpp_ceased"] == c21["cpp_open"]


def test_rereferral_previous_episode_is_in_the_same_return(southwark):
    _, parsed = southwark
    for y in (2020, 2021):
        a, b = sc.bounds(y)
        for ch in parsed[y]:
            for e in ch["episodes"]:
                assert e["close"] is None or e["close"] >= a
                assert e["ref"] <= b


def test_police_largest_source_where_domestic_abuse_found(southwark):
    _, parsed = southwark
    sources = Counter()
    for y in (2020, 2021):
        for ch in parsed[y]:
            for e in ch["episodes"]:
                if any(sc.DA & set(f) for _, _, f in e["assessments"]):
                    sources[e["src"]] += 1
    assert sources.most_common(1)[0][0] == "6"  # POLICE in the CIN referral source code list


def test_same_child_same_ids_across_years_and_returns(southwark):
    out, parsed = southwark
    upn = {}
    for y, children in parsed.items():
        for ch in children:
            assert upn.setdefault(ch["id"], ch["upn"]) == ch["upn"]
            assert check_letter_ok(ch["upn"])
    both = 0
    for y in (2020, 2021):
        cin_ids = {ch["id"] for ch in parsed[y]}
        with open(lac_path(out, "210", y, "header"), newline="") as f:
            rows = list(csv.DictReader(f))
        assert list(rows[0]) == ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
        for r in rows:
            if r["CHILD"] in upn:
                assert upn[r["CHILD"]] == r["UPN"]
        both += sum(1 for r in rows if r["CHILD"] in cin_ids)
    assert both > 500


def test_numbers_of_previous_plans_follow_the_history(southwark):
    _, parsed = southwark
    plans = {}
    for y in sorted(parsed):
        for ch in parsed[y]:
            for e in ch["episodes"]:
                for start, _, nprev in e["plans"]:
                    plans.setdefault(ch["id"], {})[start] = nprev
    for child, by_start in plans.items():
        starts = sorted(by_start)
        for i, s in enumerate(starts):
            assert by_start[s] >= i
            if i:
                assert by_start[s] > by_start[starts[i - 1]]


def check_letter_ok(upn):
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    return letters[sum(int(ch) * (i + 2) for i, ch in enumerate(upn[1:])) % 23] == upn[0]


def test_matches_dfe_for_another_authority(tmp_path):
    la, year = "313", 2023  # Hounslow
    want = {}
    with open(os.path.join(DFE, "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"),
              newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if r["geographic_level"] == "Local authority" and r["old_la_code"] == la and r["time_period"] == str(year):
                want = dict(referrals=int(r["referral_count"]), rereferrals=int(r["rereferral_count"]))
    with open(os.path.join(DFE, "cla_number_and_rate_per_10k_children.csv"), newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if r["geographic_level"] == "Local authority" and r["old_la_code"] == la and r["time_period"] == str(year) \
                    and r["population_type"] == "Children looked after on 31 March each year":
                want["lac"] = int(r["children_count"])
    assert len(want) == 3
    generate(la, [year], str(tmp_path), seed=1, dfe_dir=DFE)
    got = sc.cin_counts(sc.read_cin(cin_path(str(tmp_path), la, year)), year)
    got.update(sc.lac_counts(sc.read_903(lac_path(str(tmp_path), la, year)), year))
    assert {k: got[k] for k in want} == want


def test_earlier_years_follow_the_published_counts_not_copies_of_one_year():
    # Issue 13: without the DfE files every year but the report's two got the same estimate (764 plans a year).
    from safeguarding.returns.synthetic.targets import default_dfe_dir, targets_for

    assert os.path.samefile(default_dfe_dir(), DFE)
    published = {}
    for name, column, key in [("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv", "referral_count", "R"),
                              ("d3_cpps_subsequent_plan_2013_to_2025.csv", "CPP_start", "P"),
                              ("d5_cpps_at31march_by_duration_2013_to_2025.csv", "CPP_At31", "O")]:
        with open(os.path.join(DFE, name), newline="", encoding="utf-8-sig") as f:
            for r in csv.DictReader(f):
                if r["geographic_level"] == "Local authority" and r["old_la_code"] == "210":
                    published[(int(r["time_period"]), key)] = int(r[column])
    targets = targets_for("210", [2017, 2018, 2019], default_dfe_dir())
    got = {(year, key): targets[year][key] for year in targets for key in ("R", "P", "O")}
    assert got == {k: v for k, v in published.items() if k[0] in targets}
    assert len({(t["R"], t["P"], t["O"]) for t in targets.values()}) == 3


def test_commands_refuse_a_dfe_folder_that_is_not_there(tmp_path):
    from django.core.management import CommandError, call_command

    absent = str(tmp_path / "absent")
    with pytest.raises(CommandError, match="no such folder"):
        call_command("generate_returns", la="210", years="2021", out=str(tmp_path), dfe_dir=absent)
    with pytest.raises(CommandError, match="no such folder"):
        call_command("load_demo", returns=True, years="2021", dfe_dir=absent)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("small"))
    paths = generate("313", range(2020, 2027), out, seed=5, scale=0.05, dfe_dir=DFE)
    return out, paths


@pytest.mark.parametrize("year", [2020, 2021, 2022, 2023, 2024, 2025, 2026])
def test_cin_files_validate_against_their_schema(small, year):
    from lxml import etree

    out, _ = small
    xsd = etree.XMLSchema(etree.parse(os.path.join(SCHEMAS, "CIN_schema_%d.xsd" % min(max(year, 2021), 2026))))
    doc = etree.parse(cin_path(out, "313", year), etree.XMLParser(resolve_entities=False, no_network=True))
    assert xsd.validate(doc), xsd.error_log.last_error
    sex = doc.find(".//Child/ChildIdentifiers/" + ("Sex" if year >= 2025 else "GenderCurrent")).text
    assert sex in (("M", "F", "U") if year >= 2025 else ("0", "1", "2", "9"))


def test_903_files_have_the_expected_columns_and_codes(small):
    out, _ = small
    with open(lac_path(out, "313", 2021), newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                             "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]
    for r in rows:
        assert r["RNE"] in {"P", "L", "T", "S", "B", "U"}
        assert r["DECOM"][2] == "/" and len(r["DECOM"]) == 10
        if r["REC"] == "X1":
            assert r["DEC"]


def test_same_seed_gives_identical_files(tmp_path):
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    pa = generate("871", [2021, 2022], a, seed=11, scale=0.1)
    pb = generate("871", [2021, 2022], b, seed=11, scale=0.1)
    assert [os.path.relpath(p, a) for p in pa] == [os.path.relpath(p, b) for p in pb]
    for x, y in zip(pa, pb):
        assert filecmp.cmp(x, y, shallow=False)
    pc = generate("871", [2021], str(tmp_path / "c"), seed=12, scale=0.1)
    assert not filecmp.cmp(pa[0], pc[0], shallow=False)


def test_parse_years():
    assert parse_years("2017-2019") == [2017, 2018, 2019]
    assert parse_years("2021,2019") == [2019, 2021]


def test_management_command(tmp_path):
    from django.core.management import call_command

    call_command("generate_returns", la="871", years="2021", out=str(tmp_path), seed=1, scale=0.05)
    assert os.path.exists(cin_path(str(tmp_path), "871", 2021))
    assert os.path.exists(lac_path(str(tmp_path), "871", 2021, "header"))


def test_command_object_runs_without_the_app_installed(tmp_path):
    from django.core.management import call_command

    from safeguarding.returns.management.commands.generate_returns import Command

    call_command(Command(), la="871", years="2021-2022", out=str(tmp_path), seed=1, scale=0.05)
    assert os.path.exists(cin_path(str(tmp_path), "871", 2022))
    assert os.path.exists(lac_path(str(tmp_path), "871", 2022, "episodes"))
