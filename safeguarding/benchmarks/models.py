"""Published figures the indicator engine compares a partnership's own figures against.

Every row says where it came from (``source``) and which edition of that source (``vintage``): an import
replaces exactly the rows of its own source and vintage, so a later release sits beside an earlier one
and a figure typed from a report never overwrites the DfE's current file. Values are stored as
published, unrounded; a withheld figure keeps its marker (``c``, ``x``, ``z``, ``u``, ``low``, ``..``, ``-``)
and has no value, so it can never be mistaken for zero.
"""
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Level(models.TextChoices):
    LA = "la", "Local authority"
    REGION = "region", "Region"
    INNER_OUTER_LONDON = "inner_outer_london", "Inner or Outer London"
    ENGLAND = "england", "England"
    # An average over a local authority's statistical neighbours as somebody published it (a report,
    # LAIT's SN column): its code is the local authority whose neighbours they are.
    SN = "sn", "Statistical neighbours (as published)"


class Measure(models.TextChoices):
    COUNT = "count", "Count"
    RATE = "rate", "Rate per 10,000 children aged 0 to 17"
    PERCENT = "percent", "Percentage"
    # Anything else a source publishes (full-time equivalents, average caseloads, scores).
    VALUE = "value", "Other figure"


class BenchmarkValue(models.Model):
    indicator = models.CharField(max_length=80, help_text="Indicator code, e.g. referrals, cpp_open, factor_3B")
    year = models.PositiveSmallIntegerField(help_text="Collection year: 2021 means 1 April 2020 to 31 March 2021")
    period = models.CharField(max_length=40, blank=True, help_text="The period as the source wrote it")
    level = models.CharField(max_length=20, choices=Level.choices)
    code = models.CharField(max_length=12, help_text="Old three-digit LA code, or the ONS code of the area")
    name = models.CharField(max_length=100, blank=True)
    measure = models.CharField(max_length=10, choices=Measure.choices)
    value = models.DecimalField(max_digits=28, decimal_places=10, null=True, blank=True)
    suppressed = models.CharField(max_length=8, blank=True,
                                  help_text="The source's marker when it withheld the figure (c, x, z, u, low ...)")
    source = models.CharField(max_length=120)
    vintage = models.CharField(max_length=120, help_text="Edition of the source, e.g. '2025 release'")
    population_vintage = models.CharField(max_length=160, blank=True,
                                          help_text="For rates: the population estimate used, where known")
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "vintage", "indicator", "year", "level", "code", "measure"],
                                    name="benchmark_value_unique"),
            models.CheckConstraint(
                condition=(Q(value__isnull=True) & ~Q(suppressed="")) | (Q(value__isnull=False) & Q(suppressed="")),
                name="benchmark_value_or_marker"),
        ]
        indexes = [models.Index(fields=["indicator", "year", "level", "code", "measure"], name="benchmark_lookup")]

    def __str__(self):
        shown = self.suppressed if self.value is None else self.value
        return f"{self.indicator} {self.year} {self.level}:{self.code} {self.measure} = {shown} ({self.source})"


class Population(models.Model):
    year = models.PositiveSmallIntegerField(help_text="Mid-year of the estimate: 2020 means mid-2020")
    level = models.CharField(max_length=20, choices=Level.choices)
    code = models.CharField(max_length=12)
    name = models.CharField(max_length=100, blank=True)
    age_group = models.CharField(max_length=10, default="0-17")
    value = models.PositiveIntegerField()
    source = models.CharField(max_length=120)
    vintage = models.CharField(max_length=120)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "vintage", "year", "level", "code", "age_group"],
                                               name="population_unique")]
        indexes = [models.Index(fields=["code", "year"], name="population_lookup")]

    def __str__(self):
        return f"{self.name or self.code} {self.age_group} mid-{self.year}: {self.value} ({self.vintage})"


class StatisticalNeighbour(models.Model):
    model = models.CharField(max_length=4, help_text="Year of the DfE statistical neighbour model: 2021 or 2025")
    la_code = models.CharField(max_length=3)
    neighbour_code = models.CharField(max_length=3)
    rank = models.PositiveSmallIntegerField(help_text="1 is the closest")
    closeness = models.CharField(max_length=40, blank=True, help_text="As published, e.g. 'Very close'")
    source = models.CharField(max_length=120)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["model", "la_code", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["model", "la_code", "rank"], name="neighbour_rank_unique"),
            models.UniqueConstraint(fields=["model", "la_code", "neighbour_code"], name="neighbour_unique"),
            models.CheckConstraint(condition=Q(rank__gte=1) & Q(rank__lte=10), name="neighbour_rank_1_to_10"),
        ]

    def __str__(self):
        return f"{self.la_code} neighbour {self.rank} ({self.model} model): {self.neighbour_code}"


class LocalAuthority(models.Model):
    """Where an authority sits, from whichever imported file last said so (EES, LAIT, SN groupings)."""

    code = models.CharField(max_length=3, unique=True, help_text="Old three-digit DfE code, e.g. 210")
    name = models.CharField(max_length=100)
    new_code = models.CharField(max_length=9, blank=True, help_text="ONS code, e.g. E09000028")
    region_code = models.CharField(max_length=9, blank=True, help_text="e.g. E12000007")
    region_name = models.CharField(max_length=60, blank=True, help_text="e.g. London")
    london_code = models.CharField(max_length=9, blank=True, help_text="E13000001 or E13000002 in London")
    london_name = models.CharField(max_length=20, blank=True, help_text="Inner London or Outer London")
    source = models.CharField(max_length=120, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "local authorities"

    def __str__(self):
        return f"{self.code} {self.name}"


class BenchmarkImport(models.Model):
    """One file loaded by import_benchmarks: what it was recognised as and what it brought."""

    file_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    kind = models.CharField(max_length=60)
    source = models.CharField(max_length=120)
    vintage = models.CharField(max_length=120, blank=True)
    counts = models.JSONField(default=dict)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.kind} from {self.file_name} ({self.imported_at:%Y-%m-%d})"
