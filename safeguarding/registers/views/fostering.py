"""Private fostering: the year's compliance for every member (counts of 1 to 5 as c to a scrutineer); the
arrangements themselves, a child each, only for the business unit, and every view of one is logged."""
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.core.formats import format_date
from safeguarding.core.forms import posted
from safeguarding.core.tenancy import can, partnership_view

from .. import models as m
from .. import selectors
from ..forms import ArrangementForm, VisitForm
from ..fostering import VISIT_KINDS, share_shown
from . import add_or_change, crumbs, csv_response, form_page, fostering_disclosure, record_or_404, saved_from


def _arrangement_rows(partnership, today):
    rows = []
    for arrangement in selectors.arrangements(partnership):
        plan = selectors.arrangement_schedule(arrangement, today)
        late = plan.due[-1] if plan.due and plan.due[-1].overdue_on(today) else None
        rows.append({"arrangement": arrangement, "visits": len(arrangement.visits.all()),
                     "next_due_on": late.due_on if late else plan.next_due_on, "overdue": late})
    return rows


@partnership_view("registers.view")
def index(request):
    partnership = request.partnership
    today = timezone.localdate()
    records = list(selectors.arrangements(partnership))
    years = selectors.years_with([a.notified_on for a in records] + [a.began_on for a in records])
    year = selectors.chosen_year(request, years)
    manage = can(request, "registers.manage")
    if manage:  # the list of arrangements, a child each, on the page or as CSV
        audit.log_access(request, record_type_label="registers.privatefosteringarrangement",
                         record_label="Private fostering arrangements list")
    if manage and request.GET.get("format") == "csv":
        return _csv(partnership, today)
    figures = selectors.private_fostering_figures(partnership, year, today)
    found = fostering_disclosure(request, figures)
    return render(request, "registers/fostering.html", {
        "page_title": "Private fostering", "breadcrumbs": crumbs(partnership), "years": years, "year": year,
        "figures": figures, "shown": found.shown, "share": lambda *a: share_shown(found, *a),
        "visit_kinds": VISIT_KINDS,
        "rows": _arrangement_rows(partnership, today) if manage else [], "can_manage": manage, "today": today})


def _csv(partnership, today):
    rows = []
    for row in _arrangement_rows(partnership, today):
        a = row["arrangement"]
        first = selectors.arrangement_schedule(a, today).due[:1]
        rows.append([a.reference, a.notified_on, a.get_notified_by_display(), a.began_on, a.ended_on or "",
                     a.get_end_reason_display() if a.end_reason else "", row["visits"],
                     first[0].due_on if first else "", (first[0].made_on or "") if first else "",
                     ("yes" if first[0].on_time else "no") if first else "",
                     row["next_due_on"] or "", row["overdue"] and (today - row["overdue"].due_on).days or ""])
    return csv_response(f"{partnership.slug}-private-fostering.csv", [
        "Reference", "Notified", "Who notified", "Began", "Ended", "Why it ended", "Visits", "First visit due",
        "First visit made", "First visit on time", "Next visit due", "Days overdue"], rows)


def _crumbs(request, *more):
    return crumbs(request.partnership, "fostering", *more)


@partnership_view("registers.manage")
def arrangement(request, pk):
    record = record_or_404(request, m.PrivateFosteringArrangement, pk)
    audit.log_access(request, record)
    today = timezone.localdate()
    return render(request, "registers/arrangement.html", {
        "record": record, "plan": selectors.arrangement_schedule(record, today), "today": today,
        "visits": record.visits.filter(archived_at__isnull=True), "page_title": f"Private fostering: {record}",
        "breadcrumbs": _crumbs(request)})


@partnership_view("registers.manage")
def arrangement_form(request, pk=None):
    record = record_or_404(request, m.PrivateFosteringArrangement, pk) if pk else None
    if record is not None:  # the form shows the arrangement
        audit.log_access(request, record)
    form = ArrangementForm(posted(request), instance=record, partnership=request.partnership)
    return add_or_change(request, form, record,
                         f"Change {record}" if record else "Record a private fostering notification",
                         crumbs(request.partnership, "fostering"), page="registers:arrangement",
                         listing="registers:fostering", saved="Saved private fostering arrangement {}",
                         intro="Give the child a reference only: no names, no addresses. The first visit is due 7 "
                               "working days after the notification is received.")


@partnership_view("registers.manage")
def visit_add(request, pk):
    arrangement = record_or_404(request, m.PrivateFosteringArrangement, pk)
    audit.log_access(request, arrangement)
    return _visit_form(request, None, arrangement)


@partnership_view("registers.manage")
def visit_edit(request, pk):
    visit = record_or_404(request, m.PrivateFosteringVisit, pk)
    audit.log_access(request, visit)
    return _visit_form(request, visit, visit.arrangement)


def _visit_form(request, record, parent):
    form = VisitForm(posted(request), instance=record, partnership=request.partnership, arrangement=parent)
    back = reverse("registers:arrangement", kwargs={"slug": request.partnership.slug, "pk": parent.pk})
    if done := saved_from(request, form, parent, back, "registers:visit-add",
                          lambda visit: f"Saved the visit of {format_date(visit.visited_on)} to {parent}"):
        return done
    return form_page(request, form, title="Change a visit" if record else "Record a visit", caption=str(parent),
                     cancel=back, area="fostering", another=record is None,
                     more=[{"text": str(parent), "href": back}])
