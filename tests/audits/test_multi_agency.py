"""Multi-agency audits: the sample of pseudonymised cases, agencies' findings, learning, recommendations and
actions in the shared action log, and the yearly report's summary of them."""
import datetime

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.roles import Role
from safeguarding.actions.models import Action, Recommendation
from safeguarding.audits import selectors
from safeguarding.audits.models import AgencyFinding, AuditedCase, MultiAgencyAudit
from tests import factories

D = datetime.date


def url(name, partnership, **kwargs):
    return reverse(name, kwargs={"slug": partnership.slug, **kwargs})


@pytest.mark.django_db
def test_an_audit_from_plan_to_actions(client, partnership):
    police, school = factories.partners(partnership, "Police", "School")
    factories.sign_in(client, factories.person(partnership, Role.ADMIN))
    response = client.post(url("audits:maa-add", partnership), {
        "title": "Children living with domestic abuse", "theme": "Domestic abuse", "question": "How well?",
        "status": "complete", "started_on-day": "2", "started_on-month": "11", "started_on-year": "2020",
        "organisations": [police.pk, school.pk]})
    assert "Enter the date the audit was reported" in response.content.decode()
    client.post(url("audits:maa-add", partnership), {
        "title": "Children living with domestic abuse", "theme": "Domestic abuse", "question": "How well?",
        "status": "in_progress", "started_on-day": "2", "started_on-month": "11", "started_on-year": "2020",
        "organisations": [police.pk, school.pk]})
    audit = MultiAgencyAudit.objects.get(partnership=partnership)

    add_case = url("audits:maa-case-add", partnership, pk=audit.pk)
    assert "Enter a pseudonymised reference" in client.post(add_case, {"reference": "Amy Jones"}).content.decode()
    assert client.post(add_case, {"reference": "da-01", "another": "1"})["Location"] == add_case
    assert "DA-01 is already in this audit" in client.post(add_case, {"reference": "DA-01"}).content.decode()
    case = AuditedCase.objects.get(audit=audit)
    assert case.reference == "DA-01"

    # An agency lead records its own agency's findings; the agency is fixed to its own.
    lead = factories.sign_in(Client(), factories.person(partnership, Role.AGENCY_LEAD, org=police))
    lead.post(url("audits:maa-finding-add", partnership, pk=audit.pk), {
        "case": case.pk, "organisation": school.pk, "grade": "good", "findings": "Shared next morning"})
    finding = AgencyFinding.objects.get(audit=audit)
    assert finding.organisation == police
    outsider_agency = factories.sign_in(Client(), factories.person(
        partnership, Role.AGENCY_LEAD, org=factories.organisation("Not taking part")))
    assert outsider_agency.get(url("audits:maa-finding-add", partnership, pk=audit.pk)).status_code == 404

    client.post(url("audits:maa-edit", partnership, pk=audit.pk), {
        "title": audit.title, "theme": "Domestic abuse", "question": "How well?", "status": "complete",
        "started_on-day": "2", "started_on-month": "11", "started_on-year": "2020",
        "completed_on-day": "11", "completed_on-month": "3", "completed_on-year": "2021",
        "organisations": [police.pk, school.pk], "learning": "The child's words were missing."})
    response = client.post(url("audits:maa-recommendation-add", partnership, pk=audit.pk), {
        "text": "Record the child's words", "made_on-day": "11", "made_on-month": "3", "made_on-year": "2021"})
    recommendation = Recommendation.objects.get(partnership=partnership)
    assert recommendation.source == audit and recommendation.number == 1
    assert recommendation.source_title == "Children living with domestic abuse (multi-agency audit)"
    assert response["Location"] == url("audits:action-add", partnership, pk=recommendation.pk)
    client.post(response["Location"], {
        "description": "Add a prompt to the records", "organisation": police.pk, "owner": "Detective Inspector",
        "due_on-day": "30", "due_on-month": "9", "due_on-year": "2021", "status": "open"})
    action = Action.objects.get(recommendation=recommendation)
    assert action.organisation == police
    # The action is in the shared action log, where the agency records its progress.
    assert "Add a prompt to the records" in lead.get(url("actions:log", partnership)).content.decode()

    page = client.get(url("audits:maa", partnership, pk=audit.pk)).content.decode()
    assert "The child&#39;s words were missing." in page and "Add a prompt to the records" in page

    (learning,) = selectors.audit_learning(partnership, 2021)
    assert (learning.title, learning.theme, learning.status) == (audit.title, "Domestic abuse", "Complete")
    assert (learning.cases, learning.agencies, learning.recommendations, learning.actions) == (1, 2, 1, 1)
    assert (learning.actions_done, learning.actions_open) == (0, 1)
    assert selectors.audit_learning(partnership, 2020) == []


@pytest.mark.django_db
def test_an_action_can_be_added_only_to_an_assurance_recommendation(client, partnership):
    from django.contrib.contenttypes.models import ContentType

    from safeguarding.reviews.models import SeriousIncident

    incident = SeriousIncident.objects.create(partnership=partnership, reference="SIN-1", summary="x",
                                              aware_on=D(2020, 6, 1))
    theirs = Recommendation.objects.create(partnership=partnership, source_type=ContentType.objects.get_for_model(
        SeriousIncident), source_id=incident.pk, source_title="Child A", text="x", made_on=D(2021, 1, 1))
    factories.sign_in(client, factories.person(partnership, Role.ADMIN))
    assert client.get(url("audits:action-add", partnership, pk=theirs.pk)).status_code == 404
