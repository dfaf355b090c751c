"""The core table built from benchmark rows fetched in bulk (issue 19): the same table as when every figure asks
the database, in a handful of queries whatever the number of years."""
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.benchmarks import selectors
from safeguarding.benchmarks.models import BenchmarkValue, LocalAuthority
from safeguarding.dashboard import selectors as dashboard
from safeguarding.indicators import benchmarks
from safeguarding.indicators.table import build_table
from tests.dashboard import data

pytestmark = pytest.mark.django_db
YEARS = (2018, 2019, 2020, 2021, 2022)
# Southwark, Lambeth (a neighbour), Wandsworth (in London, not a neighbour) and Kent (another region): pooled
# comparators over several authorities.
HELD = ("210", "208", "212", "886")


@pytest.fixture
def held():
    for la in HELD:
        data.store_values(la)
    data.import_benchmarks(dfe=True)
    # A withheld neighbour figure and one from a report beside the DfE's: left out, and source preference.
    BenchmarkValue.objects.filter(indicator="lac_open", year=2021, level="la", code="208", measure="rate").update(
        value=None, suppressed="c")
    BenchmarkValue.objects.create(indicator="lac_open", year=2021, level="la", code="212", measure="rate",
                                  value=Decimal("123.4"), source="As published (a report)", vintage="2021")


def both_ways(**choice):
    return build_table(**choice), build_table(bulk=False, **choice)


@pytest.mark.parametrize("comparators", ["dfe", "as-published", "pooled"])
def test_bulk_table_is_the_table_each_figure_gives(held, comparators):
    built = 0
    for year in YEARS:
        for sn_average in ("mean", "median"):
            for extra_rows in (False, True):
                for years in (2, len(YEARS)):
                    bulk, one_by_one = both_ways(la="210", year=year, years=years, comparators=comparators,
                                                 sn_average=sn_average, extra_rows=extra_rows)
                    assert repr(bulk) == repr(one_by_one), (year, sn_average, extra_rows, years)
                    built += bool(bulk.rows)
    assert built == len(YEARS) * 2 * 2 * 2


def test_comparators_that_differ_by_choice_are_the_same_both_ways(held):
    """The cases the fixture sets up reach the table: a withheld neighbour is named, an average differs."""
    mean, _ = both_ways(la="210", year=2021, comparators="dfe", sn_average="mean")
    median, _ = both_ways(la="210", year=2021, comparators="dfe", sn_average="median")
    lac_open = [row.code for row in mean.rows].index("lac_open")
    assert "left out: Lambeth (not published by the DfE)" in mean.rows[lac_open].comparators["sn"].source
    assert mean.rows[lac_open].comparators["sn"].value != median.rows[lac_open].comparators["sn"].value
    pooled, _ = both_ways(la="210", year=2021, comparators="pooled")
    sources = {key: figure.source for key, figure in pooled.rows[0].comparators.items()}
    assert sources["sn"].startswith("pooled from the returns held here: 1 authorities; left out (no returns ")
    assert sources["region"] == "pooled from the returns held here: 3 authorities; left out (no returns or " \
        "population): City of London, Camden, Greenwich, Hackney, Hammersmith and Fulham, Islington, Kensington " \
        "and Chelsea, Lewisham, Tower Hamlets, Westminster …"
    assert sources["england"] == "pooled from the returns held here: 4 authorities"


def test_an_authority_the_benchmarks_do_not_know(held):
    """No LocalAuthority row, neighbours or populations: the same table both ways (named by its code)."""
    data.store_values("999", years=(2021,))
    LocalAuthority.objects.filter(code="999").delete()
    for comparators in ("dfe", "as-published", "pooled"):
        bulk, one_by_one = both_ways(la="999", year=2021, comparators=comparators)
        assert bulk.la_name == "999" and repr(bulk) == repr(one_by_one)


def queries(build):
    """The queries for the figures: not the shared cache's own (a table in the same database, ADR 0031)."""
    with CaptureQueriesContext(connection) as captured:
        build()
    return sum(1 for q in captured.captured_queries if "page_cache" not in q["sql"]
               and not q["sql"].lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")))


@pytest.mark.parametrize("comparators,most", [("dfe", 5), ("as-published", 5), ("pooled", 7)])
def test_a_cold_table_takes_a_handful_of_queries_whatever_its_years(held, comparators, most):
    for years in (2, 5):
        assert queries(lambda: build_table(la="210", year=2022, years=years, comparators=comparators,
                                           extra_rows=True)) <= most
    # The bound means something: asking figure by figure takes over a hundred.
    assert queries(lambda: build_table(la="210", year=2022, comparators=comparators, bulk=False)) > 100


@pytest.mark.parametrize("comparators", ["dfe", "as-published"])
def test_the_dashboards_cold_table_and_trends_take_a_handful_of_queries(held, comparators):
    choice = dashboard.Choice(2022, comparators)
    cache.clear()
    # Each cached lookup also reads the data version (two queries) for its key; trends read the years.
    assert queries(lambda: dashboard.core_table("210", choice)) <= 7
    assert queries(lambda: dashboard.trends("210", choice)) <= 8
    cache.clear()


def test_a_question_outside_the_lookup_asks_the_database(held):
    lookup = benchmarks.prefetch("210", [2021], ["referrals"])
    with CaptureQueriesContext(connection) as captured:
        inside = selectors.comparator("referrals", 2021, "rate", "210", "sn_mean", lookup=lookup)
    assert len(captured) == 0
    # Another indicator and another year than were fetched: the same answers as without a lookup.
    for indicator, year in (("cpp_open", 2021), ("referrals", 2020)):
        for group in ("sn_mean", "sn_median", "england", "region"):
            assert (selectors.comparator(indicator, year, "rate", "210", group, lookup=lookup)
                    == selectors.comparator(indicator, year, "rate", "210", group))
    assert inside == selectors.comparator("referrals", 2021, "rate", "210", "sn_mean")
    assert (selectors.population_series("210", [2020, 2021], lookup=lookup)
            == selectors.population_series("210", [2020, 2021]))
