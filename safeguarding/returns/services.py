"""Writes for returns: an import recorded in the application database, with its quality findings."""
from django.db import transaction
from django.utils import timezone

from safeguarding.returns.importer import import_return
from safeguarding.returns.models import QualityFinding, ReturnImport
from safeguarding.returns.problems import ReturnRejected
from safeguarding.returns.quality import run_checks
from safeguarding.returns.store import AnalyticalStore


def run_import(record, paths, *, year=None, store=None, on_progress=None, recompute_indicators=True):
    """Import the files for a ReturnImport record, keeping its status, progress and findings up to date."""
    store = store or AnalyticalStore()
    ReturnImport.objects.filter(pk=record.pk).update(status=ReturnImport.Status.RUNNING, progress=0)
    last = {"percent": -1}

    def progress(done, total):
        percent = min(99, int(done * 100 / total)) if total else 0
        if percent != last["percent"]:
            last["percent"] = percent
            ReturnImport.objects.filter(pk=record.pk).update(progress=percent)
            if on_progress:
                on_progress(done, total)

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
    findings = run_checks(store, la=result.la, year=result.year, kind=result.kind)
    with transaction.atomic():
        record.findings.all().delete()
        QualityFinding.objects.bulk_create([QualityFinding(return_import=record, **f) for f in findings])
        _finish(record, status=ReturnImport.Status.LOADED, kind=result.kind, year=result.year,
                counts={**result.counts, "tables_left_out": result.ignored_tables}, sha256=result.sha256, problems=[])
    record.refresh_from_db()
    if recompute_indicators:
        from safeguarding.indicators.services import recompute  # the indicators read what was just loaded

        recompute(result.la, store=store)
    return result, findings


def _finish(record, **values):
    values.setdefault("progress", 100)
    values["finished_at"] = timezone.now()
    ReturnImport.objects.filter(pk=record.pk).update(**values)
