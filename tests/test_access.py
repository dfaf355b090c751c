"""Access for every partnership page: each role, a member of another partnership, and anonymous.

The expected access is written out here, independently of the rules in the code, and a URL
that is missing from this table fails `test_every_partnership_url_is_in_the_table`.
"""
import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguarding.accounts.roles import Role
from safeguarding.partnership.sections import SECTIONS
from tests import factories

EVERYONE = frozenset(Role)
ADMIN_ONLY = frozenset({Role.ADMIN})
IMPORTERS = frozenset({Role.ADMIN, Role.ANALYST})
CASE_REVIEWERS = frozenset({Role.ADMIN, Role.CASE_REVIEW})  # incident notifications, rapid reviews, CSPRs
# Roles that reach only their own organisation's records: the test record belongs to another one, so 404.
OTHER_ORGANISATIONS_RECORD = {"reviews:action-edit": {Role.AGENCY_LEAD}}  # the only roles that run imports and see child-level data
# Who may add, change and archive in each register section (default: the business unit).
SECTION_MANAGERS = {"actions": frozenset({Role.ADMIN, Role.PARTNER_LEAD})}

# url name -> (method, who may use it, needs a record)
TABLE = {
    "partnership:home": ("get", EVERYONE, False),
    "partnership:register": ("get", EVERYONE, False),
    "partnership:people": ("get", ADMIN_ONLY, False),
    "partnership:section": ("get", EVERYONE, False),
    "partnership:record": ("get", EVERYONE, True),
    "partnership:add": ("get", "managers", False),
    "partnership:edit": ("get", "managers", True),
    "partnership:archive": ("get", "managers", True),
    "partnership:restore": ("post", "managers", True),
    "core:audit-trail": ("get", ADMIN_ONLY, False),
    "core:audit-event": ("get", ADMIN_ONLY, True),
    "core:access-log": ("get", ADMIN_ONLY, False),
    "returns:list": ("get", IMPORTERS, False),
    "returns:upload": ("get", IMPORTERS, False),
    "returns:import": ("get", IMPORTERS, True),
    "returns:quality": ("get", IMPORTERS, True),
    "dashboard:index": ("get", EVERYONE, False),
    "dashboard:table-csv": ("get", EVERYONE, False),
    "dashboard:table-xlsx": ("get", EVERYONE, False),
    "dashboard:chart-data-csv": ("get", EVERYONE, False),
    "dashboard:chart-data-xlsx": ("get", EVERYONE, False),
    "dashboard:chart-svg": ("get", EVERYONE, False),
    "dashboard:chart-png": ("get", EVERYONE, False),
    "api-token:manage": ("get", EVERYONE, False),
    "lado:index": ("get", EVERYONE, False),
    "lado:contacts": ("get", frozenset({Role.LADO}), False),
    "lado:add": ("get", frozenset({Role.LADO}), False),
    "lado:contact": ("get", frozenset({Role.LADO}), True),
    "lado:edit": ("get", frozenset({Role.LADO}), True),
    "reviews:index": ("get", EVERYONE, False),
    "reviews:incident-add": ("get", CASE_REVIEWERS, False),
    "reviews:incident": ("get", CASE_REVIEWERS, True),
    "reviews:incident-edit": ("get", CASE_REVIEWERS, True),
    "reviews:review": ("get", CASE_REVIEWERS, True),
    "reviews:document-add": ("get", CASE_REVIEWERS, True),
    "reviews:document": ("get", CASE_REVIEWERS, True),
    "reviews:incident-recommendation-add": ("get", CASE_REVIEWERS, True),
    "reviews:recommendation-add": ("get", CASE_REVIEWERS, False),
    "reviews:action-add": ("get", CASE_REVIEWERS, True),
    "reviews:actions": ("get", EVERYONE, False),
    "reviews:action-edit": ("get", frozenset({Role.ADMIN, Role.CASE_REVIEW, Role.PARTNER_LEAD}), True),
    "reports:index": ("get", EVERYONE, False),
    "reports:detail": ("get", EVERYONE, True),
    "reports:edit-section": ("get", ADMIN_ONLY, True),
    "reports:add-context": ("get", ADMIN_ONLY, True),
    "reports:add-figure": ("get", ADMIN_ONLY, True),
    "reports:remove-part": ("post", ADMIN_ONLY, True),
    "reports:mark-final": ("post", ADMIN_ONLY, True),
    "reports:sign-off": ("post", frozenset({Role.PARTNER_LEAD}), True),
    "reports:publish": ("post", ADMIN_ONLY, True),
    "reports:new-version": ("post", ADMIN_ONLY, True),
    "reports:html": ("get", EVERYONE, True),
    "reports:pdf": ("get", EVERYONE, True),
    "reports:docx": ("get", EVERYONE, True),
}


def _names(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _names(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def partnership_url_names():
    return {name for name in _names(get_resolver()) if name.startswith(("partnership:", "core:", "returns:", "dashboard:", "api-token:", "reports:", "lado:", "reviews:"))}


def test_every_partnership_url_is_in_the_table():
    assert partnership_url_names() == set(TABLE), "add new pages to the access table"


def _cases():
    for name, (method, allowed, needs_record) in TABLE.items():
        if name.startswith("partnership:") and name not in ("partnership:home", "partnership:register",
                                                             "partnership:people"):
            for section in SECTIONS:
                who = SECTION_MANAGERS.get(section.slug, ADMIN_ONLY) if allowed == "managers" else allowed
                yield pytest.param(name, method, who, needs_record, section.slug, id=f"{name}-{section.slug}")
        else:
            yield pytest.param(name, method, allowed, needs_record, None, id=name)


def _url(name, partnership, section, record):
    kwargs = {"slug": partnership.slug}
    if section:
        kwargs["section"] = section
    if record is not None:
        kwargs["pk"] = getattr(record, "report_id", record.pk)
    if name == "reviews:document":
        kwargs.update(pk=record.incident_id, document_pk=record.pk)
    if name in ("reviews:review", "reviews:document-add", "reviews:incident-recommendation-add"):
        kwargs["pk"] = record.pk
    if name == "reports:edit-section":
        kwargs["section"] = "foreword"
    if name == "reports:remove-part":
        kwargs.update(kind="context", part=record.pk)
    return reverse(name, kwargs=kwargs)


def _review_record(name, home):
    """The record a case review page needs: an incident (with a decision to review), its document, a
    recommendation, or an action owned by an agency none of the test people belong to."""
    from django.core.files.base import ContentFile

    from safeguarding.reviews.models import Action, Recommendation, ReviewDocument, SeriousIncident

    incident = SeriousIncident.objects.create(partnership=home, reference="SIN-1", summary="x",
                                              aware_on="2020-06-01", decision="local_cspr", decision_on="2020-06-20")
    if name == "reviews:document":
        document = ReviewDocument(partnership=home, incident=incident, title="Terms of reference")
        document.file.save("tor.pdf", ContentFile(b"%PDF-1.7"), save=False)
        document.save()
        return document
    recommendation = Recommendation.objects.create(partnership=home, source=incident, source_title="Child Z",
                                                   text="Do better", made_on="2021-01-05")
    if name == "reviews:action-add":
        return recommendation
    if name == "reviews:action-edit":
        return Action.objects.create(partnership=home, recommendation=recommendation, description="Act",
                                     organisation=factories.organisation("Owning agency"), owner="Head",
                                     due_on="2021-06-30")
    return incident


@pytest.mark.django_db
@pytest.mark.parametrize("name,method,allowed,needs_record,section", list(_cases()))
def test_access(name, method, allowed, needs_record, section, store):
    home = factories.partnership("Home")
    away = factories.partnership("Away")
    records = factories.records_for(home)
    record = None
    if needs_record:
        if name == "core:audit-event":
            from safeguarding.core import audit

            record = audit.log(action="create", instance=records["subgroups"], by=None)
        elif name.startswith("returns:"):
            from safeguarding.returns.models import ReturnImport

            record = ReturnImport.objects.create(partnership=home, la_code=home.la_code, file_names="cin.xml")
        elif name.startswith("lado:"):
            from safeguarding.lado.models import LadoContact

            record = LadoContact.objects.create(
                partnership=home, reference="L-1", kind="consultation", received_on="2020-05-01",
                person_role="Coach", employer_sector="sport", referrer="Club", referrer_sector="sport",
                category="physical")
        elif name.startswith("reviews:"):
            record = _review_record(name, home)
        elif name.startswith("reports:"):
            from safeguarding.reports.models import ContextFigure, YearlyReport

            record = YearlyReport.objects.create(partnership=home, year=2021, title="Home yearly report 2020-21")
            if name == "reports:remove-part":
                record = ContextFigure.objects.create(report=record, label="Children aged 0 to 19", value="1,000")
        else:
            record = records[section]
    url = _url(name, home, section, record)

    for role in Role:
        client = factories.sign_in(Client(), factories.person(home, role))
        response = getattr(client, method)(url)
        expected = (302 if method == "post" else 200) if role in allowed else 403
        if role in OTHER_ORGANISATIONS_RECORD.get(name, ()):
            expected = 404
        assert response.status_code == expected, f"{role} {method.upper()} {url}"

    outsider = factories.sign_in(Client(), factories.person(away, Role.ADMIN))
    assert getattr(outsider, method)(url).status_code == 404, f"outsider {url}"

    anonymous = getattr(Client(), method)(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/account/sign-in/"), url


@pytest.mark.django_db
@pytest.mark.parametrize("section", [s.slug for s in SECTIONS])
def test_a_record_of_another_partnership_is_not_found_through_yours(section):
    home = factories.partnership("Home")
    away = factories.partnership("Away")
    theirs = factories.records_for(away)[section]
    client = factories.sign_in(Client(), factories.person(home, Role.ADMIN))
    for name in ("partnership:record", "partnership:edit", "partnership:archive"):
        assert client.get(reverse(name, kwargs={"slug": home.slug, "section": section, "pk": theirs.pk})
                          ).status_code == 404


@pytest.mark.django_db
def test_an_audit_event_of_another_partnership_is_not_found(client):
    from safeguarding.core import audit

    home = factories.partnership("Home")
    away = factories.partnership("Away")
    event = audit.log(action="create", instance=factories.records_for(away)["subgroups"], by=None)
    factories.sign_in(client, factories.person(home, Role.ADMIN))
    assert client.get(reverse("core:audit-event", kwargs={"slug": home.slug, "pk": event.pk})).status_code == 404


@pytest.mark.django_db
def test_an_import_of_another_partnership_is_not_found(client):
    from safeguarding.returns.models import ReturnImport

    home = factories.partnership("Home")
    away = factories.partnership("Away")
    theirs = ReturnImport.objects.create(partnership=away, la_code="999", file_names="cin.xml")
    factories.sign_in(client, factories.person(home, Role.ANALYST))
    for name in ("returns:import", "returns:quality"):
        assert client.get(reverse(name, kwargs={"slug": home.slug, "pk": theirs.pk})).status_code == 404


@pytest.mark.django_db
def test_unknown_section_is_not_found(client):
    home = factories.partnership("Home")
    factories.sign_in(client, factories.person(home, Role.ADMIN))
    assert client.get(f"/p/{home.slug}/register/no-such-thing/").status_code == 404
