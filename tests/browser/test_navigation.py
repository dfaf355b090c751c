"""Every role of the demo partnership signs in, in Debian's chromium: the navigation's areas sit on one row at 1280 px,
at 375 px they open from the Menu button, a group's areas are listed under the header, and axe stays clean.
Screenshots: docs/screenshots/navigation-admin.png and navigation-scrutineer.png (1280 px), and -narrow (375 px,
the menu open)."""
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from safeguarding.accounts.models import Membership
from tests.browser.conftest import SCREENSHOTS, axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-partnership-2021"
SHOWN = ("admin", "scrutineer")  # the most areas and the fewest


def _rows(items):
    """How many lines the navigation's items take: the distinct tops of their boxes."""
    return len({round(box["y"]) for box in (item.bounding_box() for item in items)})


def test_every_role_gets_one_row_at_1280_and_a_menu_at_375(browser, live_server, transactional_db):
    call_command("load_demo", password=PASSWORD, stdout=open("/dev/null", "w"))
    people = (Membership.objects.filter(partnership__slug="southwark").order_by("role", "user__email")
              .values_list("role", "user__email"))
    seen = {}
    for role, email in people:
        seen.setdefault(role, email)  # one person per role
    assert len(seen) == 7, seen

    for role, email in seen.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        sign_in(page, live_server, email, PASSWORD)
        page.wait_for_url(f"{live_server.url}/p/southwark/")
        expect(page.get_by_role("navigation", name="Partnership", exact=True).locator("[aria-current]")).to_have_text("Overview")
        page.goto(f"{live_server.url}/p/southwark/assurance/")
        items = page.locator(".govuk-service-navigation__item").all()
        texts = [item.inner_text().strip() for item in items]
        assert texts[:2] == ["Partnership", "Dashboard"] and "Assurance" in texts, (role, texts)
        assert _rows(items) == 1, (role, texts)
        assert page.locator(".govuk-service-navigation__item--active").inner_text().strip() == "Assurance"
        section = page.get_by_role("navigation", name="Assurance", exact=True)
        assert section.get_by_role("link", name="Case reviews").is_visible(), role
        # The account links are under the person's name in the black bar, not in the navigation.
        assert page.locator(".app-header__account").inner_text().startswith(email)
        assert page.locator(".govuk-service-navigation").get_by_text("Sign out").count() == 0
        if role in SHOWN:
            page.screenshot(path=str(SCREENSHOTS / f"navigation-{role}.png"))
        assert axe_violations(page) == [], role

        page.set_viewport_size({"width": 375, "height": 800})
        menu = page.get_by_role("button", name="Menu")
        expect(menu).to_be_visible()  # GOV.UK Frontend shows it when the media query changes, a moment later
        expect(page.locator(".govuk-service-navigation__list")).to_be_hidden()
        menu.click()
        expect(page.get_by_role("link", name="Yearly reports")).to_be_visible()
        assert axe_violations(page) == [], role
        if role in SHOWN:
            page.screenshot(path=str(SCREENSHOTS / f"navigation-{role}-narrow.png"))
        page.get_by_role("link", name="Registers").click()
        page.wait_for_url(f"{live_server.url}/p/southwark/lado/")  # a group opens at its first area
        context.close()
