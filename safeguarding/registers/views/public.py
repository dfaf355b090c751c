"""Answering a survey through its link: no account, no partnership in the URL, only the survey's long random
token. A form protected against cross-site requests, validated like any other, and limited per address."""
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from safeguarding.core.forms import posted

from .. import models as m
from .. import services
from ..forms import AnswerForm, organisations_of


def _survey(token):
    # A draft or archived survey is not published yet (or any more): its link is not found.
    survey = (m.Survey.objects.filter(token=token, archived_at__isnull=True).exclude(status=m.Survey.Status.DRAFT)
              .select_related("partnership").first())
    if survey is None:
        raise Http404("No such survey")
    return survey


def _closed(request, survey):
    return render(request, "registers/public/closed.html", {"survey": survey, "page_title": "This survey has closed"},
                  status=410)


@never_cache
@csrf_protect
def answer(request, token):
    survey = _survey(token)
    if not survey.accepting_answers():
        return _closed(request, survey)
    questions = list(survey.questions.filter(archived_at__isnull=True))
    agencies = list(organisations_of(survey.partnership)) if survey.asks_agency else []
    form = AnswerForm(posted(request), survey=survey, questions=questions, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        if not services.allow_answer(survey, services.client_address(request.META)):
            return render(request, "registers/public/limited.html",
                          {"survey": survey, "page_title": "Too many answers from your connection"}, status=429)
        try:
            services.submit_response(survey=survey, organisation=form.organisation(agencies),
                                     role=form.cleaned_data.get("role", ""), answers=list(form.answers()))
        except ValidationError:
            return _closed(request, survey)
        return redirect("survey:thanks", token=token)
    return render(request, "registers/public/answer.html", {
        "survey": survey, "form": form, "page_title": ("Error: " if form.errors else "") + survey.title})


def thanks(request, token):
    survey = _survey(token)
    return render(request, "registers/public/thanks.html", {"survey": survey, "page_title": "Thank you"})
