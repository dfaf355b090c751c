import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the
# tests are still synchronous, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
# Screenshots are written to docs/screenshots only when asked (SCREENSHOTS=1 make test), so that a test run
# leaves the working tree as it found it; otherwise to a throw-away folder, still taken so they are exercised.
SCREENSHOTS = ROOT / "docs" / "screenshots" if os.environ.get("SCREENSHOTS") == "1" else Path(
    __import__("tempfile").mkdtemp(prefix="screenshots-"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


DEMO_PASSWORD = "demo-partnership-2021"


@pytest.fixture
def demo_with_figures(transactional_db):
    """The demo partnerships (every sign-in's password DEMO_PASSWORD) with Southwark's 2021 figures stored and the
    DfE's benchmarks imported, as the dashboard and the yearly report read them. Returns Southwark."""
    from django.core.management import call_command

    from safeguarding.accounts.models import Partnership
    from safeguarding.indicators.models import FactorGroup
    from tests.dashboard import data

    call_command("load_demo", password=DEMO_PASSWORD, stdout=open("/dev/null", "w"))
    southwark = Partnership.objects.get(slug="southwark")
    groups = FactorGroup.objects.for_partnership(southwark).active().values_list("name", flat=True)
    data.store_values("210", groups=list(groups))
    data.import_benchmarks(dfe=True)
    return southwark


def axe_violations(page):
    """Run axe-core in the page. Injected through Playwright's CDP evaluate, so the page's
    own strict CSP (no inline script) stays on for everything else the test checks."""
    page.evaluate(AXE.read_text())
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")
    return result


def current_code(email):
    """The code the person's authenticator app shows now (their device is made when the set-up page opens)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__email=email).order_by("-confirmed", "-id").first()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def sign_in(page, live_server, email, password, *, check=None):
    """Sign in as every role does: e-mail and password, then the code from the authenticator app (set up on a first
    sign-in). Someone with no recovery codes yet is shown new ones once, and goes on. ``check(page)`` runs on each
    two-factor page on the way (an axe check, say). Returns the recovery codes shown, if any."""
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/account/two-factor/.*"))
    if check:
        check(page)
    page.get_by_label("Code from your authenticator app").fill(current_code(email))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/recovery-codes/" in url or "/account/" not in url)
    codes = []
    if "/recovery-codes/" in page.url:
        codes = page.locator("#recovery-codes li").all_inner_texts()
        if check:
            check(page)
        page.get_by_role("button", name="I have saved my codes: continue").click()
        page.wait_for_url(lambda url: "/account/" not in url)
    return codes
