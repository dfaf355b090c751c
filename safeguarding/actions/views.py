"""The one action log: every action of the partnership, from meetings, case reviews and audits; a national
review's recommendations, and actions on any recommendation, added and updated here."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.forms import posted
from safeguarding.core.tenancy import can, partnership_view
from safeguarding.core.views import breadcrumbs, save, NO_NAMES, XLSX, form_page

from . import selectors
from .forms import ActionForm, RecommendationForm
from .models import Recommendation

SHOWS = ("open", "overdue", "all")
PER_PAGE = 50  # actions on a page of the log; the Excel download has them all


@partnership_view("actions.view")
def action_log(request):
    partnership = request.partnership
    show = request.GET.get("show", "open")
    if show not in SHOWS:
        raise Http404("No such view of the action log: expected open, overdue or all")
    rows = selectors.rows(partnership, request.user, show)
    if request.GET.get("format") == "xlsx":
        from safeguarding.core.spreadsheets import to_xlsx

        header = ["Action", "From", "Organisation", "Owner", "Due", "Status", "Completed",
                  "Progress or evidence of impact"]
        lines = [[r.action.description, r.source, r.organisation.name if r.organisation else "", r.action.owner,
                  r.action.due_on, r.action.get_status_display(), r.action.completed_on or "", r.detail]
                 for r in rows]
        response = HttpResponse(to_xlsx("Actions", header, lines, []), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{partnership.slug}-actions-{show}.xlsx"'
        return response
    managing = can(request, "actions.manage")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "actions/log.html", {
        "rows": rows, "page": page, "query": f"show={show}", "show": show, "counts": selectors.counts(partnership, request.user),
        "page_title": "Action log", "can_manage": managing,
        "can_add_meeting_action": can(request, "partnership.update_actions"),
        "recommendations": Recommendation.objects.for_partnership(partnership).active() if managing else [],
        "breadcrumbs": _crumbs(partnership)[:1]})


def _crumbs(partnership):
    return breadcrumbs(partnership, ("Action log", reverse("actions:log", kwargs={"slug": partnership.slug})))


def _form_page(request, form, title):
    return form_page(request, form, title, reverse("actions:log", kwargs={"slug": request.partnership.slug}),
                     _crumbs(request.partnership), intro=NO_NAMES)


@partnership_view("actions.manage")
def recommendation_add(request):
    """A recommendation from outside the partnership's own records, for example a national review's."""
    form = RecommendationForm(posted(request), initial={"made_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        record = save(request, form)
        messages.success(request, f"{record} added.")
        return redirect("actions:log", slug=request.partnership.slug)
    return _form_page(request, form, "Add a recommendation")


@partnership_view("actions.manage")
def action_add(request, pk):
    recommendation = get_object_or_404(Recommendation.objects.for_partnership(request.partnership).active(), pk=pk)
    form = ActionForm(posted(request), partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        save(request, form, recommendation=recommendation)
        messages.success(request, "Action added.")
        return redirect("actions:log", slug=request.partnership.slug)
    return _form_page(request, form, f"Add an action: {recommendation}")


@partnership_view("actions.update_own")
def action_edit(request, pk):
    """An agency lead finds only its own organisation's actions here, and updates progress, not ownership."""
    action = get_object_or_404(selectors.recommendation_actions(request.partnership, request.user), pk=pk)
    managing = can(request, "actions.manage")
    form = ActionForm(posted(request), instance=action, partnership=request.partnership,
                      own_organisation=None if managing else request.user.organisation)
    if request.method == "POST" and form.is_valid():
        save(request, form)
        messages.success(request, "Action updated.")
        return redirect("actions:log", slug=request.partnership.slug)
    return _form_page(request, form, "Update an action")
