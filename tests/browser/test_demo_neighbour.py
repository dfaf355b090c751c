"""The demo's two partnerships in the browser: Lambeth's admin signs in, finds the return the illustrative acute
trust shared from Southwark's cycle with Lambeth's own moderation, and meets a 404 on Southwark's pages; Southwark's
admin the reverse. Pages pass an axe check at 1280 and 375 px, with the strict CSP on."""
import pytest
from django.core.management import call_command

from safeguarding.audits.models import CycleReturn
from safeguarding.partnership.demo.agencies import ACUTE_TRUST_A
from tests.browser.conftest import SCREENSHOTS, axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-partnership-2021"
TRUST = ACUTE_TRUST_A


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", password=PASSWORD, stdout=open("/dev/null", "w"))
    return {link.partnership.slug: link for link in CycleReturn.objects.filter(
        cycle__year=2021, organisation__name=TRUST).select_related("partnership")}


def _look(page, name):
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], (page.url, width)
        page.screenshot(path=str(SCREENSHOTS / f"demo-neighbour-{name}-{width}.png"), full_page=True)


def test_each_partnership_sees_its_own_and_a_404_on_the_others(page, live_server, demo):
    csp = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, live_server, "admin@lscp.example", PASSWORD)
    page.wait_for_url(f"{live_server.url}/p/lambeth/")
    assert "Lambeth Safeguarding Children Partnership" in page.content()
    _look(page, "lambeth-home")
    page.goto(f"{live_server.url}/p/lambeth/assurance/section-11/returns/{demo['lambeth'].pk}/")
    text = page.inner_text("main")
    assert TRUST in text and "Moderated at the Lambeth practice group" in text
    assert "Quality and Effectiveness subgroup" not in text  # Southwark's moderation is Southwark's
    _look(page, "lambeth-shared-return")
    for url in ("/p/southwark/", f"/p/southwark/assurance/section-11/returns/{demo['southwark'].pk}/"):
        assert page.goto(f"{live_server.url}{url}").status == 404, url
    _look(page, "lambeth-admin-on-southwark")

    page.context.clear_cookies()
    sign_in(page, live_server, "admin@sscp.example", PASSWORD)
    page.wait_for_url(f"{live_server.url}/p/southwark/")
    page.goto(f"{live_server.url}/p/southwark/assurance/section-11/returns/{demo['southwark'].pk}/")
    assert "Quality and Effectiveness subgroup" in page.inner_text("main")
    assert page.goto(f"{live_server.url}/p/lambeth/").status == 404
    assert csp == []
