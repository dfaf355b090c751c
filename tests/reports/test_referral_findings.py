"""The yearly report's "Priorities and quarterly focus" answers the scrutiny commission's point (February 2022) that
domestic abuse is behind most of the police's referrals: referrals by source and what their assessments found."""
import pytest
from django.core.cache import cache

from safeguarding.reports import assemble
from safeguarding.reports.models import YearlyReport
from tests import factories
from tests.dashboard import data

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(db):
    cache.clear()
    partnership = factories.partnership("Southwark", la_code="210")
    data.store_values("210")
    yield YearlyReport.objects.create(partnership=partnership, year=2021, title="Report 2020-21")
    cache.clear()


def test_the_priorities_show_what_each_sources_referrals_found(report):
    tables = {block.caption: block for block in assemble.priorities(report) if block.kind == "table"}
    table = tables["Referrals by source and what assessments found, 2020-21"]
    assert [text for text, _ in table.head[0]] == ["Source", "Referrals", "Completed assessments",
                                                   "Found domestic abuse", "Share of those assessed"]
    rows = {row[0]: row[1:] for row in table.body}
    # tests/dashboard/data.py: the police made 31% of 3,510 referrals, 80% of them assessed, 60% of those found it
    assert rows["Police"] == ["1,088", "870", "522", "60.0%"]
    assert rows["Anonymous"] == ["c", "c", "0", "c"]  # 3 referrals, 2 assessed: the report is published
    assert list(rows)[:2] == ["Individual: family member, relative or carer", "Schools"]  # the code list's order
    # the sources table it stands beside shows each source's referrals with the same decision
    sources = {row[0]: row[1] for row in tables["Referrals by source, 2020-21"].body}
    assert all(sources[label] == cells[0] for label, cells in rows.items())


def test_no_findings_no_table(report):
    from safeguarding.indicators.models import IndicatorValue

    IndicatorValue.objects.filter(indicator__startswith="source_").delete()
    captions = [block.caption for block in assemble.priorities(report) if block.kind == "table"]
    assert "Referrals by source, 2020-21" in captions
    assert not any(caption.startswith("Referrals by source and") for caption in captions)
