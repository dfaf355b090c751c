"""Run csc-validator-be-903's rules on SSDA903 CSV files and print, as JSON, the children each rule flags.

Test-only: run with the validators' own Python (a separate venv, never a dependency of the system), by
tests/returns/test_ssda903_tolerant.py, to compare the children this system flags with the package's:

    PEER_PYTHON tests/returns/peer_903.py RULE,RULE,... < [{"year": 2021, "files": ["header.csv", ...]}, ...]

One line 'RESULT {JSON}' out for each return in: {rule: [CHILD, ...]}. A year before the package's first rule set is
checked with the first (2022-23), a later one with the last, as this system does; the collection year's dates
are the return's own.

The files are read as the package's own upload does (blanks as missing, text upper-cased), each table told by its
columns; each rule of the year's rule set is called on its own copy of the tables.
"""
import copy
import json
import sys

import pandas as pd
from lac_validator.config import column_names
from lac_validator.rules.ruleset_utils import get_year_ruleset


def read(path):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = frame.apply(lambda column: column.map(lambda s: s.upper() if s != "" else pd.NA)).astype(object)
    for table, columns in column_names.items():
        if set(frame.columns) == set(columns):
            return table, frame
    raise SystemExit(f"{path}: not a table the package knows")


def flag(year, rules, paths, last=()):
    tables = dict(read(path) for path in paths)
    tables.update({f"{table}_last": frame for table, frame in map(read, last)})  # last year's return
    if "Header" in tables and "UASC" in tables:
        tables["Header"]["UASC"] = tables["Header"]["CHILD"].isin(tables["UASC"]["CHILD"]).map({True: "1", False: "0"})
    metadata = {"collection_year": str(year), "collectionYear": str(year), "collection_start": f"01/04/{year - 1}",
                "collection_end": f"31/03/{year}", "localAuthority": "E09000028"}
    registry = get_year_ruleset(str(min(max(year, 2023), 2027)))
    flagged = {}
    for code in rules:
        if code not in registry:
            continue
        dfs = copy.deepcopy(tables)
        dfs["metadata"] = metadata
        try:
            found = registry[code].func(dfs)
        except Exception as error:  # a rule that needs a table these files lack
            flagged[code] = {"error": f"{type(error).__name__}: {error}"}
            continue
        children = set()
        for table, rows in (found or {}).items():
            if table in tables and rows:
                children |= set(tables[table].loc[list(rows), "CHILD"].dropna().astype(str))
        flagged[code] = sorted(children)
    return flagged


if __name__ == "__main__":
    rules = sys.argv[1].split(",")
    for case in json.load(sys.stdin):
        found = flag(case["year"], rules, case["files"], case.get("last", ()))
        print("RESULT " + json.dumps(found), flush=True)  # some rules print as they run
