"""The yearly report's "Social work workforce" section (ADR 0027): the census of 30 September that falls in the
report's year against the comparators, a chart and table of each measure for every census up to it, and the
sentences relating the workforce to the year's activity, offered to the editor as the section's starting text."""
from safeguarding.dashboard import charts
from safeguarding.dashboard import workforce as panel
from safeguarding.indicators import workforce as w

from . import document as doc


def _found(report):
    return panel.figures(report.partnership.la_code)


def blocks(report):
    found = _found(report)
    census = report.year - 1
    if found.empty or census not in found.years:
        return [doc.Notice(f"The DfE's workforce census of {w.census_label(census)} is not among the figures imported "
                           f"for {found.la_name}, so the workforce cannot be shown for {report.year_label}.")]
    source = f"Source: {w.SOURCE}, {found.vintage}."
    timing = (f"The census of {w.census_label(census)} falls in {report.year_label}; turnover and absence are for the "
              "twelve months to that day. Every measure is in full-time equivalents (FTE). Statistical neighbours: "
              f"the {found.sn_average} of those the DfE published a figure for.")
    names = [name for _, name in found.series]
    table = doc.Table(f"The social work workforce on {w.census_label(census)}",
                      [[("Measure", 1)] + [(name, 1) for name in names]],
                      [[m.title] + [found.get(m.code, key, census).shown for key, _ in found.series] for m in w.MEASURES],
                      [f"{m.title}: {m.definition}." for m in w.MEASURES] + [timing, source])
    out = [table]
    for trend in panel.trends(found, until=census):
        header = [[("Census (30 September)", 1)] + [(name, 1) for name in trend.series]]
        out.append(doc.Chart(trend.title, trend.summary(), charts.svg(trend), (lambda t=trend: charts.png(t)),
                             # The definitions and the source are the section table's notes: said once, so
                             # two charts share a page.
                             doc.Table(f"{trend.title}: the figures", header,
                                       [[label] + cells for label, cells in trend.rows()])))
    return out


def narrative(report):
    """The sentences for the report's year, as its readers see the counts (the report is published)."""
    return "\n\n".join(s.text for s in w.sentences(_found(report), report.year, suppress=True))
