"""A LADO officer signs in with two-factor in Debian's chromium, records a referral, then its strategy meeting
and outcome, and finds it again in the contacts list by searching and filtering; the pages pass an axe check.
Screenshots: docs/screenshots/lado.png, lado-contacts.png (1280 px wide) and lado-contacts-narrow.png (375 px)."""
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from safeguarding.core.models import AccessLogEntry
from safeguarding.lado.models import LadoContact
from tests.browser.conftest import SCREENSHOTS, axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-partnership-2021"


def _date(page, legend, day, month, year):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_lado_officer_records_a_referral_to_its_outcome(page, live_server, transactional_db):
    call_command("load_demo", password=PASSWORD, stdout=open("/dev/null", "w"))
    sign_in(page, live_server, "lado@sscp.example", PASSWORD)
    page.wait_for_url(f"{live_server.url}/p/southwark/")

    page.get_by_role("link", name="Registers", exact=True).click()  # the LADO register is the first of the registers
    assert "The LADO received 85 referrals in 2020-21, down 49%" in page.locator(".app-lado-paragraph").inner_text()
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "lado.png"), full_page=True)

    page.get_by_role("link", name="Record a LADO contact").first.click()
    page.get_by_role("button", name="Save").click()
    assert "Enter" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Reference").fill("LADO-2022-900")
    page.get_by_label("Referral (meets the harm threshold)").check()
    _date(page, "Date of contact", "4", "5", "2021")
    page.get_by_label("Possibly committed a criminal offence against or related to a child").check()
    page.get_by_label("Role of the person the allegation is about").fill("Swimming instructor")
    page.get_by_label("Their employer's sector").select_option(label="Sport")
    page.get_by_label("Who made the contact").fill("Welfare officer, swimming club")
    page.get_by_label("Referrer's sector").select_option(label="Sport")
    page.get_by_label("Allegation", exact=True).select_option(label="Sexual abuse")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/lado/contacts/\d+/$"))
    assert "Open" in page.locator(".govuk-summary-list").inner_text()

    page.get_by_role("link", name="Change").click()
    _date(page, "Date of the strategy meeting (optional)", "6", "5", "2021")
    page.get_by_label("Outcome (optional)").select_option(label="Substantiated")
    _date(page, "Date of the outcome (optional)", "28", "5", "2021")
    page.get_by_label("Referral to the DBS").check()
    page.get_by_label("Dismissal").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/lado/contacts/\d+/$"))
    detail = page.locator(".govuk-summary-list").inner_text()
    assert "Substantiated, 28 May 2021" in detail and "Dismissal, Referral to the DBS" in detail
    assert axe_violations(page) == []
    record = LadoContact.objects.get(reference="LADO-2022-900")
    assert record.further_action == ["dismissal", "dbs"] and record.strategy_meeting_on.day == 6
    assert AccessLogEntry.objects.filter(record_type="lado.ladocontact", record_id=str(record.pk)).count() >= 2

    # The contacts list: 1,605 of them, paged; found again by its reference and the filters.
    page.goto(f"{live_server.url}/p/southwark/lado/contacts/")
    assert "1,605 contacts" in page.locator("#results").inner_text()
    assert page.locator(".govuk-pagination").is_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SCREENSHOTS / "lado-contacts.png"), full_page=False)
    page.get_by_label("Search (optional)").fill("swimming instructor")
    page.get_by_label("Consultation or referral (optional)").select_option(label="Referral")
    page.get_by_label("Outcome (optional)").select_option(label="Substantiated")
    page.get_by_role("button", name="Apply filters").click()
    # Wait for the row: a bare is_visible() does not wait for the filtered page, and under CI's load it failed once.
    expect(page.get_by_role("link", name="LADO-2022-900")).to_be_visible()
    assert "kind=referral" in page.url and "outcome=substantiated" in page.url
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 812})
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "lado-contacts-narrow.png"), full_page=True)
    page.get_by_label("Search (optional)").fill("LADO-2022-900")
    page.get_by_label("Year (optional)").select_option(label="2016-17")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("main")).to_contain_text("No contacts match")
