"""Where a CIN census import's CPU time goes: the import as it is, with every child read carefully (CinChild), with
no child read at all, and the bare iterparse pass, alternately in one warmed-up process (ADR 0019).

    .venv/bin/python perf/cin_read_breakdown.py FILE.xml [--runs 3]

FILE.xml: e.g. import_throughput.py's 10 MB file, <work>/cin-210-2021-scale-2.3/210/2021/cin_census_210_2021.xml.
Prints, for each way, the CPU seconds of each run, their median and the bare pass's median divided by it.
"""
import argparse
import os
import statistics
import tempfile
import time

from measuring import cpu_s, django_setup


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    django_setup()
    from lxml import etree

    from safeguarding.returns import cin
    from safeguarding.returns.importer import import_return
    from safeguarding.returns.store import AnalyticalStore

    work = tempfile.mkdtemp(prefix="cin-breakdown-")

    def load():
        store = AnalyticalStore(f"duckdb:///{work}/{time.monotonic_ns()}.duckdb", schema="child_level")
        import_return([args.path], la="210", store=store)

    def bare():
        for _, element in etree.iterparse(args.path, events=("end",), tag="Child", resolve_entities=False,
                                          no_network=True, load_dtd=False, huge_tree=False):
            element.clear(keep_tail=True)
            parent = element.getparent()
            while element.getprevious() is not None:
                del parent[0]

    def careful(self, element, ordinal):
        raise cin.Unusual

    def unread(self, element, ordinal):
        pass

    quick = cin.PlainReader.read
    ways = {"as it is": quick, "every child read carefully": careful, "no child read": unread, "bare pass": None}
    load()  # warm-up
    seconds = {name: [] for name in ways}
    for _ in range(args.runs):
        for name, read in ways.items():
            start = cpu_s()
            if read is None:
                bare()
            else:
                cin.PlainReader.read = read
                load()
            seconds[name].append(cpu_s() - start)
    cin.PlainReader.read = quick
    floor = statistics.median(seconds["bare pass"])
    print("| way | CPU s, each run | median | bare ÷ this |\n|---|---|---|---|")
    for name, runs in seconds.items():
        median = statistics.median(runs)
        print(f"| {name} | {', '.join(f'{s:.3f}' for s in runs)} | {median:.3f} | {floor / median:.2f} |")
    print(f"\nload average after the run: {os.getloadavg()}")


if __name__ == "__main__":
    main()
