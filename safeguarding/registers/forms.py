from django import forms

from safeguarding.accounts.models import Organisation
from safeguarding.core.forms import Form, dates_in_order
from safeguarding.partnership.forms import RegisterForm

from . import models as m

YES_NO = [("True", "Yes"), ("False", "No")]


def yes_no(label, message, **kwargs):
    """A yes/no question as radios (GOV.UK asks a question rather than showing a lone checkbox)."""
    return forms.TypedChoiceField(label=label, choices=YES_NO, coerce=lambda value: value == "True",
                                  empty_value=None, widget=forms.RadioSelect, error_messages={"required": message},
                                  **kwargs)


class RegistersForm(RegisterForm):
    """A register form with radios that offer only real answers and lists that start empty, not with dashes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not hasattr(field, "choices") or isinstance(field, forms.ModelChoiceField):
                if isinstance(field, forms.ModelChoiceField) and isinstance(field.widget, forms.Select):
                    field.empty_label = ""
                continue
            if isinstance(field.widget, forms.RadioSelect) and field.required:
                field.choices = [(value, label) for value, label in field.choices if value != ""]
            elif isinstance(field.widget, forms.Select):
                field.choices = [(value, "" if value == "" else label) for value, label in field.choices]


# --- Private fostering -------------------------------------------------------------------------------------

class ArrangementForm(RegistersForm):
    class Meta:
        model = m.PrivateFosteringArrangement
        fields = ["reference", "notified_on", "notified_by", "began_on", "ended_on", "end_reason", "notes"]
        widgets = {"notified_by": forms.RadioSelect}
        error_messages = {"notified_by": {"required": "Select who notified"}}

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        taken = m.PrivateFosteringArrangement.objects.for_partnership(self.partnership).filter(reference=reference)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"{reference} is already the reference of another arrangement")
        return reference

    def clean(self):
        data = super().clean()
        ended, reason = data.get("ended_on"), data.get("end_reason")
        if ended and not reason:
            self.add_error("end_reason", "Select why the arrangement ended")
        if reason and not ended and "ended_on" not in self.errors:
            self.add_error("ended_on", "Enter the date the arrangement ended")
        dates_in_order(self, "began_on", "ended_on", "The arrangement must end on or after the day it began")
        return data


class VisitForm(RegistersForm):
    seen_alone = yes_no("Was the child seen alone?", "Select yes if the child was seen alone")

    class Meta:
        model = m.PrivateFosteringVisit
        fields = ["visited_on", "seen_alone", "notes"]

    def __init__(self, *args, arrangement, **kwargs):
        super().__init__(*args, **kwargs)
        self.arrangement = arrangement

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day < self.arrangement.notified_on:
            raise forms.ValidationError("The visit must be on or after the date the notification was received")
        return day

    def save(self, commit=True):
        self.instance.arrangement = self.arrangement
        return super().save(commit=commit)


# --- Training ----------------------------------------------------------------------------------------------

class CourseForm(RegistersForm):
    class Meta:
        model = m.TrainingCourse
        fields = ["title", "summary", "priority", "provider"]


class SessionForm(RegistersForm):
    class Meta:
        model = m.TrainingSession
        fields = ["held_on", "format", "trainer", "places"]
        widgets = {"format": forms.RadioSelect, "places": forms.NumberInput}

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course

    def save(self, commit=True):
        self.instance.course = self.course
        return super().save(commit=commit)


class AttendanceForm(RegistersForm):
    attended = yes_no("Did they attend?", "Select yes if they attended")

    class Meta:
        model = m.Attendance
        fields = ["organisation", "role", "attendee", "attended"]
        widgets = {"role": forms.RadioSelect}

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["role"].choices = m.STAFF_ROLES

    def save(self, commit=True):
        self.instance.session = self.session
        return super().save(commit=commit)


def score_field(label, help_text):
    return forms.TypedChoiceField(label=label, help_text=help_text, coerce=int, widget=forms.Select,
                                  choices=[("", "")] + [(str(n), str(n)) for n in range(1, 11)])


class EvaluationForm(RegistersForm):
    confidence = score_field("Confidence score", m.Evaluation._meta.get_field("confidence").help_text)
    practice = score_field("Practice score", m.Evaluation._meta.get_field("practice").help_text)

    class Meta:
        model = m.Evaluation
        fields = ["stage", "completed_on", "confidence", "practice", "comment"]
        widgets = {"stage": forms.RadioSelect}
        labels = {"stage": "Which evaluation is this?"}
        error_messages = {"stage": {"required": "Select which evaluation this is"}}

    def __init__(self, *args, attendance, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendance = attendance

    def clean_stage(self):
        stage = self.cleaned_data["stage"]
        done = m.Evaluation.objects.for_partnership(self.partnership).active().filter(
            attendance=self.attendance, stage=stage).exclude(pk=self.instance.pk)
        if done.exists():
            raise forms.ValidationError("This evaluation has already been recorded: change it instead")
        return stage

    def clean(self):
        data = super().clean()
        held, completed = self.attendance.session.held_on, data.get("completed_on")
        if completed and data.get("stage") in ("after", "follow_up") and completed < held:
            self.add_error("completed_on", "This evaluation must be on or after the day of the session")
        return data

    def save(self, commit=True):
        self.instance.attendance = self.attendance
        return super().save(commit=commit)


# --- Surveys -----------------------------------------------------------------------------------------------

class SurveyForm(RegistersForm):
    asks_agency = yes_no("Ask which agency they work for?", "Select yes to ask which agency they work for",
                         help_text="Answers can then be counted by agency")
    asks_role = yes_no("Ask their role?", "Select yes to ask their role",
                       help_text="Answers can then be counted by role")

    class Meta:
        model = m.Survey
        fields = ["title", "audience", "introduction", "asks_agency", "asks_role", "closes_on"]
        widgets = {"audience": forms.RadioSelect}
        error_messages = {"audience": {"required": "Select who the survey is for"}}

    def clean_closes_on(self):
        day = self.cleaned_data["closes_on"]
        if day and self.instance.opens_on and day < self.instance.opens_on:
            raise forms.ValidationError(f"The closing date must be on or after the day it opened, "
                                        f"{self.instance.opens_on.day} {self.instance.opens_on:%B %Y}")
        return day


class QuestionForm(RegistersForm):
    options_text = forms.CharField(
        label="Options to choose from", required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="For a question with a list: one option a line")
    multiple = yes_no("May people choose more than one option?", "Select yes if people may choose more than one",
                      required=False, help_text="For a question with a list")
    required = yes_no("Is an answer needed?", "Select yes if an answer is needed")

    class Meta:
        model = m.Question
        fields = ["text", "hint", "kind", "options_text", "multiple", "max_choices", "scale_max", "low_label",
                  "high_label", "required", "order"]
        widgets = {"kind": forms.RadioSelect, "max_choices": forms.NumberInput, "scale_max": forms.NumberInput,
                   "order": forms.NumberInput}
        help_texts = {"max_choices": "For a list where people may choose more than one; leave empty for no limit",
                      "scale_max": "For a scale: it runs from 1 to this number (2 to 10)",
                      "low_label": "For a scale, for example Not at all confident",
                      "high_label": "For a scale, for example Very confident"}

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        if self.instance.pk:
            self.initial.setdefault("options_text", "\n".join(self.instance.options))

    def clean(self):
        data = super().clean()
        options = [line.strip() for line in (data.get("options_text") or "").splitlines() if line.strip()]
        kind = data.get("kind")
        if kind == m.Question.Kind.CHOICE:
            if len(options) < 2:
                self.add_error("options_text", "Enter at least two options, one a line")
            elif len(set(o.lower() for o in options)) < len(options):
                self.add_error("options_text", "Each option must be different")
            if data.get("multiple") is None:
                self.add_error("multiple", "Select yes if people may choose more than one")
        elif options:
            self.add_error("options_text", "Only a question with a list has options: leave this empty")
        if kind == m.Question.Kind.SCALE and not 2 <= (data.get("scale_max") or 0) <= 10:
            self.add_error("scale_max", "The top of the scale must be from 2 to 10")
        limit = data.get("max_choices")
        if limit is not None and (kind != m.Question.Kind.CHOICE or not data.get("multiple")):
            self.add_error("max_choices", "Only a list where people may choose more than one has a limit")
        elif limit is not None and not 1 <= limit <= len(options):
            self.add_error("max_choices", f"Enter a number from 1 to {len(options)}")
        data["options"] = options if kind == m.Question.Kind.CHOICE else []
        data["multiple"] = bool(data.get("multiple")) and kind == m.Question.Kind.CHOICE
        return data

    def save(self, commit=True):
        self.instance.survey = self.survey
        self.instance.options = self.cleaned_data["options"]
        return super().save(commit=commit)


class QuoteForm(RegistersForm):
    class Meta:
        model = m.Quote
        fields = ["text", "attribution", "order"]
        widgets = {"order": forms.NumberInput}


class VoiceForm(RegistersForm):
    class Meta:
        model = m.VoiceRecord
        fields = ["title", "heard_on", "who", "source", "survey", "priority", "you_said", "we_did", "changed_on"]
        widgets = {"who": forms.RadioSelect, "source": forms.RadioSelect}
        error_messages = {"who": {"required": "Select who spoke"}, "source": {"required": "Select where it was heard"},
                          "you_said": {"required": "Enter what they said"}}

    def clean(self):
        data = super().clean()
        if data.get("changed_on") and not (data.get("we_did") or "").strip():
            self.add_error("we_did", "Enter what changed, or remove the date of the change")
        dates_in_order(self, "heard_on", "changed_on", "The change must be on or after the date it was heard")
        return data


class AnswerForm(Form):
    """The public survey: one field per question, then who is answering (if the survey asks)."""

    def __init__(self, *args, survey, questions, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey, self.questions = survey, questions
        for number, question in enumerate(questions, start=1):
            self.fields[f"q{question.pk}"] = self._field(number, question)
        if survey.asks_agency:
            self.fields["agency"] = forms.ChoiceField(
                label="Which agency do you work for?", required=False,
                choices=[("", "")] + [(str(o.pk), o.name) for o in agencies] + [("other", "Another organisation")],
                help_text="Answers are counted by agency; nobody is named")
        if survey.asks_role:
            self.fields["role"] = forms.ChoiceField(label="What is your role?", required=False,
                                                    choices=roles_for(survey.audience), widget=forms.RadioSelect)

    def _field(self, number, question):
        label = f"{number}. {question.text}"
        common = {"label": label, "required": question.required, "help_text": question.hint}
        if question.kind == m.Question.Kind.TEXT:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=2000, **common)
            field.error_messages.update(required=f"Question {number}: enter an answer",
                                        max_length=f"Question {number}: use 2,000 characters or fewer")
            return field
        if question.kind == m.Question.Kind.SCALE:
            ends = {1: question.low_label, question.scale_max: question.high_label}
            choices = [(str(n), f"{n} – {ends[n]}" if ends.get(n) else str(n)) for n in question.scale_values]
            field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        elif question.multiple:
            field = forms.MultipleChoiceField(choices=[(o, o) for o in question.options],
                                              widget=forms.CheckboxSelectMultiple, **common)
        else:
            field = forms.ChoiceField(choices=[(o, o) for o in question.options], widget=forms.RadioSelect,
                                      **common)
        field.error_messages.update(
            required=f"Question {number}: select {'at least one answer' if question.multiple else 'an answer'}",
            invalid_choice=f"Question {number}: select one of the answers given")
        return field

    def clean(self):
        data = super().clean()
        for number, question in enumerate(self.questions, start=1):
            chosen = data.get(f"q{question.pk}")
            if question.multiple and question.max_choices and chosen and len(chosen) > question.max_choices:
                self.add_error(f"q{question.pk}", f"Question {number}: select no more than {question.max_choices}")
        return data

    def answers(self):
        """(question, choices, number, text) for each question answered."""
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if value in (None, "", []):
                continue
            if question.kind == m.Question.Kind.TEXT:
                yield question, [], None, value.strip()
            elif question.kind == m.Question.Kind.SCALE:
                yield question, [], int(value), ""
            else:
                yield question, list(value) if question.multiple else [value], None, ""

    def organisation(self, agencies):
        chosen = self.cleaned_data.get("agency", "")
        return next((o for o in agencies if str(o.pk) == chosen), None)


class ResultsFilterForm(Form):
    agency = forms.ChoiceField(label="Agency", required=False)
    role = forms.ChoiceField(label="Role", required=False, choices=[("", "All roles")] + m.PersonRole.choices)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = ([("", "All agencies")] + [(str(o.pk), o.name) for o in organisations]
                                         + [("none", "Another organisation or not said")])


class TextSearchForm(Form):
    q = forms.CharField(label="Search the free-text answers", required=False, max_length=100)


def roles_for(audience):
    if audience == m.Survey.Audience.PRACTITIONERS:
        return m.STAFF_ROLES
    if audience in (m.Survey.Audience.CHILDREN, m.Survey.Audience.FAMILIES):
        return [(v, label) for v, label in m.PersonRole.choices if v in ("young_person", "parent", "other")]
    return m.PersonRole.choices


def organisations_of(partnership):
    """The partnership's own agencies, for answers and attendance."""
    return Organisation.objects.filter(partnerships__partnership=partnership,
                                       partnerships__archived_at__isnull=True).distinct().order_by("name")
