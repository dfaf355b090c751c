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


# Every query parameter the schema documents, with values it must refuse (empty where the schema does not allow
# empty; of the wrong type; out of range) and values it must accept. Each refused value gets 400 naming that
# parameter alone, and the schema itself refuses it too; each accepted value gets 200, and the schema allows it.
HUGE = "9" * 5000  # beyond int()'s 4,300 digits: a ValueError if it were ever converted
REFUSED = {
    "year": ["", "abc", "true", "2021.5", "2021.0", "1e3", " 2021", "2021 ", "+2021", "-2021", "2_021", "02021",
             "0x7E5", "%C2%B2",  # "²": str.isdigit() says yes, int() says no: was a ValueError, a 500
             "%D9%A2%D9%A0%D9%A2%D9%A1", "%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%91",  # 2021 in Arabic-Indic, full width
             "1899", "2101", "0", "9" * 40, HUGE, "2021%00"],
    "limit": ["",  # was taken as no limit: a 200 the schema (an integer) does not allow, found by schemathesis
              "abc", "1.5", "1.0", "1e3", " 5", "+5", "05", "%EF%BC%95", "0", "-1", "100001",
              "9" * 31,  # was passed to SQLite as LIMIT: "datatype mismatch", a 500
              HUGE],
    "offset": ["", "x", "0.5", "-5", "-0", "00", "1000000001", "9" * 31, HUGE, "%C2%B2"],
    "indicator": ["%00", "a%00b", "x" * 500],
    "code": ["%00", "x" * 13],
    "level": ["galaxy", "LA", "England", " la", "la ", "la%00", "0", "true"],
    "measure": ["counts", "Rate", "1", "percent%00"],
    "format": ["", "xml", "api", "JSON", "json ", "json%00"],
}
ACCEPTED = {
    "year": ["1900", "2021", "2100"], "limit": ["1", "5", "100000"], "offset": ["0", "3", "1000000000"],
    "indicator": ["", "referrals", "referral_source:", "%E2%80%AE<script>"], "code": ["", "E92000001"],
    "level": ["", "la", "england"], "measure": ["", "rate"], "format": ["json"],
}
LISTS = {"api:indicator-values": "/api/p/{slug}/indicator-values/", "api:benchmarks": "/api/p/{slug}/benchmarks/"}


def documented():
    """{list's URL name: {query parameter: its schema}}, from the schema the API serves."""
    from django.test import Client

    paths = Client().get("/api/schema/?format=json").json()["paths"]
    return {name: {p["name"]: p["schema"] for p in paths[path]["get"]["parameters"] if p["in"] == "query"}
            for name, path in LISTS.items()}


def schema_allows(parameter_schema, text):
    """Whether the schema allows this query value (percent-decoded): an integer parameter takes an integer as a
    query writes it (-12, 0, 7); a string one takes the text."""
    import re
    from urllib.parse import unquote

    import jsonschema

    text = unquote(text)
    if parameter_schema.get("type") == "integer":
        if not re.fullmatch(r"0|-?[1-9][0-9]*", text):
            return False
        value = int(text) if len(text) < 100 else int("9" * 100)  # beyond any maximum (and int()'s digit limit)
    else:
        value = text
    return jsonschema.Draft7Validator(parameter_schema).is_valid(value)


def test_every_documented_parameter_is_tested():
    for name, parameters in documented().items():
        assert set(parameters) <= set(REFUSED) and set(parameters) <= set(ACCEPTED), name


@pytest.mark.django_db
@pytest.mark.parametrize("parameter", sorted(REFUSED))
def test_a_bad_value_is_refused_naming_the_parameter_as_the_schema_does(southwark, tokens, parameter):
    from django.test import Client
    from django.urls import reverse

    client = Client(HTTP_AUTHORIZATION=f"Token {tokens[0]}")
    lists = [(name, schemas[parameter]) for name, schemas in documented().items() if parameter in schemas]
    assert lists
    for name, parameter_schema in lists:
        address = reverse(name, kwargs={"slug": southwark.slug})
        for value in REFUSED[parameter]:
            assert not schema_allows(parameter_schema, value), (name, parameter, value[:40])
            response = client.get(f"{address}?{parameter}={value}")
            assert response.status_code == 400, (name, parameter, value[:40], response.status_code)
            body = response.json()
            assert list(body) == [parameter] and body[parameter][0], (name, value[:40], body)
        for value in ACCEPTED[parameter]:
            assert schema_allows(parameter_schema, value), (name, parameter, value)
            response = client.get(f"{address}?{parameter}={value}")
            assert response.status_code == 200, (name, parameter, value, response.content[:200])


@pytest.mark.django_db
@pytest.mark.parametrize("query,parameter", [
    ("yeer=2021", "yeer"),  # a misspelt filter: was ignored, so every row came back
    ("year=2020&year=2021", "year"),  # given twice: which one counts is not something to guess
    ("limit=5&limit=10", "limit"), ("indicator=referrals&indicator=", "indicator"),
    ("format=json&format=json", "format"),
])
def test_an_unknown_or_repeated_parameter_is_refused_naming_it(southwark, tokens, query, parameter):
    from django.test import Client
    from django.urls import reverse

    client = Client(HTTP_AUTHORIZATION=f"Token {tokens[0]}")
    for name in LISTS:
        response = client.get(reverse(name, kwargs={"slug": southwark.slug}) + "?" + query)
        assert response.status_code == 400, (name, query, response.status_code)
        assert list(response.json()) == [parameter] and response.json()[parameter][0], response.json()


@pytest.mark.django_db
def test_a_bad_format_is_refused_only_after_the_token(southwark):
    from django.test import Client
    from django.urls import reverse

    assert Client().get(reverse("api:benchmarks", kwargs={"slug": southwark.slug}) + "?format=xml").status_code == 401


@pytest.mark.django_db
def test_good_parameters_still_filter(southwark, tokens):
    from django.test import Client
    from django.urls import reverse

    client = Client(HTTP_AUTHORIZATION=f"Token {tokens[0]}")
    values = reverse("api:indicator-values", kwargs={"slug": southwark.slug})
    body = client.get(values + "?year=2021&indicator=referrals&limit=5&offset=0&format=json").json()
    assert body["count"] == 1 and body["results"][0]["value"] == 3510
    assert client.get(values + "?year=&indicator=").status_code == 400  # an empty year is not a year
    assert client.get(values + "?indicator=&limit=2").json()["count"] > 2  # an empty indicator is no filter
    assert len(client.get(values + "?limit=2").json()["results"]) == 2
    benchmarks = reverse("api:benchmarks", kwargs={"slug": southwark.slug})
    rows = client.get(benchmarks + "?indicator=referrals&year=2021&level=england&measure=").json()["results"]
    assert [(r["code"], r["measure"]) for r in rows] == [("E92000001", "rate")]
    assert client.get(benchmarks + "?level=galaxy").json() == {
        "level": ['"galaxy" is not a valid choice; expected one of la, region, inner_outer_london, england, sn']}
