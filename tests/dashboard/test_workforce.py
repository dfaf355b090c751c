"""The social work workforce panel (ADR 0027): the DfE's figures for every census year against a hand-computed
check from the published file, the page and its downloads, who sees it, and the sentences relating the workforce
to the partnership's activity."""
import csv
import io
import re
import statistics
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from openpyxl import load_workbook

from safeguarding.accounts.roles import Role
from safeguarding.indicators import workforce as w
from safeguarding.indicators.models import IndicatorValue
from tests import factories
from tests.dashboard import data
from tests.dashboard.test_dashboard import Page, client_for, url

pytestmark = pytest.mark.django_db
CSWW = data.DFE / "csww_indicators_2017_to_2025.csv"
SN = data.DFE / "New_Statistical_Neighbour_Groupings_April_2021.csv"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def import_workforce():
    call_command("import_benchmarks", str(CSWW), str(SN), stdout=io.StringIO())


@pytest.fixture
def southwark(db):
    partnership = factories.partnership("Southwark", la_code="210")
    data.store_values("210", small={(2021, "lac_open"): 4})
    data.factor_groups(partnership)
    data.import_benchmarks()
    import_workforce()
    return partnership


def published_rows():
    """The DfE file's rows, read here without the importer: {(level, code, year): row}."""
    with open(CSWW, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    found = {}
    for row in rows:
        if row["geographic_level"] == "Local authority":
            found[("la", row["old_la_code"], int(row["time_period"]))] = row
        elif row["geographic_level"] == "National":
            found[("england", "E92000001", int(row["time_period"]))] = row
        elif row["region_code"] == "E13000001":
            found[("inner london", "", int(row["time_period"]))] = row
    return found


def southwark_neighbours():
    with open(SN, newline="", encoding="utf-8-sig") as handle:
        for row in csv.reader(handle):
            if row[0] == "210":
                return [row[5 + 2 * i] for i in range(10)]


def test_every_year_and_comparator_matches_the_published_file(southwark):
    found = w.workforce("210")
    rows, neighbours = published_rows(), southwark_neighbours()
    assert found.years == list(range(2017, 2026))
    assert [name for _, name in found.series] == ["Southwark", "Statistical neighbours (mean)", "Inner London",
                                                  "England"]
    checked = 0
    for measure in w.MEASURES:
        for year in range(2017, 2026):
            column = measure.code
            assert found.get(column, "la", year).value == Decimal(rows[("la", "210", year)][column])
            assert found.get(column, "england", year).value == Decimal(rows[("england", "E92000001", year)][column])
            assert found.get(column, "region", year).value == Decimal(rows[("inner london", "", year)][column])
            cells = [rows.get(("la", code, year), {}).get(column, "") for code in neighbours]
            numbers = [Decimal(c) for c in cells if c.replace(".", "", 1).isdigit()]
            expected = sum(numbers) / len(numbers)
            assert found.get(column, "sn", year).value == expected, (column, year)
            checked += 1
    assert checked == 45
    # As shown: one decimal place, as the DfE publishes them; percentages with the sign.
    assert found.get("agency_rate_fte", "la", 2024).shown == "20.1%"
    assert found.get("caseload_fte", "la", 2025).shown == "12.3"
    assert found.get("absence_rate_fte", "la", 2025).shown == "1.0%"
    median = w.workforce("210", "median")
    cells = [Decimal(rows[("la", code, 2025)]["vacancy_rate_fte"]) for code in neighbours
             if ("la", code, 2025) in rows and rows[("la", code, 2025)]["vacancy_rate_fte"] not in ("z", "x", "c")]
    assert median.get("vacancy_rate_fte", "sn", 2025).value == statistics.median(cells)


def test_a_figure_the_dfe_withheld_shows_its_marker(southwark):
    # Kensington and Chelsea's 2025 figures are published as x (not available); the Isles of Scilly's turnover as z.
    assert w.workforce("207").get("vacancy_rate_fte", "la", 2025).shown == "x"
    assert w.workforce("420").get("turnover_rate_fte", "la", 2025).shown == "z"
    assert w.workforce("420").get("turnover_rate_fte", "la", 2025).value is None
    # A neighbour with no figure is left out of the average, and named (Camden's neighbours include them).
    camden = w.workforce("202").get("vacancy_rate_fte", "sn", 2025)
    assert camden.source.startswith("mean of 8 statistical neighbours") and camden.source.endswith("Westminster, Kensington and Chelsea")


def test_the_panel_shows_charts_tables_source_and_downloads(southwark):
    page = Page(client_for(southwark, Role.PARTNER_LEAD), url("dashboard:index", southwark, year=2021))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="workforce"' in html and "Social work workforce" in html
    assert "30 September 2017 to 30 September 2025" in html
    assert "Children&#39;s social work workforce" in html or "Children's social work workforce" in html
    for measure in w.MEASURES:
        assert f'id="chart-spec-workforce-{measure.code}"' in html
    # The agency table: every census, with Southwark's published figure.
    assert re.search(r'<th scope="row" class="govuk-table__header">2022</th>\s*<td[^>]*>30.8%</td>', html)
    panel = page.context["workforce"]
    assert [t.code for t, _ in panel["charts"]] == [m.code for m in w.MEASURES]
    assert "census of 30 September 2020" in panel["sentences"][0].text
    assert url("dashboard:workforce-csv", southwark).split("?")[0] in html


def test_downloads_every_year_and_one_measure(southwark):
    client = client_for(southwark, Role.AGENCY_LEAD)
    rows = list(csv.reader(io.StringIO(client.get(url("dashboard:workforce-csv", southwark)).content.decode())))
    assert rows[0] == ["Indicator", "Census at 30 September", "Series", "Value", "Unit"]
    assert ["Agency social workers", "2024", "Southwark", "20.1", "Percentage"] in rows
    assert ["Caseload per case-holding social worker", "2017", "England", "16.3",
            "Cases per case-holding social worker (FTE)"] in rows or any(
        r[:3] == ["Caseload per case-holding social worker", "2017", "England"] for r in rows)
    assert {r[1] for r in rows[1:]} == {str(y) for y in range(2017, 2026)}
    one = list(csv.reader(io.StringIO(client.get(
        url("dashboard:workforce-csv", southwark, chart="turnover_rate_fte")).content.decode())))
    assert {r[0] for r in one[1:]} == {"Turnover rate"}
    book = load_workbook(io.BytesIO(client.get(url("dashboard:workforce-xlsx", southwark)).content))
    notes = {row[0].value: row[1].value for row in book["Notes"].iter_rows(min_row=2)}
    assert notes["Source"].startswith(w.SOURCE) and "30 September" in notes["Year"]
    assert client.get(url("dashboard:workforce-csv", southwark, chart="no-such")).status_code == 404
    svg = client.get(url("dashboard:workforce-chart-svg", southwark, chart="caseload_fte"))
    assert svg["Content-Type"] == "image/svg+xml" and b"Caseload per case-holding social worker" in svg.content
    assert b"Census at 30 September" in svg.content
    png = client.get(url("dashboard:workforce-chart-png", southwark))
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(url("dashboard:workforce-chart-svg", southwark, chart="no-such")).status_code == 404


def test_outsiders_see_nothing(southwark):
    other = factories.partnership("Elsewhere")
    for name in ("dashboard:workforce-csv", "dashboard:workforce-xlsx", "dashboard:workforce-chart-svg",
                 "dashboard:workforce-chart-png"):
        assert client_for(other, Role.ADMIN).get(url(name, southwark)).status_code == 404


def test_empty_state_without_workforce_figures(db):
    partnership = factories.partnership("Southwark", la_code="210")
    data.store_values("210")
    data.import_benchmarks()
    html = client_for(partnership, Role.PARTNER_LEAD).get(url("dashboard:index", partnership)).content.decode()
    assert "No workforce figures for Southwark have been imported" in html and "chart-spec-workforce" not in html


def test_the_sentences_follow_the_figures(southwark):
    found = w.workforce("210")
    caseload = next(s for s in w.sentences(found, 2021, suppress=False) if s.text.startswith("On 30 September 2020, case"))
    # Southwark, 30 September 2020: 2,756 cases, 201.7 case holders, 13.7 each; 392 children on plans at 31 March 2021.
    assert "held 13.7 cases each" in caseload.text and "2,756 cases among 201.7" in caseload.text
    assert "392 children on child protection plans" in caseload.text
    assert "1.9 children on plans for each case-holding social worker" in caseload.text
    # Change a count: the sentence changes with it.
    IndicatorValue.objects.filter(la_code="210", year=2021, indicator="cpp_open").update(value=Decimal(500))
    changed = next(s for s in w.sentences(found, 2021, suppress=False) if s.text.startswith("On 30 September 2020, case"))
    assert "500 children on child protection plans" in changed.text and "2.5 children on plans" in changed.text
    agency = next(s for s in w.sentences(found, 2021, suppress=False) if s.text.startswith("Agency"))
    assert "32.4% of Southwark's" in agency.text and "higher than England (15.4%)" in agency.text
    assert "on 30 September 2017 the share was 23.6%" in agency.text


def test_a_scrutineer_sees_no_small_count_in_the_sentences(southwark):
    found = w.workforce("210")
    seen = next(s for s in w.sentences(found, 2021, suppress=True) if s.text.startswith("On 30 September 2020, case"))
    assert "c children looked after" in seen.text and "4 children looked after" not in seen.text
    shown = next(s for s in w.sentences(found, 2021, suppress=False) if s.text.startswith("On 30 September 2020, case"))
    assert "4 children looked after" in shown.text
    page = Page(client_for(southwark, Role.SCRUTINEER), url("dashboard:index", southwark, year=2021))
    assert "4 children looked after" not in page.content.decode()
