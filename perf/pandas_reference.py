"""The core child protection indicators written the straightforward way, in pandas, for the national benchmark.

Each function mirrors one definition of ``safeguarding/indicators/engine/definitions.py`` (docs/indicators.md)
with plain pandas filters, merges and group-bys, over the store's tables read whole into DataFrames. It is
the comparison the engine is measured against (``perf/national_engine.py``), not part of the system.

Collection year Y runs from 1 April Y-1 to 31 March Y; every figure of year Y comes from the Y return. As in
SQL, a missing value never satisfies a condition (``NOT (legal_status IN ('V3', 'V4'))`` is not true for a
missing legal status), so each condition on a code says ``notna()`` explicitly.
"""

import pandas as pd

KEYS = ["la", "year"]
SHORT_BREAKS = ["V3", "V4"]

# The columns the definitions read, per table of the store.
COLUMNS = {
    "cin_episodes": ["la", "year", "child_id", "referral_date", "icpc_date", "previous_referral_date"],
    "cin_assessments": ["la", "year", "authorisation_date"],
    "cin_s47": ["la", "year", "child_id", "start_date", "icpc_date"],
    "cin_plans": ["la", "year", "start_date", "end_date", "previous_plans"],
    "lac_episodes": ["la", "year", "child_id", "start_date", "end_date", "reason_new", "reason_end",
                     "legal_status"],
}

# (indicator, numerator, denominator) for the percentages, as in definitions.py.
PERCENTAGES = [
    ("re_referrals_percent", "re_referrals", "referrals"),
    ("cpp_2_years_percent", "cpp_2_years", "cpp_open"),
    ("cpp_second_or_subsequent_percent", "cpp_second_or_subsequent", "cpp_starts"),
]


def load(path, schema="child_level"):
    """Every table the definitions use, from a DuckDB store file, as pandas DataFrames (dates as datetime64)."""
    import duckdb

    con = duckdb.connect(path, read_only=True)
    try:
        return {table: con.execute(f"SELECT {', '.join(columns)} FROM {schema}.{table}").df()
                for table, columns in COLUMNS.items()}
    finally:
        con.close()


def _by_year(year, day):
    """A date for each row from its collection year: `day(y)` worked out once per distinct year, then mapped."""
    return year.map({y: day(y) for y in year.unique()})


def year_start(year):
    return _by_year(year, lambda y: pd.Timestamp(y - 1, 4, 1))


def year_end(year):
    return _by_year(year, lambda y: pd.Timestamp(y, 3, 31))


def count(frame, distinct=None):
    """Rows (or distinct (la, year, *distinct) tuples) per authority and year."""
    if distinct:
        frame = frame.drop_duplicates(KEYS + distinct)
    return frame.groupby(KEYS).size()


def in_year(frame, column):
    """Rows whose `column` falls inside their return's collection year (a missing date never does)."""
    return frame[frame[column].between(year_start(frame["year"]), year_end(frame["year"]))]


def open_on_31_march(frame):
    """Started on or before 31 March of the return's year and not ended by it (an end on 31 March is not open)."""
    day = year_end(frame["year"])
    return frame[(frame["start_date"] <= day) & (frame["end_date"].isna() | (frame["end_date"] > day))]


def not_short_break(frame):
    return frame["legal_status"].notna() & ~frame["legal_status"].isin(SHORT_BREAKS)


def re_referrals(episodes):
    """Referrals whose child's previous referral in the same return (stored by the importer) was no more than
    12 months before: the engine's definition."""
    previous = episodes["previous_referral_date"]
    return episodes[previous.notna() & (previous >= episodes["referral_date"] - pd.DateOffset(months=12))]


def re_referrals_by_merge(episodes):
    """The same, worked out from the referral dates alone by merging each child's referrals with one another
    (what the engine did before the importer stored the previous referral date)."""
    e = episodes[KEYS + ["child_id", "referral_date"]].reset_index(drop=True)
    e["row"] = range(len(e))
    previous = e[KEYS + ["child_id", "referral_date"]].rename(columns={"referral_date": "previous_date"})
    pairs = e.merge(previous, on=KEYS + ["child_id"])
    earlier = pairs[(pairs["previous_date"] < pairs["referral_date"])
                    & (pairs["previous_date"] >= pairs["referral_date"] - pd.DateOffset(months=12))]
    return e[e["row"].isin(earlier["row"])]


def compute(tables, rereferrals=re_referrals):
    """{(la, year): {indicator: value}}: every core indicator for every authority and year, with percentages.
    `rereferrals` is re_referrals (from the stored previous referral date) or re_referrals_by_merge."""
    episodes, assessments, s47 = tables["cin_episodes"], tables["cin_assessments"], tables["cin_s47"]
    plans, lac = tables["cin_plans"], tables["lac_episodes"]

    icpc_events = pd.concat([
        episodes.loc[episodes["icpc_date"].notna(), KEYS + ["child_id", "icpc_date"]],
        s47.loc[s47["icpc_date"].notna(), KEYS + ["child_id", "icpc_date"]],
    ], ignore_index=True)
    open_plans = open_on_31_march(plans)
    plan_starts = in_year(plans, "start_date")
    open_lac = open_on_31_march(lac)
    lac_started = in_year(lac, "start_date")
    lac_ended = in_year(lac, "end_date")

    counts = {
        "referrals": count(in_year(episodes, "referral_date")),
        "re_referrals": count(in_year(rereferrals(episodes), "referral_date")),
        "assessments_completed": count(in_year(assessments, "authorisation_date")),
        "s47_started": count(in_year(s47, "start_date")),
        "icpcs": count(in_year(icpc_events, "icpc_date"), distinct=["child_id", "icpc_date"]),
        "cpp_open": count(open_plans),
        "cpp_2_years": count(open_plans[
            open_plans["start_date"] <= _by_year(open_plans["year"], lambda y: pd.Timestamp(y - 2, 3, 31))]),
        "cpp_starts": count(plan_starts),
        "cpp_second_or_subsequent": count(plan_starts[plan_starts["previous_plans"] >= 1]),
        "cpp_ceased": count(in_year(plans, "end_date")),
        "lac_open": count(open_lac[not_short_break(open_lac)], distinct=["child_id"]),
        "lac_starts": count(lac_started[(lac_started["reason_new"] == "S") & not_short_break(lac_started)],
                            distinct=["child_id"]),
        "lac_ceased": count(lac_ended[lac_ended["reason_end"].notna() & (lac_ended["reason_end"] != "X1")
                                      & not_short_break(lac_ended)], distinct=["child_id"]),
    }
    wide = pd.DataFrame(counts).fillna(0).astype("int64")
    result = {}
    for (la, year), row in wide.iterrows():
        values = {code: int(value) for code, value in row.items()}
        for code, numerator, denominator in PERCENTAGES:
            values[code] = values[numerator] * 100 / values[denominator] if values[denominator] else None
        result[(str(la), int(year))] = values
    return result
