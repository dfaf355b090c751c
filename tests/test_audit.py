"""The audit trail service and the access log, and the admin's pages that read them."""
import datetime

import pytest
from django.utils import timezone

from safeguarding.accounts.roles import Role
from safeguarding.actions.models import MeetingAction
from safeguarding.core import audit
from safeguarding.core.models import AccessLogEntry, AuditEvent
from safeguarding.partnership import models as m
from tests import factories


@pytest.mark.django_db
def test_bulk_changes_record_each_record_before_and_after(partnership):
    user = factories.person(partnership, Role.ADMIN)
    records = factories.records_for(partnership)
    second = MeetingAction.objects.create(partnership=partnership, description="Second", owner="X",
                                         due_on=datetime.date(2021, 1, 1), status="in_progress")
    changed = audit.bulk_update(MeetingAction.objects.for_partnership(partnership), by=user, status="cancelled")
    assert changed == 2
    events = AuditEvent.objects.filter(action="update", record_type="actions.meetingaction").order_by("record_id")
    assert [(e.record_id, e.before, e.after) for e in events] == [
        (str(records["actions"].pk), {"status": "open"}, {"status": "cancelled"}),
        (str(second.pk), {"status": "in_progress"}, {"status": "cancelled"}),
    ]
    assert all(e.actor == user and e.partnership == partnership for e in events)


@pytest.mark.django_db
def test_delete_keeps_the_values_that_were_lost(partnership):
    decision = factories.records_for(partnership)["decisions"]
    pk = decision.pk
    audit.delete(decision, by=None)
    event = AuditEvent.objects.get(action="delete")
    assert event.record_id == str(pk) and event.before["text"] == "Agreed the priorities" and event.after is None
    assert event.actor_email == ""


@pytest.mark.django_db
def test_an_unchanged_save_writes_no_event(partnership):
    subgroup = factories.records_for(partnership)["subgroups"]
    audit.update(subgroup, by=None)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_change_is_never_saved_without_its_audit_entry(partnership, monkeypatch):
    def broken_log(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit, "log", broken_log)
    with pytest.raises(RuntimeError):
        audit.create(m.Subgroup(partnership=partnership, name="Unaudited"), by=None)
    assert not m.Subgroup.objects.filter(name="Unaudited").exists()


@pytest.mark.django_db
def test_viewing_sensitive_detail_writes_the_access_log(admin_client, partnership):
    admin_client.get(f"/p/{partnership.slug}/people/")
    entry = AccessLogEntry.objects.get()
    assert entry.record_type == "accounts.membership" and entry.partnership == partnership
    assert entry.path == f"/p/{partnership.slug}/people/" and entry.user_email.endswith("@test.example")

    event = audit.log(action="create", instance=factories.records_for(partnership)["subgroups"], by=None)
    admin_client.get(f"/p/{partnership.slug}/audit/{event.pk}/")
    assert AccessLogEntry.objects.filter(record_type="core.auditevent", record_id=str(event.pk)).exists()


@pytest.mark.django_db
def test_admin_filters_the_trail_by_person_record_and_date(client, partnership):
    alice = factories.person(partnership, Role.ADMIN, email="alice@test.example")
    bob = factories.person(partnership, Role.ADMIN, email="bob@test.example")
    records = factories.records_for(partnership)
    audit.log(action="update", instance=records["subgroups"], by=alice, before={"a": 1}, after={"a": 2})
    old = audit.log(action="update", instance=records["meetings"], by=bob, before={"b": 1}, after={"b": 2})
    old.at = timezone.now() - datetime.timedelta(days=400)
    old.save()
    factories.sign_in(client, alice)
    url = f"/p/{partnership.slug}/audit/"

    page = client.get(url, {"person": "alice@test.example"}).content.decode()
    assert "1 change<" in page and "partnership.subgroup" in page and "partnership.meeting " not in page

    page = client.get(url, {"record_type": "partnership.meeting", "record_id": str(records["meetings"].pk)})
    assert "bob@test.example" in page.content.decode()

    today = timezone.localdate()
    page = client.get(url, {"date_from-day": today.day, "date_from-month": today.month,
                            "date_from-year": today.year}).content.decode()
    assert "alice@test.example</td>" in page and "bob@test.example</td>" not in page

    bad = client.get(url, {"date_from-day": "40", "date_from-month": "1", "date_from-year": "2021"}).content.decode()
    assert "Enter a real date" in bad and "govuk-error-summary" in bad


@pytest.mark.django_db
def test_audit_event_page_shows_values_before_and_after(admin_client, partnership):
    event = audit.log(action="update", instance=factories.records_for(partnership)["subgroups"], by=None,
                      before={"chair": "Old chair"}, after={"chair": "New chair"})
    page = admin_client.get(f"/p/{partnership.slug}/audit/{event.pk}/").content.decode()
    assert "Old chair" in page and "New chair" in page


@pytest.mark.django_db
def test_access_log_page_lists_views(admin_client, partnership):
    admin_client.get(f"/p/{partnership.slug}/people/")
    page = admin_client.get(f"/p/{partnership.slug}/access-log/").content.decode()
    assert "1 view<" in page and "accounts.membership" in page


@pytest.mark.django_db
def test_health_endpoint(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
