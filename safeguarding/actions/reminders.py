"""E-mail reminders of actions due within a week or overdue, from every source of the action log (meetings,
case reviews, audits), once a day at most per action, to the leads of the owning organisation in the partnership
and to the business unit. A meeting action without an owning organisation goes to the business unit alone.
Run daily by `manage.py send_action_reminders` from the scheduler (cron or a systemd timer; see the README)."""
import datetime
from collections import defaultdict

from django.core.mail import send_mail
from django.utils import timezone

from safeguarding.accounts.models import Membership
from safeguarding.accounts.roles import Role

from .models import Action, MeetingAction

DUE_SOON_DAYS = 7


def _due(model, today, *related):
    return (model.objects.active().open().filter(due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
            .exclude(reminded_on=today).select_related("partnership", *related))


def due_for_reminder(today):
    """(action, owning organisation or None, where it comes from) for every action to remind about today."""
    found = [(a, a.organisation, a.recommendation) for a in _due(Action, today, "organisation", "recommendation")]
    found += [(a, a.owner_organisation, a.meeting or "a partnership action")
              for a in _due(MeetingAction, today, "owner_organisation", "meeting")]
    return found


def _recipients(action, organisation):
    admins = Membership.objects.filter(partnership=action.partnership, role=Role.ADMIN, user__is_active=True)
    people = list(admins.select_related("user"))
    if organisation is not None:
        people += Membership.objects.filter(partnership=action.partnership, user__is_active=True).filter(
            role__in=[Role.AGENCY_LEAD, Role.PARTNER_LEAD], user__organisation=organisation).select_related("user")
    return sorted({m.user.email for m in people})


def send(today=None):
    """Send the day's reminders; returns (e-mails sent, actions reminded)."""
    today = today or timezone.localdate()
    by_person = defaultdict(list)
    due = due_for_reminder(today)
    for item in due:
        for email in _recipients(item[0], item[1]):
            by_person[email].append(item)
    for email, items in by_person.items():
        lines = [f"- {a.description} ({', '.join(str(x) for x in (organisation, a.owner) if x)}): "
                 f"due {a.due_on:%d %B %Y}" + (" — OVERDUE" if a.due_on < today else "") + f"\n  from {source}"
                 for a, organisation, source in items]
        send_mail(f"{len(items)} safeguarding partnership action(s) due or overdue",
                  "These actions are due within a week or overdue:\n\n" + "\n".join(lines)
                  + "\n\nUpdate them in the partnership system's action log.", None, [email])
    for model in (Action, MeetingAction):
        model.objects.filter(pk__in=[a.pk for a, _, _ in due if isinstance(a, model)]).update(reminded_on=today)
    return len(by_person), len(due)
