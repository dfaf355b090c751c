from django import forms

from safeguarding.core.forms import ModelForm

from .models import LadoContact


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
