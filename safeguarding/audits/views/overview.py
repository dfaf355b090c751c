"""The assurance overview, and actions added to a Section 11 or multi-agency audit recommendation."""
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeguarding.actions.forms import ActionForm
from safeguarding.actions.models import Recommendation
from safeguarding.core import audit
from safeguarding.core.forms import posted
from safeguarding.core.tenancy import can, partnership_view
from safeguarding.core.views import form_page

from .. import selectors
from safeguarding.working_days import financial_year

from ..models import Cycle, MultiAgencyAudit
from .common import crumbs, url_for


@partnership_view("audits.view")
def index(request):
    partnership = request.partnership
    today = timezone.localdate()
    held = selectors.escalations(partnership).dates("raised_on", "day", order="DESC").first()
    year = financial_year(held or today)  # the latest year with escalations
    cycles = list(selectors.cycles(partnership))
    mine = {}
    if can(request, "audits.complete_return") and request.user.organisation_id:
        mine = {link.cycle_id: link for link in selectors.cycle_returns(partnership, request.user).filter(
            organisation_id=request.user.organisation_id)}
    return render(request, "audits/index.html", {
        "page_title": "Assurance", "breadcrumbs": crumbs(request)[:1], "today": today,
        "cycles": [(cycle, mine.get(cycle.pk)) for cycle in cycles],
        "frameworks": selectors.frameworks(partnership).count(),
        "audits": selectors.multi_agency_audits(partnership)[:5],
        "audit_count": selectors.multi_agency_audits(partnership).count(),
        "escalations": selectors.escalation_figures(partnership, year),
        "escalations_open": selectors.escalations(partnership).filter(resolved_on__isnull=True).count(),
        "can_manage": can(request, "audits.manage")})


def _source(recommendation):
    """The cycle or multi-agency audit a recommendation came from, or 404 if it is someone else's."""
    for model in (Cycle, MultiAgencyAudit):
        if recommendation.source_type_id == ContentType.objects.get_for_model(model).pk:
            return model.objects.for_partnership(recommendation.partnership).active().filter(
                pk=recommendation.source_id).first()
    return None


@partnership_view("audits.manage")
def action_add(request, pk):
    recommendation = get_object_or_404(Recommendation.objects.for_partnership(request.partnership).active(), pk=pk)
    source = _source(recommendation)
    if source is None:
        raise Http404("Not a recommendation of a Section 11 or multi-agency audit")
    back = url_for(request, "audits:cycle" if isinstance(source, Cycle) else "audits:maa", pk=source.pk)
    form = ActionForm(posted(request), partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        action.partnership, action.recommendation = request.partnership, recommendation
        audit.create(action, by=request.user)
        messages.success(request, "Action added. Agencies record their progress in the action log.")
        return redirect(back)
    return form_page(request, form, "Add an action", back, crumbs(request), caption=str(recommendation),
                     intro=recommendation.text)
