"""The LADO contacts list (issue 14 point 7): paged, searched, filtered by year, kind, outcome and sector, the filters
in the address, an empty state, a count, the filtered list downloaded as CSV and Excel, and every view logged.

The demo's 1,604 generated contacts are the data; what each filter should find is worked out here again in Python
from the records themselves and compared with what the pages and downloads give."""
import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from safeguarding.accounts.roles import Role
from safeguarding.core.models import AccessLogEntry
from safeguarding.lado import demo
from safeguarding.lado.models import LadoContact
from safeguarding.working_days import financial_year
from tests import factories

ROW = re.compile(r'<th scope="row" class="govuk-table__header"><a class="govuk-link" href="[^"]+">([^<]+)</a>')


@pytest.fixture
def lado(db):
    home = factories.partnership("Home")
    demo.load(home)
    client = factories.sign_in(Client(), factories.person(home, Role.LADO))
    return home, client, reverse("lado:contacts", kwargs={"slug": home.slug})


def page_of(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def downloaded(client, url, **query):
    response = client.get(url, {**query, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return rows[0], rows[1:]


def expected(partnership, q="", year=None, kind="", outcome="", sector=""):
    """The references a filter should find, read from the records one by one."""
    found = []
    for c in LadoContact.objects.filter(partnership=partnership):
        text = " ".join([c.reference, c.person_role, c.referrer, c.notes, c.get_category_display()]).lower()
        if q and q.lower() not in text:
            continue
        if year and financial_year(c.received_on) != year:
            continue
        if kind and c.kind != kind:
            continue
        if outcome and c.outcome != ("" if outcome == "open" else outcome):
            continue
        if sector and c.employer_sector != sector:
            continue
        found.append(c.reference)
    return found


def test_the_list_is_paged_with_the_design_systems_pagination(lado):
    home, client, url = lado
    total = LadoContact.objects.filter(partnership=home).count()
    assert total == 1604
    first = page_of(client, url)
    assert "1,604 contacts" in first and "Showing 1 to 50." in first
    assert len(ROW.findall(first)) == 50 and 'class="govuk-pagination' in first
    assert 'rel="next"' in first and "page=2" in first
    last_number = -(-total // 50)
    last = page_of(client, url, page=last_number)
    assert len(ROW.findall(last)) == total - 50 * (last_number - 1) and 'rel="next"' not in last
    # A page number that is not one: the nearest page, not an error.
    assert ROW.findall(page_of(client, url, page="9999")) == ROW.findall(last)
    assert ROW.findall(page_of(client, url, page="two")) == ROW.findall(first)
    newest_first = [c.reference for c in LadoContact.objects.filter(partnership=home)[:50]]
    assert ROW.findall(first) == newest_first


@pytest.mark.parametrize("query", [
    {"year": 2020, "kind": "referral", "sector": "education"},
    {"outcome": "open"},
    {"outcome": "substantiated", "year": 2021},
    {"q": "teacher"},
    {"q": "LADO-2019-01"},
    {"q": "SEXUAL abuse", "kind": "consultation"},
    {"q": "designated safeguarding lead", "sector": "education", "year": 2018},
])
def test_each_filter_finds_what_the_records_say(lado, query):
    home, client, url = lado
    wanted = expected(home, **query)
    assert wanted, query  # each case finds something
    header, rows = downloaded(client, url, **query)
    assert sorted(r[0] for r in rows) == sorted(wanted)
    page = page_of(client, url, **query)
    count = f"{len(wanted):,} {'contact' if len(wanted) == 1 else 'contacts'} match"
    assert count in page
    assert ROW.findall(page) == wanted[:50]  # in the list's order, newest first
    for name, value in query.items():  # the filters stay in the form ...
        shown = f'name="q" type="text" value="{value}"' if name == "q" else f'<option value="{value}" selected>'
        assert shown in page, name
    if len(wanted) > 50:  # ... and in the links to the other pages
        pager = page[page.index('class="govuk-pagination'):]
        for name, value in query.items():
            assert f"{name}={str(value).replace(' ', '+')}" in pager, name


def test_the_downloads_give_labels_and_the_whole_filtered_list(lado):
    home, client, url = lado
    header, rows = downloaded(client, url, kind="referral", year=2021)
    wanted = expected(home, kind="referral", year=2021)
    assert len(rows) == len(wanted) == 85
    assert header[:3] == ["Reference", "Consultation or referral", "Date of contact"]
    assert {r[1] for r in rows} == {"Referral"} and not {r[5] for r in rows} & {"early_years", "foster_carer"}
    response = client.get(url, {"kind": "referral", "year": 2021, "format": "xlsx"})
    assert response["Content-Disposition"] == f'attachment; filename="{home.slug}-lado-contacts.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = list(sheet.values)
    assert list(cells[0]) == header and sorted(r[0] for r in cells[1:]) == sorted(wanted)


def test_typed_text_is_never_a_formula_in_a_download(lado):
    home, client, url = lado
    LadoContact.objects.filter(partnership=home, reference="LADO-2021-001").update(
        referrer="=HYPERLINK(\"http://example.com\")", notes="+1 the manager")
    header, rows = downloaded(client, url, q="LADO-2021-001")
    assert rows[0][6] == "'=HYPERLINK(\"http://example.com\")" and rows[0][13] == "'+1 the manager"
    response = client.get(url, {"q": "LADO-2021-001", "format": "xlsx"})
    cell = load_workbook(io.BytesIO(response.content)).active["G2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


@pytest.mark.parametrize("query, message", [
    ({"year": "1999"}, "Select a year with contacts: 1999 is not one of them"),
    ({"kind": "allegation"}, "Select consultations, referrals or both: allegation is not one of them"),
    ({"outcome": "proven"}, "Select an outcome from the list: proven is not one of them"),
    ({"sector": "army", "kind": "referral"}, "Select a sector from the list: army is not one of them"),
    ({"q": "x" * 101}, "Ensure this value has at most 100 characters (it has 101)."),
])
def test_a_filter_that_is_not_one_is_said_so_and_shows_nothing(lado, query, message):
    home, client, url = lado
    page = page_of(client, url, **query)
    assert "govuk-error-summary" in page and message in page
    assert not ROW.findall(page) and "format=csv" not in page
    assert downloaded(client, url, **query)[1] == []


def test_empty_states(lado):
    home, client, url = lado
    page = page_of(client, url, q="no such words anywhere")
    assert "0 contacts match" in page and "No contacts match" in page and "Clear filters" in page
    away = factories.partnership("Away")
    client = factories.sign_in(Client(), factories.person(away, Role.LADO))
    page = page_of(client, reverse("lado:contacts", kwargs={"slug": away.slug}))
    assert "No contacts have been recorded yet." in page and "govuk-pagination" not in page


def test_every_view_and_download_is_logged_with_its_filters(lado):
    home, client, url = lado
    before = AccessLogEntry.objects.filter(record_label="LADO contacts list").count()
    client.get(url, {"sector": "sport", "page": 2})
    client.get(url, {"sector": "sport", "format": "xlsx"})
    entries = AccessLogEntry.objects.filter(record_label="LADO contacts list").order_by("pk")[before:]
    assert [e.path for e in entries] == [f"{url}?sector=sport&page=2", f"{url}?sector=sport&format=xlsx"]

