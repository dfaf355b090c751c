"""The yearly report's "Social work workforce" section (ADR 0027): the census that falls in the report's year against
the comparators, a chart and table of each measure up to it, the source, and the sentences offered to the editor;
the same in HTML, PDF and Word."""
import io

import pytest
from django.core.cache import cache

from safeguarding.reports import render
from safeguarding.reports.assemble import assemble, generated_narrative
from safeguarding.reports.document import Chart, Notice, Table
from safeguarding.reports.models import YearlyReport
from tests import factories
from tests.dashboard import data
from tests.dashboard.test_workforce import import_workforce
from tests.reports.sections import pdf_sections, word_sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(db):
    cache.clear()
    partnership = factories.partnership("Southwark", la_code="210")
    data.store_values("210", small={(2021, "lac_open"): 4})
    data.import_benchmarks()
    import_workforce()
    yield YearlyReport.objects.create(partnership=partnership, year=2021, title="Southwark yearly report 2020-21")
    cache.clear()


def test_the_section_holds_the_census_of_its_year_and_every_one_before(report):
    section = assemble(report).section("workforce")
    table = section.blocks[0]
    assert isinstance(table, Table) and table.caption == "The social work workforce on 30 September 2020"
    assert [c for c, _ in table.head[0]] == ["Measure", "Southwark", "Statistical neighbours (mean)", "Inner London",
                                             "England"]
    agency = next(row for row in table.body if row[0] == "Agency social workers")
    assert agency[1] == "32.4%" and agency[4] == "15.4%"
    assert any(note.startswith("Source: DfE, Children's social work workforce") for note in table.notes)
    found_charts = [b for b in section.blocks if isinstance(b, Chart)]
    assert [c.title for c in found_charts] == ["Agency social workers", "Vacancy rate", "Turnover rate",
                                               "Caseload per case-holding social worker", "Sickness absence rate"]
    # The report tells its own year: censuses up to 30 September 2020, none after.
    assert [row[0] for row in found_charts[0].table.body] == [str(y) for y in range(2017, 2021)]
    assert found_charts[0].table.head[0][0][0] == "Census (30 September)"
    assert found_charts[3].svg.lstrip().startswith("<svg")


def test_the_editor_is_offered_sentences_with_small_counts_hidden(report):
    text = generated_narrative(report, "workforce")
    assert "census of 30 September 2020" in text and "held 13.7 cases each" in text
    assert "c children looked after" in text  # the report is published: 4 is c


def test_a_report_year_without_a_census_says_so(report):
    report.year = 2017  # the first census is 30 September 2017, in 2017-18
    section = assemble(report).section("workforce")
    assert isinstance(section.blocks[0], Notice) and "30 September 2016" in section.blocks[0].text


def test_the_section_in_html_pdf_and_word(report, tmp_path):
    from docx import Document
    from pypdf import PdfReader

    from safeguarding.reports.document import SECTIONS

    report.texts.create(section="workforce", text=generated_narrative(report, "workforce"))
    titles = [title for _, title in SECTIONS]
    html = render.to_html(report, standalone=True)
    assert "Social work workforce" in html and "The social work workforce on 30 September 2020" in html
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render.to_pdf(report))
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    in_pdf = pdf_sections(pages[2:], titles)["Social work workforce"]
    assert "32.4%" in in_pdf and "held 13.7 cases each" in in_pdf and "30 September 2017" in in_pdf
    word = word_sections(Document(io.BytesIO(render.to_docx(report))))["Social work workforce"]
    assert "Agency social workers | 32.4%" in word and "held 13.7 cases each" in word
