"""Someone with no account answers a survey through its public link in Debian's chromium: the errors, then
the answers, then the thank-you page; a partner lead then reads the counts and the word cloud. Every page
passes an axe check and the strict CSP holds."""
import datetime
import re

import pytest

from safeguarding.accounts.models import Organisation
from safeguarding.accounts.roles import Role
from safeguarding.registers import models as m
from tests import factories
from tests.browser.conftest import axe_violations, sign_in
from tests.registers import records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def survey(transactional_db):
    home = factories.partnership("Home")
    records.agency(home, "Home council")
    records.agency(home, "Home police", Organisation.Sector.POLICE)
    found = m.Survey.objects.create(
        partnership=home, title="Keeping children safe: what you see", audience="practitioners",
        status="open", opens_on=datetime.date(2021, 1, 4),
        introduction="Tell us what you see in your work. It takes five minutes.")
    m.Question.objects.create(partnership=home, survey=found, order=1, kind="choice", multiple=True, max_choices=2,
                              text="Which should the partnership concentrate on?", hint="Choose up to two.",
                              options=["Domestic abuse", "Neglect", "Mental health"])
    m.Question.objects.create(partnership=home, survey=found, order=2, kind="scale",
                              text="How well do agencies work together?", low_label="Not well at all",
                              high_label="Very well")
    m.Question.objects.create(partnership=home, survey=found, order=3, kind="text", required=False,
                              text="What one change would help most?")
    return found


def test_answering_a_survey_through_its_link(page, live_server, survey):
    csp = []
    page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/survey/{survey.token}/")
    assert page.get_by_role("heading", level=1).inner_text() == survey.title
    assert axe_violations(page) == []

    # Too many choices and a missing answer: the error summary links to each question.
    choice = page.get_by_role("group", name=re.compile("1. Which should the partnership concentrate on"))
    for option in ("Domestic abuse", "Neglect", "Mental health"):
        choice.get_by_label(option).check()
    page.get_by_role("button", name="Send your answers").click()
    summary = page.locator(".govuk-error-summary")
    assert "Question 1: select no more than 2" in summary.inner_text()
    assert "Question 2: select an answer" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert axe_violations(page) == []

    choice.get_by_label("Mental health").uncheck()
    page.get_by_role("group", name=re.compile("2. How well do agencies")).get_by_label("4").check()
    page.get_by_label("3. What one change would help most? (optional)").fill(
        "Joint training so schools and police share worries sooner")
    page.get_by_label("Which agency do you work for? (optional)").select_option(label="Home police")
    page.get_by_label("Front-line practitioner").check()
    page.get_by_role("button", name="Send your answers").click()
    page.wait_for_url(re.compile(r".*/thank-you/$"))
    assert "Your answers have been sent" in page.locator(".govuk-panel").inner_text()
    assert axe_violations(page) == []

    response = m.SurveyResponse.objects.get(survey=survey)
    assert response.organisation.name == "Home police" and response.role == "front_line"
    assert sorted(response.answers.get(question__order=1).choices) == ["Domestic abuse", "Neglect"]

    # A partner lead (with their two-factor code, as every role) reads the counts and the word cloud.
    lead = factories.person(survey.partnership, Role.PARTNER_LEAD, email="lead@home.example")
    sign_in(page, live_server, lead.email, factories.PASSWORD)
    page.wait_for_url(f"{live_server.url}/p/{survey.partnership.slug}/")
    page.goto(f"{live_server.url}/p/{survey.partnership.slug}/registers/surveys/{survey.pk}/results/")
    table = page.get_by_role("table", name="Responses by agency and role")
    assert "Home police" in table.inner_text()
    cloud = page.locator("img.app-word-cloud__image")
    assert "joint" in cloud.get_attribute("alt")
    assert page.evaluate("img => img.complete && img.naturalWidth", cloud.element_handle()) == 900
    assert axe_violations(page) == []
    assert csp == [], csp
