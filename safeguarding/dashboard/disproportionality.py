"""Which children go further through the system: the disproportionality page of the dashboard, its downloads and
chart, and the figures the yearly report's section uses (issue 16 point 2; ADR 0028).

Read from the stored ``decision:`` indicator values (never the analytical store); every count, share and rate goes
through ``core.disclosure`` (``indicators.disproportionality.disclosure`` registers them and how they add up).
"""
from dataclasses import dataclass, field

from django.http import Http404

from safeguarding.core.disclosure import EXPLAINED, SUPPRESSED, Disclosure
from safeguarding.indicators import disproportionality as dp
from safeguarding.indicators.models import IndicatorValue
from safeguarding.indicators.rounding import round_half_up
from safeguarding.working_days import year_label

CAUTION = ("A relative rate compares how often children of one group went on from one decision point to the next "
           "with how often all other children did, in the same year. A rate of 2 means they went on twice as "
           "often; 0.5, half as often; 1, as often. It shows that a difference exists, not why: it does not "
           "measure need, or whether any decision was right, and it says nothing about a single child. A group "
           "with few children has a wide interval, and a difference within the interval could be chance. Read the "
           "figures as a question to ask, with the practitioners who know the children.")
INTERVAL = ("The 95% confidence interval is worked out by Katz's method (on the log of the rate). An interval "
            "that does not include 1 means a difference that large would be unusual by chance alone.")
SOURCE = ("Worked out from the council's child-level returns (CIN census and SSDA903) for the year: each child "
          "referred in the year counted once, and counted as going on when a referral of the year reached the next "
          "point in the same episode by 31 March (for care: started to be looked after in the year, on or after the "
          "first referral).")


@dataclass
class ShownRow:
    dimension: str
    group: str
    went_on: str
    at_point: str
    share: str
    rest_share: str
    rate: str
    interval: str
    hidden: bool
    values: tuple = ()  # (rate, low, high) as numbers, for the chart; () when hidden or not worked out


@dataclass
class Step:
    key: str
    title: str
    went_on_label: str
    at_point_label: str
    rows: list = field(default_factory=list)

    @property
    def charted(self):
        return [r for r in self.rows if r.values and r.values[1] is not None]


def _percent(x):
    return "" if x is None else f"{round_half_up(x * 100, 1):.1f}%"


def _ratio(x):
    return "" if x is None else f"{round_half_up(x, 2):.2f}"


def step_key(step):
    return f"{step[0]}-{step[1]}".replace("_", "-")


def figures(la, year, suppress):
    """[Step] for one authority and year, as a person with (``suppress`` False) or without the right to detail
    sees them; [] when the year has no stored decision points."""
    stored = IndicatorValue.objects.filter(la_code=la, year=year, indicator__startswith=dp.CODE_PREFIX)
    counts = dp.from_values(stored).get(year)
    if not counts:
        return []
    found = dp.disclosure({year: counts}, Disclosure(suppress))
    steps = []
    for step, rows in dp.from_counts(counts).items():
        shown = Step(step_key(step), dp.STEP_TITLES[step], dp.POINT_TITLES[step[1]], dp.POINT_TITLES[step[0]])
        for row in rows:
            keys = dp.row_keys(year, row)
            hidden = found.is_hidden(*keys)
            rate, low, high = row.rate if row.dimension != "all" else (None, None, None)
            shown.rows.append(ShownRow(
                dimension=dp.DIMENSION_TITLES.get(row.dimension, ""), group=row.group,
                went_on=found.shown(dp.count_key(year, row.dimension, row.group, step[1])),
                at_point=found.shown(dp.count_key(year, row.dimension, row.group, step[0])),
                share=found.derived(_percent(row.share), *keys[:2]),
                rest_share="" if row.dimension == "all" else found.derived(_percent(row.rest_share), *keys),
                rate=found.derived(_ratio(rate), *keys),
                interval=found.derived(f"{_ratio(low)} to {_ratio(high)}" if low is not None else "", *keys),
                hidden=hidden, values=() if hidden or rate is None else (rate, low, high)))
        steps.append(shown)
    return steps


def sheet(steps, year):
    """One header row and a row per step and group, for CSV and Excel (c where suppressed)."""
    header = ["Year", "Decision point", "Grouped by", "Group", "Children at the point", "Children who went on",
              "Share who went on", "Share of all other children who went on", "Relative rate",
              "95% interval, low", "95% interval, high"]
    rows = []
    for step in steps:
        for r in step.rows:
            low, high = (r.interval.split(" to ") + [""])[:2] if r.interval not in ("", SUPPRESSED) else (
                (r.interval, r.interval))
            rows.append([year_label(year), step.title, r.dimension or "All children", r.group, _number(r.at_point),
                         _number(r.went_on), r.share, r.rest_share, _number(r.rate), _number(low), _number(high)])
    return header, rows


def _number(shown):
    from safeguarding.dashboard.exports import number

    return number(shown)


def notes(partnership, year, suppress):
    lines = [("Partnership", partnership.name), ("Local authority", partnership.local_authority),
             ("Year", year_label(year)), ("Source", SOURCE), ("What a relative rate shows", CAUTION),
             ("Interval", INTERVAL), ("National comparison", dp.NO_COMPARATOR)]
    if suppress:
        lines.append(("Suppression", EXPLAINED))
    return lines


def searched_files():
    """The shipped DfE files searched for figures by ethnicity (``disproportionality.ethnic_measures`` and the
    LAIT's long table; tests/indicators/test_disproportionality.py)."""
    from django.conf import settings

    dfe = settings.PUBLISHED_DATA_DIR / "dfe"
    return sorted(p.name for p in [*dfe.glob("*.csv"), *dfe.glob("*.parquet")])


# -- the chart: relative rates with their intervals -----------------------------------------------------------

def spec(step, width=560):
    """A Vega-Lite spec: each group's relative rate (a dot) and 95% interval (a line) on a log scale, with the
    line of no difference at 1. Groups whose rate is c, or has no interval, are left out (the table has them)."""
    import altair as alt

    from safeguarding.dashboard.charts import COLOURS, FONT

    rows = step.charted
    if not rows:
        empty = alt.Chart(alt.Data(values=[{"text": "No relative rate to draw"}])).mark_text(
            fontSize=14, align="left", color="#0b0c0c").encode(text="text:N")
        return empty.properties(width=width, height=40, title=step.title).configure(font=FONT).configure_view(
            stroke=None).to_dict(validate=False)
    values = [{"group": f"{r.dimension}: {r.group}", "rate": r.values[0], "low": r.values[1], "high": r.values[2]}
              for r in rows]
    order = [v["group"] for v in values]
    y = alt.Y("group:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    x_scale = alt.Scale(type="log", domain=_domain(values), nice=False)
    base = alt.Chart(alt.Data(values=values))
    rules = base.mark_rule(strokeWidth=2, color=COLOURS[0]).encode(
        y=y, x=alt.X("low:Q", scale=x_scale, title="Relative rate (log scale); 1 = as often as other children"),
        x2="high:Q")
    dots = base.mark_point(filled=True, size=70, color=COLOURS[0]).encode(y=y, x=alt.X("rate:Q", scale=x_scale))
    one = alt.Chart(alt.Data(values=[{"x": 1}])).mark_rule(color="#0b0c0c", strokeDash=[4, 3]).encode(
        x=alt.X("x:Q", scale=x_scale))
    chart = alt.layer(one, rules, dots).properties(width=width, height=max(60, 22 * len(values)),
                                                   title=step.title)
    chart = chart.configure(font=FONT, aria=False).configure_axis(
        labelFontSize=13, titleFontSize=13, labelColor="#0b0c0c", titleColor="#0b0c0c").configure_title(
        fontSize=16, anchor="start", color="#0b0c0c").configure_view(stroke=None)
    return chart.to_dict(validate=False)


def _domain(values):
    low = min([v["low"] for v in values] + [0.5])
    high = max([v["high"] for v in values] + [2])
    return [low * 0.9, high * 1.1]


def summary(step):
    """The chart in words (its alternative text)."""
    rows = step.charted
    if not rows:
        return f"{step.title}: no relative rate to draw."
    apart = [r for r in rows if not r.values[1] <= 1 <= r.values[2]]
    text = f"{step.title}: the relative rates of {len(rows)} groups with their 95% intervals."
    if apart:
        text += " Intervals that do not include 1: " + "; ".join(
            f"{r.group} ({r.rate}, {r.interval})" for r in apart) + "."
    else:
        text += " Every interval includes 1."
    return text


def svg(step):
    """The chart as SVG, kept by its content: the page draws five, and they change only when the figures do."""
    import hashlib

    import vl_convert
    from django.core.cache import cache

    key = "which-children-go-further:" + hashlib.sha256(repr(step).encode()).hexdigest()
    return cache.get_or_set(key, lambda: vl_convert.vegalite_to_svg(spec(step)), 60 * 60)


def svg_uri(step):
    """The chart as a data: address, drawn into the page (no request per chart; the CSP allows data: images)."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(svg(step).encode()).decode()


def png(step):
    import vl_convert

    return vl_convert.vegalite_to_png(spec(step), scale=2)


def chosen_step(steps, key):
    """The step asked for (the first by default); with no figures, an empty one (the chart says so)."""
    if not steps:
        return Step("none", "No figures loaded yet", "", "")
    step = next((s for s in steps if s.key == key), None) if key else steps[0]
    if step is None:
        raise Http404("No such decision point")
    return step
