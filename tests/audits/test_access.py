"""Access to every assurance page: each role, a member of another partnership (404), anonymous visitors (sign-in),
an agency lead of another organisation (404 for a return or findings that are not theirs), and what a scrutineer
does not see. The table is written out here, independently of the rules in the code; a new "audits:" URL
missing from it fails `test_every_assurance_url_is_in_the_table`."""
import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguarding.accounts.roles import Role
from safeguarding.core.models import AccessLogEntry
from tests import factories

from . import builders

EVERYONE = frozenset(Role)
ADMIN = frozenset({Role.ADMIN})
DETAIL = frozenset({Role.ADMIN, Role.PARTNER_LEAD})
RETURN_READERS = frozenset({Role.ADMIN, Role.PARTNER_LEAD, Role.AGENCY_LEAD})
AGENCY = frozenset({Role.AGENCY_LEAD})
FINDINGS = frozenset({Role.ADMIN, Role.AGENCY_LEAD})

# url name -> (method, who may use it, the URL's record: a function of the world giving its kwargs)
TABLE = {
    "audits:index": ("get", EVERYONE, None),
    "audits:frameworks": ("get", EVERYONE, None),
    "audits:framework-add": ("get", ADMIN, None),
    "audits:framework": ("get", EVERYONE, lambda w: {"pk": w.framework.pk}),
    "audits:framework-edit": ("get", ADMIN, lambda w: {"pk": w.framework.pk}),
    "audits:standard-add": ("get", ADMIN, lambda w: {"pk": w.framework.pk}),
    "audits:standard-edit": ("get", ADMIN, lambda w: {"pk": w.framework.standards.first().pk}),
    "audits:cycle-add": ("get", ADMIN, None),
    "audits:cycle": ("get", EVERYONE, lambda w: {"pk": w.cycle.pk}),
    "audits:cycle-edit": ("get", ADMIN, lambda w: {"pk": w.cycle.pk}),
    "audits:matrix": ("get", DETAIL, lambda w: {"pk": w.cycle.pk}),
    "audits:matrix-xlsx": ("get", DETAIL, lambda w: {"pk": w.cycle.pk}),
    "audits:cycle-actions": ("get", DETAIL, lambda w: {"pk": w.cycle.pk}),
    "audits:return-start": ("post", AGENCY, lambda w: {"pk": w.cycle.pk}),
    "audits:return-share": ("post", AGENCY, lambda w: {"pk": w.cycle.pk}),
    "audits:cycle-recommendation-add": ("get", ADMIN, lambda w: {"pk": w.cycle.pk}),
    "audits:return": ("get", RETURN_READERS, lambda w: {"pk": w.draft.pk}),
    "audits:answer": ("get", AGENCY, lambda w: {"pk": w.draft.pk, "key": w.framework.standards.first().key}),
    "audits:evidence": ("get", RETURN_READERS, lambda w: {"pk": w.draft.pk, "file_pk": w.evidence.pk}),
    "audits:evidence-remove": ("post", AGENCY, lambda w: {"pk": w.draft.pk, "file_pk": w.evidence.pk}),
    "audits:planned-action-add": ("get", AGENCY, lambda w: {"pk": w.draft.pk}),
    "audits:planned-action-edit": ("get", AGENCY, lambda w: {"pk": w.draft.pk, "action_pk": w.action.pk}),
    "audits:return-submit": ("get", AGENCY, lambda w: {"pk": w.draft.pk}),
    "audits:return-send-back": ("post", ADMIN, lambda w: {"pk": w.submitted.pk}),
    "audits:moderate": ("get", ADMIN, lambda w: {"pk": w.submitted.pk}),
    "audits:challenge-add": ("get", ADMIN, lambda w: {"pk": w.submitted.pk}),
    "audits:challenge-respond": ("get", AGENCY, lambda w: {"pk": w.challenge.pk}),
    "audits:challenge-resolve": ("post", ADMIN, lambda w: {"pk": w.challenge.pk}),
    "audits:maa-list": ("get", EVERYONE, None),
    "audits:maa-add": ("get", ADMIN, None),
    "audits:maa": ("get", EVERYONE, lambda w: {"pk": w.audit.pk}),
    "audits:maa-edit": ("get", ADMIN, lambda w: {"pk": w.audit.pk}),
    "audits:maa-case-add": ("get", ADMIN, lambda w: {"pk": w.audit.pk}),
    "audits:maa-finding-add": ("get", FINDINGS, lambda w: {"pk": w.audit.pk}),
    "audits:maa-finding-edit": ("get", FINDINGS, lambda w: {"pk": w.audit.pk, "finding_pk": w.finding.pk}),
    "audits:maa-recommendation-add": ("get", ADMIN, lambda w: {"pk": w.audit.pk}),
    "audits:action-add": ("get", ADMIN, lambda w: {"pk": w.recommendation.pk}),
    "audits:escalations": ("get", EVERYONE, None),
    "audits:escalation-add": ("get", ADMIN, None),
    "audits:escalation": ("get", DETAIL, lambda w: {"pk": w.escalation.pk}),
    "audits:escalation-edit": ("get", ADMIN, lambda w: {"pk": w.escalation.pk}),
}

# Pages about one agency's return or findings: what an agency lead of another organisation gets (404).
ANOTHER_AGENCYS = ["audits:return", "audits:answer", "audits:evidence", "audits:evidence-remove",
                   "audits:planned-action-add", "audits:planned-action-edit", "audits:return-submit",
                   "audits:challenge-respond", "audits:maa-finding-edit"]


def _names(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _names(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def test_every_assurance_url_is_in_the_table():
    names = {name for name in _names(get_resolver()) if name.startswith("audits:")}
    assert names == set(TABLE), "add new assurance pages to the access table"


def _url(name, world):
    _, _, record = TABLE[name]
    return reverse(name, kwargs={"slug": world.partnership.slug, **(record(world) if record else {})})


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(TABLE))
def test_access(name, media):
    method, allowed, _ = TABLE[name]
    home = factories.partnership("Home")
    away = factories.partnership("Away")
    world = builders.world(home)
    url = _url(name, world)
    for role in Role:
        # Everyone belongs to the agency whose return it is, so only the role decides.
        client = factories.sign_in(Client(), factories.person(home, role, org=world.agency))
        response = getattr(client, method)(url)
        expected = (302 if method == "post" else 200) if role in allowed else 403
        assert response.status_code == expected, f"{role} {method.upper()} {url}"

    outsider = factories.sign_in(Client(), factories.person(away, Role.ADMIN, org=world.agency))
    assert getattr(outsider, method)(url).status_code == 404, f"outsider {url}"

    anonymous = getattr(Client(), method)(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/account/sign-in/"), url


@pytest.mark.django_db
@pytest.mark.parametrize("name", ANOTHER_AGENCYS)
def test_an_agency_lead_of_another_organisation_gets_not_found(name, media):
    home = factories.partnership("Home")
    world = builders.world(home)
    stranger = factories.organisation("Another agency")
    client = factories.sign_in(Client(), factories.person(home, Role.AGENCY_LEAD, org=stranger))
    method = TABLE[name][0]
    assert getattr(client, method)(_url(name, world)).status_code == 404
    # The agency's own lead reaches the same page.
    own = factories.sign_in(Client(), factories.person(home, Role.AGENCY_LEAD, org=world.agency))
    assert getattr(own, method)(_url(name, world)).status_code in (200, 302)


@pytest.mark.django_db
def test_an_agency_lead_sees_only_its_own_findings_and_returns(client, media):
    home = factories.partnership("Home")
    world = builders.world(home)
    factories.sign_in(client, factories.person(home, Role.AGENCY_LEAD, org=world.other))
    page = client.get(_url("audits:maa", world)).content.decode()
    assert "DA-01" in page and "Notification shared the next morning" not in page
    assert client.get(reverse("audits:return", kwargs={"slug": home.slug, "pk": world.submitted.pk})).status_code == 200
    cycle_page = client.get(_url("audits:cycle", world)).content.decode()
    assert world.agency.name not in cycle_page  # the list of agencies' returns is for the partnership


@pytest.mark.django_db
def test_records_of_another_partnership_are_not_found_through_yours(client, media):
    home = factories.partnership("Home")
    away = factories.partnership("Away")
    theirs = builders.world(away)
    # Every role at once, and the same agency as the other partnership's records: only the partnership differs.
    factories.sign_in(client, factories.person(home, *Role, org=theirs.agency))
    for name in TABLE:
        if TABLE[name][2] is None:
            continue
        url = reverse(name, kwargs={"slug": home.slug, **TABLE[name][2](theirs)})
        assert getattr(client, TABLE[name][0])(url).status_code == 404, name


@pytest.mark.django_db
def test_the_scrutineer_sees_no_case_detail(client, media):
    home = factories.partnership("Home")
    world = builders.world(home)
    factories.sign_in(client, factories.person(home, Role.SCRUTINEER))
    page = client.get(_url("audits:maa", world)).content.decode()
    assert "Children&#39;s words were missing from records." in page  # the learning
    assert "DA-01" not in page and "Notification shared the next morning" not in page
    escalations = client.get(_url("audits:escalations", world)).content.decode()
    assert "ESC-01" not in escalations and "Referral closed without an assessment" not in escalations
    assert "Raised" in escalations  # the figures
    assert client.get(_url("audits:escalation", world)).status_code == 403
    cycle = client.get(_url("audits:cycle", world)).content.decode()
    assert world.other.name not in cycle and "Returns submitted" in cycle


@pytest.mark.django_db
def test_case_detail_is_access_logged(client, media):
    home = factories.partnership("Home")
    world = builders.world(home)
    factories.sign_in(client, factories.person(home, Role.PARTNER_LEAD))
    assert "DA-01" in client.get(_url("audits:maa", world)).content.decode()
    client.get(_url("audits:escalation", world))
    logged = set(AccessLogEntry.objects.filter(partnership=home).values_list("record_type", flat=True))
    assert {"audits.multiagencyaudit", "audits.escalation"} <= logged
