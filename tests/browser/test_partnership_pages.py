"""A person signs in in Debian's chromium, opens the partnership and its members, and the
pages pass an axe accessibility check."""
import re

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-partnership-2021"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", password=PASSWORD, stdout=open("/dev/null", "w"))


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_member_signs_in_and_reads_the_partnership(page, live_server, demo):
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server, "lead.police@sscp.example")
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


def test_admin_enrols_two_factor_and_adds_a_subgroup(page, live_server, demo):
    sign_in(page, live_server, "admin@sscp.example")
    page.wait_for_url(re.compile(r".*/account/two-factor/.*"))
    assert axe_violations(page) == []
    device = TOTPDevice.objects.get(user__email="admin@sscp.example")
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Continue").click()
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

    page.get_by_role("link", name="Audit trail").click()
    assert "partnership.subgroup" in page.locator("table").inner_text()
    assert axe_violations(page) == []
