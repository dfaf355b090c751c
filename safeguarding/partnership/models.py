"""The partnership register: partners, members, subgroups, chairs, meetings, actions, priorities, money."""
from django.db import models
from django.utils import timezone

from safeguarding.accounts.models import Organisation
from safeguarding.core.models import PartnershipRecord
from safeguarding.working_days import year_label


class PartnerAgency(PartnershipRecord):
    class Kind(models.TextChoices):
        STATUTORY = "statutory", "Statutory safeguarding partner"
        RELEVANT = "relevant", "Relevant agency"
        OTHER = "other", "Other member"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="partnerships")
    kind = models.CharField("Part in the partnership", max_length=20, choices=Kind.choices)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "organisation__name"]
        verbose_name_plural = "partner agencies"
        constraints = [models.UniqueConstraint(fields=["partnership", "organisation"], name="agency_once")]

    def __str__(self):
        return self.organisation.name


# The reference report's membership table has these four columns, by the member's sector.
MEMBERSHIP_COLUMNS = [
    ("Council", {Organisation.Sector.LOCAL_AUTHORITY, Organisation.Sector.ELECTED}),
    ("CCG/NHS", {Organisation.Sector.HEALTH}),
    ("Police", {Organisation.Sector.POLICE}),
    ("Other organisations", None),
]


class Subgroup(PartnershipRecord):
    class Status(models.TextChoices):
        ACTIVE = "active", "Meeting"
        PROPOSED = "proposed", "Planned"
        CLOSED = "closed", "Stood down"

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=20, blank=True)
    purpose = models.TextField(blank=True)
    terms_of_reference = models.TextField(blank=True)
    chair = models.CharField(max_length=200, blank=True, help_text="Who chairs it, for example the independent chair")
    joint_with = models.CharField(max_length=200, blank=True, help_text="Another board it is shared with, if any")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["status", "name"]

    def __str__(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


class BoardMember(PartnershipRecord):
    post = models.CharField("Job title", max_length=200)
    name = models.CharField("Name of the post holder", max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    subgroups = models.ManyToManyField(Subgroup, blank=True, related_name="members")
    order = models.PositiveIntegerField("Order in the membership table", default=100)

    class Meta:
        ordering = ["order", "post"]

    def __str__(self):
        return f"{self.post}, {self.organisation}"

    @property
    def membership_column(self):
        for heading, sectors in MEMBERSHIP_COLUMNS:
            if sectors is None or self.organisation.sector in sectors:
                return heading
        return MEMBERSHIP_COLUMNS[-1][0]


class ChairTerm(PartnershipRecord):
    class Arrangement(models.TextChoices):
        INDEPENDENT = "independent", "Independent chair"
        ROTATING = "rotating", "Chair rotating between the statutory partners"

    arrangement = models.CharField(max_length=20, choices=Arrangement.choices)
    holder = models.CharField("Chair", max_length=200)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     help_text="For a rotating chair, the partner holding the chair")
    starts_on = models.DateField("Start date")
    ends_on = models.DateField("End date", null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["starts_on"]

    def __str__(self):
        return f"{self.holder} ({self.get_arrangement_display().lower()}) from {self.starts_on:%d/%m/%Y}"

    def is_current(self, on=None):
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)


class Meeting(PartnershipRecord):
    title = models.CharField(max_length=200)
    held_on = models.DateField("Date")
    subgroup = models.ForeignKey(Subgroup, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings",
                                 help_text="Leave empty for a meeting of the whole partnership")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.title}, {self.held_on.day} {self.held_on:%B %Y}"


class Decision(PartnershipRecord):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    text = models.TextField("Decision")

    class Meta:
        ordering = ["-meeting__held_on", "id"]

    def __str__(self):
        return self.text[:80]


class Priority(PartnershipRecord):
    class Kind(models.TextChoices):
        PRIORITY = "priority", "Priority"
        THEME = "theme", "Cross-cutting theme"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRIORITY)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    joint_with = models.CharField(max_length=200, blank=True, help_text="For example the adults' board")
    starts_on = models.DateField("Date agreed")
    ends_on = models.DateField("Runs until (date)", null=True, blank=True)
    order = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["kind", "order", "title"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return self.title


def quarter_label(day):
    """Financial-year quarter, as partnerships speak of them: Q1 is April to June."""
    quarter = (day.month - 4) % 12 // 3 + 1
    start_year = day.year if day.month >= 4 else day.year - 1
    return f"Q{quarter} {year_label(start_year + 1)}"


class QuarterlyFocus(PartnershipRecord):
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="quarterly_focus")
    quarter_starts_on = models.DateField("First day of the quarter")
    focus = models.TextField("What the quarter concentrates on", blank=True)

    class Meta:
        ordering = ["quarter_starts_on"]
        verbose_name_plural = "quarterly focus"

    def __str__(self):
        return f"{quarter_label(self.quarter_starts_on)}: {self.priority}"

    @property
    def quarter(self):
        return quarter_label(self.quarter_starts_on)


class Contribution(PartnershipRecord):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    label = models.CharField("Contributor as shown in the report", max_length=200, blank=True,
                             help_text="For example Police (MOPAC); leave empty to use the organisation's name")
    financial_year = models.PositiveIntegerField(help_text="The year it starts in: 2020 for 2020-21")
    amount = models.DecimalField("Amount in pounds", max_digits=12, decimal_places=2)
    in_kind = models.TextField("Support in kind", blank=True)

    class Meta:
        ordering = ["-financial_year", "id"]

    def __str__(self):
        return f"{self.contributor} {year_label(self.financial_year + 1)}"

    @property
    def contributor(self):
        return self.label or self.organisation.name

    @property
    def year_label(self):
        return year_label(self.financial_year + 1)  # stored by the year it starts in


