"""The core child protection indicators written by hand in Polars, for the national side-by-side benchmark.

What a user who cares about speed would write instead of the engine: each definition of
``safeguarding/indicators/engine/definitions.py`` (docs/indicators.md) as a Polars lazy query over a pool's Parquet
files (``export_pool``: la=…/year=… partitions), all of them collected together so that Polars plans and runs them
as one. It mirrors ``pandas_reference.py`` line for line and gives the same {(la, year): {indicator: value}};
``tests/perf/test_polars_reference.py`` checks it against the engine, ``perf/engines_side_by_side.py`` times it.
Not part of the system (Polars is in the spark extra only).

As in SQL, a missing value never satisfies a condition: each condition on a code says ``is_not_null()``.
"""
from pathlib import Path

import polars as pl

KEYS = ["la", "year"]
RE_REFERRAL_WINDOW = "-12mo"  # a referral within 12 calendar months of the previous one
SHORT_BREAKS = ["V3", "V4"]
COLUMNS = {
    "cin_episodes": ["child_id", "referral_date", "icpc_date", "previous_referral_date"],
    "cin_assessments": ["authorisation_date"],
    "cin_s47": ["child_id", "start_date", "icpc_date"],
    "cin_plans": ["start_date", "end_date", "previous_plans"],
    "lac_episodes": ["child_id", "start_date", "end_date", "reason_new", "reason_end", "legal_status"],
}
PERCENTAGES = [
    ("re_referrals_percent", "re_referrals", "referrals"),
    ("cpp_2_years_percent", "cpp_2_years", "cpp_open"),
    ("cpp_second_or_subsequent_percent", "cpp_second_or_subsequent", "cpp_starts"),
]
COUNTED = ["referrals", "re_referrals", "assessments_completed", "s47_started", "icpcs", "cpp_open", "cpp_2_years",
           "cpp_starts", "cpp_second_or_subsequent", "cpp_ceased", "lac_open", "lac_starts", "lac_ceased"]


def scan(pool, table):
    """One table of a pool, lazily, the partition columns typed as the store types them."""
    return pl.scan_parquet(str(Path(pool) / table / "**" / "*.parquet"), hive_partitioning=True,
                           hive_schema={"la": pl.String, "year": pl.Int32}).select(KEYS + COLUMNS[table])


def year_start():
    return pl.date(pl.col("year") - 1, 4, 1)


def year_end():
    return pl.date(pl.col("year"), 3, 31)


def in_year(column):
    return pl.col(column).is_between(year_start(), year_end())


def open_on_31_march():
    day = year_end()
    return (pl.col("start_date") <= day) & (pl.col("end_date").is_null() | (pl.col("end_date") > day))


def not_short_break():
    return pl.col("legal_status").is_not_null() & ~pl.col("legal_status").is_in(SHORT_BREAKS)


def count(frame, code, distinct=None):
    if distinct:
        frame = frame.select(KEYS + distinct).unique()
    return frame.group_by(KEYS).agg(pl.len().cast(pl.Int64).alias("value")).with_columns(indicator=pl.lit(code))


def queries(pool):
    episodes, assessments, s47 = scan(pool, "cin_episodes"), scan(pool, "cin_assessments"), scan(pool, "cin_s47")
    plans, lac = scan(pool, "cin_plans"), scan(pool, "lac_episodes")
    previous = pl.col("previous_referral_date")
    icpc_events = pl.concat([
        episodes.filter(pl.col("icpc_date").is_not_null()).select(KEYS + ["child_id", "icpc_date"]),
        s47.filter(pl.col("icpc_date").is_not_null()).select(KEYS + ["child_id", "icpc_date"]),
    ])
    open_plans = plans.filter(open_on_31_march())
    plan_starts = plans.filter(in_year("start_date"))
    return [
        count(episodes.filter(in_year("referral_date")), "referrals"),
        count(episodes.filter(previous.is_not_null(),
                              previous >= pl.col("referral_date").dt.offset_by(RE_REFERRAL_WINDOW),
                              in_year("referral_date")), "re_referrals"),
        count(assessments.filter(in_year("authorisation_date")), "assessments_completed"),
        count(s47.filter(in_year("start_date")), "s47_started"),
        count(icpc_events.filter(in_year("icpc_date")), "icpcs", ["child_id", "icpc_date"]),
        count(open_plans, "cpp_open"),
        count(open_plans.filter(pl.col("start_date") <= pl.date(pl.col("year") - 2, 3, 31)), "cpp_2_years"),
        count(plan_starts, "cpp_starts"),
        count(plan_starts.filter(pl.col("previous_plans") >= 1), "cpp_second_or_subsequent"),
        count(plans.filter(in_year("end_date")), "cpp_ceased"),
        count(lac.filter(open_on_31_march(), not_short_break()), "lac_open", ["child_id"]),
        count(lac.filter(in_year("start_date"), pl.col("reason_new") == "S", not_short_break()), "lac_starts",
              ["child_id"]),
        count(lac.filter(in_year("end_date"), pl.col("reason_end").is_not_null(), pl.col("reason_end") != "X1",
                         not_short_break()), "lac_ceased", ["child_id"]),
    ]


def compute(pool):
    """{(la, year): {indicator: value}}: every core indicator for every authority and year, with percentages."""
    long = pl.concat(queries(pool)).collect()
    result = {}
    for la, year, value, indicator in long.select("la", "year", "value", "indicator").iter_rows():
        result.setdefault((la, int(year)), dict.fromkeys(COUNTED, 0))[indicator] = int(value)
    for values in result.values():
        for code, numerator, denominator in PERCENTAGES:
            values[code] = values[numerator] * 100 / values[denominator] if values[denominator] else None
    return result
