"""The dashboard's "Which children go further" page: its tables, caution and downloads; small numbers as c for a
scrutineer, including a second group so the first cannot be worked out; the plain statement that there is no
national comparator."""
import csv
import io

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from safeguarding.accounts.roles import Role
from safeguarding.dashboard import disproportionality as figures
from safeguarding.indicators import disproportionality as dp
from safeguarding.indicators.engine import definitions as d
from safeguarding.indicators.models import IndicatorValue
from tests import factories
from tests.dashboard.test_dashboard import client_for, url

pytestmark = pytest.mark.django_db

# Children at each point in 2021, by ethnic group (the other dimensions put everyone in one group): Black children
# went on from referral to assessment at 1.5 times the rate of others; 3 Other children were assessed.
GROUPS = {"White": (400, 200, 90, 60, 50, 20), "Black": (300, 225, 120, 70, 60, 30), "Asian": (100, 50, 20, 10, 8, 6),
          "Other": (10, 3, 0, 0, 0, 0), "Mixed": (90, 45, 20, 12, 10, 7)}


def counts():
    found = {key: dict.fromkeys(d.POINTS, 0) for key in
             [("all", "All children")] + [(dim, g) for dim, groups in d.DIMENSIONS.items() for g in groups]}
    for group, numbers in GROUPS.items():
        found[("ethnicity", group)] = dict(zip(d.POINTS, numbers))
    total = dict(zip(d.POINTS, [sum(n[i] for n in GROUPS.values()) for i in range(len(d.POINTS))]))
    for key in [("all", "All children"), ("sex", "Male"), ("age", "10 to 15")]:
        found[key] = dict(total)
    return found


@pytest.fixture
def southwark(db):
    cache.clear()
    partnership = factories.partnership("Southwark", la_code="210")
    IndicatorValue.objects.create(la_code="210", year=2021, indicator="referrals", value=2000)
    for code, n, m in dp.values_for(counts()):
        IndicatorValue.objects.create(la_code="210", year=2021, indicator=code, numerator=n, denominator=m,
                                      value=n * 100 / m if m else None)
    yield partnership
    cache.clear()


def test_every_member_sees_the_rates_with_the_caution_and_no_invented_comparator(southwark):
    response = client_for(southwark, Role.AGENCY_LEAD).get(url("dashboard:disproportionality", southwark))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Which children go further" in html and "does not" in html and "measure need" in html
    assert "Katz" in html and "no children&#39;s social care figures by ethnic group" in html
    assert "lait_bds_long.parquet" in html and "lait_data_dictionary.csv" in html
    for step in d.STEPS:
        assert f'id="table-{figures.step_key(step)}"' in html
    # Black children: 225 of 300 assessed (75.0%), others 298 of 600 (49.7%): 1.51
    assert ">75.0%<" in html and ">49.7%<" in html and ">1.51<" in html
    assert ">1.36 to 1.68<" in html  # Katz: 1.51 × exp(±1.96 × 0.0529)


def test_a_scrutineer_sees_small_numbers_and_what_reveals_them_as_c(southwark):
    steps = {s.key: s for s in figures.figures("210", 2021, suppress=True)}
    rows = {r.group: r for r in steps["referred-assessed"].rows}
    assert rows["Other"].went_on == "c" and rows["Other"].share == "c" and rows["Other"].rate == "c"
    # one other group hidden too, so "All children" less the rest does not give the 3
    hidden = [g for g, r in rows.items() if r.went_on == "c" and g not in ("Other",)]
    assert hidden, rows
    assert rows["All children"].went_on == "523"
    full = {r.group: r for r in {s.key: s for s in figures.figures("210", 2021, suppress=False)}[
        "referred-assessed"].rows}
    assert full["Other"].went_on == "3" and full["Other"].share == "30.0%"
    page = client_for(southwark, Role.SCRUTINEER).get(url("dashboard:disproportionality", southwark)).content.decode()
    assert ">3<" not in page.split('id="table-referred-assessed"')[1].split("</table>")[0]


def test_downloads_carry_the_same_figures_and_the_notes(southwark):
    client = client_for(southwark, Role.SCRUTINEER)
    text = client.get(url("dashboard:disproportionality-csv", southwark, year=2021)).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    black = next(r for r in rows if r[1].startswith("Referred") and r[3] == "Black")
    assert black[4:6] == ["300", "225"] and black[8] == "1.51"
    other = next(r for r in rows if r[1].startswith("Referred") and r[3] == "Other")
    assert other[5] == "c" and other[8] == "c"
    response = client.get(url("dashboard:disproportionality-xlsx", southwark, year=2021))
    book = load_workbook(io.BytesIO(response.content))
    notes = " ".join(str(c.value) for row in book.worksheets[-1].iter_rows() for c in row)
    assert "Katz" in notes and "not why" in notes and "shown as c" in notes


def test_the_chart_draws_each_point_and_refuses_an_unknown_one(southwark):
    client = client_for(southwark, Role.AGENCY_LEAD)
    svg = client.get(url("dashboard:disproportionality-svg", southwark, step="referred-assessed"))
    assert svg.status_code == 200 and b"<svg" in svg.content and b"Black" in svg.content
    assert client.get(url("dashboard:disproportionality-png", southwark)).content[:4] == b"\x89PNG"
    assert client.get(url("dashboard:disproportionality-svg", southwark, step="nowhere")).status_code == 404


def test_the_dashboard_links_to_it_and_outsiders_get_404(southwark):
    page = client_for(southwark, Role.AGENCY_LEAD).get(url("dashboard:index", southwark)).content.decode()
    assert url("dashboard:disproportionality", southwark) in page
    other = factories.partnership("Lambeth", la_code="208")
    outsider = client_for(other, Role.ADMIN)
    assert outsider.get(url("dashboard:disproportionality", southwark)).status_code == 404


def test_a_year_without_decision_points_says_so(southwark):
    IndicatorValue.objects.create(la_code="210", year=2020, indicator="referrals", value=1900)
    html = client_for(southwark, Role.AGENCY_LEAD).get(url("dashboard:disproportionality", southwark,
                                                            year=2020)).content.decode()
    assert "Not worked out yet for 2019 to 2020" in html or "Not worked out yet for 2019-20" in html
