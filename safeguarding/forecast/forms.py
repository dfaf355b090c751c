from django import forms

from safeguarding.core.forms import Form
from safeguarding.forecast.engine.model import MAX_HORIZON
from safeguarding.forecast.engine.states import GROUP_LABELS, GROUPS
from safeguarding.working_days import year_label

HORIZONS = [(12, "1 year"), (24, "2 years"), (36, "3 years"), (48, "4 years")]


class ForecastForm(Form):
    """The forecast's settings, sent with GET so each forecast has its own address."""

    base_year = forms.TypedChoiceField(label="Forecast from 31 March of", coerce=int)
    window_years = forms.TypedChoiceField(label="Rates from the last", coerce=int, initial=3,
                                          choices=[(k, f"{k} year{'s' if k > 1 else ''} of returns") for k in (1, 2, 3, 4, 5)])
    horizon_months = forms.TypedChoiceField(label="Forecast for", coerce=int, choices=HORIZONS, initial=24)
    lac_arrivals_change = forms.IntegerField(label="Change in children coming into care (%)", initial=0,
                                             min_value=-90, max_value=200, required=False,
                                             help_text="For example -10 for 10% fewer")
    cp_arrivals_change = forms.IntegerField(label="Change in children starting a plan (%)", initial=0,
                                            min_value=-90, max_value=200, required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_year"].choices = [(y, year_label(y)) for y in years]
        for group in GROUPS:
            self.fields[f"cost_{group}"] = forms.DecimalField(
                label=f"{GROUP_LABELS[group]}: weekly cost (£)", required=False, min_value=0, max_value=100000,
                decimal_places=0)

    def clean_horizon_months(self):
        value = self.cleaned_data["horizon_months"]
        if not 1 <= value <= MAX_HORIZON:
            raise forms.ValidationError("Choose 1 to 4 years")
        return value


class SaveScenarioForm(Form):
    name = forms.CharField(label="Name of the scenario", max_length=100)
