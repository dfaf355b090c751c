"""The national run side by side (issue 18, point 4): the engine on DuckDB, on Spark local and on PostgreSQL, a Polars
implementation of the same definitions (polars_reference.py) and the two pandas baselines (pandas_reference.py),
on one national store, each in a fresh process; then a pool ten times larger on DuckDB and on Spark.

1. The store (``perf/national_engine.py`` builds one: every authority x 2020-2025) is exported to a pool
   (``export_pool``'s code; reused when ``WORK/pool`` exists).
2. Each method runs ``--runs`` times in its own process: the first run is "cold" (the first in the process: connections,
   the JVM's code, file caches of the process), the median of the others is "warm": the process already running and
   the store's or the pool's files in the page cache; ``duckdb-store`` opens and closes its connection in every run
   (as the CLI and the web's recompute do), ``duckdb-store-kept`` keeps one open from the first. Spark's session start-up is
   timed apart. CPU seconds are user + system of the process and its children while running (the JVM's, read from
   /proc, for Spark); peak memory is the process's peak RSS (VmHWM) plus, for Spark, the JVM's.
3. Every method's result is compared value by value with the engine's on the DuckDB store.
4. ``--scale N``: a pool N times larger, the national pool's files linked again under N sets of authority codes
   (authority 210 becomes 210, 210_1 … 210_{N-1}; each copy's figures are the original's, which is checked), run
   on DuckDB and on Spark.

PostgreSQL: give ``--pg-url`` (e.g. under ``scripts/with-postgres``: ``--pg-url "$DATABASE_URL"``); the pool is
loaded into schema ``national`` by COPY first (timed, not part of the figures).

    nice -n 10 .venv/bin/python perf/engines_side_by_side.py --store national.duckdb --work /tmp/side \
        [--pg-url URL] [--runs 5] [--scale 10] [--json results.json]
"""
import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from measuring import ENV, ROOT

HERE = Path(__file__).resolve().parent
SCHEMA = "child_level"
PG_SCHEMA = "national"


# -- measuring one process (and its JVM) ----------------------------------------------------------------------

def _children():
    import psutil

    return psutil.Process().children(recursive=True)


def cpu_s():
    """User + system seconds of this process and its live children (Spark's JVM)."""
    import psutil

    own = psutil.Process().cpu_times()
    total = own.user + own.system
    for child in _children():
        try:
            times = child.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def peak_mb():
    """Peak RSS of this process plus that of each live child (VmHWM)."""
    total = 0
    for pid in [os.getpid()] + [c.pid for c in _children()]:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


def timed(runs, run):
    seconds, cpus, result = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), cpu_s()
        result = run()
        seconds.append(time.perf_counter() - t)
        cpus.append(cpu_s() - c)
    return seconds, cpus, result


def measure(kind, args):
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    out = {"kind": kind}
    if kind in ("duckdb-store", "postgres"):
        from safeguarding.indicators.engine.run import Engine

        url, schema = (f"duckdb:///{args.store}", SCHEMA) if kind == "duckdb-store" else (args.pg_url, PG_SCHEMA)

        def run():
            engine = Engine(url, schema)
            try:
                return engine.core()
            finally:
                engine.close()
    elif kind == "duckdb-store-kept":
        from safeguarding.indicators.engine.run import Engine

        engine = Engine(f"duckdb:///{args.store}", SCHEMA)  # one connection, kept: a long-running process

        def run():
            return engine.core()
    elif kind in ("duckdb-pool", "spark"):
        from safeguarding.indicators.engine import pool

        if kind == "spark":
            t, c = time.perf_counter(), cpu_s()
            session = pool.spark_session(args.master, config={"spark.driver.memory": args.spark_memory})
            session.sparkContext.setLogLevel("ERROR")
            con = pool.spark_connect(session)
            out["startup_s"], out["startup_cpu_s"] = time.perf_counter() - t, cpu_s() - c
            tables, _ = pool.pool_tables(con, [args.pool])
            from safeguarding.indicators.engine.run import Engine

            def run():
                return Engine(None, None, con=con, tables=tables).core()
        else:
            def run():
                engine, _ = pool.open_engine([args.pool], "duckdb")
                try:
                    return engine.core()
                finally:
                    engine.close()
    elif kind == "polars":
        import polars_reference

        def run():
            return polars_reference.compute(args.pool)
    elif kind in ("pandas", "pandas-merge"):
        import pandas_reference

        rereferrals = pandas_reference.re_referrals if kind == "pandas" else pandas_reference.re_referrals_by_merge

        def run():
            return pandas_reference.compute(pandas_reference.load(str(args.store), SCHEMA), rereferrals=rereferrals)
    else:
        raise SystemExit(f"unknown method {kind}")
    out["baseline_mb"] = peak_mb()
    out["runs_s"], out["cpu_runs_s"], result = timed(args.runs, run)
    out["peak_mb"] = peak_mb()
    Path(args.result).write_text(json.dumps({f"{la}|{year}": v for (la, year), v in result.items()}))
    return out


def run_measure(kind, args, pool_folder, result):
    command = [sys.executable, __file__, "--measure", kind, "--store", str(args.store), "--pool", str(pool_folder),
               "--runs", str(args.runs), "--result", str(result), "--master", args.master,
               "--spark-memory", args.spark_memory]
    if args.pg_url:
        command += ["--pg-url", args.pg_url]
    print(f"  {kind} …", file=sys.stderr)
    done = subprocess.run(command, capture_output=True, text=True, env=ENV, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the pool, its larger copy, and PostgreSQL ----------------------------------------------------------------

def export_pool(store, folder):
    sys.path.insert(0, str(ROOT))
    import ibis

    from safeguarding.indicators.engine import pool
    from safeguarding.returns.store import TABLES

    con = ibis.duckdb.connect(str(store), read_only=True)
    t = time.perf_counter()
    rows = pool.export(con, SCHEMA, TABLES, folder, key_fingerprint="benchmark")
    con.disconnect()
    return {"seconds": time.perf_counter() - t, "rows": sum(rows.values())}


def scaled_pool(source, folder, times):
    """`times` copies of a pool under new authority codes, by hard links (no file is written twice)."""
    manifest = json.loads((source / "_pool.json").read_text())
    folder.mkdir(parents=True)
    for table in manifest["tables"]:
        for la_dir in (source / table).glob("la=*"):
            for copy in range(times):
                target = folder / table / (la_dir.name if copy == 0 else f"{la_dir.name}_{copy}")
                for path in la_dir.rglob("*.parquet"):
                    destination = target / path.relative_to(la_dir)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    os.link(path, destination)
    manifest["returns"] = []
    (folder / "_pool.json").write_text(json.dumps(manifest))


def load_postgres(pool_folder, url):
    """The pool's tables the engine reads into schema PG_SCHEMA, by COPY (CSV made by pyarrow)."""
    import psycopg
    import pyarrow.csv as pacsv
    import pyarrow.dataset as ds

    manifest = json.loads((Path(pool_folder) / "_pool.json").read_text())
    t = time.perf_counter()
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as con:
        con.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
        con.execute(f"CREATE SCHEMA {PG_SCHEMA}")
        for table, columns in manifest["tables"].items():
            names = [c for c, _ in columns]
            con.execute(f"CREATE TABLE {PG_SCHEMA}.{table} ({', '.join(f'{c} {k}' for c, k in columns)})")
            files = sorted((Path(pool_folder) / table).rglob("*.parquet"))
            if not files:
                continue
            dataset = ds.dataset(Path(pool_folder) / table, format="parquet", partitioning="hive")
            with con.cursor() as cur, cur.copy(f"COPY {PG_SCHEMA}.{table} ({', '.join(names)}) FROM STDIN "
                                               "(FORMAT csv)") as copy:
                for batch in dataset.to_batches(columns=names, batch_size=200_000):
                    buffer = io.BytesIO()
                    pacsv.write_csv(batch, buffer, pacsv.WriteOptions(include_header=False))
                    copy.write(buffer.getvalue())
            con.execute(f"CREATE INDEX ON {PG_SCHEMA}.{table} (la, year)")
            con.execute(f"ANALYZE {PG_SCHEMA}.{table}")
    return time.perf_counter() - t


def compare(reference, other):
    a, b = json.loads(Path(reference).read_text()), json.loads(Path(other).read_text())
    differences = [(key, code) for key in sorted(set(a) | set(b)) for code in sorted(set(a.get(key, {}))
                   | set(b.get(key, {}))) if a.get(key, {}).get(code, "missing") != b.get(key, {}).get(code, "missing")]
    return differences


# -- the whole benchmark --------------------------------------------------------------------------------------

def main(args):
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    report = {"started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load_start": os.getloadavg(),
              "master": args.master}
    pool_folder = Path(args.pool) if args.pool else work / "pool"
    if not pool_folder.exists():
        report["export"] = export_pool(args.store, pool_folder)
    if args.pg_url:
        report["pg_load_s"] = load_postgres(pool_folder, args.pg_url)
    methods = [m for m in ["duckdb-store", "duckdb-store-kept", "duckdb-pool", "polars", "spark", "postgres", "pandas", "pandas-merge"]
               if m != "postgres" or args.pg_url]
    if args.only:
        methods = [m for m in methods if m in args.only]
    report["national"] = {}
    for method in methods:
        report["national"][method] = run_measure(method, args, pool_folder, work / f"{method}.json")
    reference = work / "duckdb-store.json"
    report["differences"] = {m: compare(reference, work / f"{m}.json")[:20] for m in methods if m != "duckdb-store"}
    if args.scale:
        big = work / f"pool-x{args.scale}"
        if not big.exists():
            scaled_pool(pool_folder, big, args.scale)
        report["scaled"] = {"times": args.scale, "mb": sum(p.stat().st_size for p in big.rglob("*.parquet")) / 1e6}
        for method in ("duckdb-pool", "spark"):
            report["scaled"][method] = run_measure(method, args, big, work / f"{method}-x{args.scale}.json")
            # Every copy of an authority has the original's figures.
            report["differences"][f"{method} x{args.scale}"] = check_copies(
                reference, work / f"{method}-x{args.scale}.json", args.scale)
    report["load_end"] = os.getloadavg()
    print(markdown(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=str))
    if any(report["differences"].values()):
        print(f"values differ: {report['differences']}", file=sys.stderr)
        sys.exit(1)


def check_copies(reference, scaled, times):
    """[] when every authority's every copy in the scaled result has the reference's figures."""
    a, b = json.loads(Path(reference).read_text()), json.loads(Path(scaled).read_text())
    wrong = []
    for key, values in a.items():
        la, year = key.split("|")
        for copy in range(times):
            copied = f"{la if copy == 0 else f'{la}_{copy}'}|{year}"
            if b.get(copied) != values:
                wrong.append(copied)
    if len(b) != len(a) * times:
        wrong.append(f"{len(b)} authority-years, expected {len(a) * times}")
    return wrong[:20]


LABELS = {"duckdb-store": "engine on DuckDB, the store file",
          "duckdb-store-kept": "engine on DuckDB, the store file, one connection kept", "duckdb-pool": "engine on DuckDB, the Parquet pool",
          "polars": "Polars by hand, the Parquet pool", "spark": "engine on Spark ({master}), the Parquet pool",
          "postgres": "engine on PostgreSQL", "pandas": "pandas (stored previous referral): load + compute",
          "pandas-merge": "pandas (re-referrals by merge): load + compute"}


def summary(m):
    runs = m["runs_s"]
    warm = runs[1:] or runs
    cpu_warm = m["cpu_runs_s"][1:] or m["cpu_runs_s"]
    return runs[0], statistics.median(warm), statistics.median(cpu_warm)


def markdown(r):
    med = {k: summary(m) for k, m in r["national"].items()}
    lines = [f"Started {r['started']}, load average {r['load_start']} → {r['load_end']}.", ""]
    if "export" in r:
        lines.append(f"- pool export: {r['export']['rows']:,} rows in {r['export']['seconds']:.1f} s")
    if "pg_load_s" in r:
        lines.append(f"- PostgreSQL load (COPY, indexes, ANALYZE): {r['pg_load_s']:.0f} s")
    lines += ["", "| method | first run s | warm s (median) | warm CPU s | × DuckDB store (warm wall) | peak RSS MB "
              "(before runs) | runs (wall s) |", "|---|---|---|---|---|---|---|"]
    base = med["duckdb-store"][1] if "duckdb-store" in med else None
    for kind, m in r["national"].items():
        first, warm, cpu = med[kind]
        ratio = f"{warm / base:.1f}×" if base else ""
        extra = f"; session start {m['startup_s']:.1f} s ({m['startup_cpu_s']:.1f} CPU s)" if "startup_s" in m else ""
        lines.append(f"| {LABELS[kind].format(master=r['master'])} | {first:.2f} | **{warm:.2f}** | {cpu:.2f} | {ratio} | {m['peak_mb']:.0f} "
                     f"({m['baseline_mb']:.0f}) | {', '.join(f'{x:.2f}' for x in m['runs_s'])}{extra} |")
    if "scaled" in r:
        s = r["scaled"]
        lines += ["", f"Pool ×{s['times']} ({s['mb']:.0f} MB of Parquet):", "",
                  "| method | first run s | warm s (median) | warm CPU s | peak RSS MB | runs |", "|---|---|---|---|---|---|"]
        for kind in ("duckdb-pool", "spark"):
            m = s[kind]
            first, warm, cpu = summary(m)
            lines.append(f"| {LABELS[kind].format(master=r['master'])} | {first:.2f} | **{warm:.2f}** | {cpu:.2f} | "
                         f"{m['peak_mb']:.0f} | "
                         f"{', '.join(f'{x:.2f}' for x in m['runs_s'])} |")
    lines.append("")
    lines.append("Identical to the engine on the DuckDB store: " + ", ".join(
        f"{k} {'yes' if not v else 'NO'}" for k, v in r["differences"].items()))
    return "\n".join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="a national DuckDB store (perf/national_engine.py)")
    parser.add_argument("--work", default="/tmp/side-by-side")
    parser.add_argument("--pool", help="the store's pool (default WORK/pool, exported if missing)")
    parser.add_argument("--pg-url", help="a PostgreSQL database to load the pool into and run on")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=0, help="also a pool this many times larger")
    parser.add_argument("--master", default="local[*]")
    parser.add_argument("--spark-memory", default="4g", help="spark.driver.memory (local mode: all of Spark)")
    parser.add_argument("--only", nargs="+", help="only these methods")
    parser.add_argument("--json")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


if __name__ == "__main__":
    ARGS = parse_args()
    if ARGS.measure:
        print(json.dumps(measure(ARGS.measure, ARGS)))
    else:
        main(ARGS)
