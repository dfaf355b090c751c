"""What the dashboard shows, read from the stored indicator values and the imported benchmarks.

Pages never query the analytical store (ADR 0005): they read `IndicatorValue` rows, which the engine
refreshes after every import. The core table and the trends take a few hundred small queries of the
benchmark tables, so they are cached per (authority, year, comparator set, SN average) and the cache
key carries a version of the data: a new import of returns or benchmarks changes it.

Scrutineers see small numbers (1-5) as `c`, and anything worked out from them (a rate, a percentage,
a change) as `c` too; suppression is applied to a copy, after the cache.
"""
import copy
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Max, Q

from safeguarding.accounts.roles import Role
from safeguarding.benchmarks.models import BenchmarkImport
from safeguarding.indicators.engine import definitions as d
from safeguarding.indicators.models import FactorGroup, IndicatorValue
from safeguarding.indicators.rounding import SUPPRESSED, places_for, round_half_up, suppress
from safeguarding.indicators.table import (AS_PUBLISHED_VINTAGE, PUBLISHED_MARK, Figure, build_table, population_note,
                                          published_notes, year_label)
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
    """Changes whenever the authority's stored values or any benchmark import change."""
    values = IndicatorValue.objects.filter(la_code=la).aggregate(n=Count("id"), at=Max("computed_at"))
    imports = BenchmarkImport.objects.aggregate(n=Count("id"), last=Max("id"))
    return f"{values['n']}-{values['at'] and values['at'].timestamp()}-{imports['n']}-{imports['last']}"


def cache_key(kind, la, choice):
    return f"dashboard:{kind}:{la}:{choice.year}:{choice.comparators}:{choice.sn_average}:{data_version(la)}"


def _cached(kind, la, choice, build):
    return cache.get_or_set(cache_key(kind, la, choice), build, CACHE_SECONDS)


# The core table -------------------------------------------------------------------------------------

def core_table(la, choice, extra_rows=False):
    return _cached("table-extra" if extra_rows else "table", la, choice, lambda: build_table(
        la=la, year=choice.year, years=2, comparators=choice.comparators, sn_average=choice.sn_average,
        extra_rows=extra_rows))


def _small(value):
    return value is not None and suppress(int(value), scrutineer=True) == SUPPRESSED


def suppressed_table(table):
    """A copy of the table with counts of 1-5, and the rates, percentages and changes worked out from
    them, shown as c (and without a value, so the narrative leaves them out)."""
    table = copy.deepcopy(table)
    for row in table.rows:
        hidden = False
        for figures in row.years:
            if _small(figures.number.value):
                hidden = True
                figures.number = Figure(None, SUPPRESSED, "suppressed: a number from 1 to 5")
                figures.rate = Figure(None, SUPPRESSED, "suppressed: worked out from a number from 1 to 5")
                figures.published.pop("la", None)  # the same count over another population
        if hidden and row.change is not None:
            row.change = Figure(None, SUPPRESSED, "suppressed: worked out from a number from 1 to 5")
    table.notes = published_notes(table)
    table.flags = [flag for flag in table.flags if not any(
        f.number.shown == SUPPRESSED for r in table.rows for f in r.years if r.label.lower() in flag)]
    return table


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

    def rows(self):
        """(year label, [shown per series]) oldest first, for the table alternative."""
        return [(year_label(y), [self.shown.get((s, y), "") for s in self.series]) for y in self.years]


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
    found = copy.deepcopy(found)
    for trend in found:
        own = trend.series[0]
        for y, count in trend.counts.items():
            if _small(count):
                trend.values[(own, y)] = None
                trend.shown[(own, y)] = SUPPRESSED
                trend.published.pop((own, y), None)
            trend.counts[y] = None if _small(count) else count
    return found


# Panels: priorities, referral sources, categories of abuse, timeliness -----------------------------

@dataclass
class Cell:
    """A number and its share, as shown (c when suppressed)."""

    numerator: object
    denominator: object
    percent: object

    @classmethod
    def of(cls, numerator, denominator, scrutineer):
        percent = None
        if numerator is not None and denominator:
            percent = round_half_up(Decimal(numerator) * 100 / Decimal(denominator), 1)
        if scrutineer and (_small(numerator) or _small(denominator)):
            return cls(SUPPRESSED if _small(numerator) else numerator,
                       SUPPRESSED if _small(denominator) else denominator, SUPPRESSED)
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
              | Q(indicator__startswith="initial_category:") | Q(indicator__in=[code for code, _ in TIMELINESS]))
    stored = {(v.year, v.indicator): v for v in IndicatorValue.objects.filter(wanted, la_code=la, year__in=years)}

    def cell(y, code):
        value = stored.get((y, code))
        if value is None:
            return Cell(None, None, None)
        return Cell.of(value.numerator, value.denominator, scrutineer)

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
    categories = [{"code": code, "label": label, "cell": cell(year, f"initial_category:{code}")}
                  for code, label in CATEGORY_OF_ABUSE.items() if (year, f"initial_category:{code}") in stored]
    timeliness = [{"code": code, "label": label, "cells": [cell(y, code) for y in years]}
                  for code, label in TIMELINESS if any((y, code) in stored for y in years)]
    return {"years": years, "year_labels": [year_label(y) for y in years], "priorities": priority_rows,
            "sources": sources, "police": police, "categories": categories, "timeliness": timeliness,
            "year_label": year_label(year)}
