from django import forms
from django.conf import settings

from safeguarding.core.formats import megabytes
from safeguarding.core.forms import Form


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class UploadForm(Form):
    files = MultipleFileField(
        label="Return files",
        help_text="One CIN census XML file, or the SSDA903 tables: CSV files (at least the episodes table) or one "
                  "Excel .xlsx workbook with a sheet a table")
    year = forms.IntegerField(label="Collection year", required=False, min_value=2010, max_value=2100,
                              help_text="Only if the files do not say: 2021 for 2020-21",
                              widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}))

    def clean_files(self):
        files = self.cleaned_data["files"]
        total = sum(f.size for f in files)
        if total > settings.RETURNS_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The files are {megabytes(total)}; the most that can be uploaded at once is "
                f"{megabytes(settings.RETURNS_MAX_UPLOAD_BYTES)}")
        if len(files) > 20:
            raise forms.ValidationError("Choose at most 20 files: one CIN census file, or the SSDA903 tables")
        return files
