"""Escalations: professional disagreements taken through the escalation policy, with stage dates, the
resolution and the time to resolve in working days (England and Wales). Every member sees the year's figures;
the records themselves are for the business unit and the statutory partner leads."""
import datetime

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.core.forms import posted
from safeguarding.core.tenancy import can, partnership_view
from safeguarding.core.views import XLSX, add_or_change

from .. import selectors
from ..forms import EscalationForm
from safeguarding.working_days import financial_year, year_label

from ..models import Escalation
from .common import crumbs


def _list_crumb():
    return ("Escalations", "audits:escalations", {})


@partnership_view("audits.view")
def escalation_list(request):
    partnership = request.partnership
    records = selectors.escalations(partnership)
    held = {financial_year(d) for d in records.values_list("raised_on", flat=True)}
    years = sorted(held | {financial_year(timezone.localdate())}, reverse=True)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year not in years:  # the latest year with escalations, else this one
        year = max(held) if held else years[0]
    detail = can(request, "audits.view_detail")
    context = {"page_title": "Escalations", "figures": selectors.escalation_figures(partnership, year),
               "years": [(y, year_label(y)) for y in years], "year": year, "detail": detail,
               "can_manage": can(request, "audits.manage"), "stages": Escalation.STAGES,
               "breadcrumbs": crumbs(request), "today": timezone.localdate()}
    if detail:
        # The chosen year's escalations, or every one not yet resolved whatever the year.
        show = "open" if request.GET.get("show") == "open" else "year"
        first, last = datetime.date(year - 1, 4, 1), datetime.date(year, 3, 31)
        context["show"] = show
        context["records"] = records.filter(resolved_on__isnull=True) if show == "open" else records.filter(
            raised_on__gte=first, raised_on__lte=last)
        audit.log_access(request, record_type_label="audits.escalation", record_label="Escalations list")
        if request.GET.get("format") == "xlsx":
            return _xlsx(request, context["records"], show, year)
    return render(request, "audits/escalations.html", context)


def _xlsx(request, records, show, year):
    """The escalations on the page as an Excel workbook (the subgroup's own analysis)."""
    from django.http import HttpResponse

    from safeguarding.core.spreadsheets import to_xlsx

    header = ["Reference", "Raised by", "Role", "About", "Theme", "Raised (stage 1)", "Stage 2", "Stage 3",
              "Stage 4", "Resolved", "Outcome", "How it was resolved"]
    rows = [[e.reference, e.raised_by.name, e.raised_by_role, e.about.name, e.get_theme_display(), e.raised_on,
             e.stage_2_on or "", e.stage_3_on or "", e.stage_4_on or "", e.resolved_on or "",
             e.get_outcome_display(), e.resolution] for e in records.select_related("raised_by", "about")]
    response = HttpResponse(to_xlsx("Escalations", header, rows, []), content_type=XLSX)
    name = "open" if show == "open" else year_label(year)
    response["Content-Disposition"] = f'attachment; filename="{request.partnership.slug}-escalations-{name}.xlsx"'
    return response


@partnership_view("audits.view_detail")
def escalation_detail(request, pk):
    record = get_object_or_404(selectors.escalations(request.partnership), pk=pk)
    audit.log_access(request, record)
    return render(request, "audits/escalation.html", {
        "page_title": f"Escalation {record}", "record": record, "durations": record.stage_durations(),
        "stages": Escalation.STAGES, "can_manage": can(request, "audits.manage"),
        "breadcrumbs": crumbs(request, _list_crumb())})


@partnership_view("audits.manage")
def escalation_form(request, pk=None):
    record = get_object_or_404(selectors.escalations(request.partnership), pk=pk) if pk else None
    if record is not None:  # the form shows the escalation
        audit.log_access(request, record)
    form = EscalationForm(posted(request), instance=record, partnership=request.partnership)
    return add_or_change(request, form, record, f"Change escalation {record}" if record else "Record an escalation",
                         crumbs(request, _list_crumb()), page="audits:escalation", listing="audits:escalations",
                         saved="Escalation {} saved.",
                         intro="Stage 1 is between practitioners, stage 2 between their managers, stage 3 between "
                               "senior managers and stage 4 brings in the partnership. Record no names.")
