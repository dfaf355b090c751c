"""Sign-in and session security, and the access log, over every page.

- Two-factor sign-in: every role, and a person with no role, is stopped at the code on every page outside the account
  and public pages (every URL of the access matrix, GET and POST); generated from Role.
- Lock-out after AXES_FAILURE_LIMIT failed sign-ins, what the lock-out page says, and when it ends.
- Sessions end after SESSION_IDLE_SECONDS without a request, and with the browser.
- The access log: the views that call the access-log service are exactly those the access matrix says show
  child-level, LADO or other logged detail; each writes one entry naming the person, the record and the time.

Already in tests/test_accounts.py and not repeated here: the enrolment and code flow, recovery codes, the partnership
admin's reset of a member's two-factor sign-in, django-otp's back-off after a wrong code, `next` not leaving the site, password reset, sign-out needing a POST, CSRF and the content security
policy. tests/test_access.py checks every page for every role with a verified session.
"""
import contextlib
import datetime
import inspect
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.roles import Role
from safeguarding.core.models import AccessLogEntry
from tests import factories
from tests.access_matrix import API, PARTNERSHIP, SIGNED_IN, TABLE, url_name, world  # noqa: F401 (fixture)
from tests.test_access import url_patterns

SIGN_IN = "/account/sign-in/"
TWO_FACTOR = "/account/two-factor/"


# -- two-factor sign-in ---------------------------------------------------------------------------------------------


def asks_for_code(entry, url):
    """Every page asks a person who needs two-factor sign-in for their code, but the account pages (where the code
    is given) and the public pages for people without an account (published reports, survey links) and health
    checks. The API's schema is public too, but under /api/ like the rest of the API: there it asks as well. Of the
    account pages, the person's recovery codes ask for the code before showing or making any."""
    if url == reverse("accounts:recovery-codes"):
        return True
    if url.startswith("/account/"):
        return False
    return entry.access in (PARTNERSHIP, API, SIGNED_IN) or url.startswith("/api/")


def _unverified(user):
    """Signed in with the password only: the session has given no code."""
    client = Client()
    client.force_login(user)
    return client


def _answers(world, client, *, posts=True):
    """Each page of the matrix (and each form or action by POST), asked in a savepoint rolled back afterwards,
    with the same session each time (signing out ends it, and the savepoint brings it back)."""
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    for key, entry in TABLE.items():
        url = world.url(key)
        for method in ("get", "post") if posts and entry.posts else ("get",):
            client.cookies.clear()
            client.cookies[settings.SESSION_COOKIE_NAME] = session
            with transaction.atomic():
                response = getattr(client, method)(url)
                transaction.set_rollback(True)
            yield key, entry, method, url, response


NO_ROLE = None  # signed in, but holding no role in any partnership


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*Role, NO_ROLE], ids=[*(r.value for r in Role), "no-role"])
def test_two_factor_is_asked_on_every_page_of_every_role(world, role):
    roles = (role,) if role else ()
    client = _unverified(factories.person(world.home, *roles, org=world.agency))
    problems, asked = [], 0
    for key, entry, method, url, response in _answers(world, client):
        asked += 1
        stopped = response.status_code == 302 and response["Location"].startswith(TWO_FACTOR)
        if asks_for_code(entry, url):
            if response.status_code != 302 or unquote(response["Location"]) != f"{TWO_FACTOR}?next={url}":
                problems.append(f"{method.upper()} {url} gave {response.status_code} "
                                f"{response.get('Location', '')}, expected the code page")
        elif stopped:
            problems.append(f"{method.upper()} {url} asked for a code")
    assert asked >= len(TABLE)
    assert not problems, f"{role}: {len(problems)} of {asked} pages:\n" + "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*Role, NO_ROLE], ids=[*(r.value for r in Role), "no-role"])
def test_two_factor_is_asked_before_enrolment_too(world, role):
    roles = (role,) if role else ()
    client = _unverified(factories.person(world.home, *roles, verified_device=False))
    for page in (world.url("partnership:home"), "/"):
        assert unquote(client.get(page)["Location"]) == f"{TWO_FACTOR}?next={page}"
    assert "Set up two-factor sign-in" in client.get(TWO_FACTOR).content.decode()


def roles_seeing_logged_detail():
    """Roles that open a view writing the access log: child-level, LADO or case detail."""
    return {role for entry in TABLE.values() for role in entry.logged}


@pytest.mark.django_db
def test_every_role_that_sees_logged_detail_needs_two_factor(world):
    """Was a strict expected failure while only the admin, analyst and LADO officer gave a code (ADR 0002): the case
    review member, the statutory partner lead and the agency lead open logged detail too. Every role gives one now,
    and so does someone signed in with no role at all, a staff account included."""
    from safeguarding.accounts.models import User

    people = [factories.person(world.home, role) for role in roles_seeing_logged_detail() | set(Role)]
    people.append(User.objects.create_superuser("staff@test.example", factories.PASSWORD, full_name="Staff"))
    assert roles_seeing_logged_detail() >= {Role.CASE_REVIEW, Role.PARTNER_LEAD, Role.AGENCY_LEAD}
    for person in people:
        client = _unverified(person)
        for page in (world.url("partnership:home"), world.url("reviews:index"), "/"):
            response = client.get(page)
            assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR), (person, page)


# -- lock-out ---------------------------------------------------------------------------------------------------------


def _sign_in(client, email, password=factories.PASSWORD, address="127.0.0.1"):
    return client.post(SIGN_IN, {"username": email, "password": password}, REMOTE_ADDR=address)


def _signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def lead(db, partnership):
    return factories.person(partnership, Role.PARTNER_LEAD, email="lead@test.example", verified_device=False)


def _cool_off():
    from axes.helpers import get_cool_off

    return get_cool_off()


def test_one_failure_short_of_the_limit_still_signs_in(client, lead):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, lead.email, "wrong").status_code == 200
    assert _sign_in(client, lead.email).status_code == 302 and _signed_in(client)


def test_the_limit_of_failures_locks_the_account_and_says_when_to_retry(client, lead):
    limit = settings.AXES_FAILURE_LIMIT
    answers = [_sign_in(client, lead.email, "wrong").status_code for _ in range(limit)]
    assert answers == [200] * (limit - 1) + [429]  # the failure that reaches the limit is told at once
    for email in (lead.email, f"  {lead.email} "):  # spaces around the address are no way round it
        locked = _sign_in(client, email)  # the right password
        assert locked.status_code == 429 and not _signed_in(client)
    page = locked.content.decode()
    minutes = round(_cool_off().total_seconds() / 60)
    assert f"Your account is locked for {minutes} minutes" in page
    assert "too many attempts to sign in with the wrong password" in page
    assert f"You can try again in {minutes} minutes" in page
    assert reverse("accounts:password-reset") in page


@override_settings(AXES_COOLOFF_TIME=0.5)
def test_the_lock_out_page_follows_the_setting(client, lead):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, lead.email, "wrong")
    assert "You can try again in 30 minutes" in _sign_in(client, lead.email).content.decode()


def test_the_lock_ends_after_the_cool_off(client, lead):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, lead.email, "wrong")
    assert _sign_in(client, lead.email).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - _cool_off() + datetime.timedelta(seconds=30))
    assert _sign_in(client, lead.email).status_code == 429  # not yet
    AccessAttempt.objects.update(attempt_time=timezone.now() - _cool_off() - datetime.timedelta(seconds=1))
    assert _sign_in(client, lead.email).status_code == 302 and _signed_in(client)


def test_a_lock_is_for_that_account_only(client, lead, partnership):
    other = factories.person(partnership, Role.SCRUTINEER, email="reader@test.example", verified_device=False)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, lead.email, "wrong")
    assert _sign_in(Client(), other.email).status_code == 302


def test_the_limits_are_the_documented_defaults_unless_set():
    assert settings.AXES_FAILURE_LIMIT == int(os.environ.get("AXES_FAILURE_LIMIT", 5))
    assert settings.SESSION_COOKIE_AGE == int(os.environ.get("SESSION_IDLE_SECONDS", 15 * 60))
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_the_settings_come_from_the_environment(tmp_path):
    code = ("from django.conf import settings; "
            "print(settings.AXES_FAILURE_LIMIT, settings.SESSION_COOKIE_AGE, settings.SESSION_SAVE_EVERY_REQUEST, "
            "settings.SESSION_EXPIRE_AT_BROWSER_CLOSE)")
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(DEBUG="1", VAR_DIR=str(tmp_path), AXES_FAILURE_LIMIT="3", SESSION_IDLE_SECONDS="120")
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=root, env=env,
                            capture_output=True, text=True)
    assert result.stdout.splitlines()[-1].split() == ["3", "120", "True", "True"], result.stderr


# -- sessions ---------------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def later(seconds):
    """The clock moved on by so many seconds, for everything that asks django.utils.timezone.now()."""
    real = timezone.now
    with mock.patch("django.utils.timezone.now", lambda: real() + datetime.timedelta(seconds=seconds)):
        yield


def _give_code(client, user):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user)
    return client.post(TWO_FACTOR, {"code": f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"})


def test_a_session_ends_after_the_idle_time_without_requests(client, partnership):
    idle = settings.SESSION_COOKIE_AGE
    user = factories.person(partnership, Role.SCRUTINEER)
    _sign_in(client, user.email)
    _give_code(client, user)
    page = f"/p/{partnership.slug}/"
    assert client.get(page).status_code == 200
    # A request just inside the idle time keeps the session and starts the idle time again, so a session in use
    # outlives the idle time…
    elapsed = 0
    for _ in range(3):
        elapsed += idle - 5
        with later(elapsed):
            assert client.get(page).status_code == 200
    assert elapsed > 2 * idle
    # …and one left alone for longer ends: the next request is sent to sign in.
    with later(elapsed + idle + 1):
        response = client.get(page)
    assert response.status_code == 302 and response["Location"] == f"{SIGN_IN}?next={page}"


def test_the_session_cookie_goes_with_the_browser(client, partnership):
    user = factories.person(partnership, Role.SCRUTINEER, verified_device=False)
    response = _sign_in(client, user.email)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == "" and cookie["httponly"]


def test_an_ended_session_needs_the_code_again(client, partnership):
    """The two-factor check belongs to the session: once it ends, the password alone does not reach a page."""
    admin = factories.person(partnership, Role.ADMIN)
    _sign_in(client, admin.email)
    _give_code(client, admin)
    page = f"/p/{partnership.slug}/"
    assert client.get(page).status_code == 200
    with later(settings.SESSION_COOKIE_AGE + 1):
        assert client.get(page)["Location"].startswith(SIGN_IN)
        _sign_in(client, admin.email)
        assert client.get(page)["Location"].startswith(TWO_FACTOR)


# -- the access log ---------------------------------------------------------------------------------------------------


def views_that_log():
    """URL names whose view (the function itself, under its decorators) calls the access-log service."""
    found = set()
    for name, _, callback in url_patterns():
        view = inspect.unwrap(callback)
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            continue
        if "log_access(" in source:
            found.add(name)
    return found


def test_the_views_that_log_are_the_ones_the_matrix_says_show_logged_detail():
    """A view of child-level or LADO detail that does not log, or a view that logs what the matrix does not call
    sensitive, fails here: add the call, or the entry's `logged` roles and `log_record`. (Which roles' requests
    write an entry, and that the others' write none, is checked request by request below and in the matrix.)"""
    expected = {url_name(key) for key, entry in TABLE.items() if entry.log_record}
    found = views_that_log()
    assert not expected - found, f"should call audit.log_access: {sorted(expected - found)}"
    assert not found - expected, f"log without an entry saying so in the matrix: {sorted(found - expected)}"


def _logged_cases():
    for key, entry in TABLE.items():
        for role in sorted(entry.logged):
            yield pytest.param(key, role, id=f"{key}-{role.value}")


@pytest.mark.django_db
@pytest.mark.parametrize("key,role", list(_logged_cases()))
def test_each_view_of_logged_detail_writes_one_entry(world, key, role):
    entry = TABLE[key]
    member = world.members[role]
    url = world.url(key)
    record_type, _ = entry.log_record
    with transaction.atomic():
        start = timezone.now()
        response = member.request("get", url)
        end = timezone.now()
        written = list(AccessLogEntry.objects.all())
        transaction.set_rollback(True)
    assert response.status_code in entry.status
    assert len(written) == 1, f"{key} as {role}: {len(written)} entries"
    (logged,) = written
    assert logged.user == member.user and logged.user_email == member.user.email
    assert logged.partnership == world.home
    assert logged.record_type == record_type
    assert logged.record_id == world.record_id(key)
    assert logged.record_label  # what the person saw, in words, for the admins' page
    assert start <= logged.at <= end
    assert logged.path == url


@pytest.mark.django_db
@pytest.mark.parametrize("key", [k for k, e in TABLE.items() if e.access == PARTNERSHIP and e.allowed
                                 and not e.logged and e.gets])
def test_a_view_not_marked_writes_no_entry(world, key):
    """Every role's view of every page is checked by the access matrix; here, the first who may see it."""
    member = world.members[sorted(TABLE[key].allowed)[0]]
    with transaction.atomic():
        response = member.request("get", world.url(key))
        written = AccessLogEntry.objects.count()
        transaction.set_rollback(True)
    assert response.status_code in TABLE[key].status and written == 0
