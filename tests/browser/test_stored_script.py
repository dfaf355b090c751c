"""Stored script never runs: every text field of every record holds a script payload, and every page of the access
matrix that shows records is opened in Debian's chromium by someone allowed to see it.

The payloads would set ``window.xssfuzz`` or open a dialog if a page ever put them in as markup; the test listens for
dialogs, for the page's own report of a content security policy violation (which would mean markup got through
the escaping and only the policy stopped it), and reads the flag after each page. Each page's policy must forbid
inline script (no 'unsafe-inline' or 'unsafe-eval' in script-src) and the pages must show the payloads as text,
which proves they were there to run.
"""
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from playwright.sync_api import Error as PlaywrightError

from tests.access_matrix import PARTNERSHIP, PUBLIC, TABLE, build_world, url_name
from tests.fuzz.strategies import XSS_MARKER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOADS = [f"<script>window.{XSS_MARKER}=1;alert(1)</script>",
            f'"><img src=x onerror="window.{XSS_MARKER}=2;alert(2)">',
            f"'><svg onload=window.{XSS_MARKER}=3>",
            f"</textarea></title><script>window.{XSS_MARKER}=4</script>"]
APPS = {"accounts", "partnership", "core", "returns", "indicators", "reports", "lado", "reviews", "audits",
        "registers"}
# Fields whose values the code reads as keys, codes or addresses (not text shown as written), or that sign in.
NOT_TEXT = {"slug", "key", "token", "email", "password", "la_code", "file", "record_type", "record_id", "indicator",
            "standard_key", "sha256", "upload_folder", "user_agent", "ip_address", "factors", "source_type",
            "session_key", "published_html", "kind"}
SKIP_PAGES = re.compile(r"\.(csv|xlsx|png|svg|pdf|docx)$|/report\.html$")
COLLECT = """() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective));
}"""


def _fill_every_text_field():
    """Put a payload (and the row's id, for unique fields) in every free-text field of every record."""
    filled = 0
    for model in apps.get_models():
        if model._meta.app_label not in APPS or model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField)) and not f.choices and not f.primary_key
                  and f.name not in NOT_TEXT and not isinstance(f, (models.SlugField, models.EmailField,
                                                                   models.URLField, models.FileField))
                  and (f.max_length is None or f.max_length >= 40)]
        if not fields:
            continue
        for number, pk in enumerate(model._base_manager.values_list("pk", flat=True)):
            values = {}
            for index, field in enumerate(fields):
                text = f"{PAYLOADS[(number + index) % len(PAYLOADS)]} {pk}"
                values[field.name] = text[: field.max_length] if field.max_length else text
            model._base_manager.filter(pk=pk).update(**values)
            filled += len(values)
    return filled


def _pages(world):
    """(key, url, role) of each page to open: the HTML pages of the matrix, as someone allowed to see them."""
    from safeguarding.accounts.roles import Role

    for key, entry in TABLE.items():
        if not entry.gets or 200 not in entry.status or entry.access not in (PARTNERSHIP, PUBLIC):
            continue
        url = world.url(key)
        if SKIP_PAGES.search(url) or url_name(key).startswith("api") or key in ("healthz", "readyz"):
            continue
        if entry.access == PUBLIC:
            yield key, url, None
        elif entry.allowed:
            yield key, url, next(r for r in [Role.ADMIN, *Role] if r in entry.allowed)


@pytest.fixture
def sandbox(settings, tmp_path):
    """Stored files and the store of returns in a temporary folder, as the access matrix's world keeps them."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}}}
    settings.ANALYTICS_URL = f"duckdb:///{tmp_path / 'analytics.duckdb'}"
    settings.ANALYTICS_SCHEMA = "child_level"


def test_stored_script_never_runs_on_any_page(browser, live_server, sandbox):
    world = build_world()
    filled = _fill_every_text_field()
    assert filled > 200, filled
    contexts, problems, shown, opened = {}, [], 0, 0
    dialogs = []
    try:
        for key, url, role in _pages(world):
            if role not in contexts:
                context = browser.new_context()
                if role is not None:
                    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                                          "value": world.members[role].session_key}])
                context.add_init_script(f"({COLLECT})()")
                page = context.new_page()
                page.set_default_timeout(15000)
                page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
                console = []
                page.on("console", lambda message, into=console: into.append(message.text))
                contexts[role] = (context, page, console)
            _, page, console = contexts[role]
            console.clear()
            try:
                response = page.goto(live_server.url + url)
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue  # a stored file, sent as an attachment: never shown as a page
                raise
            opened += 1
            status = response.status if response else None
            if status is None or status >= 500:
                problems.append(f"{key}: {url} answered {status}")
                continue
            policy = response.headers.get("content-security-policy", "")
            script_src = next((d for d in policy.split(";") if d.strip().startswith("script-src")), "")
            if "'self'" not in script_src or "unsafe-inline" in script_src or "unsafe-eval" in script_src:
                problems.append(f"{key}: the policy allows inline script or has none: {policy!r}")
            if page.evaluate(f"() => window.{XSS_MARKER}") is not None:
                problems.append(f"{key}: a payload ran on {url}")
            violations = page.evaluate("() => window.__cspViolations")
            if violations or any("Content Security Policy" in text for text in console):
                problems.append(f"{key}: markup got through on {url}, stopped only by the policy: {violations} "
                                f"{[t for t in console if 'Content Security Policy' in t]}")
            if XSS_MARKER in page.inner_text("body"):
                shown += 1
    finally:
        for context, _, _ in contexts.values():
            context.close()
    assert not dialogs, f"a payload opened a dialog: {dialogs}"
    assert not problems, "\n".join(problems)
    print(f"\nstored script: {filled} text values, {opened} pages opened, payloads shown as text on {shown}")
    assert opened > 100 and shown > 50, (opened, shown)


def test_the_listeners_see_markup_that_gets_through(browser):
    """The checks above can fail: a page that does put the payloads in as markup, under the same policy header, is
    seen (as policy violations), and without the policy the payload runs and is seen (the flag, the dialog)."""
    context = browser.new_context()
    context.add_init_script(f"({COLLECT})()")
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    unescaped = f"<html><body><p>{PAYLOADS[0]}</p><p>{PAYLOADS[1]}</p></body></html>"
    page.route("http://with-policy.test/", lambda route: route.fulfill(
        body=unescaped, content_type="text/html", headers={"Content-Security-Policy": "script-src 'self'"}))
    page.route("http://without-policy.test/", lambda route: route.fulfill(body=unescaped, content_type="text/html"))
    page.goto("http://with-policy.test/")
    assert page.evaluate("() => window.__cspViolations") and page.evaluate(f"() => window.{XSS_MARKER}") is None
    assert not dialogs
    page.goto("http://without-policy.test/")
    assert page.evaluate(f"() => window.{XSS_MARKER}") in (1, 2) and dialogs
    context.close()
