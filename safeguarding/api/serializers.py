from rest_framework import serializers

from safeguarding.benchmarks.models import BenchmarkValue
from safeguarding.indicators.models import IndicatorValue
from safeguarding.indicators.rounding import SUPPRESSED


def is_small(value):
    return value is not None and 1 <= value <= 5


def needs_suppression(value):
    """Small numbers (1-5): a count, or either side of a percentage or share."""
    if value.numerator is not None or value.denominator is not None:
        return is_small(value.numerator) or is_small(value.denominator)
    return value.value is not None and value.value == int(value.value) and is_small(int(value.value))


class IndicatorValueSerializer(serializers.ModelSerializer):
    suppressed = serializers.SerializerMethodField(
        help_text="'c' when the figures are withheld (numbers from 1 to 5 are not shown to scrutineers); "
                  "the numbers are then null")

    class Meta:
        model = IndicatorValue
        fields = ["la_code", "year", "indicator", "value", "numerator", "denominator", "rate", "population",
                  "population_vintage", "suppressed", "computed_at", "returns"]

    def _hidden(self, instance):
        return self.context.get("scrutineer") and needs_suppression(instance)

    def get_suppressed(self, instance) -> str:
        return SUPPRESSED if self._hidden(instance) else ""

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
