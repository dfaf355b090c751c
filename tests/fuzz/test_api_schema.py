"""The read-only JSON API fuzzed from its own OpenAPI schema with schemathesis: every operation, with values the
schema allows and values it does not, signed in with an API token (as an analyst, and as a scrutineer, who gets
small numbers withheld). Every answer is one the schema documents, in the shape it documents; never a 5xx; a
value the schema does not allow is refused with 400 and says which parameter and what was expected.

The app is called in-process through its WSGI handler, inside the test's transaction (Django's closing of old
connections at the end of each request is switched off meanwhile, as the test client does).

Schemathesis draws from a fixed seed under the repeatable profile (tests/profiles.py), so the same commit always
sends the same requests; `make fuzz-hunt` draws from a random one."""
import os

import pytest
import schemathesis
from schemathesis.auths import GLOBAL_AUTH_STORAGE
from schemathesis.config import CacheConfig, SchemathesisConfig
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from safeguarding.accounts.roles import Role
from tests import factories, profiles
from tests.dashboard import data

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 15)) * 2


@pytest.fixture
def in_process():
    """Requests through the WSGI handler share the test's database connection and transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)




@pytest.fixture
def southwark(db):
    partnership = factories.partnership("Southwark", la_code="210")
    data.store_values("210", years=(2020, 2021), small={(2021, "cpp_2_years"): 3})
    data.import_benchmarks()
    return partnership


ANALYST_TOKEN, SCRUTINEER_TOKEN = "fuzz-analyst".ljust(40, "0"), "fuzz-scrutineer".ljust(40, "0")


@pytest.fixture
def tokens(southwark):
    """An analyst's token and a scrutineer's (who gets small numbers withheld)."""
    for key, role in ((ANALYST_TOKEN, Role.ANALYST), (SCRUTINEER_TOKEN, Role.SCRUTINEER)):
        Token.objects.create(user=factories.person(southwark, role), key=key)
    return [ANALYST_TOKEN, SCRUTINEER_TOKEN]


class TokenAuth:
    """Schemathesis signs each request in with the analyst's token, except those it sends without one on
    purpose (which must get 401)."""

    def get(self, case, context):
        return ANALYST_TOKEN

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


# Read from the app at collection: the schema page needs no database. The configuration is given, not looked for
# (a schemathesis.toml above the clone would change the run), with the run's seed and no cache written to disk.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), config=SchemathesisConfig(
    seed=profiles.fuzz_seed(), cache=CacheConfig(enabled=False)))


@schema.parametrize()
@GLOBAL_AUTH_STORAGE.apply(TokenAuth, refresh_interval=None)
@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_the_api_answers_everything_as_its_schema_says(case, tokens, southwark, in_process):
    if "slug" in (case.path_parameters or {}):
        case.path_parameters["slug"] = southwark.slug  # a partnership the person belongs to: the code behind it
    case.call_and_validate()
    if (case.headers or {}).get("Authorization") == f"Token {ANALYST_TOKEN}":
        case.headers["Authorization"] = f"Token {SCRUTINEER_TOKEN}"  # the same request as a scrutineer
        case.call_and_validate()


@pytest.mark.django_db
@pytest.mark.parametrize("query,parameter", [
    ("year=%C2%B2", "year"),  # "²": str.isdigit() says yes, int() says no: was a ValueError, a 500
    ("year=" + "9" * 40, "year"), ("year=", "year"), ("year=2021.5", "year"), ("year=1e3", "year"),
    ("limit=" + "9" * 31, "limit"),  # was passed to SQLite as LIMIT: "datatype mismatch", a 500
    ("limit=0", "limit"), ("limit=-1", "limit"), ("limit=abc", "limit"), ("offset=" + "9" * 31, "offset"),
    ("offset=-5", "offset"), ("indicator=%00", "indicator"), ("indicator=" + "x" * 500, "indicator"),
    ("yeer=2021", "yeer"),  # a misspelt filter: was ignored, so every row came back
])
def test_a_bad_parameter_is_refused_naming_it(southwark, tokens, query, parameter):
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {tokens[0]}")
    for name in ("api:indicator-values", "api:benchmarks"):
        from django.urls import reverse

        response = client.get(reverse(name, kwargs={"slug": southwark.slug}) + "?" + query)
        assert response.status_code == 400, (name, query, response.status_code)
        assert list(response.json()) == [parameter] and response.json()[parameter][0], response.json()


@pytest.mark.django_db
def test_good_parameters_still_filter(southwark, tokens):
    from django.test import Client
    from django.urls import reverse

    client = Client(HTTP_AUTHORIZATION=f"Token {tokens[0]}")
    values = reverse("api:indicator-values", kwargs={"slug": southwark.slug})
    body = client.get(values + "?year=2021&indicator=referrals&limit=5&offset=0").json()
    assert body["count"] == 1 and body["results"][0]["value"] == 3510
    assert client.get(values + "?year=&indicator=").status_code == 400  # an empty year is not a year
    assert client.get(values + "?indicator=&limit=2").json()["count"] > 2  # an empty indicator is no filter
    benchmarks = reverse("api:benchmarks", kwargs={"slug": southwark.slug})
    rows = client.get(benchmarks + "?indicator=referrals&year=2021&level=england&measure=").json()["results"]
    assert [(r["code"], r["measure"]) for r in rows] == [("E92000001", "rate")]
    assert client.get(benchmarks + "?level=galaxy").json() == {"level": ['"galaxy" is not a valid choice.']}
