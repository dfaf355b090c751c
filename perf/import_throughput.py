"""Import throughput and peak memory: our importer beside csc-validator-be-cin's XML-to-tables conversion and a
bare lxml pass (issue 3, point 8).

For each file set it measures, each in a fresh process so peak RSS (getrusage ru_maxrss) belongs to that
measurement alone:

- ``ours``: ``import_return`` into a new DuckDB store, after a warm-up import of a small return in the same
  process so module import and Django start-up are not counted (they are reported as ``startup``);
- ``parse-only``: the same, with ``store._Writer.flush`` replaced by one that drops the rows, to show how the
  time splits between reading the XML and writing the store (the app is not edited: a monkeypatch);
- ``bare``: the floor no importer can beat: ``lxml.etree.iterparse(tag="Child")`` counting children and
  clearing each (for SSDA903: ``csv.reader`` over the header and episodes files, counting rows);
- ``converter``: csc-validator-be-cin's own conversion, ``ET.parse`` + ``cin_validator.convert_data`` (what its
  command line runs before the rules), in its own venv, one run, killed after ``--timeout`` seconds.

``ours``, ``parse-only`` and ``bare`` are the median of ``--runs`` runs; the converter runs once.

Files: CIN census XML for Southwark (210), 2021, generated at ``--scales`` (2.3 gives about 10 MB, 23 about 100
MB); SSDA903 at national scale: every authority's header and episodes of one year (``--national-year``) from a
``generate_returns --all-las`` output (``--national DIR``; CHILD identifiers already carry the authority code, so
the concatenation has no clashes), imported as one return.

Usage (from the project root; the validators' venv is made with
``python3 -m venv /tmp/vvenv && /tmp/vvenv/bin/pip install csc-validator-be-cin csc-validator-be-903``):

    .venv/bin/python perf/import_throughput.py [--work /tmp/import-bench] [--scales 2.3,23]
        [--national /tmp/national] [--national-year 2021] [--runs 3] [--timeout 600]
        [--converter-python /tmp/vvenv/bin/python] [--no-converter] [--json results.json]
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measuring import ENV, ROOT, cpu_s, django_setup, peak_rss_mb


# -- measurements, each run in a fresh process (``--measure``) ------------------------------------------------

def _import(paths, la, workdir):
    from safeguarding.returns.importer import import_return
    from safeguarding.returns.store import AnalyticalStore

    store = AnalyticalStore(f"duckdb:///{workdir}/{time.monotonic_ns()}.duckdb", schema="child_level")
    return import_return(paths, la=la, store=store)


def measure_ours(paths, warmup, parse_only):
    t0 = time.perf_counter()
    django_setup()
    workdir = tempfile.mkdtemp(prefix="import-bench-")
    try:
        _import(warmup, "210", workdir)  # loads every module the import uses
        startup = time.perf_counter() - t0
        if parse_only:
            from safeguarding.returns import store

            def discard(self, table):
                rows = self.buffers[table]
                self.counts[table] = self.counts.get(table, 0) + len(rows)
                self.buffers[table] = []

            store._Writer.flush = discard
        baseline = peak_rss_mb()
        t, c = time.perf_counter(), cpu_s()
        result = _import(paths, "210", workdir)
        seconds, cpu = time.perf_counter() - t, cpu_s() - c
        return {"seconds": seconds, "cpu_s": cpu, "startup_s": startup, "baseline_rss_mb": baseline, "peak_rss_mb": peak_rss_mb(),
                "counts": result.counts}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def measure_bare(paths):
    from lxml import etree

    baseline = peak_rss_mb()
    t, c = time.perf_counter(), cpu_s()
    if len(paths) == 1 and paths[0].endswith(".xml"):
        n = 0
        for _, element in etree.iterparse(paths[0], events=("end",), tag="Child", resolve_entities=False,
                                          no_network=True, load_dtd=False, huge_tree=False):
            n += 1
            element.clear(keep_tail=True)
            parent = element.getparent()
            while element.getprevious() is not None:
                del parent[0]
        counts = {"children": n}
    else:
        import csv

        counts = {}
        for path in paths:
            with open(path, newline="", encoding="utf-8") as handle:
                counts[Path(path).name] = sum(1 for _ in csv.reader(handle)) - 1
    seconds, cpu = time.perf_counter() - t, cpu_s() - c
    return {"seconds": seconds, "cpu_s": cpu, "baseline_rss_mb": baseline, "peak_rss_mb": peak_rss_mb(), "counts": counts}


# Runs in the validators' venv: exactly what `python -m cin_validator` does before the rules.
CONVERTER = r"""
import json, logging, resource, sys, time, warnings
warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)
import xml.etree.ElementTree as ET
from cin_validator import cin_validator
def cpu():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
c0, t0 = cpu(), time.perf_counter()
root = ET.parse(sys.argv[1]).getroot()
t1 = time.perf_counter()
tables = cin_validator.convert_data(root)
t2 = time.perf_counter()
print(json.dumps({"seconds": t2 - t0, "cpu_s": cpu() - c0, "parse_s": t1 - t0, "convert_s": t2 - t1, "baseline_rss_mb": baseline,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "counts": {k: len(v) for k, v in tables.items()}}))
"""


def run_measure(kind, paths, warmup=(), timeout=None):
    """One measurement in a fresh process; returns its JSON (plus wall time), or {"timeout": True}."""
    if kind == "converter":
        command = [ARGS.converter_python, "-c", CONVERTER, *paths]
    else:
        command = [sys.executable, __file__, "--measure", kind, "--warmup", ",".join(warmup), *paths]
    t = time.perf_counter()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=ENV, cwd=ROOT)
    except subprocess.TimeoutExpired:
        # The killed process has been waited for, so its CPU time is in RUSAGE_CHILDREN.
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
        return {"timeout": True, "seconds": time.perf_counter() - t, "cpu_s": cpu}
    if done.returncode != 0:
        raise RuntimeError(f"{kind} failed on {paths}:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_wall_s"] = time.perf_counter() - t
    return result


def median_of(kind, paths, warmup, runs):
    results = [run_measure(kind, paths, warmup) for _ in range(runs)]
    seconds = [r["seconds"] for r in results]
    best = sorted(results, key=lambda r: r["seconds"])[len(results) // 2]
    return {**best, "runs_s": seconds, "seconds": statistics.median(seconds),
            "cpu_runs_s": [r["cpu_s"] for r in results], "cpu_s": statistics.median(r["cpu_s"] for r in results),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in results)}


# -- files ----------------------------------------------------------------------------------------------------

def generate(out, la, years, scale, seed=1, all_las=False):
    command = [sys.executable, "manage.py", "generate_returns", "--years", years, "--out", str(out),
               "--seed", str(seed), "--scale", str(scale)]
    command += ["--all-las"] if all_las else ["--la", la]
    t = time.perf_counter()
    subprocess.run(command, check=True, env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def cin_file(work, scale):
    folder = work / f"cin-210-2021-scale-{scale}"
    path = folder / "210" / "2021" / "cin_census_210_2021.xml"
    if not path.exists():
        print(f"generating the CIN census at scale {scale} …", file=sys.stderr)
        generate(folder, "210", "2021", scale)
    return path


def warmup_files(work):
    folder = work / "warmup"
    if not (folder / "210" / "2021").exists():
        generate(folder, "210", "2021", 0.05)
    files = sorted((folder / "210" / "2021").iterdir())
    xml = [str(p) for p in files if p.suffix == ".xml"]
    csvs = [str(p) for p in files if p.name.endswith(("_header.csv", "_episodes.csv"))]
    return xml, csvs


def national_903(work, national, year):
    """Every authority's header and episodes of one year, concatenated into one header and one episodes file."""
    out = work / f"ssda903-national-{year}"
    header, episodes = out / "ssda903_national_header.csv", out / "ssda903_national_episodes.csv"
    if header.exists() and episodes.exists():
        return [str(header), str(episodes)]
    out.mkdir(parents=True, exist_ok=True)
    las = sorted(p.name for p in Path(national).iterdir() if (p / str(year)).is_dir())
    for kind, target in (("header", header), ("episodes", episodes)):
        with open(target, "w", encoding="utf-8", newline="") as sink:
            first = True
            for la in las:
                source = Path(national) / la / str(year) / f"ssda903_{la}_{year}_{kind}.csv"
                with open(source, encoding="utf-8", newline="") as handle:
                    head = handle.readline()
                    if first:
                        sink.write(head)
                        first = False
                    shutil.copyfileobj(handle, sink)
    return [str(header), str(episodes)]


# -- report ---------------------------------------------------------------------------------------------------

def mb(paths):
    return sum(os.path.getsize(p) for p in paths) / 1e6


def timing(result):
    """'wall s (CPU s)'."""
    if result is None:
        return "–"
    if result.get("timeout"):
        return f"did not finish in {ARGS.timeout / 60:.0f} min (killed after {result['cpu_s']:.0f} s CPU)"
    return f"{result['seconds']:.2f} ({result['cpu_s']:.2f})"


def speed(size, result):
    if result is None or result.get("timeout"):
        return "–"
    return f"{size / result['seconds']:.1f} ({size / result['cpu_s']:.1f})"


def ratio(ours, other, key):
    """How many times faster ours is than `other` (time of other ÷ time of ours); a lower bound on a timeout."""
    if other is None:
        return "–"
    if other.get("timeout"):
        return f"> {other[key] / ours[key]:.0f}×"
    return f"{other[key] / ours[key]:.2f}×" if other[key] < 10 * ours[key] else f"{other[key] / ours[key]:.0f}×"


def table(rows):
    """Times as 'wall (CPU)' seconds, speeds as 'wall (CPU)' MB/s."""
    lines = [
        "| file | MB | ours: s | ours: MB/s | ours: peak RSS MB (before) | parse-only: s | bare pass: s | bare: MB/s "
        "| converter: s | converter: MB/s | converter: peak RSS MB | ours ÷ converter (wall; CPU) "
        "| ours ÷ bare (wall; CPU) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        size, ours, parse, bare, conv = row["mb"], row["ours"], row["parse_only"], row["bare"], row.get("converter")
        conv_rss = "–" if conv is None or conv.get("timeout") else f"{conv['peak_rss_mb']:.0f}"
        vs_conv = "–" if conv is None else f"{ratio(ours, conv, 'seconds')}; {ratio(ours, conv, 'cpu_s')}"
        vs_bare = f"{bare['seconds'] / ours['seconds']:.2f}; {bare['cpu_s'] / ours['cpu_s']:.2f}"
        lines.append(
            f"| {row['name']} | {size:.1f} | {timing(ours)} | {speed(size, ours)} | "
            f"{ours['peak_rss_mb']:.0f} ({ours['baseline_rss_mb']:.0f}) | {timing(parse)} | {timing(bare)} | "
            f"{speed(size, bare)} | {timing(conv)} | {speed(size, conv)} | {conv_rss} | {vs_conv} | {vs_bare} |")
    return "\n".join(lines)


def main():
    work = Path(ARGS.work)
    work.mkdir(parents=True, exist_ok=True)
    warm_xml, warm_903 = warmup_files(work)
    sets = [(f"CIN 210 2021 ×{s}", [str(cin_file(work, s))], warm_xml, True) for s in ARGS.scales.split(",")]
    if ARGS.national:
        files = national_903(work, ARGS.national, ARGS.national_year)
        sets.append((f"SSDA903 national {ARGS.national_year} (header + episodes)", files, warm_903, False))
    rows = []
    for name, paths, warmup, is_cin in sets:
        print(f"measuring {name} ({mb(paths):.1f} MB) …", file=sys.stderr)
        row = {"name": name, "paths": paths, "mb": mb(paths),
               "ours": median_of("ours", paths, warmup, ARGS.runs),
               "parse_only": median_of("parse-only", paths, warmup, ARGS.runs),
               "bare": median_of("bare", paths, warmup, ARGS.runs)}
        if is_cin and not ARGS.no_converter:
            row["converter"] = run_measure("converter", paths, timeout=ARGS.timeout)
        rows.append(row)
        print(f"  ours {row['ours']['runs_s']} parse-only {row['parse_only']['runs_s']} "
              f"bare {row['bare']['runs_s']} converter {timing(row.get('converter'))}", file=sys.stderr)
    print(table(rows))
    print(f"\nload average after the run: {os.getloadavg()}")
    if ARGS.json:
        Path(ARGS.json).write_text(json.dumps(rows, indent=2, default=str))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "import-bench"))
    parser.add_argument("--scales", default="2.3,23", help="CIN scales for Southwark 2021 (2.3 ≈ 10 MB, 23 ≈ 100 MB)")
    parser.add_argument("--national", help="a generate_returns --all-las output folder, for the SSDA903 row")
    parser.add_argument("--national-year", type=int, default=2021)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed to the converter per file")
    parser.add_argument("--converter-python", default="/tmp/vvenv/bin/python")
    parser.add_argument("--no-converter", action="store_true")
    parser.add_argument("--json", help="also write every measurement here")
    parser.add_argument("--measure", choices=["ours", "parse-only", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--warmup", default="", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


if __name__ == "__main__":
    ARGS = parse_args()
    if ARGS.measure:
        warmup = [p for p in ARGS.warmup.split(",") if p]
        if ARGS.measure == "bare":
            out = measure_bare(ARGS.paths)
        else:
            out = measure_ours(ARGS.paths, warmup, parse_only=ARGS.measure == "parse-only")
        print(json.dumps(out, default=str))
    else:
        main()
