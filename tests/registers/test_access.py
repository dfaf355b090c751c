"""The public survey link beyond who may open it: an unknown, draft or archived survey's link is not found, a closed
one says so, and the link shows the survey.

Who may open each registers page and the link (every role, another partnership, anonymous) is in the access
matrix (tests/access_matrix.py, tests/test_access.py); the access log of private fostering in
tests/test_security.py."""
import pytest
from django.urls import reverse

from safeguarding.registers import models as m
from tests import factories
from tests.registers import records

PUBLIC = ("survey:answer", "survey:thanks")


@pytest.mark.django_db
def test_the_survey_link_shows_the_survey_to_anyone(client):
    survey = records.records_for(factories.partnership("Home"))["survey"]
    page = client.get(reverse("survey:answer", kwargs={"token": survey.token})).content.decode()
    assert survey.title in page and "Which matters most?" in page


@pytest.mark.django_db
def test_an_unknown_draft_or_archived_survey_link_is_not_found(client):
    home = factories.partnership("Home")
    made = records.records_for(home)
    assert client.get(reverse("survey:answer", kwargs={"token": "x" * 43})).status_code == 404
    assert client.get(reverse("survey:answer", kwargs={"token": made["draft"].token})).status_code == 404
    m.Survey.objects.filter(pk=made["survey"].pk).update(archived_at="2021-01-01T00:00:00Z")
    for name in PUBLIC:
        assert client.get(reverse(name, kwargs={"token": made["survey"].token})).status_code == 404


@pytest.mark.django_db
def test_a_closed_survey_link_says_so(client):
    home = factories.partnership("Home")
    survey = records.records_for(home)["survey"]
    m.Survey.objects.filter(pk=survey.pk).update(status="closed", closes_on="2021-03-31")
    response = client.get(reverse("survey:answer", kwargs={"token": survey.token}))
    assert response.status_code == 410
    page = response.content.decode()
    assert "This survey has closed" in page and "closed on 31 March 2021" in page and "<form" not in page
    # Past its closing date, an open survey is closed too.
    m.Survey.objects.filter(pk=survey.pk).update(status="open", closes_on="2021-03-31")
    assert client.get(reverse("survey:answer", kwargs={"token": survey.token})).status_code == 410
