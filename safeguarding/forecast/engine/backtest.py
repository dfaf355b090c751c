"""The back-test: fit on the years up to Y, forecast 31 March of Y+1 and Y+2, compare with what the returns say
happened; beside the model, two naive forecasts (the last year's number; a straight line through the window's
31 March numbers), each with intervals of its own from the history's year-to-year changes."""
import math
from dataclasses import dataclass, field

import numpy as np

from safeguarding.forecast.engine.model import DEFAULT_RUNS, DEFAULT_SEED, forecast
from safeguarding.forecast.engine.states import CP, LAC

METHODS = ("model", "last_year", "trend")
METHOD_LABELS = {"model": "The model", "last_year": "Last year's number", "trend": "Straight-line trend"}
Z = {"80": 1.2816, "95": 1.9600}
HORIZONS = (1, 2)


@dataclass
class Case:
    la: str
    kind: str
    base_year: int
    years_ahead: int
    truth: int
    predicted: dict  # method -> {median, low80, high80, low95, high95}


@dataclass
class Result:
    cases: list = field(default_factory=list)

    def summary(self, kind=None, years_ahead=None):
        """{method: {cases, mape, within80, within95}} (percentages), over the cases chosen."""
        chosen = [c for c in self.cases if (kind is None or c.kind == kind)
                  and (years_ahead is None or c.years_ahead == years_ahead) and c.truth > 0]
        out = {}
        for method in METHODS:
            if not chosen:
                out[method] = {"cases": 0, "mape": None, "within80": None, "within95": None}
                continue
            errors = [abs(c.predicted[method]["median"] - c.truth) / c.truth for c in chosen]
            inside = {level: [c.predicted[method][f"low{level}"] <= c.truth <= c.predicted[method][f"high{level}"]
                              for c in chosen] for level in Z}
            out[method] = {"cases": len(chosen), "mape": 100 * float(np.mean(errors)),
                           "within80": 100 * float(np.mean(inside["80"])),
                           "within95": 100 * float(np.mean(inside["95"]))}
        return out

    def verdict(self):
        """Does the model beat both naive forecasts on mean error, with coverage within 10 points of nominal?"""
        s = self.summary()
        model = s["model"]
        if not model["cases"]:
            return {"beats_naive": False, "coverage_ok": False, "cases": 0}
        beats = all(model["mape"] < s[m]["mape"] for m in ("last_year", "trend"))
        coverage = abs(model["within80"] - 80) <= 10 and abs(model["within95"] - 95) <= 10
        return {"beats_naive": beats, "coverage_ok": coverage, "cases": model["cases"]}


def _series(counts, kind):
    """{collection year: total on 31 March}."""
    return {day.year: sum(stock.values()) for day, stock in counts.stocks[kind].items()
            if day.month == 3 and day.day == 31}


def naive(series, base_year, window_years, years_ahead):
    """The two naive forecasts of the total `years_ahead` after 31 March of `base_year`."""
    known = {y: v for y, v in series.items() if y <= base_year}
    last = known[base_year]
    changes = [known[y] - known[y - 1] for y in sorted(known) if y - 1 in known]
    # The spread of a year's change; with fewer than two changes to go on, what chance alone would give.
    spread = float(np.std(changes, ddof=1)) if len(changes) >= 2 else math.sqrt(max(last, 1))
    years = [y for y in range(base_year - window_years, base_year + 1) if y in known]
    if len(years) >= 2:
        slope, intercept = np.polyfit(years, [known[y] for y in years], 1)
        trend = max(float(slope * (base_year + years_ahead) + intercept), 0.0)
    else:
        trend = float(last)
    out = {}
    for method, centre in (("last_year", float(last)), ("trend", trend)):
        sd = spread * math.sqrt(years_ahead)
        out[method] = {"median": centre, **{f"low{level}": centre - z * sd for level, z in Z.items()},
                       **{f"high{level}": centre + z * sd for level, z in Z.items()}}
    return out


def run(counts_by_la, window_years, base_years=None, *, seed=DEFAULT_SEED, runs=DEFAULT_RUNS, excluded=None):
    """Every base year Y of each authority with the window's years and Y+1 in its Counts (and Y+2 where there);
    `excluded`: {la: years} left out for quality, neither fitted on nor judged against."""
    result = Result()
    excluded = excluded or {}
    for la, counts in sorted(counts_by_la.items()):
        left_out = set(excluded.get(la, ()))
        years = sorted(set(counts.years) - left_out)
        for base in years:
            if base_years is not None and base not in base_years:
                continue
            window = [y for y in range(base - window_years + 1, base + 1)]
            if any(y not in years for y in window) or base + 1 not in years:
                continue
            fitted = forecast(counts, base, 24, window=window, seed=seed, runs=runs, excluded=left_out)
            for kind in (LAC, CP):
                series = {y: v for y, v in _series(counts, kind).items() if y not in left_out}
                for ahead in HORIZONS:
                    if base + ahead not in series or base not in series:
                        continue
                    predicted = naive(series, base, window_years, ahead)
                    predicted["model"] = fitted.at_year_end(kind, base + ahead)
                    result.cases.append(Case(la, kind, base, ahead, series[base + ahead], predicted))
    return result
