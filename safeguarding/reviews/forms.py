from django import forms

from safeguarding.core.forms import Form, ModelForm

from .models import PracticeReview, SeriousIncident


class IncidentForm(ModelForm):
    class Meta:
        model = SeriousIncident
        fields = ["reference", "summary", "aware_on", "notified_on", "rapid_review_on", "decision", "decision_on",
                  "panel_view"]
        widgets = {"decision": forms.RadioSelect}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership

    def clean_reference(self):
        # One incident of each reference in a partnership (a database constraint the form cannot see).
        reference = self.cleaned_data["reference"]
        taken = SeriousIncident.objects.filter(partnership=self.partnership, reference=reference)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"{reference} is already the reference of another incident")
        return reference

    def clean(self):
        data = super().clean()
        aware = data.get("aware_on")
        for name in ("notified_on", "rapid_review_on", "decision_on"):
            if aware and data.get(name) and data[name] < aware:
                self.add_error(name, "This date must be on or after the date the local authority became aware")
        if data.get("decision") and not data.get("decision_on"):
            self.add_error("decision_on", "Enter the date of the decision")
        return data


class PracticeReviewForm(ModelForm):
    class Meta:
        model = PracticeReview
        fields = ["title", "reviewer", "started_on", "final_report_on", "sent_to_panel_on", "published_on",
                  "published_url", "not_published", "notes"]
        widgets = {"not_published": forms.RadioSelect}

    def clean(self):
        data = super().clean()
        if data.get("published_on") and data.get("not_published"):
            self.add_error("not_published", "A published review needs no reason for not publishing")
        if data.get("published_on") and not data.get("sent_to_panel_on"):
            self.add_error("sent_to_panel_on", "Enter when the final report went to the Panel and the Secretary of "
                                               "State: it must go before publication")
        return data


MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class DocumentForm(Form):
    title = forms.CharField(max_length=200)
    file = forms.FileField(label="Document", help_text="PDF or Word, up to 20 MB")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError("The document must be smaller than 20 MB")
        if not upload.name.lower().endswith((".pdf", ".docx", ".doc", ".odt")):
            raise forms.ValidationError("The document must be a PDF or a Word document")
        return upload
