"""What the columns the store works out after each import (returns/store.py: REFERRAL_POINTS, LOOKED_AFTER; ADR
0028) cost an import: their UPDATEs run for every return of a store, one return after another, under the import's
settings (one thread, DUCKDB_IMPORT_MEMORY_LIMIT), each in a transaction rolled back, so the store is unchanged.
The store must have the columns already (``AnalyticalStore.upgrade()``; run it on a copy).

Usage (from the project root):

    .venv/bin/python perf/derived_columns.py --store /tmp/national6.duckdb
"""
import argparse
import os
import time

from measuring import cpu_s, django_setup


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="a DuckDB store (schema child_level) with the columns")
    args = parser.parse_args()
    django_setup()
    import duckdb

    from safeguarding.returns import store

    con = duckdb.connect(args.store, config={"memory_limit": store.DUCKDB_MEMORY_LIMIT})
    con.execute(f"SET memory_limit = '{store.DUCKDB_IMPORT_MEMORY_LIMIT}'")
    con.execute("SET threads = 1")

    def table(name):
        return f"child_level.{name}"

    returns = con.execute("SELECT DISTINCT la, year FROM child_level.cin_children ORDER BY 1, 2").fetchall()
    wall, cpu, worst = {}, {}, {}
    for la, year in returns:
        for kind in ("cin", "ssda903"):
            con.execute("BEGIN TRANSACTION")
            t, c = time.perf_counter(), cpu_s()
            for sql in store.derived_sql(table, kind):
                con.execute(sql, (la, year))
            wall[kind] = wall.get(kind, 0) + time.perf_counter() - t
            used = cpu_s() - c
            cpu[kind] = cpu.get(kind, 0) + used
            worst[kind] = max(worst.get(kind, 0), used)
            con.execute("ROLLBACK")
    print(f"{len(returns)} returns of each kind, load average {os.getloadavg()[0]:.1f} at the end")
    for kind in ("cin", "ssda903"):
        print(f"after each {kind} return: {wall[kind]:.1f} s wall, {cpu[kind]:.1f} s CPU in all; "
              f"worst return {worst[kind]:.3f} s CPU")


if __name__ == "__main__":
    main()
