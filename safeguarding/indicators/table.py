"""The core child protection activity table, as the reference report lays it out.

Counts come from the stored indicator values (computed from the returns). Rates are worked out
here from a count and a population chosen per figure (which is recorded); comparators come from
the imported benchmarks, either as a report published them or from the DfE's current files.
"""
import csv
import json
from dataclasses import dataclass, field
from decimal import Decimal

from safeguarding.indicators.engine import definitions as d
from safeguarding.indicators.models import IndicatorValue
from safeguarding.indicators.rounding import change_percent, places_for, round_half_up

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


def year_label(year):
    return f"{year - 1}-{year % 100:02d}"


def short_year(year):
    return f"{(year - 1) % 100:02d}-{year % 100:02d}"


@dataclass
class Figure:
    """One number in the table: its value, how it is shown, and where it came from."""

    value: Decimal = None
    shown: str = ""
    source: str = ""
    note: str = ""

    def __str__(self):
        return self.shown


@dataclass
class YearFigures:
    year: int
    number: Figure
    rate: Figure  # a rate per 10,000, or a percentage on percent rows


@dataclass
class Row:
    label: str
    code: str
    percent_code: str
    unit: str  # "rate" or "percent"
    years: list  # YearFigures, newest first
    comparators: dict = field(default_factory=dict)  # group -> Figure
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
    flags: list = field(default_factory=list)  # figures that contradict each other
    notes: list = field(default_factory=list)


def _fmt(value, places, percent=False):
    if value is None:
        return ""
    rounded = round_half_up(value, places)
    text = f"{rounded:,.{places}f}" if places else f"{int(rounded):,}"
    return text + ("%" if percent else "")


def build_table(*, la, year, years=2, comparators="dfe", sn_average="mean", rounding=None, extra_rows=False):
    from safeguarding.indicators import benchmarks

    rounding = rounding or ("report" if comparators == "as-published" else "dfe")
    wanted = list(range(year, year - max(years, 2), -1))
    stored = {}
    for value in IndicatorValue.objects.filter(la_code=la, year__in=wanted):
        stored.setdefault(value.year, {})[value.indicator] = value
    if year not in stored:
        return Table(la, benchmarks.la_name(la), year, wanted, [], [], comparators)
    population = {y: benchmarks.population(la, y, comparators) for y in wanted}
    region_code, region_name = benchmarks.region(la)
    groups = [("sn", "SN"), ("england", "England"), ("region", region_name or "Region")]
    table = Table(la, benchmarks.la_name(la), year, wanted, [], groups, comparators, population)
    for label, code, percent_code in ROWS + (EXTRA_ROWS if extra_rows else []):
        indicator = d.BY_CODE[code]
        unit = "percent" if percent_code else "rate"
        places = places_for("percent" if percent_code else "count", indicator.rate, rounding)
        figures = []
        for y in wanted:
            values = stored.get(y, {})
            count = values.get(code)
            number = Figure(count.value if count else None, _fmt(count.value, 0) if count else "",
                            "computed from the returns" if count else "no return")
            if percent_code:
                pct = values.get(percent_code)
                rate = Figure(pct.value if pct else None, _fmt(pct.value if pct else None, places, True),
                              "computed from the returns")
            else:
                pop, vintage = population.get(y) or (None, "")
                raw = Decimal(count.value) * 10000 / Decimal(pop) if count and pop else None
                rate = Figure(raw, _fmt(raw, places), f"count ÷ population {pop:,} ({vintage}) × 10,000" if pop
                              else "no population")
                published = benchmarks.published_la_rate(la, code, y) if comparators == "as-published" else None
                if published is not None:
                    if raw is not None and round_half_up(raw, places) != round_half_up(published, places):
                        table.flags.append(
                            f"The {year_label(y)} rate of {SUBJECTS.get(code, code)} as published "
                            f"({_fmt(published, places)}) does not fit its count and population: {int(count.value):,} in "
                            f"{pop:,} children is a rate of {_fmt(raw, places)} per 10,000.")
                    rate = Figure(published, _fmt(published, places), "as published", note="as published")
            figures.append(YearFigures(y, number, rate))
        row = Row(label.format(yy=f"{year % 100:02d}"), code, percent_code, unit, figures)
        measure = "percent" if percent_code else "rate"
        for key, _heading in groups:
            found = benchmarks.comparator(code, year, measure, la, key, comparators, sn_average)
            if found is None:
                row.comparators[key] = Figure(None, "", "not published")
            else:
                value, source = found
                row.comparators[key] = Figure(value, _fmt(value, places, bool(percent_code)), source)
        if row.before is not None:
            change = change_percent(row.now.number.value, row.before.number.value)
            row.change = Figure(change, _fmt(change, 1, True), f"change in the count since {year_label(year - 1)}")
        table.rows.append(row)
    return table


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


def render(table, form, out):
    first, second = headings(table)
    rows = [row_cells(table, row) for row in table.rows]
    if form == "csv":
        writer = csv.writer(out)
        writer.writerow(first)
        writer.writerow(second)
        writer.writerows(rows)
        return
    if form == "json":
        out.write(json.dumps({
            "la": table.la, "year": table.year, "comparators": table.comparators,
            "population": {str(y): {"value": v[0], "vintage": v[1]} if v else None for y, v in table.population.items()},
            "rows": [{"label": r.label, "indicator": r.code,
                      "years": [{"year": f.year, "number": _num(f.number.value), "rate": _num(f.rate.value),
                                 "rate_shown": f.rate.shown, "rate_source": f.rate.source} for f in r.years],
                      "comparators": {k: {"value": _num(v.value), "shown": v.shown, "source": v.source}
                                      for k, v in r.comparators.items()},
                      "change_percent": _num(r.change.value) if r.change else None} for r in table.rows],
            "flags": table.flags}, indent=2) + "\n")
        return
    widths = [max(len(str(line[i])) for line in [first, second] + rows) for i in range(len(first))]
    for line in [first, second] + rows:
        out.write("  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(line, widths)))
                  + "\n")
    out.write("* Rate per 10,000 children aged 0-17 unless given as a percentage.\n")
    for y, pop in sorted(table.population.items(), reverse=True):
        if pop:
            out.write(f"  {year_label(y)}: population {pop[0]:,} ({pop[1]})\n")
    for flag in table.flags:
        out.write(f"! {flag}\n")


def _num(value):
    return None if value is None else float(value)
