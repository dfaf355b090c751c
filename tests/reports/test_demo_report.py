"""The demo partnership's 2020-21 report, built from the demo's own data (register, synthetic returns,
benchmarks) by the same commands a user runs: the PDF's text and the Word document's tables carry the
reference figures of docs/indicators.md, "The reference partnership" in the right sections."""
import io
import re
import zipfile

import pytest
from django.core.management import call_command

from tests.reports.sections import pdf_sections

pytestmark = pytest.mark.django_db

# Section title -> figures it must carry (as the report shows them).
EXPECTED = {
    "Local context": ["70,800", "23.2% (12,355)", "78.7%", "65,850"],
    "Section 11 findings": ["Agencies asked for a Section 11 return 12", "Returns submitted 11 (1 after the due date)",
                            "Returns moderated by the partnership 8", "Fire and rescue service",
                            "Children living with domestic abuse", "Professional disagreements escalated 5"],
    "Accountability: core child protection activity": [
        "3,510", "533", "3,579", "548", "494", "497", "-1.9%", "681", "19%", "18.8%", "3,299", "501", "9.2%",
        "1,298", "197", "72.4%", "534", "81", "55.2%", "392", "60", "37.5%", "-14.3%", "458", "64.2%", "350",
        "8.7%", "449", "68", "-2.0%", "166", "-18.6%", "178", "-19.8%",
        "318 (48.3 per 10,000 children)", "would need to be 237 rather than 392",
        "18% (SN 19%, England 22%, London 18%)", "increased by 71.3%, from 115 per 10,000 children in 2019-20"],
    "Allegations against people who work with children (LADO)": [
        "Referrals in 2020-21 85", "-49% (from 167 in 2019-20)", "2016-17 to 2019-20 160", "Consultations 164",
        "education and foster carers 79 (48%)"],
    "Social work workforce": ["The social work workforce on 30 September 2020", "32.4%", "13.7", "Inner London",
                              "held 13.7 cases each", "392 children on child protection plans"],
    "Financial arrangements": ["£5,000.00", "£55,000.00", "£500.00", "£63,421.50", "£123,921.50"],
    "Learning from case reviews": [
        "Rapid reviews completed 2", "a local child safeguarding practice review 2", "Child A",
        "not to be published: publication would identify the child", "Child B",
        "delayed until criminal proceedings are over"],
    "The voice of children and families": ["Responses to", "136", "You said, we did"],
    "Priorities and quarterly focus": ["How the priorities were chosen", "136","1 April 2017 to 18 March 2020 1,372", "1,194 (87%)", "Domestic abuse", "Mental health", "COVID-19", "Quarterly focus", "Q3 2020-21",
                                       "Referrals by source, 2020-21", "Police"],
}


@pytest.fixture
def demo(demo):
    assert "Demo yearly report" in demo  # from the published figures shipped with the code


def test_demo_report_pdf_and_word_carry_the_reference_figures(demo, tmp_path):
    from docx import Document
    from pypdf import PdfReader

    from safeguarding.reports.document import SECTIONS

    titles = [title for _, title in SECTIONS]
    pdf = tmp_path / "report.pdf"
    call_command("build_report", partnership="southwark", year=2021, format="pdf", out=str(pdf), stdout=io.StringIO())
    reader = PdfReader(pdf)
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])  # tagged
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.metadata.title == "Southwark Safeguarding Children Partnership yearly report 2020-21"
    pages = [page.extract_text() for page in reader.pages]
    cover = re.sub(r"\s+", " ", pages[0])
    assert "Yearly report 2020-21: 1 April 2020 to 31 March 2021" in cover and "Draft of " in cover
    assert "Contents" in pages[1] and re.search(r"Accountability: core child protection activity\s*\.[ .]*\d+",
                                                pages[1])
    assert any("Page 3 of" in p for p in pages)
    sections = pdf_sections(pages[2:], titles)
    assert list(sections) == titles
    for title, figures in EXPECTED.items():
        for figure in figures:
            assert figure in sections[title], f"{figure!r} missing from “{title}” in the PDF"

    docx = tmp_path / "report.docx"
    call_command("build_report", partnership="southwark", year=2021, format="docx", out=str(docx),
                 stdout=io.StringIO())
    word = Document(docx)
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Contents"] + titles
    section = word.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)  # A4
    assert "PAGE" in section.footer._element.xml and "NUMPAGES" in section.footer._element.xml
    assert "TOC" in word.element.body.xml and "southwark" in section.header.paragraphs[0].text.lower()
    core = next(t for t in word.tables if len(t.rows) > 2 and t.rows[2].cells[0].text == "Referrals")
    assert [c.text for c in core.rows[2].cells] == ["Referrals", "3,510", "533", "3,579", "548", "494", "494",
                                                    "497", "-1.9%"]
    assert [c.text for c in core.rows[7].cells][:3] == ["CPP (31/3/21)", "392", "60"]
    money = next(t for t in word.tables if t.rows[0].cells[0].text == "Partner")
    assert [c.text for c in money.rows[-1].cells][:2] == ["Total", "£123,921.50"]
    with zipfile.ZipFile(docx) as package:
        assert any(name.startswith("word/media/") for name in package.namelist())  # the charts

    html = tmp_path / "report.html"
    call_command("build_report", partnership="southwark", year=2021, format="html", out=str(html),
                 stdout=io.StringIO())
    page = html.read_text()
    # 12 charts of activity, 5 of the workforce, the word cloud, and a chart for each of the 5 decision points of
    # "which children go further"
    assert page.count("data:image/svg+xml;base64,") == 23 and 'lang="en"' in page


def test_unknown_partnership_or_year_is_a_clear_error(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no yearly report for 2018-19"):
        call_command("build_report", partnership="southwark", year=2019, format="pdf", out="/dev/null")
    with pytest.raises(CommandError, match="No partnership with the slug 'nowhere'"):
        call_command("build_report", partnership="nowhere", year=2021, format="pdf", out="/dev/null")
