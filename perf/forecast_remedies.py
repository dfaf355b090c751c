"""Why the demand forecast wins or loses against the naive forecasts, and what the standard remedies would do
(issue 17, point 2; docs/forecast.md, ADR 0029). Not a speed figure: the back-test's errors taken apart.

    .venv/bin/python perf/forecast_remedies.py duckdb:///COPY/sample.duckdb [--window-years 3] [--runs 400]

Prints markdown tables:
1. per kind and years ahead: mean absolute % error of the model, last year's number and the straight line; the
   model's mean signed error (bias) and how far it moves from the base year's count against how far the truth did;
2. per authority size (thirds by children looked after);
3. the remedies, each tuned only on back-tests whose truth year is at or before the base year of the forecast it
   is applied to (what a live forecast could know), pooled over the store's authorities or the authority's own:
   - damped: base + φ × (model − base), φ in 0, 0.05 … 1 with the least past error (a combination of the model and
     last year's number with weights φ and 1 − φ is the same figure);
   - debiased: base × (1 + a + b × the model's relative move), a and b with the least past error;
   - calibrated intervals: the damped point times the 10/90% and 2.5/97.5% points of the past log errors of the
     same years ahead (split-conformal); the model's own intervals, moved with the point, where fewer than 3.
"""
import argparse
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safeguarding.forecast.engine import backtest  # noqa: E402
from safeguarding.forecast.engine.counts import authorities_in_store, read_counts  # noqa: E402
from safeguarding.indicators.engine.run import connect  # noqa: E402

SCHEMA = "child_level"
GRID = np.linspace(0, 1, 21)
MIN_PAST = 3
LEVELS = {"80": 0.2, "95": 0.05}


def pct(values):
    return f"{100 * float(np.mean(values)):.1f}%" if len(values) else "-"


def move(case):
    return case.predicted["model"]["median"] / case.predicted["last_year"]["median"] - 1


def base(case):
    return case.predicted["last_year"]["median"]


def error(point, case):
    return abs(point - case.truth) / case.truth


def known_before(case, cases, own):
    return [p for p in cases if p.kind == case.kind and p.base_year + p.years_ahead <= case.base_year
            and (not own or p.la == case.la)]


def tune(past):
    """(φ, a, b): damping factor and debiasing line with the least mean error on the past (1, 0, 1 without one)."""
    if len(past) < MIN_PAST:
        return 1.0, 0.0, 1.0
    phi = min(GRID, key=lambda f: np.mean([error(base(p) * (1 + f * move(p)), p) for p in past]))
    best = None
    for b in GRID:
        a = float(np.median([p.truth / base(p) - 1 - b * move(p) for p in past]))
        e = np.mean([error(base(p) * (1 + a + b * move(p)), p) for p in past])
        if best is None or e < best[0]:
            best = (e, a, b)
    return float(phi), best[1], best[2]


def calibrated(case, point, past, phi):
    """{level: inside?} of the split-conformal interval around `point`."""
    same = [p for p in past if p.years_ahead == case.years_ahead]
    out = {}
    for level, alpha in LEVELS.items():
        if len(same) < MIN_PAST:
            shift = point / case.predicted["model"]["median"] if case.predicted["model"]["median"] else 1
            low = case.predicted["model"][f"low{level}"] * shift
            high = case.predicted["model"][f"high{level}"] * shift
        else:
            logs = np.log([p.truth / (base(p) * (1 + phi * move(p))) for p in same])
            n = len(logs)
            low = point * math.exp(np.quantile(logs, max((alpha / 2) * (n + 1) / n - 1 / n, 0)))
            high = point * math.exp(np.quantile(logs, min((1 - alpha / 2) * (n + 1) / n, 1)))
        out[level] = low <= case.truth <= high
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--window-years", type=int, default=3)
    parser.add_argument("--runs", type=int, default=400)
    args = parser.parse_args()
    con = connect(args.url)
    las = authorities_in_store(con, SCHEMA)
    counts = {la: c for la, c in read_counts(con, SCHEMA, las, range(2010, 2031)).items() if c.years}
    con.disconnect()
    cases = [c for c in backtest.run(counts, args.window_years, runs=args.runs).cases if c.truth > 0]
    print(f"{len(counts)} authorities, window {args.window_years}, {args.runs} runs, {len(cases)} tests\n")

    print("| children | years ahead | tests | model | last year's number | straight line | model's bias "
          "| model's move | truth's move |\n|---|---|---|---|---|---|---|---|---|")
    for kind in ("lac", "cp"):
        for ahead in (1, 2):
            chosen = [c for c in cases if c.kind == kind and c.years_ahead == ahead]
            print(f"| {kind} | {ahead} | {len(chosen)} | "
                  f"{pct([error(c.predicted['model']['median'], c) for c in chosen])} | "
                  f"{pct([error(base(c), c) for c in chosen])} | "
                  f"{pct([error(c.predicted['trend']['median'], c) for c in chosen])} | "
                  f"{100 * np.mean([(c.predicted['model']['median'] - c.truth) / c.truth for c in chosen]):+.1f}% | "
                  f"{pct([abs(move(c)) for c in chosen])} | {pct([abs(c.truth / base(c) - 1) for c in chosen])} |")

    size = {}
    for c in cases:
        if c.kind == "lac":
            size.setdefault(c.la, base(c))
    order = sorted(size, key=size.get)
    third = max(len(order) // 3, 1)
    print("\n| authorities (children looked after) | tests | model | last year's number |\n|---|---|---|---|")
    for part in (order[:third], order[third:2 * third], order[2 * third:]):
        chosen = [c for c in cases if c.la in part]
        if chosen:
            print(f"| {', '.join(f'{la} ({size[la]:.0f})' for la in part)} | {len(chosen)} | "
                  f"{pct([error(c.predicted['model']['median'], c) for c in chosen])} | "
                  f"{pct([error(base(c), c) for c in chosen])} |")

    print("\n| tuned on | children | model | damped (= combined) | debiased | last year's number | straight line "
          "| model inside 80/95% | calibrated inside 80/95% |\n|---|---|---|---|---|---|---|---|---|")
    for own in (False, True):
        rows = {}
        for c in cases:
            past = known_before(c, cases, own)
            phi, a, b = tune(past)
            damped = base(c) * (1 + phi * move(c))
            inside = calibrated(c, damped, past, phi)
            rows.setdefault(c.kind, []).append((c, damped, base(c) * (1 + a + b * move(c)), inside))
        for kind in ("both", "lac", "cp"):
            chosen = [r for k, rs in rows.items() for r in rs if kind in ("both", k)]
            print(f"| {'its own past' if own else 'every authority'} | {kind} | "
                  f"{pct([error(c.predicted['model']['median'], c) for c, *_ in chosen])} | "
                  f"{pct([error(d, c) for c, d, _, _ in chosen])} | {pct([error(x, c) for c, _, x, _ in chosen])} | "
                  f"{pct([error(base(c), c) for c, *_ in chosen])} | "
                  f"{pct([error(c.predicted['trend']['median'], c) for c, *_ in chosen])} | "
                  + "/".join(pct([c.predicted['model'][f'low{lv}'] <= c.truth <= c.predicted['model'][f'high{lv}']
                                  for c, *_ in chosen]) for lv in LEVELS) + " | "
                  + "/".join(pct([i[lv] for *_, i in chosen]) for lv in LEVELS) + " |")


if __name__ == "__main__":
    main()
