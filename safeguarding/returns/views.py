import csv
import re
import uuid

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from safeguarding.core import audit
from safeguarding.core.formats import megabytes
from safeguarding.core.middleware import upload_limit
from safeguarding.core.tenancy import partnership_view
from safeguarding.returns.forms import UploadForm
from safeguarding.returns.models import ReturnImport
from safeguarding.returns.services import fail_abandoned
from safeguarding.returns.store import AnalyticalStore, StoreBusy
from safeguarding.returns.tasks import import_uploaded_return


def _imports(request):
    return ReturnImport.objects.filter(partnership=request.partnership)


@partnership_view("returns.import")
def return_list(request):
    fail_abandoned()
    try:
        loaded, busy = AnalyticalStore().loaded_returns(la=request.partnership.la_code), False
    except StoreBusy:
        loaded, busy = [], True
    return render(request, "returns/list.html", {"imports": _imports(request)[:50], "loaded": loaded, "busy": busy})


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
        messages.success(request, "Your files are uploaded. The import runs in the background; this page shows "
                                  "how far it has got.")
        return redirect("returns:import", slug=request.partnership.slug, pk=record.pk)
    return render(request, "returns/upload.html", {"form": form,
                                                   "max_upload": megabytes(settings.RETURNS_MAX_UPLOAD_BYTES)})


@partnership_view("returns.import")
def import_detail(request, pk):
    fail_abandoned()
    record = get_object_or_404(_imports(request), pk=pk)
    finding_counts = {}
    for rule, check in record.findings.values_list("rule", "check_name"):
        finding_counts[(rule, check)] = finding_counts.get((rule, check), 0) + 1
    return render(request, "returns/import.html", {"record": record, "finding_counts": sorted(finding_counts.items())})


@partnership_view("returns.view_child_level")
def quality(request, pk):
    """Findings name children by pseudonym: child-level data, so every view is logged."""
    record = get_object_or_404(_imports(request), pk=pk)
    findings = record.findings.all()
    audit.log_access(request, record)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="quality-{record.la_code}-{record.year}-{record.kind}.csv"'
        writer = csv.writer(response)
        writer.writerow(["DfE rule", "Check", "Child (pseudonym)", "Field", "Value"])
        for f in findings:
            writer.writerow([f.rule, f.check_name, f.child, f.field, f.value])
        return response
    return render(request, "returns/quality.html", {"record": record, "findings": findings[:500],
                                                    "total": findings.count()})
