"""Django forms that render through the GOV.UK Frontend macros, from this one place.

Templates write ``{{ form.field.as_field_group() }}`` (or ``{{ render_fields(form) }}``)
and ``{{ error_summary(form) }}``; nothing maps errors or labels by hand.
"""
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.boundfield import BoundField
from django.template import engines
from markupsafe import Markup

MACROS = {
    "input": ("input", "govukInput"),
    "textarea": ("textarea", "govukTextarea"),
    "select": ("select", "govukSelect"),
    "radios": ("radios", "govukRadios"),
    "checkboxes": ("checkboxes", "govukCheckboxes"),
    "date": ("date-input", "govukDateInput"),
    "file": ("file-upload", "govukFileUpload"),
    "password": ("password-input", "govukPasswordInput"),
    "error_summary": ("error-summary", "govukErrorSummary"),
}


def macro(kind):
    folder, name = MACROS[kind]
    env = engines["jinja2"].env
    return getattr(env.get_template(f"govuk_frontend_jinja/components/{folder}/macro.html").module, name)


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes, as the design system's date input asks."""

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = (data.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year"))
        if not (day or month or year):
            return None
        return f"{year}-{month.zfill(2)}-{day.zfill(2)}"

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{part}" in data for part in ("day", "month", "year"))


class GovukDateField(forms.DateField):
    widget = GovukDateWidget
    default_error_messages = {"invalid": "Enter a real date, for example 27 3 2021"}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(**kwargs)


def _choice_items(bound_field, selected_values):
    items = []
    for value, label in bound_field.field.choices:
        value = "" if value is None else str(value)
        items.append({"value": value, "text": str(label), "checked": value in selected_values,
                      "selected": value in selected_values})
    return items


class GovukBoundField(BoundField):
    def _selected(self):
        value = self.value()
        if value is None:
            return set()
        if isinstance(value, (list, tuple, set)):
            return {str(v) for v in value}
        return {str(value)}

    def as_field_group(self):
        widget = self.field.widget
        label_text = str(self.label) + ("" if self.field.required else " (optional)")
        params = {
            "id": self.id_for_label or self.auto_id,
            "name": self.html_name,
            "label": {"text": label_text},
            "hint": {"text": str(self.help_text)} if self.help_text else None,
            "errorMessage": {"text": " ".join(self.errors)} if self.errors else None,
            "attributes": {k: v for k, v in widget.attrs.items() if k not in ("class", "id")},
        }
        fieldset = {"legend": {"text": label_text, "classes": "govuk-fieldset__legend--s"}}
        if isinstance(widget, GovukDateWidget):
            parts = widget.decompress(self.value()) if not self.form.is_bound else [
                self.form.data.get(f"{self.html_name}-{p}", "") for p in ("day", "month", "year")]
            params.update(fieldset=fieldset, namePrefix=self.html_name, id=self.auto_id, items=[
                {"name": "day", "label": "Day", "classes": "govuk-input--width-2", "value": parts[0]},
                {"name": "month", "label": "Month", "classes": "govuk-input--width-2", "value": parts[1]},
                {"name": "year", "label": "Year", "classes": "govuk-input--width-4", "value": parts[2]},
            ])
            if self.errors:
                for item in params["items"]:
                    item["classes"] += " govuk-input--error"
            return Markup(macro("date")(params))
        if isinstance(widget, forms.CheckboxSelectMultiple):
            params.update(fieldset=fieldset, idPrefix=params.pop("id"), items=_choice_items(self, self._selected()))
            return Markup(macro("checkboxes")(params))
        if isinstance(widget, forms.RadioSelect):
            params.update(fieldset=fieldset, idPrefix=params.pop("id"), items=_choice_items(self, self._selected()))
            return Markup(macro("radios")(params))
        if isinstance(widget, forms.CheckboxInput):
            params.update(idPrefix=params.pop("id"), items=[
                {"value": "on", "text": label_text, "checked": bool(self.value()), "hint": params.pop("hint")}])
            params["fieldset"] = None
            return Markup(macro("checkboxes")(params))
        if isinstance(widget, forms.Select):
            params["items"] = _choice_items(self, self._selected())
            return Markup(macro("select")(params))
        if isinstance(widget, forms.Textarea):
            params["value"] = self.value() or ""
            params["rows"] = widget.attrs.get("rows", 5)
            return Markup(macro("textarea")(params))
        if isinstance(widget, forms.FileInput):
            return Markup(macro("file")(params))
        if isinstance(widget, forms.PasswordInput):
            params["autocomplete"] = widget.attrs.get("autocomplete", "current-password")
            return Markup(macro("password")(params))
        value = self.value()
        params["value"] = "" if value is None else value
        params["type"] = getattr(widget, "input_type", "text")
        if isinstance(widget, forms.NumberInput):
            params["type"] = "text"
            params["inputmode"] = "decimal"
            params["spellcheck"] = False
        if isinstance(widget, forms.EmailInput):
            params["autocomplete"] = "email"
            params["spellcheck"] = False
        params["classes"] = widget.attrs.get("class", "")
        return Markup(macro("input")(params))


def required_message(field, label):
    """GOV.UK-style messages: say what to do, naming the field, not 'This field is required'."""
    label = label[:1].lower() + label[1:]
    if isinstance(field.widget, GovukDateWidget):
        return f"Enter the {label}" if "date" in label else f"Enter the {label} date"
    if isinstance(field.widget, forms.FileInput):
        return f"Select the {label}"
    if isinstance(field.widget, (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"Select the {label}"
    if isinstance(field.widget, forms.CheckboxInput):
        return f"Tick the box: {label}"
    return f"Enter the {label}"


class GovukFormMixin:
    bound_field_class = GovukBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
                field.error_messages = {**field.error_messages,
                                        "required": required_message(field, str(field.label or name))}

    def render_fields(self):
        return Markup("".join(self[name].as_field_group() for name in self.fields))


class Form(GovukFormMixin, forms.Form):
    pass


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, but a value no record could have as its key (a number too large for the database) is an invalid
    choice: Django would look it up with ``pk__in``, which fails on SQLite for a number beyond 64 bits."""

    def _check_values(self, value):
        key_field = (self.queryset.model._meta.get_field(self.to_field_name) if self.to_field_name
                     else self.queryset.model._meta.pk)
        for item in value:
            try:
                key_field.run_validators(key_field.to_python(item))
            except ValidationError:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": item}) from None
        return super()._check_values(value)


def govuk_formfield(model_field, **kwargs):
    """Model date fields become day/month/year date inputs; a web address typed without a scheme is https; a
    many-to-many field refuses keys out of range as invalid choices."""
    if model_field.get_internal_type() == "DateField":
        kwargs.setdefault("form_class", GovukDateField)
    if isinstance(model_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class GovukModelFormMetaclass(forms.models.ModelFormMetaclass):
    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(govuk_formfield)
        return super().__new__(mcs, name, bases, attrs)


class ModelForm(GovukFormMixin, forms.ModelForm, metaclass=GovukModelFormMetaclass):
    pass


def dates_in_order(form, earlier, later, message):
    """In a form's clean: where both dates are given and ``later`` comes before ``earlier``, ``message`` on
    ``later``."""
    first, second = form.cleaned_data.get(earlier), form.cleaned_data.get(later)
    if first and second and second < first:
        form.add_error(later, message)


def posted(request):
    """The form data of a POST, even an empty one, so that the form shows what is missing; None otherwise.

    Not ``request.POST or None``: a POST whose fields were lost (cut short, sent as JSON) would then show the
    blank form again and say nothing."""
    return request.POST if request.method == "POST" else None


def error_summary(form):
    """The error summary at the top of a page, each error linking to its field."""
    if form is None or not form.errors:
        return ""
    items = [{"text": str(error)} for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        bound = form[name]
        target = bound.auto_id
        if isinstance(bound.field.widget, GovukDateWidget):
            target = f"{bound.auto_id}-day"
        elif isinstance(bound.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.CheckboxInput)):
            target = bound.auto_id
        for error in errors:
            items.append({"text": str(error), "href": f"#{target}"})
    return Markup(macro("error_summary")({"titleText": "There is a problem", "errorList": items}))
