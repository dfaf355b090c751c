from django.db import models
from django.utils import timezone


class IndicatorValue(models.Model):
    """A computed indicator, stored so pages and reports read it fast; recomputed after each import."""

    la_code = models.CharField(max_length=3, db_index=True)
    year = models.PositiveIntegerField(help_text="Collection year: 2021 for 2020-21")
    indicator = models.CharField(max_length=60)
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
