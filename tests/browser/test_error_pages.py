"""The error pages as a signed-in member meets them in Debian's chromium: the service header and navigation, a way
back, an axe check, at 1280 and 375 px. Screenshots: docs/screenshots/error-404.png, error-500.png (and -narrow)."""
import pytest
from django.test import override_settings

from safeguarding.accounts.roles import Role
from tests import factories
from tests.browser.conftest import SCREENSHOTS, axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(ROOT_URLCONF="tests.test_error_pages", DEBUG=False)
def test_error_pages_keep_the_header_and_a_way_back(page, live_server, transactional_db):
    home = factories.partnership("Home")
    user = factories.person(home, Role.SCRUTINEER)
    sign_in(page, live_server, user.email, factories.PASSWORD)
    for status, address in ((404, f"/p/{home.slug}/reports/999/"), (500, f"/p/{home.slug}/fails-plainly/")):
        for width, suffix in ((1280, ""), (375, "-narrow")):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(f"{live_server.url}{address}")
            assert response.status == status
            assert page.get_by_role("link", name="Safeguarding partnership system").is_visible()
            back = page.get_by_role("link", name=f"Go to the {home.short_name} overview")
            back.scroll_into_view_if_needed()
            assert back.is_visible()
            assert axe_violations(page) == []
            page.screenshot(path=str(SCREENSHOTS / f"error-{status}{suffix}.png"), full_page=True)
        back.click()
        page.wait_for_url(f"{live_server.url}/p/{home.slug}/")
