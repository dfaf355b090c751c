import re
import uuid

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from safeguarding.core import audit
from safeguarding.core.formats import megabytes
from safeguarding.core.middleware import upload_limit
from safeguarding.core.tenancy import partnership_view
from safeguarding.returns import figures
from safeguarding.returns.forms import UploadForm
from safeguarding.returns.models import ReturnImport
from safeguarding.returns.services import as_shown
from safeguarding.returns.store import AnalyticalStore, StoreBusy
from safeguarding.returns.tasks import import_uploaded_return


def _imports(request):
    return ReturnImport.objects.filter(partnership=request.partnership)


def _current(request):
    """{(kind, year): sha256} of the returns in the store now, or None while an import holds it."""
    try:
        loaded = AnalyticalStore().loaded_returns(la=request.partnership.la_code)
    except StoreBusy:
        return None, []
    return {(r.kind, r.year): r.sha256 for r in loaded}, loaded


def _replaced(record, current):
    """Whether a loaded import has since been replaced by a later one of the same kind and year."""
    return (current is not None and record.status == ReturnImport.Status.LOADED
            and current.get((record.kind, record.year)) != record.sha256)


@partnership_view("returns.import")
def return_list(request):
    current, loaded = _current(request)
    imports = [as_shown(record) for record in _imports(request)[:50]]
    for record in imports:
        record.replaced = _replaced(record, current)
    return render(request, "returns/list.html", {"imports": imports, "loaded": loaded, "busy": current is None})


def _safe_name(name):
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])[:100]
    return name.lstrip(".") or "file"


@upload_limit("RETURNS_MAX_UPLOAD_BYTES")
@partnership_view("returns.import")
def upload(request):
    form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        folder = settings.UPLOAD_DIR / uuid.uuid4().hex
        folder.mkdir(parents=True)
        names = []
        for uploaded in form.cleaned_data["files"]:
            name = _safe_name(uploaded.name)
            while name in names:
                name = "_" + name
            names.append(name)
            with open(folder / name, "wb") as out:
                for chunk in uploaded.chunks():
                    out.write(chunk)
        record = ReturnImport.objects.create(partnership=request.partnership, la_code=request.partnership.la_code,
                                             file_names=", ".join(names)[:500], uploaded_by=request.user,
                                             upload_folder=str(folder))
        import_uploaded_return.enqueue(record.pk, str(folder), form.cleaned_data.get("year"))
        # No "uploaded" message: the import's page says what came of it, which may already be a refusal.
        return redirect("returns:import", slug=request.partnership.slug, pk=record.pk)
    return render(request, "returns/upload.html", {"form": form,
                                                   "max_upload": megabytes(settings.RETURNS_MAX_UPLOAD_BYTES)})


def _left_out(record):
    """(figure title, records left out of it), in the order of the core table."""
    return [(title, record.left_out[code]) for code, title in figures.titles() if record.left_out.get(code)]


@partnership_view("returns.import")
def import_detail(request, pk):
    record = as_shown(get_object_or_404(_imports(request), pk=pk))
    # The first findings, without naming children: the page is for everyone who may import.
    first = list(record.findings.values("rule", "severity", "where", "field", "message")[:10])
    replaced = record.counts.get("replaced") if isinstance(record.counts, dict) else None
    return render(request, "returns/import.html", {
        "record": record, "left_out": _left_out(record), "first": first, "replaced": replaced,
        # The store is read only for a loaded import: the page refreshes itself every 2 s while one runs.
        "since_replaced": record.status == ReturnImport.Status.LOADED and _replaced(record, _current(request)[0]),
        "much_smaller": bool(replaced and replaced.get("children")
                             and record.counts.get("children", 0) < replaced["children"] / 2)})


QUALITY_COLUMNS = ["DfE rule", "Kind", "Check", "Child (pseudonym)", "Where", "Field", "Value", "Message"]


@partnership_view("returns.view_child_level")
def quality(request, pk):
    """Findings name children by pseudonym: child-level data, so every view is logged."""
    record = get_object_or_404(_imports(request), pk=pk)
    findings = record.findings.all()
    rule = request.GET.get("rule")
    if rule:
        findings = findings.filter(rule=rule)
    audit.log_access(request, record)
    download = request.GET.get("format")
    if download in ("csv", "xlsx"):
        rows = [[f.rule, f.get_severity_display(), f.check_name, f.child, f.where, f.field, f.value, f.message]
                for f in findings]
        name = f"quality-{record.la_code}-{record.year_label}-{record.kind}" + (f"-rule-{_safe_name(rule)}" if rule else "")
        if download == "csv":
            from safeguarding.core.spreadsheets import to_csv

            response = HttpResponse(to_csv(QUALITY_COLUMNS, rows), content_type="text/csv; charset=utf-8")
        else:
            from safeguarding.core.spreadsheets import to_xlsx

            notes = [("Return", str(record)), ("Outcome", record.outcome_label)] + (
                [("Only rule", rule)] if rule else []) + [
                (f"Rule {r['rule']} ({r['severity']})", f"{r['title']}: {r['count']} found, {r['children']} children")
                for r in record.rule_summary] + [(f"Left out of {title}", count) for title, count in _left_out(record)]
            response = HttpResponse(to_xlsx("Findings", QUALITY_COLUMNS, rows, notes),
                                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}.{download}"'
        return response
    return render(request, "returns/quality.html", {"record": record, "findings": findings[:500],
                                                    "total": findings.count(), "rule": rule,
                                                    "left_out": _left_out(record)})
