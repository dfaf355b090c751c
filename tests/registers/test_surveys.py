"""Surveys: built by the business unit, answered through the link without an account (CSRF-protected,
validated, limited per address), counted by agency and role, free text searched and drawn as a word cloud,
quotes picked for the report; and the year's figures for the yearly report."""
import datetime
import io

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from safeguarding.accounts.roles import Role
from safeguarding.core.models import AuditEvent
from safeguarding.registers import models as m
from safeguarding.registers import selectors, services, word_cloud
from tests import factories
from tests.registers import records

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # the answer limit counts in the cache
    yield
    cache.clear()


@pytest.fixture
def home():
    return factories.partnership("Home")


@pytest.fixture
def admin(home):
    return factories.sign_in(Client(), factories.person(home, Role.ADMIN))


def _link(survey, name="survey:answer"):
    return reverse(name, kwargs={"token": survey.token})


def _questions(survey):
    choice, scale, text = survey.questions.order_by("order")
    return choice, scale, text


def test_the_business_unit_builds_and_opens_a_survey(home, admin):
    base = f"/p/{home.slug}/registers/surveys/"
    response = admin.post(base + "add/", {"title": "Priorities 2022", "audience": "practitioners",
                                          "asks_agency": "True", "asks_role": "True"})
    survey = m.Survey.objects.get(title="Priorities 2022")
    assert response.status_code == 302 and survey.status == "draft" and len(survey.token) >= 40
    add = reverse("registers:question-add", kwargs={"slug": home.slug, "pk": survey.pk})

    page = admin.post(add, {"text": "Which matter most?", "kind": "choice", "options_text": "Only one",
                            "multiple": "True", "required": "True", "order": "1", "scale_max": "5"}).content.decode()
    assert "Enter at least two options, one a line" in page
    page = admin.post(add, {"text": "How well?", "kind": "scale", "scale_max": "12", "required": "True",
                            "order": "2"}).content.decode()
    assert "The top of the scale must be from 2 to 10" in page
    page = admin.post(add, {"text": "Which?", "kind": "choice", "options_text": "A\nB", "multiple": "False",
                            "max_choices": "2", "required": "True", "order": "1", "scale_max": "5"}).content.decode()
    assert "Only a list where people may choose more than one has a limit" in page

    admin.post(add, {"text": "Which matter most?", "hint": "Choose up to two", "kind": "choice",
                     "options_text": "Domestic abuse\n\nNeglect\nMental health\n", "multiple": "True",
                     "max_choices": "2", "required": "True", "order": "1", "scale_max": "5"})
    admin.post(add, {"text": "Anything else?", "kind": "text", "required": "False", "order": "2", "scale_max": "5"})
    choice, text = survey.questions.order_by("order")
    assert choice.options == ["Domestic abuse", "Neglect", "Mental health"] and choice.multiple and choice.max_choices == 2
    assert text.kind == "text" and not text.required and text.options == []

    # No link before it opens.
    assert Client().get(_link(survey)).status_code == 404
    admin.post(reverse("registers:survey-status", kwargs={"slug": home.slug, "pk": survey.pk}), {"action": "open"})
    survey.refresh_from_db()
    assert survey.status == "open" and survey.opens_on == timezone.localdate()
    page = admin.get(reverse("registers:survey", kwargs={"slug": home.slug, "pk": survey.pk})).content.decode()
    assert _link(survey) in page and "Close the survey" in page
    # Once open, the questions are fixed: their answers depend on them.
    response = admin.get(reverse("registers:question-edit", kwargs={"slug": home.slug, "pk": choice.pk}))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(partnership=home, record_type="registers.question").count() == 2
    assert AuditEvent.objects.filter(partnership=home, record_type="registers.survey", action="update").exists()


def test_a_survey_cannot_close_before_it_opened(home, admin):
    survey = records.survey(home)  # opened 1 June 2020
    page = admin.post(reverse("registers:survey-edit", kwargs={"slug": home.slug, "pk": survey.pk}), {
        "title": survey.title, "audience": "practitioners", "asks_agency": "True", "asks_role": "True",
        "closes_on-day": "31", "closes_on-month": "5", "closes_on-year": "2020"}).content.decode()
    assert "The closing date must be on or after the day it opened, 1 June 2020" in page


def test_a_survey_without_questions_cannot_open(home, admin):
    survey = m.Survey.objects.create(partnership=home, title="Empty", audience="children")
    response = admin.post(reverse("registers:survey-status", kwargs={"slug": home.slug, "pk": survey.pk}),
                          {"action": "open"}, follow=True)
    assert "Add at least one question before opening the survey." in response.content.decode()
    survey.refresh_from_db()
    assert survey.status == "draft"


def test_answering_through_the_link_without_signing_in(home):
    org = records.agency(home, "Home police", "police")
    survey = records.survey(home)
    choice, scale, text = _questions(survey)
    anyone = Client()
    page = anyone.get(_link(survey)).content.decode()
    assert "1. Which matters most?" in page and "2. How well do we work together?" in page
    assert "1 – Badly" in page and "5 – Well" in page and "Home police" in page
    assert "csrfmiddlewaretoken" in page

    response = anyone.post(_link(survey), {f"q{choice.pk}": "Neglect", f"q{scale.pk}": "4",
                                           f"q{text.pk}": "  More joint training, please  ",
                                           "agency": str(org.pk), "role": "front_line"})
    assert response.status_code == 302 and response["Location"] == _link(survey, "survey:thanks")
    answered = m.SurveyResponse.objects.get(survey=survey)
    assert (answered.organisation, answered.role, answered.partnership) == (org, "front_line", home)
    given = {a.question_id: a for a in answered.answers.all()}
    assert given[choice.pk].choices == ["Neglect"] and given[scale.pk].number == 4
    assert given[text.pk].text == "More joint training, please"
    events = AuditEvent.objects.filter(partnership=home, record_type__in=["registers.surveyresponse", "registers.answer"])
    assert events.count() == 4 and not events.exclude(actor=None).exists()
    assert "Thank you" in anyone.get(response["Location"]).content.decode()


def test_answers_are_validated_with_clear_messages(home):
    survey = records.survey(home)
    choice, scale, text = _questions(survey)
    m.Question.objects.filter(pk=choice.pk).update(multiple=True, max_choices=2)
    page = Client().post(_link(survey), {f"q{scale.pk}": "9", f"q{text.pk}": "x" * 2001}).content.decode()
    assert "There is a problem" in page
    assert "Question 1: select at least one answer" in page
    assert "Question 2: select one of the answers given" in page
    assert "Question 3: use 2,000 characters or fewer" in page
    page = Client().post(_link(survey), {f"q{choice.pk}": ["Neglect", "Mental health", "Domestic abuse"],
                                         f"q{scale.pk}": "3"}).content.decode()
    assert "Question 1: select no more than 2" in page
    assert not m.SurveyResponse.objects.exists()


def test_answering_is_protected_against_cross_site_requests(home):
    survey = records.survey(home)
    choice, scale, _ = _questions(survey)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(_link(survey), {f"q{choice.pk}": "Neglect", f"q{scale.pk}": "3"})
    assert response.status_code == 403 and not m.SurveyResponse.objects.exists()


def test_answers_from_one_address_are_limited(home, settings):
    settings.SURVEY_ANSWERS_PER_HOUR = 2
    survey = records.survey(home)
    choice, scale, _ = _questions(survey)
    answers = {f"q{choice.pk}": "Neglect", f"q{scale.pk}": "3"}
    for _ in range(2):
        assert Client().post(_link(survey), answers).status_code == 302
    response = Client().post(_link(survey), answers)
    assert response.status_code == 429 and "Too many answers from your connection" in response.content.decode()
    assert Client(REMOTE_ADDR="10.0.0.9").post(_link(survey), answers).status_code == 302  # another address
    assert m.SurveyResponse.objects.count() == 3


def test_behind_our_proxy_the_address_nginx_appended_counts():
    # The test client's peer is 127.0.0.1, as nginx is to gunicorn.
    assert services.client_address({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 5.6.7.8"}) == "5.6.7.8"
    assert services.client_address({"REMOTE_ADDR": "127.0.0.1"}) == "127.0.0.1"
    # From anywhere else the header is the client's own claim and is ignored.
    assert services.client_address({"REMOTE_ADDR": "9.9.9.9", "HTTP_X_FORWARDED_FOR": "5.6.7.8"}) == "9.9.9.9"


def test_answers_behind_the_proxy_are_limited_per_client(home, settings):
    settings.SURVEY_ANSWERS_PER_HOUR = 1
    survey = records.survey(home)
    choice, scale, _ = _questions(survey)
    answers = {f"q{choice.pk}": "Neglect", f"q{scale.pk}": "3"}
    assert Client(HTTP_X_FORWARDED_FOR="10.1.1.1").post(_link(survey), answers).status_code == 302
    assert Client(HTTP_X_FORWARDED_FOR="10.1.1.2").post(_link(survey), answers).status_code == 302
    # Putting another address first does not get round the limit.
    assert Client(HTTP_X_FORWARDED_FOR="8.8.8.8, 10.1.1.1").post(_link(survey), answers).status_code == 429


def test_a_closed_survey_takes_no_answers(home, admin):
    survey = records.survey(home)
    choice, scale, _ = _questions(survey)
    admin.post(reverse("registers:survey-status", kwargs={"slug": home.slug, "pk": survey.pk}), {"action": "close"})
    survey.refresh_from_db()
    assert survey.status == "closed" and survey.closes_on == timezone.localdate()
    response = Client().post(_link(survey), {f"q{choice.pk}": "Neglect", f"q{scale.pk}": "3"})
    assert response.status_code == 410 and "This survey has closed" in response.content.decode()
    assert not m.SurveyResponse.objects.exists()
    with pytest.raises(Exception, match="closed"):
        services.submit_response(survey=survey, organisation=None, role="", answers=[])


def _answer(survey, organisation, role, choice, number, text=""):
    c, s, t = _questions(survey)
    answers = [(c, [choice], None, ""), (s, [], number, "")] + ([(t, [], None, text)] if text else [])
    return services.submit_response(survey=survey, organisation=organisation, role=role, answers=answers)


@pytest.fixture
def answered(home):
    council = records.agency(home, "Home council")
    police = records.agency(home, "Home police", "police")
    survey = records.survey(home)
    _answer(survey, council, "front_line", "Neglect", 2, "Joint training on neglect for schools")
    _answer(survey, council, "front_line", "Domestic abuse", 4, "Quicker information sharing")
    _answer(survey, council, "manager", "Neglect", 5)
    _answer(survey, police, "front_line", "Domestic abuse", 3, "More TRAINING for new officers, please")
    _answer(survey, None, "young_person", "Mental health", 1, "Listen to young people")
    return survey, council, police


def test_answers_are_counted_by_agency_and_role(answered):
    survey, council, police = answered
    everyone = selectors.survey_results(survey)
    assert everyone.responses == 5
    assert dict(everyone.by_agency) == {"Home council": 3, "Home police": 1, "Another organisation or not said": 1}
    assert dict(everyone.by_role) == {"Front-line practitioner": 3, "Team manager or supervisor": 1,
                                      "Child or young person": 1}
    assert everyone.by_agency_and_role[("Home council", "Front-line practitioner")] == 2
    choice, scale, text = everyone.questions
    assert [(o.label, o.count, o.percent) for o in choice.options] == [
        ("Domestic abuse", 2, 40), ("Neglect", 2, 40), ("Mental health", 1, 20)]
    assert [o.count for o in scale.options] == [1, 1, 1, 1, 1] and scale.average == 3
    assert text.texts == 4

    council_only = selectors.survey_results(survey, agency=str(council.pk))
    assert council_only.responses == 3 and [o.count for o in council_only.questions[0].options] == [1, 2, 0]
    front_line = selectors.survey_results(survey, role="front_line")
    assert front_line.responses == 3 and front_line.questions[1].average == 3
    unknown = selectors.survey_results(survey, agency="none")
    assert unknown.responses == 1 and unknown.questions[0].options[2].count == 1


def test_the_results_page_filters_searches_and_picks_quotes(home, admin, answered):
    survey, council, police = answered
    url = reverse("registers:survey-results", kwargs={"slug": home.slug, "pk": survey.pk})
    page = admin.get(url).content.decode()
    assert "5 responses" in page and "Responses by agency and role" in page
    page = admin.get(url, {"agency": str(police.pk)}).content.decode()
    assert "1 response of the agency and role chosen" in page
    page = admin.get(url, {"q": "training"}).content.decode()
    assert "2 answers containing “training”" in page
    assert "Joint training on neglect for schools" in page and "More TRAINING for new officers" in page
    assert "Quicker information sharing" not in page
    page = admin.get(url, {"q": "training", "role": "manager"}).content.decode()
    assert "0 answers containing" in page

    answer = m.Answer.objects.get(text__startswith="More TRAINING")
    add = reverse("registers:quote-add", kwargs={"slug": home.slug, "pk": survey.pk})
    form = admin.get(add, {"answer": answer.pk}).content.decode()
    assert "More TRAINING for new officers, please" in form and "Front-line practitioner, police" in form
    response = admin.post(add, {"answer": answer.pk, "text": "More training for new officers",
                                "attribution": "A police officer", "order": "1"})
    assert response.status_code == 302
    quote = m.Quote.objects.get()
    assert (quote.answer, quote.survey, quote.partnership) == (answer, survey, home)
    assert "More training for new officers" in admin.get(url).content.decode()
    # Only the business unit picks quotes, and only answers of this survey.
    lead = factories.sign_in(Client(), factories.person(home, Role.PARTNER_LEAD))
    assert lead.post(add, {"answer": answer.pk, "text": "x", "order": "1"}).status_code == 403
    other = records.survey(home, title="Another")
    elsewhere = reverse("registers:quote-add", kwargs={"slug": home.slug, "pk": other.pk})
    assert admin.get(elsewhere, {"answer": answer.pk}).status_code == 404


def test_the_responses_download_has_a_row_per_response(home, admin, answered):
    survey, _, _ = answered
    response = admin.get(reverse("registers:survey-csv", kwargs={"slug": home.slug, "pk": survey.pk}))
    lines = response.content.decode().splitlines()
    assert response["Content-Disposition"].startswith("attachment;")
    assert lines[0] == "Response,Date,Agency,Role,1. Which matters most?,2. How well do we work together?,3. What would help?"
    assert len(lines) == 6 and any('Home police,Front-line practitioner,Domestic abuse,3,"More TRAINING' in x for x in lines)


def test_the_word_cloud_is_a_real_png(home, admin, answered):
    survey, _, _ = answered
    response = admin.get(reverse("registers:word-cloud", kwargs={"slug": home.slug, "pk": survey.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(response.content))
    image.verify()
    assert image.format == "PNG" and image.size == (900, 450)
    page = admin.get(reverse("registers:survey-results", kwargs={"slug": home.slug, "pk": survey.pk})).content.decode()
    assert "The most used words: training (2)" in page  # the text alternative


def test_word_counts_leave_out_common_words():
    counts = dict(word_cloud.word_counts(["The children and the families", "Children's voices, and CHILDREN"]))
    assert counts == {"children": 2, "children's": 1, "families": 1, "voices": 1}
    empty = Image.open(io.BytesIO(word_cloud.png([])))
    assert empty.size == (900, 450)
    # The same words always give the same picture.
    assert word_cloud.png([("safety", 3), ("school", 1)]) == word_cloud.png([("safety", 3), ("school", 1)])


def test_survey_figures_for_the_yearly_report(home, answered):
    survey, _, _ = answered  # opened 1 June 2020, still open
    m.SurveyResponse.objects.filter(survey=survey).update(submitted_at=datetime.datetime(
        2020, 6, 2, 12, tzinfo=datetime.timezone.utc))
    m.Quote.objects.create(partnership=home, survey=survey, text="Listen to young people",
                           attribution="Child or young person", answer=m.Answer.objects.get(text__startswith="Listen"))
    records.survey(home, status="draft", title="Not yet")
    records.survey(home, status="closed", title="Last year's", opens_on=D(2019, 5, 1), closes_on=D(2019, 6, 30))
    [found] = selectors.survey_figures(home, 2021)
    assert (found.title, found.responses, found.responses_in_year, found.status) == (survey.title, 5, 5, "Open")
    assert found.opens_on == D(2020, 6, 1) and found.audience == "Practitioners and partners"
    assert found.quotes == [selectors.QuoteFigure("Listen to young people", "Child or young person",
                                                  "What would help?")]
    assert ("Front-line practitioner", 3) in found.by_role
    assert [f.title for f in selectors.survey_figures(home, 2020)] == ["Last year's"]
    [later] = selectors.survey_figures(home, 2022)  # still open, so it runs into 2021-22, without responses there
    assert later.responses == 5 and later.responses_in_year == 0
