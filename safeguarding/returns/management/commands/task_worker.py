"""The background-task worker: django-tasks' `db_worker`, which runs the imports of uploaded returns, and beside it
the sweep that marks failed the imports whose process died (`services.fail_abandoned`).

The sweep used to run on every view of the returns pages, a write in the request path (issue 19, point 4); the
pages now only show an import that has gone silent as stopped (`services.as_shown`), and the worker, which
runs all the time in production (deploy/partnership-worker.service), records it and deletes its uploaded files:
at start, then every RETURNS_IMPORT_HEARTBEAT_SECONDS.

A second worker, `task_worker --queue-name layout`, lays out draft reports' PDF and Word files (ADR 0031); it
does not sweep."""
import logging
import threading

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from safeguarding.returns.services import fail_abandoned

log = logging.getLogger(__name__)


def sweep_until(stop):
    try:
        while True:
            try:
                if found := fail_abandoned():
                    log.warning("Marked %s import(s) failed: their process had died", found)
            except Exception:  # the database restarting, say: try again at the next sweep
                log.exception("The sweep of abandoned imports failed; trying again")
                connection.close()
            if stop.wait(settings.RETURNS_IMPORT_HEARTBEAT_SECONDS):
                return
    finally:
        connection.close()  # this thread's own connection


class Command(DatabaseWorker):
    help = ("Run the background tasks (imports of uploaded returns, the pages worked out after them) and mark failed "
            "the imports whose process died; with --queue-name layout, lay out draft reports' files.")

    def handle(self, *args, **options):
        queues = options["queue_name"].split(",")
        if "default" not in queues and "*" not in queues:  # the layout worker: no imports to look after
            return super().handle(*args, **options)
        stop = threading.Event()
        sweeper = threading.Thread(target=sweep_until, args=(stop,), name="abandoned-imports", daemon=True)
        sweeper.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            sweeper.join(timeout=30)
