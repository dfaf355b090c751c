"""Writes to the registers that are more than saving a form: a survey's life (draft, open, closed), answers sent
through its public link, and quotes picked for the report. Each one goes through the audit trail."""
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.core import audit

from . import models as m

# Answers taken from one address for one survey in an hour. A school class may share one address, so the
# limit is generous: it stops a script filling a survey, not a room of children answering it.
ANSWERS_PER_HOUR = 100


@transaction.atomic
def open_survey(*, survey, by, today=None):
    today = today or timezone.localdate()
    if not survey.questions.filter(archived_at__isnull=True).exists():
        raise ValidationError("Add at least one question before opening the survey.")
    if survey.closes_on is not None and survey.closes_on < today:
        raise ValidationError("The closing date has passed: change or remove it before opening the survey.")
    survey.status = m.Survey.Status.OPEN
    survey.opens_on = survey.opens_on or today
    return audit.update(survey, by=by)


@transaction.atomic
def close_survey(*, survey, by, today=None):
    today = today or timezone.localdate()
    survey.status = m.Survey.Status.CLOSED
    if survey.closes_on is None or survey.closes_on > today:
        survey.closes_on = today
    return audit.update(survey, by=by)


# Our own nginx (deploy/nginx.conf) talks to the application over loopback and appends the client's address
# to X-Forwarded-For; addresses further left come from the client and prove nothing.
LOOPBACK = frozenset({"127.0.0.1", "::1"})


def client_address(meta):
    peer = meta.get("REMOTE_ADDR", "")
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if peer in LOOPBACK and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return peer


def allow_answer(survey, address):
    """Count one set of answers from an address; False once it has sent more than the hourly limit."""
    limit = getattr(settings, "SURVEY_ANSWERS_PER_HOUR", ANSWERS_PER_HOUR)
    # The address is only hashed into a cache key for an hour, never stored with the answers.
    key = "survey-answers:" + hashlib.sha256(f"{survey.pk}:{address}".encode()).hexdigest()
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count <= limit


@transaction.atomic
def submit_response(*, survey, organisation, role, answers, submitted_at=None):
    """Store one person's answers. ``answers``: (question, choices, number, text) for each question answered.
    Sent without an account, so the audit trail records the system as the author."""
    if not survey.accepting_answers():
        raise ValidationError("This survey has closed.")
    response = audit.create(m.SurveyResponse(
        partnership=survey.partnership, survey=survey, organisation=organisation, role=role or "",
        submitted_at=submitted_at or timezone.now()), by=None)
    for question, choices, number, text in answers:
        audit.create(m.Answer(partnership=survey.partnership, response=response, question=question,
                              choices=choices, number=number, text=text), by=None)
    return response


def attribution_for(answer):
    """How a quote is attributed by default: the role and sector, never a name or an agency."""
    response = answer.response
    text = response.get_role_display() if response.role else "A respondent"
    if response.organisation is not None:
        text += f", {response.organisation.get_sector_display().lower()}"
    return text
