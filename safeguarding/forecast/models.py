from django.conf import settings
from django.db import models

from safeguarding.core.models import PartnershipRecord


class SavedScenario(PartnershipRecord):
    """A forecast's settings saved under a name, to compare side by side: the figures are worked out again from
    the store when shown (the same seed gives the same figures while the returns stay the same)."""

    name = models.CharField(max_length=100)
    base_year = models.PositiveIntegerField()
    window_years = models.PositiveSmallIntegerField(default=3)
    horizon_months = models.PositiveSmallIntegerField(default=24)
    # Percentage change in arrivals: -10 is "10% fewer children coming into care".
    lac_arrivals_change = models.SmallIntegerField("Change in children coming into care (%)", default=0)
    cp_arrivals_change = models.SmallIntegerField("Change in children starting a plan (%)", default=0)
    weekly_cost = models.JSONField(default=dict, blank=True, help_text="Placement type -> weekly cost (£)")
    seed = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="forecast_scenario_name_once")]

    def __str__(self):
        return self.name
