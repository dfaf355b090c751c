"""The yearly report's optional "Looking ahead: demand" section: off unless the report's settings turn it on."""
import pytest

from safeguarding.accounts.roles import Role
from safeguarding.reports import services
from safeguarding.reports.assemble import assemble
from tests import factories
from tests.forecast.test_command import years_of_returns


@pytest.fixture
def admin(partnership):
    return factories.person(partnership, Role.ADMIN)


@pytest.mark.django_db
def test_the_section_is_off_unless_turned_on(store, partnership, admin):
    partnership.la_code = "210"
    partnership.save()
    years_of_returns(store)
    plain = services.create_report(partnership=partnership, year=2022, comparators="dfe", by=admin)
    assert "looking-ahead-demand" not in [s.key for s in assemble(plain).sections]

    report = services.create_report(partnership=partnership, year=2022, comparators="dfe", by=admin,
                                    looking_ahead_demand=True)
    document = assemble(report)
    keys = [s.key for s in document.sections]
    assert keys.index("looking-ahead-demand") == keys.index("looking-ahead") + 1
    section = document.section("looking-ahead-demand")
    assert section.title == "Looking ahead: demand"
    kinds = [b.kind for b in section.blocks]
    assert kinds == ["chart", "chart", "table"]
    chart = section.blocks[0]
    assert chart.svg.lstrip().startswith("<svg") and "2022-23" in str(chart.table.head)
    tested = section.blocks[-1]
    assert any("Straight-line trend" in row[0] for row in tested.body)
    assert "80 and 95 of every 100 simulated futures" in tested.notes[0] and "past forecasts" in tested.notes[1]


@pytest.mark.django_db
def test_without_the_years_returns_it_says_so(store, partnership, admin):
    partnership.la_code = "210"
    partnership.save()
    years_of_returns(store, years=(2019, 2020))
    report = services.create_report(partnership=partnership, year=2022, comparators="dfe", by=admin,
                                    looking_ahead_demand=True)
    blocks = assemble(report).section("looking-ahead-demand").blocks
    assert [b.kind for b in blocks] == ["notice"] and "not loaded" in blocks[0].text


@pytest.mark.django_db
def test_a_new_report_can_turn_it_on(partnership, admin):
    from safeguarding.reports.forms import NewReportForm

    form = NewReportForm({"year": "2022", "comparators": "dfe", "looking_ahead_demand": "on"}, years=[2022])
    assert form.is_valid(), form.errors
    report = services.create_report(partnership=partnership, by=admin, **form.cleaned_data)
    assert report.looking_ahead_demand is True
    off = NewReportForm({"year": "2022", "comparators": "dfe"}, years=[2022])
    assert off.is_valid() and off.cleaned_data["looking_ahead_demand"] is False
