"""What the model needs from the store, read with Ibis (so it runs on DuckDB and PostgreSQL alike).

Each collection year's return holds every episode and plan open at any time in its year, so each month-end of
the year (31 March Y-1, 30 April, …, 31 March Y) can be counted from that return alone: who was in which state on
each of the 13 days, and so, child by child, the 12 monthly moves between them (into care or onto a plan, between
placement types and age bands, out). Nothing here needs a child to be followed from one year's return into the next.
"""
import calendar
import datetime
from dataclasses import dataclass, field

import ibis

from safeguarding.forecast.engine.states import AGE_BANDS, CP, GROUPS, LAC, OTHER, PLACEMENT_GROUPS

SHORT_BREAKS = ("V3", "V4")  # a series of short breaks is not counted as looked after (as lac_open)


def month_end(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def month_ends(collection_year):
    """The 13 days counted in a collection year: 31 March before it, then each month's last day to 31 March."""
    days = [month_end(collection_year - 1, 3)]
    for k in range(1, 13):
        month = (3 + k - 1) % 12 + 1
        days.append(month_end(collection_year - (1 if month >= 4 else 0), month))
    return days


@dataclass
class Counts:
    """One authority's counts, per kind: `moves[(year, k)]` = {(from, to): n} for the month ending on the k-th
    day (from/to None: not in care, or not on a plan), `stocks[day]` = {state: n}."""
    la: str
    moves: dict = field(default_factory=lambda: {LAC: {}, CP: {}})
    stocks: dict = field(default_factory=lambda: {LAC: {}, CP: {}})
    years: set = field(default_factory=set)


def _days(years):
    rows = [(year, k, day) for year in years for k, day in enumerate(month_ends(year))]
    return ibis.memtable({"year": [r[0] for r in rows], "k": [r[1] for r in rows], "day": [r[2] for r in rows]},
                         schema={"year": "int32", "k": "int32", "day": "date"})


def _band(age):
    case = ibis.cases(*[((age >= low) & (age < high), label) for low, high, label in AGE_BANDS], else_=None)
    return case


def _group(placement):
    return ibis.cases(*[(placement.isin(list(codes)), name) for name, codes in PLACEMENT_GROUPS.items()],
                      else_=OTHER)


def _age(day, birth_month):
    # Whole years from the month of birth (the store keeps birth dates to the month); unknown or unborn: 0.
    months = (day.year() - birth_month.year()) * 12 + (day.month() - birth_month.month())
    return ibis.greatest(months.fill_null(0), 0) // 12


def snapshots(con, schema, las, years):
    """(la, year, k, child_id, kind, state) for every child in a state on each counted day."""
    days = _days(years)
    las = list(las)
    e = con.table("lac_episodes", database=schema)
    e = e.filter(e.la.isin(las), e.year.isin(list(years)), e.start_date.notnull(),
                 ~e.legal_status.fill_null("").isin(SHORT_BREAKS))
    e = e.inner_join(days, "year")
    e = e.filter(e.start_date <= e.day, e.end_date.isnull() | (e.end_date > e.day))
    # Two episodes open on one day is an error in a return; the later one stands.
    e = e.group_by("la", "year", "k", "day", "child_id").aggregate(placement=e.placement.argmax(e.start_date))
    c = con.table("lac_children", database=schema)
    c = c.filter(c.la.isin(las), c.year.isin(list(years))).group_by("la", "year", "child_id").aggregate(
        birth_month=c.birth_month.max())
    e = e.left_join(c, ["la", "year", "child_id"])
    age = _age(e.day, e.birth_month)
    lac = e.select("la", "year", "k", "child_id", kind=ibis.literal(LAC),
                   state=_band(age).concat(ibis.literal("|"), _group(e.placement.fill_null(""))))

    p = con.table("cin_plans", database=schema)
    p = p.filter(p.la.isin(las), p.year.isin(list(years)), p.start_date.notnull())
    p = p.inner_join(days, "year")
    p = p.filter(p.start_date <= p.day, p.end_date.isnull() | (p.end_date > p.day))
    p = p.select("la", "year", "k", "day", "child_id").distinct()
    cc = con.table("cin_children", database=schema)
    cc = cc.filter(cc.la.isin(las), cc.year.isin(list(years))).group_by("la", "year", "child_id").aggregate(
        birth_month=cc.birth_month.max())
    p = p.left_join(cc, ["la", "year", "child_id"])
    cp = p.select("la", "year", "k", "child_id", kind=ibis.literal(CP), state=_band(_age(p.day, p.birth_month)))
    both = ibis.union(lac, cp)
    return both.filter(both.state.notnull())  # 18 or over: left


def moves_expr(con, schema, las, years):
    """(la, year, k, kind, from_state, to_state, n): the moves of the month ending on day k (1-12)."""
    s = snapshots(con, schema, las, years)
    before = s.select(la=s.la, year=s.year, k=s.k + 1, child_id=s.child_id, kind=s.kind, from_state=s.state)
    before = before.filter(before.k <= 12)
    after = s.filter(s.k >= 1).select("la", "year", "k", "child_id", "kind", to_state=s.state)
    joined = before.outer_join(after, ["la", "year", "k", "child_id", "kind"])
    t = joined.select(
        la=ibis.coalesce(joined.la, joined.la_right), year=ibis.coalesce(joined.year, joined.year_right),
        k=ibis.coalesce(joined.k, joined.k_right), kind=ibis.coalesce(joined.kind, joined.kind_right),
        from_state=joined.from_state, to_state=joined.to_state)
    return t.group_by("la", "year", "k", "kind", "from_state", "to_state").aggregate(n=ibis._.count())


# Authorities read in one query: every authority's six years at once passes the engine's DuckDB memory limit
# (a month-by-month snapshot of every child); a few at a time keeps memory flat as the store grows.
AUTHORITIES_PER_QUERY = 16


def _moves(con, schema, las, years):
    for start in range(0, len(las), AUTHORITIES_PER_QUERY):
        yield from moves_expr(con, schema, las[start:start + AUTHORITIES_PER_QUERY], years).to_pyarrow().to_pylist()


def read_counts(con, schema, las, years):
    """{la: Counts} for the given authorities and collection years (those the store has)."""
    las, years = sorted(set(las)), sorted(set(years))
    result = {la: Counts(la) for la in las}
    if not las or not years:
        return result
    opening = {la: {LAC: {}, CP: {}} for la in las}  # 31 March counted from the next year's return
    for row in _moves(con, schema, las, years):
        counts = result[row["la"]]
        year, k, kind = row["year"], row["k"], row["kind"]
        counts.years.add(year)
        key = (row["from_state"], row["to_state"])
        moves = counts.moves[kind].setdefault((year, k), {})
        moves[key] = moves.get(key, 0) + row["n"]
        days = month_ends(year)
        if row["to_state"] is not None:
            stock = counts.stocks[kind].setdefault(days[k], {})
            stock[row["to_state"]] = stock.get(row["to_state"], 0) + row["n"]
        if k == 1 and row["from_state"] is not None:
            stock = opening[row["la"]][kind].setdefault(days[0], {})
            stock[row["from_state"]] = stock.get(row["from_state"], 0) + row["n"]
    # A 31 March is its own year's (as the indicators count it); the next return's view only fills a gap.
    for la, kinds in opening.items():
        for kind, stocks in kinds.items():
            for day, stock in stocks.items():
                result[la].stocks[kind].setdefault(day, stock)
    return result


def has_returns(con, schema):
    """Whether the store has its registry of loaded returns (a new or empty store has not)."""
    return "returns_loaded" in con.list_tables(database=schema)


def years_in_store(con, schema, la):
    """The collection years with both returns loaded for an authority."""
    t = con.table("returns_loaded", database=schema)
    t = t.filter(t.la == la).group_by("year").aggregate(kinds=t.kind.nunique())
    return sorted(r["year"] for r in t.to_pyarrow().to_pylist() if r["kinds"] == 2)


def authorities_in_store(con, schema):
    t = con.table("returns_loaded", database=schema)
    return sorted(r["la"] for r in t.select("la").distinct().to_pyarrow().to_pylist())


__all__ = ["Counts", "GROUPS", "month_ends", "read_counts", "has_returns", "years_in_store", "authorities_in_store"]
