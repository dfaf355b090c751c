"""The access matrix: every URL pattern of the project × every role, an agency lead of another organisation, each
role of another partnership, another partnership's record, and an anonymous visitor.

The expectations are in tests/access_matrix.py, written out independently of the rules in the code. A URL pattern
with no entry there fails `test_every_url_pattern_is_in_the_matrix`, naming it. Each (page, method) is one test;
inside it every person is asked in a savepoint rolled back afterwards, so each sees the same records, and every
unexpected answer is listed, not just the first.

Besides the status (and where a redirect goes), each case checks that a refused POST changed nothing in the
database and that a GET wrote an access-log entry exactly when the table says the person sees logged detail.
"""
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguarding.accounts.roles import Role
from safeguarding.core.models import AccessLogEntry
from tests.access_matrix import (API, PARTNERSHIP, PUBLIC, SIGNED_IN, SIGNED_OUT, TABLE, changed_tables,
                                 url_name, world)  # noqa: F401 (the module's fixture)

SIGN_IN = "/account/sign-in/?next="
TWO_FACTOR = "/account/two-factor/"


def url_patterns(resolver=None, namespace="", prefix=""):
    """(name, route, callback) of every URL pattern, includes followed; unnamed ones by their route."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            yield (namespace + entry.name if entry.name else route), route, entry.callback


def test_every_url_pattern_is_in_the_matrix():
    patterns = {name for name, _, _ in url_patterns()}
    covered = {url_name(key) for key in TABLE}
    missing = sorted(patterns - covered)
    assert not missing, f"URL patterns with no entry in tests/access_matrix.py TABLE: {', '.join(missing)}"
    stale = sorted(covered - patterns)
    assert not stale, f"TABLE entries for URL patterns that no longer exist: {', '.join(stale)}"


def test_each_entry_is_reached_the_way_its_route_says():
    """A partnership page is under /p/<slug>/ (the API's under /api/p/<slug>/), and nothing else is."""
    routes = {name: route for name, route, _ in url_patterns()}
    for key, entry in TABLE.items():
        route = routes[url_name(key)]
        if entry.access == PARTNERSHIP:
            assert route.startswith("p/<slug:slug>/"), key
        elif entry.access == API:
            assert route.startswith("api/p/<slug:slug>/"), key
        else:
            assert not route.startswith(("p/", "api/p/")), key


def test_the_table_is_consistent():
    for key, entry in TABLE.items():
        assert entry.methods in ("get", "get post", "post"), key
        assert entry.logged <= entry.allowed, f"{key}: logged for a role that may not see it"
        assert bool(entry.log_record) or not entry.logged, key
        if entry.org_scoped:
            assert entry.record, key


def test_the_scrutineer_is_read_only():
    """A scrutineer writes nothing in a partnership but their own API token."""
    writes = {key for key, entry in TABLE.items() if entry.access == PARTNERSHIP and entry.posts
              and Role.SCRUTINEER in entry.who("post")}
    assert writes == {"api-token:manage"}


# -- the matrix ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    status: tuple
    location: str | None = None  # where a redirect must go (a prefix)
    allowed: bool = False  # the view ran: a POST may change things
    logs: int | None = 0  # access-log entries the request writes (None: not checked)


def expect(entry, principal, method):
    kind = principal.kind
    if method == "get" and not entry.gets:  # require_POST comes first: 405 before any sign-in or membership check
        return Expect((405,))
    if entry.access == PUBLIC:  # a POST is answered like its GET, or sent on when it worked
        posted = entry.status if 404 in entry.status else (200, 302)
        return Expect(entry.status if method == "get" else posted, allowed=True, logs=None)
    if entry.access == SIGNED_OUT:
        if kind == "anonymous":
            return Expect(entry.status, allowed=True, logs=None)
        return Expect((302,), allowed=True, logs=None)
    if entry.access == SIGNED_IN:
        if kind == "anonymous":
            return Expect((302,), SIGN_IN)
        return Expect(entry.status, allowed=True, logs=None)
    if entry.access == API:
        if kind == "anonymous":
            return Expect((401,))
        if kind == "outsider":
            return Expect((404,))
        if principal.role not in entry.who(method):
            return Expect((403,))
        return Expect((200,) if method == "get" else (405,), allowed=True)
    # A partnership page.
    if kind == "anonymous":
        return Expect((302,), SIGN_IN)
    if kind in ("outsider", "foreign"):
        return Expect((404,))  # never 403: that would say the partnership or record exists
    if principal.role not in entry.who(method):
        return Expect((403,))  # a member: they know the partnership exists
    if kind == "stranger" and entry.org_scoped:
        return Expect((404,))  # another organisation's record
    if method == "post":
        return Expect((200, 302), allowed=True, logs=None)
    logged = principal.role in entry.logged and not (kind == "stranger" and entry.logged_own_org_only)
    return Expect(entry.status, allowed=True, logs=1 if logged else 0)


def principals_for(world, key):
    """Who asks for the page, and the URL each asks for."""
    entry = TABLE[key]
    for principal in world.principals:
        if principal.kind == "foreign":
            if entry.access != PARTNERSHIP or not entry.record:
                continue
            url = world.url(key, foreign=True)
            if url == world.url(key):  # no record of its own (an add page of a register section)
                continue
            yield principal, url
        else:
            yield principal, world.url(key)


def ask(world, principal, method, url, *, api, check_writes):
    """One request in a savepoint that is rolled back: (status, location, access-log entries, tables changed,
    error)."""
    with transaction.atomic():
        try:
            response = principal.request(method, url, api=api)
        except Exception as error:  # a crash is an answer too: report it with the others
            transaction.set_rollback(True)
            return None, "", 0, [], f"{type(error).__name__}: {error}"
        logs = AccessLogEntry.objects.count()
        changed = changed_tables(world) if check_writes else []
        transaction.set_rollback(True)
    return response.status_code, response.get("Location", ""), logs, changed, None


def check(entry, principal, method, url, outcome, expected):
    status, location, logs, changed, error = outcome
    who = f"{principal.label}: {method.upper()} {url}"
    if error:
        return f"{who} raised {error}"
    if status not in expected.status:
        return f"{who} gave {status} (to {location or '-'}), expected {'/'.join(map(str, expected.status))}"
    if expected.location and not location.startswith(expected.location):
        return f"{who} went to {location}, expected {expected.location}…"
    if expected.allowed and status == 302 and entry.access in (PARTNERSHIP, API) and location.startswith(
            (SIGN_IN, TWO_FACTOR)):
        return f"{who} was sent to {location}"
    if changed:
        return f"{who} was refused ({status}) but changed {', '.join(changed)}"
    if expected.logs is not None and logs != expected.logs:
        return f"{who} wrote {logs} access-log entries, expected {expected.logs}"
    return None


def cases():
    for key, entry in TABLE.items():
        yield pytest.param(key, "get", id=f"{key}-GET")
        if entry.posts:
            yield pytest.param(key, "post", id=f"{key}-POST")


@pytest.mark.django_db
@pytest.mark.parametrize("key,method", list(cases()))
def test_access(world, key, method):
    entry = TABLE[key]
    problems, asked = [], 0
    for principal, url in principals_for(world, key):
        expected = expect(entry, principal, method)
        outcome = ask(world, principal, method, url, api=entry.access == API,
                      check_writes=method == "post" and not expected.allowed)
        asked += 1
        problem = check(entry, principal, method, url, outcome, expected)
        if problem:
            problems.append(problem)
    assert asked >= len(Role) + 2
    assert not problems, f"{len(problems)} of {asked} unexpected:\n" + "\n".join(problems)


def matrix_size(world):
    """(URL patterns, TABLE entries, people, cases): for the record of what the matrix covers."""
    count = 0
    for key, _ in ((p.values[0], p.values[1]) for p in cases()):
        count += sum(1 for _ in principals_for(world, key))
    return len({url_name(k) for k in TABLE}), len(TABLE), len(world.principals), count


@pytest.mark.django_db
def test_the_matrix_covers_every_page_for_everyone(world):
    patterns, entries, people, count = matrix_size(world)
    print(f"\naccess matrix: {patterns} URL patterns, {entries} entries, {people} people, {count} cases")
    assert patterns == len({name for name, _, _ in url_patterns()})
    assert people == 2 * len(Role) + 3
    assert count > 5000


@pytest.mark.django_db
@pytest.mark.parametrize("key", [k for k, e in TABLE.items()
                                 if e.access == PARTNERSHIP and e.methods == "get" and e.allowed])
def test_a_page_that_only_shows_does_nothing_on_post(world, key):
    """The table's "get" pages answer a POST as a GET and write nothing but the access log, so no form or action
    is missing from the POST half of the matrix."""
    entry = TABLE[key]
    member = world.members[sorted(entry.allowed)[0]]
    status, _, _, changed, error = ask(world, member, "post", world.url(key), api=False, check_writes=True)
    assert error is None and status in entry.status, (key, status, error)
    assert set(changed) <= {"core_accesslogentry"}, f"POST to {key} wrote to {changed}"


# -- what the matrix does not reach ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_section_or_kind_of_record_is_not_found(world):
    admin = world.members[Role.ADMIN]
    assert admin.request("get", f"/p/{world.home.slug}/register/no-such-thing/").status_code == 404
    assert admin.request("get", f"/p/{world.home.slug}/archive/nothing/1/").status_code == 404
    assert admin.request("get", reverse("reports:edit-section", kwargs={
        "slug": world.home.slug, "pk": world.home_records["report"]["pk"], "section": "no-such-section"})
    ).status_code == 404


@pytest.mark.django_db
def test_an_admin_who_is_also_the_lado_officer_reads_a_lado_change(world):
    """The LADO audit event is refused to every single role (the matrix); both roles together may read it."""
    from safeguarding.accounts.models import Membership
    from tests.access_matrix import Principal, _signed_in

    user = world.members[Role.ADMIN].user
    Membership.objects.create(user=user, partnership=world.home, role=Role.LADO)
    both: Principal = _signed_in("admin and LADO", "member", user)
    response = both.request("get", world.url("core:audit-event[lado]"))
    assert response.status_code == 200 and "Coach" in response.content.decode()
