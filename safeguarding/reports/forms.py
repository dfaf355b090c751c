from django import forms

from safeguarding.core.forms import Form, GovukDateField, ModelForm
from safeguarding.indicators.engine import definitions as d
from safeguarding.indicators.models import FactorGroup
from safeguarding.working_days import year_label

from .models import ContextFigure, ReportFigure, YearlyReport


class NewReportForm(Form):
    year = forms.TypedChoiceField(label="Year the report covers", coerce=int)
    comparators = forms.ChoiceField(label="Comparators", choices=YearlyReport.Comparators.choices,
                                    widget=forms.RadioSelect)
    looking_ahead_demand = forms.BooleanField(
        label="Add “Looking ahead: demand”: the forecast of children looked after and on plans", required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, year_label(y)) for y in years]
        self.fields["year"].error_messages["invalid_choice"] = "Select a year the returns cover"


class SectionTextForm(Form):
    text = forms.CharField(label="Narrative", required=False, widget=forms.Textarea(attrs={"rows": 14}),
                           help_text="Leave a blank line between paragraphs.")


REASON_NEEDED = ("Enter why the report should be published while it is incomplete, in a sentence "
                 "(at least 10 characters)")


class PublishForm(Form):
    """Publishing: a report that still lacks something needs a reason, which is kept (who, when and why)."""

    incomplete_because = forms.CharField(
        label="Why should it be published before it is complete?", max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": REASON_NEEDED},
        help_text="For example, the date the partners agreed to publish by. The reason is kept with the report "
                  "and in the audit trail.")

    def __init__(self, *args, incomplete, **kwargs):
        super().__init__(*args, **kwargs)
        if not incomplete:
            del self.fields["incomplete_because"]

    def clean_incomplete_because(self):
        reason = self.cleaned_data["incomplete_because"].strip()
        if len(reason) < 10:
            raise forms.ValidationError(REASON_NEEDED)
        return reason


class ContextFigureForm(ModelForm):
    class Meta:
        model = ContextFigure
        fields = ["label", "value", "source"]


STOCKS = [(i.code, i.title) for i in d.COUNTED if isinstance(i.measure, d.Stock)]


class ReportFigureForm(Form):
    kind = forms.ChoiceField(label="What to count", choices=ReportFigure.Kind.choices, widget=forms.RadioSelect)
    indicator = forms.ChoiceField(label="Open on a day: which", choices=[("", "")] + STOCKS, required=False)
    factor_group = forms.ChoiceField(label="Co-occurrence: which group of factors", required=False)
    starts_on = GovukDateField(label="Co-occurrence: first day of the period", required=False)
    ends_on = GovukDateField(label="The day counted, or the last day of the period")

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        names = FactorGroup.objects.for_partnership(partnership).active().values_list("name", flat=True)
        self.fields["factor_group"].choices = [("", "")] + [(n, n) for n in names]

    def clean(self):
        data = super().clean()
        if data.get("kind") == ReportFigure.Kind.ON_DAY and not data.get("indicator"):
            self.add_error("indicator", "Select what to count on the day")
        if data.get("kind") == ReportFigure.Kind.CO_OCCURRENCE:
            if not data.get("factor_group"):
                self.add_error("factor_group", "Select a group of factors")
            if not data.get("starts_on"):
                self.add_error("starts_on", "Enter the first day of the period")
            elif data.get("ends_on") and data["starts_on"] > data["ends_on"]:
                self.add_error("starts_on", "The period must start on or before its last day")
        return data
