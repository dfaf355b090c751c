"""The action log a person sees, from every source, and the one open and one overdue count that every page
showing counts uses (Overview, Case reviews, the Action log itself).

Meeting actions and the actions on review and audit recommendations are read together here; Section 11
planned actions stay with the agency's return and are followed on the cycle's page (ADR 0010, ADR 0022)."""
from dataclasses import dataclass

from django.urls import reverse

from safeguarding.accounts.roles import Role
from .models import Action, MeetingAction

# Roles that see every organisation's actions; an agency lead with none of them sees its own organisation's.
SEE_ALL = {Role.ADMIN, Role.CASE_REVIEW, Role.PARTNER_LEAD, Role.SCRUTINEER, Role.ANALYST, Role.LADO}


def _own_organisation_only(partnership, user):
    roles = user.roles_in(partnership)
    return Role.AGENCY_LEAD in roles and not roles & SEE_ALL


def recommendation_actions(partnership, user):
    """Actions on recommendations from case reviews and multi-agency audits."""
    found = Action.objects.for_partnership(partnership).active().select_related("recommendation", "organisation")
    if _own_organisation_only(partnership, user):
        found = found.filter(organisation_id=user.organisation_id)
    return found


def meeting_actions(partnership, user):
    """Actions agreed at the partnership's meetings."""
    found = MeetingAction.objects.for_partnership(partnership).active().select_related("meeting", "owner_organisation")
    if _own_organisation_only(partnership, user):
        found = found.filter(owner_organisation_id=user.organisation_id)
    return found


@dataclass(frozen=True)
class Counts:
    open: int
    overdue: int


def counts(partnership, user):
    """The action log's open and overdue counts, the same wherever they are shown."""
    sources = (meeting_actions(partnership, user), recommendation_actions(partnership, user))
    return Counts(open=sum(s.open().count() for s in sources), overdue=sum(s.overdue().count() for s in sources))


@dataclass(frozen=True)
class Row:
    """One line of the action log, whatever its source."""

    action: object
    source: str  # the meeting or the recommendation, in words
    organisation: object
    edit_url: str
    detail: str  # progress (meeting actions) or evidence of impact (review and audit actions)


def rows(partnership, user, show):
    """The action log's lines for show = "open", "overdue" or "all", by due date."""
    slug = partnership.slug
    found = []
    for source in (meeting_actions(partnership, user), recommendation_actions(partnership, user)):
        if show == "open":
            source = source.open()
        elif show == "overdue":
            source = source.overdue()
        for a in source:
            if isinstance(a, MeetingAction):
                found.append(Row(a, str(a.meeting) if a.meeting else "Partnership action", a.owner_organisation,
                                 reverse("partnership:record", kwargs={"slug": slug, "section": "actions",
                                                                       "pk": a.pk}), a.progress))
            else:
                found.append(Row(a, str(a.recommendation), a.organisation,
                                 reverse("actions:action-edit", kwargs={"slug": slug, "pk": a.pk}), a.impact))
    return sorted(found, key=lambda row: (row.action.due_on, row.source, row.action.pk))
