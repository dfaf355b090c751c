"""A LADO officer archives a contact recorded in error from its page, finds it on Archived records and restores it,
in Debian's chromium; the confirm page and Archived records pass an axe check at 1280 and 375 px.
Screenshots: docs/screenshots/archive-confirm.png and archived-records-narrow.png."""
import pytest
from django.core.management import call_command

from safeguarding.lado.models import LadoContact
from tests.browser.conftest import SCREENSHOTS, axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-partnership-2021"


def test_a_lado_officer_archives_a_contact_and_restores_it(page, live_server, transactional_db):
    call_command("load_demo", password=PASSWORD, stdout=open("/dev/null", "w"))
    contact = LadoContact.objects.filter(partnership__slug="southwark").order_by("-received_on").first()
    sign_in(page, live_server, "lado@sscp.example", PASSWORD)
    page.goto(f"{live_server.url}/p/southwark/lado/contacts/{contact.pk}/")
    page.get_by_role("link", name="Archive").click()
    assert "Are you sure you want to archive this LADO contact?" in page.locator("h1").inner_text()
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "archive-confirm.png"), full_page=True)
    page.get_by_role("button", name="Archive").click()
    assert page.url.endswith("/p/southwark/lado/contacts/")  # back to the list, which no longer holds it
    assert f"Archived LADO contact: {contact}" in page.locator("main").inner_text()
    assert f"/lado/contacts/{contact.pk}/" not in page.locator("main").inner_html()

    page.get_by_role("link", name="Archived records").click()
    assert contact.reference in page.locator("main").inner_text()
    page.set_viewport_size({"width": 375, "height": 800})
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "archived-records-narrow.png"), full_page=True)
    page.get_by_role("button", name=f"Restore {contact}").click()
    assert f"Restored LADO contact: {contact}" in page.locator("main").inner_text()
    contact.refresh_from_db()
    assert contact.archived_at is None
