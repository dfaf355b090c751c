import datetime

from django import forms
from django.utils import timezone

from safeguarding.actions.models import Recommendation
from safeguarding.core.forms import Form, ModelForm, dates_in_order
from safeguarding.working_days import year_label

from . import selectors
from .models import (AgencyFinding, AuditedCase, Challenge, Cycle, Escalation, Framework, MultiAgencyAudit,
                     PlannedAction, Standard)
from .starting_sets import STARTING_SETS

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_TYPES = (".pdf", ".docx", ".doc", ".odt", ".xlsx", ".xls", ".ods", ".pptx", ".png", ".jpg", ".jpeg", ".txt")


class AssuranceForm(ModelForm):
    """A model form whose required radio buttons offer no empty "---------" choice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect) and field.required:
                field.choices = [choice for choice in field.choices if choice[0] != ""]


def _agencies(form, name, partnership):
    """The partnership's agencies to choose from, and any the record already names that are not on its register
    (an agency since gone, one of the demo's illustrative agencies), so that changing the record keeps them."""
    kept = []
    if form.instance.pk:
        if form.instance._meta.get_field(name).many_to_many:
            kept = list(getattr(form.instance, name).values_list("pk", flat=True))
        else:
            kept = [getattr(form.instance, f"{name}_id")]
    form.fields[name].queryset = selectors.partner_organisations(partnership, also=kept)


class FrameworkForm(AssuranceForm):
    starting_set = forms.ChoiceField(
        label="Start from", widget=forms.RadioSelect,
        choices=[(key, label) for key, (label, _) in STARTING_SETS.items()] + [("", "No standards: I will add my own")],
        required=False, help_text="The standards are copied into the framework; change them as you wish")

    class Meta:
        model = Framework
        fields = ["name", "description", "scale"]
        widgets = {"scale": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["starting_set"]
            if self.instance.cycles.exists():
                # Ratings already given would change meaning.
                self.fields["scale"].disabled = True
                self.fields["scale"].help_text = "Fixed once a cycle uses the framework"


class StandardForm(AssuranceForm):
    class Meta:
        model = Standard
        fields = ["number", "title", "description", "questions", "guidance"]
        widgets = {"number": forms.NumberInput}


class CycleForm(AssuranceForm):
    class Meta:
        model = Cycle
        fields = ["title", "framework", "year", "opens_on", "due_on", "organisations", "themes", "notes"]
        widgets = {"organisations": forms.CheckboxSelectMultiple}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = selectors.frameworks(partnership)
        _agencies(self, "organisations", partnership)
        this_year = timezone.localdate().year
        self.fields["year"] = forms.TypedChoiceField(
            label="Financial year", coerce=int, initial=self.initial.get("year"),
            choices=[(y, year_label(y)) for y in range(this_year + 2, 2014, -1)])
        if self.instance.pk and self.instance.cycle_returns.exists():
            self.fields["framework"].disabled = True
            self.fields["framework"].help_text = "Fixed once agencies have started their returns"

    def clean(self):
        data = super().clean()
        dates_in_order(self, "opens_on", "due_on", "The due date must be on or after the opening date")
        return data


class AnswerForm(Form):
    rating = forms.ChoiceField(label="Your rating", widget=forms.RadioSelect, required=False)
    evidence = forms.CharField(label="Evidence", widget=forms.Textarea(attrs={"rows": 8}), required=False,
                               help_text="What shows the standard is met: policies, audits, figures, examples")
    evidence_file = forms.FileField(label="Add an evidence file", required=False,
                                    help_text="PDF, Word, Excel, PowerPoint, image or text; up to 20 MB")
    evidence_title = forms.CharField(label="Title of the file", max_length=200, required=False,
                                     help_text="For example Safeguarding policy 2020; leave empty to use the file name")

    def __init__(self, *args, ratings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [(r.value, r.label) for r in ratings]
        self.fields["rating"].help_text = "You can save without a rating and come back to it"

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload is None:
            return None
        if upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError("The file must be smaller than 20 MB")
        if not upload.name.lower().endswith(EVIDENCE_TYPES):
            raise forms.ValidationError("The file must be a PDF, Word, Excel, PowerPoint, image or text file")
        return upload


def _standard_choices(cycle):
    return [(s.key, str(s)) for s in cycle.framework.standards_in_order()]


class PlannedActionForm(AssuranceForm):
    class Meta:
        model = PlannedAction
        fields = ["standard_key", "description", "owner", "due_on", "status", "completed_on", "progress"]
        widgets = {"status": forms.RadioSelect}

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard_key"] = forms.ChoiceField(label="Standard", choices=_standard_choices(cycle),
                                                        initial=self.initial.get("standard_key"))
        # Carrying forward happens when the next return starts, not by hand.
        self.fields["status"].choices = [c for c in PlannedAction.Status.choices
                                         if c[0] != PlannedAction.Status.CARRIED_FORWARD]

    def clean(self):
        data = super().clean()
        if data.get("status") == PlannedAction.Status.DONE and not data.get("completed_on"):
            self.add_error("completed_on", "Enter the date the action was completed")
        return data


class SubmitForm(Form):
    summary = forms.CharField(label="Summary for the partnership", widget=forms.Textarea(attrs={"rows": 6}),
                              help_text="Your main strengths, the gaps you found, and what you most need from "
                                        "partners")
    confirm = forms.BooleanField(label="A senior leader of my organisation has agreed this return")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].error_messages["required"] = (
            "Confirm that a senior leader of your organisation has agreed the return")


class ModerationForm(Form):
    """A moderated rating and comment per standard, the themes the return raises, a summary."""

    def __init__(self, *args, cycle_return, standards, ratings, existing, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Not moderated yet")] + [(r.value, r.label) for r in ratings]
        self.standards = standards
        for standard in standards:
            found = existing.get(standard.key)
            self.fields[f"rating_{standard.key}"] = forms.ChoiceField(
                label=f"Moderated rating for standard {standard.number}", choices=choices, required=False,
                initial=found.rating if found else "")
            self.fields[f"comment_{standard.key}"] = forms.CharField(
                label=f"Moderator's comment on standard {standard.number}", required=False,
                widget=forms.Textarea(attrs={"rows": 3}), initial=found.comment if found else "")
        themes = cycle_return.cycle.theme_list
        extra = [t for t in cycle_return.themes if t not in themes]
        self.fields["themes"] = forms.MultipleChoiceField(
            label="Themes the return raises", required=False, widget=forms.CheckboxSelectMultiple,
            choices=[(t, t) for t in themes + extra], initial=cycle_return.themes,
            help_text="The cycle's themes; change the list on the cycle")
        self.fields["summary"] = forms.CharField(label="Moderation summary", required=False,
                                                 widget=forms.Textarea(attrs={"rows": 5}),
                                                 initial=cycle_return.moderation_summary)
        self.fields["complete"] = forms.BooleanField(label="Moderation is complete", required=False,
                                                     initial=cycle_return.is_moderated)

    def clean(self):
        data = super().clean()
        if data.get("complete"):
            for standard in self.standards:
                if not data.get(f"rating_{standard.key}"):
                    self.add_error(f"rating_{standard.key}",
                                   f"Select a moderated rating for standard {standard.number}, or untick "
                                   "'Moderation is complete'")
        return data

    def ratings(self):
        return {s.key: (self.cleaned_data[f"rating_{s.key}"], self.cleaned_data[f"comment_{s.key}"].strip())
                for s in self.standards}


class ChallengeForm(AssuranceForm):
    class Meta:
        model = Challenge
        fields = ["standard_key", "raised_on", "text"]

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard_key"] = forms.ChoiceField(
            label="Standard", required=False, choices=[("", "The return as a whole")] + _standard_choices(cycle))


class ChallengeResponseForm(Form):
    response = forms.CharField(label="Your response", widget=forms.Textarea(attrs={"rows": 6}))


# ------------------------------------------------------------------------------------ multi-agency audits


class MultiAgencyAuditForm(AssuranceForm):
    class Meta:
        model = MultiAgencyAudit
        fields = ["title", "theme", "question", "status", "started_on", "completed_on", "organisations", "learning"]
        widgets = {"status": forms.RadioSelect, "organisations": forms.CheckboxSelectMultiple}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        _agencies(self, "organisations", partnership)

    def clean(self):
        data = super().clean()
        completed = data.get("completed_on")  # before the check below, which takes it out of data if it fails
        dates_in_order(self, "started_on", "completed_on", "The date reported must be on or after the start date")
        if data.get("status") == MultiAgencyAudit.Status.COMPLETE and not completed:
            self.add_error("completed_on", "Enter the date the audit was reported")
        return data


class AuditedCaseForm(AssuranceForm):
    class Meta:
        model = AuditedCase
        fields = ["reference"]

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.audit = audit

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().upper()
        if AuditedCase.objects.filter(audit=self.audit, reference=reference).exists():
            raise forms.ValidationError(f"{reference} is already in this audit")
        return reference


class FindingForm(AssuranceForm):
    class Meta:
        model = AgencyFinding
        fields = ["case", "organisation", "grade", "findings"]
        widgets = {"grade": forms.RadioSelect}

    def __init__(self, *args, audit, own_organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.audit = audit
        self.fields["case"].queryset = audit.cases.filter(archived_at__isnull=True)
        self.fields["organisation"].queryset = audit.organisations.all()
        if own_organisation is not None:  # an agency lead records its own agency's findings only
            self.fields["organisation"].queryset = audit.organisations.filter(pk=own_organisation.pk)
            self.fields["organisation"].initial = own_organisation.pk
            self.fields["organisation"].disabled = True
        if self.instance.pk:
            self.fields["case"].disabled = True
            self.fields["organisation"].disabled = True

    def clean(self):
        data = super().clean()
        case, organisation = data.get("case"), data.get("organisation")
        if case and organisation and not self.instance.pk and AgencyFinding.objects.filter(
                case=case, organisation=organisation).exists():
            self.add_error("case", f"{organisation} already has findings for {case}: change those instead")
        return data


class RecommendationForm(AssuranceForm):
    class Meta:
        model = Recommendation
        fields = ["text", "made_on"]


# ------------------------------------------------------------------------------------ escalations


class EscalationForm(AssuranceForm):
    class Meta:
        model = Escalation
        fields = ["reference", "raised_by", "raised_by_role", "about", "theme", "concern", "raised_on", "stage_2_on",
                  "stage_3_on", "stage_4_on", "resolved_on", "outcome", "resolution"]
        widgets = {"theme": forms.RadioSelect, "outcome": forms.RadioSelect}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        _agencies(self, "raised_by", partnership)
        _agencies(self, "about", partnership)

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().upper()
        taken = Escalation.objects.for_partnership(self.partnership).filter(reference=reference)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"{reference} is already used by another escalation")
        return reference

    def clean(self):
        data = super().clean()
        if data.get("raised_by") and data.get("raised_by") == data.get("about"):
            self.add_error("about", "An escalation is between two agencies: choose the other agency")
        names = ["raised_on", "stage_2_on", "stage_3_on", "stage_4_on"]
        reached = [data.get(name) for name in names]
        for i in range(1, 4):  # reached[i] is stage i + 1
            if reached[i] and not reached[i - 1] and names[i - 1] not in self.errors:
                self.add_error(names[i], f"Enter the date of stage {i} first")
            elif reached[i] and reached[i - 1] and reached[i] < reached[i - 1]:
                self.add_error(names[i], f"Stage {i + 1} must be on or after stage {i}")
        last = max((day for day in reached if day), default=None)
        resolved = data.get("resolved_on")
        if resolved and last and resolved < last:
            self.add_error("resolved_on", "The date resolved must be on or after the last stage")
        if bool(resolved) != bool(data.get("outcome")):
            self.add_error("outcome" if resolved else "resolved_on", "Give both the outcome and the date resolved, "
                                                                      "or neither")
        if resolved and resolved > timezone.localdate() + datetime.timedelta(days=1):
            self.add_error("resolved_on", "The date resolved cannot be in the future")
        return data
