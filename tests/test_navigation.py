"""The navigation list (config/navigation.py): each area is shown by the permission its page checks, every role
gets its own areas and no others, and the quiet navigation of the 500 page asks the database nothing."""
import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse

from config.navigation import NAVIGATION, every_member_may, navigation
from safeguarding.accounts.roles import Role
from tests import factories

AREAS = [area for group in NAVIGATION for area in group.areas]


@pytest.mark.parametrize("area", AREAS, ids=lambda area: area.url_name)
def test_each_area_is_shown_by_the_permission_its_page_checks(area):
    view = resolve(reverse(area.url_name, kwargs={"slug": "any"})).func
    assert view.permission == area.permission


def _request(user, path):
    request = RequestFactory().get(path)
    request.user = user
    return request


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_role_sees_the_areas_it_may_open_and_no_others(role):
    home = factories.partnership("Home")
    user = factories.person(home, role)
    top, group = navigation(_request(user, f"/p/{home.slug}/"), home)
    opened = {item["href"] for item in top}
    for area in AREAS:
        href = reverse(area.url_name, kwargs={"slug": home.slug})
        if not user.has_perm(area.permission, home):
            assert href not in opened and all(not item["href"].startswith(href) for item in top), area
    assert len(top) <= 7  # one row at 1280 px: tests/browser/test_navigation.py measures it
    assert top[0] == {"text": "Partnership", "href": f"/p/{home.slug}/", "active": True}
    assert [item["text"] for item in group["items"]] == ["Overview", "Partnership register", "Action log"]


@pytest.mark.django_db
def test_a_group_is_highlighted_on_the_pages_under_each_of_its_areas():
    home = factories.partnership("Home")
    admin = factories.person(home, Role.ADMIN)
    top, group = navigation(_request(admin, f"/p/{home.slug}/reviews/SIN-1/"), home)
    assert [item["text"] for item in top if item["active"]] == ["Assurance"]
    assert [(item["text"], item["active"]) for item in group["items"]] == [
        ("Section 11 and audits", False), ("Case reviews", True)]
    top, group = navigation(_request(admin, f"/p/{home.slug}/register/members/"), home)
    assert [item["text"] for item in top if item["active"]] == ["Partnership"]
    assert [item["text"] for item in group["items"] if item["active"]] == ["Partnership register"]  # not Overview


@pytest.mark.django_db
def test_the_quiet_navigation_asks_nothing_and_offers_only_what_every_member_may_open(django_assert_num_queries):
    home = factories.partnership("Home")
    admin = factories.person(home, Role.ADMIN)
    request = _request(admin, f"/p/{home.slug}/")
    with django_assert_num_queries(0):
        top, _ = navigation(request, home, quiet=True)
    assert [item["text"] for item in top] == ["Partnership", "Dashboard", "Assurance", "Registers", "Yearly reports"]
    assert not every_member_may("returns.import") and every_member_may("reports.view")
