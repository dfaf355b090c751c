"""The smaller registers' pages: an overview, then private fostering, training, surveys and the voice of
children in their own modules. Every member reads; the business unit (registers.manage) writes. Records are
archived and restored here, for every kind, in one place."""
import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguarding.core import audit
from safeguarding.core import views as core_views
from safeguarding.core.tenancy import can, partnership_view
from safeguarding.dashboard.selectors import is_scrutineer
from safeguarding.working_days import financial_year

from .. import models as m
from .. import selectors
from ..fostering import disclosure as private_fostering_disclosure

AREAS = {
    "fostering": ("Private fostering", "registers:fostering"),
    "training": ("Training and its impact", "registers:training"),
    "surveys": ("Surveys", "registers:surveys"),
    "voice": ("You said, we did", "registers:voice"),
}


def crumbs(partnership, area=None, *more):
    """Partnership › Registers › area › …"""
    items = [{"text": partnership.short_name, "href": reverse("partnership:home", kwargs={"slug": partnership.slug})},
             {"text": "Registers", "href": reverse("registers:index", kwargs={"slug": partnership.slug})}]
    if area:
        title, name = AREAS[area]
        items.append({"text": title, "href": reverse(name, kwargs={"slug": partnership.slug})})
    return items + list(more)


def record_or_404(request, model, pk):
    """A current record of the partnership's own; another partnership's, or an archived one, is not found."""
    return get_object_or_404(model.objects.for_partnership(request.partnership).active(), pk=pk)


def save(request, form):
    """Create or change the form's record through the audit trail."""
    record = form.save(commit=False)
    (audit.update if record.pk else audit.create)(record, by=request.user)
    return record


def form_page(request, form, *, title, cancel, area, caption="", intro="", another=False, more=()):
    return core_views.form_page(request, form, title, cancel, crumbs(request.partnership, area, *more),
                                caption=caption, intro=intro, another=another)


def fostering_disclosure(request, figures):
    """Private fostering's counts as this person may see them: a scrutineer sees them through disclosure
    control (docs/architecture.md, "Data rules")."""
    return private_fostering_disclosure(figures, suppress=is_scrutineer(request.roles))


def csv_response(filename, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        # A leading =, +, - or @ would run as a formula in a spreadsheet: quote it.
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row])
    return response


@partnership_view("registers.view")
def index(request):
    partnership = request.partnership
    year = financial_year(timezone.localdate())
    surveys = selectors.active(m.Survey, partnership)
    fostering_figures = selectors.private_fostering_figures(partnership, year)
    return render(request, "registers/index.html", {
        "page_title": "Registers", "breadcrumbs": crumbs(partnership)[:1], "year": year,
        "fostering": fostering_figures, "shown": fostering_disclosure(request, fostering_figures).shown,
        "training": selectors.training_figures(partnership, year),
        "open_surveys": [s for s in surveys if s.accepting_answers()],
        "surveys": surveys.count(),
        "voice": selectors.active(m.VoiceRecord, partnership).count(),
        "voice_waiting": selectors.active(m.VoiceRecord, partnership).filter(we_did="").count(),
        "can_manage": can(request, "registers.manage")})


# --- Archive and restore, for every kind of record ---------------------------------------------------------

def _back_to(record):
    slug = record.partnership.slug
    if isinstance(record, m.PrivateFosteringArrangement):
        return reverse("registers:fostering", kwargs={"slug": slug})
    if isinstance(record, m.PrivateFosteringVisit):
        return reverse("registers:arrangement", kwargs={"slug": slug, "pk": record.arrangement_id})
    if isinstance(record, m.TrainingCourse):
        return reverse("registers:training", kwargs={"slug": slug})
    if isinstance(record, m.TrainingSession):
        return reverse("registers:course", kwargs={"slug": slug, "pk": record.course_id})
    if isinstance(record, m.Attendance):
        return reverse("registers:session", kwargs={"slug": slug, "pk": record.session_id})
    if isinstance(record, m.Evaluation):
        return reverse("registers:attendance-edit", kwargs={"slug": slug, "pk": record.attendance_id})
    if isinstance(record, m.Survey):
        return reverse("registers:surveys", kwargs={"slug": slug})
    if isinstance(record, m.Question):
        return reverse("registers:survey", kwargs={"slug": slug, "pk": record.survey_id})
    if isinstance(record, (m.Quote, m.SurveyResponse)):
        return reverse("registers:survey-results", kwargs={"slug": slug, "pk": record.survey_id})
    return reverse("registers:voice", kwargs={"slug": slug})


# kind in the URL -> (model, what to call one)
ARCHIVABLE = {
    "arrangement": (m.PrivateFosteringArrangement, "private fostering arrangement"),
    "visit": (m.PrivateFosteringVisit, "private fostering visit"),
    "course": (m.TrainingCourse, "course"),
    "session": (m.TrainingSession, "training session"),
    "attendance": (m.Attendance, "attendance"),
    "evaluation": (m.Evaluation, "evaluation"),
    "survey": (m.Survey, "survey"),
    "question": (m.Question, "question"),
    "quote": (m.Quote, "quote"),
    "response": (m.SurveyResponse, "survey response"),
    "voice": (m.VoiceRecord, "you said, we did record"),
}


def _kind(kind):
    try:
        return ARCHIVABLE[kind]
    except KeyError:
        raise Http404("No such kind of record") from None


@partnership_view("registers.manage")
def archive(request, kind, pk):
    model, singular = _kind(kind)
    record = record_or_404(request, model, pk)
    if isinstance(record, m.Question) and record.survey.status != m.Survey.Status.DRAFT:
        messages.error(request, "Questions cannot be removed once a survey has opened: its answers depend on them.")
        return redirect(_back_to(record))
    if request.method == "POST":
        audit.archive(record, by=request.user)
        messages.success(request, f"Archived {singular}: {record}")
        return redirect(_back_to(record))
    return render(request, "registers/archive.html", {
        "record": record, "singular": singular, "cancel": _back_to(record), "page_title": f"Archive {singular}",
        "breadcrumbs": crumbs(request.partnership)})


@require_POST
@partnership_view("registers.manage")
def restore(request, kind, pk):
    model, singular = _kind(kind)
    record = get_object_or_404(model.objects.for_partnership(request.partnership).archived(), pk=pk)
    audit.restore(record, by=request.user)
    messages.success(request, f"Restored {singular}: {record}")
    return redirect("registers:archived", slug=request.partnership.slug)


@partnership_view("registers.manage")
def archived(request):
    groups = []
    for kind, (model, singular) in ARCHIVABLE.items():
        records = list(model.objects.for_partnership(request.partnership).archived().order_by("-archived_at")[:200])
        if records:
            groups.append((kind, singular, records))
    return render(request, "registers/archived.html", {
        "groups": groups, "page_title": "Archived register records", "breadcrumbs": crumbs(request.partnership)})
