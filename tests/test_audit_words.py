"""Issue #14 point 8: the audit trail reads in words, after edits of several kinds: the record's kind and name
(not "reports.reporttext 11"), field labels (not field names), dates as dates, choices by their labels and
linked records by their names."""
import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.roles import Role
from safeguarding.actions.models import MeetingAction
from safeguarding.core import audit
from safeguarding.core.models import AuditEvent
from safeguarding.reports import services
from tests import factories

pytestmark = pytest.mark.django_db
CODES = [re.compile(r"\b[a-z]+\.[a-z]+ \d+\b"),  # app_label.model pk
         re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),  # field names, choice codes
         re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T[\d:.+]+)?")]  # ISO dates and timestamps


def _visible(page):
    body = page.split("<main", 1)[1].split("</main>", 1)[0]
    body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def _codes(text):
    return [m.group(0) for pattern in CODES for m in pattern.finditer(text)]


def test_the_trail_reads_in_words_after_edits_of_several_kinds(partnership):
    admin = factories.person(partnership, Role.ADMIN)
    client = factories.sign_in(Client(), admin)
    records = factories.records_for(partnership)
    # A report and its narrative (a foreign key, a choice of section, a timestamp) ...
    report = services.create_report(partnership=partnership, year=2021, comparators="dfe", by=admin)
    services.save_text(report=report, section="lado", text="Referrals fell.", by=admin)
    services.save_text(report=report, section="lado", text="Referrals fell by half.", by=admin)
    figure = services.add_context_figure(report=report, label="Children aged 0 to 19", value="70,800",
                                         source="ONS mid-2020", by=admin)
    services.remove(record=figure, by=admin)
    services.mark_final(report=report, by=admin)  # a choice: draft -> final
    # ... a register record changed (a choice and dates), archived and restored.
    action = records["actions"]
    action.status, action.completed_on = MeetingAction.Status.IN_PROGRESS, datetime.date(2021, 2, 3)
    audit.update(action, by=admin)
    audit.archive(records["subgroups"], by=admin)
    audit.restore(records["subgroups"], by=admin)

    trail = client.get(reverse("core:audit-trail", kwargs={"slug": partnership.slug})).content.decode()
    text = _visible(trail)
    assert not _codes(text), _codes(text)
    assert "Report narrative: “Allegations against people who work with children (LADO)” in" in text
    assert "Yearly report: " in text and "Local context figure: Children aged 0 to 19: 70,800" in text
    assert "Meeting action: Update the escalation policy" in text
    assert '<option value="reports.reporttext">Report narrative</option>' in trail  # the filter too

    def event_page(**match):
        event = AuditEvent.objects.filter(partnership=partnership, **match).order_by("-id").first()
        page = client.get(reverse("core:audit-event", kwargs={"slug": partnership.slug, "pk": event.pk}))
        assert page.status_code == 200
        return _visible(page.content.decode()), event

    text, event = event_page(record_type="reports.reporttext", action="create")
    assert not _codes(text), _codes(text)
    assert re.search(r"Section\s+Allegations against people who work with children \(LADO\)", text)
    assert re.search(r"Report\s+" + re.escape(str(report)), text)  # the linked record by its name
    assert "Last changed" in text and "Narrative" in text
    day = event.at  # the timestamp as a date and time, as pages write them
    from safeguarding.core.formats import format_date

    assert format_date(datetime.datetime.fromisoformat(event.after["updated_at"]), with_time=True) in text
    assert format_date(day, with_time=True) in text

    text, _ = event_page(record_type="reports.yearlyreport", action="update")
    assert re.search(r"Status\s+Draft\s+Final, awaiting sign-off", text) and not _codes(text), _codes(text)

    text, _ = event_page(record_type="actions.meetingaction", action="update")
    assert re.search(r"Status\s+Not started\s+In progress", text)
    assert re.search(r"Date completed\s+3 February 2021", text) and not _codes(text), _codes(text)

    text, _ = event_page(record_type="reports.contextfigure", action="delete")
    assert re.search(r"What the figure is\s+Children aged 0 to 19", text) and not _codes(text), _codes(text)

    text, _ = event_page(record_type="partnership.subgroup", action="archive")
    assert "Archived" in text and not _codes(text), _codes(text)


def test_a_value_of_a_record_since_deleted_or_a_kind_no_longer_known_still_shows(partnership):
    admin = factories.person(partnership, Role.ADMIN)
    client = factories.sign_in(Client(), admin)
    event = AuditEvent.objects.create(partnership=partnership, action="update", record_type="gone.oldmodel",
                                      record_id="4", record_label="An old record", before={"x": 1}, after={"x": 2})
    page = client.get(reverse("core:audit-event", kwargs={"slug": partnership.slug, "pk": event.pk}))
    assert page.status_code == 200 and "An old record" in page.content.decode()
    report = services.create_report(partnership=partnership, year=2021, comparators="dfe", by=admin)
    text = services.save_text(report=report, section="foreword", text="Hello", by=admin)
    from safeguarding.reports.models import YearlyReport

    rows = audit.changes_in_words(AuditEvent.objects.get(record_type="reports.reporttext"))
    YearlyReport.objects.filter(pk=report.pk).delete()
    rows_after = audit.changes_in_words(AuditEvent.objects.get(record_type="reports.reporttext"))
    assert {"field": "Report", "before": "", "after": str(report)} in rows
    assert {"field": "Report", "before": "", "after": f"number {report.pk} (since deleted)"} in rows_after
    assert text.pk
