"""What every action in the partnership shares, whatever it comes from (a meeting, a case review, a multi-agency
audit, an agency's Section 11 return): what is to be done, who owns it, when it is due, where it stands.

The base is abstract: each source keeps its own table, because each hangs off a different record (ADR 0019).
Open and overdue are defined here once, so every count of the action log agrees."""
from django.db import models
from django.utils import timezone


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=self.model.OPEN_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class ActionBase(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    # Statuses in which the action still has to be done (and so can be overdue).
    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    description = models.TextField("Action")
    owner = models.CharField(max_length=200, help_text="The post responsible, for example Head of Safeguarding")
    due_on = models.DateField("Due date")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField("Date completed", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.description[:80]

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.due_on < timezone.localdate()
