"""The smaller registers: private fostering, training and its impact, surveys, and the voice of children.

Every record belongs to one partnership and is archived, not deleted (``PartnershipRecord``), so each one,
down to a survey answer, has its partnership for the audit trail and its scoped queryset.
"""
import secrets

from django.db import models
from django.utils import timezone

from safeguarding.accounts.models import Organisation
from safeguarding.core.models import PartnershipRecord
from safeguarding.partnership.models import Priority


class PersonRole(models.TextChoices):
    """The role of someone answering a survey or attending training, as the partnership counts them."""

    FRONT_LINE = "front_line", "Front-line practitioner"
    MANAGER = "manager", "Team manager or supervisor"
    SENIOR = "senior", "Senior leader"
    DSL = "dsl", "Designated safeguarding lead"
    SUPPORT = "support", "Support or administrative staff"
    VOLUNTEER = "volunteer", "Volunteer"
    YOUNG_PERSON = "young_person", "Child or young person"
    PARENT = "parent", "Parent or carer"
    OTHER = "other", "Other"


STAFF_ROLES = [(value, label) for value, label in PersonRole.choices if value not in ("young_person", "parent")]


# --- Private fostering -------------------------------------------------------------------------------------

class PrivateFosteringArrangement(PartnershipRecord):
    """A child cared for by someone other than a parent or close relative for 28 days or more. The child is
    known here only by a reference: no names, no addresses."""

    class Notifier(models.TextChoices):
        PARENT = "parent", "A parent"
        CARER = "carer", "The private foster carer"
        SCHOOL = "school", "A school or college"
        HEALTH = "health", "Health"
        POLICE = "police", "Police"
        SOCIAL_CARE = "social_care", "Children's social care"
        LANGUAGE_SCHOOL = "language_school", "A language school or agency"
        OTHER = "other", "Someone else"

    class EndReason(models.TextChoices):
        HOME = "home", "Returned to a parent"
        AGE = "age", "Reached 16 (18 if disabled)"
        LOOKED_AFTER = "looked_after", "Became looked after"
        MOVED = "moved", "Moved out of the area"
        OTHER = "other", "Another reason"

    reference = models.CharField(max_length=30, help_text="A reference, never a name: for example PF-2021-004")
    notified_on = models.DateField("Date the notification was received")
    notified_by = models.CharField("Who notified", max_length=20, choices=Notifier.choices)
    began_on = models.DateField("Date the arrangement began",
                                help_text="For an arrangement notified before it starts, the planned start")
    ended_on = models.DateField("Date the arrangement ended", null=True, blank=True)
    end_reason = models.CharField("Why it ended", max_length=20, choices=EndReason.choices, blank=True)
    notes = models.TextField(blank=True, help_text="No names or addresses")

    class Meta:
        ordering = ["-notified_on", "reference"]
        constraints = [models.UniqueConstraint(fields=["partnership", "reference"], name="private_fostering_ref_once")]

    def __str__(self):
        return self.reference

    def is_open(self, on):
        from .fostering import is_open

        return is_open(self, on)


class PrivateFosteringVisit(PartnershipRecord):
    arrangement = models.ForeignKey(PrivateFosteringArrangement, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField("Date of the visit")
    seen_alone = models.BooleanField("Was the child seen alone?", default=True)
    notes = models.TextField(blank=True, help_text="No names or addresses")

    class Meta:
        ordering = ["visited_on", "id"]

    def __str__(self):
        return f"Visit on {self.visited_on:%d/%m/%Y} ({self.arrangement})"


# --- Training and its impact -------------------------------------------------------------------------------

class TrainingCourse(PartnershipRecord):
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="Priority it supports")
    provider = models.CharField("Who delivers it", max_length=200, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class TrainingSession(PartnershipRecord):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online, live"
        E_LEARNING = "e_learning", "E-learning"

    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField("Date of the session")
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.ONLINE)
    trainer = models.CharField(max_length=200, blank=True)
    places = models.PositiveIntegerField("Places offered", null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "id"]

    def __str__(self):
        return f"{self.course}, {self.held_on.day} {self.held_on:%B %Y}"


class Attendance(PartnershipRecord):
    """One practitioner booked on one session, with their agency and role."""

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="attendances")
    attendee = models.CharField("Name or reference", max_length=200, blank=True,
                                help_text="Only to match their three evaluations; leave empty if not needed")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="Agency")
    role = models.CharField(max_length=20, choices=STAFF_ROLES)
    attended = models.BooleanField("Did they attend?", default=True)

    class Meta:
        ordering = ["organisation__name", "id"]

    def __str__(self):
        who = self.attendee or f"{self.get_role_display()}, {self.organisation}"
        return f"{who} at {self.session}"


class Evaluation(PartnershipRecord):
    """One of the three evaluations of a practitioner's learning: before, straight after, and 6 to 8 weeks
    later with their manager. Scores run from 1 (low) to 10 (high)."""

    class Stage(models.TextChoices):
        BEFORE = "before", "Before the session"
        AFTER = "after", "Straight after the session"
        FOLLOW_UP = "follow_up", "6 to 8 weeks later, with their manager"

    attendance = models.ForeignKey(Attendance, on_delete=models.PROTECT, related_name="evaluations")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    completed_on = models.DateField("Date completed")
    confidence = models.PositiveSmallIntegerField(
        "Confidence score", help_text="How confident they feel in this area of practice, from 1 (not at all) to 10")
    practice = models.PositiveSmallIntegerField(
        "Practice score", help_text="How far their work with children and families uses what the course teaches, "
                                    "from 1 (not at all) to 10")
    comment = models.TextField("What they will do, or have done, differently", blank=True)

    class Meta:
        ordering = ["attendance", "stage"]

    def __str__(self):
        return f"{self.get_stage_display()}: {self.attendance}"


# --- Surveys -----------------------------------------------------------------------------------------------

def new_token():
    """The survey's public link: long and random, so it cannot be guessed."""
    return secrets.token_urlsafe(32)


class Survey(PartnershipRecord):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Audience(models.TextChoices):
        PRACTITIONERS = "practitioners", "Practitioners and partners"
        CHILDREN = "children", "Children and young people"
        FAMILIES = "families", "Parents and carers"
        EVERYONE = "everyone", "Anyone"

    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True, help_text="What people see above the questions")
    audience = models.CharField("Who it is for", max_length=20, choices=Audience.choices)
    asks_agency = models.BooleanField("Ask which agency they work for", default=True)
    asks_role = models.BooleanField("Ask their role", default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    opens_on = models.DateField("Opened on", null=True, blank=True, editable=False)
    closes_on = models.DateField("Closing date", null=True, blank=True,
                                 help_text="The last day answers are taken; leave empty to close it by hand")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    class Meta:
        ordering = ["-opens_on", "title"]

    def __str__(self):
        return self.title

    def accepting_answers(self, today=None):
        today = today or timezone.localdate()
        return (self.status == self.Status.OPEN and self.archived_at is None
                and (self.closes_on is None or today <= self.closes_on))

    def status_label(self, today=None):
        if self.status == self.Status.OPEN and not self.accepting_answers(today):
            return "Closed"  # past its closing date
        return self.get_status_display()


class Question(PartnershipRecord):
    class Kind(models.TextChoices):
        CHOICE = "choice", "Choose from a list"
        SCALE = "scale", "A scale, for example 1 to 5"
        TEXT = "text", "Free text"

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="questions")
    order = models.PositiveSmallIntegerField("Position in the survey", default=1)
    text = models.CharField("Question", max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    kind = models.CharField("Kind of answer", max_length=10, choices=Kind.choices)
    options = models.JSONField(default=list, blank=True)
    multiple = models.BooleanField("People may choose more than one", default=False)
    max_choices = models.PositiveSmallIntegerField("Most they may choose", null=True, blank=True)
    scale_max = models.PositiveSmallIntegerField("Top of the scale", default=5)
    low_label = models.CharField("What 1 means", max_length=100, blank=True)
    high_label = models.CharField("What the top of the scale means", max_length=100, blank=True)
    required = models.BooleanField("An answer is needed", default=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text

    @property
    def scale_values(self):
        return list(range(1, self.scale_max + 1))


class SurveyResponse(PartnershipRecord):
    """One person's answers, sent through the survey's link. No account, no name, no IP address."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    submitted_at = models.DateTimeField(default=timezone.now)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="Agency")
    role = models.CharField(max_length=20, choices=PersonRole.choices, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]

    def __str__(self):
        return f"Response {self.pk} to {self.survey}"


class Answer(PartnershipRecord):
    response = models.ForeignKey(SurveyResponse, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choices = models.JSONField(default=list, blank=True)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "question__order"]

    def __str__(self):
        return f"Answer to {self.question}"


class Quote(PartnershipRecord):
    """Words from a survey picked for the yearly report, trimmed if need be so nobody can be identified."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="quotes")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField("Quote as it will appear in the report")
    attribution = models.CharField("Who said it, without names", max_length=200, blank=True,
                                   help_text="For example a front-line practitioner in health")
    order = models.PositiveSmallIntegerField("Position among the quotes", default=1)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text[:80]


# --- The voice of children and families --------------------------------------------------------------------

class VoiceRecord(PartnershipRecord):
    """What children or families said, and what changed because of it ("you said, we did")."""

    class Source(models.TextChoices):
        SURVEY = "survey", "A survey"
        FORUM = "forum", "Young advisors or a youth forum"
        CONSULTATION = "consultation", "A consultation or focus group"
        AUDIT = "audit", "A case audit or review"
        FEEDBACK = "feedback", "Feedback to a service"
        OTHER = "other", "Somewhere else"

    class Who(models.TextChoices):
        CHILDREN = "children", "Children and young people"
        FAMILIES = "families", "Parents and carers"
        BOTH = "both", "Children and their families"

    title = models.CharField("Subject", max_length=200)
    heard_on = models.DateField("Date heard")
    who = models.CharField("Who spoke", max_length=20, choices=Who.choices)
    source = models.CharField("Where it was heard", max_length=20, choices=Source.choices)
    survey = models.ForeignKey(Survey, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               help_text="If it came from one of the partnership's surveys")
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="Priority it concerns")
    you_said = models.TextField("What they said")
    we_did = models.TextField("What changed because of it", blank=True,
                              help_text="Leave empty until something has changed")
    changed_on = models.DateField("Date of the change", null=True, blank=True)

    class Meta:
        ordering = ["-heard_on", "title"]

    def __str__(self):
        return self.title

    @property
    def acted_on(self):
        return bool(self.we_did.strip())
