from django.db import models
from django.utils import timezone

from safeguarding.core.models import PartnershipRecord


class IndicatorValue(models.Model):
    """A computed indicator, stored so pages and reports read it fast; recomputed after each import."""

    la_code = models.CharField(max_length=3, db_index=True)
    year = models.PositiveIntegerField(help_text="Collection year: 2021 for 2020-21")
    indicator = models.CharField(max_length=120)
    numerator = models.IntegerField(null=True, blank=True)
    denominator = models.IntegerField(null=True, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True,
                                help_text="The count, or the percentage for a percentage indicator")
    rate = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True,
                               help_text="Per 10,000 children aged 0-17, unrounded")
    population = models.IntegerField(null=True, blank=True)
    population_vintage = models.CharField(max_length=200, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)
    returns = models.JSONField(default=list, help_text="The returns (kind, year, SHA-256) the value came from")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["la_code", "year", "indicator"], name="one_value_per_year")]
        ordering = ["la_code", "year", "indicator"]

    def __str__(self):
        return f"{self.la_code} {self.year} {self.indicator} = {self.value}"


class FactorGroup(PartnershipRecord):
    """Assessment factors grouped under one of the partnership's priorities (configurable per partnership,
    in the partnership register)."""

    name = models.CharField(max_length=100, help_text="For example Extra-familial harm")
    factors = models.JSONField(help_text="CIN census assessment factor codes, e.g. [\"11A\", \"13A\"]")
    order = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["partnership", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="factor_group_once")]

    def __str__(self):
        return self.name


# The groups the issue names, offered to every partnership until it sets its own.
DEFAULT_FACTOR_GROUPS = [
    ("Domestic abuse", ["3A", "3B", "3C"]),
    ("Extra-familial harm", ["10A", "11A", "12A", "13A", "24A"]),
    ("Mental health", ["4A", "4B", "4C"]),
    ("Neglect, alcohol and drug misuse", ["16A", "1A", "1B", "1C", "2A", "2B", "2C"]),
]
# "Another vulnerability" in the report's extra-familial harm figure.
OTHER_VULNERABILITIES = ["16A", "3A", "3B", "3C", "1A", "1B", "1C", "2A", "2B", "2C", "4A", "4B", "4C"]
