from django.core.management.base import BaseCommand

from safeguarding.actions import reminders


class Command(BaseCommand):
    help = "E-mail the day's reminders of actions due within a week or overdue (run daily from the scheduler)."

    def handle(self, *args, **options):
        sent, actions = reminders.send()
        self.stdout.write(f"Sent {sent} e-mail(s) about {actions} action(s).")
