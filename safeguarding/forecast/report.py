"""What the yearly report's optional "Looking ahead: demand" section shows, as plain data (the report turns it into
its own blocks: nothing here imports the report, docs/architecture.md rule 4). Published: small numbers always as c."""
import hashlib

from django.core.cache import cache

from safeguarding.forecast import charts, services
from safeguarding.forecast.engine.states import KIND_LABELS
from safeguarding.forecast.views import backtest_table, table, year_ends
from safeguarding.working_days import year_label

WINDOW_YEARS = 3
HORIZON_MONTHS = 24
EXPORT_WIDTH = 640


def demand(la, year):
    """None when the store has no return for 31 March of the report's year; else the charts, tables and sentences."""
    try:
        result, used, left_out = services.forecast_for(la, year, HORIZON_MONTHS, WINDOW_YEARS)
    except ValueError:
        return None
    tested = services.backtest_for(la, WINDOW_YEARS)
    tables = table(result, suppress=True)
    ends = [year_label(y) for y in year_ends(result)]
    drawn = []
    for t in tables:
        if t["total_hidden"]:
            continue
        spec = charts.spec(result, t["kind"], width=EXPORT_WIDTH, title=t["title"])
        key = hashlib.sha256(repr(spec).encode()).hexdigest()
        drawn.append({"title": f"{t['title']}: what happened and the forecast", "summary": spec["description"],
                      "svg": cache.get_or_set(f"forecast-chart:svg:{key}", lambda s=spec: _svg(s), 60 * 60),
                      "png": (lambda s=spec: _png(s)), "kind": t["kind"],
                      "rows": [[r["label"], r["base"]] + [f"{c['median']} ({c['interval']})" for c in r["cells"]]
                               for r in t["rows"] if r["total"]]})
    totals = {t["kind"]: t["rows"][0] for t in tables}
    widest = []
    for kind, row in totals.items():
        last = row["cells"][-1]
        widest.append(f"{KIND_LABELS[kind].lower()} {last['median']} (80% interval {last['interval']}; 95% interval "
                      f"{last['interval95']})")
    uncertainty = (f"By 31 March {year_ends(result)[-1]} the forecast is {' and '.join(widest)}. The intervals are "
                   "ranges the figure would fall in, in 80 and 95 of every 100 simulated futures built on the last "
                   f"{len(result.window)} years' rates; they widen the further ahead they look, and they cannot allow "
                   "for a change the past years did not show.")
    return {"charts": drawn, "ends": ends, "base": year_label(year), "used": used, "left_out": left_out,
            "backtest": backtest_table(tested), "verdict": tested.verdict(), "uncertainty": uncertainty,
            "seed": result.seed, "runs": result.runs}


def _svg(spec):
    import vl_convert

    return vl_convert.vegalite_to_svg(spec)


def _png(spec):
    import vl_convert

    return vl_convert.vegalite_to_png(spec, scale=2)
