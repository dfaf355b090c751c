"""Archive and restore for every kind of record, through core's pages (core/archiving.py; ADR 0003): the person
who keeps a register archives from the record's page, the record leaves its list, is listed on Archived records
and comes back with Restore; another partnership's record is 404, a member who does not keep that register 403."""
import datetime

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.roles import Role
from safeguarding.core import archiving
from safeguarding.core.models import AccessLogEntry, AuditEvent
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db


def lado_contact(p):
    from safeguarding.lado.models import LadoContact

    return LadoContact.objects.create(partnership=p, reference="L-ARCH", kind="referral", received_on=D(2021, 1, 4),
                                      person_role="Teacher", threshold_limb="harmed", employer_sector="education",
                                      referrer="DSL", referrer_sector="education", category="physical")


def incident(p):
    from safeguarding.reviews.models import SeriousIncident

    return SeriousIncident.objects.create(partnership=p, reference="SIN-ARCH", summary="Harm", aware_on=D(2020, 6, 8))


def multi_agency_audit(p):
    from safeguarding.audits.models import MultiAgencyAudit

    return MultiAgencyAudit.objects.create(partnership=p, title="Neglect audit", theme="Neglect",
                                           started_on=D(2020, 11, 2))


def escalation(p):
    from safeguarding.audits.models import Escalation

    return Escalation.objects.create(partnership=p, reference="ESC-ARCH", raised_by=factories.organisation(),
                                     about=factories.organisation(), theme="threshold", concern="Closed early",
                                     raised_on=D(2020, 12, 14))


# kind: (make one, who keeps it, a member who does not, the record's page, its list)
KINDS = {
    "lado-contact": (lado_contact, Role.LADO, Role.ADMIN, "lado:contact", "lado:contacts"),
    "incident": (incident, Role.CASE_REVIEW, Role.PARTNER_LEAD, "reviews:incident", "reviews:index"),
    "multi-agency-audit": (multi_agency_audit, Role.ADMIN, Role.PARTNER_LEAD, "audits:maa", "audits:maa-list"),
    "escalation": (escalation, Role.ADMIN, Role.AGENCY_LEAD, "audits:escalation", "audits:escalations"),
}


def test_every_kind_the_issue_names_is_registered_and_each_name_once():
    assert set(KINDS) <= set(archiving.KINDS)
    assert {"voice", "survey", "arrangement"} <= set(archiving.KINDS)  # the registers' kinds, moved here
    with pytest.raises(ValueError, match="Two kinds"):
        archiving.register(archiving.Archivable("voice", object, "x", "x", "x", str))


@pytest.mark.parametrize("kind", KINDS)
def test_the_keeper_archives_from_the_page_and_restores(kind):
    make, keeper, _, page, listing = KINDS[kind]
    home = factories.partnership("Home")
    record = make(home)
    client = factories.sign_in(Client(), factories.person(home, keeper))
    archive = reverse("core:archive", kwargs={"slug": home.slug, "kind": kind, "pk": record.pk})
    assert archive in client.get(reverse(page, kwargs={"slug": home.slug, "pk": record.pk})).content.decode()
    assert "Are you sure you want to archive this" in client.get(archive).content.decode()
    done = client.post(archive)
    assert done.status_code == 302 and done.url == reverse(listing, kwargs={"slug": home.slug})
    record.refresh_from_db()
    assert record.archived_at is not None
    assert client.get(reverse(page, kwargs={"slug": home.slug, "pk": record.pk})).status_code == 404
    archived = client.get(reverse("core:archived", kwargs={"slug": home.slug})).content.decode()
    assert str(record) in archived
    client.post(reverse("core:restore", kwargs={"slug": home.slug, "kind": kind, "pk": record.pk}))
    record.refresh_from_db()
    assert record.archived_at is None
    assert list(AuditEvent.objects.filter(record_id=str(record.pk), action__in=["archive", "restore"])
                .values_list("action", flat=True).order_by("id")) == ["archive", "restore"]


@pytest.mark.parametrize("kind", KINDS)
def test_others_cannot(kind):
    make, keeper, member, _, _ = KINDS[kind]
    home, away = factories.partnership("Home"), factories.partnership("Away")
    record = make(home)
    archive = reverse("core:archive", kwargs={"slug": home.slug, "kind": kind, "pk": record.pk})
    restore = reverse("core:restore", kwargs={"slug": home.slug, "kind": kind, "pk": record.pk})
    not_keeper = factories.sign_in(Client(), factories.person(home, member))
    assert not_keeper.get(archive).status_code == 403 and not_keeper.post(archive).status_code == 403
    outsider = factories.sign_in(Client(), factories.person(away, keeper))
    assert outsider.get(archive).status_code == 404 and outsider.post(restore).status_code == 404
    # The keeper of another partnership's register cannot reach this one's record through their own slug either.
    theirs = reverse("core:archive", kwargs={"slug": away.slug, "kind": kind, "pk": record.pk})
    assert outsider.post(theirs).status_code == 404
    record.refresh_from_db()
    assert record.archived_at is None


def test_archived_records_are_listed_only_to_those_who_keep_them():
    home = factories.partnership("Home")
    contact, audit = lado_contact(home), multi_agency_audit(home)
    lado = factories.sign_in(Client(), factories.person(home, Role.LADO))
    admin = factories.sign_in(Client(), factories.person(home, Role.ADMIN))
    for client, kind, record in ((lado, "lado-contact", contact), (admin, "multi-agency-audit", audit)):
        client.post(reverse("core:archive", kwargs={"slug": home.slug, "kind": kind, "pk": record.pk}))
    url = reverse("core:archived", kwargs={"slug": home.slug})
    seen_by_lado, seen_by_admin = lado.get(url).content.decode(), admin.get(url).content.decode()
    assert "L-ARCH" in seen_by_lado and "Neglect audit" not in seen_by_lado
    assert "Neglect audit" in seen_by_admin and "L-ARCH" not in seen_by_admin
    scrutineer = factories.sign_in(Client(), factories.person(home, Role.SCRUTINEER))
    assert scrutineer.get(url).status_code == 403


def test_opening_a_lado_contact_to_archive_it_is_logged():
    home = factories.partnership("Home")
    contact = lado_contact(home)
    lado = factories.sign_in(Client(), factories.person(home, Role.LADO))
    lado.get(reverse("core:archive", kwargs={"slug": home.slug, "kind": "lado-contact", "pk": contact.pk}))
    assert AccessLogEntry.objects.filter(record_type="lado.ladocontact", record_id=str(contact.pk)).exists()


def test_an_unknown_kind_is_not_found():
    home = factories.partnership("Home")
    admin = factories.sign_in(Client(), factories.person(home, Role.ADMIN))
    assert admin.get(reverse("core:archive", kwargs={"slug": home.slug, "kind": "nothing", "pk": 1})).status_code == 404
