"""What the dashboard shows, read from the stored indicator values and the imported benchmarks.

Pages never query the analytical store (ADR 0005): they read `IndicatorValue` rows, which the engine
refreshes after every import. The core table and the trends take a few hundred small queries of the
benchmark tables, so they are cached per (authority, year, comparator set, SN average) and the cache
key carries a version of the data: a new import of returns or benchmarks changes it.

Scrutineers see the figures as disclosure control (`core.disclosure`) lets them: small numbers (1-5) as `c`,
and anything from which one could be worked out (a rate, a percentage, a change, the other parts of a total)
as `c` too; suppression is applied to a copy, after the cache.
"""
import copy
import threading
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db.models import Count, Max, Q
from django.db.models.signals import post_save

from safeguarding.accounts.roles import Role
from safeguarding.benchmarks.models import BenchmarkImport
from safeguarding.indicators.engine import definitions as d
from safeguarding.indicators.models import FactorGroup, IndicatorValue
from safeguarding.indicators.signals import figures_saved
from safeguarding.core import disclosure
from safeguarding.core.disclosure import SUPPRESSED
from safeguarding.indicators.rounding import places_for, round_half_up
from safeguarding.indicators.table import ROWS as TABLE_ROWS
from safeguarding.indicators.table import (AS_PUBLISHED_VINTAGE, PUBLISHED_MARK, SUBJECTS, Figure, build_table,
                                          population_note, published_notes, year_label)
from safeguarding.returns.codes import (ASSESSMENT_FACTORS, CATEGORY_OF_ABUSE, POLICE_REFERRAL_SOURCE,
                                        REFERRAL_SOURCE)

COMPARATOR_SETS = {"dfe": "DfE current figures", "as-published": "As published in the yearly report"}
SN_AVERAGES = {"mean": "Mean of the neighbours (as DfE LAIT)", "median": "Median of the neighbours (as the DfE dashboard)"}
TREND_YEARS = 6  # the scrutiny commission asked for four years or more
PANEL_YEARS = 4
TIMELINESS = [("assessments_within_45_working_days", "Assessments completed within 45 working days"),
              ("icpc_within_15_working_days", "Initial child protection conferences within 15 working days of the "
                                              "Section 47 enquiry starting")]
CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class Choice:
    year: int
    comparators: str = "dfe"
    sn_average: str = "mean"

    def query(self):
        return {"year": self.year, "comparators": self.comparators, "sn_average": self.sn_average}


def is_scrutineer(roles):
    """Suppression applies to people whose only role in the partnership is scrutineer."""
    return Role.SCRUTINEER in roles and not (set(roles) - {Role.SCRUTINEER})


def years_for(la):
    """Collection years with stored values for the authority, newest first."""
    return sorted(IndicatorValue.objects.filter(la_code=la, indicator="referrals")
                  .values_list("year", flat=True).distinct(), reverse=True)


def data_version(la):
    """Changes whenever the authority's stored values or any benchmark import change. Asked once per request (a
    page's cache keys all need it; two aggregate queries each time were a third of a warm dashboard's time)."""
    versions = getattr(_this_request, "versions", None)
    if versions is not None and la in versions:
        return versions[la]
    values = IndicatorValue.objects.filter(la_code=la).aggregate(n=Count("id"), at=Max("computed_at"))
    imports = BenchmarkImport.objects.aggregate(n=Count("id"), last=Max("id"))
    version = f"{values['n']}-{values['at'] and values['at'].timestamp()}-{imports['n']}-{imports['last']}"
    if versions is not None:
        versions[la] = version
    return version


# The versions a request has asked for, kept from its start to its end only, and forgotten as soon as figures or
# benchmarks change within it (an upload's import runs in the request when tasks run inline, as in the tests).
# Outside a request (the task worker, commands) nothing is kept.
_this_request = threading.local()


def _request_started(**kwargs):
    _this_request.versions = {}


def _forget_versions(**kwargs):
    _this_request.versions = None


def _figures_changed(**kwargs):
    if getattr(_this_request, "versions", None) is not None:
        _this_request.versions = {}


request_started.connect(_request_started, dispatch_uid="dashboard-versions-start")
request_finished.connect(_forget_versions, dispatch_uid="dashboard-versions-end")
figures_saved.connect(_figures_changed, dispatch_uid="dashboard-versions-figures")
post_save.connect(_figures_changed, sender=BenchmarkImport, dispatch_uid="dashboard-versions-benchmarks")


def cache_key(kind, la, choice):
    return f"dashboard:{kind}:{la}:{choice.year}:{choice.comparators}:{choice.sn_average}:{data_version(la)}"


def _cached(kind, la, choice, build):
    return cache.get_or_set(cache_key(kind, la, choice), build, CACHE_SECONDS)


# The core table -------------------------------------------------------------------------------------

def core_table(la, choice, extra_rows=False):
    return _cached("table-extra" if extra_rows else "table", la, choice, lambda: build_table(
        la=la, year=choice.year, years=2, comparators=choice.comparators, sn_average=choice.sn_average,
        extra_rows=extra_rows))


HIDDEN_COUNT = "suppressed: a number from 1 to 5, or one from which such a number could be worked out"
HIDDEN_DERIVED = "suppressed: worked out from a suppressed number"


def suppressed_table(table):
    """A copy of the table with the counts disclosure control suppresses, and the rates, percentages and
    changes worked out from them, shown as c (and without a value, so the narrative leaves them out)."""
    table = copy.deepcopy(table)
    found = disclosure.Disclosure()
    for row in table.rows:
        for figures in row.years:
            found.count((figures.year, row.code), figures.number.value)
    for row in table.rows:
        # A percentage is worked out from its denominator's row as well (plans of two years or more of the
        # plans open).
        of = d.BY_CODE[row.percent_code].denominator if row.percent_code else None
        for figures in row.years:
            if found.is_hidden((figures.year, row.code)):
                figures.number = Figure(None, SUPPRESSED, HIDDEN_COUNT)
            if found.is_hidden((figures.year, row.code), (figures.year, of)):
                figures.rate = Figure(None, SUPPRESSED, HIDDEN_DERIVED)
                figures.published.pop("la", None)  # the same count over another population
        if row.change is not None and found.is_hidden(*[(f.year, row.code) for f in row.years]):
            row.change = Figure(None, SUPPRESSED, HIDDEN_DERIVED)
    table.notes = published_notes(table)
    # A flag quotes the count and the population of a rate that does not fit: gone with the count.
    hidden = [(year_label(f.year), SUBJECTS.get(r.code, r.code)) for r in table.rows for f in r.years
              if f.number.shown == SUPPRESSED]
    table.flags = [flag for flag in table.flags if not any(
        label in flag and f" of {subject} " in flag for label, subject in hidden)]
    return table


# Headlines: the figures the first screen leads with (docs/adr/0015-dashboard-headlines-first.md) ----------

HEADLINES = 4  # two that moved most, two that stand furthest from the comparators
# The comparators a headline is measured against: the two the partnership reports against in every paper.
HEADLINE_COMPARATORS = [("sn", "statistical neighbours"), ("england", "England")]
# Below this count, in either year, one or two children more or fewer swing a change or a rate by tens of
# per cent: such a row is never a headline.
MIN_COUNT = 10
# What a percentage row is a percentage of, in words.
PERCENT_OF = {"re_referrals": "of referrals", "cpp_2_years": "of children on a plan at 31 March",
              "cpp_second_or_subsequent": "of new plans"}


@dataclass
class Headline:
    """One row of the table chosen for the first screen, with the words it is shown with. Every figure here
    is one the (suppressed) table shows; nothing is worked out that the table does not show."""

    code: str
    label: str
    year: int
    number: str  # the count, as shown
    rate: str  # the rate or percentage, as shown
    unit: str  # what the rate is per, in words
    movement: Decimal = None  # size of the change in the count on the year before, per cent
    distance: Decimal = None  # how far the rate stands from the further headline comparator, per cent of it
    change: str = ""  # e.g. "Up 72.4% from 753 in 2019-20"
    direction: str = ""  # "up", "down" or "same"
    comparison: str = ""  # e.g. "Higher than statistical neighbours (146.0) and England (163.2)"

    reason: str = ""  # why it leads: "Changed most" or "Furthest from comparators"


def _movement(row):
    """The size of the change in the count on the year before, or None where there is none to show or the
    counts are too small for a percentage change to mean much."""
    if row.change is None or row.change.value is None or row.before is None:
        return None
    before = row.before.number.value
    if before is None or before < MIN_COUNT:
        return None
    return abs(row.change.value)


def _comparison(row):
    """(distance, words): how far the authority's rate stands from its headline comparators."""
    rate = row.now.rate
    if rate.value is None:
        return None, ""
    distance, parts = None, []
    for key, name in HEADLINE_COMPARATORS:
        figure = row.comparators.get(key)
        if figure is None or figure.value is None or not figure.value:
            continue
        gap = abs(rate.value - figure.value) * 100 / abs(figure.value)
        distance = gap if distance is None else max(distance, gap)
        if figure.shown == rate.shown:
            relation = "in line with"
        else:
            relation = "higher than" if rate.value > figure.value else "lower than"
        parts.append((relation, f"{name} ({figure.shown})"))
    words = []
    for relation, what in parts:  # "higher than A and B", or "higher than A, lower than B"
        if words and words[-1][0] == relation:
            words[-1][1].append(what)
        else:
            words.append((relation, [what]))
    text = ", ".join(f"{relation} {' and '.join(whats)}" for relation, whats in words)
    return distance, text[:1].upper() + text[1:]


def headlines(table, limit=HEADLINES):
    """The rows the first screen leads with: in turn the row whose count changed most on the year before
    and the row whose rate stands furthest from the statistical neighbours or England (each measured in
    per cent, the largest first, ties in the table's order), each row once; when one kind runs out the
    other fills the places. Give it the table as the person sees it (suppressed for scrutineers): a
    figure shown as c has no value and is never used."""
    found = []
    for row in table.rows:
        if row.now.number.value is None or row.now.number.value < MIN_COUNT:
            continue
        movement = _movement(row)
        distance, comparison = _comparison(row)
        if movement is None and distance is None:
            continue
        headline = Headline(row.code, _chart_title(row), row.now.year, row.now.number.shown, row.now.rate.shown,
                            PERCENT_OF.get(row.code, "") if row.percent_code else "per 10,000 children",
                            movement, distance, comparison=comparison)
        if row.change is not None and row.change.value is not None and row.before.number.value is not None:
            change = round_half_up(row.change.value, 1)
            headline.direction = "up" if change > 0 else "down" if change < 0 else "same"
            before = f"{row.before.number.shown} in {year_label(row.before.year)}"
            headline.change = (f"The same as {before}" if change == 0 else
                               f"{headline.direction.capitalize()} {abs(change):,}% from {before}")
        found.append(headline)
    # sorted() is stable: equal sizes keep the table's order.
    queues = [("Changed most", sorted((h for h in found if h.movement is not None), key=lambda h: -h.movement)),
              ("Furthest from comparators", sorted((h for h in found if h.distance is not None),
                                                   key=lambda h: -h.distance))]
    chosen = []
    while len(chosen) < limit and any(queue for _, queue in queues):
        for reason, queue in queues:
            while queue and queue[0] in chosen:
                queue.pop(0)
            if queue and len(chosen) < limit:
                headline = queue.pop(0)
                headline.reason = reason
                chosen.append(headline)
    return chosen


# Where the figures come from: the returns and the published releases behind the page ----------------

@dataclass
class ReturnUsed:
    kind: str
    file_names: str
    authority: str
    year: int
    uploaded_at: object
    uploaded_by: str

    @property
    def year_label(self):
        return year_label(self.year)


@dataclass
class Release:
    source: str
    vintage: str
    years: list  # collection years of the figures used from it
    figures: int  # how many published figures on the page come from it
    files: list  # (file name, when imported) of the imports that brought it

    @property
    def years_label(self):
        first, last = year_label(min(self.years)), year_label(max(self.years))
        return first if first == last else f"{first} to {last}"


def returns_used(partnership, years):
    """The returns the figures of these years are worked out from: of each kind and year, the latest one
    loaded (a later import of the same kind and year replaces it in the store)."""
    from safeguarding.returns.importer import KIND_LABELS
    from safeguarding.returns.models import ReturnImport

    la = partnership.la_code
    found = {}
    for record in (ReturnImport.objects.filter(la_code=la, year__in=list(years), status=ReturnImport.Status.LOADED)
                   .select_related("uploaded_by").order_by("-created_at")):
        found.setdefault((record.year, record.kind), record)
    authority = f"{partnership.local_authority} ({la})"
    return [ReturnUsed(KIND_LABELS.get(r.kind, "Return"), r.file_names, authority, r.year, r.created_at,
                       str(r.uploaded_by) if r.uploaded_by else "loaded from the command line")
            for _, r in sorted(found.items(), key=lambda item: (-item[0][0], item[0][1]))]


def releases_used(la, choice, years):
    """The published releases (source and vintage of the benchmark rows) the comparators of the table and
    the trends are taken from: for each figure the page shows, the row the benchmark lookups choose."""
    from safeguarding.benchmarks import selectors as published
    from safeguarding.benchmarks.models import BenchmarkValue
    from safeguarding.indicators import benchmarks

    def build():
        region = benchmarks.region(la)[0]
        if choice.comparators == "as-published":
            preference = benchmarks.AS_PUBLISHED
            areas = Q(level="sn", code=la) | Q(level="la", code=la) | Q(level="england", code=benchmarks.ENGLAND_CODE)
        else:
            preference = None
            areas = Q(level="la", code__in=published.neighbours(la)) | Q(level="england", code=benchmarks.ENGLAND_CODE)
        if region:
            areas |= Q(level="region", code=region)
        wanted = Q()
        for _, code, percent_code in TABLE_ROWS:
            wanted |= Q(indicator=code, measure="percent" if percent_code else "rate")
        candidates = {}
        for row in BenchmarkValue.objects.filter(wanted, areas, year__in=list(years)).only(
                "indicator", "year", "level", "code", "measure", "source", "vintage", "imported_at", "value"):
            candidates.setdefault((row.indicator, row.year, row.level, row.code, row.measure), []).append(row)
        used = {}
        for rows in candidates.values():
            chosen = published.best(rows, preference)
            if chosen is None or chosen.value is None:
                continue
            release = used.setdefault((chosen.source, chosen.vintage), Release(chosen.source, chosen.vintage, [], 0, []))
            release.figures += 1
            if chosen.year not in release.years:
                release.years.append(chosen.year)
        for imported in BenchmarkImport.objects.order_by("imported_at"):
            release = used.get((imported.source, imported.vintage))
            if release is not None:
                release.files.append((imported.file_name, imported.imported_at))
        return sorted(used.values(), key=lambda r: (r.source, r.vintage))

    return _cached(f"releases-{min(years, default=0)}", la, choice, build)


# Trends --------------------------------------------------------------------------------------------

@dataclass
class Trend:
    code: str
    title: str
    unit: str  # "rate" or "percent"
    years: list  # collection years, oldest first
    series: list  # names, the authority first
    values: dict = field(default_factory=dict)  # (series, year) -> Decimal rounded as shown, or None
    shown: dict = field(default_factory=dict)  # (series, year) -> text as shown
    counts: dict = field(default_factory=dict)  # year -> the authority's count (for suppression)
    sources: dict = field(default_factory=dict)  # series -> where its figures come from
    vintage: str = ""  # the one population estimate of every rate in the trend (ADR 0012)
    population_note: str = ""  # the sentence that names it, to show beside the chart and its table
    # (series, year) -> rate as a report first published it on another estimate: drawn apart, marked, not joined
    published: dict = field(default_factory=dict)
    year_axis: str = "Year"  # the title of the chart's axis of years

    @property
    def unit_label(self):
        return "Percentage" if self.unit == "percent" else "Rate per 10,000 children aged 0 to 17"

    def summary(self):
        """One sentence for screen readers (and everyone): where the authority's line goes, against England."""
        own = self.series[0]
        points = [(y, self.shown.get((own, y))) for y in self.years if self.values.get((own, y)) is not None]
        unit = "" if self.unit == "percent" else " per 10,000 children"
        if not points:
            return f"{self.title}: no figures for {own} in these years."
        if len(points) == 1:
            text = f"{self.title}: {own} {points[0][1]}{unit} in {year_label(points[0][0])}"
        else:
            (y0, first), (y1, last) = points[0], points[-1]
            text = f"{self.title}: {own} went from {first}{unit} in {year_label(y0)} to {last} in {year_label(y1)}"
        others = []
        last_year = self.years[-1]
        for name in self.series[1:]:
            if self.values.get((name, last_year)) is not None:
                others.append(f"{name} {self.shown[(name, last_year)]}")
        if others:
            text += f"; in {year_label(last_year)} " + ", ".join(others)
        return text + "."

    def published_note(self):
        """The rates first published on another estimate, in words, marked as they are in the chart ("" if none)."""
        if not self.published:
            return ""
        order = {name: i for i, name in enumerate(self.series)}
        shown = [f"{name} {year_label(y)} {figure.shown.rstrip(PUBLISHED_MARK)}" for (name, y), figure
                 in sorted(self.published.items(), key=lambda item: (order.get(item[0][0], 99), item[0][1]))]
        return (f"{PUBLISHED_MARK} As first published, on {AS_PUBLISHED_VINTAGE} (another estimate, so drawn apart "
                "and not joined to the lines): " + ", ".join(shown) + ".")

    def year_text(self, year):
        """How a year is named on the chart and in its table (a workforce census names its day, not a year)."""
        return year_label(year)

    def rows(self):
        """(year label, [shown per series]) oldest first, for the table alternative."""
        return [(self.year_text(y), [self.shown.get((s, y), "") for s in self.series]) for y in self.years]


def trend_years(la, year):
    return sorted(y for y in years_for(la) if y <= year)[-TREND_YEARS:]


def trends(la, choice):
    """A trend for each row of the core table: the authority's rate (or percentage) and its comparators for
    every year, from one table over all the years, so that every rate uses the same population estimate."""

    def build():
        years = trend_years(la, choice.year)
        if choice.year not in years:
            return []
        table = build_table(la=la, year=choice.year, years=choice.year - years[0] + 1,
                            comparators=choice.comparators, sn_average=choice.sn_average)
        if not table.rows:
            return []
        names = [table.la_name] + [heading for _, heading in table.groups]
        series_of = dict(table.groups, la=table.la_name)
        note = population_note(table)
        found = []
        for row in table.rows:
            trend = Trend(row.code, _chart_title(row), row.unit, years, names, vintage=table.vintage,
                          population_note=note if row.unit == "rate" else "")
            trend.sources[table.la_name] = "computed from the returns"
            places = _places(row, choice)
            for figures in row.years:
                y = figures.year
                if y not in years:
                    continue
                trend.counts[y] = figures.number.value
                _put(trend, table.la_name, y, figures.rate, places)
                for key, heading in table.groups:
                    figure = figures.comparators.get(key)
                    _put(trend, heading, y, figure, places)
                    if figure is not None and figure.value is not None:
                        trend.sources[heading] = figure.source
                for key, figure in figures.published.items():
                    trend.published[(series_of[key], y)] = figure
            found.append(trend)
        return found

    return _cached("trends", la, choice, build)


def _chart_title(row):
    return d.BY_CODE[row.code].title.replace("(31 March)", "at 31 March").strip()


def _places(row, choice):
    rounding = "report" if choice.comparators == "as-published" else "dfe"
    return places_for("percent" if row.percent_code else "count", d.BY_CODE[row.code].rate, rounding)


def _put(trend, series, year, figure, places):
    if figure is None or figure.value is None:
        trend.values[(series, year)] = None
        trend.shown[(series, year)] = ""
        return
    trend.values[(series, year)] = round_half_up(figure.value, places)
    trend.shown[(series, year)] = figure.shown


def suppressed_trends(found):
    """A copy of the trends with the authority's rate (rate × population ÷ 10,000 gives the count back) or
    percentage shown as c in each year its count is suppressed."""
    found = copy.deepcopy(found)
    for trend in found:
        own = trend.series[0]
        counts = disclosure.Disclosure()
        for y, count in trend.counts.items():
            counts.count(y, count)
        for y in trend.counts:
            if counts.is_hidden(y):
                trend.values[(own, y)] = None
                trend.shown[(own, y)] = SUPPRESSED
                trend.published.pop((own, y), None)
                trend.counts[y] = None
    return found


# Panels: priorities, referral sources, categories of abuse, timeliness -----------------------------

@dataclass
class Cell:
    """A number and its share, as shown (c when suppressed)."""

    numerator: object
    denominator: object
    percent: object

    @classmethod
    def of(cls, value, found):
        """A stored value's cell as disclosure control ``found`` (over the panel's values) lets it be shown."""
        numerator, denominator = value.numerator, value.denominator
        percent = None
        if numerator is not None and denominator:
            percent = round_half_up(Decimal(numerator) * 100 / Decimal(denominator), 1)
        key, of = (value.year, value.indicator), disclosure.denominator_key(value)
        if found.is_hidden(key, of):
            return cls(SUPPRESSED if found.is_hidden(key) else numerator,
                       SUPPRESSED if found.is_hidden(of) else denominator, SUPPRESSED)
        return cls(numerator, denominator, percent)

    @property
    def shown(self):
        return _count(self.numerator)

    @property
    def percent_shown(self):
        if self.percent is None:
            return ""
        return SUPPRESSED if self.percent == SUPPRESSED else f"{self.percent}%"

    @property
    def denominator_shown(self):
        return _count(self.denominator)


def _count(value):
    if value is None:
        return ""
    if value == SUPPRESSED:
        return SUPPRESSED
    return f"{int(value):,}"


def panels(partnership, year, scrutineer=False):
    la = partnership.la_code
    years = sorted(y for y in years_for(la) if y <= year)[-PANEL_YEARS:]
    wanted = (Q(indicator__startswith="factor_group:") | Q(indicator__startswith="referral_source:")
              | Q(indicator__startswith="source_assessed:") | Q(indicator__startswith="source_domestic_abuse:")
              | Q(indicator__startswith="initial_category:") | Q(indicator__in=[code for code, _ in TIMELINESS]))
    stored = {(v.year, v.indicator): v for v in IndicatorValue.objects.filter(wanted, la_code=la, year__in=years)}
    found = disclosure.indicator_values(stored.values(), suppress=scrutineer)

    def cell(y, code):
        value = stored.get((y, code))
        if value is None:
            return Cell(None, None, None)
        return Cell.of(value, found)

    groups = list(FactorGroup.objects.for_partnership(partnership).active())
    if groups:
        priorities = [(g.name, [f"{c} {ASSESSMENT_FACTORS.get(c, '')}".strip() for c in g.factors]) for g in groups]
    else:
        names = sorted({code.split(":", 1)[1] for _, code in stored if code.startswith("factor_group:")})
        priorities = [(name, []) for name in names]
    priority_rows = [{"name": name, "factors": factors,
                      "cells": [cell(y, f"factor_group:{name}") for y in years]} for name, factors in priorities]

    sources = [{"code": code, "label": label, "police": code == POLICE_REFERRAL_SOURCE,
                "cell": cell(year, f"referral_source:{code}")}
               for code, label in REFERRAL_SOURCE.items() if (year, f"referral_source:{code}") in stored]
    police = next((s for s in sources if s["police"]), None)
    findings = [dict(s, assessed=cell(year, f"source_assessed:{s['code']}"),
                     domestic_abuse=cell(year, f"source_domestic_abuse:{s['code']}"))
                for s in sources if (year, f"source_assessed:{s['code']}") in stored]
    categories = [{"code": code, "label": label, "cell": cell(year, f"initial_category:{code}")}
                  for code, label in CATEGORY_OF_ABUSE.items() if (year, f"initial_category:{code}") in stored]
    timeliness = [{"code": code, "label": label, "cells": [cell(y, code) for y in years]}
                  for code, label in TIMELINESS if any((y, code) in stored for y in years)]
    return {"years": years, "year_labels": [year_label(y) for y in years], "priorities": priority_rows,
            "sources": sources, "police": police, "findings": findings,
            "police_findings": next((f for f in findings if f["police"]), None),
            "categories": categories, "timeliness": timeliness,
            "year_label": year_label(year)}
