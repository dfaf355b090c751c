"""The yearly report pages: the list, the report itself with what Working Together still needs, the editor
of each section, sign-off and publication, downloads; and the public pages of published reports."""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_POST

from safeguarding.core.views import breadcrumbs
from safeguarding.accounts.models import Partnership
from safeguarding.core.forms import posted
from safeguarding.core.tenancy import can, partnership_view
from safeguarding.dashboard.selectors import years_for

from . import render as output
from . import services
from .assemble import assemble, generated_narrative
from .document import SECTION_TITLES, SECTIONS, gaps
from .forms import ContextFigureForm, NewReportForm, PublishForm, ReportFigureForm, SectionTextForm
from .models import ContextFigure, ReportFigure, YearlyReport

CONTENT_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _report(request, pk):
    return get_object_or_404(YearlyReport.objects.for_partnership(request.partnership).active(), pk=pk)


def _require(request, permission):
    if not can(request, permission):
        raise PermissionDenied


def _crumbs(partnership, report=None):
    more = [] if report is None else [(str(report), _detail_url(report))]
    return breadcrumbs(partnership, ("Yearly reports", reverse("reports:index", kwargs={"slug": partnership.slug})),
                       *more)


def _detail_url(report):
    return reverse("reports:detail", kwargs={"slug": report.partnership.slug, "pk": report.pk})


def _back(report):
    return redirect(_detail_url(report))


def _refused(request, report, error):
    messages.error(request, " ".join(error.messages))
    return _back(report)


@partnership_view("reports.view")
def index(request):
    partnership = request.partnership
    years = years_for(partnership.la_code)
    form = None
    if can(request, "reports.manage"):
        form = NewReportForm(posted(request), years=years or [], initial={"comparators": "dfe"})
        if request.method == "POST" and form.is_valid():
            report = services.create_report(partnership=partnership, by=request.user, **form.cleaned_data)
            messages.success(request, f"{report} created as a draft.")
            return _back(report)
    elif request.method == "POST":
        raise PermissionDenied
    reports = YearlyReport.objects.for_partnership(partnership).active()
    return render(request, "reports/index.html", {"reports": reports, "form": form, "years": years,
                                                  "page_title": "Yearly reports",
                                                  "breadcrumbs": _crumbs(partnership)[:1]})


@partnership_view("reports.view")
def detail(request, pk):
    report = _report(request, pk)
    document = assemble(report)
    partners = services.statutory_partners(request.partnership)
    signed = {s.organisation_id for s in report.sign_offs.all()}
    body = output.document_html(document, draft=not report.is_published)
    return render(request, "reports/detail.html", {
        "report": report, "document": document, "gaps": gaps(document),
        "body": body,
        "sections": SECTIONS, "page_title": str(report), "breadcrumbs": _crumbs(request.partnership),
        "files_as_at": _files_as_at(report, document, body),
        "can_manage": can(request, "reports.manage"), "can_sign": can(request, "reports.sign_off"),
        "awaiting": [p for p in partners if p.pk not in signed],
        "may_sign_now": report.status == YearlyReport.Status.FINAL and request.user.organisation_id in
        {p.pk for p in partners} - signed,
        "public_url": reverse("published:version", kwargs={"slug": request.partnership.slug, "year": report.year,
                                                           "version": report.version}),
    })


def _files_as_at(report, document, body):
    """When a draft's downloads were written, if they are not of the draft as it is now (None if they are, or
    if a download would write them now); the task worker is asked for them while the page is read."""
    if report.is_published or not settings.PREPARE_PAGES_AHEAD:
        return None
    keys = output.draft_keys(report, document, body)
    output.prepare_ahead(report, keys=keys)
    return output.draft_files_as_at(report, keys)


@partnership_view("reports.manage")
def edit_section(request, pk, section):
    report = _report(request, pk)
    if section not in SECTION_TITLES:
        raise Http404("No such section")
    if not report.editable:
        return _refused(request, report, ValidationError("The report is no longer a draft: start a new version."))
    current = report.texts.filter(section=section).first()
    generated = generated_narrative(report, section)
    initial = {"text": current.text if current else ""}
    if request.method == "POST" and "use_generated" in request.POST:
        form = SectionTextForm(initial={"text": generated})
    else:
        form = SectionTextForm(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST" and form.is_valid():
            services.save_text(report=report, section=section, text=form.cleaned_data["text"], by=request.user)
            messages.success(request, f"“{SECTION_TITLES[section]}” saved.")
            return redirect(reverse("reports:detail", kwargs={"slug": request.partnership.slug, "pk": report.pk})
                            + f"#{section}")
    return render(request, "reports/edit_section.html", {
        "report": report, "form": form, "section": section, "section_title": SECTION_TITLES[section],
        "generated": generated, "page_title": f"Edit “{SECTION_TITLES[section]}”",
        "breadcrumbs": _crumbs(request.partnership, report)})


@partnership_view("reports.manage")
def add_context_figure(request, pk):
    report = _report(request, pk)
    form = ContextFigureForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_context_figure(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            return _refused(request, report, error)
        messages.success(request, "Local context figure added.")
        return _back(report)
    return render(request, "form_page.html", {
        "form": form, "page_title": "Add a local context figure", "caption": str(report), "button": "Add",
        "back": _detail_url(report), "breadcrumbs": _crumbs(request.partnership, report)})


@partnership_view("reports.manage")
def add_figure(request, pk):
    report = _report(request, pk)
    form = ReportFigureForm(posted(request), partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            figure = services.compute_figure(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, f"Figure added: {figure.count:,}.")
            return _back(report)
    return render(request, "form_page.html", {
        "form": form, "page_title": "Add a figure from the returns", "caption": str(report), "button": "Add",
        "back": _detail_url(report),
        "intro": "The indicator engine counts it from the child-level returns now; the report keeps the figure "
                 "and the question that produced it.", "breadcrumbs": _crumbs(request.partnership, report)})


@require_POST
@partnership_view("reports.manage")
def remove_part(request, pk, kind, part):
    report = _report(request, pk)
    model = {"context": ContextFigure, "figure": ReportFigure}.get(kind)
    if model is None:
        raise Http404("No such part")
    record = get_object_or_404(model, report=report, pk=part)
    try:
        services.remove(record=record, by=request.user)
    except ValidationError as error:
        return _refused(request, report, error)
    messages.success(request, "Removed.")
    return _back(report)


def _step(permission, service, done):
    @require_POST
    @partnership_view(permission)
    def view(request, pk):
        report = _report(request, pk)
        try:
            result = service(report=report, by=request.user)
        except ValidationError as error:
            return _refused(request, report, error)
        messages.success(request, done)
        return _back(result if isinstance(result, YearlyReport) else report)

    return view


mark_final = _step("reports.manage", services.mark_final, "Marked final: the statutory partner leads can now sign it off.")
sign_off = _step("reports.sign_off", services.sign_off, "Signed off for your organisation.")
new_version = _step("reports.manage", services.new_version, "A new draft version has been started from this one.")


@partnership_view("reports.manage")
def publish(request, pk):
    """Publish a signed-off report. While it still lacks something, the page says what and asks why it should
    be published now; the reason is kept with the report and its audit entry."""
    report = _report(request, pk)
    missing = gaps(assemble(report)) if report.status == YearlyReport.Status.SIGNED_OFF else []
    form = PublishForm(posted(request), incomplete=bool(missing))
    if request.method != "POST":
        output.prepare_publication(report)  # laid out by the layout worker while the form is read
    if request.method == "POST" and form.is_valid():
        try:
            services.publish(report=report, by=request.user,
                             incomplete_because=form.cleaned_data.get("incomplete_because", ""))
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, "Published: anyone with the address can now read it.")
            return _back(report)
    return render(request, "reports/publish.html", {
        "report": report, "form": form, "gaps": missing, "page_title": f"Publish {report}",
        "breadcrumbs": _crumbs(request.partnership, report)})


def _file(content, form, name):
    response = HttpResponse(content, content_type=CONTENT_TYPES[form])
    response["Content-Disposition"] = f'attachment; filename="{name}.{form}"'
    return response


def _file_name(report):
    return f"{report.partnership.slug}-yearly-report-{report.year_label}-v{report.version}"


WRITERS = {"html": lambda r: output.to_html(r, standalone=True), "pdf": output.to_pdf, "docx": output.to_docx}


@partnership_view("reports.view")
def download(request, pk, form):
    """A published report's files were written at publication. A draft's PDF and Word file are usually written
    already by the task worker (render.prepare_ahead: asked when the draft's page is opened and after new
    figures). If not for the draft as it is now, the newest file written in the last few minutes is served (its
    page says when it was written; Last-Modified says so too), and the worker is asked for the next; with none,
    the request writes it. (Answering "being prepared" instead was tried and taken out: in the load test some
    downloads never saw their file; docs/benchmarks.md, "Load", issue 19.)"""
    report = _report(request, pk)
    if form == "html" or report.is_published or not settings.PREPARE_PAGES_AHEAD:
        return _file(WRITERS[form](report), form, _file_name(report))
    keys = output.draft_keys(report)  # the draft assembled once for all that follows
    content = output.prepared(report, form, keys)
    if content is not None:
        return _file(content, form, _file_name(report))
    output.prepare_ahead(report, keys=keys)
    recent = output.recent_draft_file(report, form)
    if recent is None:
        return _file(WRITERS[form](report), form, _file_name(report))
    response = _file(recent[0], form, _file_name(report))
    response["Last-Modified"] = http_date(recent[1].timestamp())
    return response



# Public pages: published reports only, no sign-in ------------------------------------------------------

def _published(slug, year, version=None):
    reports = YearlyReport.objects.filter(partnership__slug=slug, year=year, archived_at__isnull=True,
                                          status__in=[YearlyReport.Status.PUBLISHED, YearlyReport.Status.SUPERSEDED])
    if version is not None:
        reports = reports.filter(version=version)
    report = reports.order_by("-version").select_related("partnership").first()
    if report is None:
        raise Http404("No published report")
    return report


def public_report(request, slug, year, version=None):
    report = _published(slug, year, version)
    newest = _published(slug, year)
    return render(request, "reports/public.html", {
        "report": report, "body": report.published_html, "newest": newest if newest.pk != report.pk else None,
        "versions": YearlyReport.objects.filter(partnership=report.partnership, year=year, status__in=[
            YearlyReport.Status.PUBLISHED, YearlyReport.Status.SUPERSEDED]).order_by("version"),
        "page_title": report.title, "public_partnership": report.partnership})


def public_file(request, slug, year, version, form):
    report = _published(slug, year, version)
    return _file(WRITERS[form](report), form, _file_name(report))


def public_index(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    reports = YearlyReport.objects.filter(partnership=partnership, status=YearlyReport.Status.PUBLISHED,
                                          archived_at__isnull=True).order_by("-year")
    if not reports:
        raise Http404("No published report")
    return render(request, "reports/public_index.html", {"reports": reports, "public_partnership": partnership,
                                                         "page_title": f"{partnership.name}: yearly reports"})
