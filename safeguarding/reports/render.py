"""Write the yearly report out: the document's HTML (for the page and the published page), a standalone
HTML file, a tagged PDF (WeasyPrint, PDF/UA-1) and a Word file (python-docx). All start from one
``Document`` (assemble.py); a published report's were written once, at publication, and are kept.
"""
import base64
import datetime
import hashlib
import io
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone

from . import document as doc
from .assemble import assemble

PRINT_CSS = Path(__file__).with_name("print.css")


# Every file of a report not yet published carries this, on every page: a draft passed round must not be
# mistaken for the published report. print.css repeats it in each page's top margin (string-set).
DRAFT_MARK = "DRAFT: not published"


def document_html(document, draft=False):
    """The document's sections as an HTML fragment (no page around it); a draft's starts with the DRAFT mark."""
    return get_template("reports/_document.html").render({"document": document, "doc": doc, "svg_uri": svg_uri,
                                                          "draft_mark": DRAFT_MARK if draft else ""})


def svg_uri(svg):
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def standalone_html(body, *, title, lang="en", draft=False, cover=None):
    """A whole HTML file around a document fragment, with the print stylesheet in it (for the file download
    and for WeasyPrint); a draft's cover carries the DRAFT mark, which print.css repeats on every page."""
    return get_template("reports/standalone.html").render(
        {"body": body, "title": title, "lang": lang, "css": PRINT_CSS.read_text(), "cover": cover or {},
         "draft_mark": DRAFT_MARK if draft else ""})


def cover(report):
    """What the cover says besides the title: whose report, for which year, and its date and status."""
    from .assemble import dated, period

    return {"partnership": report.partnership.name, "year": f"Yearly report {report.year_label}",
            "period": period(report), "dated": dated(report)}


def _draft(report, draft):
    """Unless told (publication writes the files while the report is still signed off), a report not yet
    published is a draft."""
    return not report.is_published if draft is None else draft


def to_html(report, standalone=False, draft=None):
    draft = _draft(report, draft)
    body = report.published_html if report.is_published else document_html(assemble(report), draft)
    return standalone_html(body, title=report.title, draft=draft, cover=cover(report)) if standalone else body


def to_pdf(report, draft=None):
    import weasyprint

    if report.is_published:
        return bytes(report.published_pdf)
    draft = _draft(report, draft)
    as_of = timezone.now()  # before the records are read
    html = to_html(report, standalone=True, draft=draft)
    return _kept("pdf", html, lambda: weasyprint.HTML(string=html, base_url=str(PRINT_CSS.parent)).write_pdf(
        pdf_variant="pdf/ua-1", uncompressed_pdf=False), report if draft else None, as_of)


def draft_keys(report, document=None, body=None):
    """{form: cache key} of a draft's PDF and Word file as the draft is now. ``document``: assemble(report) and
    ``body``: its draft HTML, if the caller has them already (the draft's page), so the report is assembled once."""
    document = document if document is not None else assemble(report)
    body = body if body is not None else document_html(document, draft=True)
    return {"pdf": _key("pdf", standalone_html(body, title=report.title, draft=True, cover=cover(report))),
            "docx": _key("docx", _docx_source(document, True, body))}


def prepared(report, form, keys=None):
    """A draft's PDF or Word file as it is now, if the task worker has written it (None if not yet): what a
    download serves without laying anything out in the request. ``keys``: draft_keys(report), if already made."""
    return cache.get((keys or draft_keys(report))[form])


# The longest a PDF or Word file takes to lay out; a download waits no longer for another process writing it.
WRITING_AT_MOST = 120


def _key(form, source):
    return f"report:{form}:{hashlib.sha256(source.encode()).hexdigest()}"


def _newest_key(report_id, form):
    return f"report:{report_id}:{form}:newest"


def _kept(form, source, write, report=None, as_of=None):
    """A draft's PDF or Word file is written again only when what it is written from changed: WeasyPrint takes
    seconds over the full report and a draft has no stored file (the load test, docs/benchmarks.md). The key is a
    digest of the whole source (the standalone HTML the PDF is laid out from; the document's HTML and heading
    fields for Word), so a changed word or figure is a new file. The cache is shared by every worker (ADR 0031).
    ``report``: the draft the file is of, read from the records as they stood at ``as_of``; the file is then also
    its newest (``recent_draft_file``)."""
    key = _key(form, source)
    content = cache.get(key)
    if content is None:
        content = _written_once(key, write)
    if report is not None:
        cache.set(_newest_key(report.pk, form), {"key": key, "at": as_of or timezone.now()}, 60 * 60)
    return content


def _written_once(key, write):
    """Write the file and keep it, unless another process (the layout worker, another download) is writing the
    same one: then wait for theirs. In the load test three downloads of one changed draft laid it out at once, each
    taking three times as long on two cores (docs/benchmarks.md, "Load")."""
    writing = f"{key}:writing"
    mine = cache.add(writing, True, WRITING_AT_MOST)
    if not mine:
        deadline = time.monotonic() + WRITING_AT_MOST
        while time.monotonic() < deadline and cache.has_key(writing):
            time.sleep(0.25)
            content = cache.get(key)
            if content is not None:
                return content
        # The other writer failed or gave up: write it here.
    try:
        content = write()
        cache.set(key, content, 60 * 60)
        return content
    finally:
        if mine:
            cache.delete(writing)


def recent_draft_file(report, form):
    """(content, written at) of the newest PDF or Word file written of this draft, if it was written at most
    DRAFT_FILES_BEHIND_AT_MOST seconds ago and the report's own text and parts have not changed since; else None.

    A draft is read from live records: while agency leads rate their Section 11 audits, it changes every few
    seconds, and a file written for it is out of date before anyone downloads it. Its newest file, a few minutes
    old, is served instead of laying the report out in the request, and its page says how old it is (ADR 0031).
    A change to the report itself (its narrative, figures, title, status) rejects every file read before it:
    whoever made it gets it in their next download."""
    newest = _newest(report, form)
    content = None if newest is None else cache.get(newest["key"])
    return None if content is None else (content, newest["at"])


def _newest(report, form):
    """The pointer to the newest file of the draft ({"key", "at"}) if ``recent_draft_file`` may serve it."""
    newest = cache.get(_newest_key(report.pk, form))
    if newest is None or timezone.now() - newest["at"] > datetime.timedelta(
            seconds=settings.DRAFT_FILES_BEHIND_AT_MOST):
        return None
    changed = cache.get(_changed_key(report.pk))
    if changed is not None and newest["at"] <= changed:  # read before the report's own last change
        return None
    return newest


def draft_files_as_at(report, keys):
    """When the records were read for the files a download of the draft would get now, if these are not of the
    draft as it is now; None if they are, or if a download would write them. For the draft's page: it reads no
    file, only whether one is kept (a PDF is half a megabyte or more to fetch from the cache)."""
    if cache.has_key(keys["pdf"]):
        return None
    newest = _newest(report, "pdf")
    return newest["at"] if newest is not None and cache.has_key(newest["key"]) else None


def _asked_key(report_id):
    return f"report:{report_id}:files-asked"


def _changed_key(report_id):
    return f"report:{report_id}:changed-at"


def forget_draft_files(report_id):
    """The report's own text or parts changed: its files read from the records before now are no longer served
    for it (even one being laid out at this moment, which becomes its newest when done), and the task worker is
    asked for new ones at the next opportunity, not after the usual pause."""
    cache.set(_changed_key(report_id), timezone.now(), 60 * 60)  # as long as a newest file is kept
    cache.delete(_asked_key(report_id))


def prepare_ahead(report, *, keys=None):
    """Ask the task worker to write a draft's PDF and Word file for the draft as it is now, so that a download
    reads them from the cache rather than laying them out in its request (seconds of WeasyPrint). Asked behind
    the other background work, and at most once every DRAFT_FILES_ASK_EVERY seconds a report, so that a draft
    that keeps changing is not laid out again at every change (its newest file serves meanwhile); True if it was
    asked now. ``keys``: draft_keys(report), if already made."""
    if report.is_published or not settings.PREPARE_PAGES_AHEAD:
        return False
    keys = keys or draft_keys(report)
    if cache.has_key(keys["pdf"]) or not cache.add(_asked_key(report.pk), True, settings.DRAFT_FILES_ASK_EVERY):
        return False
    from .tasks import prepare_draft_files

    prepare_draft_files.enqueue(report.pk)
    return True


def prepare_publication(report):
    """Ask the layout worker for a signed-off report's files as they will be published (no DRAFT mark): when the
    last partner signs it off and when its publish page is opened, so that publishing reads them from the cache
    rather than laying them out in its request, under the report's row lock. True if it was asked now."""
    from .models import YearlyReport

    if report.status != YearlyReport.Status.SIGNED_OFF or not settings.PREPARE_PAGES_AHEAD:
        return False
    if not cache.add(f"report:{report.pk}:publication-asked", True, settings.DRAFT_FILES_ASK_EVERY):
        return False
    from .tasks import prepare_publication_files

    prepare_publication_files.enqueue(report.pk)
    return True


# Word -------------------------------------------------------------------------------------------------

def to_docx(report, draft=None):
    """Word with real headings and tables, for partnerships that finish the text in Word. A published report's
    file was written when it was published and never changes."""
    if report.is_published:
        return bytes(report.published_docx)
    as_of = timezone.now()  # before the records are read
    document = assemble(report)
    draft = _draft(report, draft)
    return _kept("docx", _docx_source(document, draft), lambda: _docx(document, draft), report if draft else None,
                 as_of)


def _docx_source(document, draft, body=None):
    return "\n".join([document.title, document.partnership, document.year_label, document.status,
                      body if body is not None else document_html(document, draft)])


def _docx(document, draft=False):
    from docx import Document as Word
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt, RGBColor

    word = Word()
    style = word.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    page = word.sections[0]
    # A4, as English partnerships print (python-docx's own template is US Letter).
    page.page_width, page.page_height = Cm(21), Cm(29.7)
    page.top_margin, page.bottom_margin, page.left_margin, page.right_margin = Cm(2), Cm(2.2), Cm(1.8), Cm(1.8)
    page.different_first_page_header_footer = True  # the cover has no header or page number
    header = page.header.paragraphs[0]
    if draft:  # in the page headers, the cover's too, so every page says it
        for paragraph, text in ((header, DRAFT_MARK + "   "), (page.first_page_header.paragraphs[0], DRAFT_MARK)):
            mark = paragraph.add_run(text)
            mark.bold, mark.font.size, mark.font.color.rgb = True, Pt(14), RGBColor(0xD4, 0x35, 0x1C)
    header.add_run(f"{document.partnership}: yearly report {document.year_label}").font.size = Pt(9)
    footer = page.footer.paragraphs[0]
    footer.alignment = 1  # centred
    for part in ("Page ", "PAGE", " of ", "NUMPAGES"):
        (_field(footer, part) if part.isupper() else footer.add_run(part)).font.size = Pt(9)
    word.core_properties.title = document.title
    word.core_properties.language = "en-GB"
    # The cover
    for _ in range(6):
        word.add_paragraph()
    word.add_heading(document.title, level=0)
    for line in (document.partnership, f"Yearly report {document.year_label}: {document.period}",
                 f"{document.dated}. {document.status}."):
        word.add_paragraph(line).runs[0].font.size = Pt(14)
    for name, organisation, day in document.sign_offs:
        word.add_paragraph(f"Signed off by {name}, {organisation}, on {day}.")
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    # Contents: a field Word fills in when the file is opened (settings ask it to update fields).
    word.add_heading("Contents", level=1)
    _field(word.add_paragraph(), 'TOC \\o "1-1" \\h \\z \\u',
           "The contents are filled in when the document is opened in Word (or press F9).")
    _update_fields_on_open(word)
    new_pages = document.new_pages()
    for section in document.sections:
        if section.key in new_pages:
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        word.add_heading(section.title, level=1)
        for paragraph in doc.Paragraphs(section.text).paragraphs:
            word.add_paragraph(paragraph)
        for block in section.blocks:
            if isinstance(block, doc.Notice):
                word.add_paragraph(block.text, style="Intense Quote")
            elif isinstance(block, doc.Facts) and block.panel:
                _key_figures(word, block)
            elif isinstance(block, doc.Facts):
                word.add_heading(block.caption, level=2)
                for label, value, source in block.items:
                    item = word.add_paragraph(style="List Bullet")
                    item.add_run(f"{label}: ")
                    item.add_run(value).bold = True
                    if source:
                        item.add_run(f" ({source})").italic = True
            elif isinstance(block, doc.Table):
                _word_table(word, block)
            elif isinstance(block, (doc.Chart, doc.WordCloud)):
                word.add_heading(block.title, level=2)
                word.add_picture(io.BytesIO(block.png()), width=Cm(15))
                word.add_paragraph(block.summary)
                _word_table(word, block.table)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _field(paragraph, code, placeholder="1"):
    """A Word field (PAGE, NUMPAGES, TOC …) in the paragraph; Word works out its value, showing ``placeholder``
    until it has."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()

    def element(tag, text=None, **attributes):
        made = OxmlElement(tag)
        for name, value in attributes.items():
            made.set(qn(name), value)
        if text is not None:
            made.text = text
        run._r.append(made)

    element("w:fldChar", **{"w:fldCharType": "begin"})
    element("w:instrText", f" {code} ", **{"xml:space": "preserve"})
    element("w:fldChar", **{"w:fldCharType": "separate"})
    element("w:t", placeholder)
    element("w:fldChar", **{"w:fldCharType": "end"})
    return run


def _update_fields_on_open(word):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    word.settings.element.append(update)


def _key_figures(word, block):
    """Key figures as a table of tiles: the figure large, what it is under it."""
    from docx.shared import Pt, RGBColor

    word.add_heading(block.caption, level=2)
    table = word.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for start in range(0, len(block.items), 2):
        cells = table.add_row().cells
        for cell, (label, value, source) in zip(cells, block.items[start:start + 2]):
            figure = cell.paragraphs[0].add_run(value)
            figure.bold, figure.font.size, figure.font.color.rgb = True, Pt(20), RGBColor(0x1D, 0x70, 0xB8)
            cell.add_paragraph().add_run(label).bold = True
            if source:
                cell.add_paragraph().add_run(source).italic = True


def _word_table(word, block):
    word.add_paragraph(block.caption, style="Caption")
    columns = max(sum(span for _, span in row) for row in block.head + [[(c, 1) for c in r] for r in block.body])
    table = word.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    for row in block.head:
        cells = table.add_row().cells
        index = 0
        for text, span in row:
            cell = cells[index]
            if span > 1:
                cell = cell.merge(cells[index + span - 1])
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
            index += span
        _repeat_as_header(table.rows[-1])
    for row in block.body:
        cells = table.add_row().cells
        for index, text in enumerate(row):
            cells[index].text = str(text)
    for note in block.notes:
        word.add_paragraph(note, style="Caption")


def _repeat_as_header(row):
    """Mark a header row so Word repeats it on each page and screen readers announce it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
