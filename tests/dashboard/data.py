"""Stored indicator values for Southwark (210) without running the engine: the reference report's
counts for 2019-20 and 2020-21 (docs/indicators.md), other years scaled from them, and the detail rows
(referral sources and what their assessments found, categories of new plans, factor groups, timeliness). The
demo benchmark CSVs give the as-published comparators; the DfE files (published_data/dfe) the current ones."""
import io
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from safeguarding.indicators.models import DEFAULT_FACTOR_GROUPS, FactorGroup, IndicatorValue

ROOT = Path(__file__).resolve().parents[2]
DEMO_CSVS = sorted((ROOT / "safeguarding" / "benchmarks" / "demo").glob("*.csv"))
DFE = settings.PUBLISHED_DATA_DIR / "dfe"
DFE_FILES = ["c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
             "cla_number_and_rate_per_10k_children.csv", "d3_cpps_subsequent_plan_2013_to_2025.csv",
             "d5_cpps_at31march_by_duration_2013_to_2025.csv", "ons_mid-year_population_estimates_2012_to_2024.csv",
             "New_Statistical_Neighbour_Groupings_April_2021.csv"]

# code: (2020-21, 2019-20)
REFERENCE = {
    "referrals": (3510, 3579), "re_referrals": (681, 573), "assessments_completed": (3299, 3021),
    "s47_started": (1298, 753), "icpcs": (534, 344), "cpp_open": (392, 285), "cpp_2_years": (18, 21),
    "cpp_starts": (458, 279), "cpp_ceased": (350, 322), "lac_open": (449, 458), "lac_starts": (166, 204),
    "lac_ceased": (178, 222), "cpp_second_or_subsequent": (82, 50),
}
PERCENTS = {"re_referrals_percent": ("re_referrals", "referrals"), "cpp_2_years_percent": ("cpp_2_years", "cpp_open"),
            "cpp_second_or_subsequent_percent": ("cpp_second_or_subsequent", "cpp_starts")}
SCALE = {2018: Decimal("0.93"), 2019: Decimal("0.97"), 2022: Decimal("1.04")}
SOURCES = {"6": 0.31, "2A": 0.2, "3F": 0.12, "5A": 0.1, "1A": 0.08, "8": 0.07, "9": 0.001}
CATEGORIES = {"NEG": 0.48, "EMO": 0.3, "PHY": 0.12, "SAB": 0.05, "MUL": 0.05}


def counts_for(year):
    if year == 2021:
        return {code: now for code, (now, _) in REFERENCE.items()}
    if year == 2020:
        return {code: before for code, (_, before) in REFERENCE.items()}
    return {code: int(Decimal(before) * SCALE[year]) for code, (_, before) in REFERENCE.items()}


def store_values(la="210", years=(2018, 2019, 2020, 2021, 2022), small=None, groups=None):
    """Create the IndicatorValue rows. ``small`` overrides counts, e.g. {(2021, "cpp_2_years"): 3};
    ``groups`` names the factor groups (default: the default groups)."""
    groups = groups or [name for name, _ in DEFAULT_FACTOR_GROUPS]
    rows = []
    for year in years:
        counts = counts_for(year)
        for (y, code), value in (small or {}).items():
            if y == year:
                counts[code] = value
        for code, value in counts.items():
            rows.append(IndicatorValue(la_code=la, year=year, indicator=code, value=Decimal(value)))
        for code, (numerator, denominator) in PERCENTS.items():
            n, dn = counts[numerator], counts[denominator]
            rows.append(IndicatorValue(la_code=la, year=year, indicator=code, numerator=n, denominator=dn,
                                       value=Decimal(n) * 100 / Decimal(dn)))
        details = [(f"referral_source:{c}", max(1, int(counts["referrals"] * share)), counts["referrals"])
                   for c, share in SOURCES.items()]
        for c, share in SOURCES.items():  # what the assessments of each source's referrals found
            n = max(1, int(counts["referrals"] * share))
            assessed = int(n * 0.8)
            details += [(f"source_assessed:{c}", assessed, n),
                        (f"source_domestic_abuse:{c}", int(assessed * (0.6 if c == "6" else 0.3)), assessed)]
        details += [(f"initial_category:{c}", int(counts["cpp_starts"] * share), counts["cpp_starts"])
                    for c, share in CATEGORIES.items()]
        details += [(f"factor_group:{name}", int(counts["assessments_completed"] * (0.1 + 0.05 * i)),
                     counts["assessments_completed"]) for i, name in enumerate(groups)]
        details += [("assessments_within_45_working_days", int(counts["assessments_completed"] * 0.83),
                     counts["assessments_completed"]),
                    ("icpc_within_15_working_days", int(counts["icpcs"] * 0.71), counts["icpcs"])]
        for code, n, dn in details:
            rows.append(IndicatorValue(la_code=la, year=year, indicator=code, numerator=n, denominator=dn,
                                       value=Decimal(n) * 100 / Decimal(dn)))
    IndicatorValue.objects.bulk_create(rows)


def factor_groups(partnership):
    for order, (name, factors) in enumerate(DEFAULT_FACTOR_GROUPS, start=1):
        FactorGroup.objects.get_or_create(partnership=partnership, name=name,
                                          defaults={"factors": factors, "order": order})


def import_benchmarks(dfe=False):
    files = [str(p) for p in DEMO_CSVS]
    if dfe:
        files += [str(DFE / name) for name in DFE_FILES]
    call_command("import_benchmarks", *files, stdout=io.StringIO())
