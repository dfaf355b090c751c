"""Multi-agency audits: a theme, the cases sampled (pseudonymised references only), each agency's findings and
grading, the learning, and recommendations with actions in the shared action log.

Every member sees an audit's theme, learning and how far its actions have got. The cases and findings are case
detail: the business unit and statutory partner leads see them all, an agency lead sees its own agency's findings,
and nobody else sees them; each view of them (the audit's page or a findings form) is access-logged."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from safeguarding.core import audit
from safeguarding.core.forms import posted
from safeguarding.core.tenancy import can, partnership_view
from safeguarding.core.views import add_or_change, save, form_page

from .. import selectors
from ..forms import AuditedCaseForm, FindingForm, MultiAgencyAuditForm
from ..models import GRADE_COLOURS, AgencyFinding, AuditedCase
from .common import crumbs, url_for
from .section11 import _recommendation_add


def _audit(request, pk):
    return get_object_or_404(selectors.multi_agency_audits(request.partnership), pk=pk)


def _list_crumb():
    return ("Multi-agency audits", "audits:maa-list", {})


@partnership_view("audits.view")
def audit_list(request):
    audits = selectors.multi_agency_audits(request.partnership).prefetch_related("organisations")
    return render(request, "audits/maa_list.html", {
        "page_title": "Multi-agency audits", "audits": audits, "can_manage": can(request, "audits.manage"),
        "breadcrumbs": crumbs(request)})


@partnership_view("audits.view")
def audit_detail(request, pk):
    record = _audit(request, pk)
    detail = can(request, "audits.view_detail")
    own = request.user.organisation if can(request, "audits.record_findings") else None
    context = {"page_title": str(record), "audit": record, "detail": detail, "grade_colours": GRADE_COLOURS,
               "agencies": record.organisations.all(), "recommendations": selectors.recommendations_from(record),
               "case_count": record.cases.filter(archived_at__isnull=True).count(),
               "can_manage": can(request, "audits.manage"), "breadcrumbs": crumbs(request, _list_crumb())}
    findings = AgencyFinding.objects.for_partnership(request.partnership).active().filter(audit=record) \
        .select_related("case", "organisation")
    if detail:
        context["cases"] = record.cases.filter(archived_at__isnull=True)
        context["findings"] = list(findings)
        audit.log_access(request, record, record_label=f"{record}: cases and findings")
    elif own is not None and record.organisations.filter(pk=own.pk).exists():
        # An agency lead taking part sees the case references and its own agency's findings only.
        context["cases"] = record.cases.filter(archived_at__isnull=True)
        context["findings"] = list(findings.filter(organisation=own))
        context["own"] = own
        audit.log_access(request, record, record_label=f"{record}: cases and {own}'s findings")
    context["can_record"] = can(request, "audits.manage") or "own" in context
    return render(request, "audits/maa.html", context)


@partnership_view("audits.manage")
def audit_form(request, pk=None):
    record = _audit(request, pk) if pk else None
    form = MultiAgencyAuditForm(posted(request), instance=record, partnership=request.partnership)
    return add_or_change(request, form, record, f"Change {record}" if record else "Plan a multi-agency audit",
                         crumbs(request, _list_crumb()), page="audits:maa", listing="audits:maa-list",
                         saved="{} saved.")


@partnership_view("audits.manage")
def case_add(request, pk):
    record = _audit(request, pk)
    form = AuditedCaseForm(posted(request), audit=record)
    if request.method == "POST" and form.is_valid():
        case = form.save(commit=False)
        case.partnership, case.audit = request.partnership, record
        audit.create(case, by=request.user)
        messages.success(request, f"Case {case} added to the sample.")
        if request.POST.get("another"):  # "Save and add another"
            return redirect(url_for(request, "audits:maa-case-add", pk=record.pk))
        return redirect(url_for(request, "audits:maa", pk=record.pk) + "#cases")
    return form_page(request, form, "Add a case to the sample", url_for(request, "audits:maa", pk=pk),
                     crumbs(request, _list_crumb(), (str(record), "audits:maa", {"pk": pk})),
                     intro="Give the pseudonymised reference agreed for the audit. Never a name, date of birth or a "
                           "case number from an agency's own system.", another=True)


@partnership_view("audits.record_findings")
def finding_form(request, pk, finding_pk=None):
    record = _audit(request, pk)
    managing = can(request, "audits.manage")
    own = None if managing else request.user.organisation
    if not managing and (own is None or not record.organisations.filter(pk=own.pk).exists()):
        raise Http404("Your agency is not taking part in this audit")
    findings = AgencyFinding.objects.for_partnership(request.partnership).active().filter(audit=record)
    if own is not None:
        findings = findings.filter(organisation=own)
    finding = get_object_or_404(findings, pk=finding_pk) if finding_pk else None
    if finding is None and not AuditedCase.objects.filter(audit=record, archived_at__isnull=True).exists():
        messages.error(request, "No cases have been added to the audit's sample yet.")
        return redirect(url_for(request, "audits:maa", pk=record.pk))
    # The form shows the finding, or the sample's cases to choose from: case detail.
    if finding is not None:
        audit.log_access(request, finding)
    else:
        audit.log_access(request, record, record_label=f"{record}: cases")
    form = FindingForm(posted(request), instance=finding, audit=record, own_organisation=own,
                       initial={"case": request.GET.get("case")} if finding is None else None)
    if request.method == "POST" and form.is_valid():
        saved = save(request, form, audit=record)
        messages.success(request, f"Findings for {saved.case} saved.")
        return redirect(url_for(request, "audits:maa", pk=record.pk) + "#findings")
    return form_page(request, form, "Change findings" if finding else "Record an agency's findings",
                     url_for(request, "audits:maa", pk=pk),
                     crumbs(request, _list_crumb(), (str(record), "audits:maa", {"pk": pk})), caption=str(record),
                     intro="What the agency's records show about the case, graded against the audit's question. "
                           "No names.")


@partnership_view("audits.manage")
def recommendation_add(request, pk):
    record = _audit(request, pk)
    return _recommendation_add(request, record, url_for(request, "audits:maa", pk=pk))
