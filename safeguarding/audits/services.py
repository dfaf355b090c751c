"""Writes to the assurance workflows: keyword-only, atomic, each record through the audit trail."""
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from safeguarding.core import audit
from safeguarding.actions.models import Recommendation

from . import selectors
from .models import (Challenge, CycleReturn, EvidenceFile, Framework, ModeratedRating, PlannedAction,
                     ReturnAnswer, Section11Return, Standard, rating_of)
from .starting_sets import STARTING_SETS


def _filed_in(record, partnership):
    """A return and its parts belong to the agency, not to a partnership: their audit events are filed with the
    partnership whose pages made the change (``audit`` reads ``partnership_id`` from the record)."""
    record.partnership_id = partnership.pk
    return record


# ------------------------------------------------------------------------------------ frameworks


@transaction.atomic
def create_framework(*, partnership, name, scale, by, description="", starting_set=""):
    """A framework of the partnership's own, with the standards of a starting set copied in to be changed."""
    framework = audit.create(Framework(partnership=partnership, name=name, description=description, scale=scale,
                                       starting_set=starting_set), by=by)
    if starting_set:
        for number, standard in enumerate(STARTING_SETS[starting_set][1], start=1):
            audit.create(Standard(partnership=partnership, framework=framework, key=standard.key, number=number,
                                  title=standard.title, description=standard.description,
                                  questions="\n".join(standard.questions), guidance=standard.guidance), by=by)
    return framework


def new_standard_key(framework, title):
    base = slugify(title)[:50] or "standard"
    key, n = base, 1
    while Standard.objects.filter(framework=framework, key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def compatible(one, other):
    """Can a return answering framework ``one`` stand in a cycle of framework ``other``? Only if both ask the
    same standards (by key) on the same rating scale."""
    if one.pk == other.pk:
        return True
    keys = lambda f: set(f.standards.filter(archived_at__isnull=True).values_list("key", flat=True))  # noqa: E731
    return one.scale == other.scale and keys(one) == keys(other)


# ------------------------------------------------------------------------------------ returns


def _draft(cycle_return):
    if cycle_return.section11_return.is_submitted:
        raise ValidationError("The return has been submitted and can no longer be changed. Ask the partnership to "
                              "send it back to you if something needs correcting.")


def _asked(cycle, organisation):
    if organisation is None or not cycle.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError("Your organisation is not asked for a return in this cycle.")


@transaction.atomic
def start_return(*, cycle, organisation, by):
    """Start the organisation's return, from its answers in the partnership's last cycle when there are any:
    ratings, evidence and evidence files are copied; actions not finished move to the new return."""
    _asked(cycle, organisation)
    existing = CycleReturn.objects.filter(cycle=cycle, organisation=organisation).first()
    if existing is not None:
        return existing
    partnership = cycle.partnership
    previous = selectors.previous_cycle_return(cycle, organisation)
    earlier = previous.section11_return if previous else None
    record = audit.create(_filed_in(Section11Return(organisation=organisation, framework=cycle.framework,
                                                    started_from=earlier), partnership), by=by)
    link = audit.create(CycleReturn(partnership=partnership, cycle=cycle, section11_return=record,
                                    organisation=organisation), by=by)
    if earlier is not None:
        keys = set(cycle.framework.standards_in_order().values_list("key", flat=True))
        scale = cycle.framework.scale
        for answer in earlier.answers.filter(standard_key__in=keys):
            # A rating on a scale the partnership has since changed is left for the agency to give again.
            rating = answer.rating if rating_of(scale, answer.rating) else ""
            audit.create(_filed_in(ReturnAnswer(section11_return=record, standard_key=answer.standard_key,
                                                rating=rating, evidence=answer.evidence), partnership), by=by)
        for evidence in earlier.files.filter(standard_key__in=keys, archived_at__isnull=True):
            # The same stored file: evidence files are archived, never deleted, so both rows stay valid.
            audit.create(_filed_in(EvidenceFile(section11_return=record, standard_key=evidence.standard_key,
                                                title=evidence.title, file=evidence.file.name,
                                                uploaded_by=evidence.uploaded_by), partnership), by=by)
        for action in earlier.actions.filter(status__in=[PlannedAction.Status.OPEN, PlannedAction.Status.IN_PROGRESS]):
            audit.create(_filed_in(PlannedAction(
                section11_return=record, standard_key=action.standard_key, description=action.description,
                owner=action.owner, due_on=action.due_on, status=action.status, progress=action.progress),
                partnership), by=by)
            action.status = PlannedAction.Status.CARRIED_FORWARD
            audit.update(_filed_in(action, partnership), by=by)
    return link


@transaction.atomic
def share_return(*, cycle, section11_return, by):
    """Put a return the organisation already completed for another partnership into this cycle as well."""
    _asked(cycle, section11_return.organisation)
    if CycleReturn.objects.filter(cycle=cycle, organisation=section11_return.organisation).exists():
        raise ValidationError("Your organisation already has a return in this cycle.")
    if not compatible(section11_return.framework, cycle.framework):
        raise ValidationError("That return answers different standards or uses a different rating scale, so it "
                              "cannot be shared with this cycle. Start a new return instead.")
    return audit.create(CycleReturn(partnership=cycle.partnership, cycle=cycle, section11_return=section11_return,
                                    organisation=section11_return.organisation), by=by)


@transaction.atomic
def save_answer(*, cycle_return, standard_key, rating, evidence, by, upload=None, upload_title=""):
    """Save one standard's answer, part-way or complete; an upload is kept as evidence for that standard."""
    _draft(cycle_return)
    partnership = cycle_return.partnership
    record = cycle_return.section11_return
    answer = ReturnAnswer.objects.filter(section11_return=record, standard_key=standard_key).first()
    if answer is None:
        answer = audit.create(_filed_in(ReturnAnswer(section11_return=record, standard_key=standard_key,
                                                     rating=rating, evidence=evidence), partnership), by=by)
    else:
        answer.rating, answer.evidence, answer.updated_at = rating, evidence, timezone.now()
        audit.update(_filed_in(answer, partnership), by=by)
    if upload is not None:
        evidence_file = EvidenceFile(section11_return=record, standard_key=standard_key,
                                     title=(upload_title or upload.name)[:200], uploaded_by=by)
        evidence_file.file.save(upload.name, upload, save=False)
        audit.create(_filed_in(evidence_file, partnership), by=by)
    return answer


@transaction.atomic
def remove_evidence(*, cycle_return, evidence_file, by):
    _draft(cycle_return)
    return audit.archive(_filed_in(evidence_file, cycle_return.partnership), by=by)


@transaction.atomic
def save_planned_action(*, cycle_return, action, by):
    """Add or change a planned action. Progress can be recorded after submission: actions run to completion."""
    action.section11_return = cycle_return.section11_return
    _filed_in(action, cycle_return.partnership)
    return audit.update(action, by=by) if action.pk else audit.create(action, by=by)


def unanswered(cycle_return):
    rated = set(cycle_return.section11_return.answers.exclude(rating="").values_list("standard_key", flat=True))
    return [s for s in cycle_return.cycle.framework.standards_in_order() if s.key not in rated]


@transaction.atomic
def submit_return(*, cycle_return, summary, by):
    _draft(cycle_return)
    missing = unanswered(cycle_return)
    if missing:
        raise ValidationError("Rate every standard before you submit. Not yet rated: "
                              + "; ".join(str(s) for s in missing) + ".")
    record = Section11Return.objects.select_for_update().get(pk=cycle_return.section11_return_id)
    record.summary = summary
    record.status = Section11Return.Status.SUBMITTED
    record.submitted_at = timezone.now()
    record.submitted_by = by
    audit.update(_filed_in(record, cycle_return.partnership), by=by)
    cycle_return.section11_return = record
    return record


@transaction.atomic
def send_back(*, cycle_return, by):
    """The partnership returns a submitted return to the agency to correct; its own moderation starts again.
    A return shared with other partnerships reopens for them too (it is one return), but their moderation is
    theirs: this partnership does not undo it."""
    record = cycle_return.section11_return
    if not record.is_submitted:
        raise ValidationError("The return has not been submitted yet.")
    record.status = Section11Return.Status.DRAFT
    record.submitted_at = None
    audit.update(_filed_in(record, cycle_return.partnership), by=by)
    if cycle_return.moderated_at:
        cycle_return.moderated_at, cycle_return.moderated_by = None, None
        audit.update(cycle_return, by=by)
    return record


# ------------------------------------------------------------------------------------ moderation


@transaction.atomic
def moderate(*, cycle_return, ratings, themes, summary, complete, by):
    """``ratings``: {standard key: (moderated rating or "", comment)}. ``complete`` marks the return moderated
    and needs every standard rated."""
    if not cycle_return.section11_return.is_submitted:
        raise ValidationError("Only a submitted return can be moderated.")
    if complete and any(not rating for rating, _ in ratings.values()):
        raise ValidationError("Give a moderated rating for every standard before marking moderation complete.")
    existing = {m.standard_key: m for m in cycle_return.moderated_ratings.all()}
    for key, (rating, comment) in ratings.items():
        found = existing.get(key)
        if found is None:
            if rating or comment:
                audit.create(ModeratedRating(partnership=cycle_return.partnership, cycle_return=cycle_return,
                                             standard_key=key, rating=rating, comment=comment), by=by)
        elif (found.rating, found.comment) != (rating, comment):
            found.rating, found.comment = rating, comment
            audit.update(found, by=by)
    cycle_return.themes = list(themes)
    cycle_return.moderation_summary = summary
    if complete and not cycle_return.moderated_at:
        cycle_return.moderated_at, cycle_return.moderated_by = timezone.now(), by
    elif not complete:
        cycle_return.moderated_at, cycle_return.moderated_by = None, None
    return audit.update(cycle_return, by=by)


@transaction.atomic
def raise_challenge(*, cycle_return, standard_key, raised_on, text, by):
    return audit.create(Challenge(partnership=cycle_return.partnership, cycle_return=cycle_return,
                                  standard_key=standard_key, raised_on=raised_on, text=text, raised_by=by), by=by)


@transaction.atomic
def respond_to_challenge(*, challenge, response, by):
    if challenge.resolved_on:
        raise ValidationError("This challenge has been resolved.")
    challenge.response, challenge.responded_on, challenge.responded_by = response, timezone.localdate(), by
    return audit.update(challenge, by=by)


@transaction.atomic
def resolve_challenge(*, challenge, by):
    if not challenge.resolved_on:
        challenge.resolved_on = timezone.localdate()
        audit.update(challenge, by=by)
    return challenge


# ------------------------------------------------------------------------------------ the shared action log


@transaction.atomic
def add_recommendation(*, source, text, made_on, by, number=None):
    """A recommendation from a Section 11 cycle or a multi-agency audit, in the shared action log."""
    kind = ContentType.objects.get_for_model(source)
    if number is None:
        number = Recommendation.objects.filter(source_type=kind, source_id=source.pk).count() + 1
    title = str(source) if source._meta.model_name == "cycle" else f"{source} (multi-agency audit)"
    return audit.create(Recommendation(partnership=source.partnership, source_type=kind, source_id=source.pk,
                                       source_title=title[:200], number=number, text=text,
                                       made_on=made_on), by=by)
