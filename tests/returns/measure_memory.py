"""Peak memory of one import or one batched write, in a process of its own, for tests/returns/test_streaming.py.

python -m tests.returns.measure_memory ssda903 N_CHILDREN FOLDER   (generates the pair, imports it)
python -m tests.returns.measure_memory writer N_ROWS               (writes rows through the store's batched writer)

with ANALYTICS_URL / ANALYTICS_SCHEMA in the environment. A small import (or write) runs first, so start-up and
module loading are not counted; prints JSON: {"baseline_mb": …, "peak_mb": …}, ru_maxrss before and after.
"""
import json
import os
import resource
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from safeguarding.returns.importer import import_return  # noqa: E402
from safeguarding.returns.store import AnalyticalStore  # noqa: E402

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"


def ssda903_pair(folder, children):
    """A valid 2021 return: each child with one to three episodes, written a row at a time."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "header.csv", "w", encoding="utf-8") as header, \
            open(folder / "episodes.csv", "w", encoding="utf-8") as episodes:
        header.write(HEADER)
        episodes.write(EPISODES)
        for n in range(children):
            child = f"C{n:07d}"
            header.write(f"{child},{n % 2 + 1},{n % 28 + 1:02d}/{n % 12 + 1:02d}/{2004 + n % 15},WBRI,"
                         f"A{n:012d},,\n")
            day, month = n % 28 + 1, n % 9 + 4  # April to December 2020
            if n % 3 == 0:
                episodes.write(f"{child},{day:02d}/{month:02d}/2019,S,C2,N1,U1,PR1,{day:02d}/{month:02d}/2020,X1,"
                               "CHRON,SE1 1AA,SE5 9ZZ,\n")
            episodes.write(f"{child},{day:02d}/{month:02d}/2020,P,C2,N1,U4,PR1,,,,SE1 1AA,SE15 1AB,\n")
            if n % 5 == 0:
                episodes.write(f"{child},{day:02d}/01/2021,S,V2,N2,K2,PR1,{day:02d}/02/2021,E13,,SE1 2BB,SE1 3CC,\n")
    return [folder / "header.csv", folder / "episodes.csv"]


def write_rows(store, rows):
    """rows plan reviews, through the writer an import uses, in one transaction."""
    with store.replacing(la="210", year=2021, kind="cin", source="rows", sha256="") as writer:
        for n in range(rows):
            writer.add("cin_plan_reviews", ("210", 2021, f"{n:032x}", n % 7, n % 3, None))


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main(kind, size, folder=None):
    store = AnalyticalStore()
    if kind == "ssda903":
        import_return(ssda903_pair(Path(folder) / "warm-up", 200), la="210", store=store)
        files = ssda903_pair(Path(folder) / "measured", size)
        baseline = peak_mb()
        result = import_return(files, la="210", store=store)
        assert result.counts["children"] == size, result.counts
    else:
        write_rows(store, 1000)
        baseline = peak_mb()
        write_rows(store, size)
    print(json.dumps({"baseline_mb": baseline, "peak_mb": peak_mb()}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), *sys.argv[3:])
