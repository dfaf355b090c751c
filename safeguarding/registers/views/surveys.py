"""Surveys the partnership builds and sends as a link that needs no account; the answers counted by agency and
role, free text searched and drawn as a word cloud, and quotes picked for the yearly report."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from safeguarding.core.forms import posted
from safeguarding.core.tenancy import can, partnership_view

from .. import models as m
from .. import selectors, services, word_cloud
from ..forms import QuestionForm, QuoteForm, ResultsFilterForm, SurveyForm, TextSearchForm, organisations_of
from . import add_or_change, crumbs, csv_response, form_page, record_or_404, save, saved_from


def _url(request, name, pk):
    return reverse(f"registers:{name}", kwargs={"slug": request.partnership.slug, "pk": pk})


def _survey_crumb(request, survey):
    return {"text": survey.title, "href": _url(request, "survey", survey.pk)}


@partnership_view("registers.view")
def index(request):
    surveys = selectors.active(m.Survey, request.partnership).order_by("-created_at")
    counts = {}
    for survey_id in selectors.active(m.SurveyResponse, request.partnership).values_list("survey_id", flat=True):
        counts[survey_id] = counts.get(survey_id, 0) + 1
    return render(request, "registers/surveys.html", {
        "surveys": [(s, counts.get(s.pk, 0)) for s in surveys], "page_title": "Surveys",
        "breadcrumbs": crumbs(request.partnership), "can_manage": can(request, "registers.manage")})


@partnership_view("registers.view")
def survey(request, pk):
    record = record_or_404(request, m.Survey, pk)
    manage = can(request, "registers.manage")
    return render(request, "registers/survey.html", {
        "record": record, "questions": record.questions.filter(archived_at__isnull=True),
        "responses": selectors.responses_of(record).count(), "can_manage": manage,
        # The link is shared by the business unit; other members see the survey without it.
        "link": request.build_absolute_uri(reverse("survey:answer", kwargs={"token": record.token})) if manage else "",
        "page_title": record.title, "breadcrumbs": crumbs(request.partnership, "surveys")})


@partnership_view("registers.manage")
def survey_form(request, pk=None):
    record = record_or_404(request, m.Survey, pk) if pk else None
    form = SurveyForm(posted(request), instance=record, partnership=request.partnership)
    return add_or_change(request, form, record, "Change the survey" if record else "Start a survey",
                         crumbs(request.partnership, "surveys"), page="registers:survey", listing="registers:surveys",
                         saved="Saved survey: {}", intro="" if record else "Add the questions next, then open the "
                                                                          "survey to get its link. Nobody needs an "
                                                                          "account to answer.")


@require_POST
@partnership_view("registers.manage")
def survey_status(request, pk):
    record = record_or_404(request, m.Survey, pk)
    try:
        if request.POST.get("action") == "open":
            services.open_survey(survey=record, by=request.user)
            messages.success(request, "The survey is open: anyone with the link can answer it.")
        elif request.POST.get("action") == "close":
            services.close_survey(survey=record, by=request.user)
            messages.success(request, "The survey is closed: its link now says so.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("registers:survey", slug=request.partnership.slug, pk=record.pk)


@partnership_view("registers.manage")
def question_add(request, pk):
    return _question_form(request, None, record_or_404(request, m.Survey, pk))


@partnership_view("registers.manage")
def question_edit(request, pk):
    record = record_or_404(request, m.Question, pk)
    return _question_form(request, record, record.survey)


def _question_form(request, record, parent):
    back = _url(request, "survey", parent.pk)
    if parent.status != m.Survey.Status.DRAFT:
        messages.error(request, "Questions cannot be changed once a survey has opened: its answers depend on them.")
        return redirect(back)
    initial = {} if record else {"order": parent.questions.filter(archived_at__isnull=True).count() + 1,
                                 "required": True, "multiple": False}
    form = QuestionForm(posted(request), instance=record, initial=initial, partnership=request.partnership,
                        survey=parent)
    if done := saved_from(request, form, parent, back, "registers:question-add", lambda question: "Saved the question"):
        return done
    return form_page(request, form, title="Change a question" if record else "Add a question", caption=parent.title,
                     cancel=back, area="surveys", another=record is None, more=[_survey_crumb(request, parent)])


def _filters(request, record):
    form = ResultsFilterForm(request.GET or None, organisations=organisations_of(request.partnership))
    agency = role = ""
    if form.is_bound and form.is_valid():
        agency, role = form.cleaned_data["agency"], form.cleaned_data["role"]
    return form, agency, role


@partnership_view("registers.view")
def results(request, pk):
    record = record_or_404(request, m.Survey, pk)
    filters, agency, role = _filters(request, record)
    search = TextSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_bound and search.is_valid() else ""
    figures = selectors.survey_results(record, agency, role)
    texts = [a.text for a in selectors.text_answers(record, "", agency, role)]
    agencies = sorted({name for name, _ in figures.by_agency})
    roles = sorted({name for _, name in figures.by_agency_and_role})
    picture_query = request.GET.copy()
    picture_query.pop("q", None)
    return render(request, "registers/results.html", {
        "record": record, "figures": figures, "filters": filters, "search": search, "query": query,
        "matches": list(selectors.text_answers(record, query, agency, role)[:200]) if query else [],
        "words": word_cloud.word_counts(texts, limit=30), "picture_query": picture_query.urlencode(),
        "agencies": agencies, "roles": roles, "filtered": bool(agency or role),
        "quotes": selectors.active(m.Quote, request.partnership).filter(survey=record),
        "can_manage": can(request, "registers.manage"), "page_title": f"Results: {record.title}",
        "breadcrumbs": crumbs(request.partnership, "surveys", _survey_crumb(request, record))})


@partnership_view("registers.view")
def responses_csv(request, pk):
    record = record_or_404(request, m.Survey, pk)
    questions = list(record.questions.filter(archived_at__isnull=True))
    responses = selectors.responses_of(record).select_related("organisation").prefetch_related("answers")
    rows = []
    for response in responses:
        given = {a.question_id: a for a in response.answers.all() if a.archived_at is None}
        row = [response.pk, response.submitted_at.date(), response.organisation.name if response.organisation else "",
               response.get_role_display() if response.role else ""]
        for question in questions:
            a = given.get(question.pk)
            row.append("" if a is None else "; ".join(a.choices) if a.choices else
                       a.number if a.number is not None else a.text)
        rows.append(row)
    header = ["Response", "Date", "Agency", "Role"] + [f"{n}. {q.text}" for n, q in enumerate(questions, start=1)]
    return csv_response(f"{request.partnership.slug}-survey-{record.pk}.csv", header, rows)


@partnership_view("registers.view")
def word_cloud_png(request, pk):
    record = record_or_404(request, m.Survey, pk)
    _, agency, role = _filters(request, record)
    texts = [a.text for a in selectors.text_answers(record, "", agency, role)]
    response = HttpResponse(word_cloud.png(word_cloud.word_counts(texts)), content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


@partnership_view("registers.manage")
def quote_add(request, pk):
    record = record_or_404(request, m.Survey, pk)
    answer = None
    answer_id = request.POST.get("answer") or request.GET.get("answer")
    if answer_id:
        if not str(answer_id).isdigit():
            raise Http404("No such answer")
        answer = get_object_or_404(m.Answer.objects.for_partnership(request.partnership).active().select_related(
            "response__organisation"), pk=answer_id, response__survey=record)
    initial = {"order": selectors.active(m.Quote, request.partnership).filter(survey=record).count() + 1}
    if answer is not None:
        initial.update(text=answer.text, attribution=services.attribution_for(answer))
    form = QuoteForm(request.POST if "text" in request.POST else None, initial=initial,
                     partnership=request.partnership)
    back = _url(request, "survey-results", record.pk)
    if form.is_valid():
        quote = form.save(commit=False)
        quote.survey, quote.answer = record, answer
        save(request, form)
        messages.success(request, "Quote picked for the yearly report")
        return redirect(back)
    # The form posts back to this address, ?answer= included, so the quote keeps its answer.
    return form_page(request, form, title="Pick a quote for the report", caption=record.title, cancel=back,
                     area="surveys", more=[_survey_crumb(request, record), {"text": "Results", "href": back}],
                     intro="The answer is copied below as it was written. Trim it if you need to, and take out "
                           "anything that could identify a person, a child or a family." if answer else "")


@partnership_view("registers.manage")
def quote_edit(request, pk):
    quote = record_or_404(request, m.Quote, pk)
    form = QuoteForm(posted(request), instance=quote, partnership=request.partnership)
    back = _url(request, "survey-results", quote.survey_id)
    if request.method == "POST" and form.is_valid():
        save(request, form)
        messages.success(request, "Saved the quote")
        return redirect(back)
    return form_page(request, form, title="Change a quote", caption=quote.survey.title, cancel=back, area="surveys",
                     more=[_survey_crumb(request, quote.survey), {"text": "Results", "href": back}])
