"""Queries and server time of a cold core table (issue 19, point 1): `build_table` for each comparator set, and
the dashboard's trends and releases with the cache cleared, on the same throw-away database as
`dashboard_speed.py` (the demo, Southwark's stored values for 2017-18 to 2021-22, the demo and DfE benchmarks).

Usage: .venv/bin/python perf/table_queries.py [--runs 5] [--dump FILE]
With --dump it also writes the repr of every table and trend for the demo's choices (every year x both
comparator sets x both averages, with and without the extra rows) to FILE, to diff one version against another.
"""
import argparse
import io
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))


def setup():
    folder = tempfile.mkdtemp(prefix="table-queries-")
    os.environ.update(VAR_DIR=folder, DATABASE_URL=f"sqlite:///{folder}/db.sqlite3", DEMO="1",
                      DJANGO_SETTINGS_MODULE="config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", password="benchmark-password-2021", stdout=io.StringIO())
    from safeguarding.indicators.models import IndicatorValue
    from tests.dashboard import data

    if not IndicatorValue.objects.filter(la_code="210").exists():
        data.store_values("210")
    data.import_benchmarks(dfe=True)


def measure(build, runs, clear=None):
    """(median ms, queries of one run): each run cold, i.e. with the cache cleared first if ``clear``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(runs):
        if clear:
            clear()
        connection.queries_log.clear()  # it keeps 9,000 at most: a long run would be counted short
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            build()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    return statistics.median(times), queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dump")
    args = parser.parse_args()
    setup()
    from django.core.cache import cache

    from safeguarding.dashboard import selectors
    from safeguarding.indicators.table import build_table

    la = "210"
    years = selectors.years_for(la)
    year = years[0]
    print(f"cold core table for {la}, {year}: median of {args.runs} runs, queries per run "
          f"(Python {sys.version.split()[0]}, SQLite, load {os.getloadavg()[0]:.2f})")
    print("| what | median ms | queries |\n|---|---:|---:|")
    cases = [(f"build_table {mode}, {average}, 2 years", lambda m=mode, a=average: build_table(
        la=la, year=year, years=2, comparators=m, sn_average=a)) for mode in ("dfe", "as-published", "pooled")
        for average in ("mean", "median")]
    cases.append((f"build_table dfe, mean, {len(years)} years (the trends' table)",
                  lambda: build_table(la=la, year=year, years=len(years), comparators="dfe")))
    for name, build in cases:
        median, queries = measure(build, args.runs)
        print(f"| {name} | {median:.1f} | {queries} |")
    for mode in ("dfe", "as-published"):
        choice = selectors.Choice(year, mode)
        trend_years = selectors.trend_years(la, year)
        for name, build in ((f"selectors.core_table {mode}", lambda c=choice: selectors.core_table(la, c)),
                            (f"selectors.trends {mode}", lambda c=choice: selectors.trends(la, c)),
                            (f"selectors.releases_used {mode}",
                             lambda c=choice, t=trend_years: selectors.releases_used(la, c, t))):
            median, queries = measure(build, args.runs, clear=cache.clear)
            print(f"| {name} (cache cleared) | {median:.1f} | {queries} |")
    print(f"load after: {os.getloadavg()[0]:.2f}")
    if args.dump:
        dump(args.dump, la, years)


def dump(path, la, years):
    from safeguarding.dashboard import selectors
    from safeguarding.indicators.table import build_table

    with open(path, "w") as out:
        for year in sorted(years):
            for mode in ("dfe", "as-published", "pooled"):
                for average in ("mean", "median"):
                    for extra in (False, True):
                        for span in (2, len(years)):
                            table = build_table(la=la, year=year, years=span, comparators=mode, sn_average=average,
                                                extra_rows=extra)
                            out.write(f"{year} {mode} {average} extra={extra} years={span}\n{table!r}\n")
                    if mode != "pooled":
                        choice = selectors.Choice(year, mode, average)
                        out.write(f"trends {choice}\n{selectors.trends(la, choice)!r}\n")
                        out.write(f"releases {choice}\n"
                                  f"{selectors.releases_used(la, choice, selectors.trend_years(la, year))!r}\n")


if __name__ == "__main__":
    main()
