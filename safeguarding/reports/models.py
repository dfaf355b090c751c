"""The partnership's yearly report: one document per partnership, year and version.

Figures and tables are not stored here: they are read from the system's data each time a draft is shown.
What the report keeps is what people write (narrative per section), what they enter (local context
figures), figures worked out from the child-level store for the report (plans open on a given day, a
period's co-occurrence), the sign-offs, and, once published, the frozen document itself, so a published
report never changes.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone

from safeguarding.accounts.models import Organisation
from safeguarding.core.models import PartnershipRecord
from safeguarding.working_days import year_label

from .document import SECTIONS


class YearlyReport(PartnershipRecord):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Final, awaiting sign-off"
        SIGNED_OFF = "signed_off", "Signed off"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    class Comparators(models.TextChoices):
        AS_PUBLISHED = "as-published", "As published at the time (the figures typed from the report)"
        DFE = "dfe", "DfE's current figures"

    year = models.PositiveIntegerField(help_text="Collection year it reports on: 2021 for 2020-21")
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=200)
    comparators = models.CharField(max_length=20, choices=Comparators.choices, default=Comparators.DFE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    looking_ahead_demand = models.BooleanField(
        "Add “Looking ahead: demand”", default=False,
        help_text="The forecast of children looked after and on child protection plans, and how well it would "
                  "have done in past years")
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_by")
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", editable=False)
    published_html = models.TextField(blank=True, editable=False,
                                      help_text="The document as published; never changes afterwards")
    published_pdf = models.BinaryField(blank=True, editable=False)
    published_docx = models.BinaryField(blank=True, editable=False)
    # Publishing while Working Together elements or narratives are missing needs a reason; the reason and what
    # was missing stay with the report (and so in the audit trail's entry for its publication).
    published_incomplete_because = models.TextField(
        "Why it was published incomplete", blank=True, editable=False)
    missing_when_published = models.TextField("What was missing when it was published", blank=True, editable=False)

    class Meta:
        verbose_name = "yearly report"
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["partnership", "year", "version"], name="report_version_once")]

    def __str__(self):
        return f"{self.title} (version {self.version})" if self.version > 1 else self.title

    @property
    def year_label(self):
        return year_label(self.year)

    @property
    def editable(self):
        return self.status == self.Status.DRAFT

    @property
    def is_published(self):
        return self.status in (self.Status.PUBLISHED, self.Status.SUPERSEDED)


class PartOfReport(models.Model):
    """Something that belongs to a report, and so to the report's partnership (for the audit trail)."""

    class Meta:
        abstract = True

    @property
    def partnership_id(self):
        return self.report.partnership_id


class ReportText(PartOfReport):
    """The editable narrative of one section of one report."""

    report = models.ForeignKey(YearlyReport, on_delete=models.CASCADE, related_name="texts")
    section = models.CharField(max_length=40, choices=SECTIONS)
    text = models.TextField("Narrative", blank=True)
    updated_at = models.DateTimeField("Last changed", default=timezone.now)

    class Meta:
        verbose_name = "report narrative"
        constraints = [models.UniqueConstraint(fields=["report", "section"], name="report_text_once")]

    def __str__(self):
        from .document import SECTION_TITLES

        return f"“{SECTION_TITLES.get(self.section, self.section)}” in {self.report}"


class ContextFigure(PartOfReport):
    """A figure of the local context (demographics), entered by the business unit with its source."""

    report = models.ForeignKey(YearlyReport, on_delete=models.CASCADE, related_name="context_figures")
    label = models.CharField("What the figure is", max_length=300,
                             help_text="For example Children and young people aged 0 to 19")
    value = models.CharField("Figure", max_length=50, help_text="As it should be shown, for example 70,800 or 23.2%")
    source = models.CharField(max_length=300, blank=True, help_text="Where it comes from, for example ONS mid-2020")
    order = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "local context figure"
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.label}: {self.value}"


class ReportFigure(PartOfReport):
    """A figure the report quotes beyond the core table, worked out by the indicator engine from the
    child-level store when it is added, and kept with the question that produced it."""

    class Kind(models.TextChoices):
        ON_DAY = "on_day", "Open on a day (for example plans open on 31 December)"
        CO_OCCURRENCE = "co_occurrence", "Children whose assessments found a group of factors, and how many had another"

    report = models.ForeignKey(YearlyReport, on_delete=models.CASCADE, related_name="figures")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    indicator = models.CharField(max_length=120, blank=True, help_text="For a figure on a day: the stock indicator")
    factor_group = models.CharField(max_length=100, blank=True, help_text="For co-occurrence: the factor group")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(help_text="The day counted, or the last day of the period")
    count = models.IntegerField()
    of_which = models.IntegerField(null=True, blank=True, help_text="Co-occurrence: children with another factor")
    population = models.IntegerField(null=True, blank=True)
    population_vintage = models.CharField(max_length=200, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "figure from the returns"
        ordering = ["kind", "ends_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.count}"


class SignOff(PartOfReport):
    """A statutory partner lead's sign-off of the final report, with their name as it was that day."""

    report = models.ForeignKey(YearlyReport, on_delete=models.CASCADE, related_name="sign_offs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "sign-off"
        ordering = ["signed_at"]
        constraints = [models.UniqueConstraint(fields=["report", "organisation"], name="one_sign_off_per_partner")]

    def __str__(self):
        from safeguarding.core.formats import format_date

        return f"{self.name}, {self.organisation} ({format_date(self.signed_at)})"
