"""Assurance: Section 11 audits, multi-agency audits and escalations (professional disagreements).

Section 11. A partnership configures a *framework* (standards with questions and guidance, and the rating
scale it uses) and runs *cycles* of it (open and due dates, the agencies asked). An agency's *return* belongs
to the agency (the organisation), not to one partnership: an agency working with several partnerships on the
system completes one return and shares it with each. A partnership sees a return only through its own
*cycle return* (the link between its cycle and the agency's return), which also carries that partnership's
moderation: moderated ratings beside the agency's own, themes, challenges.
"""
from dataclasses import dataclass

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from safeguarding import working_days
from safeguarding.accounts.models import Organisation
from safeguarding.actions.models import ActionBase, ActionQuerySet
from safeguarding.core.models import PartnershipRecord
from safeguarding.working_days import financial_year, year_label


@dataclass(frozen=True)
class Rating:
    value: str
    label: str
    colour: str  # GOV.UK tag colour; the label always says the same in words
    short: str = ""  # for the matrix, where the full labels are given in a key

    @property
    def short_label(self):
        return self.short or self.label


class Scale(models.TextChoices):
    NOT_PARTLY_FULLY = "not_partly_fully", "1 to 3: not met, partly met, fully met"
    ZERO_TO_THREE = "zero_to_three", "0 to 3: from nothing in place to fully in place"
    FOUR_POINT = "four_point", "Four points: inadequate, requires improvement, good, outstanding"
    RAG = "rag", "Red, amber or green"


# Worst first: the order counts in the matrix summary and the Excel export.
SCALES = {
    Scale.NOT_PARTLY_FULLY: (Rating("1", "1: not met", "red", "1"), Rating("2", "2: partly met", "yellow", "2"),
                             Rating("3", "3: fully met", "green", "3")),
    Scale.ZERO_TO_THREE: (Rating("0", "0: nothing in place", "red", "0"), Rating("1", "1: started", "orange", "1"),
                          Rating("2", "2: mostly in place", "yellow", "2"),
                          Rating("3", "3: fully in place and effective", "green", "3")),
    Scale.FOUR_POINT: (Rating("1", "Inadequate", "red"), Rating("2", "Requires improvement", "yellow", "RI"),
                       Rating("3", "Good", "green"), Rating("4", "Outstanding", "turquoise")),
    Scale.RAG: (Rating("red", "Red: not met", "red", "Red"), Rating("amber", "Amber: partly met", "yellow", "Amber"),
                Rating("green", "Green: met", "green", "Green")),
}


def rating_of(scale, value):
    return next((r for r in SCALES[scale] if r.value == value), None)


# ---------------------------------------------------------------------------------------------- Section 11


class Framework(PartnershipRecord):
    name = models.CharField(max_length=200, help_text="For example Section 11 self-assessment (London format)")
    description = models.TextField(blank=True, help_text="What the framework is for and how agencies use it")
    scale = models.CharField("Rating scale", max_length=20, choices=Scale.choices)
    starting_set = models.CharField(max_length=30, blank=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def ratings(self):
        return SCALES[self.scale]

    def standards_in_order(self):
        return self.standards.filter(archived_at__isnull=True).order_by("number", "id")


class Standard(PartnershipRecord):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="standards")
    # Stable across partnerships that start from the same set: answers are matched to standards by key.
    key = models.SlugField(max_length=60, editable=False)
    number = models.PositiveIntegerField(default=1, help_text="Its place in the framework")
    title = models.CharField(max_length=200)
    description = models.TextField("What good looks like", blank=True)
    questions = models.TextField(blank=True, help_text="One question on each line")
    guidance = models.TextField("Guidance on evidence", blank=True)

    class Meta:
        ordering = ["number", "id"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="standard_key_once")]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def question_list(self):
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class Cycle(PartnershipRecord):
    title = models.CharField(max_length=200, help_text="For example Section 11 audit 2020-21")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="cycles")
    year = models.PositiveIntegerField("Financial year", help_text="The year it ends in: 2021 for 2020-21")
    opens_on = models.DateField("Opening date")
    due_on = models.DateField("Date returns are due")
    organisations = models.ManyToManyField(Organisation, related_name="+", verbose_name="Agencies asked for a return")
    themes = models.TextField("Themes to look for", blank=True,
                              help_text="One on each line. Moderators mark which themes each return raises")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-year", "-opens_on"]

    def __str__(self):
        return self.title

    @property
    def year_label(self):
        return year_label(self.year)

    @property
    def theme_list(self):
        return [line.strip() for line in self.themes.splitlines() if line.strip()]

    def is_open(self, today=None):
        return self.opens_on <= (today or timezone.localdate())

    def is_past_due(self, today=None):
        return self.due_on < (today or timezone.localdate())


class Section11Return(models.Model):
    """An agency's self-assessment. Owned by the organisation; partnerships reach it through CycleReturn."""

    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        SUBMITTED = "submitted", "Submitted"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # The framework it answers: its standards' keys and its rating scale.
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField("Summary for the partnership", blank=True)
    started_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"Section 11 return of {self.organisation}, started {self.started_at:%d/%m/%Y}"

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED


class ReturnAnswer(models.Model):
    section11_return = models.ForeignKey(Section11Return, on_delete=models.CASCADE, related_name="answers")
    standard_key = models.SlugField(max_length=60)
    rating = models.CharField("Self-rating", max_length=10, blank=True)
    evidence = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["section11_return", "standard_key"], name="answer_once")]

    def __str__(self):
        return f"{self.section11_return.organisation}: {self.standard_key}"


class EvidenceFile(models.Model):
    section11_return = models.ForeignKey(Section11Return, on_delete=models.CASCADE, related_name="files")
    standard_key = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    # Stored with the default storage (not under any public URL); downloaded through a checked view.
    file = models.FileField(upload_to="section11/%Y/")
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.title


class PlannedAction(ActionBase):
    """An action the agency plans in its return, followed to completion. It belongs to the return (and so to
    the agency), not to one partnership: every partnership the return is shared with sees its progress."""

    class Status(models.TextChoices):
        OPEN = "open", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CARRIED_FORWARD = "carried_forward", "Carried forward to the next return"

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    section11_return = models.ForeignKey(Section11Return, on_delete=models.CASCADE, related_name="actions")
    standard_key = models.SlugField("Standard", max_length=60)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    progress = models.TextField("Progress", blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta(ActionBase.Meta):
        pass


class CycleReturn(PartnershipRecord):
    """A partnership's view of an agency's return in one of its cycles, with the partnership's moderation."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="cycle_returns")
    section11_return = models.ForeignKey(Section11Return, on_delete=models.PROTECT, related_name="cycle_returns")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")  # the return's
    themes = models.JSONField("Themes the return raises", default=list, blank=True)
    moderation_summary = models.TextField(blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["organisation__name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "organisation"], name="one_return_per_agency")]

    def __str__(self):
        return f"{self.organisation}: {self.cycle}"

    @property
    def is_moderated(self):
        return self.moderated_at is not None

    def status(self, today=None):
        """One word for lists: moderated, submitted, overdue or in progress."""
        if self.is_moderated:
            return "moderated"
        if self.section11_return.is_submitted:
            return "submitted"
        return "overdue" if self.cycle.is_past_due(today) else "in progress"


class ModeratedRating(PartnershipRecord):
    cycle_return = models.ForeignKey(CycleReturn, on_delete=models.CASCADE, related_name="moderated_ratings")
    standard_key = models.SlugField(max_length=60)
    rating = models.CharField("Moderated rating", max_length=10, blank=True)
    comment = models.TextField("Moderator's comment", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle_return", "standard_key"], name="moderated_once")]

    def __str__(self):
        return f"{self.cycle_return}: {self.standard_key}"


class Challenge(PartnershipRecord):
    """A challenge the partnership puts to an agency about its return, the agency's answer and its close."""

    cycle_return = models.ForeignKey(CycleReturn, on_delete=models.PROTECT, related_name="challenges")
    standard_key = models.SlugField("Standard", max_length=60, blank=True)
    raised_on = models.DateField("Date raised")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    text = models.TextField("Challenge")
    response = models.TextField("The agency's response", blank=True)
    responded_on = models.DateField(null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    resolved_on = models.DateField("Date resolved", null=True, blank=True)

    class Meta:
        ordering = ["raised_on", "id"]

    def __str__(self):
        return f"Challenge to {self.cycle_return.organisation}, {self.raised_on:%d/%m/%Y}"

    @property
    def state(self):
        if self.resolved_on:
            return "resolved"
        return "answered" if self.responded_on else "waiting for the agency"


# ------------------------------------------------------------------------------------ Multi-agency audits

pseudonymised_reference = RegexValidator(
    r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9/-]{0,29}$",
    "Enter a pseudonymised reference such as DA-03: letters, numbers and hyphens, with at least one number")


class MultiAgencyAudit(PartnershipRecord):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=200, help_text="For example domestic abuse, or extra-familial harm")
    question = models.TextField("What the audit asks", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    started_on = models.DateField("Start date")
    completed_on = models.DateField("Date reported", null=True, blank=True)
    organisations = models.ManyToManyField(Organisation, related_name="+", verbose_name="Agencies taking part")
    learning = models.TextField("What the partnership learned", blank=True)

    class Meta:
        ordering = ["-started_on", "title"]

    def __str__(self):
        return self.title

    @property
    def year(self):
        return financial_year(self.completed_on or self.started_on)


class AuditedCase(PartnershipRecord):
    """A case sampled for a multi-agency audit: a pseudonymised reference and nothing else."""

    audit = models.ForeignKey(MultiAgencyAudit, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=30, validators=[pseudonymised_reference],
                                 help_text="A pseudonymised reference such as DA-03; never a name or case number")

    class Meta:
        ordering = ["reference"]
        constraints = [models.UniqueConstraint(fields=["audit", "reference"], name="case_once_per_audit")]

    def __str__(self):
        return self.reference


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


GRADE_COLOURS = {"outstanding": "turquoise", "good": "green", "requires_improvement": "yellow",
                 "inadequate": "red"}


class AgencyFinding(PartnershipRecord):
    audit = models.ForeignKey(MultiAgencyAudit, on_delete=models.PROTECT, related_name="findings")
    case = models.ForeignKey(AuditedCase, on_delete=models.PROTECT, related_name="findings")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="Agency")
    grade = models.CharField("Grading of the agency's practice", max_length=30, choices=Grade.choices)
    findings = models.TextField("What the agency found")

    class Meta:
        ordering = ["case__reference", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["case", "organisation"], name="one_finding_per_agency")]

    def __str__(self):
        return f"{self.organisation}, {self.case}"


# -------------------------------------------------------------------------------------------- Escalations


class Escalation(PartnershipRecord):
    """A professional disagreement taken through the partnership's escalation policy."""

    class Theme(models.TextChoices):
        THRESHOLD = "threshold", "Thresholds: a referral or request for help not accepted"
        ASSESSMENT = "assessment", "Assessment or section 47 decisions"
        PLANNING = "planning", "Child protection conference or plan decisions"
        CLOSURE = "closure", "Closing a case or stepping down"
        INFORMATION = "information", "Information sharing"
        ATTENDANCE = "attendance", "Attendance at meetings"
        OTHER = "other", "Something else"

    class Outcome(models.TextChoices):
        PENDING = "", "Not resolved yet"
        AGREED = "agreed", "Resolved by agreement"
        UPHELD = "upheld", "Concern upheld: the decision changed"
        NOT_UPHELD = "not_upheld", "Concern not upheld: the decision stood"
        WITHDRAWN = "withdrawn", "Withdrawn"

    STAGES = {1: "Practitioner to practitioner", 2: "Between managers", 3: "Senior managers or heads of service",
              4: "The partnership (business unit, chair or statutory partners)"}

    reference = models.CharField(max_length=30, validators=[pseudonymised_reference],
                                 help_text="A pseudonymised reference such as ESC-2021-04; no names")
    raised_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="Agency raising the concern")
    raised_by_role = models.CharField("Role of the person raising it", max_length=200, blank=True,
                                      help_text="For example Health visitor; no names")
    about = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                              verbose_name="Agency the concern is about")
    theme = models.CharField(max_length=20, choices=Theme.choices)
    concern = models.TextField("What the disagreement is about", help_text="No names")
    raised_on = models.DateField("Date raised (stage 1)")
    stage_2_on = models.DateField("Date escalated to stage 2", null=True, blank=True)
    stage_3_on = models.DateField("Date escalated to stage 3", null=True, blank=True)
    stage_4_on = models.DateField("Date escalated to stage 4", null=True, blank=True)
    resolved_on = models.DateField("Date resolved", null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    resolution = models.TextField("How it was resolved", blank=True)

    class Meta:
        ordering = ["-raised_on", "reference"]
        constraints = [models.UniqueConstraint(fields=["partnership", "reference"], name="escalation_reference_once")]

    def __str__(self):
        return self.reference

    @property
    def stage_dates(self):
        """[(stage, date reached)] for the stages reached, in order."""
        dates = [self.raised_on, self.stage_2_on, self.stage_3_on, self.stage_4_on]
        return [(n, day) for n, day in enumerate(dates, start=1) if day]

    @property
    def stage(self):
        return self.stage_dates[-1][0]

    @property
    def stage_name(self):
        return self.STAGES[self.stage]

    @property
    def working_days_to_resolve(self):
        """England and Wales working days from the day it was raised to the day it was resolved."""
        if not self.resolved_on:
            return None
        return working_days.working_days_between(self.raised_on, self.resolved_on)

    def working_days_open(self, today=None):
        return working_days.working_days_between(self.raised_on, self.resolved_on or today or timezone.localdate())

    def stage_durations(self, today=None):
        """[(stage, reached on, working days at that stage)]: each stage lasts until the next or the end."""
        reached = self.stage_dates
        ends = [day for _, day in reached[1:]] + [self.resolved_on or today or timezone.localdate()]
        return [(n, day, working_days.working_days_between(day, end)) for (n, day), end in zip(reached, ends)]
