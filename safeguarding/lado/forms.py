from django import forms
from django.db.models import Q

from safeguarding.core.forms import Form, ModelForm
from safeguarding.working_days import financial_year_bounds, year_label

from .models import LadoContact, Sector


class LadoContactForm(ModelForm):
    further_action = forms.MultipleChoiceField(label="Further action", required=False,
                                               choices=LadoContact.FurtherAction.choices,
                                               widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = LadoContact
        fields = ["reference", "kind", "received_on", "threshold_limb", "person_role", "employer_sector", "referrer",
                  "referrer_sector", "category", "strategy_meeting_on", "outcome", "outcome_on", "further_action",
                  "notes"]
        widgets = {"kind": forms.RadioSelect, "threshold_limb": forms.RadioSelect}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["threshold_limb"].choices = [c for c in self.fields["threshold_limb"].choices if c[0]]

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        taken = LadoContact.objects.for_partnership(self.partnership).filter(reference=reference)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"{reference} is already used by another contact")
        return reference

    def clean(self):
        data = super().clean()
        kind, limb = data.get("kind"), data.get("threshold_limb")
        if kind == LadoContact.Kind.REFERRAL and not limb:
            self.add_error("threshold_limb", "Select which limb of the harm threshold the referral meets")
        if kind == LadoContact.Kind.CONSULTATION and limb:
            self.add_error("threshold_limb", "A consultation is below the threshold: leave the limb empty")
        received, outcome_on = data.get("received_on"), data.get("outcome_on")
        if bool(data.get("outcome")) != bool(outcome_on):
            self.add_error("outcome_on" if data.get("outcome") else "outcome",
                           "Give both the outcome and its date, or neither")
        if received and outcome_on and outcome_on < received:
            self.add_error("outcome_on", "The outcome must be on or after the date of contact")
        meeting = data.get("strategy_meeting_on")
        if received and meeting and meeting < received:
            self.add_error("strategy_meeting_on", "The strategy meeting must be on or after the date of contact")
        return data


class ContactFilterForm(Form):
    """The LADO officer's search of the contacts: words, and the year, kind, outcome and sector. Sent with GET, so
    a filtered list has its own address (to keep, share with a colleague, or download)."""

    OPEN = "open"  # no outcome yet

    q = forms.CharField(label="Search", required=False, max_length=100,
                        help_text="A reference, the person's role, who made the contact, or words in the notes")
    year = forms.TypedChoiceField(label="Year", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label="Consultation or referral", required=False,
                             choices=[("", "Both")] + [(v, label.split(" (")[0]) for v, label in
                                                       LadoContact.Kind.choices])
    outcome = forms.ChoiceField(label="Outcome", required=False,
                                choices=[("", "Any"), (OPEN, "Open (no outcome yet)"), *LadoContact.Outcome.choices])
    sector = forms.ChoiceField(label="Sector of the person's employer", required=False,
                               choices=[("", "Any"), *Sector.choices])

    def __init__(self, data, *, years):
        super().__init__(data)
        self.fields["year"].choices = [("", "Any year")] + [(y, year_label(y)) for y in years]
        self.fields["year"].error_messages["invalid_choice"] = (
            "Select a year with contacts: %(value)s is not one of them")
        for name, message in (("kind", "Select consultations, referrals or both"),
                              ("outcome", "Select an outcome from the list"),
                              ("sector", "Select a sector from the list")):
            self.fields[name].error_messages["invalid_choice"] = f"{message}: %(value)s is not one of them"

    @property
    def filtering(self):
        return self.is_bound and any(self.data.get(name) for name in self.fields)

    def apply(self, contacts):
        """The contacts that match; none while the form has an error (the error summary says what to change)."""
        if not self.is_bound:
            return contacts
        if not self.is_valid():
            return contacts.none()
        data = self.cleaned_data
        if data["q"].strip():
            words = data["q"].strip()
            found = (Q(reference__icontains=words) | Q(person_role__icontains=words) | Q(referrer__icontains=words)
                     | Q(notes__icontains=words))
            categories = [v for v, label in LadoContact.Category.choices if words.lower() in label.lower()]
            if categories:
                found |= Q(category__in=categories)
            contacts = contacts.filter(found)
        if data["year"]:
            first, last = financial_year_bounds(data["year"])
            contacts = contacts.filter(received_on__gte=first, received_on__lte=last)
        if data["kind"]:
            contacts = contacts.filter(kind=data["kind"])
        if data["outcome"] == self.OPEN:
            contacts = contacts.filter(outcome="")
        elif data["outcome"]:
            contacts = contacts.filter(outcome=data["outcome"])
        if data["sector"]:
            contacts = contacts.filter(employer_sector=data["sector"])
        return contacts
