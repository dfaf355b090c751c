"""import_benchmarks on the real DfE/ONS files: recognised by columns, Southwark's figures as in the files,
withheld figures kept as withheld, bad input refused with nothing changed, re-imports replacing."""
import time
from decimal import Decimal

import pytest
from django.core.management import CommandError
from hypothesis import given
from hypothesis import strategies as st

from safeguarding.benchmarks import selectors
from safeguarding.benchmarks.models import BenchmarkImport, BenchmarkValue, LocalAuthority, Population, \
    StatisticalNeighbour
from safeguarding.benchmarks.readers import collection_year, float_text_value
from tests.benchmarks.conftest import FILES, csv_rows, published, run

pytestmark = pytest.mark.django_db

# (file, column) -> (indicator, measure): what each EES file's Southwark rows must become.
CHECKS = {
    "c1": {"referral_count": ("referrals", "count"), "rereferral_count": ("re_referrals", "count"),
           "rereferral_percent": ("re_referrals", "percent")},
    "b1": {"At31_episodes": ("cin_open", "count"), "Started_episodes": ("cin_starts", "count")},
    "c3": {"Domestic_Abuse_parent": ("factor_3B", "count"), "Child_sexual_exploitation": ("factor_11A", "count"),
           "Gangs": ("factor_13A", "count"), "Child_criminal_exploitation": ("factor_24A", "count"),
           "Neglect": ("factor_16A", "count"), "Trafficking": ("factor_12A", "count")},
    "d3": {"CPP_start": ("cpp_starts", "count"), "CPP_subsequent": ("cpp_second_or_subsequent", "count"),
           "CPP_subsequent_percent": ("cpp_second_or_subsequent", "percent")},
    "d5": {"CPP_At31": ("cpp_open", "count"), "2_years_or_more": ("cpp_2_years", "count"),
           "2_years_or_more_percent": ("cpp_2_years", "percent")},
    "csww": {"agency_rate_fte": ("csww_agency_rate_fte", "percent"), "caseload_fte": ("csww_caseload_fte", "value")},
}
KIND_LABELS = {"c1": "EES c1", "b1": "EES b1", "c3": "EES c3", "d3": "EES d3", "d5": "EES d5", "csww": "EES children's"}


def stored(indicator, year, level, code, measure):
    rows = list(BenchmarkValue.objects.filter(indicator=indicator, year=year, level=level, code=code, measure=measure))
    assert len(rows) == 1, (indicator, year, level, code, measure, rows)
    return rows[0].value, rows[0].suppressed


@pytest.mark.parametrize("key", list(CHECKS))
def test_ees_file_recognised_by_columns_and_southwark_matches_the_file(key, disguised, dfe):
    path = disguised(key)
    output = run(path)
    assert f"recognised as {KIND_LABELS[key]}" in output and "years: " in output and "geographies: " in output
    checked = 0
    for row in csv_rows(dfe / FILES[key]):
        if row["old_la_code"] != "210":
            continue
        for column, (indicator, measure) in CHECKS[key].items():
            assert stored(indicator, int(row["time_period"]), "la", "210", measure) == published(row[column]), \
                (key, row["time_period"], column)
            checked += 1
    assert checked >= 8 * len(CHECKS[key])
    # the other levels are kept: England, London, Inner London
    levels = set(BenchmarkValue.objects.values_list("level", "code").distinct())
    assert {("england", "E92000001"), ("region", "E12000007"), ("inner_outer_london", "E13000001"),
            ("inner_outer_london", "E13000002")} <= levels
    assert BenchmarkImport.objects.get().kind == f"ees_{key}"


def test_design_facts_for_southwark_2020_21(disguised):
    run(disguised("c1"), disguised("d5"), disguised("cla"))
    assert stored("referrals", 2021, "la", "210", "count") == (3510, "")
    assert stored("cpp_open", 2021, "la", "210", "count") == (392, "")
    assert stored("lac_open", 2021, "la", "210", "count") == (449, "")
    assert selectors.region_of("210") == selectors.AreaOf("E12000007", "London", "Inner London", "E13000001")
    authority = LocalAuthority.objects.get(code="210")
    assert (authority.name, authority.new_code) == ("Southwark", "E09000028")


def test_suppressed_figures_keep_their_marker_not_zero(disguised, dfe):
    run(disguised("d5"))
    markers = {}
    for row in csv_rows(dfe / FILES["d5"]):
        if row["geographic_level"] == "Local authority" and row["2_years_or_more"] in ("c", "x", "z", "u"):
            markers[(row["old_la_code"], int(row["time_period"]))] = row["2_years_or_more"]
    assert "c" in markers.values()
    withheld = BenchmarkValue.objects.filter(indicator="cpp_2_years", measure="count", level="la")
    assert {(r.code, r.year): r.suppressed for r in withheld.exclude(suppressed="")} == markers
    assert not withheld.filter(suppressed="c", value__isnull=False).exists()
    assert stored("cpp_2_years", 2025, "la", "210", "count") == (None, "c")


def test_cla_rates_and_the_population_the_dfe_used(disguised, dfe):
    output = run(disguised("cla"), disguised("ons"))
    assert "recognised as EES children looked after" in output and "recognised as ONS mid-year" in output
    for row in csv_rows(dfe / FILES["cla"]):
        if row["old_la_code"] == "210" and row["population_type"] == "Children looked after on 31 March each year":
            year = int(row["time_period"])
            assert stored("lac_open", year, "la", "210", "count") == published(row["children_count"])
            assert stored("lac_open", year, "la", "210", "rate") == published(row["rate_per_10000"])
            rate = BenchmarkValue.objects.get(indicator="lac_open", year=year, code="210", measure="rate")
            assert f"mid-{year - 1}" in rate.population_vintage
            dfe_population = Population.objects.get(code="210", year=year - 1, vintage__startswith="as used by the DfE")
            assert dfe_population.value == int(row["population_estimate"])
    ons = {int(r["time_period"]): int(r["population_estimate"]) for r in csv_rows(dfe / FILES["ons"])
           if r["old_la_code"] == "210"}
    figure = selectors.population("210", 2020)
    assert figure.value == ons[2020] and figure.vintage == "ONS mid-year estimates, Census 2021 based (current)"
    value, vintage = selectors.population("210", 2020, vintage="as used by the DfE")
    assert value == ons[2020] and vintage.startswith("as used by the DfE CLA")
    england = Population.objects.get(code="E92000001", year=2024, vintage__startswith="ONS")
    assert england.level == "england" and england.age_group == "0-17"


def test_statistical_neighbour_files_both_layouts(disguised, dfe):
    output = run(disguised("sn2021"), disguised("sn2025"))
    assert "(2021 model)" in output and "(2025 model)" in output and "skipped: a heading" in output
    import csv
    with open(dfe / FILES["sn2021"], newline="", encoding="utf-8-sig") as handle:
        row = next(r for r in csv.reader(handle) if r and r[0] == "210")
    assert selectors.neighbours("210") == [row[i] for i in range(5, 25, 2)]
    closest = StatisticalNeighbour.objects.get(model="2021", la_code="210", rank=1)
    assert closest.closeness == row[6]
    expected_2025 = next(r for r in csv_rows(dfe / FILES["sn2025"]) if r["old_la_code"] == "210")
    assert selectors.neighbours("210", model="2025") == [expected_2025[f"SN_{k}"] for k in range(1, 11)]
    # "Close " in the file, trimmed
    assert StatisticalNeighbour.objects.get(model="2025", la_code="210", rank=2).closeness == "Close"
    assert StatisticalNeighbour.objects.filter(model="2021").count() == 10 * StatisticalNeighbour.objects.filter(
        model="2021", rank=1).count()


def test_lait_parquet_imports_mapped_measures_in_seconds(disguised, dfe):
    import pyarrow.parquet as pq

    path = disguised("lait", suffix="")
    started = time.perf_counter()
    output = run(path)
    seconds = time.perf_counter() - started
    assert "recognised as DfE LAIT long format" in output and "other measures skipped" in output
    assert seconds < 30, seconds
    table = pq.read_table(dfe / FILES["lait"], columns=["Short Desc", "Years", "LA Number", "Values"]).to_pylist()
    expected = {(r["Short Desc"], r["Years"]): r["Values"] for r in table if r["LA Number"] == 210}
    for short, indicator, measure in [("Section_47", "s47_started", "rate"), ("ISCP_Conf", "icpcs", "rate"),
                                      ("CPP_Total_NumRef", "referrals", "count"),
                                      ("CPP_Total_Rateper10,000", "referrals", "rate"),
                                      ("CPP_rate", "cpp_open", "rate"), ("LAC", "lac_open", "rate"),
                                      ("ReReferral", "re_referrals", "percent"),
                                      ("PrevRegCPR", "cpp_second_or_subsequent", "percent")]:
        got = BenchmarkValue.objects.get(source="DfE LAIT", indicator=indicator, measure=measure, year=2021, code="210")
        assert got.value == Decimal(format(float(expected[(short, "2021")]), ".15g")), short
    assert stored("referrals", 2021, "la", "210", "count") == (3510, "")
    assert stored("referrals", 2021, "la", "210", "rate") == (589, "")  # re-based population: docs/indicators.md
    # Hackney's 2020-21 figures were withheld ('-'): kept as withheld
    hackney = BenchmarkValue.objects.get(source="DfE LAIT", indicator="cpp_open", measure="rate", year=2021, code="204")
    assert (hackney.value, hackney.suppressed) == (None, "-")
    for level, code in [("england", "E92000001"), ("region", "E12000007"), ("inner_outer_london", "E13000001"),
                        ("inner_outer_london", "E13000002"), ("region", "E12000003")]:
        assert BenchmarkValue.objects.filter(source="DfE LAIT", level=level, code=code, indicator="cpp_open").exists()
    assert selectors.region_of("330").region_name == "West Midlands"


def test_reimport_replaces_rather_than_duplicates(disguised, dfe, tmp_path):
    path = disguised("d3")
    run(path)
    first = BenchmarkValue.objects.count()
    output = run(path)
    assert BenchmarkValue.objects.count() == first
    assert "replaced an earlier import" in output
    # a corrected file of the same release replaces the figure
    text = (dfe / FILES["d3"]).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("2021,") and ",210," in line)
    cells = lines[index].rstrip("\n").split(",")
    cells[-3] = "999"  # CPP_start
    lines[index] = ",".join(cells) + "\n"
    corrected = tmp_path / "corrected"
    corrected.write_text("".join(lines), encoding="utf-8")
    run(corrected)
    assert BenchmarkValue.objects.count() == first
    assert stored("cpp_starts", 2021, "la", "210", "count") == (999, "")
    # a different release sits beside it, and the newest wins by default
    run(path, vintage="2026 release")
    assert BenchmarkValue.objects.count() == 2 * first
    assert selectors.value("cpp_starts", 2021, "la", "210", "count").vintage == "2026 release"


# ------------------------------------------------------------------------------------------ bad input
def snapshot():
    return (sorted(BenchmarkValue.objects.values_list("source", "vintage", "indicator", "year", "code", "measure",
                                                      "value", "suppressed")),
            Population.objects.count(), StatisticalNeighbour.objects.count(), BenchmarkImport.objects.count())


@pytest.fixture
def loaded(disguised):
    run(disguised("d3"))
    return snapshot()


def refuse(path, *fragments):
    with pytest.raises(CommandError) as caught:
        run(path)
    message = str(caught.value)
    assert str(path) in message and "nothing in it has changed" in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


def test_bad_number_names_file_line_and_column(loaded, dfe, tmp_path):
    lines = (dfe / FILES["d3"]).read_text(encoding="utf-8").splitlines()
    cells = lines[-1].split(",")
    cells[-1] = "12.3.4"  # the very last cell: everything before it was fine
    lines[-1] = ",".join(cells)
    bad = tmp_path / "d3-bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refuse(bad, f"line {len(lines)}", "column 'CPP_subsequent_percent'", "expected a number or a suppression marker",
           "'12.3.4'")
    assert snapshot() == loaded


def test_unknown_columns_refused(loaded, tmp_path):
    bad = tmp_path / "mystery.csv"
    bad.write_text("year,place,number\n2021,Southwark,3510\n", encoding="utf-8")
    refuse(bad, "line 1", "columns not recognised", "year, place, number")
    assert snapshot() == loaded


def test_ees_file_of_unknown_kind_refused(loaded, tmp_path):
    bad = tmp_path / "other.csv"
    bad.write_text("time_period,time_identifier,geographic_level,country_code,country_name,widgets\n"
                   "2021,Reporting year,National,E92000001,England,5\n", encoding="utf-8")
    refuse(bad, "not a kind this command knows", "widgets")
    assert snapshot() == loaded


def test_truncated_parquet_refused(loaded, dfe, tmp_path):
    data = (dfe / FILES["lait"]).read_bytes()
    bad = tmp_path / "lait-truncated.parquet"
    bad.write_bytes(data[: len(data) // 2])
    refuse(bad, "not a readable Parquet file", "expected a complete Parquet file")
    assert snapshot() == loaded


def test_empty_file_refused(loaded, tmp_path):
    for name, content in [("empty.csv", b""), ("blank.csv", b"\n\n  \n")]:
        bad = tmp_path / name
        bad.write_bytes(content)
        refuse(bad, "the file is empty")
    header_only = tmp_path / "header-only.csv"
    header_only.write_text("source,vintage,indicator,year,level,code,name,measure,value\n", encoding="utf-8")
    refuse(header_only, "no data rows")
    assert snapshot() == loaded


def test_not_utf8_refused(loaded, tmp_path):
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("source,vintage\nÉté,x\n".encode("latin-1"))
    refuse(bad, "not UTF-8 text")
    assert snapshot() == loaded


def test_later_file_failing_leaves_earlier_files_loaded(disguised, tmp_path):
    bad = tmp_path / "empty.csv"
    bad.write_bytes(b"")
    good = disguised("d3")
    with pytest.raises(CommandError) as caught:
        run(good, bad)
    assert "Files loaded before it" in str(caught.value) and str(good) in str(caught.value)
    assert BenchmarkValue.objects.filter(source="DfE EES d3_cpps_subsequent_plan").exists()


# ------------------------------------------------------------------------------------------- helpers
def test_collection_years():
    assert collection_year("2021") == 2021
    assert collection_year("2020-21") == 2021
    assert collection_year("2020/21") == 2021
    assert collection_year("2021 (Final)") == 2021
    assert collection_year("2020-21 (OT)") == 2021
    assert collection_year("202021") == 2021
    assert collection_year("1999-00") == 2000
    assert collection_year("2014-16") == 2016
    assert collection_year("2013/14-15/16") == 2016
    assert collection_year("0") is None and collection_year("") is None


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_lait_float_noise_is_read_as_the_number_meant(number):
    noisy = format(number, ".17g")
    value, marker = float_text_value(noisy)
    assert marker == "" and float(value) == pytest.approx(number, rel=1e-14, abs=1e-300)
    assert len(value.as_tuple().digits) <= 17


def test_lait_csv_copy_is_recognised_too(dfe, tmp_path):
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    table = pq.read_table(dfe / FILES["lait"])
    small = table.filter(pc.equal(table["Short Desc"], "Section_47"))
    path = tmp_path / "section47"
    pacsv.write_csv(small, path)
    output = run(path)
    assert "recognised as DfE LAIT long format" in output
    assert BenchmarkValue.objects.filter(source="DfE LAIT", indicator="s47_started", measure="rate").count() == \
        small.num_rows


def test_disguised_copy_keeps_bytes(disguised, dfe):
    path = disguised("c1")
    assert path.read_bytes() == (dfe / FILES["c1"]).read_bytes() and "c1" not in path.name


def test_lait_all_imports_other_measures_generically(dfe, tmp_path):
    """--lait-all on a small subset written at test time: financial-year labels ('2020-21 (OT)') normalised."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(dfe / FILES["lait"])
    wanted = ["Section_47", "SureStartFinance", "LAC_ceased_SGO", "LAC_ceased_SGO%"]
    small = table.filter(pc.is_in(table["Short Desc"], value_set=pa.array(wanted)))
    path = tmp_path / "subset.parquet"
    pq.write_table(small, path)
    output = run(path, lait_all=True)
    assert "3 other measures imported as lait_<short desc>" in output
    finance = BenchmarkValue.objects.get(indicator="lait_surestartfinance", year=2021, code="210")
    assert finance.period == "2020-21 (OT)" and finance.value == 3440330
    assert BenchmarkValue.objects.filter(indicator="lait_lac_ceased_sgo_pct", code="210").exists()
    assert BenchmarkValue.objects.filter(indicator="lait_lac_ceased_sgo", code="210", measure="count").exists()
    assert BenchmarkValue.objects.filter(indicator="s47_started", measure="rate").count() == \
        pc.sum(pc.equal(small["Short Desc"], "Section_47")).as_py()
