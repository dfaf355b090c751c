"""A person signs in in Debian's chromium, opens the partnership and its members, and the
pages pass an axe accessibility check."""
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-partnership-2021"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", password=PASSWORD, stdout=open("/dev/null", "w"))


def test_member_signs_in_and_reads_the_partnership(page, live_server, demo):
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server, "lead.police@sscp.example", PASSWORD)
    page.wait_for_url(f"{live_server.url}/p/southwark/")
    assert page.get_by_role("heading", level=1).inner_text() == "Southwark Safeguarding Children Partnership"
    assert page.locator(".govuk-service-navigation").inner_text().startswith("Southwark Safeguarding")
    # GOV.UK Frontend's JavaScript ran under the strict CSP.
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Members").first.click()
    page.wait_for_url(re.compile(r".*/register/members/$"))
    table = page.get_by_role("table").first
    assert "Cabinet Member for Children, Schools and Adult Care" in table.inner_text()
    assert "Place-Based Director, Southwark NHS SEL CCG" in table.inner_text()
    assert axe_violations(page) == []
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors


def _axe(page):
    assert axe_violations(page) == [], page.url


def test_admin_enrols_two_factor_and_adds_a_subgroup(page, live_server, demo):
    # The set-up page and the recovery codes shown once after it pass the axe check too.
    codes = sign_in(page, live_server, "admin@sscp.example", PASSWORD, check=_axe)
    assert len(codes) == 10
    page.wait_for_url(f"{live_server.url}/p/southwark/")

    page.goto(f"{live_server.url}/p/southwark/register/subgroups/add/")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter" in summary.inner_text() or "required" in summary.inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Name", exact=True).fill("Neglect task and finish group")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/register/subgroups/$"))
    assert "Neglect task and finish group" in page.get_by_role("table").inner_text()

    page.get_by_role("link", name="Administration", exact=True).click()
    page.get_by_role("navigation", name="Administration").get_by_role("link", name="Audit trail").click()
    assert "Subgroup: Neglect task and finish group" in page.locator("table").inner_text()
    assert axe_violations(page) == []


def test_a_member_who_lost_their_phone_signs_in_with_a_recovery_code_and_is_reset(page, live_server, demo):
    """The analyst signs in once (their recovery codes shown), loses their phone, signs in with a code; the admin
    resets their two-factor sign-in from People, and the analyst sets up a new app. Each page passes axe."""
    codes = sign_in(page, live_server, "analyst@sscp.example", PASSWORD)
    page.get_by_role("button", name="Sign out").click()

    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill("analyst@sscp.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="I cannot use my authenticator app: use a recovery code").click()
    _axe(page)
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/p/southwark/")
    assert "you have 9 left" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("link", name="Recovery codes").click()
    expect(page.locator("main")).to_contain_text("You have 9 unused recovery codes")  # waits for the page the click opened
    _axe(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "admin@sscp.example", PASSWORD)
    page.get_by_role("link", name="Administration", exact=True).click()  # opens at People
    _axe(page)
    page.get_by_role("link", name="Reset two-factor sign-in for Performance analyst").click()
    _axe(page)
    page.get_by_role("button", name="Reset two-factor sign-in").click()
    assert "Two-factor sign-in reset for" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("navigation", name="Administration").get_by_role("link", name="Audit trail").click()
    assert "User: " in page.locator("table").inner_text()
    page.get_by_role("button", name="Sign out").click()

    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill("analyst@sscp.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Set up two-factor sign-in"
