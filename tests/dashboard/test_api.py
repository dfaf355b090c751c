"""The read-only API: token authentication, scoped like the pages, small numbers withheld from scrutineers."""
import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from safeguarding.accounts.roles import Role
from tests import factories
from tests.dashboard import data

pytestmark = pytest.mark.django_db


@pytest.fixture
def southwark(db):
    partnership = factories.partnership("Southwark", la_code="210")
    data.store_values("210", years=(2020, 2021), small={(2021, "cpp_2_years"): 3})
    data.store_values("999", years=(2021,))  # another authority's figures
    data.import_benchmarks()
    return partnership


def api(user):
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")


def values_url(partnership, **query):
    address = reverse("api:indicator-values", kwargs={"slug": partnership.slug})
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_needs_a_token(southwark):
    assert Client().get(values_url(southwark)).status_code == 401
    assert Client(HTTP_AUTHORIZATION="Token not-a-token").get(values_url(southwark)).status_code == 401
    # a signed-in session is not enough: the API takes tokens only
    session = factories.sign_in(Client(), factories.person(southwark, Role.ANALYST))
    assert session.get(values_url(southwark)).status_code == 401


def test_indicator_values_of_the_partnerships_authority_only(southwark):
    client = api(factories.person(southwark, Role.ANALYST))
    body = client.get(values_url(southwark, year=2021, indicator="referrals")).json()
    assert body["count"] == 1
    assert body["results"][0] | {"value": 3510.0} == body["results"][0]
    assert body["results"][0]["la_code"] == "210" and body["results"][0]["suppressed"] == ""
    every = client.get(values_url(southwark, limit=5000)).json()
    assert {row["la_code"] for row in every["results"]} == {"210"} and {r["year"] for r in every["results"]} == {2020, 2021}
    sources = client.get(values_url(southwark, year=2021, indicator="referral_source:")).json()["results"]
    assert sources and all(r["indicator"].startswith("referral_source:") for r in sources)


def test_another_partnership_is_not_found(southwark):
    other = factories.partnership("Elsewhere")
    client = api(factories.person(other, Role.ADMIN))
    assert client.get(values_url(southwark)).status_code == 404
    assert client.get(reverse("api:benchmarks", kwargs={"slug": southwark.slug})).status_code == 404
    assert client.get(values_url(other)).status_code == 200


def test_scrutineer_gets_c_for_small_numbers(southwark):
    client = api(factories.person(southwark, Role.SCRUTINEER))
    rows = client.get(values_url(southwark, year=2021, indicator="cpp_2_years")).json()["results"]
    assert rows[0]["suppressed"] == "c" and rows[0]["value"] is None
    percent = client.get(values_url(southwark, year=2021, indicator="cpp_2_years_percent")).json()["results"][0]
    assert percent["suppressed"] == "c" and percent["numerator"] is None and percent["value"] is None
    assert client.get(values_url(southwark, year=2021, indicator="referrals")).json()["results"][0]["value"] == 3510


def test_benchmarks_filtered(southwark):
    client = api(factories.person(southwark, Role.PARTNER_LEAD))
    address = reverse("api:benchmarks", kwargs={"slug": southwark.slug})
    rows = client.get(address + "?indicator=referrals&year=2021&level=england").json()["results"]
    assert [(r["code"], r["measure"], r["value"]) for r in rows] == [("E92000001", "rate", 494.0)]
    assert rows[0]["source"].startswith("As published") and rows[0]["vintage"] == "as first published"


def test_schema_loads(client):
    response = client.get(reverse("api:schema") + "?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/p/{slug}/indicator-values/" in paths and "/api/p/{slug}/benchmarks/" in paths
    assert "tokenAuth" in response.json()["components"]["securitySchemes"]


def test_token_page_makes_a_token_once(southwark, client):
    user = factories.person(southwark, Role.ANALYST)
    factories.sign_in(client, user)
    address = reverse("api-token:manage", kwargs={"slug": southwark.slug})
    assert "You have no API token yet" in client.get(address).content.decode()
    made = client.post(address, {"action": "create"}).content.decode()
    key = Token.objects.get(user=user).key
    assert key in made
    assert key not in client.get(address).content.decode()
    client.post(address, {"action": "revoke"})
    assert not Token.objects.filter(user=user).exists()
    outsider = factories.sign_in(Client(), factories.person(factories.partnership("Elsewhere"), Role.ANALYST))
    assert outsider.get(address).status_code == 404
