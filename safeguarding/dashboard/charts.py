"""Trend charts as Vega-Lite specs, written with Altair; drawn in the browser by vega-embed and on the
server (SVG, PNG downloads) by vl-convert, from the same spec."""
import hashlib
import textwrap

import altair as alt
from django.core.cache import cache

from safeguarding.indicators.table import AS_PUBLISHED_VINTAGE

# GOV.UK Design System colours; the series differ by line dash too, not by colour alone.
COLOURS = ["#1d70b8", "#d4351c", "#0b0c0c", "#00703c", "#4c2c92"]
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4]]
FONT = "Arial, Liberation Sans, sans-serif"
EXPORT_WIDTH = 640
SMALL_HEIGHT = 140  # a grid of twelve, three across, fits about two screens at 1280 by 900


def points(trend):
    return [{"year": trend.year_text(y), "series": s, "value": float(trend.values[(s, y)])}
            for s in trend.series for y in trend.years if trend.values.get((s, y)) is not None]


def published_points(trend):
    return [{"year": trend.year_text(y), "series": s, "value": float(figure.value)}
            for (s, y), figure in trend.published.items() if figure.value is not None]


def legend(series):
    """(name, colour, SVG dash pattern) for each series: the small multiples share one legend, drawn in the
    page, instead of repeating it under every chart."""
    return [(name, COLOURS[i], " ".join(map(str, DASHES[i]))) for i, name in enumerate(series[:len(COLOURS)])]


def spec(trend, width="container", title=False, small=False):
    """The Vega-Lite spec (a dict) of one trend: to fill the page (its heading is the page's), or at a fixed
    width with the title for the downloads. Rates first published on another population estimate are hollow
    diamonds apart from the lines (ADR 0012); the estimate the lines use is named under the title.
    ``small``: one of the page's grid of small charts, which share a key and name their unit and population
    beside the heading, so neither is drawn in the chart (ADR 0015)."""
    domain = trend.series
    font_size = 12 if small else 14
    legend = None if small else alt.Legend(
        title=None, orient="bottom", direction="horizontal", labelFontSize=14, symbolType="stroke",
        symbolSize=500, symbolStrokeWidth=3, labelLimit=240)
    x = alt.X("year:O", title=None if small else trend.year_axis, sort=[trend.year_text(y) for y in trend.years],
              scale=alt.Scale(domain=[trend.year_text(y) for y in trend.years]),
              axis=alt.Axis(labelAngle=0, labelOverlap="parity", labelSeparation=6) if small else alt.Axis(labelAngle=0))
    y = alt.Y("value:Q", title=None if small else trend.unit_label, scale=alt.Scale(zero=True),
              axis=alt.Axis(tickCount=4) if small else alt.Axis())
    colour = alt.Color("series:N", scale=alt.Scale(domain=domain, range=COLOURS[:len(domain)]), legend=legend)
    chart = alt.Chart(alt.Data(values=points(trend))).mark_line(point={"size": 40 if small else 60, "filled": True},
                                                                 strokeWidth=2 if small else 3).encode(
        x=x, y=y, color=colour,
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=domain, range=DASHES[:len(domain)]),
                                  legend=legend),
    )
    published = published_points(trend)
    if published:
        marked = alt.Chart(alt.Data(values=published)).mark_point(shape="diamond", size=80 if small else 110,
                                                                  filled=False, strokeWidth=2).encode(x=x, y=y,
                                                                                                      color=colour)
        chart = alt.layer(chart, marked)
    chart = chart.properties(width=width, height=SMALL_HEIGHT if small else 260, description=trend.summary())
    if title:
        subtitle = textwrap.wrap(trend.population_note, 100) if trend.population_note else []
        if published:
            subtitle += textwrap.wrap(f"Hollow diamonds: rates as first published, on {AS_PUBLISHED_VINTAGE}.", 100)
        chart = chart.properties(title=alt.TitleParams(trend.title, subtitle=subtitle, subtitleFontSize=12,
                                                       subtitleColor="#505a5f") if subtitle else trend.title)
    # The container carries the summary (role="img") and a table follows: Vega's own ARIA labels on every
    # mark would only repeat the table, point by point.
    chart = chart.configure(font=FONT, aria=False).configure_axis(
        labelFontSize=font_size, titleFontSize=font_size, labelColor="#0b0c0c", titleColor="#0b0c0c").configure_title(
        fontSize=18, anchor="start", color="#0b0c0c").configure_view(stroke=None)
    return chart.to_dict(validate=False)


def svg(trend):
    import vl_convert

    return _drawn(trend, "svg", lambda: vl_convert.vegalite_to_svg(spec(trend, width=EXPORT_WIDTH, title=True)))


def png(trend):
    import vl_convert

    return _drawn(trend, "png", lambda: vl_convert.vegalite_to_png(spec(trend, width=EXPORT_WIDTH, title=True),
                                                                   scale=2))


def _drawn(trend, form, draw):
    """A drawing is kept, keyed by everything in the trend: a yearly report has twelve charts at about 50 ms each,
    and a draft report is assembled again for every view and download of it (the load test, docs/benchmarks.md),
    though its charts change only when the figures do."""
    return cache.get_or_set(f"chart:{form}:{EXPORT_WIDTH}:{hashlib.sha256(repr(trend).encode()).hexdigest()}",
                            draw, 60 * 60)
