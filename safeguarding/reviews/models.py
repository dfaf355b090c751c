"""Case reviews from serious incident notification to published review. Their recommendations and actions are
in the action log (safeguarding.actions).

Statutory clocks count England and Wales working days (safeguarding.working_days):
notification to the national Panel within 5 working days of the local authority becoming aware; the rapid
review within 15 working days of the notification; a local child safeguarding practice review within six
months of the decision; the final report to the Panel and the Secretary of State at least 7 working days
before publication; publication kept available for at least 12 months.
"""
from django.db import models
from django.utils import timezone

from safeguarding.core.models import PartnershipRecord


class SeriousIncident(PartnershipRecord):
    """A serious incident notification and the rapid review that follows it."""

    class Decision(models.TextChoices):
        PENDING = "", "Not decided yet"
        LOCAL_CSPR = "local_cspr", "A local child safeguarding practice review"
        NO_REVIEW = "no_review", "No local review: learning taken forward otherwise"
        NATIONAL = "national", "Referred for a national review"

    reference = models.CharField(max_length=30, help_text="For example SIN-2020-03; no names")
    summary = models.TextField("What happened", help_text="Enough to identify the case to the subgroup; no names")
    aware_on = models.DateField("Date the local authority became aware")
    notified_on = models.DateField("Date notified to the national Panel", null=True, blank=True)
    rapid_review_on = models.DateField("Date the rapid review was sent to the Panel", null=True, blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decision_on = models.DateField("Date of the decision", null=True, blank=True)
    panel_view = models.TextField("The Panel's view", blank=True)

    class Meta:
        ordering = ["-aware_on", "reference"]
        constraints = [models.UniqueConstraint(fields=["partnership", "reference"], name="incident_reference_once")]

    def __str__(self):
        return self.reference


class PracticeReview(PartnershipRecord):
    """A local child safeguarding practice review (CSPR), commissioned after a rapid review."""

    class NotPublished(models.TextChoices):
        PUBLISHED_OR_PENDING = "", "Not applicable"
        CAUSE_OF_DEATH = "cause_of_death", "Publication would identify the child (for example the cause of death)"
        CRIMINAL_PROCEEDINGS = "criminal_proceedings", "Delayed until criminal proceedings are over"
        OTHER = "other", "Another reason (give it in the notes)"

    incident = models.OneToOneField(SeriousIncident, on_delete=models.PROTECT, related_name="practice_review")
    title = models.CharField(max_length=200, help_text="As it will be known, for example Child A; no names")
    reviewer = models.CharField("Independent reviewer", max_length=200, blank=True)
    started_on = models.DateField("Date commissioned")
    final_report_on = models.DateField("Final report completed", null=True, blank=True)
    sent_to_panel_on = models.DateField("Final report sent to the Panel and the Secretary of State", null=True,
                                        blank=True)
    published_on = models.DateField("Date published", null=True, blank=True)
    published_url = models.URLField("Where it is published", blank=True)
    not_published = models.CharField("Why it is not published", max_length=30, choices=NotPublished.choices,
                                     blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_on"]

    def __str__(self):
        return self.title


class ReviewDocument(PartnershipRecord):
    """A document kept with a stage of a case review (terms of reference, rapid review, final report …)."""

    incident = models.ForeignKey(SeriousIncident, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="reviews/%Y/")
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.title
