"""Issue #14 point 8: no raw codes reach people, in the report.

The demo's report is rendered for every year the returns cover; its text may not show snake_case identifiers
(indicator codes), file names, ISO dates or internal markers, and every figure names the year (or day) it is
of: a block of figures names its period in its caption or in each item, and a figure of the year before, in a
row of this year, says which year it is."""
import html
import re
from html.parser import HTMLParser

import pytest

from safeguarding.working_days import year_label

pytestmark = pytest.mark.django_db

RAW = {
    "an identifier (indicator or field code)": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "a file name": re.compile(r"\b[\w-]+\.(?:csv|xlsx?|xml|json|parquet|pdf|docx|zip)\b", re.I),
    "an ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T[\d:.]+)?"),
    "an internal marker": re.compile(r"withheld|\((?:x|c|z|low|u)\)|\[[^\]]*\]|DfE EES|\bLAIT\b|None\b|nan\b"),
}
# A period: a financial year (2020-21, or 20-21 in a table's heading), a calendar year or a date.
PERIOD = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{2}-\d{2}\b")
DIGIT = re.compile(r"\d")


class _Text(HTMLParser):
    """What a reader sees: the text, and the alternative text of images."""

    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.parts += [value for name, value in attrs if name in ("alt", "title") and value]


def visible_text(markup):
    parser = _Text()
    parser.feed(markup)
    return html.unescape(" ".join(parser.parts))


def raw_codes(text):
    return [(what, m.group(0), text[max(0, m.start() - 60):m.end() + 60])
            for what, pattern in RAW.items() for m in pattern.finditer(text)]


def unlabelled_figures(document):
    """Blocks of figures that name no period, in their caption or in the item (Facts) or head (Table)."""
    from safeguarding.reports import document as doc

    found = []
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, doc.Facts) and not PERIOD.search(block.caption):
                found += [(section.title, block.caption, label, value) for label, value, source in block.items
                          if DIGIT.search(value) and not PERIOD.search(" ".join((label, value, source)))]
            tables = [block] if isinstance(block, doc.Table) else [block.table] if isinstance(block, doc.Chart) else []
            for table in tables:
                head = " ".join(text for row in table.head for text, _ in row)
                first_column = " ".join(str(row[0]) for row in table.body)
                if table.numeric and not PERIOD.search(" ".join((table.caption, head, first_column))):
                    found.append((section.title, table.caption, head, ""))
    return found


def test_the_patterns_catch_what_people_saw():
    seen = ("comparators England [DfE EES d3_cpps_subsequent_plan]; left out: 204 (withheld (x)) "
            "from returns/cin_2021.xml at 2026-12-06T14:05:00")
    assert {what for what, _, _ in raw_codes(seen)} == set(RAW)
    assert not raw_codes("Referrals in 2020-21: 3,510 (533 per 10,000 children), 6 December 2026 at 14:05; "
                         "statistical neighbours of Southwark (not published by the DfE). c")


def test_the_demo_report_of_every_year_reads_in_words(demo):
    from safeguarding.accounts.models import Partnership
    from safeguarding.dashboard.selectors import years_for
    from safeguarding.lado import figures as lado_figures
    from safeguarding.lado.models import LadoContact
    from safeguarding.reports import render, services
    from safeguarding.reports.assemble import assemble
    from safeguarding.reports.models import YearlyReport

    partnership = Partnership.objects.get(slug="southwark")
    years = years_for(partnership.la_code)
    assert len(years) >= 5
    contacts = list(LadoContact.objects.for_partnership(partnership).active())
    problems = []
    for year in years:
        report = (YearlyReport.objects.for_partnership(partnership).filter(year=year).first()
                  or services.create_report(partnership=partnership, year=year, comparators="dfe", by=None))
        document = assemble(report)
        text = visible_text(render.document_html(document, draft=True))
        problems += [(year, *found) for found in raw_codes(text)]
        problems += [(year, "a figure naming no period", *found) for found in unlabelled_figures(document)]
        # A figure of the year before, in an item about this year, says which year it is.
        before = year_label(year - 1)
        lado = next((b for b in document.section("lado").blocks if getattr(b, "caption", "").startswith("The LADO")),
                    None)
        if lado is not None:
            figures = lado_figures.year_figures(contacts, year)
            earlier = lado_figures.disclosure(figures, suppress=True).shown(("referrals", year - 1))
            for label, value, source in lado.items:
                if figures.referrals_before is not None and f"from {earlier}" in value:
                    if before not in label + value:
                        problems.append((year, "the year before, unnamed", label, value))
        facts = [item for b in document.section("accountability").blocks if getattr(b, "items", None)
                 for item in b.items]
        for label, value, source in facts:
            if label.startswith("Second or subsequent") and before not in label:
                problems.append((year, "the year before, unnamed", label, value))
    assert not problems, "\n".join(map(str, problems[:30]))
