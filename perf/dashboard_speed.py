"""Median server time of the dashboard page for one partnership with stored indicator values.

Sets up a throw-away SQLite database in a temporary folder: the demo partnership (load_demo), stored
indicator values for Southwark 2017-18 to 2021-22 (tests/dashboard/data.py: the reference report's
counts and the detail rows) and the benchmarks (the demo CSVs, and the DfE files from published_data/dfe).
Then, in-process with Django's test client:

  warm          after one warm-up request (every later visitor with the same choices);
  cold          each request with the shared cache emptied first: a choice nobody has asked for since the
                figures changed (another year, comparator set or average);
  after import  the cache emptied, then the figures saved again as an import saves them (their computed_at
                moved on, and `figures_saved` sent in the same transaction, so dashboard/warm.py works the
                default view out), then the background tasks that enqueued run as the task worker runs them
                (every other choice), then the first request: what the first visitor after an import waits for;
  after restart the first request of a new process on the same database (the shared cache is a table in it),
                after a warm-up request to another page (gunicorn's master imports the views before it forks).

Usage: .venv/bin/python perf/dashboard_speed.py [--requests 30] [--profile]
With --profile (or when a median is over 150 ms) it prints the cProfile top 10 of that case. Beside the
medians: the number of SQL queries of one cold and one warm request.
"""
import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
TARGET_MS = 150


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--cold-requests", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--restart-of", help=argparse.SUPPRESS)  # the child process of "after restart"
    args = parser.parse_args()
    if args.restart_of:
        return after_restart(args.restart_of)

    folder = tempfile.mkdtemp(prefix="dashboard-speed-")
    os.environ.update(VAR_DIR=folder, DATABASE_URL=f"sqlite:///{folder}/db.sqlite3", DEMO="1",
                      DJANGO_SETTINGS_MODULE="config.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # production static storage (manifest)
    call_command("load_demo", password="benchmark-password-2021", stdout=io.StringIO())

    from safeguarding.accounts.models import Partnership, User
    from tests.dashboard import data

    partnership = Partnership.objects.get(slug="southwark")
    data.store_values("210")
    data.factor_groups(partnership)
    data.import_benchmarks(dfe=True)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests import factories

    lead = User.objects.get(email="lead.police@sscp.example")
    TOTPDevice.objects.get_or_create(user=lead, confirmed=True, defaults={"name": "benchmark"})
    client = factories.sign_in(Client(), lead)  # two-factor verified, as every sign-in is
    cases = {
        "DfE comparators, 2021-22 (the default)": "/p/southwark/dashboard/",
        "as published, 2020-21": "/p/southwark/dashboard/?year=2021&comparators=as-published",
    }
    print(f"dashboard page, {args.requests} warm requests and {args.cold_requests} cold ones per case "
          f"(Python {sys.version.split()[0]}, SQLite, in-process test client)")
    for name, address in cases.items():
        assert client.get(address).status_code == 200  # warm-up: imports, template compilation
        after_import = []
        for _ in range(args.cold_requests):
            cache.clear()
            an_import_saves_the_figures_again("210")
            started = time.perf_counter()
            client.get(address)
            after_import.append((time.perf_counter() - started) * 1000)
        restarted = [first_request_of_a_new_process(folder, address) for _ in range(args.cold_requests)]
        cold = []
        for _ in range(args.cold_requests):
            cache.clear()
            started = time.perf_counter()
            client.get(address)
            cold.append((time.perf_counter() - started) * 1000)
        warm = []
        for _ in range(args.requests):
            started = time.perf_counter()
            client.get(address)
            warm.append((time.perf_counter() - started) * 1000)
        print(f"  {name}: warm median {statistics.median(warm):.1f} ms (min {min(warm):.1f}, max {max(warm):.1f}); "
              f"cold median {statistics.median(cold):.1f} ms; after an import {statistics.median(after_import):.1f} ms"
              f"; after a restart {statistics.median(restarted):.1f} ms; queries cold "
              f"{queries(client, address, cache, True)}, warm {queries(client, address, cache, False)}; "
              f"the import's background tasks took {statistics.median(TASKS_SECONDS):.1f} s (median)")
        for label, median, clear in (("warm", statistics.median(warm), False),
                                     ("cold", statistics.median(cold), True)):
            if args.profile or (label == "warm" and median > TARGET_MS):
                profile(client, address, clear, cache, f"{name}, {label}")


def an_import_saves_the_figures_again(la):
    """What an import does to the stored figures, without the store: saved again (a new computed_at, so a new
    version for the cache keys) and `figures_saved` sent inside the same transaction."""
    from django.db import transaction
    from django.utils import timezone

    from safeguarding.indicators.models import IndicatorValue
    from safeguarding.indicators.signals import figures_saved

    with transaction.atomic():
        IndicatorValue.objects.filter(la_code=la).update(computed_at=timezone.now())
        figures_saved.send(sender=IndicatorValue, las=[la])
    # Then what the task worker does next: the background tasks the import enqueued as it committed (every other
    # choice of the dashboard, the forecast, the draft report's files), as `task_worker --batch` runs them.
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("task_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload", verbosity=0)
    TASKS_SECONDS.append(time.perf_counter() - started)


TASKS_SECONDS = []  # how long the background tasks after each import took


def first_request_of_a_new_process(folder, address):
    import subprocess

    out = subprocess.run([sys.executable, __file__, "--restart-of", f"{folder} {address}"], check=True,
                         capture_output=True, text=True, env={**os.environ}).stdout
    return float(out.strip().splitlines()[-1])


def after_restart(argument):
    folder, address = argument.split(" ", 1)
    os.environ.update(VAR_DIR=folder, DATABASE_URL=f"sqlite:///{folder}/db.sqlite3", DEMO="1",
                      DJANGO_SETTINGS_MODULE="config.settings")
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from safeguarding.accounts.models import User
    from tests import factories

    import runpy
    import types

    # What gunicorn's master does before it forks the workers (deploy/gunicorn.conf.py): the views imported, every
    # template compiled. Nothing of the figures.
    gunicorn_conf = runpy.run_path(os.path.join(os.path.dirname(HERE), "deploy", "gunicorn.conf.py"))
    gunicorn_conf["when_ready"](types.SimpleNamespace(cfg=types.SimpleNamespace(preload_app=True)))
    client = factories.sign_in(Client(), User.objects.get(email="lead.police@sscp.example"))
    assert client.get("/p/southwark/").status_code == 200
    started = time.perf_counter()
    assert client.get(address).status_code == 200
    print((time.perf_counter() - started) * 1000)


def queries(client, address, cache, clear):
    """The number of SQL queries of one request (a count, so steady whatever the load on the machine)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if clear:
        cache.clear()
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(address)
    return len(captured)


def profile(client, address, clear, cache, title):
    if clear:
        cache.clear()
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(address)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(10)
    print(f"\n  cProfile top 10 by own time ({title}):")
    print("\n".join("    " + line for line in out.getvalue().splitlines() if line.strip())[:4000])


if __name__ == "__main__":
    main()
