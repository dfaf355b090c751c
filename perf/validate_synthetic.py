"""Generate Southwark's synthetic 2020 and 2021 returns and run the DfE validation rules on them.

The rules are the PyPI packages csc-validator-be-cin and csc-validator-be-903, installed in their own
virtual environment because they pin an old pandas:

    python3 -m venv /tmp/vvenv && /tmp/vvenv/bin/pip install csc-validator-be-cin csc-validator-be-903

Usage: .venv/bin/python perf/validate_synthetic.py [--vpython /tmp/vvenv/bin/python]
       [--la 210] [--years 2020,2021] [--seed 0] [--scale 1] [--dfe-dir PATH]
Prints, per return, each rule code that fired with its count of flagged rows.  The earliest rule sets
the packages ship are cin2022_23 and lac2022_23, used for earlier years too.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from safeguarding.returns.synthetic import default_dfe_dir, generate, parse_years  # noqa: E402

# Runs inside the validators' venv: CIN rules on one XML file -> {rule code: count}.
CIN_RUNNER = r"""
import importlib, json, sys, logging, warnings
warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)
import xml.etree.ElementTree as ET
from cin_validator import cin_validator
path, ruleset = sys.argv[1], sys.argv[2]
root = ET.parse(path).getroot()
data = cin_validator.process_data(cin_validator.convert_data(root))
registry = getattr(importlib.import_module("cin_validator.rules." + ruleset), "registry")
v = cin_validator.CinValidator(data, registry)
out = {}
rep = v.user_report
if hasattr(rep, "groupby") and len(rep):
    for code, sub in rep.groupby("rule_code"):
        out[str(code)] = int(sub[["LAchildID", "ROW_ID", "tables_affected"]].drop_duplicates().shape[0])
multi = v.multichild_issues
if hasattr(multi, "iterrows"):
    for _, row in multi.iterrows():
        out[str(row["rule_code"])] = out.get(str(row["rule_code"]), 0) + 1
msgs = {str(k): r.message for k, r in registry.items()}
print(json.dumps({"counts": out, "messages": msgs}))
"""

# Runs inside the validators' venv: 903 rules on header + episodes CSVs -> {rule code: count}.
LAC_RUNNER = r"""
import importlib, json, sys, logging, warnings
warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)
from lac_validator import lac_validator
from lac_validator.utils import process_uploaded_files
header, episodes, ruleset, year, la_long = sys.argv[1:6]
files = process_uploaded_files({"This year": [open(header), open(episodes)]})
registry = getattr(importlib.import_module("lac_validator.rules." + ruleset), "registry")
v = lac_validator.LacValidator(metadata={"collectionYear": year, "localAuthority": la_long},
                                files=files, registry=registry, selected_rules=None)
out = {}
for table, df in v.ds_results.items():
    if not hasattr(df, "columns"):
        continue
    for col in df.columns:
        if str(col).startswith("ERR_"):
            n = int(df[col].fillna(False).astype(bool).sum())
            if n:
                code = col[4:]
                out[code] = out.get(code, 0) + n
msgs = {str(k): r.message for k, r in registry.items()}
print(json.dumps({"counts": out, "messages": msgs, "fails": v.fails}))
"""

LONG_CODES = {"210": "E09000028"}


def ruleset(prefix, year):
    y = min(max(year, 2023), 2026)  # the packages' rule sets run from 2022-23 to 2025-26
    return "%s%d_%02d" % (prefix, y - 1, y % 100)


def run(vpython, code, *args):
    res = subprocess.run([vpython, "-c", code, *args], capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit("validator failed:\n" + res.stderr[-3000:])
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vpython", default="/tmp/vvenv/bin/python")
    ap.add_argument("--la", default="210")
    ap.add_argument("--years", default="2020,2021")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--dfe-dir", default=None)
    ap.add_argument("--keep", default=None, help="write the returns here instead of a temp dir")
    opts = ap.parse_args(argv)
    years = parse_years(opts.years)
    dfe = opts.dfe_dir or default_dfe_dir()
    with tempfile.TemporaryDirectory() as tmp:
        out = opts.keep or tmp
        generate(opts.la, years, out, opts.seed, opts.scale, dfe)
        for y in years:
            base = os.path.join(out, opts.la, str(y))
            cin = run(opts.vpython, CIN_RUNNER, os.path.join(base, "cin_census_%s_%d.xml" % (opts.la, y)),
                      ruleset("cin", y))
            lac = run(opts.vpython, LAC_RUNNER,
                      os.path.join(base, "ssda903_%s_%d_header.csv" % (opts.la, y)),
                      os.path.join(base, "ssda903_%s_%d_episodes.csv" % (opts.la, y)),
                      ruleset("lac", y), str(y), LONG_CODES.get(opts.la, "E09000028"))
            for name, res in (("CIN", cin), ("SSDA903", lac)):
                print("\n%s %d (%s): %d rule(s) fired" % (name, y, ruleset(name[:3].lower()
                      if name == "CIN" else "lac", y), len(res["counts"])))
                for code, n in sorted(res["counts"].items(), key=lambda kv: -kv[1]):
                    print("  %-8s %6d  %s" % (code, n, res["messages"].get(code, "")[:100]))
                if res.get("fails"):
                    print("  rules that could not run:", ", ".join(res["fails"]))


if __name__ == "__main__":
    main()
