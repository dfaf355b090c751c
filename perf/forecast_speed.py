"""The demand forecast's speed (issue 17, point 5): one authority's forecast with intervals, and every authority in a
national store, each timed from reading the store to the quantiles.

1. One authority: read its counts (Ibis, one query) and forecast 24 months with 1,000 simulated runs; ``--runs``
   times, median (target: under 2 s).
2. Every authority: read every authority's counts in one query, then forecast each; ``--runs`` times, median
   (target: under 5 minutes).

Usage (from the project root; copy a store first, the script opens it read-only):

    .venv/bin/python perf/forecast_speed.py --one duckdb:///COPY/demo.duckdb --la 210 --base-year 2025 \\
        --national duckdb:///COPY/national.duckdb --national-year 2021 [--runs 3]
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from measuring import cpu_s  # noqa: E402

from safeguarding.forecast.engine.counts import authorities_in_store, read_counts  # noqa: E402
from safeguarding.forecast.engine.model import forecast  # noqa: E402
from safeguarding.indicators.engine.run import connect  # noqa: E402

SCHEMA = "child_level"


def one(url, la, base_year, window):
    t, c = time.perf_counter(), cpu_s()
    con = connect(url)
    counts = read_counts(con, SCHEMA, [la], range(base_year - window + 1, base_year + 1))[la]
    result = forecast(counts, base_year, 24, window)
    result.total("lac"), result.total("cp")
    con.disconnect()
    return time.perf_counter() - t, cpu_s() - c


def every(url, base_year, window):
    t, c = time.perf_counter(), cpu_s()
    con = connect(url)
    las = authorities_in_store(con, SCHEMA)
    counts = read_counts(con, SCHEMA, las, range(base_year - window + 1, base_year + 1))
    read = time.perf_counter() - t
    for la in las:
        result = forecast(counts[la], base_year, 24, window)
        result.total("lac"), result.total("cp")
    con.disconnect()
    return time.perf_counter() - t, read, len(las), cpu_s() - c


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", required=True)
    parser.add_argument("--la", default="210")
    parser.add_argument("--base-year", type=int, default=2025)
    parser.add_argument("--window-years", type=int, default=3)
    parser.add_argument("--national")
    parser.add_argument("--national-year", type=int, default=2021)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("load average before: %.1f %.1f %.1f" % os.getloadavg())
    measured = [one(args.one, args.la, args.base_year, args.window_years) for _ in range(args.runs)]
    times = [m[0] for m in measured]
    print(f"one authority ({args.la}, window {args.window_years}, 24 months, 1,000 runs): median "
          f"{statistics.median(times):.2f} s of {', '.join(f'{t:.2f}' for t in times)}; CPU median "
          f"{statistics.median(m[1] for m in measured):.2f} s")
    if args.national:
        # The national store holds one year: the window is that year.
        results = [every(args.national, args.national_year, 1) for _ in range(args.runs)]
        total = [r[0] for r in results]
        print(f"every authority ({results[0][2]}, window 1, 24 months, 1,000 runs each): median "
              f"{statistics.median(total):.1f} s of {', '.join(f'{t:.1f}' for t in total)}; reading the store "
              f"{statistics.median(r[1] for r in results):.1f} s of it; CPU median "
              f"{statistics.median(r[3] for r in results):.1f} s")
    print("load average after: %.1f %.1f %.1f" % os.getloadavg())


if __name__ == "__main__":
    main()
