"""The business unit follows the Overview's action counts to the one Action log in Debian's chromium: the same
open and overdue figures on the Overview, on Case reviews and on the log, meeting actions beside review and
audit actions; axe-clean at 1280 and 375 px. Screenshots: action-log.png and action-log-narrow.png."""
import re

import pytest
from django.core.management import call_command

from safeguarding.accounts.models import Partnership, User
from safeguarding.actions import selectors
from tests.browser.conftest import SCREENSHOTS, axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-partnership-2021"


def test_one_action_log_with_one_count(page, live_server, transactional_db):
    call_command("load_demo", password=PASSWORD, stdout=open("/dev/null", "w"))
    counts = selectors.counts(Partnership.objects.get(slug="southwark"), User.objects.get(email="admin@sscp.example"))
    assert counts.open > 0
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "admin@sscp.example", PASSWORD)
    page.wait_for_url(f"{live_server.url}/p/southwark/")
    overview = page.locator("main").inner_text()
    assert re.search(rf"{counts.open} open actions?,\s*{counts.overdue} overdue", overview)
    page.get_by_role("link", name=re.compile(rf"^{counts.open} open action")).click()
    page.wait_for_url(re.compile(r".*/p/southwark/actions/\?show=open$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Action log"
    text = page.locator("main").inner_text()
    assert f"{counts.open} open, {counts.overdue} overdue" in text
    table = page.get_by_role("table")
    assert f"{counts.open} open actions" in table.inner_text()
    assert "Align the performance dashboard" in table.inner_text()  # a meeting action
    assert "recommendation" in table.inner_text()  # beside actions on review and audit recommendations
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "action-log.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "action-log-narrow.png"), full_page=True)
    page.goto(f"{live_server.url}/p/southwark/reviews/")
    assert f"{counts.open} open, {counts.overdue} overdue" in page.locator("main").inner_text()
