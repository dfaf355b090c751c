"""Issue #14 point 6: a report cannot be published incomplete by accident, and a draft's files say DRAFT.

While Working Together elements are missing or narratives are empty, "Mark final", sign-off and publish say so
and link to what is missing; publishing then needs a reason, kept with the report and in the audit trail."""
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.core.models import AuditEvent
from safeguarding.reports import render
from safeguarding.reports.document import SECTIONS
from tests.reports.conftest import report_url

pytestmark = pytest.mark.django_db
MARK = "DRAFT: not published"


def _signed_off(admin, leads, report):
    admin.post(report_url("edit-section", report, section="foreword"), {"text": "Only the foreword is written."})
    admin.post(report_url("mark-final", report))
    for lead in leads:
        lead.post(report_url("sign-off", report))
    report.refresh_from_db()
    assert report.status == "signed_off"


def test_each_step_says_what_is_missing_and_links_to_it(draft_report):
    home, admin, _, leads, report = draft_report
    admin.post(report_url("edit-section", report, section="foreword"), {"text": "Only the foreword is written."})
    page = admin.get(report_url("detail", report)).content.decode()
    assert (f"8 of 8 Working Together elements missing; {len(SECTIONS) - 1} of {len(SECTIONS)} sections without "
            "narrative") in page
    # Each gap links to the editor of the section that answers it.
    for key, title in SECTIONS:
        if key != "foreword":
            assert f'href="{report_url("edit-section", report, section=key)}">No narrative in “{title}”' in page
    assert "Working Together element missing: The contribution each safeguarding partner made" in page
    assert "things are still missing" in page and "Mark final even though it is incomplete" in page

    admin.post(report_url("mark-final", report))
    page = leads[0].get(report_url("detail", report)).content.decode()
    assert "Sign off, incomplete, for Home council" in page and 'href="#missing-title"' in page
    # No longer editable: the links go to the section in the report.
    assert f'href="{report_url("detail", report)}#finance">No narrative in “Financial arrangements”' in page


def test_publishing_incomplete_needs_a_reason_kept_with_who_and_when(draft_report):
    home, admin, admin_user, leads, report = draft_report
    _signed_off(admin, leads, report)
    page = admin.get(report_url("detail", report)).content.decode()
    assert f'href="{report_url("publish", report)}"' in page and "Publish…" in page

    form = admin.get(report_url("publish", report)).content.decode()
    assert "Publish an incomplete report" in form and "No narrative in “Looking ahead”" in form
    assert "Why should it be published before it is complete?" in form

    for reason in ("", "   ", "because"):  # none, blank, too short: refused, nothing changes
        response = admin.post(report_url("publish", report), {"incomplete_because": reason})
        assert response.status_code == 200
        assert "Enter why the report should be published while it is incomplete" in response.content.decode()
        report.refresh_from_db()
        assert report.status == "signed_off" and not report.published_html

    # The service refuses too, whatever calls it.
    from django.core.exceptions import ValidationError

    from safeguarding.reports import services

    with pytest.raises(ValidationError, match="say why it should be published now"):
        services.publish(report=report, by=admin_user)

    why = "The partners agreed to publish by 30 September; the rest follows in version 2."
    assert admin.post(report_url("publish", report), {"incomplete_because": why}).status_code == 302
    report.refresh_from_db()
    assert report.status == "published" and report.published_incomplete_because == why
    assert "No narrative in “Looking ahead”" in report.missing_when_published.splitlines()

    event = AuditEvent.objects.filter(record_type="reports.yearlyreport", record_id=str(report.pk),
                                      after__status="published").get()
    assert event.actor == admin_user and event.after["published_incomplete_because"] == why
    # The audit entry reads in words, and the report page says who, when and why.
    entry = admin.get(reverse("core:audit-event", kwargs={"slug": home.slug, "pk": event.pk})).content.decode()
    assert "Why it was published incomplete" in entry and "What was missing when it was published" in entry
    assert "Published" in entry and why.replace("'", "&#39;") in entry
    page = admin.get(report_url("detail", report)).content.decode()
    assert "Published incomplete" in page and admin_user.full_name in page and why in page


def test_a_report_not_signed_off_cannot_be_published_from_the_form(draft_report):
    _, admin, _, _, report = draft_report
    page = admin.get(report_url("publish", report)).content.decode()
    assert "Only a report signed off by every statutory partner can be published" in page
    response = admin.post(report_url("publish", report), {"incomplete_because": "We want it out today, whatever."})
    assert "Only a report signed off by every statutory partner can be published." in response.content.decode()
    report.refresh_from_db()
    assert report.status == "draft"


def _pdf_pages(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in reader.trailer["/Root"]
    return [page.extract_text() for page in reader.pages]


def _docx_header(data):
    from docx import Document

    return " ".join(p.text for s in Document(io.BytesIO(data)).sections for p in s.header.paragraphs)


def test_draft_files_say_draft_on_every_page_and_published_files_do_not(draft_report):
    home, admin, _, leads, report = draft_report
    draft_pdf = admin.get(report_url("pdf", report)).content
    pages = _pdf_pages(draft_pdf)
    assert len(pages) > 3 and all(MARK in page for page in pages)
    assert MARK in _docx_header(admin.get(report_url("docx", report)).content)
    assert MARK in admin.get(report_url("html", report)).content.decode()
    assert MARK in admin.get(report_url("detail", report)).content.decode()  # the preview on the page

    _signed_off(admin, leads, report)  # signed off but not published: still a draft
    assert all(MARK in page for page in _pdf_pages(render.to_pdf(report)))
    admin.post(report_url("publish", report), {"incomplete_because": "Agreed at the board on 1 July to publish now."})
    report.refresh_from_db()
    public = reverse("published:version", kwargs={"slug": home.slug, "year": 2021, "version": 1})
    pages = _pdf_pages(Client().get(public + "report.pdf").content)
    assert not any("DRAFT" in page for page in pages)
    assert "DRAFT" not in _docx_header(Client().get(public + "report.docx").content)
    assert not re.search("DRAFT", Client().get(public).content.decode())
