"""The social work workforce tab in Debian's chromium: its five charts draw under the strict CSP beside their
tables, the sentences and the source are there, and axe finds nothing, at 1280 and 375 pixels wide. Screenshots go
to docs/screenshots/dashboard-workforce*.png (SCREENSHOTS=1)."""
import pytest

from tests.browser.conftest import DEMO_PASSWORD as PASSWORD, SCREENSHOTS, axe_violations, sign_in
from tests.dashboard.test_workforce import import_workforce

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREEN = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
DRAWN = ("() => document.querySelectorAll('.app-chart--drawn').length === "
         "document.querySelectorAll('[data-chart-spec]').length")


def test_the_workforce_tab(page, live_server, demo_with_figures):
    import_workforce()
    console = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    page.set_viewport_size(SCREEN)
    sign_in(page, live_server, "lead.council@sscp.example", PASSWORD)
    page.goto(f"{live_server.url}/p/southwark/dashboard/?year=2021")
    page.get_by_role("tab", name="Social work workforce").click()
    panel = page.locator("#workforce")
    assert panel.is_visible() and not page.locator("#core-table").is_visible()
    page.wait_for_function(DRAWN)
    assert panel.locator(".app-chart--drawn svg").count() == 5
    text = panel.inner_text()
    assert "30 September 2017 to 30 September 2025" in text and "Source: DfE, Children's social work workforce" in text
    assert "held 13.7 cases each" in text
    panel.locator("#chart-figures-workforce-agency_rate_fte summary").click()
    agency = panel.locator("#chart-workforce-agency_rate_fte table").inner_text()
    assert "at 30 September" in agency and "2020\t32.4%" in agency
    assert axe_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=SCREENSHOTS / "dashboard-workforce.png")

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/p/southwark/dashboard/?year=2021#workforce")
    page.wait_for_function(DRAWN)
    assert page.locator("#workforce").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
    assert axe_violations(page) == []
    page.locator("#chart-workforce-caseload_fte").screenshot(path=SCREENSHOTS / "dashboard-workforce-375.png")
    assert not [line for line in console if "Content Security Policy" in line or "pageerror" in line], console
