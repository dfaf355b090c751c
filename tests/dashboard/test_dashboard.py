"""The dashboard and its downloads: who sees what, the reference table, suppression for scrutineers,
the empty state, and the files (CSV, Excel, SVG, PNG)."""
import csv
import io
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from safeguarding.accounts.roles import Role
from tests import factories
from tests.dashboard import data

pytestmark = pytest.mark.django_db
AS_PUBLISHED = {"year": 2021, "comparators": "as-published"}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def southwark(db):
    partnership = factories.partnership("Southwark", la_code="210")
    data.store_values("210", small={(2021, "cpp_2_years"): 3})
    data.factor_groups(partnership)
    data.import_benchmarks()
    return partnership


def client_for(partnership, role):
    return factories.sign_in(Client(), factories.person(partnership, role))


class Page:
    """A response with the context the view rendered (Jinja2 templates send no signal for the test client)."""

    def __init__(self, client, address):
        from django.shortcuts import render

        from safeguarding.dashboard import views

        captured = {}

        def capture(request, template, context=None, **kwargs):
            captured.update(context or {})
            return render(request, template, context, **kwargs)

        with mock.patch.object(views, "render", capture):
            self.response = client.get(address)
        self.context = captured
        self.status_code = self.response.status_code
        self.content = self.response.content


def url(name, partnership, **query):
    address = reverse(name, kwargs={"slug": partnership.slug})
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_every_member_sees_the_dashboard_and_outsiders_do_not(southwark):
    other = factories.partnership("Elsewhere")
    for role in Role:
        assert client_for(southwark, role).get(url("dashboard:index", southwark)).status_code == 200, role
    assert client_for(other, Role.ADMIN).get(url("dashboard:index", southwark)).status_code == 404
    anonymous = Client().get(url("dashboard:index", southwark))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/account/sign-in/")


def test_the_reference_table_with_its_footnote_flags_and_narrative(southwark):
    page = Page(client_for(southwark, Role.PARTNER_LEAD), url("dashboard:index", southwark, **AS_PUBLISHED))
    html = page.content.decode()
    table = page.context["table"]
    referrals = table.rows[0]
    assert [referrals.now.number.shown, referrals.now.rate.shown, referrals.before.number.shown,
            referrals.before.rate.shown] + [referrals.comparators[k].shown for k, _ in table.groups] + [
        referrals.change.shown] == ["3,510", "533", "3,579", "548", "494", "494", "497", "-1.9%"]
    assert page.context["headings"][0] == ("Southwark 20-21", 2)
    assert [h for h, _ in page.context["headings"][2:]] == ["SN 20-21", "England 20-21", "London 20-21",
                                                           "Southwark change"]
    assert page.context["subheadings"] == ["Number", "Rate*", "Number", "Rate", "Rate", "Rate", "Rate", ""]
    assert "Population 2020-21: 65,850 (as first published" in html
    assert "govuk-warning-text" in html and "does not fit its count and population" in html
    assert ("The rate of S47 enquiries starting increased by 71.3%, from 115 per 10,000 children in 2019-20 to 197 "
            "in 2020-21, and is now higher than all comparator groups.") in html
    assert "Where these figures come from" in html
    # a trend for each row, each with its spec, its table and its summary
    assert len(page.context["charts"]) == 12
    trend, spec = page.context["charts"][0]
    assert trend.years == [2018, 2019, 2020, 2021] and spec["mark"]["type"] == "line"
    assert f'id="chart-spec-{trend.code}">' in html and trend.summary() in html
    assert "Police" in html and "Timeliness" in html and "Domestic abuse" in html


def test_year_and_comparator_choices(southwark):
    client = client_for(southwark, Role.ANALYST)
    page = Page(client, url("dashboard:index", southwark))
    assert page.context["choice"].year == 2022 and page.context["choice"].comparators == "dfe"
    assert [label for _, label in page.context["form"].fields["year"].choices] == [
        "2021-22", "2020-21", "2019-20", "2018-19", "2017-18"]
    page = client.get(url("dashboard:index", southwark, year=1999))
    assert "Select a year the returns cover" in page.content.decode()


def test_scrutineer_sees_c_for_small_numbers(southwark):
    page = Page(client_for(southwark, Role.SCRUTINEER), url("dashboard:index", southwark, **AS_PUBLISHED))
    row = next(r for r in page.context["table"].rows if r.code == "cpp_2_years")
    assert (row.now.number.shown, row.now.rate.shown, row.change.shown) == ("c", "c", "c")
    trend = next(t for t, _ in page.context["charts"] if t.code == "cpp_2_years")
    assert trend.shown[("Southwark", 2021)] == "c" and trend.values[("Southwark", 2021)] is None
    assert not any("3 in 2020-21" in s.text for s in page.context["sentences"])
    anonymous_source = next(s for s in page.context["panels"]["sources"] if s["code"] == "9")
    assert anonymous_source["cell"].shown == "c" and anonymous_source["cell"].percent_shown == "c"
    lines = list(csv.reader(io.StringIO(client_for(southwark, Role.SCRUTINEER).get(
        url("dashboard:table-csv", southwark, **AS_PUBLISHED)).content.decode())))
    assert next(line for line in lines if line[0].startswith("CPP 2+"))[2:4] == ["c", "c"]

    lead = Page(client_for(southwark, Role.PARTNER_LEAD), url("dashboard:index", southwark, **AS_PUBLISHED))
    row = next(r for r in lead.context["table"].rows if r.code == "cpp_2_years")
    assert row.now.number.shown == "3"


def test_empty_state_links_to_the_returns_for_those_who_import(db):
    partnership = factories.partnership("Emptyshire")
    page = client_for(partnership, Role.ANALYST).get(url("dashboard:index", partnership))
    html = page.content.decode()
    assert "No returns loaded yet" in html and reverse("returns:list", kwargs={"slug": partnership.slug}) in html
    page = client_for(partnership, Role.SCRUTINEER).get(url("dashboard:index", partnership))
    assert "No returns loaded yet" in page.content.decode()
    assert reverse("returns:list", kwargs={"slug": partnership.slug}) not in page.content.decode()


def test_dashboard_is_in_the_service_navigation(southwark):
    html = client_for(southwark, Role.CASE_REVIEW).get(reverse("partnership:home", kwargs={"slug": "southwark"}))
    assert f'href="{url("dashboard:index", southwark)}"' in html.content.decode()


def test_table_downloads(southwark):
    client = client_for(southwark, Role.PARTNER_LEAD)
    response = client.get(url("dashboard:table-csv", southwark, **AS_PUBLISHED))
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Indicator", "Rate or percentage", "Southwark 20-21 number",
                           "Southwark 20-21 rate or percentage"]
    assert rows[1] == ["Referrals", "rate per 10,000 children aged 0-17", "3510", "533", "3579", "548", "494", "494",
                       "497", "-1.9"]

    response = client.get(url("dashboard:table-xlsx", southwark, **AS_PUBLISHED))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["Indicator", "Rate or percentage", "Southwark 20-21 number"]
    assert [c.value for c in sheet[2]] == ["Referrals", "rate per 10,000 children aged 0-17", 3510, 533, 3579, 548,
                                           494, 494, 497, -1.9]
    assert isinstance(sheet["C2"].value, int) and isinstance(sheet["J2"].value, float)
    notes = {row[0].value: row[1].value for row in book["Notes"].iter_rows(min_row=2)}
    assert notes["Population 2020-21"].startswith("65,850 (as first published")
    assert "Figures that do not fit" in notes


def test_chart_downloads(southwark):
    client = client_for(southwark, Role.AGENCY_LEAD)
    rows = list(csv.reader(io.StringIO(client.get(
        url("dashboard:chart-data-csv", southwark, chart="referrals", **AS_PUBLISHED)).content.decode())))
    assert rows[0] == ["Indicator", "Year", "Series", "Value", "Unit"]
    assert ["Referrals", "2020-21", "Southwark", "533", "Rate per 10,000 children aged 0 to 17"] in rows
    assert ["Referrals", "2020-21", "England", "494", "Rate per 10,000 children aged 0 to 17"] in rows
    every = client.get(url("dashboard:chart-data-xlsx", southwark, **AS_PUBLISHED))
    sheet = load_workbook(io.BytesIO(every.content)).worksheets[0]
    assert {row[0].value for row in sheet.iter_rows(min_row=2)} >= {"Referrals", "LAC ceased in year"}

    svg = client.get(url("dashboard:chart-svg", southwark, chart="referrals", **AS_PUBLISHED))
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.lstrip().startswith(b"<svg")
    assert b"Referrals" in svg.content
    png = client.get(url("dashboard:chart-png", southwark, chart="cpp_open", **AS_PUBLISHED))
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(url("dashboard:chart-svg", southwark, chart="no-such")).status_code == 404


def test_the_headlines_come_first_and_say_what_the_table_says(southwark):
    page = Page(client_for(southwark, Role.PARTNER_LEAD), url("dashboard:index", southwark, **AS_PUBLISHED))
    html = page.content.decode()
    headlines = page.context["headlines"]
    assert len(headlines) == 4
    assert html.index('id="headlines"') < html.index('id="choices"') < html.index('id="trends"') < html.index(
        'id="core-activity"')
    rows = {row.code: row for row in page.context["table"].rows}
    for headline in headlines:
        row = rows[headline.code]
        assert (headline.number, headline.rate) == (row.now.number.shown, row.now.rate.shown)
        assert f'id="headline-{headline.code}"' in html and headline.change in html and headline.comparison in html
        if headline.change:
            assert f"{abs(row.change.value):,.1f}% from {row.before.number.shown} in 2019-20" in headline.change
    # S47 enquiries rose by 72.4% in the reference year: the largest change of all
    assert (headlines[0].code, headlines[0].reason) == ("s47_started", "Changed most")


def test_a_scrutineer_sees_no_small_number_in_the_headlines(southwark):
    page = Page(client_for(southwark, Role.SCRUTINEER), url("dashboard:index", southwark, **AS_PUBLISHED))
    rows = {row.code: row for row in page.context["table"].rows}
    assert page.context["headlines"]
    for headline in page.context["headlines"]:
        assert "c" not in (headline.number, headline.rate) and rows[headline.code].now.number.value > 5
    assert "cpp_2_years" not in [h.code for h in page.context["headlines"]]


def test_where_the_figures_come_from_names_the_returns_and_the_releases(southwark):
    from datetime import datetime, timezone

    from safeguarding.returns.models import ReturnImport

    analyst = factories.person(southwark, Role.ANALYST, email="analyst@test.example")
    analyst.full_name = "Ada Analyst"
    analyst.save()

    def loaded(kind, year, names, day, by=None, status=ReturnImport.Status.LOADED):
        return ReturnImport.objects.create(partnership=southwark, la_code="210", kind=kind, year=year, file_names=names,
                                           uploaded_by=by, status=status,
                                           created_at=datetime(2026, 5, day, 9, 30, tzinfo=timezone.utc))

    loaded("cin", 2021, "cin_first_try.xml", 1, analyst)
    loaded("cin", 2021, "cin_census_210_2021.xml", 2, analyst)  # replaces the first
    loaded("cin", 2021, "cin_refused.xml", 3, analyst, status=ReturnImport.Status.REJECTED)
    loaded("ssda903", 2021, "ssda903_header.csv, ssda903_episodes.csv", 2)
    loaded("cin", 2016, "cin_census_210_2016.xml", 2)  # outside the years on the page
    ReturnImport.objects.create(la_code="211", kind="cin", year=2021, file_names="elsewhere.xml",
                                status=ReturnImport.Status.LOADED)

    page = Page(client_for(southwark, Role.SCRUTINEER), url("dashboard:index", southwark, **AS_PUBLISHED))
    html = page.content.decode()
    used = page.context["returns_used"]
    assert [(r.year_label, r.kind, r.file_names, r.uploaded_by) for r in used] == [
        ("2020-21", "Children in Need census", "cin_census_210_2021.xml", "Ada Analyst"),
        ("2020-21", "SSDA903 looked-after children return", "ssda903_header.csv, ssda903_episodes.csv",
         "loaded from the command line")]
    assert all(r.authority == "Southwark (210)" for r in used)
    assert "cin_census_210_2021.xml" in html and "2 May 2026 at 10:30 by Ada Analyst" in html
    assert "cin_first_try.xml" not in html and "cin_refused.xml" not in html and "elsewhere.xml" not in html

    # Every comparator in the table comes from a release listed, and every release listed is one the page uses.
    releases = page.context["releases_used"]
    listed = {f"{r.source} ({r.vintage})" for r in releases}
    table = page.context["table"]
    shown = {row.comparators[key].source for row in table.rows for key, _ in table.groups
             if row.comparators[key].value is not None}
    assert shown and shown <= listed
    assert all(r.source.startswith("As published") and r.files for r in releases)
    assert {y for r in releases for y in r.years} <= set(page.context["charts"][0][0].years)
    assert "sscp_2020_21_as_published.csv" in html


def test_what_the_assessments_of_each_source_found(southwark):
    # Issue 15 point 4: the scrutiny commission heard that domestic abuse is behind most police referrals.
    # 2020-21: 3,510 referrals, the police 31% (1,088), 870 of them assessed, 522 found domestic abuse (60%).
    lead = Page(client_for(southwark, Role.PARTNER_LEAD), url("dashboard:index", southwark, **AS_PUBLISHED))
    police = lead.context["panels"]["police_findings"]
    assert (police["cell"].shown, police["assessed"].shown, police["domestic_abuse"].shown) == ("1,088", "870", "522")
    assert police["domestic_abuse"].percent_shown == "60.0%"
    page = lead.content.decode()
    assert "Of the 870 that had a completed assessment, 522 (60.0%) found domestic abuse." in page
    assert "What assessments found, by source of referral, 2020-21" in page
    anonymous = next(f for f in lead.context["panels"]["findings"] if f["code"] == "9")
    assert (anonymous["cell"].shown, anonymous["assessed"].shown, anonymous["domestic_abuse"].shown) == ("3", "2", "0")

    scrutineer = Page(client_for(southwark, Role.SCRUTINEER), url("dashboard:index", southwark, **AS_PUBLISHED))
    anonymous = next(f for f in scrutineer.context["panels"]["findings"] if f["code"] == "9")
    # 3 referrals and 2 assessed are small: c, and so is the share found; none found shows as 0 (it identifies
    # nobody) but its share of a c is c
    assert (anonymous["cell"].shown, anonymous["assessed"].shown) == ("c", "c")
    assert anonymous["domestic_abuse"].percent_shown == "c"
    police = scrutineer.context["panels"]["police_findings"]
    assert police["domestic_abuse"].percent_shown == "60.0%"


def test_a_source_hidden_in_the_sources_table_is_not_shown_as_a_denominator(southwark):
    """The share assessed is of the source's referrals: the same count, so the same decision, wherever it shows."""
    from safeguarding.core import disclosure
    from safeguarding.indicators.models import IndicatorValue

    values = list(IndicatorValue.objects.filter(la_code="210", year=2021))
    found = disclosure.indicator_values(values)
    assessed = next(v for v in values if v.indicator == "source_assessed:9")
    assert disclosure.denominator_key(assessed) == (2021, "referral_source:9")
    hidden_sources = {v.indicator for v in values if v.indicator.startswith("referral_source:")
                      and found.is_hidden((2021, v.indicator))}
    assert "referral_source:9" in hidden_sources and len(hidden_sources) >= 2  # the small one and its complement
    for code in hidden_sources:
        share = next(v for v in values if v.indicator == "source_assessed:" + code.split(":")[1])
        assert disclosure.value_hidden(found, share)
