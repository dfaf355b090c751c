"""What every action in the partnership shares, whatever it comes from (a meeting, a case review, a multi-agency
audit, an agency's Section 11 return): what is to be done, who owns it, when it is due, where it stands.

The base is abstract and every concrete action model lives here, except Section 11 planned actions, which stay on
the agency's return (ADR 0010) and share the base (ADR 0022). Open and overdue are defined once, here, so every
count of the action log agrees."""
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from safeguarding.accounts.models import Organisation
from safeguarding.core.models import PartnershipRecord, PartnershipRecordQuerySet


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=self.model.OPEN_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class PartnershipActionQuerySet(PartnershipRecordQuerySet, ActionQuerySet):
    """Actions that belong to one partnership: from its meetings, case reviews and audits."""


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
    reminded_on = models.DateField(null=True, blank=True, editable=False)  # reminders.py: once a day at most

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


class Recommendation(PartnershipRecord):
    """A recommendation from a review (local or national) or an audit. The source is any record of the
    partnership (a serious incident, a Section 11 cycle, a multi-agency audit …), or a national review named
    in ``source_title``."""

    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_title = models.CharField("Where it comes from", max_length=200,
                                    help_text="For example Child A (local CSPR) or a national review's title")
    number = models.PositiveIntegerField(default=1)
    text = models.TextField("Recommendation")
    made_on = models.DateField("Date made")

    class Meta:
        ordering = ["-made_on", "source_title", "number"]

    def __str__(self):
        return f"{self.source_title}, recommendation {self.number}"


class Action(PartnershipRecord, ActionBase):
    """An action taken on a recommendation from a case review, a multi-agency audit or a Section 11 cycle."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="actions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     help_text="The agency that owns the action")
    impact = models.TextField("Evidence of impact", blank=True,
                              help_text="What changed for children and families, and how the partnership knows")

    objects = PartnershipActionQuerySet.as_manager()

    class Meta(ActionBase.Meta):
        pass


class MeetingAction(PartnershipRecord, ActionBase):
    """An action agreed at a meeting of the partnership or a subgroup (or recorded without one)."""

    meeting = models.ForeignKey("partnership.Meeting", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="actions")
    owner_organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+")
    progress = models.TextField("Progress update", blank=True)

    objects = PartnershipActionQuerySet.as_manager()

    class Meta(ActionBase.Meta):
        pass
