"""A partner lead opens the dashboard in Debian's chromium, switches year and comparators, downloads the
Excel file; the charts draw under the strict CSP (vega-embed with the expression interpreter, no eval)
and the page passes an axe check. Screenshots go to docs/screenshots/dashboard*.png."""
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.browser.conftest import DEMO_PASSWORD as PASSWORD, SCREENSHOTS, axe_violations, sign_in
from tests.dashboard import data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_lead_uses_the_dashboard(page, live_server, demo_with_figures, tmp_path):
    console = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    page.set_viewport_size(SCREEN)
    sign_in(page, live_server, "lead.police@sscp.example", PASSWORD)
    page.wait_for_url(f"{live_server.url}/p/southwark/")

    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_url(f"{live_server.url}/p/southwark/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "Performance dashboard"
    assert "2021-22" in page.locator("#core-table").inner_text()

    page.get_by_label("Year", exact=True).select_option(label="2020-21")
    page.get_by_label("As published in the yearly report").check()
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_url(re.compile(r".*year=2021.*comparators=as-published.*"))
    table = page.locator("#core-activity")
    assert "Southwark 20-21" in table.inner_text()
    referrals = table.get_by_role("row", name=re.compile("^Referrals")).inner_text().split("\t")
    assert [c.strip() for c in referrals[1:]] == ["3,510", "533", "3,579", "548", "494", "494", "497", "-1.9%"]
    assert "does not fit its count and population" in page.locator(".govuk-warning-text").first.inner_text()

    charts = page.locator("[data-chart-spec]")
    page.wait_for_function(
        "() => document.querySelectorAll('.app-chart--drawn').length === "
        "document.querySelectorAll('[data-chart-spec]').length")
    assert charts.count() == 12
    assert page.locator(".app-chart--drawn svg").count() == 12

    with page.expect_download() as download:
        page.get_by_role("link", name="the table (Excel)").click()
    saved = tmp_path / "table.xlsx"
    download.value.save_as(saved)
    book = load_workbook(saved)
    sheet = book.worksheets[0]
    assert sheet["A2"].value == "Referrals" and sheet["C2"].value == 3510 and sheet["D2"].value == 533
    assert book["Notes"]["A1"].value == "Note"

    assert axe_violations(page) == []
    assert not [line for line in console if "Content Security Policy" in line or "pageerror" in line], console

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=SCREENSHOTS / "dashboard.png")
    page.locator("#panels").screenshot(path=SCREENSHOTS / "dashboard-panels.png")
    page.locator("#chart-referrals").screenshot(path=SCREENSHOTS / "dashboard-chart.png")
    page.locator("#core-activity").screenshot(path=SCREENSHOTS / "dashboard-table.png")


SCREEN = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def _bottom(locator):
    box = locator.bounding_box()
    return box["y"] + box["height"]


def test_the_first_screen_tells_the_story_and_the_page_is_about_five_screens_long(page, live_server,
                                                                                   demo_with_figures):
    """At 1280 by 900 the year's headlines fill the first screen and the whole page is at most five screens;
    at 375 pixels wide the first headline's figure is on the first screen. Axe is clean with the details open."""
    console = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.set_viewport_size(SCREEN)
    sign_in(page, live_server, "lead.council@sscp.example", PASSWORD)
    page.goto(f"{live_server.url}/p/southwark/dashboard/")
    page.wait_for_function(
        "() => document.querySelectorAll('.app-chart--drawn').length === "
        "document.querySelectorAll('[data-chart-spec]').length")

    headlines = page.locator(".app-headline")
    assert headlines.count() == 4
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "dashboard-first-screen.png")
    bottoms = [_bottom(headlines.nth(i)) for i in range(4)]
    assert max(bottoms) <= SCREEN["height"], bottoms
    shown = page.locator("#headlines + p + ul").inner_text()
    assert re.search(r"\b(Up|Down) [\d,.]+% from [\d,]+ in 2020-21", shown)
    assert re.search(r"(Higher|Lower) than (statistical neighbours|England) \([\d.]+%?\)", shown)
    assert page.locator("#headlines").bounding_box()["y"] < page.locator("#choices").bounding_box()["y"]
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 5 * SCREEN["height"], f"the dashboard is {height} px long at 1280 by 900"
    page.screenshot(path=SCREENSHOTS / "dashboard-full-page.png", full_page=True)

    # Details open on request: a chart's figures, the returns and the releases; the tabs switch.
    page.locator("#chart-figures-referrals summary").click()
    assert page.locator("#chart-figures-referrals table").is_visible()
    page.locator("#releases-details summary").click()
    assert "DfE EES" in page.locator("#releases-used").inner_text()
    page.get_by_role("tab", name="What the figures say").click()
    assert page.locator("#narrative").is_visible() and not page.locator("#core-table").is_visible()
    assert axe_violations(page) == []

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/p/southwark/dashboard/")
    figure = page.locator(".app-headline").first.locator(".app-headline__figure")
    assert _bottom(figure) <= PHONE["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
    assert axe_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "dashboard-375.png")
    assert not [line for line in console if "Content Security Policy" in line or "pageerror" in line], console


def test_scrutineer_sees_the_dashboard_without_small_numbers(page, live_server, transactional_db):
    call_command("load_demo", password=PASSWORD, stdout=open("/dev/null", "w"))
    data.store_values("210", small={(2021, "cpp_2_years"): 3})
    data.import_benchmarks()
    sign_in(page, live_server, "scrutineer@sscp.example", PASSWORD)
    page.wait_for_url(f"{live_server.url}/p/southwark/")
    page.goto(f"{live_server.url}/p/southwark/dashboard/?year=2021&comparators=as-published")
    row = page.locator("#core-activity").get_by_role("row", name=re.compile("^CPP 2\\+ years")).inner_text()
    assert [c.strip() for c in row.split("\t")[1:3]] == ["c", "c"]
    figures = page.locator(".app-headline__figure").all_inner_texts()
    assert figures and not [f for f in figures if f.split()[0] == "c"]
    assert "CPP 2+ years" not in page.locator(".app-headlines").inner_text()
    assert axe_violations(page) == []
