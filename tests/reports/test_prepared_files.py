"""A draft's PDF and Word file are written by the task worker while its page is read, or after an import, not in
the download's request (issue 19, point 4; ADR 0031)."""
import pytest

from safeguarding.reports import render
from tests.reports.conftest import report_url

pytestmark = pytest.mark.django_db


def test_reading_a_draft_asks_the_worker_for_its_files_once_and_the_download_reads_them(draft_report, settings,
                                                                                       monkeypatch):
    settings.PREPARE_PAGES_AHEAD = True  # the tests' task backend runs the task at once, as the worker would
    home, admin, _, leads, report = draft_report
    asked = []
    real = render.prepare_ahead
    monkeypatch.setattr(render, "prepare_ahead", lambda *a, **k: asked.append(real(*a, **k)) or asked[-1])
    assert admin.get(report_url("detail", report)).status_code == 200
    assert admin.get(report_url("detail", report)).status_code == 200
    assert asked == [True, False]  # once per content

    import weasyprint

    def refuse(*args, **kwargs):
        raise AssertionError("laid out in the request")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", refuse)
    monkeypatch.setattr(render, "_docx", refuse)
    pdf = leads[0].get(report_url("pdf", report))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = leads[0].get(report_url("docx", report))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")


def test_a_changed_draft_is_asked_for_again(draft_report, settings):
    settings.PREPARE_PAGES_AHEAD = True
    home, admin, admin_user, _, report = draft_report
    assert render.prepare_ahead(report) is True
    assert render.prepare_ahead(report) is False
    from safeguarding.reports import services

    services.save_text(report=report, section="foreword", text="A new foreword.", by=admin_user)
    assert render.prepare_ahead(report) is True


def test_off_it_asks_for_nothing(draft_report, settings):
    settings.PREPARE_PAGES_AHEAD = False
    assert render.prepare_ahead(draft_report[4]) is False
