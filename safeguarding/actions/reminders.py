"""E-mail reminders of actions due within a week or overdue, from every source of the action log (meetings,
case reviews, audits) and the actions agencies plan in their submitted Section 11 returns, once a day at most per
action, to the leads of the owning organisation in the partnership and to the business unit. A meeting action
without an owning organisation goes to the business unit alone; a planned action goes to the agency's leads and the
business unit of every partnership its return is shared with.
Run daily by `manage.py send_action_reminders` from the scheduler (cron or a systemd timer; see the README)."""
import datetime
from collections import defaultdict

from django.apps import apps
from django.core.mail import send_mail
from django.utils import timezone

from safeguarding.accounts.models import Membership
from safeguarding.accounts.roles import Role

from .models import Action, MeetingAction

# Section 11 planned actions are the audits app's (ADR 0010), which the action log may not import (ADR 0022):
# they are reached through the app registry.
PLANNED = ("audits", "PlannedAction")

DUE_SOON_DAYS = 7


def _due(actions, today):
    return actions.open().filter(due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)).exclude(reminded_on=today)


def due_for_reminder(today):
    """(action, owning organisation or None, where it comes from, the partnerships it concerns) for every action
    to remind about today."""
    found = [(a, a.organisation, a.recommendation, [a.partnership]) for a in _due(
        Action.objects.active(), today).select_related("partnership", "organisation", "recommendation")]
    found += [(a, a.owner_organisation, a.meeting or "a partnership action", [a.partnership]) for a in _due(
        MeetingAction.objects.active(), today).select_related("partnership", "owner_organisation", "meeting")]
    planned = apps.get_model(*PLANNED).objects.filter(section11_return__status="submitted")
    for a in _due(planned, today).select_related("section11_return__organisation").prefetch_related(
            "section11_return__cycle_returns__partnership"):
        partnerships = {c.partnership for c in a.section11_return.cycle_returns.all() if c.archived_at is None}
        if partnerships:
            organisation = a.section11_return.organisation
            found.append((a, organisation, f"the Section 11 return of {organisation}, standard {a.standard_key}",
                          sorted(partnerships, key=lambda p: p.pk)))
    return found


def _recipients(partnerships, organisation):
    people = Membership.objects.filter(partnership__in=partnerships, user__is_active=True)
    wanted = people.filter(role=Role.ADMIN)
    if organisation is not None:
        wanted = wanted | people.filter(role__in=[Role.AGENCY_LEAD, Role.PARTNER_LEAD], user__organisation=organisation)
    return sorted(set(wanted.values_list("user__email", flat=True)))


def send(today=None):
    """Send the day's reminders; returns (e-mails sent, actions reminded)."""
    today = today or timezone.localdate()
    by_person = defaultdict(list)
    due = due_for_reminder(today)
    for item in due:
        for email in _recipients(item[3], item[1]):
            by_person[email].append(item)
    for email, items in by_person.items():
        lines = [f"- {a.description} ({', '.join(str(x) for x in (organisation, a.owner) if x)}): "
                 f"due {a.due_on:%d %B %Y}" + (" — OVERDUE" if a.due_on < today else "") + f"\n  from {source}"
                 for a, organisation, source, _ in items]
        send_mail(f"{len(items)} safeguarding partnership action(s) due or overdue",
                  "These actions are due within a week or overdue:\n\n" + "\n".join(lines)
                  + "\n\nUpdate them in the partnership system's action log.", None, [email])
    for model in (Action, MeetingAction, apps.get_model(*PLANNED)):
        model.objects.filter(pk__in=[a.pk for a, *_ in due if isinstance(a, model)]).update(reminded_on=today)
    return len(by_person), len(due)
