"""The forecast's chart: the monthly history and the forecast's median with its 80% and 95% bands, as a Vega-Lite
spec written with Altair (drawn by the same script as the dashboard's charts)."""
import datetime

import altair as alt

from safeguarding.dashboard.charts import COLOURS, FONT
from safeguarding.forecast.engine.states import KIND_LABELS


def points(result, kind):
    history = [{"month": day.isoformat(), "value": sum(stock.values()), "series": "What happened"}
               for day, stock in sorted(result.history[kind].items())
               if day.year >= result.base_year - len(result.window) - 1]
    total = result.total(kind)
    ahead = [{"month": day.isoformat(), "value": total["median"][m], "series": "Forecast (median)",
              "low80": total["low80"][m], "high80": total["high80"][m], "low95": total["low95"][m],
              "high95": total["high95"][m]} for m, day in enumerate(result.paths[kind].days)]
    return history, ahead


def _day(iso):
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def spec(result, kind, width="container", title=None):
    """The chart's spec: to fill the page (its heading is the page's), or at a fixed width with a title (the
    report's drawing)."""
    history, ahead = points(result, kind)
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=6))
    band95 = alt.Chart(alt.Data(values=ahead)).mark_area(color=COLOURS[0], opacity=0.15).encode(
        x=x, y=alt.Y("low95:Q", title="Children"), y2="high95:Q")
    band80 = alt.Chart(alt.Data(values=ahead)).mark_area(color=COLOURS[0], opacity=0.3).encode(
        x=x, y="low80:Q", y2="high80:Q")
    domain = ["What happened", "Forecast (median)"]
    colour = alt.Color("series:N", scale=alt.Scale(domain=domain, range=[COLOURS[2], COLOURS[0]]),
                       legend=alt.Legend(title=None, orient="bottom", labelFontSize=14, symbolType="stroke"))
    dash = alt.StrokeDash("series:N", scale=alt.Scale(domain=domain, range=[[1, 0], [6, 3]]), legend=None)
    lines = alt.Chart(alt.Data(values=history + ahead)).mark_line(strokeWidth=3).encode(
        x=x, y=alt.Y("value:Q", scale=alt.Scale(zero=True)), color=colour, strokeDash=dash)
    first, last = ahead[0], ahead[-1]
    summary = (f"{KIND_LABELS[kind]}: {history[-1]['value'] if history else 'none'} on 31 March {result.base_year}; "
               f"forecast {round(last['value'])} by {_day(last['month'])}, 80% interval {round(last['low80'])} to "
               f"{round(last['high80'])}, 95% interval {round(last['low95'])} to {round(last['high95'])}; first month "
               f"{round(first['value'])}.")
    chart = alt.layer(band95, band80, lines).properties(width=width, height=260, description=summary)
    if title:
        chart = chart.properties(title=title)
    chart = chart.configure(font=FONT, aria=False).configure_axis(labelFontSize=14, titleFontSize=14,
                                                                  labelColor="#0b0c0c", titleColor="#0b0c0c") \
        .configure_view(stroke=None).configure_title(fontSize=18, anchor="start", color="#0b0c0c")
    return chart.to_dict(validate=False)
