"""An agency lead (the demo's illustrative fire and rescue service's, whose 2020-21 Section 11 return is overdue)
starts the return from last year's answers, changes a standard, adds evidence and an action, and submits; the
partnership admin signs in with two-factor and moderates it. Every page passes an axe check, with the strict CSP
on."""
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from safeguarding.accounts.models import Partnership
from safeguarding.audits import demo
from safeguarding.audits.models import CycleReturn, ModeratedRating
from safeguarding.partnership.demo.agencies import FIRE_SERVICE
from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-partnership-2021"


@pytest.fixture
def southwark(transactional_db, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    call_command("load_demo", password=PASSWORD, stdout=open("/dev/null", "w"))
    partnership = Partnership.objects.get(slug="southwark")
    demo.load(partnership)  # safe if the demo loader has loaded it already
    return partnership


def _sign_in(page, live_server, email):
    sign_in(page, live_server, email, PASSWORD, check=_axe)


def _axe(page):
    assert axe_violations(page) == [], page.url


def test_agency_lead_submits_and_admin_moderates(page, live_server, southwark):
    csp = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)

    _sign_in(page, live_server, "agency.lead@sscp.example")
    page.wait_for_url(f"{live_server.url}/p/southwark/")
    page.get_by_role("link", name="Assurance", exact=True).click()
    _axe(page)
    page.get_by_role("link", name="Section 11 audit 2020-21").click()
    expect(page.locator("main")).to_contain_text("Your return will start from your answers in Section 11 audit 2019-20")  # waits for the page the click opened
    _axe(page)
    page.get_by_role("button", name="Start your return").click()
    page.wait_for_url(re.compile(r".*/section-11/returns/\d+/$"))
    assert "This return started from your organisation's answers in the last cycle" in page.content()
    _axe(page)

    # Standard 2 was amber last year: now green, with new evidence and a file, saved part-way.
    page.get_by_role("link", name=re.compile(r"^2\. A clear statement")).click()
    _axe(page)
    page.get_by_label("Green: met").check()
    page.get_by_label("Evidence (optional)").fill("The policy is on every station noticeboard and the intranet.")
    page.get_by_label("Add an evidence file (optional)").set_input_files(
        files=[{"name": "noticeboard-audit.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 audit"}])
    page.get_by_label("Title of the file (optional)").fill("Noticeboard audit, March 2021")
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_url(re.compile(r".*/section-11/returns/\d+/$"))
    assert "1 evidence file" in page.locator(".govuk-task-list").inner_text()

    page.get_by_role("link", name="Add a planned action").click()
    page.get_by_role("button", name="Save").click()
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    _axe(page)
    page.get_by_label("Standard", exact=True).select_option(label="7. Working well with other agencies")
    page.get_by_label("Action", exact=True).fill("Brief every watch on the escalation policy")
    page.get_by_label("Owner").fill("Borough Commander")
    group = page.get_by_role("group", name="Due date")
    group.get_by_label("Day").fill("30")
    group.get_by_label("Month").fill("9")
    group.get_by_label("Year").fill("2021")
    page.get_by_label("Not started").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/section-11/returns/\d+/#actions$"))
    assert "Brief every watch on the escalation policy" in page.content()
    assert "Give every station manager safeguarding training at level 2" in page.content()  # carried forward

    page.get_by_role("link", name="Check and submit").click()
    page.get_by_label("Summary for the partnership").fill("Most standards met; training paused by the pandemic.")
    page.get_by_role("button", name="Submit the return").click()
    assert "Confirm that a senior leader" in page.locator(".govuk-error-summary").inner_text()
    _axe(page)
    page.get_by_label("A senior leader of my organisation has agreed this return").check()
    page.get_by_role("button", name="Submit the return").click()
    page.wait_for_url(re.compile(r".*/section-11/returns/\d+/$"))
    assert "Return submitted to SSCP" in page.content()
    _axe(page)
    link = CycleReturn.objects.get(cycle__year=2021, organisation__name=FIRE_SERVICE)
    assert link.section11_return.is_submitted and link.section11_return.started_from_id
    page.get_by_role("button", name="Sign out").click()

    # The partnership admin, then the moderation.
    _sign_in(page, live_server, "admin@sscp.example")
    page.wait_for_url(f"{live_server.url}/p/southwark/")
    page.get_by_role("link", name="Assurance", exact=True).click()
    page.get_by_role("link", name="Section 11 audit 2020-21").click()
    page.get_by_role("link", name=FIRE_SERVICE).click()
    expect(page.locator("main")).to_contain_text("Most standards met; training paused by the pandemic.")  # waits for the page the click opened
    _axe(page)
    page.get_by_role("link", name="Moderate this return").click()
    _axe(page)
    for number in range(1, 9):
        label = "Amber: partly met" if number in (3, 5) else "Green: met"
        page.get_by_label(f"Moderated rating for standard {number} (optional)").select_option(label=label)
    page.get_by_label("Moderator's comment on standard 5 (optional)").fill(
        "Training is still paused: amber until the classroom courses restart.")
    page.get_by_label("COVID-19: capacity and workforce resilience").check()
    page.get_by_label("Moderation is complete (optional)").check()
    page.get_by_role("button", name="Save the moderation").click()
    page.wait_for_url(re.compile(r".*/section-11/returns/\d+/$"))
    assert "Moderation complete." in page.content()
    _axe(page)
    link.refresh_from_db()
    assert link.is_moderated and link.themes == ["COVID-19: capacity and workforce resilience"]
    assert ModeratedRating.objects.filter(cycle_return=link, rating="amber").count() == 2

    page.goto(f"{live_server.url}/p/southwark/assurance/section-11/cycles/{link.cycle_id}/matrix/")
    assert FIRE_SERVICE in page.get_by_role("table").inner_text()
    _axe(page)
    assert not csp, csp
