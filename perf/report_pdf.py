"""The demo's full yearly report as PDF and Word (issue 5, point 6): median of --runs renders in one process,
after one warm-up render, on the demo database (run `make demo` or its load steps first).

    DEMO=1 SECRET_KEY=… .venv/bin/python perf/report_pdf.py [--runs 5]
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    import django

    django.setup()
    from safeguarding.reports import render
    from safeguarding.reports.models import YearlyReport

    report = YearlyReport.objects.get(partnership__slug="southwark", year=2021, version=1)
    for name, write in (("pdf", render.to_pdf), ("docx", render.to_docx)):
        write(report)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            size = len(write(report))
            times.append(time.perf_counter() - start)
        print(f"{name}: median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}) "
              f"over {runs} runs, {size:,} bytes; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
