"""The dashboard's figures as CSV and Excel: one header row, real numbers (as rounded on the page),
`c` where a figure is suppressed, and in Excel the sources and population vintages on a second sheet."""
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from safeguarding.core.spreadsheets import to_csv, to_xlsx  # noqa: F401 (the dashboard's downloads)
from safeguarding.core.disclosure import EXPLAINED, SUPPRESSED
from safeguarding.indicators.table import PUBLISHED_MARK, population_note, short_year
from safeguarding.working_days import year_label

from .selectors import COMPARATOR_SETS, SN_AVERAGES


def number(shown):
    """The figure as shown on the page ("3,510", "19%", "533.0") as a number; c stays c, blank is None."""
    if shown in ("", None):
        return None
    if shown == SUPPRESSED:
        return SUPPRESSED
    try:
        return Decimal(str(shown).replace(",", "").rstrip("%"))
    except InvalidOperation:
        return str(shown)


def table_sheet(table):
    header = ["Indicator", "Rate or percentage"]
    for y in table.years:
        header += [f"{table.la_name} {short_year(y)} number", f"{table.la_name} {short_year(y)} rate or percentage"]
    header += [f"{heading} {short_year(table.year)} rate or percentage" for _, heading in table.groups]
    header.append(f"{table.la_name} change in the number since {year_label(table.year - 1)} (%)")
    rows = []
    for row in table.rows:
        line = [row.label, "percentage" if row.unit == "percent" else "rate per 10,000 children aged 0-17"]
        for figures in row.years:
            line += [number(figures.number.shown), number(figures.rate.shown)]
        line += [number(row.comparators[key].shown) for key, _ in table.groups]
        line.append(number(row.change.shown) if row.change else None)
        rows.append(line)
    return header, rows


def trend_sheet(trends):
    header = ["Indicator", "Year", "Series", "Value", "Unit"]
    rows = []
    for trend in trends:
        for y in trend.years:
            for series in trend.series:
                shown = trend.shown.get((series, y), "")
                if shown == "":
                    continue
                rows.append([trend.title, trend.year_text(y), series, number(shown), trend.unit_label])
        # Rates first published on another population estimate: their own series, named so (ADR 0012).
        for (series, y), figure in sorted(trend.published.items(), key=lambda item: (item[0][1], item[0][0])):
            rows.append([trend.title, year_label(y), f"{series}, as first published (another population estimate)",
                         number(figure.shown.rstrip(PUBLISHED_MARK)), trend.unit_label])
    return header, rows


def notes(partnership, table, choice, scrutineer, trends=None):
    lines = [("Partnership", partnership.name), ("Local authority", f"{table.la_name} ({table.la})"),
             ("Year", year_label(choice.year)), ("Comparators", COMPARATOR_SETS[choice.comparators])]
    if choice.comparators == "dfe":
        lines.append(("Statistical neighbour average", SN_AVERAGES[choice.sn_average]))
    lines += [("Rates", "Per 10,000 children aged 0 to 17, unless given as a percentage"),
              ("Counts", "Computed from the council's child-level returns by the indicator engine")]
    for y, pop in sorted(table.population.items(), reverse=True):
        if pop:
            lines.append((f"Population {year_label(y)}", f"{pop[0]:,} ({pop[1]})"))
    for row in table.rows:
        for key, heading in table.groups:
            figure = row.comparators.get(key)
            if figure is not None and figure.value is not None:
                lines.append((f"{heading}: {row.label}", figure.source))
    if table.vintage:
        lines.append(("Population estimate", population_note(table)))
    for trend in trends or []:
        if trend.population_note:
            lines.append((f"Population estimate, {trend.title}", trend.population_note))
        if trend.published:
            lines.append((f"As first published, {trend.title}", trend.published_note()))
        for series, source in trend.sources.items():
            lines.append((f"Trend source, {trend.title}: {series}", source))
    for flag in table.flags:
        lines.append(("Figures that do not fit", flag))
    if scrutineer:
        lines.append(("Suppression", EXPLAINED))
    lines.append(("Downloaded", timezone.localtime().strftime("%d %B %Y %H:%M")))
    return lines
