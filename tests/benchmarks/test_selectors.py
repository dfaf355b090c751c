"""The selectors the indicator engine calls: preferred sources, populations, neighbours, comparators; and the
demo partnership's as-published figures."""
import csv
import statistics
from decimal import Decimal

import pytest

from safeguarding.benchmarks import selectors
from safeguarding.benchmarks.models import BenchmarkValue, LocalAuthority, Population, StatisticalNeighbour
from tests.benchmarks.conftest import DEMO, FILES, csv_rows, published, run

pytestmark = pytest.mark.django_db

NEIGHBOURS = ["204", "208", "309", "206", "203", "209", "205", "320", "308", "306"]


def figure(code, value, *, indicator="cpp_open", measure="rate", year=2021, level="la", marker="", source="DfE LAIT",
           vintage="LAIT data to 2025"):
    return BenchmarkValue.objects.create(indicator=indicator, year=year, level=level, code=code, measure=measure,
                                         value=None if value is None else Decimal(value), suppressed=marker,
                                         source=source, vintage=vintage)


@pytest.fixture
def southwark_neighbours(db):
    StatisticalNeighbour.objects.bulk_create(
        StatisticalNeighbour(model="2021", la_code="210", neighbour_code=code, rank=rank, source="test")
        for rank, code in enumerate(NEIGHBOURS, start=1))
    values = {"208": "40", "309": "30", "206": "50", "203": "20", "209": "35", "205": "45.5", "320": "25",
              "308": "60"}
    for code, value in values.items():
        figure(code, value)
    figure("306", None, marker="c")  # withheld
    # 204 has no figure at all
    return values


def test_sn_mean_and_median_leave_out_missing_and_withheld(southwark_neighbours):
    numbers = [Decimal(v) for v in southwark_neighbours.values()]
    mean = selectors.comparator("cpp_open", 2021, "rate", "210", "sn_mean")
    assert mean.value == sum(numbers) / len(numbers)
    assert mean.members_used == [c for c in NEIGHBOURS if c in southwark_neighbours]
    assert mean.members_left_out == [("204", "no data"), ("306", "withheld (c)")]
    assert mean.source == "DfE LAIT" and not mean.complete
    median = selectors.comparator("cpp_open", 2021, "rate", "210", "sn_median")
    assert median.value == statistics.median(numbers) == Decimal("37.5")
    assert median.members_left_out == mean.members_left_out


def test_sn_comparator_on_real_files(disguised, dfe):
    """The mean and median of the neighbours' published d5 figures, computed independently from the files."""
    run(disguised("sn2021"), disguised("d5"))
    by_code = {r["old_la_code"]: r["CPP_At31"] for r in csv_rows(dfe / FILES["d5"])
               if r["time_period"] == "2021" and r["geographic_level"] == "Local authority"}
    neighbours = selectors.neighbours("210")
    numbers = [published(by_code[c])[0] for c in neighbours if published(by_code[c])[0] is not None]
    assert selectors.comparator("cpp_open", 2021, "count", "210", "sn_mean").value == sum(numbers) / len(numbers)
    assert selectors.comparator("cpp_open", 2021, "count", "210", "sn_median").value == statistics.median(numbers)
    two_years = selectors.comparator("cpp_2_years", 2021, "count", "210", "sn_mean")
    withheld = [c for c in neighbours if published(by_code.get(c, "x"))[0] is None or
                next(r for r in csv_rows(dfe / FILES["d5"]) if r["time_period"] == "2021"
                     and r["old_la_code"] == c)["2_years_or_more"] in ("c", "x", "z", "u")]
    assert [code for code, _ in two_years.members_left_out] == withheld and withheld


def test_no_neighbours_says_so(db):
    result = selectors.comparator("cpp_open", 2021, "rate", "999", "sn_median")
    assert result.value is None and "no statistical neighbours" in result.members_left_out[0][1]
    with pytest.raises(ValueError):
        selectors.comparator("cpp_open", 2021, "rate", "210", "nearby")


def test_area_comparators_and_source_preference(db):
    LocalAuthority.objects.create(code="210", name="Southwark", region_code="E12000007", region_name="London",
                                  london_code="E13000001", london_name="Inner London")
    LocalAuthority.objects.create(code="330", name="Birmingham", region_code="E12000005", region_name="West Midlands")
    figure("E12000007", "38.6", level="region")
    figure("E13000001", "43.5", level="inner_outer_london")
    figure("E92000001", "42.4", level="england")
    figure("E92000001", "41", level="england", source="As published: SSCP annual report 2020-21",
           vintage="as first published")
    assert selectors.comparator("cpp_open", 2021, "rate", "210", "region").value == Decimal("38.6")
    inner = selectors.comparator("cpp_open", 2021, "rate", "210", "inner_outer_london")
    assert inner.value == Decimal("43.5") and inner.label == "Inner London"
    assert selectors.comparator("cpp_open", 2021, "rate", "210", "england").value == Decimal("42.4")
    assert selectors.comparator("cpp_open", 2021, "rate", "210", "england",
                                source_preference="As published").value == 41
    outside = selectors.comparator("cpp_open", 2021, "rate", "330", "inner_outer_london")
    assert outside.value is None and outside.members_left_out == [("330", "not in London")]
    missing = selectors.comparator("cpp_open", 2021, "rate", "330", "region")
    assert missing.value is None and missing.members_left_out == [("E12000005", "no data")]
    assert tuple(selectors.region_of("330")) == ("E12000005", "West Midlands", None)
    assert selectors.region_of("999") is None


def test_default_preference_is_ees_then_lait_then_the_rest(db):
    figure("210", "3400", measure="count", source="As published: a report", vintage="v")
    assert selectors.value("cpp_open", 2021, "la", "210", "count").source == "As published: a report"
    figure("210", "3500", measure="count")
    assert selectors.value("cpp_open", 2021, "la", "210", "count").source == "DfE LAIT"
    figure("210", "3510", measure="count", source="DfE EES d5_cpps_at31march_by_duration", vintage="2025 release")
    assert selectors.value("cpp_open", 2021, "la", "210", "count").value == 3510
    assert selectors.value("cpp_open", 2021, "la", "210", "count", source_preference=["DfE LAIT"]).value == 3500
    assert selectors.value("cpp_open", 2021, "la", "210", "count", source_preference="Nobody") is None


def test_demo_as_published_round_trips(db):
    output = run(DEMO / "sscp_2020_21_as_published.csv", DEMO / "sscp_population_as_published.csv")
    assert "figures as published" in output and "populations as published" in output
    with open(DEMO / "sscp_2020_21_as_published.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 12 * 3 + 3 == BenchmarkValue.objects.count()
    for row in rows:
        got = BenchmarkValue.objects.get(source=row["source"], vintage=row["vintage"], indicator=row["indicator"],
                                         year=int(row["year"]), level=row["level"], code=row["code"],
                                         measure=row["measure"])
        assert (got.value, got.suppressed, got.name) == (*published(row["value"]), row["name"])
    # the SN average is read as published, at level sn; nothing is recomputed from neighbours (none loaded)
    assert selectors.value("referrals", 2021, "sn", "210", "rate").value == 494
    published_sn = selectors.comparator("cpp_open", 2021, "rate", "210", "sn_published")
    assert published_sn.value == 36 and published_sn.source == "As published: SSCP annual report 2020-21"
    assert selectors.comparator("cpp_open", 2021, "rate", "210", "sn_mean").value is None
    assert selectors.value("cpp_second_or_subsequent", 2020, "region", "E12000007", "percent").value == 18
    # the populations the report's rates imply: 3510 referrals / 65,850 children = 533 per 10,000
    value, vintage = selectors.population("210", 2020, vintage="as first published")
    assert value == 65850 and vintage == "as first published (mid-2019/mid-2020 estimates)"
    assert round(Decimal(3510) / value * 10000) == 533
    assert selectors.population("210", 2019).value == 65300
    assert Population.objects.count() == 2
    run(DEMO / "sscp_2020_21_as_published.csv")
    assert BenchmarkValue.objects.count() == 39


def test_as_published_problems_are_named(db, tmp_path):
    from django.core.management import CommandError

    header = "source,vintage,indicator,year,level,code,name,measure,value\n"
    cases = [
        ("r,v,referrals,2021,county,210,x,rate,5\n", "column 'level'"),
        ("r,v,referrals,2021,la,21,x,rate,5\n", "column 'code'"),
        ("r,v,referrals,2021,region,E99999999,x,rate,5\n", "column 'code'"),
        ("r,v,referrals,20x1,la,210,x,rate,5\n", "column 'year'"),
        ("r,v,referrals,2021,la,210,x,ratio,5\n", "column 'measure'"),
        ("r,v,referrals,2021,la,210,x,rate,five\n", "column 'value'"),
        ("r,v,Referrals!,2021,la,210,x,rate,5\n", "column 'indicator'"),
        ("r,v,referrals,2021,la,210,x,rate,5\nr,v,referrals,2020-21,la,210,x,rate,6\n", "appears twice"),
    ]
    for body, fragment in cases:
        path = tmp_path / "typed.csv"
        path.write_text(header + body, encoding="utf-8")
        with pytest.raises(CommandError) as caught:
            run(path)
        assert fragment in str(caught.value) and "line " in str(caught.value), (body, str(caught.value))
    path.write_text(header + "r,v,referrals,2020-21,region,London,,rate,c\n", encoding="utf-8")
    run(path)
    saved = BenchmarkValue.objects.get()
    assert (saved.code, saved.name, saved.year, saved.value, saved.suppressed) == ("E12000007", "London", 2021, None,
                                                                                     "c")
