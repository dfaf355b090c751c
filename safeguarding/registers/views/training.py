"""Training and its impact: courses, sessions, who attended (agency and role) and the three-stage evaluation
(before, straight after, 6 to 8 weeks later with the manager), with the year's figures."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from safeguarding.core.forms import posted
from safeguarding.core.tenancy import can, partnership_view
from safeguarding.working_days import year_label

from .. import models as m
from .. import selectors
from ..forms import AttendanceForm, CourseForm, EvaluationForm, SessionForm
from . import add_or_change, crumbs, csv_response, form_page, record_or_404, save, saved_from


def _url(request, name, pk):
    return reverse(f"registers:{name}", kwargs={"slug": request.partnership.slug, "pk": pk})


def _course_crumb(request, course):
    return {"text": course.title, "href": _url(request, "course", course.pk)}


def _session_crumbs(request, session):
    return [_course_crumb(request, session.course),
            {"text": f"{session.held_on.day} {session.held_on:%B %Y}", "href": _url(request, "session", session.pk)}]


@partnership_view("registers.view")
def index(request):
    partnership = request.partnership
    dates = selectors.active(m.TrainingSession, partnership).values_list("held_on", flat=True)
    years = selectors.years_with(list(dates))
    year = selectors.chosen_year(request, years)
    if request.GET.get("format") == "csv":
        return _csv(partnership, year)
    return render(request, "registers/training.html", {
        "page_title": "Training and its impact", "breadcrumbs": crumbs(partnership), "years": years, "year": year,
        "figures": selectors.training_figures(partnership, year), "stages": m.Evaluation.Stage.choices,
        "courses": selectors.active(m.TrainingCourse, partnership).select_related("priority"),
        "can_manage": can(request, "registers.manage")})


def _csv(partnership, year):
    rows = []
    for a in selectors.attendances_in(partnership, year):
        row = [a.session.course.title, a.session.held_on, a.session.get_format_display(), a.organisation.name,
               a.organisation.get_sector_display(), a.get_role_display(), "yes" if a.attended else "no"]
        for stage in m.Evaluation.Stage.values:
            e = a.scores.get(stage)
            row += [e.completed_on, e.confidence, e.practice] if e else ["", "", ""]
        rows.append(row)
    header = ["Course", "Session", "Format", "Agency", "Sector", "Role", "Attended"]
    for _, label in m.Evaluation.Stage.choices:
        header += [f"{label}: date", f"{label}: confidence", f"{label}: practice"]
    return csv_response(f"{partnership.slug}-training-{year_label(year)}.csv", header, rows)


@partnership_view("registers.view")
def course(request, pk):
    record = record_or_404(request, m.TrainingCourse, pk)
    sessions = record.sessions.filter(archived_at__isnull=True)
    counts = {}
    for a in selectors.attendances_in(request.partnership, session__course=record, attended=True):
        counts.setdefault(a.session_id, []).append(a)
    rows = [{"session": s, "attended": len(counts.get(s.pk, [])),
             "confidence": selectors.stage_scores(counts.get(s.pk, []), "confidence")} for s in sessions]
    return render(request, "registers/course.html", {
        "record": record, "rows": rows, "page_title": record.title, "can_manage": can(request, "registers.manage"),
        "breadcrumbs": crumbs(request.partnership, "training")})


@partnership_view("registers.manage")
def course_form(request, pk=None):
    record = record_or_404(request, m.TrainingCourse, pk) if pk else None
    form = CourseForm(posted(request), instance=record, partnership=request.partnership)
    return add_or_change(request, form, record, "Change the course" if record else "Add a course",
                         crumbs(request.partnership, "training"), page="registers:course",
                         listing="registers:training", saved="Saved course: {}")


@partnership_view("registers.view")
def session(request, pk):
    record = record_or_404(request, m.TrainingSession, pk)
    people = selectors.attendances_in(request.partnership, session=record)
    attended = [a for a in people if a.attended]
    return render(request, "registers/session.html", {
        "record": record, "people": people, "stages": m.Evaluation.Stage.choices,
        "confidence": selectors.stage_scores(attended, "confidence"),
        "practice": selectors.stage_scores(attended, "practice"), "attended": len(attended),
        "page_title": str(record), "can_manage": can(request, "registers.manage"),
        "breadcrumbs": crumbs(request.partnership, "training", _course_crumb(request, record.course))})


@partnership_view("registers.manage")
def session_add(request, pk):
    return _session_form(request, None, record_or_404(request, m.TrainingCourse, pk))


@partnership_view("registers.manage")
def session_edit(request, pk):
    record = record_or_404(request, m.TrainingSession, pk)
    return _session_form(request, record, record.course)


def _session_form(request, record, parent):
    form = SessionForm(posted(request), instance=record, partnership=request.partnership, course=parent)
    if request.method == "POST" and form.is_valid():
        record = save(request, form)
        messages.success(request, f"Saved session: {record}")
        return redirect("registers:session", slug=request.partnership.slug, pk=record.pk)
    cancel = _url(request, "session", record.pk) if record else _url(request, "course", parent.pk)
    return form_page(request, form, title="Change the session" if record else "Add a session", caption=parent.title,
                     cancel=cancel, area="training", more=[_course_crumb(request, parent)])


@partnership_view("registers.manage")
def attendance_add(request, pk):
    return _attendance_form(request, None, record_or_404(request, m.TrainingSession, pk))


@partnership_view("registers.manage")
def attendance_edit(request, pk):
    record = record_or_404(request, m.Attendance, pk)
    return _attendance_form(request, record, record.session)


def _attendance_form(request, record, parent):
    form = AttendanceForm(posted(request), instance=record, partnership=request.partnership, session=parent)
    back = _url(request, "session", parent.pk)
    if done := saved_from(request, form, parent, back, "registers:attendance-add",
                          lambda saved: f"Saved attendance: {saved.get_role_display()}, {saved.organisation}"):
        return done
    if record is None:
        return form_page(request, form, title="Add someone who booked", caption=str(parent), cancel=back,
                         area="training", another=True, more=_session_crumbs(request, parent))
    return render(request, "registers/attendance.html", {
        "form": form, "record": record, "cancel": back, "page_title": "Change attendance", "caption": str(parent),
        "evaluations": record.evaluations.filter(archived_at__isnull=True),
        "breadcrumbs": crumbs(request.partnership, "training", *_session_crumbs(request, parent))})


@partnership_view("registers.manage")
def evaluation_add(request, pk):
    return _evaluation_form(request, None, record_or_404(request, m.Attendance, pk))


@partnership_view("registers.manage")
def evaluation_edit(request, pk):
    record = record_or_404(request, m.Evaluation, pk)
    return _evaluation_form(request, record, record.attendance)


def _evaluation_form(request, record, parent):
    initial = {}
    if record is None and request.GET.get("stage") in m.Evaluation.Stage.values:
        initial["stage"] = request.GET["stage"]
    form = EvaluationForm(posted(request), instance=record, initial=initial, partnership=request.partnership,
                          attendance=parent)
    back = _url(request, "session", parent.session_id)
    if request.method == "POST" and form.is_valid():
        record = save(request, form)
        messages.success(request, f"Saved evaluation: {record.get_stage_display().lower()}")
        return redirect(back)
    return form_page(request, form, title="Change an evaluation" if record else "Record an evaluation",
                     caption=str(parent), cancel=back, area="training", more=_session_crumbs(request, parent.session),
                     intro="Scores run from 1 (low) to 10 (high). The same two questions are asked before the "
                           "session, straight after it, and 6 to 8 weeks later with the person's manager, so the "
                           "change shows what the learning did for practice.")
