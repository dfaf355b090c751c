"""The audit trail service: every write to a partnership record goes through here.

Views and services call these functions instead of ``save()``/``delete()``, so a
change made one record at a time and a bulk change are recorded the same way.
"""
import datetime
import decimal
import hashlib
import uuid

from django.db import models, transaction
from django.utils import timezone

from safeguarding.core.models import AccessLogEntry, AuditEvent


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # file fields
        return value.name or None
    if isinstance(value, (bytes, memoryview)):  # binary fields: which content, not the content
        value = bytes(value)
        return f"{len(value)} bytes, SHA-256 {hashlib.sha256(value).hexdigest()}" if value else None
    return value


def snapshot(instance):
    """The stored values of a record, as JSON-friendly data (foreign keys as ids)."""
    values = {}
    for field in instance._meta.concrete_fields:
        if getattr(field, "audit_exclude", False) or field.name in ("password",):
            continue
        values[field.attname] = _plain(getattr(instance, field.attname))
    return values


def record_type(instance):
    return instance._meta.label_lower


def _partnership_id(instance):
    if instance._meta.label_lower == "accounts.partnership":
        return instance.pk
    return getattr(instance, "partnership_id", None)


def log(*, action, instance, by, before=None, after=None, partnership=None):
    """One event. ``partnership`` names the trail for a record that belongs to none (a person's account)."""
    return AuditEvent.objects.create(
        partnership_id=partnership.pk if partnership is not None else _partnership_id(instance),
        actor=by if getattr(by, "pk", None) else None,
        actor_email=getattr(by, "email", "") or "",
        action=action,
        record_type=record_type(instance),
        record_id=str(instance.pk),
        record_label=str(instance)[:300],
        before=before,
        after=after,
    )


def _changes(before, after):
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after.get(key) for key in keys}


@transaction.atomic
def create(instance, *, by):
    instance.save()
    log(action=AuditEvent.Action.CREATE, instance=instance, by=by, after=snapshot(instance))
    return instance


@transaction.atomic
def update(instance, *, by):
    stored = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
    before, after = _changes(snapshot(stored), snapshot(instance))
    instance.save()
    if after:
        log(action=AuditEvent.Action.UPDATE, instance=instance, by=by, before=before, after=after)
    return instance


@transaction.atomic
def archive(instance, *, by):
    instance.archived_at = timezone.now()
    instance.save(update_fields=["archived_at"])
    log(action=AuditEvent.Action.ARCHIVE, instance=instance, by=by, before={"archived_at": None},
        after={"archived_at": _plain(instance.archived_at)})
    return instance


@transaction.atomic
def restore(instance, *, by):
    before = _plain(instance.archived_at)
    instance.archived_at = None
    instance.save(update_fields=["archived_at"])
    log(action=AuditEvent.Action.RESTORE, instance=instance, by=by, before={"archived_at": before},
        after={"archived_at": None})
    return instance


@transaction.atomic
def delete(instance, *, by):
    before = snapshot(instance)
    log(action=AuditEvent.Action.DELETE, instance=instance, by=by, before=before)
    instance.delete()


@transaction.atomic
def bulk_update(queryset, *, by, **changes):
    """Change many records at once; each one still gets its own before-and-after entry."""
    records = list(queryset.select_for_update())
    befores = {record.pk: snapshot(record) for record in records}
    queryset.model._base_manager.filter(pk__in=list(befores)).update(**changes)
    for record in queryset.model._base_manager.filter(pk__in=list(befores)):
        before, after = _changes(befores[record.pk], snapshot(record))
        if after:
            log(action=AuditEvent.Action.UPDATE, instance=record, by=by, before=before, after=after)
    return len(records)


def log_access(request, instance=None, *, record_type_label=None, record_id="", record_label=""):
    """Write an access-log entry for a view of sensitive detail."""
    user = request.user
    partnership = getattr(request, "partnership", None)
    return AccessLogEntry.objects.create(
        partnership=partnership,
        user=user if user.is_authenticated else None,
        user_email=getattr(user, "email", "") or "",
        record_type=record_type_label or (record_type(instance) if instance is not None else ""),
        record_id=str(instance.pk) if instance is not None else record_id,
        record_label=(str(instance) if instance is not None else record_label)[:300],
        path=request.get_full_path()[:500],
    )


# Reading the trail: in words, not codes ---------------------------------------------------------------

def _model(record_type):
    from django.apps import apps

    try:
        return apps.get_model(record_type)
    except (LookupError, ValueError):
        return None


def kind_of(record_type):
    """The kind of record as people call it (its model's verbose name): "Report narrative", not
    "reports.reporttext". An unknown kind (a model since removed) is shown as stored."""
    from django.utils.text import capfirst

    model = _model(record_type)
    return capfirst(model._meta.verbose_name) if model is not None else record_type


def _in_words(field, value):
    """A stored value as a person reads it: a choice by its label, a date as a date, a linked record by its name."""
    from safeguarding.core.formats import format_date

    if value is None or value == "":
        return ""
    if field is None:
        return str(value)
    if field.is_relation and field.many_to_one:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"number {value} (since deleted)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, (models.BooleanField,)):
        return "Yes" if value else "No"
    if isinstance(field, models.DateTimeField):
        try:
            return format_date(datetime.datetime.fromisoformat(value), with_time=True)
        except (TypeError, ValueError):
            return str(value)
    if isinstance(field, models.DateField):
        try:
            return format_date(datetime.date.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def changes_in_words(event):
    """The event's values before and after, one row per field in the model's order: its label (verbose name),
    and each value in words. Fields of a model no longer known are shown as stored."""
    from django.utils.text import capfirst

    before, after = event.before or {}, event.after or {}
    model = _model(event.record_type)
    fields = {f.attname: f for f in model._meta.concrete_fields} if model is not None else {}
    keys = [k for k in fields if k in before or k in after] + sorted((set(before) | set(after)) - set(fields))
    return [{"field": capfirst(fields[k].verbose_name) if k in fields else k,
             "before": _in_words(fields.get(k), before.get(k)), "after": _in_words(fields.get(k), after.get(k))}
            for k in keys]
