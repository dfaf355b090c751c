"""The upload page: an analyst uploads a return, the import runs as a background task, the page shows
how it went; the quality report is child-level and logged."""
import pytest

from safeguarding.accounts.roles import Role
from safeguarding.core.models import AccessLogEntry
from safeguarding.returns.models import ReturnImport
from tests import factories
from tests.returns import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client, partnership):
    partnership.la_code = "210"
    partnership.save()
    return factories.sign_in(client, factories.person(partnership, Role.ANALYST))


def upload(client, partnership, files, **data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    uploads = [SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)
               for name, content in files]
    return client.post(f"/p/{partnership.slug}/returns/upload/", {"files": uploads, **data})


def test_analyst_uploads_a_cin_census(analyst, partnership, store, tmp_path, settings):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    response = upload(analyst, partnership, [("CIN 2021.xml", samples.cin_xml(3, icpc_on_referral=False))])
    record = ReturnImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/returns/{record.pk}/")
    assert record.status == "loaded" and record.year == 2021 and record.counts["referrals"] == 3
    assert record.uploaded_by is not None and record.file_names == "CIN_2021.xml"
    assert list((tmp_path / "uploads").iterdir()) == []  # uploaded child-level files are not kept
    page = analyst.get(response["Location"]).content.decode()
    assert 'id="outcome-title">Loaded<' in page and "Children in Need census 2020-21 for local authority 210" in page
    listing = analyst.get(f"/p/{partnership.slug}/returns/").content.decode()
    assert "CIN_2021.xml" in listing and "2020-21" in listing


def test_ssda903_tables_upload_together(analyst, partnership, store, tmp_path, settings):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    header, episodes = samples.ssda903(tmp_path / "lac")
    upload(analyst, partnership, [("header.csv", header.read_text()), ("episodes.csv", episodes.read_text())])
    record = ReturnImport.objects.get()
    assert record.status == "loaded" and record.kind == "ssda903" and record.counts["episodes"] == 3


def test_a_refused_upload_says_what_to_fix(analyst, partnership, store, tmp_path, settings):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    response = upload(analyst, partnership, [("cin.xml", samples.cin_xml(2, la="999"))])
    page = analyst.get(response["Location"]).content.decode()
    assert "Refused: the return was not loaded, nothing has changed" in page
    assert "the file is for local authority 999, but it is being loaded for local authority 210" in page
    assert ReturnImport.objects.get().status == "rejected"
    assert store.loaded_returns() == []


def test_an_upload_with_errors_loads_and_says_so(analyst, partnership, store, tmp_path, settings):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    text = samples.cin_xml(3, category="BAD").replace("<ReferralNFA>0</ReferralNFA>", "<ReferralNFA>false</ReferralNFA>")
    text = text.replace("<CPPstartDate>2020-09-14</CPPstartDate>", "<CPPstartDate>14/09/2020</CPPstartDate>", 1)
    response = upload(analyst, partnership, [("cin.xml", text)])
    record = ReturnImport.objects.get()
    assert record.status == "loaded" and record.outcome == "errors"
    assert record.left_out["cpp_starts"] == 1 and record.counts["plans"] == 2
    page = analyst.get(response["Location"]).content.decode()
    assert 'id="outcome-title">Loaded with errors<' in page
    assert "Children in Need census 2020-21 for local authority 210" in page
    assert "8905" in page and "Initial category of abuse missing or not in the code list" in page
    assert "L-BOOL" in page and "Records left out of the figures" in page and "CPP starts in year" in page
    assert "line " in page and "&#39;BAD&#39; is not a valid code in 2021" in page  # the first findings
    listing = analyst.get(f"/p/{partnership.slug}/returns/").content.decode()
    assert "Loaded with errors" in listing


def test_upload_form_errors(analyst, partnership, store, settings):
    page = analyst.post(f"/p/{partnership.slug}/returns/upload/", {}).content.decode()
    assert "govuk-error-summary" in page and "Select the return files" in page
    settings.RETURNS_MAX_UPLOAD_BYTES = 100
    page = upload(analyst, partnership, [("cin.xml", samples.cin_xml(2))]).content.decode()
    assert "the most that can be uploaded at once is" in page
    assert not ReturnImport.objects.exists()


def test_progress_page_refreshes_while_running(analyst, partnership, store):
    record = ReturnImport.objects.create(partnership=partnership, la_code="210", file_names="big.xml",
                                         status="running", progress=45)
    page = analyst.get(f"/p/{partnership.slug}/returns/{record.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert 'value="45"' in page and "45% done" in page


def test_quality_report_is_logged_and_downloadable(analyst, partnership, store, tmp_path, settings):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    text = samples.cin_xml(2, icpc_on_referral=False).replace("<Ethnicity>WBRI</Ethnicity>",
                                                              "<Ethnicity>XXXX</Ethnicity>")
    upload(analyst, partnership, [("cin.xml", text)])
    record = ReturnImport.objects.get()
    summary = analyst.get(f"/p/{partnership.slug}/returns/{record.pk}/").content.decode()
    assert "4220" in summary and "Ethnicity missing or not in the code list" in summary
    page = analyst.get(f"/p/{partnership.slug}/returns/{record.pk}/quality/").content.decode()
    assert "2 findings" in page and "Children in Need census 2020-21 for local authority 210 (loaded with errors)" in page
    csv_text = analyst.get(f"/p/{partnership.slug}/returns/{record.pk}/quality/?format=csv").content.decode()
    assert csv_text.splitlines()[0] == "DfE rule,Kind,Check,Child (pseudonym),Where,Field,Value,Message"
    assert len(csv_text.splitlines()) == 3 and all(",Error,Ethnicity" in line for line in csv_text.splitlines()[1:])
    workbook = analyst.get(f"/p/{partnership.slug}/returns/{record.pk}/quality/?format=xlsx&rule=4220")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(workbook.content)).active
    assert [c.value for c in sheet[1]][:3] == ["DfE rule", "Kind", "Check"] and sheet.max_row == 3
    assert AccessLogEntry.objects.filter(record_type="returns.returnimport", record_id=str(record.pk)).count() == 3


def test_returns_page_says_so_while_an_import_holds_the_store(analyst, partnership, store, monkeypatch):
    from safeguarding.returns import views
    from safeguarding.returns.store import StoreBusy

    def busy(self, la=None):
        raise StoreBusy("busy")

    monkeypatch.setattr(views.AnalyticalStore, "loaded_returns", busy)
    page = analyst.get(f"/p/{partnership.slug}/returns/").content.decode()
    assert "An import is running" in page


def test_a_return_says_what_it_replaced_and_warns_when_it_is_much_smaller(analyst, partnership, store, tmp_path,
                                                                          settings):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    upload(analyst, partnership, [("whole.xml", samples.cin_xml(6, icpc_on_referral=False))])
    response = upload(analyst, partnership, [("part.xml", samples.cin_xml(2, icpc_on_referral=False))])
    page = analyst.get(response["Location"]).content.decode()
    assert "It replaced the return loaded on" in page and "from whole.xml, which had 6 children" in page
    assert "This return has far fewer children (2) than the one it replaced (6)" in page
    first = ReturnImport.objects.get(file_names="whole.xml")
    assert "since replaced by a later import" in analyst.get(
        f"/p/{partnership.slug}/returns/{first.pk}/").content.decode()
    listing = analyst.get(f"/p/{partnership.slug}/returns/").content.decode()
    assert listing.count("since replaced") == 1
