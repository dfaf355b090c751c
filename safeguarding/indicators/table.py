"""The core child protection activity table, as the reference report lays it out.

Counts come from the stored indicator values (computed from the returns). Rates are worked out
here from a count and a population chosen per figure (which is recorded); comparators come from
the imported benchmarks, either as a report published them or from the DfE's current files.
"""
import csv
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from safeguarding.indicators.engine import definitions as d
from safeguarding.indicators.models import IndicatorValue
from safeguarding.indicators.rounding import change_percent, places_for, round_half_up
from safeguarding.working_days import year_label

# (label, count indicator, percent indicator or None). Rate rows show a rate per 10,000 children.
ROWS = [
    ("Referrals", "referrals", None),
    ("Re-referrals", "re_referrals", "re_referrals_percent"),
    ("Completed assessments", "assessments_completed", None),
    ("S47 enquiries starting", "s47_started", None),
    ("ICPCs held", "icpcs", None),
    ("CPP (31/3/{yy})", "cpp_open", None),
    ("CPP 2+ years (31/3/{yy})", "cpp_2_years", "cpp_2_years_percent"),
    ("CPP starts in year", "cpp_starts", None),
    ("CPP ceased in year", "cpp_ceased", None),
    ("LAC (31/3/{yy})", "lac_open", None),
    ("LAC starts in year", "lac_starts", None),
    ("LAC ceased in year", "lac_ceased", None),
]
# How each row is named inside a sentence.
SUBJECTS = {
    "referrals": "referrals", "re_referrals": "re-referrals", "assessments_completed": "completed assessments",
    "s47_started": "S47 enquiries starting", "icpcs": "initial child protection conferences",
    "cpp_open": "children on child protection plans", "cpp_2_years": "plans lasting two years or more",
    "cpp_starts": "new child protection plans", "cpp_ceased": "plans ending", "lac_open": "looked after children",
    "lac_starts": "children starting to be looked after", "lac_ceased": "children ceasing to be looked after",
    "cpp_second_or_subsequent": "second or subsequent plans",
}


EXTRA_ROWS = [("Second or subsequent CPP", "cpp_second_or_subsequent", "cpp_second_or_subsequent_percent")]
GROUPS = [("sn", "SN"), ("england", "England"), ("region", "Region")]


def short_year(year):
    return f"{(year - 1) % 100:02d}-{year % 100:02d}"


@dataclass
class Figure:
    """One number in the table: its value, how it is shown, and where it came from."""

    value: Decimal = None
    shown: str = ""
    source: str = ""
    note: str = ""
    vintage: str = ""  # for a rate: the population estimate it was worked out with, where known

    def __str__(self):
        return self.shown


@dataclass
class YearFigures:
    year: int
    number: Figure
    rate: Figure  # a rate per 10,000, or a percentage on percent rows
    comparators: dict = field(default_factory=dict)  # group -> Figure, for this year
    # Rates as a report published them with another population estimate than the series: "la" or a group ->
    # Figure. Shown beside the series and marked, never in it (ADR 0012).
    published: dict = field(default_factory=dict)


@dataclass
class Row:
    label: str
    code: str
    percent_code: str
    unit: str  # "rate" or "percent"
    years: list  # YearFigures, newest first
    comparators: dict = field(default_factory=dict)  # group -> Figure, for the newest year (years[0].comparators)
    change: Figure = None

    @property
    def now(self):
        return self.years[0]

    @property
    def before(self):
        return self.years[1] if len(self.years) > 1 else None


@dataclass
class Table:
    la: str
    la_name: str
    year: int
    years: list
    rows: list
    groups: list  # (key, heading)
    comparators: str
    population: dict = field(default_factory=dict)  # year -> (value, vintage)
    vintage: str = ""  # the one population estimate every rate of the table uses
    flags: list = field(default_factory=list)  # figures that contradict each other
    notes: list = field(default_factory=list)


def _fmt(value, places, percent=False):
    if value is None:
        return ""
    rounded = round_half_up(value, places)
    text = f"{rounded:,.{places}f}" if places else f"{int(rounded):,}"
    return text + ("%" if percent else "")


def build_table(*, la, year, years=2, comparators="dfe", sn_average="mean", rounding=None, extra_rows=False,
                bulk=True):
    """The table for ``year`` and the years before it (``years`` in all, newest first), every rate on one
    population estimate and the comparators for every year (ADR 0012).

    ``bulk``: fetch every benchmark row the table can ask for first, in a handful of queries, and answer each
    figure from them (issue 19); without it each figure asks the database (the same answers, hundreds of
    queries: kept so a test can hold the two side by side)."""
    from safeguarding.indicators import benchmarks

    rounding = rounding or ("report" if comparators == "as-published" else "dfe")
    wanted = list(range(year, year - max(years, 2), -1))
    stored = {}
    for value in IndicatorValue.objects.filter(la_code=la, year__in=wanted):
        stored.setdefault(value.year, {})[value.indicator] = value
    if year not in stored:
        return Table(la, benchmarks.la_name(la), year, wanted, [], [], comparators)
    rows = ROWS + (EXTRA_ROWS if extra_rows else [])
    lookup = benchmarks.prefetch(la, wanted, [code for _, code, _ in rows], comparators) if bulk else None
    series = benchmarks.population_series(la, wanted, comparators, lookup)
    population = {y: series.get(y) for y in wanted}
    # The rates a report printed belong in the series only when it uses the same estimate as they did.
    printed = comparators == "as-published"
    in_series = printed and benchmarks.is_as_published(series.vintage)
    region_code, region_name = benchmarks.region(la, lookup)
    groups = [("sn", "SN"), ("england", "England"), ("region", region_name or "Region")]
    table = Table(la, benchmarks.la_name(la, lookup), year, wanted, [], groups, comparators, population,
                  vintage=series.vintage)
    for label, code, percent_code in rows:
        indicator = d.BY_CODE[code]
        unit = "percent" if percent_code else "rate"
        measure = "percent" if percent_code else "rate"
        places = places_for("percent" if percent_code else "count", indicator.rate, rounding)
        figures = []
        for y in wanted:
            values = stored.get(y, {})
            count = values.get(code)
            number = Figure(count.value if count else None, _fmt(count.value, 0) if count else "",
                            "computed from the returns" if count else "no return")
            published = {}
            if percent_code:
                pct = values.get(percent_code)
                rate = Figure(pct.value if pct else None, _fmt(pct.value if pct else None, places, True),
                              "computed from the returns")
            else:
                pop, vintage = population.get(y) or (None, "")
                raw = Decimal(count.value) * 10000 / Decimal(pop) if count and pop else None
                rate = Figure(raw, _fmt(raw, places), f"count ÷ population {pop:,} ({vintage}) × 10,000" if pop
                              else f"no population for {year_label(y)} in {series.vintage or 'any estimate'}",
                              vintage=series.vintage if pop else "")
                as_printed = benchmarks.published_la_rate(la, code, y, lookup=lookup) if printed else None
                if as_printed is not None and in_series:
                    if raw is not None and round_half_up(raw, places) != round_half_up(as_printed, places):
                        table.flags.append(
                            f"The {year_label(y)} rate of {SUBJECTS.get(code, code)} as published "
                            f"({_fmt(as_printed, places)}) does not fit its count and population: {int(count.value):,} in "
                            f"{pop:,} children is a rate of {_fmt(raw, places)} per 10,000.")
                    rate = Figure(as_printed, _fmt(as_printed, places), "as published", note="as published",
                                  vintage=series.vintage)
                elif as_printed is not None:
                    published["la"] = _as_published(as_printed, places, "as published")
            year_comparators = {}
            for key, _heading in groups:
                found = benchmarks.comparator(code, y, measure, la, key, comparators, sn_average, series.vintage,
                                              lookup)
                if found is None:
                    year_comparators[key] = Figure(None, "", "not published")
                else:
                    value, source = found
                    year_comparators[key] = Figure(value, _fmt(value, places, bool(percent_code)), source,
                                                   vintage="" if percent_code else series.vintage)
                if printed and not percent_code and not in_series:
                    other = benchmarks.as_published_comparator(code, y, measure, la, key, lookup)
                    if other is not None:
                        published[key] = _as_published(other[0], places, other[1])
            figures.append(YearFigures(y, number, rate, year_comparators, published))
        row = Row(label.format(yy=f"{year % 100:02d}"), code, percent_code, unit, figures,
                  comparators=figures[0].comparators)
        if row.before is not None:
            change = change_percent(row.now.number.value, row.before.number.value)
            row.change = Figure(change, _fmt(change, 1, True), f"change in the count since {year_label(year - 1)}")
        table.rows.append(row)
    table.notes += published_notes(table)
    return table


PUBLISHED_MARK = "†"


def _as_published(value, places, source):
    return Figure(value, _fmt(value, places) + PUBLISHED_MARK, source, note="as published, another population estimate",
                  vintage=AS_PUBLISHED_VINTAGE)


AS_PUBLISHED_VINTAGE = "the population estimates first published at the time"


def population_note(table):
    """The sentence named beside every table and chart of rates: which population estimate they use."""
    if not table.vintage:
        return "Rates per 10,000 children aged 0 to 17: no population estimate has been imported."
    return ("Rates per 10,000 children aged 0 to 17 use one population estimate for every year (the mid-year "
            f"estimate of the year before each year ends): {table.vintage}.")


def published_notes(table):
    """Rates as a report printed them on another population estimate: listed under the table, marked with the
    dagger, and kept out of the series."""
    names = dict(table.groups, la=table.la_name)
    lines = []
    for row in table.rows:
        shown = [f"{names[key]} {year_label(f.year)} {figure.shown.rstrip(PUBLISHED_MARK)}"
                 for f in reversed(row.years) for key, figure in f.published.items()]
        if shown:
            lines.append(f"  {plain_label(row)}: " + ", ".join(shown))
    if lines:
        lines.insert(0, f"{PUBLISHED_MARK} Rates as first published, on {AS_PUBLISHED_VINTAGE} (another estimate, "
                        "so not comparable with the rates above):")
    return lines


def plain_label(row):
    """The row's name without the day of its year ("CPP at 31 March"), for a line that covers several years."""
    return re.sub(r" \(31/3/\d\d\)", " at 31 March", row.label)


def headings(table):
    first = [""]
    for y in table.years:
        first += [f"{table.la_name} {short_year(y)}", ""]
    first += [f"{h} {short_year(table.year)}" for _, h in table.groups]
    first.append(f"{table.la_name} change")
    second = [""] + ["Number", "Rate*"] * len(table.years) + ["Rate"] * len(table.groups) + [""]
    return first, second


def row_cells(table, row):
    cells = [row.label]
    for figures in row.years:
        cells += [figures.number.shown, figures.rate.shown]
    cells += [row.comparators[key].shown for key, _ in table.groups]
    cells.append(row.change.shown if row.change else "")
    return cells


TREND_FROM = 3  # from this many years, the table is laid out a year to a line, with that year's comparators


def trend_headings(table):
    return ["", "Year", "Number", "Rate*"] + [heading for _, heading in table.groups]


def trend_lines(table, row):
    """One line per year, oldest first: the count, the rate and that year's comparators."""
    return [[plain_label(row), year_label(f.year), f.number.shown, f.rate.shown]
            + [f.comparators[key].shown if key in f.comparators else "" for key, _ in table.groups]
            for f in reversed(row.years)]


def render(table, form, out):
    if len(table.years) >= TREND_FROM:
        header = [trend_headings(table)]
        rows = [line for row in table.rows for line in trend_lines(table, row)]
    else:
        header = list(headings(table))
        rows = [row_cells(table, row) for row in table.rows]
    if form == "csv":
        writer = csv.writer(out)
        writer.writerows(header)
        writer.writerows(rows)
        return
    if form == "json":
        def figures(found):
            return {k: {"value": _num(v.value), "shown": v.shown, "source": v.source} for k, v in found.items()}

        out.write(json.dumps({
            "la": table.la, "year": table.year, "comparators": table.comparators,
            "population_vintage": table.vintage, "population_note": population_note(table),
            "population": {str(y): {"value": v[0], "vintage": v[1]} if v else None for y, v in table.population.items()},
            "rows": [{"label": r.label, "indicator": r.code,
                      "years": [{"year": f.year, "number": _num(f.number.value), "rate": _num(f.rate.value),
                                 "rate_shown": f.rate.shown, "rate_source": f.rate.source,
                                 "comparators": figures(f.comparators),
                                 "as_first_published": figures(f.published)} for f in r.years],
                      "comparators": figures(r.comparators),
                      "change_percent": _num(r.change.value) if r.change else None} for r in table.rows],
            "notes": table.notes, "flags": table.flags}, indent=2) + "\n")
        return
    widths = [max(len(str(line[i])) for line in header + rows) for i in range(len(header[0]))]
    for line in header + rows:
        out.write("  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(line, widths)))
                  + "\n")
    out.write("* Rate per 10,000 children aged 0-17 unless given as a percentage.\n")
    out.write(f"  {population_note(table)}\n")
    for y, pop in sorted(table.population.items(), reverse=True):
        out.write(f"  {year_label(y)}: population {pop[0]:,} ({pop[1]})\n" if pop
                  else f"  {year_label(y)}: no population in this estimate, so no rates\n")
    for note in table.notes:
        out.write(f"{note}\n")
    for flag in table.flags:
        out.write(f"! {flag}\n")


def _num(value):
    return None if value is None else float(value)
