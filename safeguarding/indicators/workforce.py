"""The children's social work workforce: the DfE's published figures for an authority against its statistical
neighbours, its region and England, every year published, and sentences that set them beside the partnership's
own activity (ADR 0027).

The figures are the DfE's (imported by the benchmarks app as ``csww_<column>``); nothing here counts staff. Their
year is the census of 30 September, not a year to 31 March: the census of 30 September 2020 falls in 2020-21
(1 April 2020 to 31 March 2021), and that is the collection year it is set beside (``activity_year``).
"""
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from safeguarding.benchmarks import selectors as published
from safeguarding.benchmarks.models import BenchmarkValue
from safeguarding.benchmarks.vocabulary import csww_measure
from safeguarding.core import disclosure
from safeguarding.indicators import benchmarks
from safeguarding.indicators.models import IndicatorValue
from safeguarding.indicators.narrative import Sentence, _movement
from safeguarding.indicators.rounding import change_percent, round_half_up
from safeguarding.working_days import year_label

SOURCE = "DfE, Children's social work workforce (statistics on the children's social work workforce)"
PLACES = 1  # the DfE publishes every one of these to one decimal place


@dataclass(frozen=True)
class Measure:
    code: str  # the DfE's column, imported as csww_<code>
    title: str
    unit: str  # "percent" or "cases"
    definition: str  # what it measures, in our words

    @property
    def indicator(self):
        return f"csww_{self.code}"

    @property
    def benchmark_measure(self):
        return "percent" if self.unit == "percent" else "value"


# Full-time equivalents throughout: the DfE's headline figures are FTE, and a part-time worker's caseload is
# measured against the hours they work (ADR 0027).
MEASURES = [
    Measure("agency_rate_fte", "Agency social workers", "percent",
            "Agency workers as a share of all children's social workers (agency and employed, FTE) on 30 September"),
    Measure("vacancy_rate_fte", "Vacancy rate", "percent",
            "Vacant posts as a share of all posts (vacancies and social workers in post, FTE) on 30 September"),
    Measure("turnover_rate_fte", "Turnover rate", "percent",
            "Social workers (FTE) who left in the 12 months to 30 September, as a share of those in post that day"),
    Measure("caseload_fte", "Caseload per case-holding social worker", "cases",
            "Cases held on 30 September divided by the case-holding social workers (FTE) that day"),
    Measure("absence_rate_fte", "Sickness absence rate", "percent",
            "Working days lost to sickness in the 12 months to 30 September, as a share of the working days of "
            "the social workers in post (FTE)"),
]
BY_CODE = {m.code: m for m in MEASURES}
# Published figures the sentences quote beside the measures.
CASES, CASE_HOLDERS = "csww_cases", "csww_case_holders_fte"


def census_label(year):
    return f"30 September {year}"


def activity_year(census_year):
    """The collection year a census falls in: 30 September 2020 is in 2020-21 (2021)."""
    return census_year + 1


@dataclass
class Figure:
    value: Decimal | None  # as published, or the neighbours' average unrounded
    shown: str  # as shown: rounded as the DfE rounds, or the DfE's own marker where it withheld the figure
    source: str = ""


@dataclass
class Workforce:
    la: str
    la_name: str
    years: list  # census years, oldest first
    series: list  # (key, name): the authority first
    figures: dict = field(default_factory=dict)  # (measure code, series key, year) -> Figure
    others: dict = field(default_factory=dict)  # (indicator, year) -> Figure: the authority's cases, case holders
    sn_average: str = "mean"
    vintage: str = ""  # the release the figures come from

    @property
    def empty(self):
        return not any(f.value is not None for (_, key, _), f in self.figures.items() if key == "la")

    def get(self, code, key, year):
        return self.figures.get((code, key, year)) or Figure(None, "")

    def name(self, key):
        return dict(self.series)[key]


def _shown(value, unit):
    if value is None:
        return ""
    text = f"{round_half_up(value, PLACES):,.{PLACES}f}"
    return text + "%" if unit == "percent" else text


def _published(row, unit):
    """A published figure as the DfE published it: through disclosure control, which leaves a figure that is not
    worked out from our counts as it is, and shows the DfE's own marker where it withheld it."""
    if row is None:
        return Figure(None, "")
    text = disclosure.published(_shown(row.value, unit), row.suppressed)
    return Figure(row.value, text, f"{benchmarks.source_in_words(row.source)} ({row.vintage})")


def workforce(la, sn_average="mean"):
    """Every year's workforce figures for the authority and its comparators, from one read of the imported rows."""
    area = published.region_of(la)
    if area is not None and area.inner_outer_london_code:  # the DfE publishes Inner and Outer London apart
        region_key, region_code, region_name = "inner_outer_london", area.inner_outer_london_code, area.inner_outer_london
    elif area is not None:
        region_key, region_code, region_name = "region", area.region_code, area.region_name
    else:
        region_key, region_code, region_name = "region", None, "Region"
    neighbours = published.neighbours(la)
    average = "mean" if sn_average == "mean" else "median"
    series = [("la", benchmarks.la_name(la)), ("sn", f"Statistical neighbours ({average})"),
              ("region", region_name), ("england", "England")]
    indicators = [m.indicator for m in MEASURES] + [CASES, CASE_HOLDERS]
    codes = {la, benchmarks.ENGLAND_CODE, *neighbours} | ({region_code} if region_code else set())
    candidates = {}
    for row in BenchmarkValue.objects.filter(indicator__in=indicators, code__in=codes,
                                             level__in=["la", region_key, "england"]):
        candidates.setdefault((row.indicator, row.year, row.level, row.code, row.measure), []).append(row)
    rows = {key: published.best(found) for key, found in candidates.items()}
    years = sorted({year for (_, year, level, code, _) in rows if code in (la, benchmarks.ENGLAND_CODE)})
    found = Workforce(la, series[0][1], years, series, sn_average=sn_average)
    found.vintage = "; ".join(sorted({r.vintage for r in rows.values() if r is not None}))
    for measure in MEASURES:
        m = measure.benchmark_measure
        for year in years:
            def row(level, code):
                return rows.get((measure.indicator, year, level, code, m))
            found.figures[(measure.code, "la", year)] = _published(row("la", la), measure.unit)
            found.figures[(measure.code, "england", year)] = _published(
                row("england", benchmarks.ENGLAND_CODE), measure.unit)
            if region_code:
                found.figures[(measure.code, "region", year)] = _published(row(region_key, region_code), measure.unit)
            found.figures[(measure.code, "sn", year)] = _neighbours(
                [row("la", code) for code in neighbours], average, measure.unit, neighbours)
    for indicator in (CASES, CASE_HOLDERS):
        for year in years:
            figure = rows.get((indicator, year, "la", la, csww_measure(indicator[len("csww_"):])))
            if figure is not None and figure.value is not None:
                found.others[(indicator, year)] = Figure(
                    figure.value, disclosure.published(f"{figure.value:,f}".rstrip("0").rstrip("."), figure.suppressed),
                    f"{benchmarks.source_in_words(figure.source)} ({figure.vintage})")
    return found


def _neighbours(rows, average, unit, codes):
    """The neighbours' mean or median, of those the DfE published a figure for (as DfE LAIT and its dashboard do)."""
    used = [r for r in rows if r is not None and r.value is not None]
    if not used:
        return Figure(None, "", "no neighbour's figure published")
    values = [r.value for r in used]
    value = sum(values) / len(values) if average == "mean" else statistics.median(values)
    left_out = [code for code, r in zip(codes, rows) if r is None or r.value is None]
    source = (f"{average} of {len(used)} statistical neighbours' published figures "
              f"({benchmarks.source_in_words(used[0].source)}, {used[0].vintage})")
    if left_out:
        source += "; left out (not published): " + ", ".join(benchmarks.la_name(c) for c in left_out)
    return Figure(value, disclosure.published(_shown(value, unit), ""), source)


# Sentences: the workforce beside the partnership's activity (ADR 0018, ADR 0027) ------------------------------

ACTIVITY = [("cpp_open", "children on child protection plans"), ("lac_open", "children looked after")]


def activity(la, years, suppress):
    """The authority's counts at 31 March of each collection year, through disclosure control: {(year, code): Figure}."""
    codes = [code for code, _ in ACTIVITY]
    stored = list(IndicatorValue.objects.filter(la_code=la, year__in=list(years), indicator__in=codes))
    found = disclosure.indicator_values(stored, suppress=suppress)
    return {(v.year, v.indicator): Figure(None if found.is_hidden((v.year, v.indicator)) else v.value,
                                          found.shown((v.year, v.indicator)), "computed from the returns")
            for v in stored}


def _relation(own, other):
    if own.shown == other.shown:
        return "in line with"
    return "higher than" if own.value > other.value else "lower than"


def sentences(found, year, suppress=True):
    """Sentences for the census that falls in collection year ``year`` (30 September of ``year`` - 1), and the
    years up to it, each with the figures it rests on. Give ``suppress`` as the reader sees the counts."""
    census = year - 1
    if found.empty or census not in found.years:
        return []
    years = [y for y in found.years if y <= census]
    counts = activity(found.la, [activity_year(y) for y in years], suppress)
    said = [_timing(census, year)]
    said += _caseload(found, census, year, counts)
    said += _caseload_trend(found, years, counts)
    said += _agency(found, years)
    said += _vacancy_and_turnover(found, census)
    return said


def _timing(census, year):
    return Sentence(
        f"The workforce figures are a census of {census_label(census)}, while the partnership's own figures are for "
        f"years to 31 March. Each census is set beside the year it falls in: {census_label(census)} beside "
        f"{year_label(year)}. Plans and children looked after are then counted at 31 March {year}, six months after "
        "the census, and the turnover and absence of the census's twelve months overlap that year by half.",
        [("Workforce census", census_label(census), SOURCE), ("Partnership's year", year_label(year),
                                                               "the child-level returns")], kind="caution")


def _caseload(found, census, year, counts):
    own = found.get("caseload_fte", "la", census)
    if own.value is None:
        return []
    name = found.la_name
    cases, holders = found.others.get((CASES, census)), found.others.get((CASE_HOLDERS, census))
    text = f"On {census_label(census)}, case-holding social workers in {name} held {own.shown} cases each on average"
    evidence = [(f"Caseload per case-holding social worker (FTE), {census_label(census)}", own.shown, own.source)]
    if cases and holders:
        text += f" ({cases.shown} cases among {holders.shown} full-time equivalent social workers)"
        evidence += [(f"Cases held, {census_label(census)}", cases.shown, cases.source),
                     (f"Case-holding social workers (FTE), {census_label(census)}", holders.shown, holders.source)]
    england = found.get("caseload_fte", "england", census)
    if england.value is not None:
        text += f", {_relation(own, england)} England ({england.shown})"
        evidence.append((f"England, {census_label(census)}", england.shown, england.source))
    text += "."
    shown = [(counts.get((year, code)), words) for code, words in ACTIVITY]
    shown = [(figure, words) for figure, words in shown if figure is not None and figure.shown]
    if shown:
        text += f" At 31 March {year} there were " + " and ".join(f"{figure.shown} {words}" for figure, words in shown)
        plans = counts.get((year, "cpp_open"))
        if holders and plans is not None and plans.value is not None:
            per = round_half_up(Decimal(plans.value) / holders.value, 1)
            text += (f"; that is {per} children on plans for each case-holding social worker counted six months "
                     "before")
        text += "."
        evidence += [(f"{words[:1].upper()}{words[1:]}, 31 March {year}", figure.shown, figure.source)
                     for figure, words in shown]
    return [Sentence(text, evidence)]


def _caseload_trend(found, years, counts):
    """How caseload moved against the number of children on plans, between the first and last census both exist
    for: the same direction or not, each change worked out from the two figures as shown."""
    pairs = [(y, found.get("caseload_fte", "la", y), counts.get((activity_year(y), "cpp_open"))) for y in years]
    pairs = [(y, load, plans) for y, load, plans in pairs if load.value is not None and plans is not None
             and plans.value is not None]
    if len(pairs) < 2:
        return []
    (y0, load0, plans0), (y1, load1, plans1) = pairs[0], pairs[-1]
    load_change = change_percent(Decimal(load1.shown), Decimal(load0.shown))
    plans_change = change_percent(plans1.value, plans0.value)
    if load_change is None or plans_change is None:
        return []
    same = (load_change > 0) == (plans_change > 0) or load_change == plans_change == 0
    text = (f"From {census_label(y0)} to {census_label(y1)} the average caseload {_movement(load_change)}, from "
            f"{load0.shown} to {load1.shown}, while the number of children on plans at the 31 March that followed "
            f"each census {_movement(plans_change)}, from {plans0.shown} in {year_label(activity_year(y0))} to "
            f"{plans1.shown} in {year_label(activity_year(y1))}")
    text += (": the two moved the same way." if same else
             ": the two moved in opposite ways (a caseload counts every child a social worker holds, not only those "
             "on plans).")
    return [Sentence(text, [(f"Caseload, {census_label(y0)}", load0.shown, load0.source),
                            (f"Caseload, {census_label(y1)}", load1.shown, load1.source),
                            (f"Children on plans, 31 March {activity_year(y0)}", plans0.shown, plans0.source),
                            (f"Children on plans, 31 March {activity_year(y1)}", plans1.shown, plans1.source)])]


def _agency(found, years):
    census = years[-1]
    own, england = found.get("agency_rate_fte", "la", census), found.get("agency_rate_fte", "england", census)
    if own.value is None or england.value is None:
        return []
    text = (f"Agency workers were {own.shown} of {found.la_name}'s children's social workers on {census_label(census)}, "
            f"{_relation(own, england)} England ({england.shown})")
    evidence = [(f"Agency workers, {found.la_name}, {census_label(census)}", own.shown, own.source),
                (f"Agency workers, England, {census_label(census)}", england.shown, england.source)]
    earlier = [y for y in years if found.get("agency_rate_fte", "la", y).value is not None]
    if earlier and earlier[0] != census:
        first = found.get("agency_rate_fte", "la", earlier[0])
        then = found.get("agency_rate_fte", "england", earlier[0])
        text += f"; on {census_label(earlier[0])} the share was {first.shown}"
        evidence.append((f"Agency workers, {found.la_name}, {census_label(earlier[0])}", first.shown, first.source))
        if then.value is not None:
            text += f" against {then.shown} in England"
            evidence.append((f"Agency workers, England, {census_label(earlier[0])}", then.shown, then.source))
    return [Sentence(text + ".", evidence)]


def _vacancy_and_turnover(found, census):
    parts, evidence = [], []
    for code, words in (("vacancy_rate_fte", "of posts were vacant"),
                        ("turnover_rate_fte", "of social workers left in the twelve months before")):
        own, england = found.get(code, "la", census), found.get(code, "england", census)
        if own.value is None:
            continue
        part = f"{own.shown} {words}"
        if england.value is not None:
            part += f" (England {england.shown})"
            evidence.append((f"{BY_CODE[code].title}, England, {census_label(census)}", england.shown, england.source))
        parts.append(part)
        evidence.insert(0, (f"{BY_CODE[code].title}, {found.la_name}, {census_label(census)}", own.shown, own.source))
    if not parts:
        return []
    return [Sentence(f"On {census_label(census)}, " + ", and ".join(parts) + ".", evidence)]
