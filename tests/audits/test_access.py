"""What each role sees on the assurance pages it may open: an agency lead its own agency's findings and returns,
a scrutineer the figures and learning but no case detail.

Who may open each page (every role, an agency lead of another organisation, another partnership, anonymous) is in
the access matrix (tests/access_matrix.py, tests/test_access.py); the access log in tests/test_security.py."""
import pytest
from django.urls import reverse

from safeguarding.accounts.roles import Role
from tests import factories

from . import builders


def _url(name, world, **kwargs):
    return reverse(name, kwargs={"slug": world.partnership.slug, **kwargs})


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}


@pytest.mark.django_db
def test_an_agency_lead_sees_only_its_own_findings_and_returns(client, media):
    home = factories.partnership("Home")
    world = builders.world(home)
    factories.sign_in(client, factories.person(home, Role.AGENCY_LEAD, org=world.other))
    page = client.get(_url("audits:maa", world, pk=world.audit.pk)).content.decode()
    assert "DA-01" in page and "Notification shared the next morning" not in page
    assert client.get(reverse("audits:return", kwargs={"slug": home.slug, "pk": world.submitted.pk})).status_code == 200
    cycle_page = client.get(_url("audits:cycle", world, pk=world.cycle.pk)).content.decode()
    assert world.agency.name not in cycle_page  # the list of agencies' returns is for the partnership


@pytest.mark.django_db
def test_the_scrutineer_sees_no_case_detail(client, media):
    home = factories.partnership("Home")
    world = builders.world(home)
    factories.sign_in(client, factories.person(home, Role.SCRUTINEER))
    page = client.get(_url("audits:maa", world, pk=world.audit.pk)).content.decode()
    assert "Children&#39;s words were missing from records." in page  # the learning
    assert "DA-01" not in page and "Notification shared the next morning" not in page
    escalations = client.get(_url("audits:escalations", world)).content.decode()
    assert "ESC-01" not in escalations and "Referral closed without an assessment" not in escalations
    assert "Raised" in escalations  # the figures
    assert client.get(_url("audits:escalation", world, pk=world.escalation.pk)).status_code == 403
    cycle = client.get(_url("audits:cycle", world, pk=world.cycle.pk)).content.decode()
    assert world.other.name not in cycle and "Returns submitted" in cycle
