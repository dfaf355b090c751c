"""A partner lead reads "Which children go further" in Debian's chromium, at desk and phone widths: the caution
first, a chart and table per decision point, downloads; the page passes an axe check under the strict CSP.
Screenshots go to docs/screenshots/which-children-go-further*.png."""
import pytest

from safeguarding.indicators import disproportionality as dp
from safeguarding.indicators.models import IndicatorValue
from tests.browser.conftest import DEMO_PASSWORD as PASSWORD
from tests.browser.conftest import SCREENSHOTS, axe_violations, sign_in
from tests.dashboard.test_disproportionality import counts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_lead_reads_which_children_go_further(page, live_server, demo_with_figures):
    for code, n, m in dp.values_for(counts()):
        IndicatorValue.objects.update_or_create(la_code="210", year=2021, indicator=code, defaults=dict(
            numerator=n, denominator=m, value=n * 100 / m if m else None))
    console = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "lead.police@sscp.example", PASSWORD)
    page.goto(f"{live_server.url}/p/southwark/dashboard/?year=2021")
    page.get_by_role("link", name="Which children go further").click()  # beside the dashboard in the navigation
    page.wait_for_url(f"{live_server.url}/p/southwark/dashboard/which-children-go-further/")
    page.goto(f"{live_server.url}/p/southwark/dashboard/which-children-go-further/?year=2021")
    assert page.get_by_role("heading", level=1).inner_text() == "Which children go further"
    assert "not why" in page.locator("#caution").inner_text()
    first = page.locator("#table-referred-assessed")
    black = first.get_by_role("row", name="Black").inner_text().split("\t")
    assert [c.strip() for c in black[1:]] == ["300", "225", "75.0%", "49.7%", "1.51", "1.36 to 1.68"]
    images = page.locator("figure img")
    assert images.count() == 5
    page.wait_for_function("() => [...document.querySelectorAll('figure img')].every(i => i.complete && i.naturalWidth)")
    assert "no children's social care figures by ethnic group" in page.locator("#no-comparator").inner_text()
    assert axe_violations(page) == []
    assert not console, console

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "which-children-go-further.png")
    page.locator("#referred-assessed").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "which-children-go-further-point.png", full_page=False,
                    clip={"x": 0, "y": page.locator("#referred-assessed").bounding_box()["y"] - 10, "width": 1280,
                          "height": 900})
    page.set_viewport_size({"width": 375, "height": 812})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=SCREENSHOTS / "which-children-go-further-phone.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
