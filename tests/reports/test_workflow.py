"""A report from draft to published: editing, the Working Together checklist, sign-off by each statutory
partner, publication at a public address, freezing, and a new version that supersedes the old one."""
import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.models import Organisation
from safeguarding.accounts.roles import Role
from safeguarding.core.models import AuditEvent
from safeguarding.reports.models import YearlyReport
from tests import factories
from tests.reports.conftest import report_url

pytestmark = pytest.mark.django_db


def test_editing_a_section_is_audited_and_the_checklist_shrinks(draft_report):
    home, admin, _, leads, report = draft_report
    page = admin.get(report_url("detail", report)).content.decode()
    assert "8 of 8 Working Together elements missing" in page
    response = admin.post(report_url("edit-section", report, section="looking-ahead"),
                          {"text": "Private fostering was slow to improve.\n\nWe will fix it."})
    assert response.status_code == 302
    page = admin.get(report_url("detail", report)).content.decode()
    assert "7 of 8 Working Together elements missing" in page
    assert "<p class=\"govuk-body app-report-text\">We will fix it.</p>" in page
    event = AuditEvent.objects.filter(record_type="reports.reporttext").get()
    assert event.partnership_id == home.pk and event.after["text"].startswith("Private fostering")


def test_unknown_section_is_not_found(draft_report):
    _, admin, _, _, report = draft_report
    assert admin.get(report_url("edit-section", report, section="nothing")).status_code == 404


def test_sign_off_by_each_statutory_partner_then_publish_and_supersede(draft_report):
    home, admin, _, leads, report = draft_report
    admin.post(report_url("edit-section", report, section="foreword"), {"text": "First words."})
    # Not final yet: a lead cannot sign, the admin cannot publish.
    leads[0].post(report_url("sign-off", report))
    admin.post(report_url("publish", report))
    report.refresh_from_db()
    assert report.status == "draft" and not report.sign_offs.exists()

    admin.post(report_url("mark-final", report))
    assert admin.post(report_url("edit-section", report, section="foreword"), {"text": "Changed"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "final" and report.texts.get(section="foreword").text == "First words."

    public = reverse("published:version", kwargs={"slug": "home", "year": 2021, "version": 1})
    assert Client().get(public).status_code == 404  # not published yet

    for number, lead in enumerate(leads, start=1):
        assert lead.post(report_url("sign-off", report)).status_code == 302
        assert report.sign_offs.count() == number
    leads[0].post(report_url("sign-off", report))  # twice: refused
    report.refresh_from_db()
    assert report.sign_offs.count() == 3 and report.status == "signed_off"
    assert [s.organisation.name for s in report.sign_offs.all()] == ["Home council", "Home police", "Home ICB"]

    admin.post(report_url("publish", report), {"incomplete_because": "The partners agreed to publish by 30 September."})
    report.refresh_from_db()
    assert report.status == "published" and report.published_pdf[:5] == b"%PDF-"
    anonymous = Client()
    page = anonymous.get(public)
    assert page.status_code == 200 and "First words." in page.content.decode()
    assert anonymous.get(public + "report.pdf").content == bytes(report.published_pdf)
    assert anonymous.get(public + "report.docx").status_code == 200
    assert anonymous.get(reverse("published:latest", kwargs={"slug": "home", "year": 2021})).status_code == 200

    # The published report no longer changes, whatever happens to the register or its drafts.
    frozen = report.published_html
    from safeguarding.reports.models import ReportText

    ReportText.objects.filter(report=report, section="foreword").update(text="Tampered")
    assert "Tampered" not in anonymous.get(public).content.decode() and report.published_html == frozen

    admin.post(report_url("new-version", report))
    draft = YearlyReport.objects.get(partnership=home, year=2021, version=2)
    assert draft.status == "draft" and draft.supersedes == report
    admin.post(report_url("edit-section", draft, section="foreword"), {"text": "Corrected words."})
    admin.post(report_url("mark-final", draft))
    for lead in leads:
        lead.post(report_url("sign-off", draft))
    admin.post(report_url("publish", draft), {"incomplete_because": "A correction that cannot wait for the rest."})
    report.refresh_from_db()
    assert report.status == "superseded"
    old = anonymous.get(public).content.decode()
    assert "This version has been superseded" in old and "First words." in old  # still reachable
    newest = anonymous.get(reverse("published:latest", kwargs={"slug": "home", "year": 2021})).content.decode()
    assert "Corrected words." in newest


def test_a_lead_of_a_non_statutory_agency_cannot_sign_off(draft_report):
    home, admin, _, leads, report = draft_report
    other = factories.organisation("Home fire", Organisation.Sector.FIRE)
    lead = factories.sign_in(Client(), factories.person(home, Role.PARTNER_LEAD, org=other))
    admin.post(report_url("mark-final", report))
    response = lead.post(report_url("sign-off", report), follow=True)
    assert "Only a lead of one of the statutory safeguarding partners" in response.content.decode()
    assert not report.sign_offs.exists()


def test_a_report_of_another_partnership_is_not_found(draft_report):
    home, admin, _, leads, report = draft_report
    away = factories.partnership("Away")
    theirs = YearlyReport.objects.create(partnership=away, year=2021, title="Away report")
    for name in ("detail", "pdf", "docx", "mark-final"):
        url = reverse(f"reports:{name}", kwargs={"slug": home.slug, "pk": theirs.pk})
        response = admin.post(url) if name == "mark-final" else admin.get(url)
        assert response.status_code == 404, name


def test_bad_figure_request_is_refused_with_a_message(draft_report, store):
    home, admin, _, leads, report = draft_report
    response = admin.post(report_url("add-figure", report), {"kind": "co_occurrence", "ends_on-day": "18", "ends_on-month": "3",
                                                       "ends_on-year": "2020"})
    page = response.content.decode()
    assert response.status_code == 200 and "Select a group of factors" in page and "Enter the first day" in page
    assert not report.figures.exists()
