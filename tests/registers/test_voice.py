"""The voice of children and families: what they said and what changed ("you said, we did"), by year."""
import datetime

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.roles import Role
from safeguarding.core.models import AuditEvent
from safeguarding.registers import models as m
from safeguarding.registers import selectors
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def test_records_heard_or_changed_in_the_year():
    home = factories.partnership("Home")
    record = lambda title, heard, changed=None, did="": m.VoiceRecord.objects.create(  # noqa: E731
        partnership=home, title=title, heard_on=heard, changed_on=changed, we_did=did, who="children",
        source="forum", you_said="Something")
    record("Heard last year, changed this year", D(2020, 2, 1), D(2020, 5, 1), "Changed it")
    record("Heard this year", D(2020, 9, 1))
    record("Heard next year", D(2021, 4, 1))
    record("Archived", D(2020, 9, 1)).__class__.objects.filter(title="Archived").update(archived_at="2021-01-01T00:00Z")
    found = selectors.voice_records(home, 2021)
    assert [v.title for v in found] == ["Heard last year, changed this year", "Heard this year"]
    assert found[0].we_did == "Changed it" and found[0].who == "Children and young people"
    assert found[1].we_did == "" and found[1].changed_on is None


def test_recording_what_was_said_and_what_changed():
    home = factories.partnership("Home")
    admin = factories.sign_in(Client(), factories.person(home, Role.ADMIN))
    add = reverse("registers:voice-add", kwargs={"slug": home.slug})
    page = admin.post(add, {"title": "Bus stops", **_date("heard_on", D(2020, 10, 14)),
                            **_date("changed_on", D(2020, 9, 1))}).content.decode()
    for message in ("Select who spoke", "Select where it was heard", "Enter what they said",
                    "Enter what changed, or remove the date of the change"):
        assert message in page
    admin.post(add, {"title": "Bus stops", **_date("heard_on", D(2020, 10, 14)), "who": "children",
                     "source": "forum", "you_said": "Waiting at bus stops after school feels unsafe"})
    record = m.VoiceRecord.objects.get()
    assert not record.acted_on
    admin.post(reverse("registers:voice-edit", kwargs={"slug": home.slug, "pk": record.pk}), {
        "title": "Bus stops", **_date("heard_on", D(2020, 10, 14)), "who": "children", "source": "forum",
        "you_said": record.you_said, "we_did": "Wardens at three bus stops", **_date("changed_on", D(2021, 1, 18))})
    record.refresh_from_db()
    assert record.acted_on and record.changed_on == D(2021, 1, 18)
    event = AuditEvent.objects.get(record_type="registers.voicerecord", action="update")
    assert event.after == {"we_did": "Wardens at three bus stops", "changed_on": "2021-01-18"}
    scrutineer = factories.sign_in(Client(), factories.person(home, Role.SCRUTINEER))
    page = scrutineer.get(reverse("registers:voice", kwargs={"slug": home.slug}), {"year": "2021"}).content.decode()
    assert "Wardens at three bus stops" in page and "Record what was said" not in page
    csv = scrutineer.get(reverse("registers:voice", kwargs={"slug": home.slug}), {"format": "csv"}).content.decode()
    assert "Bus stops,2020-10-14,Children and young people" in csv


def test_archiving_and_restoring_a_record():
    home = factories.partnership("Home")
    record = m.VoiceRecord.objects.create(partnership=home, title="Old", heard_on=D(2020, 1, 1), who="families",
                                          source="feedback", you_said="x")
    admin = factories.sign_in(Client(), factories.person(home, Role.ADMIN))
    url = reverse("core:archive", kwargs={"slug": home.slug, "kind": "voice", "pk": record.pk})
    assert "Are you sure you want to archive this you said, we did record?" in admin.get(url).content.decode()
    admin.post(url)
    assert m.VoiceRecord.objects.get().archived_at is not None
    assert "Old" in admin.get(reverse("core:archived", kwargs={"slug": home.slug})).content.decode()
    admin.post(reverse("core:restore", kwargs={"slug": home.slug, "kind": "voice", "pk": record.pk}))
    assert m.VoiceRecord.objects.get().archived_at is None
    assert list(AuditEvent.objects.filter(record_type="registers.voicerecord").values_list("action", flat=True)
                .order_by("id")) == ["archive", "restore"]


def test_a_question_cannot_be_removed_once_the_survey_has_opened():
    from tests.registers import records

    home = factories.partnership("Home")
    survey = records.survey(home)
    admin = factories.sign_in(Client(), factories.person(home, Role.ADMIN))
    question = survey.questions.first()
    url = reverse("core:archive", kwargs={"slug": home.slug, "kind": "question", "pk": question.pk})
    assert admin.post(url).status_code == 302
    question.refresh_from_db()
    assert question.archived_at is None
