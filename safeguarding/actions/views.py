"""The one action log: every action of the partnership, from meetings, case reviews and audits."""
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from safeguarding.core.tenancy import can, partnership_view

from . import selectors
from .models import Recommendation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWS = ("open", "overdue", "all")


@partnership_view("actions.view")
def action_log(request):
    partnership = request.partnership
    show = request.GET.get("show", "open")
    if show not in SHOWS:
        raise Http404("No such view of the action log: expected open, overdue or all")
    rows = selectors.rows(partnership, request.user, show)
    if request.GET.get("format") == "xlsx":
        from safeguarding.dashboard.exports import to_xlsx

        header = ["Action", "From", "Organisation", "Owner", "Due", "Status", "Completed",
                  "Progress or evidence of impact"]
        lines = [[r.action.description, r.source, r.organisation.name if r.organisation else "", r.action.owner,
                  r.action.due_on, r.action.get_status_display(), r.action.completed_on or "", r.detail]
                 for r in rows]
        response = HttpResponse(to_xlsx("Actions", header, lines, []), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{partnership.slug}-actions-{show}.xlsx"'
        return response
    managing = can(request, "reviews.manage_actions")
    return render(request, "actions/log.html", {
        "rows": rows, "show": show, "counts": selectors.counts(partnership, request.user),
        "page_title": "Action log", "can_manage": managing,
        "can_add_meeting_action": can(request, "partnership.update_actions"),
        "recommendations": Recommendation.objects.for_partnership(partnership).active() if managing else [],
        "breadcrumbs": [{"text": partnership.short_name,
                         "href": reverse("partnership:home", kwargs={"slug": partnership.slug})}]})
