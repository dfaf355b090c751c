"""The indicator engine at national scale, beside a straightforward pandas implementation (issue 4, point 7).

1. Generate every authority's returns for six years (``generate_returns --all-las --years 2020-2025``), timed;
   or reuse a folder with ``--national``. Skipped when the store of step 2 exists already.
2. Import them all into one DuckDB store, one return after another (DuckDB allows one writing process), timed;
   or reuse a store with ``--store`` (kept unless ``--store`` was not given).
3. In a fresh process: ``Engine(url, schema).core()`` (every core indicator for every authority and year),
   ``--runs`` times (connection and query each time), median and peak RSS; then, on the same connection in the
   same run, ``Engine.decision_points()`` (disproportionality at each decision point, ADR 0028), timed apart, and
   how much it adds to the core run (issue 16, point 5: target under 50%).
4. In another fresh process: ``pandas_reference.load`` (the tables into DataFrames) and
   ``pandas_reference.compute`` (the same definitions in pandas), each timed, ``--runs`` times, peak RSS; twice:
   re-referrals from the previous referral date the importer stores (the engine's definition), and worked out
   by merging each child's referrals (what both did before the importer stored that date).
5. Checks the results are identical (every authority, year and indicator) and prints a markdown table.

Peak RSS is ``getrusage(RUSAGE_SELF).ru_maxrss`` of each measuring process; "before" is the same figure after
the modules were imported and before the first run. CPU seconds (user + system, all threads) are given beside
wall seconds because the machine is shared.

Usage (from the project root):

    .venv/bin/python perf/national_engine.py [--work /tmp/national-bench] [--national DIR]
        [--store FILE.duckdb] [--years 2020-2025] [--seed 1] [--runs 3] [--json results.json]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measuring import ENV, ROOT, cpu_s, django_setup, peak_rss_mb

HERE = Path(__file__).resolve().parent
SCHEMA = "child_level"


# -- steps 1 and 2 --------------------------------------------------------------------------------------------

def generate(out, years, seed):
    command = [sys.executable, "manage.py", "generate_returns", "--all-las", "--years", years, "--out", str(out),
               "--seed", str(seed)]
    print("$ DEBUG=1 " + " ".join(command[1:]), file=sys.stderr)
    t = time.perf_counter()
    subprocess.run(command, check=True, env=ENV, cwd=ROOT)
    return time.perf_counter() - t


def import_all(national, store_path):
    """Every authority's CIN census and SSDA903 (header + episodes) of every year, one import at a time."""
    django_setup()
    from safeguarding.returns.importer import import_return
    from safeguarding.returns.store import AnalyticalStore

    store = AnalyticalStore(f"duckdb:///{store_path}", schema=SCHEMA)
    returns = []
    for la_dir in sorted(p for p in Path(national).iterdir() if p.is_dir()):
        for year_dir in sorted(p for p in la_dir.iterdir() if p.is_dir()):
            files = sorted(year_dir.iterdir())
            returns.append((la_dir.name, [p for p in files if p.suffix == ".xml"]))
            returns.append((la_dir.name, [p for p in files if p.name.endswith(("_header.csv", "_episodes.csv"))]))
    size = sum(p.stat().st_size for _, files in returns for p in files)
    t, c = time.perf_counter(), cpu_s()
    for number, (la, files) in enumerate(returns, start=1):
        import_return(files, la=la, store=store)
        if number % 50 == 0:
            elapsed = time.perf_counter() - t
            print(f"  imported {number}/{len(returns)} returns in {elapsed:.0f} s", file=sys.stderr)
    return {"returns": len(returns), "mb": size / 1e6, "seconds": time.perf_counter() - t, "cpu_s": cpu_s() - c,
            "peak_rss_mb": peak_rss_mb()}


def store_rows(store_path):
    import duckdb

    con = duckdb.connect(str(store_path), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1", [SCHEMA]).fetchall()]
        rows = {t: con.execute(f"SELECT count(*) FROM {SCHEMA}.{t}").fetchone()[0] for t in tables}
        pairs = con.execute(f"SELECT count(DISTINCT la), count(DISTINCT year) FROM {SCHEMA}.cin_episodes").fetchone()
        return {"rows": rows, "authorities": pairs[0], "years": pairs[1]}
    finally:
        con.close()


# -- steps 3 and 4, each in a fresh process (``--measure``) ----------------------------------------------------

def measure_engine(store_path, runs, out):
    import ibis  # noqa: F401  (imported before the baseline, like the app has it loaded)

    from safeguarding.indicators.engine.run import Engine

    baseline = peak_rss_mb()
    seconds, cpus, result = [], [], None
    decision_s, decision_cpu, decisions = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), cpu_s()
        engine = Engine(f"duckdb:///{store_path}", SCHEMA)
        result = engine.core()
        seconds.append(time.perf_counter() - t)
        cpus.append(cpu_s() - c)
        t, c = time.perf_counter(), cpu_s()
        decisions = engine.decision_points()
        decision_s.append(time.perf_counter() - t)
        decision_cpu.append(cpu_s() - c)
        engine.close()
    Path(out).write_text(json.dumps({f"{la}|{year}": v for (la, year), v in result.items()}))
    referred = sum(points[("all", "All children")]["referred"] for points in decisions.values())
    return {"runs_s": seconds, "cpu_runs_s": cpus, "baseline_rss_mb": baseline, "peak_rss_mb": peak_rss_mb(),
            "decision_runs_s": decision_s, "decision_cpu_runs_s": decision_cpu,
            "decision_authority_years": len(decisions), "decision_children": referred}


def measure_pandas(store_path, runs, out, rereferrals="stored"):
    sys.path.insert(0, str(HERE))
    import duckdb  # noqa: F401
    import pandas  # noqa: F401

    import pandas_reference

    baseline = peak_rss_mb()
    load_s, load_cpu, compute_s, compute_cpu, result = [], [], [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), cpu_s()
        tables = pandas_reference.load(str(store_path), SCHEMA)
        load_s.append(time.perf_counter() - t)
        load_cpu.append(cpu_s() - c)
        t, c = time.perf_counter(), cpu_s()
        result = pandas_reference.compute(tables, rereferrals=PANDAS_REREFERRALS[rereferrals](pandas_reference))
        compute_s.append(time.perf_counter() - t)
        compute_cpu.append(cpu_s() - c)
        del tables
    Path(out).write_text(json.dumps({f"{la}|{year}": v for (la, year), v in result.items()}))
    return {"load_runs_s": load_s, "load_cpu_runs_s": load_cpu, "runs_s": compute_s, "cpu_runs_s": compute_cpu,
            "baseline_rss_mb": baseline, "peak_rss_mb": peak_rss_mb()}


PANDAS_REREFERRALS = {"stored": lambda m: m.re_referrals, "merge": lambda m: m.re_referrals_by_merge}


def run_measure(kind, store_path, runs, out, rereferrals="stored"):
    command = [sys.executable, __file__, "--measure", kind, "--store", str(store_path), "--runs", str(runs),
               "--result", str(out), "--rereferrals", rereferrals]
    done = subprocess.run(command, capture_output=True, text=True, env=ENV, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(engine_path, pandas_path):
    """Every (authority, year, indicator) that differs: [] when the results are identical."""
    a, b = json.loads(Path(engine_path).read_text()), json.loads(Path(pandas_path).read_text())
    differences = []
    for key in sorted(set(a) | set(b)):
        left, right = a.get(key, {}), b.get(key, {})
        for indicator in sorted(set(left) | set(right)):
            if left.get(indicator, "missing") != right.get(indicator, "missing"):
                differences.append((key, indicator, left.get(indicator, "missing"), right.get(indicator, "missing")))
    return differences, len(a), sum(len(v) for v in a.values())


def main():
    work = Path(ARGS.work)
    work.mkdir(parents=True, exist_ok=True)
    report = {"load_average_start": os.getloadavg()}
    national = Path(ARGS.national) if ARGS.national else work / "national"
    store_path = Path(ARGS.store) if ARGS.store else work / "national.duckdb"
    # The returns are needed only to build the store: a store that exists is measured as it is.
    if not store_path.exists() and not (national.exists() and any(national.iterdir())):
        report["generate_s"] = generate(national, ARGS.years, ARGS.seed)
        print(f"generated in {report['generate_s']:.0f} s", file=sys.stderr)
    if national.exists():
        report["generated_mb"] = sum(p.stat().st_size for p in national.rglob("*") if p.is_file()) / 1e6
    if not store_path.exists():
        print(f"importing into {store_path} …", file=sys.stderr)
        done = subprocess.run([sys.executable, __file__, "--measure", "import", "--national", str(national),
                               "--store", str(store_path)], capture_output=False, stdout=subprocess.PIPE, text=True,
                              env=ENV, cwd=ROOT)
        if done.returncode != 0:
            raise RuntimeError("import failed")
        report["import"] = json.loads(done.stdout.strip().splitlines()[-1])
    report["store"] = store_rows(store_path)
    report["store_mb"] = store_path.stat().st_size / 1e6
    print("computing with the engine …", file=sys.stderr)
    engine_out, pandas_out = work / "engine-result.json", work / "pandas-result.json"
    merge_out = work / "pandas-merge-result.json"
    report["engine"] = run_measure("engine", store_path, ARGS.runs, engine_out)
    print("computing with pandas …", file=sys.stderr)
    report["pandas"] = run_measure("pandas", store_path, ARGS.runs, pandas_out)
    print("computing with pandas, re-referrals by merge …", file=sys.stderr)
    report["pandas_merge"] = run_measure("pandas", store_path, ARGS.runs, merge_out, "merge")
    differences, pairs, values = compare(engine_out, pandas_out)
    differences += compare(engine_out, merge_out)[0]
    report["identical"] = not differences
    report["differences"] = differences[:50]
    report["compared"] = {"authority_years": pairs, "values": values}
    report["load_average_end"] = os.getloadavg()
    print(markdown(report))
    if ARGS.json:
        Path(ARGS.json).write_text(json.dumps(report, indent=2, default=str))
    if differences:
        print(f"\n{len(differences)} values differ, e.g. {differences[:5]}", file=sys.stderr)
        sys.exit(1)


def markdown(r):
    e, p, m = r["engine"], r["pandas"], r["pandas_merge"]
    med = statistics.median
    engine_s, pandas_s, load_s = med(e["runs_s"]), med(p["runs_s"]), med(p["load_runs_s"])
    merge_s, merge_load_s = med(m["runs_s"]), med(m["load_runs_s"])
    lines = []
    if "generate_s" in r:
        lines.append(f"- generation: {r['generate_s']:.0f} s, {r['generated_mb']:.0f} MB")
    elif "generated_mb" in r:
        lines.append(f"- generation: reused ({r['generated_mb']:.0f} MB)")
    else:
        lines.append("- generation: none (the store existed)")
    if "import" in r:
        i = r["import"]
        lines.append(f"- import: {i['returns']} returns, {i['mb']:.0f} MB in {i['seconds']:.0f} s wall, "
                     f"{i['cpu_s']:.0f} s CPU ({i['mb'] / i['seconds']:.1f} MB/s wall), peak RSS "
                     f"{i['peak_rss_mb']:.0f} MB")
    s = r["store"]
    lines.append(f"- store: {r['store_mb']:.0f} MB, {s['authorities']} authorities × {s['years']} years; rows: "
                 + ", ".join(f"{t} {n:,}" for t, n in s["rows"].items()))
    lines.append(f"- identical results: {'yes' if r['identical'] else 'NO'} ({r['compared']['values']:,} values, "
                 f"{r['compared']['authority_years']} authority-years)")
    lines.append("")
    lines.append("| | wall s (median of runs) | CPU s | runs (wall s) | peak RSS MB (before) |")
    lines.append("|---|---|---|---|---|")
    lines.append(f"| engine (DuckDB via Ibis), `Engine.core()` | {engine_s:.2f} | {med(e['cpu_runs_s']):.2f} | "
                 f"{', '.join(f'{x:.2f}' for x in e['runs_s'])} | {e['peak_rss_mb']:.0f} ({e['baseline_rss_mb']:.0f}) |")
    if "decision_runs_s" in e:
        decision_s, decision_cpu = med(e["decision_runs_s"]), med(e["decision_cpu_runs_s"])
        lines.append(f"| decision points, `Engine.decision_points()`, same connection after `core()` | "
                     f"{decision_s:.2f} | {decision_cpu:.2f} | {', '.join(f'{x:.2f}' for x in e['decision_runs_s'])} | |")
    lines.append(f"| pandas: load tables | {load_s:.2f} | {med(p['load_cpu_runs_s']):.2f} | "
                 f"{', '.join(f'{x:.2f}' for x in p['load_runs_s'])} | |")
    lines.append(f"| pandas: compute | {pandas_s:.2f} | {med(p['cpu_runs_s']):.2f} | "
                 f"{', '.join(f'{x:.2f}' for x in p['runs_s'])} | {p['peak_rss_mb']:.0f} ({p['baseline_rss_mb']:.0f}) |")
    lines.append(f"| pandas: load + compute | {load_s + pandas_s:.2f} | "
                 f"{med(p['load_cpu_runs_s']) + med(p['cpu_runs_s']):.2f} | | |")
    lines.append(f"| pandas, re-referrals by merge: load tables | {merge_load_s:.2f} | "
                 f"{med(m['load_cpu_runs_s']):.2f} | {', '.join(f'{x:.2f}' for x in m['load_runs_s'])} | |")
    lines.append(f"| pandas, re-referrals by merge: compute | {merge_s:.2f} | {med(m['cpu_runs_s']):.2f} | "
                 f"{', '.join(f'{x:.2f}' for x in m['runs_s'])} | {m['peak_rss_mb']:.0f} ({m['baseline_rss_mb']:.0f}) |")
    lines.append(f"| pandas, re-referrals by merge: load + compute | {merge_load_s + merge_s:.2f} | "
                 f"{med(m['load_cpu_runs_s']) + med(m['cpu_runs_s']):.2f} | | |")
    lines.append("")
    if "decision_runs_s" in e:
        lines.append(f"Decision points: {e['decision_children']:,} children referred in "
                     f"{e['decision_authority_years']} authority-years; they add {100 * decision_s / engine_s:.0f}% "
                     f"to the core run by wall time ({100 * decision_cpu / med(e['cpu_runs_s']):.0f}% by CPU "
                     "seconds); target under 50%.")
        lines.append("")
    lines.append(f"Speed-up (wall): {pandas_s / engine_s:.1f}× over pandas compute alone, "
                 f"{(load_s + pandas_s) / engine_s:.1f}× over pandas load + compute; by merge "
                 f"{merge_s / engine_s:.1f}× and {(merge_load_s + merge_s) / engine_s:.1f}×. "
                 f"Load average: {r['load_average_start']} at the start, {r['load_average_end']} at the end.")
    return "\n".join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "national-bench"))
    parser.add_argument("--national", help="reuse this generate_returns --all-las output")
    parser.add_argument("--store", help="reuse (or create) this DuckDB store file")
    parser.add_argument("--years", default="2020-2025")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", help="also write every measurement here")
    parser.add_argument("--measure", choices=["import", "engine", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--rereferrals", choices=sorted(PANDAS_REREFERRALS), default="stored", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


if __name__ == "__main__":
    ARGS = parse_args()
    if ARGS.measure == "import":
        print(json.dumps(import_all(ARGS.national, ARGS.store)))
    elif ARGS.measure:
        django_setup()
        if ARGS.measure == "engine":
            print(json.dumps(measure_engine(ARGS.store, ARGS.runs, ARGS.result)))
        else:
            print(json.dumps(measure_pandas(ARGS.store, ARGS.runs, ARGS.result, ARGS.rereferrals)))
    else:
        main()
