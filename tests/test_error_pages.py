"""The error pages (400, 403, 404, 500, 503) keep the service header, the navigation where the person is signed in
and it is safe to show, and a way back; the 500 page asks the database nothing (issue 14 point 4).

Pages that fail on purpose live in this module's URLs, beside the project's, and are asked for with DEBUG off
and the test client's raise_request_exception off, as a browser would meet them."""
import pytest
from django.core.exceptions import BadRequest
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import path, reverse

from config.urls import urlpatterns as project_urls
from safeguarding.accounts.roles import Role
from safeguarding.core.tenancy import partnership_view
from tests import factories


class DatabaseAsked(Exception):
    pass


def refuse_queries(execute, sql, params, many, context):
    raise DatabaseAsked(sql)


@partnership_view()
def fails_after_the_database_went(request):
    # From here on any query fails: what a page that lost its database mid-way leaves the error page with.
    connection.execute_wrappers.append(refuse_queries)
    raise ValueError("a figure the page could not work out")


def fails_for_anyone(request):
    connection.execute_wrappers.append(refuse_queries)
    raise ValueError("a public page failed")


@partnership_view()
def fails(request):
    raise ValueError("a figure the page could not work out")


@partnership_view()
def database_is_down(request):
    raise OperationalError("could not connect to server")


@partnership_view()
def unreadable(request):
    raise BadRequest("The date 2021-02-30 does not exist")


urlpatterns = [
    path("p/<slug:slug>/fails/", fails_after_the_database_went),
    path("p/<slug:slug>/fails-plainly/", fails),  # for the browser's look at the page (tests/browser)
    path("p/<slug:slug>/database-down/", database_is_down),
    path("p/<slug:slug>/unreadable/", unreadable),
    path("fails/", fails_for_anyone),
    *project_urls,
]
handler400 = "safeguarding.core.views.bad_request"
handler403 = "safeguarding.core.views.permission_denied"
handler404 = "safeguarding.core.views.page_not_found"
handler500 = "safeguarding.core.views.server_error"

HEADER = "Safeguarding partnership system"


@pytest.fixture
def member_of(db):
    home = factories.partnership("Home")

    def member(role=Role.SCRUTINEER):
        client = factories.sign_in(Client(raise_request_exception=False), factories.person(home, role))
        return home, client
    return member


@pytest.fixture(autouse=True)
def no_refusal_left_behind(db):
    yield
    if refuse_queries in connection.execute_wrappers:
        connection.execute_wrappers.remove(refuse_queries)


def page_of(response):
    return response.content.decode()


def assert_partnership_page(page, partnership):
    assert HEADER in page
    assert f'href="{reverse("dashboard:index", kwargs={"slug": partnership.slug})}"' in page  # the navigation
    assert (f'<a class="govuk-link" href="{reverse("partnership:home", kwargs={"slug": partnership.slug})}">'
            f"Go to the {partnership.short_name} overview</a>") in page


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_the_500_page_keeps_the_header_navigation_and_a_way_back_without_asking_the_database(member_of):
    home, client = member_of()
    response = client.get(f"/p/{home.slug}/fails/")
    assert response.status_code == 500
    page = page_of(response)
    assert "Sorry, there is a problem with the service" in page
    assert_partnership_page(page, home)
    assert "Audit trail" not in page and "Sign out" not in page  # what needs a question to the database is left out
    assert 'nonce="' not in page and "<style" not in page  # nothing inline: the strict CSP holds


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_the_500_page_for_someone_signed_out_has_the_header_and_the_start_page(db):
    response = Client(raise_request_exception=False).get("/fails/")
    page = page_of(response)
    assert response.status_code == 500 and HEADER in page
    assert f'<a class="govuk-link" href="{reverse("home")}">Go to the start page</a>' in page
    assert "govuk-service-navigation" not in page


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_database_that_is_down_gets_the_503_page_with_the_header(member_of):
    home, client = member_of()
    response = client.get(f"/p/{home.slug}/database-down/")
    page = page_of(response)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert HEADER in page and "could not reach its database" in page
    assert f'href="{reverse("home")}"' in page


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_the_400_page_keeps_the_navigation_and_a_way_back(member_of):
    home, client = member_of()
    response = client.get(f"/p/{home.slug}/unreadable/")
    page = page_of(response)
    assert response.status_code == 400 and "The date 2021-02-30 does not exist" in page
    assert_partnership_page(page, home)


def test_the_403_page_keeps_the_navigation_and_a_way_back(member_of):
    home, client = member_of(Role.SCRUTINEER)
    response = client.get(reverse("lado:contacts", kwargs={"slug": home.slug}))
    assert response.status_code == 403
    page = page_of(response)
    assert_partnership_page(page, home)
    assert "Sign out" in page  # the full header: the database is fine here


def test_the_404_page_of_a_members_partnership_keeps_its_navigation(member_of):
    home, client = member_of(Role.LADO)
    response = client.get(reverse("lado:contact", kwargs={"slug": home.slug, "pk": 999_999}))
    assert response.status_code == 404
    assert_partnership_page(page_of(response), home)


def test_the_404_page_of_another_partnership_names_nothing_of_it(member_of):
    home, client = member_of()
    away = factories.partnership("Away")
    response = client.get(reverse("lado:index", kwargs={"slug": away.slug}))
    page = page_of(response)
    assert response.status_code == 404 and HEADER in page
    assert away.name not in page and away.short_name not in page
    assert f'href="/p/{away.slug}/' not in page  # no link into it (the recovery codes link keeps the path asked for)
    assert f'<a class="govuk-link" href="{reverse("home")}">Go to your partnerships</a>' in page
    assert "Your partnerships" in page  # the service navigation of someone signed in, outside any partnership
