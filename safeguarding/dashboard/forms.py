from django import forms

from safeguarding.core.forms import Form
from safeguarding.working_days import year_label

from .selectors import COMPARATOR_SETS, SN_AVERAGES


class DashboardForm(Form):
    """The dashboard's choices, sent with GET so every view of it has its own address."""

    year = forms.TypedChoiceField(label="Year", coerce=int)
    comparators = forms.ChoiceField(label="Comparators", choices=COMPARATOR_SETS.items(), widget=forms.RadioSelect)
    sn_average = forms.ChoiceField(label="Statistical neighbour average", choices=SN_AVERAGES.items(),
                                   widget=forms.RadioSelect,
                                   help_text="For the DfE figures; a published report gives its own average")

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, year_label(y)) for y in years]
        self.fields["year"].error_messages["invalid_choice"] = "Select a year the returns cover"
