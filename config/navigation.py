"""The navigation of a partnership's pages: one list, read by ``templates/base.html`` for every page.

Each area names the page it opens and the permission that shows it to a person: the same permission the page's
view checks (``tests/test_navigation.py`` holds them together). Related areas are grouped so the top row fits one
line at 1280 px for every role; a group opens at the first of its areas the person may see, and the areas of the
group the person is in are listed under the header. The list lives here, beside the URLconf, because it names every
feature app; core knows none of them (docs/architecture.md, ADR 0021).
"""
from dataclasses import dataclass

from django.urls import reverse
from rules.permissions import permissions

from safeguarding.accounts.rules import is_member


@dataclass(frozen=True)
class Area:
    text: str
    url_name: str
    permission: str
    exact: bool = False  # highlighted only on the page itself, not on the pages under it (the overview)


@dataclass(frozen=True)
class Group:
    text: str
    areas: tuple


NAVIGATION = (
    Group("Partnership", (
        Area("Overview", "partnership:home", "partnership.view", exact=True),
        Area("Partnership register", "partnership:register", "partnership.view"),
        Area("Action log", "actions:log", "actions.view"),
    )),
    Group("Dashboard", (Area("Dashboard", "dashboard:index", "partnership.view", exact=True),
                        Area("Which children go further", "dashboard:disproportionality", "partnership.view"),
                        Area("Demand forecast", "forecast:index", "forecast.view"))),
    Group("Assurance", (
        Area("Section 11 and audits", "audits:index", "audits.view"),
        Area("Case reviews", "reviews:index", "reviews.view"),
    )),
    Group("Registers", (
        Area("LADO", "lado:index", "lado.view_figures"),
        Area("Private fostering, training and surveys", "registers:index", "registers.view"),
    )),
    Group("Yearly reports", (Area("Yearly reports", "reports:index", "reports.view"),)),
    Group("Returns", (Area("Returns", "returns:list", "returns.import"),)),
    Group("Administration", (
        Area("People", "partnership:people", "partnership.view_people"),
        Area("Audit trail", "core:audit-trail", "core.view_audit_trail"),
        Area("Access log", "core:access-log", "core.view_audit_trail"),
    )),
)


def every_member_may(permission):
    """True when the permission is granted to every member: such a page can be offered without asking the
    database who the person is (the 500 page's navigation)."""
    return permissions[permission] is is_member


def navigation(request, partnership, *, quiet=False):
    """The top row and, for the group the page belongs to, its areas: lists of GOV.UK service navigation items.

    ``quiet`` (the 500 and 503 pages) offers only the areas every member may open, and asks nothing of the
    database."""
    if partnership is None:
        return [], None
    here = request.path if request is not None else ""
    top, section = [], None
    for group in NAVIGATION:
        items = []
        for area in group.areas:
            shown = every_member_may(area.permission) if quiet else request.user.has_perm(area.permission, partnership)
            if not shown:
                continue
            href = reverse(area.url_name, kwargs={"slug": partnership.slug})
            active = here == href if area.exact else here.startswith(href)
            items.append({"text": area.text, "href": href, "active": active})
        if not items:
            continue
        active = any(item["active"] for item in items)
        top.append({"text": group.text, "href": items[0]["href"], "active": active})
        if active and len(items) > 1:
            section = {"text": group.text, "items": items}
    return top, section
