"""A forecast or a back-test as rows, for the command's table, CSV and JSON and the page's downloads."""
from safeguarding.forecast.engine.backtest import METHOD_LABELS, METHODS
from safeguarding.forecast.engine.states import CP, KIND_LABELS, LAC, state_label

COLUMNS = ["kind", "state", "month", "median", "low80", "high80", "low95", "high95"]


def forecast_rows(result, by_state=True):
    """One row per kind, state ('All' for the total) and month."""
    rows = []
    for kind in (LAC, CP):
        parts = [("All", result.total(kind))]
        if by_state:
            parts += [(state_label(kind, s), q) for s, q in result.by_state(kind).items()]
        for label, quantiles in parts:
            for m, day in enumerate(result.paths[kind].days):
                rows.append({"kind": KIND_LABELS[kind], "state": label, "month": day.isoformat(),
                             **{name: round(quantiles[name][m], 1) for name in
                                ("median", "low80", "high80", "low95", "high95")}})
    return rows


def backtest_rows(result):
    """One row per kind (and both), years ahead (and both) and method."""
    rows = []
    for kind in (None, LAC, CP):
        for ahead in (None, 1, 2):
            summary = result.summary(kind, ahead)
            for method in METHODS:
                s = summary[method]
                rows.append({"kind": KIND_LABELS.get(kind, "Both"), "years_ahead": ahead or "1 and 2",
                             "method": METHOD_LABELS[method], "cases": s["cases"],
                             "mape": None if s["mape"] is None else round(s["mape"], 1),
                             "within80": None if s["within80"] is None else round(s["within80"], 1),
                             "within95": None if s["within95"] is None else round(s["within95"], 1)})
    return rows


def verdict_sentence(verdict):
    """Said plainly, whichever way it came out (issue 17: never hidden)."""
    if not verdict["cases"]:
        return "There are not enough years of returns to test the forecast against the past."
    beats = ("On average it was closer to what happened than both naive forecasts (last year's number and a "
             "straight-line trend)." if verdict["beats_naive"] else
             "It was not, on average, closer to what happened than both naive forecasts (last year's number and a "
             "straight-line trend): treat it with care.")
    cover = ("Its intervals held the truth about as often as they should (within 10 points of 80% and 95%)."
             if verdict["coverage_ok"] else
             "Its intervals did not hold the truth as often as they claim (more than 10 points from 80% or 95%).")
    return f"Tested on {verdict['cases']} past forecasts. {beats} {cover}"
