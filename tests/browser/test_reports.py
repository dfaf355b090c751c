"""A statutory partner lead reads the draft yearly report in Debian's chromium, sees what Working Together
still needs, signs it off and downloads the PDF; the published page is read without signing in. Both pages
pass an axe check. Screenshots go to docs/screenshots/report-*.png."""
from pathlib import Path

import pytest

from safeguarding.reports import services
from tests.browser.conftest import DEMO_PASSWORD as PASSWORD, SCREENSHOTS, axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def report(demo_with_figures):
    southwark = demo_with_figures
    report = services.create_report(partnership=southwark, year=2021, comparators="as-published", by=None)
    services.save_text(report=report, section="foreword", text="A year like no other.", by=None)
    services.mark_final(report=report, by=None)
    return report


def _sign_in(page, live_server, email):
    sign_in(page, live_server, email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/p/southwark/")


def test_partner_lead_reads_signs_off_and_downloads(page, live_server, report):
    _sign_in(page, live_server, "lead.police@sscp.example")
    page.get_by_role("link", name="Yearly reports").click()
    page.get_by_role("link", name=report.title).click()
    missing = page.locator(".app-missing").inner_text()
    assert "What the report still lacks" in missing and "No narrative in “Looking ahead”" in missing
    table = page.get_by_role("table", name="Core child protection activity, Southwark, 2020-21")
    assert "3,510" in table.get_by_role("row", name="Referrals").first.inner_text()
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "report-page.png"))

    assert "The report is incomplete" in page.locator(".govuk-warning-text").first.inner_text()
    page.get_by_role("button", name="Sign off, incomplete, for Metropolitan Police Service").click()
    assert "Signed off for your organisation" in page.locator(".govuk-notification-banner--success").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF (tagged, with contents and page numbers)").click()
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"


def test_published_report_is_public(page, live_server, report):
    from safeguarding.accounts.models import User

    for email in ("lead.council@sscp.example", "lead.police@sscp.example", "lead.health@sscp.example"):
        services.sign_off(report=report, by=User.objects.get(email=email))
    _sign_in(page, live_server, "admin@sscp.example")
    page.goto(f"{live_server.url}/p/southwark/reports/{report.pk}/")
    page.get_by_role("button", name="Publish…").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Publish an incomplete report"
    page.get_by_role("button", name="Publish anyway").click()  # no reason: refused, said plainly
    assert "Enter why the report should be published" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "report-publish-incomplete.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(SCREENSHOTS / "report-publish-incomplete-375.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Why should it be published before it is complete?").fill(
        "The board agreed on 1 July to publish now; the missing sections follow in version 2.")
    # Publication writes the report's PDF and Word file in the request (WeasyPrint: seconds, and more than the
    # default 15 s when two suites share the two cores, as in CI beside a new-user run).
    page.get_by_role("button", name="Publish anyway").click(timeout=90_000)
    assert "Published incomplete" in page.locator(".app-published-incomplete").inner_text()
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/published/southwark/2021/")
    assert page.get_by_role("heading", level=1).inner_text() == report.title
    assert "A year like no other." in page.content()
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "report-published.png"))
