"""A case review member opens the demo's case reviews in Debian's chromium, reads a review's clocks, and records
a new serious incident notification; the pages pass an axe check. Screenshot: docs/screenshots/case-review.png."""
import re

import pytest
from django.core.management import call_command

from safeguarding.reviews.models import SeriousIncident
from tests.browser.conftest import SCREENSHOTS, axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-partnership-2021"


def test_case_review_member_reads_clocks_and_records_a_notification(page, live_server, transactional_db):
    call_command("load_demo", password=PASSWORD, stdout=open("/dev/null", "w"))
    sign_in(page, live_server, "case.review@sscp.example", PASSWORD)
    page.wait_for_url(f"{live_server.url}/p/southwark/")
    page.get_by_role("link", name="Assurance", exact=True).click()  # case reviews are one of the assurance areas
    page.get_by_role("navigation", name="Assurance").get_by_role("link", name="Case reviews").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="SIN-2020-01").click()
    clocks = page.get_by_role("table", name=re.compile("Statutory clocks"))
    assert "Notification to the national Panel" in clocks.inner_text() and "Done" in clocks.inner_text()
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "case-review.png"), full_page=True)

    page.goto(f"{live_server.url}/p/southwark/reviews/incidents/add/")
    page.get_by_label("Reference").fill("SIN-2021-07")
    page.get_by_label("What happened").fill("A young child was admitted to hospital with injuries.")
    group = page.get_by_role("group", name="Date the local authority became aware")
    group.get_by_label("Day").fill("21")
    group.get_by_label("Month").fill("12")
    group.get_by_label("Year").fill("2020")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/reviews/incidents/\d+/$"))
    assert "30 December 2020" in page.get_by_role("table", name=re.compile("Statutory clocks")).inner_text()
    assert axe_violations(page) == []
    assert SeriousIncident.objects.filter(reference="SIN-2021-07").exists()
