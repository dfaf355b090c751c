"""Run one of the DfE's published rule packages on a return and print its findings as JSON.

Runs INSIDE the peer venv made by scripts/peer-validators (never in the project's .venv, never imported by
the system or by the test suite: tests call it as a subprocess, see __init__.py beside it):

    run_peer.py cin [--year 2023] RETURN.xml
    run_peer.py 903 --year 2024 [--la E09000027] [--isolated] TABLE.csv... [--last LAST_YEAR_TABLE.csv...]

--year is the collection year as the system says it (2023 = 1 April 2022 to 31 March 2023). It picks the
package's rule set for that year (cin2022_23 for 2023; a year before the oldest set, or after the newest,
takes the nearest). The CIN package reads the census period itself from the header's ReferenceDate; for a CIN
file the year defaults to the ReferenceDate's (or Year's). The SSDA903 package takes the period only from the
year given, so --year is required there. --la is the authority's ONS code, which a few SSDA903 rules compare
placement postcodes with.

--isolated (SSDA903): give each rule its own copy of the tables. The package's own run passes every rule a
shallow copy, and some rules write into it (365 fills every open episode's DEC with 31 March), so later rules
see changed data and the findings depend on the order the rules are loaded in. Without --isolated the run is
exactly the package's (LacValidator).

Output (stdout, one JSON object): kind, package, version, ruleset, collection_year, inputs, findings (sorted
[{"rule", "child"}] pairs; child is the LAchildID / CHILD exactly as written in the file, or null for a
finding about the whole return or a record without an identifier), locations ([{"rule", "child", "table",
"row"}], row counted from 0 in the package's table), rules_run, rules_failed ({rule: error} for rules that
raised; the package reports them as passed), rules_skipped (SSDA903: rules that need a table not given).
Exit status 0; 3 with {"error": ...} when the package refuses the input (e.g. an SSDA903 CSV whose columns
match no table); 2 for bad arguments.
"""

import argparse
import contextlib
import importlib
import importlib.metadata
import io
import json
import logging
import os
import pkgutil
import re
import sys
import warnings
import xml.etree.ElementTree as ET

PACKAGES = {  # kind: (distribution, module, rule-set prefix)
    "cin": ("csc-validator-be-cin", "cin_validator", "cin"),
    "903": ("csc-validator-be-903", "lac_validator", "lac"),
}


def ruleset_for(kind, year):
    """The package's rule set for a collection year, or the nearest one it has."""
    _, module, prefix = PACKAGES[kind]
    rules = importlib.import_module(f"{module}.rules")
    years = sorted(
        int(m.group(1)) + 1
        for info in pkgutil.iter_modules(rules.__path__)
        if (m := re.fullmatch(prefix + r"(\d{4})_\d{2}", info.name))
    )
    chosen = min(max(year, years[0]), years[-1])
    return f"{prefix}{chosen - 1}_{str(chosen)[2:]}"


def registry(kind, ruleset):
    _, module, _ = PACKAGES[kind]
    return importlib.import_module(f"{module}.rules.{ruleset}").registry


def cin_year_from_header(path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise SystemExit(f"run_peer: {path} is not XML ({error}); give --year to see the package's own answer")
    for tag in ("Header/CollectionDetails/ReferenceDate", "Header/CollectionDetails/Year"):
        text = (root.findtext(tag) or "").strip()
        if re.match(r"\d{4}", text):
            return int(text[:4])
    raise SystemExit("run_peer: no ReferenceDate or Year in the header; give --year")


def text_or_none(value):
    if value is None:
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def run_cin(path, year):
    from cin_validator import cin_validator

    ruleset = ruleset_for("cin", year)
    rules = registry("cin", ruleset)
    try:
        root = ET.parse(path).getroot()
        tables = cin_validator.process_data(cin_validator.convert_data(root))
    except Exception as error:  # not XML, or no Header/Children where the package looks for them
        return None, f"{type(error).__name__}: {error}"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        validator = cin_validator.CinValidator(tables, rules)
    failed = dict(re.findall(r"^Error with rule (\S+): (.*)$", printed.getvalue(), re.M))
    locations = []
    issues = validator.full_issue_df
    for rule, child, table, row in zip(
        issues["rule_code"], issues["child_id"], issues["tables_affected"], issues["row_id"]
    ):
        locations.append(
            {"rule": str(rule), "child": text_or_none(child), "table": str(table), "row": int(row)}
        )
    for rule in validator.multichild_issues["rule_code"] if len(validator.multichild_issues) else ():
        locations.append({"rule": str(rule), "child": None, "table": None, "row": None})
    return {"ruleset": ruleset, "rules_run": len(rules), "rules_failed": failed, "rules_skipped": []}, locations


def original_children(paths, column_names):
    """For each SSDA903 table, CHILD of each row as written in the file (the package upper-cases values)."""
    import pandas as pd

    children = {}
    for path in paths:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        for table, columns in column_names.items():
            if set(df.columns) == set(columns):
                children[table] = [value if value != "" else None for value in df["CHILD"]]
    return children


def run_903(paths, last_paths, year, la, isolated):
    from lac_validator import lac_validator
    from lac_validator.config import column_names
    from lac_validator.datastore import create_datastore
    from lac_validator.utils import process_uploaded_files

    logging.disable(logging.CRITICAL)
    ruleset = ruleset_for("903", year)
    rules = registry("903", ruleset)
    files = process_uploaded_files({"This year": list(paths), "Prev year": list(last_paths)})
    metadata = {"collectionYear": str(year), "localAuthority": la}
    failed, skipped = {}, []
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            if isolated:
                from lac_validator.ingress import read_from_text

                tables, extras = read_from_text(raw_files=files)
                metadata.update(extras)
                store = create_datastore(tables, metadata)
                results = {name: df.copy() for name, df in store.items() if name != "metadata"}
                for code, rule in rules.items():
                    copy = {name: (df.copy(deep=True) if name != "metadata" else df) for name, df in store.items()}
                    try:
                        found = rule.func(copy)
                    except Exception as error:  # the package logs these and carries on; so do we
                        failed[str(code)] = f"{type(error).__name__}: {error}"
                        continue
                    if found == {}:
                        skipped.append(str(code))
                    for table, rows in found.items():
                        rows = [row for row in rows if row == row]  # the package drops NaN locations
                        if rows:
                            results[table].loc[rows, f"ERR_{code}"] = True
            else:
                validator = lac_validator.LacValidator(metadata=metadata, files=files, registry=rules)
                results = {name: df for name, df in validator.ds_results.items() if name != "metadata"}
                failed = {str(code): "raised (see the package's log)" for code in validator.fails}
                skipped = [str(code) for code in validator.skips]
    except Exception as error:  # the package could not read the tables (its rules' own errors are caught above)
        return None, f"{type(error).__name__}: {error}"
    written = original_children(paths, column_names)
    locations = []
    for table, df in results.items():
        if table.endswith("_last"):
            continue
        for column in [c for c in df.columns if c.startswith("ERR_")]:
            for row in df.index[df[column] == True]:  # noqa: E712 (object column of True/NaN)
                as_written = written.get(table)
                child = as_written[row] if as_written is not None and row < len(as_written) else df.at[row, "CHILD"]
                locations.append({"rule": column[4:], "child": text_or_none(child), "table": table, "row": int(row)})
    return {
        "ruleset": ruleset,
        "mode": "isolated" if isolated else "package",
        "rules_run": len(rules),
        "rules_failed": failed,
        "rules_skipped": sorted(skipped),
    }, locations


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=sorted(PACKAGES))
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--year", type=int)
    parser.add_argument("--last", nargs="+", default=[], help="SSDA903: last year's tables")
    parser.add_argument("--la", default="E09000027", help="SSDA903: the authority's ONS code")
    parser.add_argument("--isolated", action="store_true", help="SSDA903: each rule gets its own copy of the tables")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # the packages' pandas FutureWarnings say nothing about the return
    for path in [*args.paths, *args.last]:
        if not os.path.isfile(path):
            parser.error(f"no such file: {path}")
    package = PACKAGES[args.kind][0]
    out = {"kind": args.kind, "package": package, "version": importlib.metadata.version(package)}
    if args.kind == "cin":
        if len(args.paths) != 1 or args.last:
            parser.error("cin takes one XML file")
        year = args.year or cin_year_from_header(args.paths[0])
        details, locations = run_cin(args.paths[0], year)
    else:
        if not args.year:
            parser.error("903 needs --year")
        year = args.year
        details, locations = run_903(args.paths, args.last, year, args.la, args.isolated)
    out.update(collection_year=year, inputs=[*args.paths, *args.last])
    if details is None:
        out["error"] = locations
        print(json.dumps(out, indent=1))
        return 3
    out.update(details)
    def order(item):
        return item["rule"], item["child"] or "", item["table"] or "", -1 if item["row"] is None else item["row"]

    locations = sorted({json.dumps(item, sort_keys=True): item for item in locations}.values(), key=order)
    pairs = sorted({(item["rule"], item["child"]) for item in locations}, key=lambda pair: (pair[0], pair[1] or ""))
    out["findings"] = [{"rule": rule, "child": child} for rule, child in pairs]
    out["locations"] = locations
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
