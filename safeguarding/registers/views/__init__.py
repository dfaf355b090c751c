"""The smaller registers' pages: an overview, then private fostering, training, surveys and the voice of
children in their own modules. Every member reads; the business unit (registers.manage) writes. Records are
archived and restored through core's pages (core/archiving.py), for the kinds in ARCHIVABLE."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguarding.core import archiving
from safeguarding.core import views as core_views
# The registers' modules import these from here.
from safeguarding.core.views import add_or_change, csv_response, record_or_404, save  # noqa: F401
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
    items = [("Registers", reverse("registers:index", kwargs={"slug": partnership.slug}))]
    if area:
        title, name = AREAS[area]
        items.append((title, reverse(name, kwargs={"slug": partnership.slug})))
    return core_views.breadcrumbs(partnership, *items, *more)


def form_page(request, form, *, title, cancel, area, caption="", intro="", another=False, more=()):
    return core_views.form_page(request, form, title, cancel, crumbs(request.partnership, area, *more),
                                caption=caption, intro=intro, another=another)


def saved_from(request, form, parent, back, another, said):
    """A record added or changed from its parent's page (a visit from its arrangement's): on a valid post it is
    saved through the audit trail, ``said(record)`` is said, and the person goes back to ``back``, or after "Save
    and add another" to the add page ``another`` (a URL name taking the parent's pk). None without a valid post."""
    if request.method != "POST" or not form.is_valid():
        return None
    record = save(request, form)
    messages.success(request, said(record))
    if "another" in request.POST:
        return redirect(another, slug=request.partnership.slug, pk=parent.pk)
    return redirect(back)


def fostering_disclosure(request, figures):
    """Private fostering's counts as this person may see them: a scrutineer sees them through disclosure
    control (docs/architecture.md, "Data rules")."""
    return private_fostering_disclosure(figures, suppress=is_scrutineer(request.roles))


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


# --- Archive and restore: core's pages (core/archiving.py) for these kinds --------------------------------

def _question_in_use(question):
    if question.survey.status != m.Survey.Status.DRAFT:
        return "Questions cannot be removed once a survey has opened: its answers depend on them."
    return None


# kind in the URL, model, what to call one, the page to go back to once it is archived: archived and restored
# through core's pages (registered in apps.py)
ARCHIVABLE = [
    archiving.Archivable(kind, model, singular, "Registers", "registers.manage", back,
                         _question_in_use if model is m.Question else None)
    for kind, model, singular, back in [
        ("arrangement", m.PrivateFosteringArrangement, "private fostering arrangement",
         archiving.to_page("registers:fostering")),
        ("visit", m.PrivateFosteringVisit, "private fostering visit",
         archiving.to_page("registers:arrangement", pk="arrangement_id")),
        ("course", m.TrainingCourse, "course", archiving.to_page("registers:training")),
        ("session", m.TrainingSession, "training session", archiving.to_page("registers:course", pk="course_id")),
        ("attendance", m.Attendance, "attendance", archiving.to_page("registers:session", pk="session_id")),
        ("evaluation", m.Evaluation, "evaluation", archiving.to_page("registers:attendance-edit", pk="attendance_id")),
        ("survey", m.Survey, "survey", archiving.to_page("registers:surveys")),
        ("question", m.Question, "question", archiving.to_page("registers:survey", pk="survey_id")),
        ("quote", m.Quote, "quote", archiving.to_page("registers:survey-results", pk="survey_id")),
        ("response", m.SurveyResponse, "survey response",
         archiving.to_page("registers:survey-results", pk="survey_id")),
        ("voice", m.VoiceRecord, "you said, we did record", archiving.to_page("registers:voice")),
    ]]
