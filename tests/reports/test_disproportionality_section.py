"""The yearly report shows which children go further, after the core child protection activity: a chart and table
per decision point as published (small numbers as c), the caution, and no invented national comparator; in the
page, the PDF and the Word file alike."""
import io

import pytest
from django.core.cache import cache

from safeguarding.indicators import disproportionality as dp
from safeguarding.indicators.models import IndicatorValue
from safeguarding.reports import assemble, render
from safeguarding.reports.models import YearlyReport
from tests import factories
from tests.dashboard import data
from tests.dashboard.test_disproportionality import counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(db):
    cache.clear()
    partnership = factories.partnership("Southwark", la_code="210")
    data.store_values("210")
    for code, n, m in dp.values_for(counts()):
        IndicatorValue.objects.create(la_code="210", year=2021, indicator=code, numerator=n, denominator=m,
                                      value=n * 100 / m if m else None)
    yield YearlyReport.objects.create(partnership=partnership, year=2021, title="Report 2020-21")
    cache.clear()


def accountability(report):
    return assemble.assemble(report).section("accountability")


def test_each_decision_point_is_a_chart_with_its_table_after_the_caution(report):
    blocks = accountability(report).blocks
    charts = [b for b in blocks if b.kind == "chart" and b.title.startswith("Which children go further")]
    assert len(charts) == 5
    notices = [b.text for b in blocks if b.kind == "notice"]
    assert any("not why" in text and "measure need" in text for text in notices)
    assert notices[-1] == dp.NO_COMPARATOR
    first = charts[0]
    rows = {row[0]: row[1:] for row in first.table.body}
    assert rows["Ethnic group: Black"] == ["300", "225", "75.0%", "49.7%", "1.51", "1.36 to 1.68"]
    assert rows["Ethnic group: Other"][1] == "c" and rows["Ethnic group: Other"][4] == "c"  # published: c
    assert first.svg.startswith("<svg") and "Katz" in " ".join(first.table.notes)


def test_the_core_table_still_comes_first(report):
    blocks = accountability(report).blocks
    assert blocks[0].kind == "table" and blocks[0].caption.startswith("Core child protection activity")


def test_no_figures_says_so(report):
    IndicatorValue.objects.filter(indicator__startswith="decision:").delete()
    cache.clear()
    notices = [b.text for b in accountability(report).blocks if b.kind == "notice"]
    assert any(text.startswith("Which children go further: no figures for 2020-21 yet") for text in notices)


def test_page_pdf_and_word_carry_it(report):
    html = render.to_html(report)
    assert "Which children go further: referred to assessment completed" in html
    assert "no children&#39;s social care figures by ethnic group" in html or \
        "no children's social care figures by ethnic group" in html
    from docx import Document

    word = Document(io.BytesIO(render.to_docx(report)))
    text = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        c.text for t in word.tables for row in t.rows for c in row.cells)
    assert "1.36 to 1.68" in text and "not why" in text
    from pypdf import PdfReader

    pages = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render.to_pdf(report))).pages)
    pages = " ".join(pages.split())
    assert "Which children go further" in pages and "1.36 to 1.68" in pages and "not why" in pages
