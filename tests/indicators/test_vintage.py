"""One population estimate per series, and comparators for every year of a trend (issue 14, point 2; ADR 0012).

The checks work out again, from the counts and the imported populations, which estimate each rate shown could
have come from: a series passes only if one estimate fits all its years. They do not read the labels the code
under test attaches to its figures."""
import io
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command

from safeguarding.benchmarks.models import BenchmarkValue, Population
from safeguarding.benchmarks.selectors import neighbours, population_series, region_of
from safeguarding.dashboard import selectors as dashboard
from safeguarding.indicators.rounding import round_half_up
from safeguarding.reports.assemble import assemble
from safeguarding.reports.models import YearlyReport
from tests import factories
from tests.dashboard import data

pytestmark = pytest.mark.django_db
YEARS = (2018, 2019, 2020, 2021, 2022)
LAIT = data.DFE / "lait_bds_long.parquet"


@pytest.fixture
def southwark(db):
    cache.clear()
    partnership = factories.partnership("Southwark", la_code="210")
    data.store_values("210", years=YEARS)
    data.import_benchmarks(dfe=True)
    call_command("import_benchmarks", str(LAIT), stdout=io.StringIO())
    yield partnership
    cache.clear()


def estimates_that_fit(count, shown, year, places):
    """The population estimates (vintages) of Southwark for the collection year whose figure turns the count
    into the rate shown, at the rounding shown."""
    return {p.vintage for p in Population.objects.filter(code="210", year=year - 1, age_group="0-17")
            if round_half_up(Decimal(count) * 10000 / p.value, places) == shown}


def places_of(text):
    return len(text.split(".")[1]) if "." in text else 0


@pytest.mark.parametrize("comparators", ["dfe", "as-published"])
@pytest.mark.parametrize("year", [2021, 2022])
def test_no_trend_mixes_population_estimates(southwark, comparators, year):
    trends = dashboard.trends("210", dashboard.Choice(year, comparators))
    rates = [t for t in trends if t.unit == "rate"]
    assert len(rates) == 10 and all(len(t.years) >= 4 for t in rates)
    for trend in rates:
        own = trend.series[0]
        fitting = None
        for y in trend.years:
            shown = trend.shown.get((own, y))
            if not shown:
                continue
            found = estimates_that_fit(trend.counts[y], trend.values[(own, y)], y, places_of(shown))
            assert found, f"{trend.title} {y}: {shown} fits no imported population estimate"
            fitting = found if fitting is None else fitting & found
        assert fitting, f"{trend.title} ({comparators}, {year}): no one population estimate fits every year"
        # The estimate is named beside the chart, and it is the one that fits.
        assert trend.vintage in fitting and trend.vintage in trend.population_note


@pytest.mark.parametrize("comparators", ["dfe", "as-published"])
def test_comparator_lines_keep_to_the_estimate_of_the_series(southwark, comparators):
    """England's line in a rate trend on ONS's current estimates is the DfE's current figure for every year:
    never a figure typed from a report on the estimates of the time (which is shown apart, marked)."""
    for trend in dashboard.trends("210", dashboard.Choice(2022, comparators)):
        if trend.unit != "rate":
            continue
        assert trend.vintage.startswith("ONS")
        for y in trend.years:
            current = [v for v in BenchmarkValue.objects.filter(indicator=trend.code, year=y, level="england",
                                                                measure="rate", value__isnull=False)
                       if v.source.startswith("DfE")]
            value = trend.values.get(("England", y))
            if not current:
                assert value is None, f"{trend.title} {y}: England {value} is not from the DfE's current files"
                continue
            places = places_of(trend.shown[("England", y)])
            assert value in {round_half_up(v.value, places) for v in current}, f"{trend.title} {y}: England {value}"
    if comparators == "as-published":
        referrals = next(t for t in dashboard.trends("210", dashboard.Choice(2022, comparators))
                         if t.code == "referrals")
        assert referrals.published[("Southwark", 2021)].value == 533
        assert referrals.published[("England", 2021)].value == 494
        assert "533" in referrals.published_note() and "as first published" in referrals.published_note().lower()


def published_comparators(code, year, measure):
    """Which groups the DfE's current files have a figure for (Southwark's neighbours, London, England)."""
    def has(level, codes):
        return any(v.source.startswith("DfE") for v in BenchmarkValue.objects.filter(
            indicator=code, year=year, level=level, code__in=codes, measure=measure, value__isnull=False))

    return {"SN": has("la", neighbours("210")), "London": has("region", [region_of("210").region_code]),
            "England": has("england", ["E92000001"])}


@pytest.mark.parametrize("comparators", ["dfe", "as-published"])
def test_every_trend_has_comparators_for_every_year_the_published_data_has_them(southwark, comparators):
    trends = dashboard.trends("210", dashboard.Choice(2022, comparators))
    assert len(trends) == 12 and trends[0].years == list(YEARS)
    drawn = 0
    for trend in trends:
        for y in trend.years:
            for group, there in published_comparators(trend.code, y, trend.unit).items():
                if there:
                    assert trend.values.get((group, y)) is not None, f"{trend.title} {y}: no {group}"
                    drawn += 1
    assert drawn >= 10 * 4 * 3  # most rows have all three comparators in all five years


def test_command_gives_comparators_for_every_year(southwark):
    out = io.StringIO()
    call_command("indicators", "--la", "210", "--year", "2022", "--years", "4", "--comparators", "dfe",
                 "--format", "json", stdout=out)
    table = json.loads(out.getvalue())
    assert table["population_vintage"].startswith("ONS") and table["population_vintage"] in table["population_note"]
    for row in table["rows"]:
        assert [f["year"] for f in row["years"]] == [2022, 2021, 2020, 2019]
        for figures in row["years"]:
            measure = "percent" if row["indicator"] in ("re_referrals", "cpp_2_years") else "rate"
            there = published_comparators(row["indicator"], figures["year"], measure)
            for key, group in (("sn", "SN"), ("region", "London"), ("england", "England")):
                if there[group]:
                    assert figures["comparators"][key]["value"] is not None, (row["label"], figures["year"], key)
    out = io.StringIO()
    call_command("indicators", "--la", "210", "--year", "2022", "--years", "4", "--comparators", "dfe", stdout=out)
    text = out.getvalue()
    assert text.splitlines()[0].split() == ["Year", "Number", "Rate*", "SN", "England", "London"]
    assert "one population estimate for every year" in text and "ONS mid-year estimates" in text


def test_the_yearly_report_draws_comparators_for_every_year_on_one_estimate(southwark):
    report = YearlyReport.objects.create(partnership=southwark, year=2022, title="Yearly report 2021-22",
                                         comparators="as-published")
    document = assemble(report)
    blocks = [b for s in document.sections for b in s.blocks if b.kind == "chart"]
    assert len(blocks) == 12
    referrals = next(b for b in blocks if b.title == "Referrals")
    assert [row[0] for row in referrals.table.body] == ["2017-18", "2018-19", "2019-20", "2020-21", "2021-22"]
    assert all(all(cell for cell in row[1:]) for row in referrals.table.body)  # Southwark and 3 comparators
    assert any("ONS mid-year estimates" in note for note in referrals.table.notes)
    assert "ONS mid-year estimates" in referrals.summary


def test_a_series_takes_one_estimate_and_leaves_a_gap_rather_than_mix(southwark):
    # The report's populations cover 2019-20 and 2020-21 only: a longer series takes ONS's current estimates.
    assert population_series("210", [2020, 2021], prefer="as first published").vintage.startswith("as first")
    longer = population_series("210", [2019, 2020, 2021], prefer="as first published")
    assert longer.vintage.startswith("ONS") and not longer.missing
    assert {f.vintage for f in longer.figures.values()} == {longer.vintage}
    # A year outside the chosen estimate has no population, so no rate, instead of one on another estimate.
    Population.objects.create(year=2025, level="la", code="210", age_group="0-17", value=55000,
                              source="A later release", vintage="another estimate")
    series = population_series("210", [2024, 2025, 2026])
    assert series.vintage.startswith("ONS") and series.missing == [2026]
    assert series.get(2026) is None and series.get(2025)[0] == 55626
