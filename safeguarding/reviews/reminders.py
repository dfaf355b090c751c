"""E-mail reminders of actions due within a week or overdue, once a day at most per action, to the leads of
the owning organisation in the partnership (and the business unit). Run daily by
`manage.py send_action_reminders` from the scheduler (cron or a systemd timer; see the README)."""
import datetime
from collections import defaultdict

from django.core.mail import send_mail
from django.utils import timezone

from safeguarding.accounts.models import Membership
from safeguarding.accounts.roles import Role

from .models import Action

DUE_SOON_DAYS = 7


def due_for_reminder(today):
    return (Action.objects.filter(archived_at__isnull=True, status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS],
                                  due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
            .exclude(reminded_on=today).select_related("partnership", "organisation", "recommendation"))


def _recipients(action):
    leads = Membership.objects.filter(partnership=action.partnership, user__is_active=True).filter(
        role__in=[Role.AGENCY_LEAD, Role.PARTNER_LEAD], user__organisation=action.organisation)
    admins = Membership.objects.filter(partnership=action.partnership, role=Role.ADMIN, user__is_active=True)
    return sorted({m.user.email for m in list(leads.select_related("user")) + list(admins.select_related("user"))})


def send(today=None):
    """Send the day's reminders; returns (e-mails sent, actions reminded)."""
    today = today or timezone.localdate()
    by_person = defaultdict(list)
    actions = list(due_for_reminder(today))
    for action in actions:
        for email in _recipients(action):
            by_person[email].append(action)
    for email, items in by_person.items():
        lines = [f"- {a.description} ({a.organisation}, {a.owner}): due {a.due_on:%d %B %Y}"
                 + (" — OVERDUE" if a.due_on < today else "") + f"\n  from {a.recommendation}" for a in items]
        send_mail(f"{len(items)} safeguarding partnership action(s) due or overdue",
                  "These actions are due within a week or overdue:\n\n" + "\n".join(lines)
                  + "\n\nUpdate them in the partnership system's action log.", None, [email])
    Action.objects.filter(pk__in=[a.pk for a in actions]).update(reminded_on=today)
    return len(by_person), len(actions)
