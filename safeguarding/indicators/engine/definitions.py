"""Each core child protection indicator, with the DfE definition beside it (docs/indicators.md).

Collection year Y runs from 1 April Y-1 to 31 March Y. A year's figures come from that year's
return only: a flow (referrals, plan starts…) counts the events the Y return dates inside the
year; a stock (plans open, children looked after) counts what the return shows open on the day.
For any other period, each return contributes the part of the period inside its own year; for
any other day, the return of the year containing that day is used.
"""
import datetime
from dataclasses import dataclass, field
from typing import Callable

import ibis

from safeguarding.ethnic_groups import ETHNIC_GROUPS, NOT_KNOWN
from safeguarding.working_days import financial_year as collection_year  # the DfE calls it the collection year

SHORT_BREAKS = ("V3", "V4")


def year_start(t):
    return ibis.date(t.year - 1, 4, 1)


def year_end(t):
    return ibis.date(t.year, 3, 31)


def _month_number(date):
    return date.year() * 100 + date.month()


# A collection year is whole months, April to March, so "in the year" and "by 31 March" compare a date's year and
# month (year * 100 + month) with two numbers, rather than with each row's 1 April and 31 March built by make_date:
# the same rows, and 14% less CPU for the core query on the national store (docs/benchmarks.md, "six years").
def in_year(t, date):
    """`date` falls in the row's collection year: 1 April year-1 to 31 March year."""
    return _month_number(date).between((t.year - 1) * 100 + 4, t.year * 100 + 3)


def by_year_end(t, date):
    """`date` is on or before 31 March of the row's collection year."""
    return _month_number(date) <= t.year * 100 + 3


class Tables:
    """The store's tables for one backend connection."""

    def __init__(self, con, schema):
        self.con, self.schema = con, schema
        names = ("episodes", "assessments", "factors", "s47", "plans", "reviews", "lac", "children")
        tables = ("cin_episodes", "cin_assessments", "cin_assessment_factors", "cin_s47", "cin_plans",
                  "cin_plan_reviews", "lac_episodes", "cin_children")
        for name, table in zip(names, tables):
            setattr(self, name, con.table(table, database=schema))

    @property
    def icpc_events(self):
        """Every initial conference date recorded, in an episode or in its Section 47 enquiry."""
        e, s = self.episodes, self.s47
        # UNION ALL: the ICPC indicator counts distinct (child, date) anyway; a distinct union was a second
        # distinct over the same rows (0.07 s of CPU on the national store, docs/benchmarks.md).
        return ibis.union(
            e.filter(e.icpc_date.notnull()).select("la", "year", "child_id", "icpc_date"),
            s.filter(s.icpc_date.notnull()).select("la", "year", "child_id", "icpc_date"),
            distinct=False,
        )

    @property
    def re_referrals(self):
        """Referrals made within 12 months of the same child's previous referral in the return.

        The importer stores with each episode the child's latest earlier referral date in the same return
        (`previous_referral_date`; returns/cin.py), so this is a condition on one row: if any earlier referral
        is within 12 months, the latest one is. (It was a semi-join of the episodes with themselves, most of
        the cost of the core table at national scale: docs/benchmarks.md, national engine.)
        """
        e = self.episodes
        # "Has a previous referral" first, though the comparison implies it: DuckDB then works out the date
        # 12 months back only for the episodes that have one (3x faster on the national store).
        return e.filter(e.previous_referral_date.notnull(),
                        e.previous_referral_date >= e.referral_date - ibis.interval(months=12))


@dataclass(frozen=True)
class Flow:
    """Events dated inside a period: count of rows, or of distinct `distinct` tuples."""

    table: str
    date: str
    where: Callable = None
    distinct: tuple = ()


@dataclass(frozen=True)
class Stock:
    """Records open on a day: started on or before it and not ended by it."""

    table: str
    start: str = "start_date"
    end: str = "end_date"
    where: Callable = None  # (table, day) -> condition
    distinct: tuple = ()


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    definition: str
    measure: Callable = None  # a Flow or a Stock
    unit: str = "count"  # "count" or "percent"
    rate: str = ""  # "cin" (one decimal place) or "lac" (whole numbers) rates per 10,000 children
    numerator: str = ""  # for percentages
    denominator: str = ""
    extra: dict = field(default_factory=dict)


def _not_short_break(t, *_):
    return ~t.legal_status.isin(SHORT_BREAKS)


def _two_years_or_more(t, day):
    return t.start_date <= day - ibis.interval(years=2)


INDICATORS = [
    Indicator("referrals", "Referrals",
              "Referrals (CINreferralDate) in the year; a child can be referred more than once.",
              Flow("episodes", "referral_date"), rate="cin"),
    Indicator("re_referrals", "Re-referrals",
              "Referrals in the year made within 12 months of the same child's previous referral.",
              Flow("re_referrals", "referral_date")),
    Indicator("re_referrals_percent", "Re-referrals (%)", "Re-referrals ÷ referrals.", unit="percent",
              numerator="re_referrals", denominator="referrals"),
    Indicator("assessments_completed", "Completed assessments",
              "Continuous assessments whose authorisation (end) date falls in the year.",
              Flow("assessments", "authorisation_date"), rate="cin"),
    Indicator("s47_started", "S47 enquiries starting",
              "Section 47 enquiries with a start date in the year.", Flow("s47", "start_date"), rate="cin"),
    Indicator("icpcs", "ICPCs held",
              "Initial child protection conferences dated in the year; the same conference recorded in both a "
              "CIN episode and its Section 47 enquiry counts once.",
              Flow("icpc_events", "icpc_date", distinct=("child_id", "icpc_date")), rate="cin"),
    Indicator("cpp_open", "CPP (31 March)", "Child protection plans open on 31 March.", Stock("plans"), rate="cin"),
    Indicator("cpp_2_years", "CPP 2+ years (31 March)",
              "Plans open on 31 March that had lasted two years or more.",
              Stock("plans", where=_two_years_or_more)),
    Indicator("cpp_2_years_percent", "CPP 2+ years (%)", "Plans of two years or more ÷ plans open on 31 March.",
              unit="percent", numerator="cpp_2_years", denominator="cpp_open"),
    Indicator("cpp_starts", "CPP starts in year", "Plans starting in the year (each occasion).",
              Flow("plans", "start_date"), rate="cin"),
    Indicator("cpp_second_or_subsequent", "Second or subsequent CPP",
              "Plans starting in the year for a child who had a plan before, however long ago.",
              Flow("plans", "start_date", where=lambda t: t.previous_plans >= 1)),
    Indicator("cpp_second_or_subsequent_percent", "Second or subsequent CPP (%)",
              "Second or subsequent plans ÷ plan starts.", unit="percent",
              numerator="cpp_second_or_subsequent", denominator="cpp_starts"),
    Indicator("cpp_ceased", "CPP ceased in year", "Plans ending in the year.", Flow("plans", "end_date"),
              rate="cin"),
    Indicator("lac_open", "LAC (31 March)",
              "Children looked after on 31 March, excluding those on a series of short-term placements.",
              Stock("lac", where=_not_short_break, distinct=("child_id",)), rate="lac"),
    Indicator("lac_starts", "LAC starts in year",
              "Children starting to be looked after in the year (a new period of care), excluding short breaks.",
              Flow("lac", "start_date", where=lambda t: (t.reason_new == "S") & _not_short_break(t),
                   distinct=("child_id",)), rate="lac"),
    Indicator("lac_ceased", "LAC ceased in year",
              "Children ceasing to be looked after in the year (not a change of placement), excluding short breaks.",
              Flow("lac", "end_date", where=lambda t: (t.reason_end != "X1") & _not_short_break(t),
                   distinct=("child_id",)), rate="lac"),
]
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
COUNTED = [i for i in INDICATORS if i.measure is not None]


def _source(tables, name):
    return getattr(tables, name)


def _count(t, distinct):
    keys = ["la", "year"]
    if distinct:
        t = t.select(*keys, *distinct).distinct()
    return t.group_by(keys).aggregate(value=t.count())


def flow_expr(tables, flow, start=None, end=None):
    """Per (la, year): events of the year (or of the part of [start, end] inside each return's year)."""
    t = _source(tables, flow.table)
    date = t[flow.date]
    if start is None and end is None:
        t = t.filter(in_year(t, date))
    else:
        low, high = year_start(t), year_end(t)
        if start is not None:
            low = ibis.greatest(low, ibis.literal(start))
        if end is not None:
            high = ibis.least(high, ibis.literal(end))
        t = t.filter(date.between(low, high))
    if flow.where is not None:
        t = t.filter(flow.where(t))
    return _count(t, flow.distinct)


def stock_expr(tables, stock, day=None):
    """Per (la, year): records open on 31 March of the year, or on `day` in the return covering it."""
    t = _source(tables, stock.table)
    if day is None:
        on = year_end(t)
        t = t.filter(by_year_end(t, t[stock.start]) & (t[stock.end].isnull() | ~by_year_end(t, t[stock.end])))
    else:
        t = t.filter(t.year == collection_year(day))
        on = ibis.literal(day)
        t = t.filter((t[stock.start] <= on) & (t[stock.end].isnull() | (t[stock.end] > on)))
    if stock.where is not None:
        t = t.filter(stock.where(t, on))
    return _count(t, stock.distinct)


def indicator_expr(tables, indicator, *, start=None, end=None, day=None):
    measure = indicator.measure
    if isinstance(measure, Flow):
        expr = flow_expr(tables, measure, start, end)
    else:
        expr = stock_expr(tables, measure, day)
    return expr.mutate(indicator=ibis.literal(indicator.code))


def core_expr(tables, codes=None):
    """Every counted indicator for every authority and year in the store, as one query (la, year, indicator, value)."""
    chosen = [i for i in COUNTED if codes is None or i.code in codes]
    return ibis.union(*[indicator_expr(tables, i) for i in chosen]) if len(chosen) > 1 else indicator_expr(
        tables, chosen[0])


# -- beyond the table ---------------------------------------------------------------------------

def _window(t, date, start, end):
    if not start and not end:
        return t.filter(in_year(t, t[date]))
    low = ibis.greatest(year_start(t), ibis.literal(start)) if start else year_start(t)
    high = ibis.least(year_end(t), ibis.literal(end)) if end else year_end(t)
    return t.filter(t[date].between(low, high))


def referral_sources_expr(tables, start=None, end=None):
    e = _window(tables.episodes, "referral_date", start, end)
    return e.group_by(["la", "year", "referral_source"]).aggregate(value=e.count())


# Domestic abuse at assessment: the codes of every CIN census code list the system reads (2021-2026,
# published_data/cin_schema): none of them has the older single code 3, so there is nothing else to count.
DOMESTIC_ABUSE = ("3A", "3B", "3C")
EPISODE = ["la", "year", "child_id", "episode"]


def referral_findings_expr(tables, groups=None, start=None, end=None):
    """For each referral source (la, year, referral_source): the referrals in the period ("referrals"); those whose
    episode had an assessment completed in the return ("assessed"); and of these, those whose completed assessment
    found domestic abuse ("domestic_abuse") and a factor of each group of ``groups`` ("group:<name>"). An
    assessment belongs to its referral's episode: a factor found in another episode of the same child does not
    count. Rows (la, year, referral_source, measure, value); a measure with no referral has no row."""
    e = _window(tables.episodes, "referral_date", start, end).select(*EPISODE, "referral_source")
    a = tables.assessments
    completed = a.filter(a.authorisation_date.notnull(), a.authorisation_date <= year_end(a))
    assessed = completed.select(*EPISODE).distinct()
    found = completed.join(tables.factors, [*EPISODE, "assessment"]).select(*EPISODE, "factor")

    def by_source(referrals, measure):
        return referrals.group_by(["la", "year", "referral_source"]).aggregate(value=referrals.count()).mutate(
            measure=ibis.literal(measure))

    parts = [by_source(e, "referrals"), by_source(e.join(assessed, EPISODE).select(*EPISODE, "referral_source"),
                                                  "assessed")]
    wanted = [("domestic_abuse", DOMESTIC_ABUSE)] + [(f"group:{name}", codes) for name, codes in (groups or {}).items()]
    for measure, codes in wanted:
        episodes = found.filter(found.factor.isin(list(codes))).select(*EPISODE).distinct()
        parts.append(by_source(e.join(episodes, EPISODE).select(*EPISODE, "referral_source"), measure))
    return ibis.union(*parts)


def assessed_factors(tables, start=None, end=None):
    """Completed assessments in the period with their factors (la, year, child_id, episode, assessment, factor)."""
    a = _window(tables.assessments, "authorisation_date", start, end)
    f = tables.factors
    return a.join(f, ["la", "year", "child_id", "episode", "assessment"]).select(
        "la", "year", "child_id", "episode", "assessment", "factor")


def factor_group_expr(tables, groups, start=None, end=None):
    """For each group of factors (a priority): completed assessments that found any of them."""
    af = assessed_factors(tables, start, end)
    parts = []
    for name, factor_codes in groups.items():
        hit = af.filter(af.factor.isin(list(factor_codes))).select("la", "year", "child_id", "episode",
                                                                     "assessment").distinct()
        parts.append(hit.group_by(["la", "year"]).aggregate(value=hit.count()).mutate(group=ibis.literal(name)))
    return ibis.union(*parts) if len(parts) > 1 else parts[0]


def cooccurrence_expr(tables, focus, others, start, end):
    """Children (across returns, counted once) whose completed assessments in [start, end] found a factor in
    `focus`, and how many of them also had a factor in `others` in that period. One row per la."""
    af = assessed_factors(tables, start, end)
    focus_children = af.filter(af.factor.isin(list(focus))).select("la", "child_id").distinct()
    other_children = af.filter(af.factor.isin(list(others))).select("la", "child_id").distinct()
    flagged = focus_children.left_join(other_children, ["la", "child_id"]).select(
        focus_children.la, focus_children.child_id,
        also=other_children.child_id.notnull())
    return flagged.group_by("la").aggregate(children=flagged.count(), with_other=flagged.also.sum())


def categories_expr(tables, start=None, end=None):
    p = _window(tables.plans, "start_date", start, end)
    return p.group_by(["la", "year", "initial_category"]).aggregate(value=p.count())


def timeliness_expr(tables, calendar, start=None, end=None):
    """Assessments completed within 45 working days of their start, and ICPCs held within 15 working days of
    the Section 47 start. `calendar` is a table (day, n) numbering working days (safeguarding.working_days)."""
    a = _window(tables.assessments, "authorisation_date", start, end)
    c1, c2 = calendar.view(), calendar.view()
    a = a.join(c1, a.start_date == c1.day).join(c2, a.authorisation_date == c2.day).select(
        "la", "year", days=c2.n - c1.n)
    assessments = a.group_by(["la", "year"]).aggregate(total=a.count(), on_time=(a.days <= 45).sum()).mutate(
        measure=ibis.literal("assessments_within_45_working_days"))
    s = _window(tables.s47, "icpc_date", start, end)
    c3, c4 = calendar.view(), calendar.view()
    s = s.join(c3, s.start_date == c3.day).join(c4, s.icpc_date == c4.day).select("la", "year", days=c4.n - c3.n)
    conferences = s.group_by(["la", "year"]).aggregate(total=s.count(), on_time=(s.days <= 15).sum()).mutate(
        measure=ibis.literal("icpc_within_15_working_days"))
    return ibis.union(assessments, conferences)


# -- decision points (disproportionality, docs/indicators.md, ADR 0028) ---------------------------------------

# ETHNIC_GROUPS: the DfE's major ethnic groups of the census ethnicity codes (safeguarding/ethnic_groups.py, which
# the synthetic generator's planted disparities use too).
SEXES = {"M": "Male", "F": "Female"}
SEX_NOT_KNOWN = "Not known"
# The age bands of the DfE's children in need and looked-after statistics; age at the child's first referral of
# the year, from the month of birth (the store keeps no day).
AGE_BANDS = ("Unborn", "Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over")
AGE_NOT_KNOWN = "Not known"
DIMENSIONS = {"ethnicity": (*ETHNIC_GROUPS, NOT_KNOWN), "sex": (*SEXES.values(), SEX_NOT_KNOWN),
              "age": (*AGE_BANDS, AGE_NOT_KNOWN)}
# Each point a child referred in the year can reach, in the order a child reaches them; each after "referred"
# is reached only through the one before it (in the same episode), except looked after, reached from the referral.
POINTS = ("referred", "assessed", "s47", "icpc", "plan", "looked_after")
STEPS = (("referred", "assessed"), ("assessed", "s47"), ("s47", "icpc"), ("icpc", "plan"),
         ("referred", "looked_after"))


def ethnic_group(code):
    code = code.strip().upper() if isinstance(code, str) else ""
    return next((name for name, codes in ETHNIC_GROUPS.items() if code in codes), NOT_KNOWN)


def age_band(age):
    """The DfE's band of an age in whole years (negative: not yet born at the referral)."""
    if age is None or age != age:  # None, or NaN from a frame
        return AGE_NOT_KNOWN
    for band, below in (("Unborn", 0), ("Under 1", 1), ("1 to 4", 5), ("5 to 9", 10), ("10 to 15", 16)):
        if age < below:
            return band
    return "16 and over"


# The youngest age of each band of AGE_BANDS ("Unborn": -1), which ``age_band`` puts back in its band.
BAND_FLOORS = (-1, 0, 1, 5, 10, 16)


def _band_floor(age):
    # The band in the query, as its youngest age: fewer cells than ages (170,474 rows, not 529,650, on the national
    # store), which made the grouping and the frame two fifths of the time (docs/benchmarks.md).
    below = (*BAND_FLOORS[1:], None)
    return ibis.cases(*((age < upper if upper is not None else age.notnull(), floor)
                        for floor, upper in zip(BAND_FLOORS, below)), else_=ibis.null("int64"))


def _age(birth, day):
    # Whole years between the first of the month of birth and the day: the birthday has come by the day's month;
    # -1 when the child was not yet born.
    years = day.year() - birth.year() - ibis.ifelse(day.month() < birth.month(), 1, 0)
    return ibis.ifelse(birth > day, -1, years)


def referral_points_expr(tables):
    """For each child referred in a return's year (la, year, child_id): the first referral of the year, the
    furthest point any of the year's referrals reached in its own episode (``FURTHEST``: 0 referred ... 4 plan),
    each point through the one before (a completed assessment, then an S47 enquiry, then an initial conference,
    then a plan), counting only what the return records (events up to 31 March); and looked_after: the child
    started a period of care (not short breaks) in the year on or after the first referral. The store keeps the
    three in ``cin_children``, worked out as each return is loaded (returns/store.py, REFERRAL_POINTS and
    LOOKED_AFTER), so the decision points are a group-by of the children; tests check they equal this."""
    e = tables.episodes
    e = e.filter(e.referral_date.between(year_start(e), year_end(e)))
    a, s, p = tables.assessments, tables.s47, tables.plans
    one, zero = ibis.literal(1), ibis.literal(0)
    # Every later event of an episode, as a mark (assessed, s47, icpc, plan); an episode's marks then in one
    # aggregate and one join, rather than a join for each kind of event.
    marks = ibis.union(
        a.filter(a.authorisation_date.notnull(), a.authorisation_date <= year_end(a)).select(
            *EPISODE, m_a=one, m_s=zero, m_c=zero, m_p=zero),
        s.filter(s.start_date <= year_end(s)).select(*EPISODE, m_a=zero, m_s=one, m_c=ibis.ifelse(
            s.icpc_date.notnull() & (s.icpc_date <= year_end(s)), 1, 0), m_p=zero),
        p.filter(p.start_date <= year_end(p)).select(*EPISODE, m_a=zero, m_s=zero, m_c=zero, m_p=one),
        distinct=False)
    marks = marks.group_by(EPISODE).aggregate(m_a=marks.m_a.max(), m_s=marks.m_s.max(), m_c=marks.m_c.max(),
                                               m_p=marks.m_p.max())
    e = e.left_join(marks, EPISODE).select(
        e.la, e.year, e.child_id, e.referral_date,
        assessed=marks.m_a.fill_null(0),
        s47=marks.m_a.fill_null(0) * marks.m_s.fill_null(0),
        icpc=marks.m_a.fill_null(0) * marks.m_s.fill_null(0) * ibis.greatest(
            marks.m_c.fill_null(0), ibis.ifelse(e.icpc_date.notnull() & (e.icpc_date <= year_end(e)), 1, 0)),
        plan_mark=marks.m_p.fill_null(0))
    # Each point implies the ones before it, so an episode's furthest point is the sum of its marks.
    e = e.mutate(furthest_point=e.assessed + e.s47 + e.icpc + e.icpc * e.plan_mark)
    child = ["la", "year", "child_id"]
    c = e.group_by(child).aggregate(first_referral=e.referral_date.min(), furthest_point=e.furthest_point.max())
    lac = tables.lac
    starts = lac.filter(lac.reason_new == "S", _not_short_break(lac), lac.start_date.between(
        year_start(lac), year_end(lac)))
    starts = starts.group_by(child).aggregate(last_start=starts.start_date.max())
    return c.left_join(starts, child).select(
        c, looked_after=starts.last_start.notnull() & (starts.last_start >= c.first_referral))


# The points after "referred" in the order ``furthest_point`` counts them (1 assessed ... 4 plan).
FURTHEST = ("assessed", "s47", "icpc", "plan")


def decision_points_expr(tables):
    """For each cell (la, year, ethnicity, sex, age: the codes as recorded, the youngest age of the band of the
    child's age in whole years at the first referral of the year): the children referred in the year and how many
    of them reached each later point (docs/indicators.md, "Decision points"). A child counts once a year, in the return of the year of the
    referral, with the furthest point the year's referrals reached and whether the child started to be looked
    after from the first referral on (``referral_points_expr``, stored in ``cin_children`` as returns are loaded)."""
    k = tables.children
    k = k.filter(k.first_referral.notnull())
    # Grouped by the codes as recorded; ``roll_up`` puts them in their groups (mapping each child's code to its group
    # in the query was an eighth of its time on the national store).
    c = k.select(k.la, k.year, k.ethnicity, k.sex, age=_band_floor(_age(k.birth_month, k.first_referral)),
                 **{point: ibis.ifelse(k.furthest_point >= n, 1, 0) for n, point in enumerate(FURTHEST, start=1)},
                 looked_after=ibis.ifelse(k.looked_after, 1, 0))
    cells = c.group_by(["la", "year", "ethnicity", "sex", "age"]).aggregate(
        referred=c.count(), **{point: c[point].sum() for point in POINTS[1:]})
    # Each dimension summed apart (``roll_up`` needs no more): 27,000 rows for the national store, not 170,000.
    keys = {"ethnicity": ibis.null("string"), "sex": ibis.null("string"), "age": ibis.null("int64")}

    def by(dimension):
        g = cells.group_by(["la", "year", dimension]).aggregate(**{point: cells[point].sum() for point in POINTS})
        return g.select("la", "year", dimension=ibis.literal(dimension),
                        **{key: g[key] if key == dimension else null for key, null in keys.items()},
                        **{point: g[point] for point in POINTS})

    return ibis.union(*(by(dimension) for dimension in DIMENSIONS), distinct=False)


def roll_up(frame):
    """{(la, year): {(dimension, group): {point: children}}} from the frame of ``decision_points_expr`` (each
    dimension's codes and age bands summed apart), every group of every dimension there (0 when none), and ("all",
    "All children"). Each code and age is put in its group once (there are few), then the frame is summed by group:
    row by row in Python it took longer than the query."""
    if frame.empty:
        return {}
    frame = frame.assign(year=frame["year"].astype(int))
    named = {"ethnicity": lambda codes: {c: ethnic_group(c) for c in codes},
             "sex": lambda codes: {c: SEXES.get(c, SEX_NOT_KNOWN) for c in codes},
             "age": lambda ages: {a: age_band(a) for a in ages}}
    empty = {(dimension, group): dict.fromkeys(POINTS, 0)
             for dimension, names in [*DIMENSIONS.items(), ("all", ("All children",))] for group in names}
    result = {}
    for dimension, name in [*named.items(), ("all", None)]:
        # Every child is in one row of each dimension: all children are the sum of any one of them.
        rows = frame[frame["dimension"] == (dimension if name else "sex")]
        # A child with no code recorded (or whose code was left out as invalid) is "not known", not lost: a missing
        # code comes back as None or NaN, which no dictionary finds, and becomes the dimension's last group.
        group = rows[dimension].map(name(rows[dimension].unique())).fillna(
            DIMENSIONS[dimension][-1]) if name else "All children"
        summed = rows.assign(group=group).groupby(["la", "year", "group"])[list(POINTS)].sum()
        for (la, year, group_name), counts in zip(summed.index, summed.itertuples(index=False)):
            found = result.setdefault((la, int(year)), {key: dict(value) for key, value in empty.items()})
            found[(dimension, group_name)] = {point: int(n) for point, n in zip(POINTS, counts)}
    return result


def first_day(year):
    return datetime.date(year - 1, 4, 1)


def last_day(year):
    return datetime.date(year, 3, 31)
