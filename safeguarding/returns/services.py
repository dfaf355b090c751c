"""Writes for returns: an import recorded in the application database, with its quality findings."""
import contextlib
import datetime
import logging
import shutil
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from safeguarding.returns import figures
from safeguarding.returns.importer import import_return
from safeguarding.returns.models import QualityFinding, ReturnImport
from safeguarding.returns.problems import ReturnRejected
from safeguarding.returns.quality import run_checks
from safeguarding.returns.store import AnalyticalStore

log = logging.getLogger(__name__)

ABANDONED = ("The import was interrupted: the system stopped while it was running (for example it was restarted), "
             "so it did not finish. The figures are still those of the returns loaded before. Upload the files again.")


def run_import(record, paths, *, year=None, store=None, on_progress=None, recompute_indicators=True):
    """Import the files for a ReturnImport record, keeping its status, progress and findings up to date."""
    store = store or AnalyticalStore()
    ReturnImport.objects.filter(pk=record.pk).update(status=ReturnImport.Status.RUNNING, progress=0,
                                                     heartbeat_at=timezone.now())
    with _heartbeat(record):
        return _run_import(record, paths, year=year, store=store, on_progress=on_progress,
                           recompute_indicators=recompute_indicators)


def _run_import(record, paths, *, year, store, on_progress, recompute_indicators):
    last = {"percent": -1}

    def progress(done, total):
        percent = min(99, int(done * 100 / total)) if total else 0
        if percent != last["percent"]:
            last["percent"] = percent
            ReturnImport.objects.filter(pk=record.pk).update(progress=percent)
            if on_progress:
                on_progress(done, total)

    started = time.perf_counter()
    try:
        result = import_return(paths, la=record.la_code, year=year, store=store, progress=progress)
    except ReturnRejected as rejected:
        _finish(record, status=ReturnImport.Status.REJECTED,
                problems=[str(p) for p in rejected.problems] + (["(stopped after the first 50 problems)"]
                                                                if rejected.more else []))
        raise
    except Exception as error:
        _finish(record, status=ReturnImport.Status.FAILED,
                problems=[f"The import stopped because of an error in the system ({type(error).__name__}). "
                          "Nothing was loaded; try again, and tell the system's administrators if it happens again."])
        raise
    findings = result.findings
    run_checks(store, la=result.la, year=result.year, kind=result.kind, findings=findings)
    checked = time.perf_counter()
    try:
        # "Loaded" is said only together with the figures worked out from the return: a process that dies in
        # between leaves the import running (then failed, by fail_abandoned) and the figures as they were.
        with transaction.atomic():
            record.findings.all().delete()
            QualityFinding.objects.bulk_create([QualityFinding(return_import=record, **f) for f in findings.details],
                                               batch_size=1000)
            _finish(record, status=ReturnImport.Status.LOADED, kind=result.kind, year=result.year,
                    counts={**result.counts, "tables_left_out": result.ignored_tables,
                            **({"replaced": result.replaced} if result.replaced else {})}, sha256=result.sha256,
                    problems=[], outcome=findings.outcome, rule_summary=findings.summary(),
                    left_out=dict(findings.left_out))
            if recompute_indicators:
                figures.recompute(result.la, store=store)  # the figures read what was just loaded
    except Exception as error:
        _finish(record, status=ReturnImport.Status.FAILED,
                problems=[f"The return was stored, but the figures could not be worked out from it "
                          f"({type(error).__name__}): the figures are still those of the returns loaded before. "
                          "Upload the files again, and tell the system's administrators if it happens again."])
        raise
    # Where an import's time goes, for whoever runs the service (LOG_LEVEL=INFO).
    log.info("Import %s: read, stored and checked in %.1f s; figures worked out and loaded in %.1f s",
             record.pk, checked - started, time.perf_counter() - checked)
    record.refresh_from_db()
    return result, findings


def _finish(record, **values):
    values.setdefault("progress", 100)
    values["finished_at"] = timezone.now()
    ReturnImport.objects.filter(pk=record.pk).update(**values)


@contextlib.contextmanager
def _heartbeat(record):
    """While the import runs, a thread touches its heartbeat, so a page can tell a running import from one whose
    process has died."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(settings.RETURNS_IMPORT_HEARTBEAT_SECONDS):
                try:
                    ReturnImport.objects.filter(pk=record.pk, status=ReturnImport.Status.RUNNING).update(
                        heartbeat_at=timezone.now())
                except Exception as error:  # the database is restarting: try again at the next beat
                    log.warning("Import %s: heartbeat not recorded (%s)", record.pk, error)
                    connection.close()
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"import-{record.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _silent_since():
    return timezone.now() - datetime.timedelta(seconds=settings.RETURNS_IMPORT_STALE_SECONDS)


def as_shown(record):
    """The import as its page shows it: one whose process has gone silent (killed, or the machine restarted) is
    shown as failed, with what to do, before the task worker's sweep records it so. A read: pages write nothing."""
    if record.is_silent_since(_silent_since()):
        record.status, record.problems = ReturnImport.Status.FAILED, [ABANDONED]
        record.finished_at = record.heartbeat_at or record.created_at
    return record


def fail_abandoned():
    """Mark failed the imports whose process died (killed, or the machine restarted): running, but silent for
    longer than RETURNS_IMPORT_STALE_SECONDS. The person who uploaded is told to upload again; files left
    waiting for the import are deleted (child-level files are not kept). Returns how many were found. Run by the
    task worker's sweep (`manage.py task_worker`), never in a request."""
    now = timezone.now()
    cutoff = _silent_since()
    silent = ReturnImport.objects.silent_since(cutoff)
    found = 0
    for pk, folder in silent.values_list("pk", "upload_folder"):
        if not silent.filter(pk=pk).update(status=ReturnImport.Status.FAILED, finished_at=now, problems=[ABANDONED]):
            continue  # it finished (or another request marked it) meanwhile
        found += 1
        log.warning("Import %s stopped without finishing: its process died; marked failed", pk)
        uploads = Path(settings.UPLOAD_DIR).resolve()
        if folder and Path(folder).resolve().parent == uploads:
            shutil.rmtree(folder, ignore_errors=True)
    return found
