"""Access to every registers page for each role, a member of another partnership and anonymous visitors, and
to the public survey link. The table is written out here, independently of the rules in the code; a
"registers:" or "survey:" URL missing from it fails the completeness test."""
import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguarding.accounts.roles import Role
from safeguarding.core.models import AccessLogEntry
from safeguarding.registers import models as m
from tests import factories
from tests.registers import records

EVERYONE = frozenset(Role)
BUSINESS_UNIT = frozenset({Role.ADMIN})

# url name -> (method, who may use it, which record it is about: a key of records.records_for, or None)
TABLE = {
    "registers:index": ("get", EVERYONE, None),
    "registers:archived": ("get", BUSINESS_UNIT, None),
    "registers:archive": ("get", BUSINESS_UNIT, "voice"),
    "registers:restore": ("post", BUSINESS_UNIT, "archived"),
    "registers:fostering": ("get", EVERYONE, None),
    "registers:arrangement-add": ("get", BUSINESS_UNIT, None),
    # A child each: the business unit only, every view logged.
    "registers:arrangement": ("get", BUSINESS_UNIT, "arrangement"),
    "registers:arrangement-edit": ("get", BUSINESS_UNIT, "arrangement"),
    "registers:visit-add": ("get", BUSINESS_UNIT, "arrangement"),
    "registers:visit-edit": ("get", BUSINESS_UNIT, "visit"),
    "registers:training": ("get", EVERYONE, None),
    "registers:course-add": ("get", BUSINESS_UNIT, None),
    "registers:course": ("get", EVERYONE, "course"),
    "registers:course-edit": ("get", BUSINESS_UNIT, "course"),
    "registers:session-add": ("get", BUSINESS_UNIT, "course"),
    "registers:session": ("get", EVERYONE, "session"),
    "registers:session-edit": ("get", BUSINESS_UNIT, "session"),
    "registers:attendance-add": ("get", BUSINESS_UNIT, "session"),
    "registers:attendance-edit": ("get", BUSINESS_UNIT, "attendance"),
    "registers:evaluation-add": ("get", BUSINESS_UNIT, "attendance"),
    "registers:evaluation-edit": ("get", BUSINESS_UNIT, "evaluation"),
    "registers:surveys": ("get", EVERYONE, None),
    "registers:survey-add": ("get", BUSINESS_UNIT, None),
    "registers:survey": ("get", EVERYONE, "survey"),
    "registers:survey-edit": ("get", BUSINESS_UNIT, "survey"),
    "registers:survey-status": ("post", BUSINESS_UNIT, "survey"),
    "registers:question-add": ("get", BUSINESS_UNIT, "draft"),
    "registers:question-edit": ("get", BUSINESS_UNIT, "question"),
    "registers:survey-results": ("get", EVERYONE, "survey"),
    "registers:survey-csv": ("get", EVERYONE, "survey"),
    "registers:word-cloud": ("get", EVERYONE, "survey"),
    "registers:quote-add": ("get", BUSINESS_UNIT, "survey"),
    "registers:quote-edit": ("get", BUSINESS_UNIT, "quote"),
    "registers:voice": ("get", EVERYONE, None),
    "registers:voice-add": ("get", BUSINESS_UNIT, None),
    "registers:voice-record": ("get", EVERYONE, "voice"),
    "registers:voice-edit": ("get", BUSINESS_UNIT, "voice"),
}
PUBLIC = {"survey:answer", "survey:thanks"}


def _names(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _names(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def test_every_registers_url_is_in_the_table():
    names = {name for name in _names(get_resolver()) if name.startswith(("registers:", "survey:"))}
    assert names == set(TABLE) | PUBLIC, "add new registers pages to the access table"


def _url(name, partnership, record):
    kwargs = {"slug": partnership.slug}
    if name in ("registers:archive", "registers:restore"):
        kwargs["kind"] = "voice"
    if record is not None:
        kwargs["pk"] = record.pk
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TABLE))
def test_access(name):
    method, allowed, key = TABLE[name]
    home = factories.partnership("Home")
    away = factories.partnership("Away")
    record = records.records_for(home)[key] if key else None
    url = _url(name, home, record)

    for role in Role:
        client = factories.sign_in(Client(), factories.person(home, role))
        response = getattr(client, method)(url)
        expected = (302 if method == "post" else 200) if role in allowed else 403
        assert response.status_code == expected, f"{role} {method.upper()} {url}"

    outsider = factories.sign_in(Client(), factories.person(away, Role.ADMIN))
    assert getattr(outsider, method)(url).status_code == 404, f"outsider {url}"

    anonymous = getattr(Client(), method)(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/account/sign-in/"), url


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, (_, _, key) in TABLE.items() if key and n != "registers:restore"))
def test_a_record_of_another_partnership_is_not_found_through_yours(name):
    home = factories.partnership("Home")
    away = factories.partnership("Away")
    theirs = records.records_for(away)[TABLE[name][2]]
    client = factories.sign_in(Client(), factories.person(home, Role.ADMIN))
    assert getattr(client, TABLE[name][0])(_url(name, home, theirs)).status_code == 404


@pytest.mark.django_db
def test_unknown_kind_of_record_is_not_found():
    home = factories.partnership("Home")
    client = factories.sign_in(Client(), factories.person(home, Role.ADMIN))
    assert client.get(f"/p/{home.slug}/registers/archive/nothing/1/").status_code == 404


@pytest.mark.django_db
def test_viewing_an_arrangement_is_logged():
    home = factories.partnership("Home")
    arrangement = records.records_for(home)["arrangement"]
    client = factories.sign_in(Client(), factories.person(home, Role.ADMIN))
    client.get(reverse("registers:arrangement", kwargs={"slug": home.slug, "pk": arrangement.pk}))
    entry = AccessLogEntry.objects.get(record_type="registers.privatefosteringarrangement")
    assert entry.record_id == str(arrangement.pk) and entry.partnership_id == home.pk


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, *Role])
def test_the_survey_link_works_without_an_account_and_for_anyone(role):
    home = factories.partnership("Home")
    survey = records.records_for(home)["survey"]
    client = Client()
    if role is not None:  # a member of any partnership, signed in, is treated like anyone else
        client = factories.sign_in(client, factories.person(factories.partnership(f"Other {role}"), role))
    for name in PUBLIC:
        response = client.get(reverse(name, kwargs={"token": survey.token}))
        assert response.status_code == 200, (name, role)
    assert survey.title in client.get(reverse("survey:answer", kwargs={"token": survey.token})).content.decode()


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
