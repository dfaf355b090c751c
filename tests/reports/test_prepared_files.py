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


# A draft that keeps changing (issue 19, point 3; ADR 0031) -------------------------------------------------

def _priority(home, title):
    import datetime

    from safeguarding.partnership.models import Priority

    return Priority.objects.create(partnership=home, title=title, starts_on=datetime.date(2020, 4, 1))


def _docx_text(content):
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()


def _refuse_layout(monkeypatch):
    import weasyprint

    def refuse(*args, **kwargs):
        raise AssertionError("laid out in the request")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", refuse)
    monkeypatch.setattr(render, "_docx", refuse)


def test_a_draft_changed_by_the_records_it_draws_on_serves_its_newest_file_and_its_page_says_when(
        draft_report, settings, monkeypatch):
    settings.PREPARE_PAGES_AHEAD = True
    home, admin, _, leads, report = draft_report
    assert "files-as-at" not in admin.get(report_url("detail", report)).content.decode()  # written: up to date
    before = leads[0].get(report_url("docx", report)).content
    _priority(home, "Neglect in the early years")  # a register the draft draws on, not the report itself
    _refuse_layout(monkeypatch)
    page = admin.get(report_url("detail", report)).content.decode()
    assert "files-as-at" in page and "show the draft as it stood on" in page
    docx = leads[0].get(report_url("docx", report))
    assert docx.status_code == 200 and docx.content == before and docx.has_header("Last-Modified")
    assert "Neglect in the early years" not in _docx_text(docx.content)
    assert leads[1].get(report_url("pdf", report)).content.startswith(b"%PDF")


def test_a_newest_file_older_than_the_limit_is_not_served(draft_report, settings):
    settings.PREPARE_PAGES_AHEAD = True
    home, admin, _, leads, report = draft_report
    admin.get(report_url("detail", report))
    _priority(home, "Neglect in the early years")
    settings.DRAFT_FILES_BEHIND_AT_MOST = -1  # every file written is already too old
    assert "files-as-at" not in admin.get(report_url("detail", report)).content.decode()
    docx = leads[0].get(report_url("docx", report))
    assert "Neglect in the early years" in _docx_text(docx.content) and not docx.has_header("Last-Modified")


def test_a_change_to_the_report_itself_is_always_in_the_next_download(draft_report, settings):
    settings.PREPARE_PAGES_AHEAD = True
    home, admin, admin_user, leads, report = draft_report
    admin.get(report_url("detail", report))
    from safeguarding.reports import services

    services.save_text(report=report, section="foreword", text="A foreword written this morning.", by=admin_user)
    docx = leads[0].get(report_url("docx", report))
    assert "A foreword written this morning." in _docx_text(docx.content)


def test_a_draft_that_keeps_changing_is_asked_for_at_most_once_a_pause(draft_report, settings):
    import time

    settings.PREPARE_PAGES_AHEAD = True
    settings.DRAFT_FILES_ASK_EVERY = 1
    home, _, _, _, report = draft_report
    assert render.prepare_ahead(report) is True
    _priority(home, "Neglect in the early years")
    assert render.prepare_ahead(report) is False  # changed, but asked a moment ago
    time.sleep(2.1)  # the database cache keeps whole seconds
    assert render.prepare_ahead(report) is True
    assert render.prepared(report, "pdf") is not None  # the tests' task backend wrote it at once


def test_a_file_another_process_is_writing_is_waited_for_not_written_again(monkeypatch):
    from django.core.cache import cache

    cache.add("report:pdf:abc:writing", True, 60)  # the layout worker is laying it out

    def their_file_arrives(seconds):
        cache.set("report:pdf:abc", b"%PDF theirs", 60)
        cache.delete("report:pdf:abc:writing")

    monkeypatch.setattr(render.time, "sleep", their_file_arrives)
    assert render._written_once("report:pdf:abc", lambda: b"%PDF mine") == b"%PDF theirs"


def test_a_file_whose_other_writer_gave_up_is_written_here(monkeypatch):
    from django.core.cache import cache

    cache.add("report:pdf:abc:writing", True, 60)
    monkeypatch.setattr(render.time, "sleep", lambda seconds: cache.delete("report:pdf:abc:writing"))
    assert render._written_once("report:pdf:abc", lambda: b"%PDF mine") == b"%PDF mine"
    assert cache.get("report:pdf:abc") == b"%PDF mine" and not cache.has_key("report:pdf:abc:writing")


def test_a_signed_off_report_is_laid_out_ahead_and_publishing_reads_it(draft_report, settings, monkeypatch):
    from tests.reports.test_incomplete import _signed_off

    settings.PREPARE_PAGES_AHEAD = True
    home, admin, _, leads, report = draft_report
    _signed_off(admin, leads, report)  # the last sign-off asks the layout worker (the tests' backend runs it now)
    assert "Publish" in admin.get(report_url("publish", report)).content.decode()
    _refuse_layout(monkeypatch)
    why = "The partners agreed to publish by 30 September; the rest follows in version 2."
    assert admin.post(report_url("publish", report), {"incomplete_because": why}).status_code == 302
    report.refresh_from_db()
    assert report.status == "published" and bytes(report.published_pdf).startswith(b"%PDF")
    assert "DRAFT" not in _docx_text(bytes(report.published_docx))


def test_an_edit_made_while_the_file_was_laid_out_is_in_the_next_download(draft_report, settings, monkeypatch):
    from safeguarding.reports import services

    settings.PREPARE_PAGES_AHEAD = True
    home, admin, admin_user, leads, report = draft_report
    real = render._docx

    def edited_meanwhile(document, draft):
        services.save_text(report=report, section="foreword", text="Written while the file was laid out.",
                           by=admin_user)
        return real(document, draft)

    monkeypatch.setattr(render, "_docx", edited_meanwhile)
    render.to_docx(report)  # the layout worker's file, read from the report before the edit
    monkeypatch.setattr(render, "_docx", real)
    monkeypatch.setattr(render, "prepare_ahead", lambda *args, **kwargs: False)  # the worker has not run again yet
    docx = leads[0].get(report_url("docx", report))
    assert "Written while the file was laid out." in _docx_text(docx.content)
