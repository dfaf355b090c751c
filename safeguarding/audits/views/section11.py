"""Section 11 audits: frameworks and standards, cycles, the agencies' returns, moderation and challenge, the
subgroup's matrix (with its Excel export) and the agencies' actions.

An agency lead reaches only its own organisation's returns (``selectors.cycle_returns``): anyone else's is 404.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguarding.core import audit
from safeguarding.core.forms import posted
from safeguarding.core.middleware import upload_limit
from safeguarding.core.tenancy import can, partnership_view
from safeguarding.core.views import save, XLSX, form_page

from .. import exports, selectors, services
from ..forms import (MAX_EVIDENCE_BYTES, AnswerForm, ChallengeForm, ChallengeResponseForm, CycleForm, FrameworkForm,
                     ModerationForm, PlannedActionForm, RecommendationForm, StandardForm, SubmitForm)
from safeguarding.working_days import financial_year

from ..models import Challenge, PlannedAction, Standard, rating_of
from .common import crumbs, refused, url_for


def _framework(request, pk):
    return get_object_or_404(selectors.frameworks(request.partnership), pk=pk)


def _cycle(request, pk):
    return get_object_or_404(selectors.cycles(request.partnership), pk=pk)


def _cycle_return(request, pk):
    return get_object_or_404(selectors.cycle_returns(request.partnership, request.user), pk=pk)


def _own_draft(request, link):
    """Only the agency's own lead changes its return, and only while it is in progress."""
    if link.section11_return.is_submitted:
        messages.error(request, "The return has been submitted and can no longer be changed.")
        return redirect(url_for(request, "audits:return", pk=link.pk))
    return None


def _cycle_crumb(request, cycle):
    return (str(cycle), "audits:cycle", {"pk": cycle.pk})


def _return_crumb(request, link):
    return (link.organisation.name, "audits:return", {"pk": link.pk})


# ------------------------------------------------------------------------------------ frameworks


@partnership_view("audits.view")
def framework_list(request):
    return render(request, "audits/frameworks.html", {
        "page_title": "Section 11 frameworks", "breadcrumbs": crumbs(request),
        "frameworks": selectors.frameworks(request.partnership).prefetch_related("standards"),
        "can_manage": can(request, "audits.manage")})


@partnership_view("audits.view")
def framework_detail(request, pk):
    framework = _framework(request, pk)
    return render(request, "audits/framework.html", {
        "page_title": str(framework), "framework": framework, "standards": framework.standards_in_order(),
        "cycles": framework.cycles.filter(archived_at__isnull=True), "can_manage": can(request, "audits.manage"),
        "breadcrumbs": crumbs(request, ("Section 11 frameworks", "audits:frameworks", {}))})


@partnership_view("audits.manage")
def framework_form(request, pk=None):
    framework = _framework(request, pk) if pk else None
    form = FrameworkForm(posted(request), instance=framework)
    if request.method == "POST" and form.is_valid():
        if framework:
            audit.update(form.save(commit=False), by=request.user)
        else:
            framework = services.create_framework(
                partnership=request.partnership, by=request.user, starting_set=form.cleaned_data["starting_set"],
                **{k: form.cleaned_data[k] for k in ("name", "description", "scale")})
        messages.success(request, f"{framework} saved.")
        return redirect(url_for(request, "audits:framework", pk=framework.pk))
    back = url_for(request, "audits:framework", pk=pk) if pk else url_for(request, "audits:frameworks")
    return form_page(request, form, f"Change {framework}" if framework else "Set up a Section 11 framework", back,
                     crumbs(request, ("Section 11 frameworks", "audits:frameworks", {})),
                     intro="" if framework else "Start from one of the standard sets and change the standards to "
                                                "suit the partnership, or write your own.")


@partnership_view("audits.manage")
def standard_add(request, pk):
    framework = _framework(request, pk)
    number = (framework.standards_in_order().values_list("number", flat=True).last() or 0) + 1
    form = StandardForm(posted(request), initial={"number": number})
    if request.method == "POST" and form.is_valid():
        standard = form.save(commit=False)
        standard.partnership, standard.framework = request.partnership, framework
        standard.key = services.new_standard_key(framework, standard.title)
        audit.create(standard, by=request.user)
        messages.success(request, f"Standard {standard} added.")
        return redirect(url_for(request, "audits:framework", pk=framework.pk))
    return form_page(request, form, "Add a standard", url_for(request, "audits:framework", pk=pk),
                     crumbs(request, ("Section 11 frameworks", "audits:frameworks", {}),
                            (str(framework), "audits:framework", {"pk": pk})))


@partnership_view("audits.manage")
def standard_edit(request, pk):
    standard = get_object_or_404(Standard.objects.for_partnership(request.partnership).active(), pk=pk)
    form = StandardForm(posted(request), instance=standard)
    back = url_for(request, "audits:framework", pk=standard.framework_id)
    if request.method == "POST" and form.is_valid():
        audit.update(form.save(commit=False), by=request.user)
        messages.success(request, f"Standard {standard} saved.")
        return redirect(back)
    return form_page(request, form, f"Change standard {standard.number}", back,
                     crumbs(request, ("Section 11 frameworks", "audits:frameworks", {}),
                            (str(standard.framework), "audits:framework", {"pk": standard.framework_id})))


# ------------------------------------------------------------------------------------ cycles


def _default_themes(partnership):
    from safeguarding.partnership.models import Priority

    return "\n".join(p.title for p in Priority.objects.for_partnership(partnership).active())


@partnership_view("audits.manage")
def cycle_form(request, pk=None):
    cycle = _cycle(request, pk) if pk else None
    frameworks = list(selectors.frameworks(request.partnership)[:2])
    initial = {} if cycle else {"organisations": list(selectors.partner_organisations(request.partnership)),
                                "themes": _default_themes(request.partnership),
                                "year": financial_year(timezone.localdate()),
                                "framework": frameworks[0].pk if len(frameworks) == 1 else None}
    form = CycleForm(posted(request), instance=cycle, partnership=request.partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        record = save(request, form)
        messages.success(request, f"{record} saved.")
        return redirect(url_for(request, "audits:cycle", pk=record.pk))
    if not cycle and not frameworks:
        messages.error(request, "Set up a framework of standards before the first cycle.")
        return redirect(url_for(request, "audits:framework-add"))
    back = url_for(request, "audits:cycle", pk=pk) if pk else url_for(request, "audits:index")
    return form_page(request, form, f"Change {cycle}" if cycle else "Start a Section 11 audit cycle", back,
                     crumbs(request), intro="" if cycle else "Choose the framework, the dates and the agencies "
                                                              "asked for a return. Agency leads start their returns "
                                                              "from the cycle's page.")


@partnership_view("audits.view")
def cycle_detail(request, pk):
    cycle = _cycle(request, pk)
    summary = selectors.cycle_summary(cycle)
    context = {"page_title": str(cycle), "cycle": cycle, "summary": summary, "breadcrumbs": crumbs(request),
               "detail": can(request, "audits.view_detail"), "can_manage": can(request, "audits.manage"),
               "recommendations": selectors.recommendations_from(cycle)}
    organisation = request.user.organisation
    if can(request, "audits.complete_return") and organisation is not None:
        context["asked"] = cycle.organisations.filter(pk=organisation.pk).exists()
        context["mine"] = selectors.cycle_returns(request.partnership, request.user).filter(
            cycle=cycle, organisation=organisation).first()
        if context["asked"] and not context["mine"]:
            context["shareable"] = selectors.shareable_returns(cycle, request.user)
            context["previous"] = selectors.previous_cycle_return(cycle, organisation)
    return render(request, "audits/cycle.html", context)


@partnership_view("audits.view_detail")
def matrix(request, pk):
    cycle = _cycle(request, pk)
    return render(request, "audits/matrix.html", {
        "page_title": f"Matrix: {cycle}", "cycle": cycle, "summary": selectors.cycle_summary(cycle),
        "breadcrumbs": crumbs(request, _cycle_crumb(request, cycle))})


@partnership_view("audits.view_detail")
def matrix_xlsx(request, pk):
    cycle = _cycle(request, pk)
    response = HttpResponse(exports.matrix_xlsx(selectors.cycle_summary(cycle)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{request.partnership.slug}-section-11-' \
                                      f'{cycle.year_label}-matrix.xlsx"'
    return response


@partnership_view("audits.view_detail")
def cycle_actions(request, pk):
    cycle = _cycle(request, pk)
    show = request.GET.get("show", "open")
    rows = selectors.cycle_actions(cycle)
    if show == "open":
        rows = [row for row in rows if row[2].is_open]
    elif show == "overdue":
        rows = [row for row in rows if row[2].is_overdue]
    elif show != "all":
        raise Http404("No such view of the actions")
    return render(request, "audits/cycle_actions.html", {
        "page_title": f"Agencies' actions: {cycle}", "cycle": cycle, "rows": rows, "show": show,
        "breadcrumbs": crumbs(request, _cycle_crumb(request, cycle))})


@require_POST
@partnership_view("audits.complete_return")
def return_start(request, pk):
    cycle = _cycle(request, pk)
    try:
        link = services.start_return(cycle=cycle, organisation=request.user.organisation, by=request.user)
    except ValidationError as error:
        refused(request, error)
        return redirect(url_for(request, "audits:cycle", pk=cycle.pk))
    messages.success(request, "Your return has started. Each standard is saved as you go.")
    return redirect(url_for(request, "audits:return", pk=link.pk))


@require_POST
@partnership_view("audits.complete_return")
def return_share(request, pk):
    cycle = _cycle(request, pk)
    choices = {str(link.section11_return_id): link for link in selectors.shareable_returns(cycle, request.user)}
    chosen = choices.get(request.POST.get("return", ""))
    if chosen is None:  # says nothing about returns that are not this person's to share
        messages.error(request, "Choose one of your organisation's returns to share.")
        return redirect(url_for(request, "audits:cycle", pk=cycle.pk))
    try:
        link = services.share_return(cycle=cycle, section11_return=chosen.section11_return, by=request.user)
    except ValidationError as error:
        refused(request, error)
        return redirect(url_for(request, "audits:cycle", pk=cycle.pk))
    messages.success(request, f"Your return is now shared with {request.partnership.short_name} as well as "
                              f"{chosen.cycle.partnership.short_name}: changes show in both.")
    return redirect(url_for(request, "audits:return", pk=link.pk))


@partnership_view("audits.manage")
def cycle_recommendation_add(request, pk):
    return _recommendation_add(request, _cycle(request, pk), url_for(request, "audits:cycle", pk=pk))


def _recommendation_add(request, source, back):
    form = RecommendationForm(posted(request), initial={"made_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        recommendation = services.add_recommendation(source=source, text=form.cleaned_data["text"],
                                                     made_on=form.cleaned_data["made_on"], by=request.user)
        messages.success(request, f"{recommendation} added. Add its actions next.")
        return redirect(url_for(request, "audits:action-add", pk=recommendation.pk))
    return form_page(request, form, "Add a recommendation", back, crumbs(request), caption=str(source),
                     intro="Recommendations and their actions join the partnership's action log, where agencies "
                           "record progress.")


# ------------------------------------------------------------------------------------ a return


def _answers(link):
    record = link.section11_return
    answers = {a.standard_key: a for a in record.answers.all()}
    files = {}
    for f in record.files.filter(archived_at__isnull=True):
        files.setdefault(f.standard_key, []).append(f)
    return answers, files


@partnership_view("audits.view_returns")
def return_detail(request, pk):
    link = _cycle_return(request, pk)
    cycle, record = link.cycle, link.section11_return
    answers, files = _answers(link)
    moderated = {m.standard_key: m for m in link.moderated_ratings.filter(archived_at__isnull=True)}
    scale = cycle.framework.scale
    standards = [(s, answers.get(s.key), rating_of(scale, getattr(answers.get(s.key), "rating", "")),
                  moderated.get(s.key), rating_of(scale, getattr(moderated.get(s.key), "rating", "")),
                  files.get(s.key, [])) for s in cycle.framework.standards_in_order()]
    own = can(request, "audits.complete_return") and request.user.organisation_id == link.organisation_id
    titles = {s.key: s for s in cycle.framework.standards_in_order()}
    others = record.cycle_returns.exclude(pk=link.pk).filter(archived_at__isnull=True).select_related(
        "cycle__partnership")
    return render(request, "audits/return.html", {
        "page_title": f"Section 11 return: {link.organisation}", "link": link, "cycle": cycle, "record": record,
        "standards": standards, "own": own, "editable": own and not record.is_submitted,
        "can_manage": can(request, "audits.manage"), "titles": titles,
        "actions": record.actions.all(), "challenges": link.challenges.filter(archived_at__isnull=True),
        "status": link.status(), "unanswered": services.unanswered(link),
        # Other partnerships the return is shared with: named only to the agency itself.
        "shared_with": [o.cycle.partnership for o in others] if own else [],
        "breadcrumbs": crumbs(request, _cycle_crumb(request, cycle))})


@upload_limit(MAX_EVIDENCE_BYTES)
@partnership_view("audits.complete_return")
def answer(request, pk, key):
    link = _cycle_return(request, pk)
    standards = list(link.cycle.framework.standards_in_order())
    standard = next((s for s in standards if s.key == key), None)
    if standard is None:
        raise Http404("No such standard in this framework")
    refused_page = _own_draft(request, link)
    if refused_page:
        return refused_page
    answers, files = _answers(link)
    found = answers.get(key)
    initial = {"rating": found.rating, "evidence": found.evidence} if found else {}
    form = AnswerForm(posted(request), request.FILES or None, ratings=link.cycle.framework.ratings,
                      initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_answer(cycle_return=link, standard_key=key, rating=form.cleaned_data["rating"],
                             evidence=form.cleaned_data["evidence"].strip(), by=request.user,
                             upload=form.cleaned_data["evidence_file"],
                             upload_title=form.cleaned_data["evidence_title"].strip())
        if request.POST.get("next") == "continue":
            later = [s for s in standards if s.number > standard.number or (s.number == standard.number and
                                                                           s.pk > standard.pk)]
            if later:
                return redirect(url_for(request, "audits:answer", pk=link.pk, key=later[0].key))
        messages.success(request, f"Standard {standard.number} saved. You can come back to it at any time "
                                  "before you submit.")
        return redirect(url_for(request, "audits:return", pk=link.pk))
    return render(request, "audits/answer.html", {
        "page_title": f"Standard {standard.number}: {standard.title}", "link": link, "standard": standard,
        "form": form, "files": files.get(key, []), "is_last": standard == standards[-1],
        "actions": [a for a in link.section11_return.actions.all() if a.standard_key == key],
        "breadcrumbs": crumbs(request, _cycle_crumb(request, link.cycle), _return_crumb(request, link))})


@partnership_view("audits.view_returns")
def evidence(request, pk, file_pk):
    link = _cycle_return(request, pk)
    found = get_object_or_404(link.section11_return.files.filter(archived_at__isnull=True), pk=file_pk)
    return FileResponse(default_storage.open(found.file.name, "rb"), as_attachment=True,
                        filename=found.file.name.rsplit("/", 1)[-1])


@require_POST
@partnership_view("audits.complete_return")
def evidence_remove(request, pk, file_pk):
    link = _cycle_return(request, pk)
    found = get_object_or_404(link.section11_return.files.filter(archived_at__isnull=True), pk=file_pk)
    try:
        services.remove_evidence(cycle_return=link, evidence_file=found, by=request.user)
        messages.success(request, f"{found} removed from the return.")
    except ValidationError as error:
        refused(request, error)
    return redirect(url_for(request, "audits:answer", pk=link.pk, key=found.standard_key))


@partnership_view("audits.complete_return")
def planned_action_form(request, pk, action_pk=None):
    link = _cycle_return(request, pk)
    action = get_object_or_404(PlannedAction, section11_return=link.section11_return, pk=action_pk) \
        if action_pk else None
    initial = {"standard_key": request.GET.get("standard", "")} if action is None else {}
    form = PlannedActionForm(posted(request), instance=action, cycle=link.cycle, initial=initial)
    if action is not None and action.status == PlannedAction.Status.CARRIED_FORWARD:
        messages.error(request, "This action was carried forward to a later return: update it there.")
        return redirect(url_for(request, "audits:return", pk=link.pk))
    if request.method == "POST" and form.is_valid():
        services.save_planned_action(cycle_return=link, action=form.save(commit=False), by=request.user)
        messages.success(request, "Action saved.")
        return redirect(url_for(request, "audits:return", pk=link.pk) + "#actions")
    return form_page(request, form, "Change a planned action" if action else "Add a planned action",
                     url_for(request, "audits:return", pk=link.pk),
                     crumbs(request, _cycle_crumb(request, link.cycle), _return_crumb(request, link)),
                     caption=link.organisation.name,
                     intro="What your organisation will do to meet the standard fully, who owns it and by when. "
                           "Record progress here until it is done.")


@partnership_view("audits.complete_return")
def return_submit(request, pk):
    link = _cycle_return(request, pk)
    refused_page = _own_draft(request, link)
    if refused_page:
        return refused_page
    missing = services.unanswered(link)
    form = SubmitForm(posted(request), initial={"summary": link.section11_return.summary})
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_return(cycle_return=link, summary=form.cleaned_data["summary"].strip(), by=request.user)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, f"Return submitted to {request.partnership.short_name}. The partnership "
                                      "will moderate it and may ask you about it.")
            return redirect(url_for(request, "audits:return", pk=link.pk))
    return render(request, "audits/submit.html", {
        "page_title": "Submit your Section 11 return", "link": link, "form": form, "missing": missing,
        "breadcrumbs": crumbs(request, _cycle_crumb(request, link.cycle), _return_crumb(request, link))})


@require_POST
@partnership_view("audits.manage")
def return_send_back(request, pk):
    link = _cycle_return(request, pk)
    try:
        services.send_back(cycle_return=link, by=request.user)
        messages.success(request, f"The return has gone back to {link.organisation} to change and submit again.")
    except ValidationError as error:
        refused(request, error)
    return redirect(url_for(request, "audits:return", pk=link.pk))


@partnership_view("audits.manage")
def moderate(request, pk):
    link = _cycle_return(request, pk)
    if not link.section11_return.is_submitted:
        messages.error(request, "The return has not been submitted yet: it can be moderated once it is.")
        return redirect(url_for(request, "audits:return", pk=link.pk))
    standards = list(link.cycle.framework.standards_in_order())
    existing = {m.standard_key: m for m in link.moderated_ratings.filter(archived_at__isnull=True)}
    form = ModerationForm(posted(request), cycle_return=link, standards=standards,
                          ratings=link.cycle.framework.ratings, existing=existing)
    if request.method == "POST" and form.is_valid():
        services.moderate(cycle_return=link, ratings=form.ratings(), themes=form.cleaned_data["themes"],
                          summary=form.cleaned_data["summary"].strip(), complete=form.cleaned_data["complete"],
                          by=request.user)
        messages.success(request, "Moderation complete." if form.cleaned_data["complete"] else
                         "Moderation saved. Tick 'Moderation is complete' when every standard is rated.")
        return redirect(url_for(request, "audits:return", pk=link.pk))
    answers, files = _answers(link)
    scale = link.cycle.framework.scale
    rows = [(s, answers.get(s.key), rating_of(scale, getattr(answers.get(s.key), "rating", "")),
             files.get(s.key, []), form[f"rating_{s.key}"], form[f"comment_{s.key}"]) for s in standards]
    return render(request, "audits/moderate.html", {
        "page_title": f"Moderate: {link.organisation}", "link": link, "form": form, "rows": rows,
        "breadcrumbs": crumbs(request, _cycle_crumb(request, link.cycle), _return_crumb(request, link))})


@partnership_view("audits.manage")
def challenge_add(request, pk):
    link = _cycle_return(request, pk)
    form = ChallengeForm(posted(request), cycle=link.cycle, initial={
        "raised_on": timezone.localdate(), "standard_key": request.GET.get("standard", "")})
    if request.method == "POST" and form.is_valid():
        services.raise_challenge(cycle_return=link, standard_key=form.cleaned_data["standard_key"],
                                 raised_on=form.cleaned_data["raised_on"], text=form.cleaned_data["text"].strip(),
                                 by=request.user)
        messages.success(request, f"Challenge recorded. {link.organisation} sees it on its return.")
        return redirect(url_for(request, "audits:return", pk=link.pk) + "#challenges")
    return form_page(request, form, "Challenge the return", url_for(request, "audits:return", pk=link.pk),
                     crumbs(request, _cycle_crumb(request, link.cycle), _return_crumb(request, link)),
                     caption=link.organisation.name,
                     intro="Ask about a rating or the evidence behind it. The agency answers on its return.")


def _challenge(request, pk):
    links = selectors.cycle_returns(request.partnership, request.user)
    return get_object_or_404(Challenge.objects.for_partnership(request.partnership).active().filter(
        cycle_return__in=links).select_related("cycle_return", "cycle_return__cycle"), pk=pk)


@partnership_view("audits.complete_return")
def challenge_respond(request, pk):
    challenge = _challenge(request, pk)
    link = challenge.cycle_return
    form = ChallengeResponseForm(posted(request), initial={"response": challenge.response})
    if request.method == "POST" and form.is_valid():
        try:
            services.respond_to_challenge(challenge=challenge, response=form.cleaned_data["response"].strip(),
                                          by=request.user)
            messages.success(request, "Response sent to the partnership.")
        except ValidationError as error:
            refused(request, error)
        return redirect(url_for(request, "audits:return", pk=link.pk) + "#challenges")
    return form_page(request, form, "Respond to a challenge", url_for(request, "audits:return", pk=link.pk),
                     crumbs(request, _cycle_crumb(request, link.cycle), _return_crumb(request, link)),
                     caption=f"Raised {challenge.raised_on.day} {challenge.raised_on:%B %Y}", intro=challenge.text,
                     button="Send response")


@require_POST
@partnership_view("audits.manage")
def challenge_resolve(request, pk):
    challenge = _challenge(request, pk)
    services.resolve_challenge(challenge=challenge, by=request.user)
    messages.success(request, "Challenge marked resolved.")
    return redirect(url_for(request, "audits:return", pk=challenge.cycle_return_id) + "#challenges")

