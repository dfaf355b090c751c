from rest_framework import serializers

from safeguarding.benchmarks.models import BenchmarkValue
from safeguarding.indicators.models import IndicatorValue
from safeguarding.core import disclosure


class IndicatorValueSerializer(serializers.ModelSerializer):
    suppressed = serializers.SerializerMethodField(
        help_text="'c' when the figures are withheld (numbers from 1 to 5, and figures from which one could be "
                  "worked out, are not shown to scrutineers); the numbers are then null")

    class Meta:
        model = IndicatorValue
        fields = ["la_code", "year", "indicator", "value", "numerator", "denominator", "rate", "population",
                  "population_vintage", "suppressed", "computed_at", "returns"]

    def _hidden(self, instance):
        # The view's disclosure control over every value of the years listed (a family's other parts decide too).
        if not self.context.get("scrutineer", True):
            return False
        found = self.context.get("disclosure") or disclosure.indicator_values([instance])
        return disclosure.value_hidden(found, instance)

    def get_suppressed(self, instance) -> str:
        return disclosure.SUPPRESSED if self._hidden(instance) else ""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self._hidden(instance):
            for name in ("value", "numerator", "denominator", "rate"):
                data[name] = None
        return data


class BenchmarkValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = BenchmarkValue
        fields = ["indicator", "year", "period", "level", "code", "name", "measure", "value", "suppressed", "source",
                  "vintage", "population_vintage"]
