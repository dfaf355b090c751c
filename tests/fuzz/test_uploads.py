"""Hostile and broken files through every upload of the system: the returns upload (CIN census XML, SSDA903 CSV),
case review documents and Section 11 evidence (the only FileFields; benchmarks are imported from the command line
only, with no upload page).

A return is refused with problems that name the file and say what was expected, the store is left as it was and
the uploaded files are deleted; never an import that "failed" (the system's own error), never a 5xx. Entity
expansion ("billion laughs"), external entities (file:///etc/passwd), external DTDs, parameter entities and
XInclude are refused or inert, wherever in the file they are. Zip bombs are never opened: a return refuses them by
their first bytes, a document is stored as sent (its size on disk is the size uploaded). A body larger than the
page accepts is refused with 413 before it is read.
"""
import bz2
import gzip
import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from hypothesis import strategies as st

from safeguarding.accounts.roles import Role
from safeguarding.returns.models import ReturnImport
from tests import factories
from tests.access_matrix import world  # noqa: F401 (the module's fixture)
from tests.fuzz.checks import check_response, record_problems
from tests.returns import samples
from tests.returns.test_import import snapshot

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 15))
GIB = 1024 ** 3
PASSWD = b"root:x:0:0"  # the first bytes of /etc/passwd: must never reach a page or a problem
VALID = samples.cin_xml(2)
LOL = ('<!DOCTYPE Message [<!ENTITY lol "lol">'
       + "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1) if i > 1 else "&lol;") * 10}">' for i in range(1, 10))
       + "]>")
LONG_COMMENT = "<!--" + "padding " * 10_000 + "-->"  # 80 KB: past the importer's first look at the file
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
BODY = VALID.split("?>", 1)[1]


def _zip_bomb(inner_name="CIN.xml", size=50 * 1024 * 1024):
    """A small zip holding one large file of zeros (50 MB in about 50 KB): never to be unpacked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open(inner_name, "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(size // len(block)):
                member.write(block)
    return buffer.getvalue()


ZIP_BOMB = _zip_bomb()
HEADER_CSV = samples.HEADER + "L001,1,17/05/2008,WBRI,A123456789012,,\n"
EPISODES_CSV = samples.EPISODES + "L001,01/06/2019,S,C2,N1,U1,PR1,01/09/2020,X1,CHRON,SE1 1AA,SE5 9ZZ,SC123456\n"

# case -> (files, what the problems must say)
HOSTILE_RETURNS = {
    "truncated XML": ([("cin.xml", VALID[: len(VALID) // 2].encode())], "not well-formed XML"),
    "XML cut after its declaration": ([("cin.xml", XML_DECLARATION.encode())], "not well-formed XML"),
    "billion laughs": ([("cin.xml", (XML_DECLARATION + LOL + "<Message>&lol9;</Message>").encode())],
                       "refused for safety"),
    "billion laughs after 80 KB": ([("cin.xml", (XML_DECLARATION + LONG_COMMENT + LOL
                                                 + "<Message>&lol9;</Message>").encode())], "refused for safety"),
    "external entity file:///etc/passwd": ([("cin.xml", (
        XML_DECLARATION + '<!DOCTYPE Message [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + BODY.replace("<LAchildID>C00001", "<LAchildID>&x;C00001")).encode())], "refused for safety"),
    "external entity after 80 KB": ([("cin.xml", (
        XML_DECLARATION + LONG_COMMENT + '<!DOCTYPE Message [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + BODY.replace("<LAchildID>C00001", "<LAchildID>&x;C00001")).encode())], "refused for safety"),
    "external DTD over the network": ([("cin.xml", (
        XML_DECLARATION + '<!DOCTYPE Message SYSTEM "http://127.0.0.1:9/evil.dtd">' + BODY).encode())],
        "refused for safety"),
    "parameter entity": ([("cin.xml", (
        XML_DECLARATION + '<!DOCTYPE Message [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>' + BODY).encode())],
        "refused for safety"),
    "XInclude of /etc/passwd": ([("cin.xml", VALID.replace(
        "<LAchildID>C00001</LAchildID>", '<LAchildID xmlns:xi="http://www.w3.org/2001/XInclude">'
        '<xi:include href="file:///etc/passwd" parse="text"/></LAchildID>').encode())], "refused for safety"),
    "elements nested 100,000 deep": ([("cin.xml", b"<Message>" + b"<a>" * 100_000 + b"</a>" * 100_000
                                       + b"</Message>")], "not well-formed XML"),
    "UTF-16 XML": ([("cin.xml", VALID.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16"))],
                   "written in UTF-16; expected UTF-8"),
    "Latin-1 XML declared UTF-8": ([("cin.xml", VALID.replace("WBRI", "WBRI\u00e9").encode("latin-1"))],
                                   "not well-formed XML"),
    "UTF-16 CSV": ([("header.csv", HEADER_CSV.encode("utf-16")), ("episodes.csv", EPISODES_CSV.encode("utf-16"))],
                   "written in UTF-16; expected UTF-8"),
    "binary file named .csv": ([("episodes.csv", bytes(range(1, 256)) * 16 + b"\x00")], "not text"),
    "blank lines only": ([("cin.xml", b"\n\n\n")], "not one of the SSDA903 tables"),
    "zip bomb named .xml": ([("cin.xml", ZIP_BOMB)], "is a zip archive"),
    "zip bomb named .csv": ([("episodes.csv", ZIP_BOMB), ("header.csv", HEADER_CSV.encode())], "is a zip archive"),
    "zip bomb named .docx": ([("return.docx", ZIP_BOMB)], "is a zip archive"),
    "gzip named .xml": ([("cin.xml", gzip.compress(VALID.encode()))], "compressed with gzip"),
    "bzip2 named .csv": ([("episodes.csv", bz2.compress(EPISODES_CSV.encode()))], "compressed with bzip2"),
    "a 1 MB CSV field": ([("header.csv", HEADER_CSV.encode()), ("episodes.csv", (
        samples.EPISODES + "L001," + "9" * (1024 * 1024) + "\n").encode())], "not valid CSV"),
    "CSV with a NUL": ([("header.csv", HEADER_CSV.encode()), ("episodes.csv", EPISODES_CSV.encode() + b"\x00")],
                       "not text"),
    "CSV of another kind": ([("people.csv", b"name,address\n<script>alert(1)</script>,1 High St\n")],
                           "not one of the SSDA903 tables"),
}


@pytest.fixture
def analyst(client, partnership, settings, tmp_path, store):
    partnership.la_code = "210"
    partnership.save()
    settings.UPLOAD_DIR = tmp_path / "uploads"
    return factories.sign_in(client, factories.person(partnership, Role.ANALYST))


@pytest.fixture
def loaded(analyst, partnership, store, tmp_path):
    """A return already in the store: a refused upload must leave it exactly as it is."""
    response = _upload(analyst, partnership, [("cin_2021.xml", samples.cin_xml(3).encode())])
    assert response.status_code == 302 and ReturnImport.objects.get().status == "loaded"
    return snapshot(store)


def _upload(client, partnership, files, **extra):
    uploads = [SimpleUploadedFile(name, content, content_type="application/octet-stream") for name, content in files]
    return client.post(reverse("returns:upload", kwargs={"slug": partnership.slug}), {"files": uploads}, **extra)


def _refused_clearly(client, response, files, expected, *, store, before, settings):
    """Sent to the import's page, which says the return was not loaded and why, naming the file; nothing else."""
    assert response.status_code == 302, response.status_code
    record = ReturnImport.objects.latest("created_at")
    assert record.status == "rejected", (record.status, record.problems)
    problems = "\n".join(record.problems)
    assert expected in problems, problems
    names = [name for name, _ in files]
    assert all(p.startswith(tuple(names)) or p.startswith("(stopped") for p in record.problems), \
        f"each problem names its file: {record.problems}"
    # What was expected, or why it was refused (a file that is not valid CSV says what csv found wrong).
    assert any(word in problems for word in ("expected", "refused for safety", "not valid CSV")), problems
    assert PASSWD.decode() not in problems
    page = client.get(response["Location"])
    body = check_response(page, what="the import's page")
    assert b"Refused: the return was not loaded, nothing has changed" in body and PASSWD not in body
    assert snapshot(store) == before, "a refused return changed the store"
    assert not any(settings.UPLOAD_DIR.iterdir()), "the uploaded files were kept"


@pytest.mark.parametrize("case", list(HOSTILE_RETURNS))
def test_a_hostile_return_is_refused_clearly(analyst, partnership, loaded, store, case, settings):
    files, expected = HOSTILE_RETURNS[case]
    response = _upload(analyst, partnership, files)
    _refused_clearly(analyst, response, files, expected, store=store, before=loaded, settings=settings)


def test_a_latin_1_csv_return_is_read_as_windows_1252(analyst, partnership, store):
    """Older case management systems write Windows-1252: a return in it loads, accents and all."""
    episodes = EPISODES_CSV.replace("SE5 9ZZ", "SE5 9ZZ caf\u00e9").encode("cp1252")
    response = _upload(analyst, partnership, [("header.csv", HEADER_CSV.encode("cp1252")),
                                              ("episodes.csv", episodes)])
    assert response.status_code == 302
    assert ReturnImport.objects.get().status == "loaded"


def raw_multipart(fields, files):
    """A multipart body written by hand, so that file names reach the server exactly as given (the test client
    would keep only their last part): (content type, body)."""
    boundary = b"fuzzboundary7MA4YWxkTrZu0gW"
    parts = []
    for name, value in fields.items():
        parts.append(b"--" + boundary + b'\r\nContent-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n'
                     + value.encode() + b"\r\n")
    for field, file_name, content in files:
        parts.append(b"--" + boundary + b'\r\nContent-Disposition: form-data; name="' + field.encode()
                     + b'"; filename="' + file_name + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
                     + content + b"\r\n")
    return f"multipart/form-data; boundary={boundary.decode()}", b"".join(parts) + b"--" + boundary + b"--\r\n"


HOSTILE_NAMES = [b"../../../../tmp/evil.xml", b"..\\..\\evil.xml", b".htaccess", b"a\x00b.xml", b"\xe2\x80\xaegpj.xml",
                 b"x" * 300 + b".xml", b"<script>alert(1)</script>.xml", b"..", b"/etc/passwd", b"caf\xe9.xml",
                 b"&#46;&#46;/&#46;&#46;/evil.xml", b"C:\\Windows\\evil.xml"]


def test_file_names_cannot_leave_the_upload_folder(analyst, partnership, store, settings, tmp_path):
    content_type, body = raw_multipart({}, [("files", name, b"not a return") for name in HOSTILE_NAMES])
    response = analyst.generic("POST", reverse("returns:upload", kwargs={"slug": partnership.slug}), body,
                               content_type=content_type)
    assert response.status_code == 302, response.status_code
    record = ReturnImport.objects.get()
    assert record.status == "rejected", record.problems
    assert ".." not in record.file_names and "/" not in record.file_names and "<" not in record.file_names
    assert len(record.file_names) <= 500
    assert not (tmp_path.parent / "evil.xml").exists() and not os.path.exists("/tmp/evil.xml")
    check_response(analyst.get(response["Location"]), what="import page")


def test_a_gzip_encoded_request_is_not_unpacked(analyst, partnership, store):
    """Nothing decompresses a request body: a gzip-encoded form is unreadable, refused with 400, nothing saved."""
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    body = gzip.compress(encode_multipart(BOUNDARY, {"files": [SimpleUploadedFile("cin.xml", VALID.encode())]}))
    response = analyst.generic("POST", reverse("returns:upload", kwargs={"slug": partnership.slug}), body,
                               content_type=MULTIPART_CONTENT, HTTP_CONTENT_ENCODING="gzip")
    # The parser finds no form in it: the page asks for the files.
    assert response.status_code == 200 and b"Select the return files" in response.content, response.status_code
    assert not ReturnImport.objects.exists()


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def read(self, *args):
        raise AssertionError("the body of an oversized request was read")

    readline = readinto = read


TWO_GB_PAGES = {
    "returns:upload": lambda p: reverse("returns:upload", kwargs={"slug": p.slug}),
    "reviews:incident-add": lambda p: reverse("reviews:incident-add", kwargs={"slug": p.slug}),
    "accounts:sign-in": lambda p: reverse("accounts:sign-in"),
    "survey:answer": lambda p: reverse("survey:answer", kwargs={"token": "x" * 43}),
}


@pytest.mark.parametrize("name", list(TWO_GB_PAGES))
def test_a_2_gb_request_is_refused_before_it_is_read(analyst, partnership, name):
    """The limit is checked from Content-Length before anything reads the body: a 413 that says the limit."""
    response = analyst.generic("POST", TWO_GB_PAGES[name](partnership), b"",
                               content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(2 * GIB),
                               **{"wsgi.input": Unreadable()})
    assert response.status_code == 413
    page = response.content.decode()
    assert "You sent 2,048 MB" in page and "This page accepts at most" in page and "Nothing was saved" in page
    if name == "returns:upload":
        assert "at most 301 MB: files of up to 300 MB in all" in page
    else:
        assert "at most 2.5 MB" in page


def test_the_upload_page_says_the_limit_and_refuses_more(analyst, partnership, settings):
    page = analyst.get(reverse("returns:upload", kwargs={"slug": partnership.slug})).content.decode()
    assert "You can upload up to 300 MB of files at once" in page
    settings.RETURNS_MAX_UPLOAD_BYTES = 100 * 1024  # over it, but within the form's margin: the form says so
    response = _upload(analyst, partnership, [("cin.xml", b"<" + b"x" * 200 * 1024)])
    assert response.status_code == 200
    assert "The files are 0.2 MB; the most that can be uploaded at once is 0.1 MB" in response.content.decode()
    response = _upload(analyst, partnership, [("cin.xml", b"x" * (2 * 1024 * 1024))])  # past the margin: 413
    assert response.status_code == 413 and "files of up to 0.1 MB in all" in response.content.decode()
    assert not ReturnImport.objects.exists()


def test_too_many_files_are_refused_clearly(analyst, partnership):
    response = _upload(analyst, partnership, [(f"t{n}.csv", b"a,b\n") for n in range(21)])
    assert response.status_code == 200 and "Choose at most 20 files" in response.content.decode()
    response = _upload(analyst, partnership, [(f"t{n}.csv", b"a,b\n") for n in range(101)])
    assert response.status_code == 400
    assert "The form sent more than 100 files" in response.content.decode()
    assert not ReturnImport.objects.exists()


# ------------------------------------------------------------------------------------- generated files
def _mutate(data, draw):
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["cut", "insert", "replace", "truncate"]))
        noise = draw(st.one_of(st.binary(max_size=16), st.sampled_from(
            [b"<!DOCTYPE x>", b"&x;", b"<![CDATA[", b"]]>", b"<!--", b"\x00", b"\xff\xfe", b"\xed\xa0\x80", b'"', b",",
             b"\r", b"\n", b"\"\n\"", b"</Message>", b"<Child>", LOL.encode()])))
        if how == "cut":
            data = data[:at] + data[at + draw(st.integers(1, 64)):]
        elif how == "insert":
            data = data[:at] + noise + data[at:]
        elif how == "replace":
            data = data[:at] + noise + data[at + len(noise):]
        else:
            data = data[:at]
    return data


@st.composite
def return_files(draw):
    kind = draw(st.sampled_from(["cin", "ssda903", "random"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-32", "ascii"]))

    def encoded(text):
        return text.encode(encoding, errors="replace")

    if kind == "cin":
        files = [("cin.xml", _mutate(encoded(VALID), draw))]
    elif kind == "ssda903":
        files = [("header.csv", _mutate(encoded(HEADER_CSV), draw)), ("episodes.csv", _mutate(encoded(EPISODES_CSV),
                                                                                               draw))]
    else:
        files = [(draw(st.sampled_from(["cin.xml", "episodes.csv", "x.docx", "noext"])), draw(st.binary(max_size=2000)))]
    return files


def test_generated_returns_load_or_are_refused_clearly(analyst, partnership, store):
    statuses = {}

    @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
                         suppress_health_check=list(HealthCheck))
    @given(return_files())
    def upload(files):
        response = _upload(analyst, partnership, files)
        check_response(response, what=f"upload of {[n for n, _ in files]}")
        if response.status_code == 200:  # the form said what was wrong (an empty file)
            assert b"govuk-error-summary" in response.content
            return
        assert response.status_code == 302
        record = ReturnImport.objects.latest("created_at")
        statuses[record.status] = statuses.get(record.status, 0) + 1
        assert record.status in ("loaded", "rejected"), (record.status, record.problems)
        if record.status == "rejected":
            assert record.problems and all(":" in p for p in record.problems), record.problems
        check_response(analyst.get(response["Location"]), what="the import's page")

    upload()
    print(f"\ngenerated returns: {statuses}")
    assert statuses, "no generated return reached the importer"


# ------------------------------------------------------------------------------------- stored documents
HOSTILE_DOCUMENTS = {
    "zip bomb named .docx": ("minutes.docx", ZIP_BOMB, None),
    "HTML with script": ("evil.html", b"<html><script>alert(document.cookie)</script></html>", "must be a"),
    "SVG with script": ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "must be a"),
    "PDF name, HTML inside": ("report.pdf", b"<html><script>alert(1)</script>", None),
    "empty": ("empty.pdf", b"", "The submitted file is empty"),
    "no name": (".pdf", b"%PDF-1.4", None),
    "path in the name": ("../../../etc/cron.d/evil.pdf", b"%PDF-1.4", None),
    "Windows path in the name": ("C:\\Users\\x\\..\\..\\evil.pdf", b"%PDF-1.4", None),
    "long name": ("x" * 300 + ".pdf", b"%PDF-1.4", None),
}


def _document_pages(world):
    """(name, URL, client, field name, other fields) of each page that stores a file."""
    from tests.fuzz.targets import client_and_url

    for key, field, other in (("reviews:document-add", "file", {"title": "<script>alert(1)</script>"}),
                              ("audits:answer", "evidence_file", {"evidence": "<b>x</b>", "evidence_title": ""})):
        client, url = client_and_url(world, key)
        yield key, url, client, field, other


@pytest.mark.parametrize("case", list(HOSTILE_DOCUMENTS))
def test_a_hostile_document_is_stored_as_sent_or_refused_clearly(world, case):
    from safeguarding.audits.models import EvidenceFile
    from safeguarding.reviews.models import ReviewDocument

    name, content, refusal = HOSTILE_DOCUMENTS[case]
    for key, url, client, field, other in _document_pages(world):
        model = ReviewDocument if key.startswith("reviews") else EvidenceFile
        before = set(model.objects.values_list("pk", flat=True))
        content_type, raw = raw_multipart(other, [(field, name.encode(), content)])
        response = client.generic("POST", url, raw, content_type=content_type)
        body = check_response(response, what=f"{key} {case}")
        added = model.objects.exclude(pk__in=before)
        if refusal or (key == "reviews:document-add" and not name.endswith(".pdf") and not name.endswith(".docx")):
            assert response.status_code == 200 and b"govuk-error-summary" in body, (key, response.status_code)
            if refusal:
                assert refusal.encode() in body, body
            assert not added.exists()
            continue
        assert response.status_code == 302, (key, response.status_code, body[:2000])
        stored = added.get()
        assert not record_problems(stored, None), record_problems(stored, None)
        assert stored.file.size == len(content), "stored as sent, never unpacked"
        assert ".." not in stored.file.name and len(stored.file.name) <= 100
        # Downloaded as an attachment, never shown as a page of the site (so script in it cannot run there).
        download = client.get(_download_url(world, key, stored))
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment")
        assert download["X-Content-Type-Options"] == "nosniff"
        assert b"".join(download.streaming_content) == content


def _download_url(world, key, stored):
    if key == "reviews:document-add":
        return reverse("reviews:document", kwargs={"slug": world.home.slug, "pk": stored.incident_id,
                                                   "document_pk": stored.pk})
    link = world.home_records["own-evidence"]["pk"]
    return reverse("audits:evidence", kwargs={"slug": world.home.slug, "pk": link, "file_pk": stored.pk})


def test_a_document_over_the_limit_is_refused(world, monkeypatch):
    """Over 20 MB but within the page's margin: the form says the limit; far over: 413 before reading."""
    import safeguarding.audits.forms
    import safeguarding.reviews.forms

    monkeypatch.setattr(safeguarding.reviews.forms, "MAX_DOCUMENT_BYTES", 1000)
    monkeypatch.setattr(safeguarding.audits.forms, "MAX_EVIDENCE_BYTES", 1000)
    for key, url, client, field, other in _document_pages(world):
        response = client.post(url, {field: SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 5000), **other})
        assert response.status_code == 200 and b"must be smaller than 20 MB" in response.content, key
        response = client.generic("POST", url, b"", content_type="multipart/form-data; boundary=x",
                                  CONTENT_LENGTH=str(2 * GIB), **{"wsgi.input": Unreadable()})
        assert response.status_code == 413 and "files of up to 20 MB in all" in response.content.decode(), key
