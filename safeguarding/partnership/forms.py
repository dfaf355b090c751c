from decimal import Decimal

from django import forms

from safeguarding.accounts.models import Organisation
from safeguarding.actions.models import MeetingAction
from safeguarding.core.forms import ModelForm, dates_in_order
from safeguarding.indicators.models import FactorGroup
from safeguarding.partnership import models as m
from safeguarding.returns.codes import ASSESSMENT_FACTORS


class RegisterForm(ModelForm):
    """A form for one register record: every choice of organisation, subgroup or meeting
    is limited to the current partnership's own."""

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            if queryset.model is Organisation:
                field.queryset = Organisation.objects.filter(
                    partnerships__partnership=partnership, partnerships__archived_at__isnull=True).distinct()
            elif hasattr(queryset.model, "partnership"):
                field.queryset = queryset.model.objects.for_partnership(partnership).active()

    def save(self, commit=True):
        self.instance.partnership = self.partnership
        return super().save(commit=commit)


class PartnerAgencyForm(RegisterForm):
    organisation_name = forms.CharField(label="Organisation", max_length=200)
    sector = forms.ChoiceField(choices=Organisation.Sector.choices,
                               help_text="Used to place its members in the membership table")

    class Meta:
        model = m.PartnerAgency
        fields = ["kind", "notes"]
        widgets = {"kind": forms.RadioSelect}

    field_order = ["organisation_name", "sector", "kind", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("organisation_name", self.instance.organisation.name)
            self.initial.setdefault("sector", self.instance.organisation.sector)

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get("organisation_name") or "").strip()
        if name:
            duplicate = m.PartnerAgency.objects.for_partnership(self.partnership).filter(
                organisation__name__iexact=name).exclude(pk=self.instance.pk)
            if duplicate.exists():
                self.add_error("organisation_name", f"{name} is already a partner agency of this partnership")
        return cleaned

    def save(self, commit=True):
        # Organisations are shared across partnerships: reuse one of the same name.
        name = self.cleaned_data["organisation_name"].strip()
        organisation = Organisation.objects.filter(name__iexact=name).first()
        if organisation is None:
            organisation = Organisation(name=name, sector=self.cleaned_data["sector"])
            organisation.save()
        elif self.instance.pk is None or self.instance.organisation_id == organisation.pk:
            if organisation.sector != self.cleaned_data["sector"]:
                organisation.sector = self.cleaned_data["sector"]
                organisation.save(update_fields=["sector"])
        self.instance.organisation = organisation
        return super().save(commit=commit)


class BoardMemberForm(RegisterForm):
    class Meta:
        model = m.BoardMember
        fields = ["post", "name", "organisation", "subgroups", "order"]
        widgets = {"subgroups": forms.CheckboxSelectMultiple, "order": forms.NumberInput}


class SubgroupForm(RegisterForm):
    class Meta:
        model = m.Subgroup
        fields = ["name", "short_name", "status", "chair", "joint_with", "purpose", "terms_of_reference"]
        widgets = {"status": forms.RadioSelect}


class ChairTermForm(RegisterForm):
    class Meta:
        model = m.ChairTerm
        fields = ["arrangement", "holder", "organisation", "starts_on", "ends_on", "notes"]
        widgets = {"arrangement": forms.RadioSelect}

    def clean(self):
        cleaned = super().clean()
        dates_in_order(self, "starts_on", "ends_on", "The end date must be on or after the start date")
        return cleaned


class MeetingForm(RegisterForm):
    class Meta:
        model = m.Meeting
        fields = ["title", "held_on", "subgroup", "notes"]


class DecisionForm(RegisterForm):
    class Meta:
        model = m.Decision
        fields = ["meeting", "text"]


class MeetingActionForm(RegisterForm):
    class Meta:
        model = MeetingAction
        fields = ["description", "meeting", "owner", "owner_organisation", "due_on", "status", "completed_on",
                  "progress"]
        widgets = {"status": forms.RadioSelect}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == MeetingAction.Status.DONE and not cleaned.get("completed_on"):
            self.add_error("completed_on", "Enter the date the action was completed")
        return cleaned


class PriorityForm(RegisterForm):
    class Meta:
        model = m.Priority
        fields = ["kind", "title", "description", "joint_with", "starts_on", "ends_on", "order"]
        widgets = {"kind": forms.RadioSelect, "order": forms.NumberInput}


class QuarterlyFocusForm(RegisterForm):
    class Meta:
        model = m.QuarterlyFocus
        fields = ["priority", "quarter_starts_on", "focus"]

    def clean_quarter_starts_on(self):
        day = self.cleaned_data["quarter_starts_on"]
        if day.day != 1 or day.month not in (1, 4, 7, 10):
            raise forms.ValidationError("Enter the first day of a quarter: 1 April, 1 July, 1 October or 1 January")
        return day


class ContributionForm(RegisterForm):
    class Meta:
        model = m.Contribution
        fields = ["organisation", "label", "financial_year", "amount", "in_kind"]
        widgets = {"financial_year": forms.NumberInput, "amount": forms.NumberInput}

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount < Decimal("0"):
            raise forms.ValidationError("The amount must be £0 or more")
        return amount

    def clean_financial_year(self):
        year = self.cleaned_data["financial_year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError("Enter the year the financial year starts in, for example 2020 for 2020-21")
        return year


class FactorGroupForm(RegisterForm):
    factors = forms.MultipleChoiceField(
        label="Assessment factors", widget=forms.CheckboxSelectMultiple,
        help_text="The factors recorded at the end of an assessment that count towards this priority",
        choices=[(code, f"{code}: {label}") for code, label in ASSESSMENT_FACTORS.items()])

    class Meta:
        model = FactorGroup
        fields = ["name", "factors", "order"]
        widgets = {"order": forms.NumberInput}

    def clean_name(self):
        # One group of each name in a partnership (a database constraint the form cannot see: partnership is not
        # one of its fields).
        name = self.cleaned_data["name"]
        taken = FactorGroup.objects.filter(partnership=self.partnership, name=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"{name} is already a factor group of this partnership: choose another name")
        return name
