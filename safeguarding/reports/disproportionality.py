"""The yearly report's part on which children go further (issue 16 point 2; ADR 0028): the dashboard's figures for
the report's year, as published (small numbers as c), each decision point a chart of relative rates with its table,
after the caution and before the plain statement that there is no national comparator. It follows the core child
protection activity in the accountability section, whose narrative speaks for both."""
from safeguarding.dashboard import disproportionality as figures
from safeguarding.indicators import disproportionality as dp

from . import document as doc

HEAD = [[("Group", 1), ("At the point", 1), ("Went on", 1), ("Share who went on", 1), ("Share of all other children", 1),
         ("Relative rate", 1), ("95% interval", 1)]]


def blocks(report):
    steps = figures.figures(report.partnership.la_code, report.year, suppress=True)  # the report is published
    if not steps:
        return [doc.Notice(f"Which children go further: no figures for {report.year_label} yet. They are worked out "
                           "from the child-level returns at their next import.")]
    found = [doc.Notice("Which children go further, " + report.year_label + ". " + figures.CAUTION)]
    for step in steps:
        body = [[(f"{r.dimension}: {r.group}" if r.dimension else r.group), r.at_point, r.went_on, r.share,
                 r.rest_share, r.rate, r.interval] for r in step.rows]
        table = doc.Table(f"{step.title}, {report.year_label}", HEAD, body,
                          [figures.SOURCE, figures.INTERVAL, "Small numbers (1 to 5), and figures from which one "
                           "could be worked out, are shown as c."])
        found.append(doc.Chart(f"Which children go further: {step.title.lower()}", figures.summary(step),
                               figures.svg(step), (lambda s=step: figures.png(s)), table))
    found.append(doc.Notice(dp.NO_COMPARATOR))
    return found
