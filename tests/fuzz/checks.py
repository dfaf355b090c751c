"""What every response to bad input must satisfy, and what the database must look like afterwards."""
import contextlib
import re

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models.signals import post_save

from .strategies import UNESCAPED

# A refusal is a 4xx or the form again with its errors; a success is a redirect. Never a 5xx.
ALLOWED_STATUS = {200, 302, 303, 400, 403, 404, 405, 410, 413, 429}
# Written on every request, whatever its outcome: the session (kept alive on each request) and the access log.
ALWAYS_WRITTEN = {"django_session", "core_accesslogentry"}
PROJECT_APPS = {"accounts", "core", "partnership", "returns", "benchmarks", "indicators", "reports", "lado", "reviews",
                "audits", "registers"}
WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.I)


class Recorder:
    """The tables written by SQL and the project records saved while a request is handled."""

    def __init__(self):
        self.tables = set()
        self.saved = []

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match:
            self.tables.add(match.group(1).lower())
        return execute(sql, params, many, context)

    def _on_save(self, sender, instance, **kwargs):
        if sender._meta.app_label in PROJECT_APPS:
            self.saved.append((sender, instance.pk))

    @contextlib.contextmanager
    def recording(self):
        post_save.connect(self._on_save, weak=False, dispatch_uid="fuzz-recorder")
        try:
            with connection.execute_wrapper(self):
                yield self
        finally:
            post_save.disconnect(dispatch_uid="fuzz-recorder")


def record_problems(instance, partnership):
    """Why a stored record is not consistent: what PostgreSQL would refuse though SQLite keeps it (NUL, text
    too long, numbers out of range), values outside the model's choices, or a record of another partnership."""
    problems = []
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        # A required field left empty by the code itself is its business; anything else is bad data stored.
        for field, messages in error.message_dict.items():
            bad = [m for m in messages if "cannot be blank" not in m and "cannot be null" not in m]
            if bad:
                problems.append(f"{field}: {bad} (value {getattr(instance, field, None)!r:.80})")
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(value, str) and "\x00" in value:
            problems.append(f"{field.name}: holds a NUL character, which PostgreSQL refuses")
        if isinstance(field, models.JSONField) and "\\u0000" in repr(value):
            problems.append(f"{field.name}: JSON holds a NUL character")
    partnership_id = getattr(instance, "partnership_id", None)
    if partnership is not None and partnership_id is not None and partnership_id != partnership.pk:
        problems.append(f"moved to another partnership ({partnership_id}, not {partnership.pk})")
    return problems


def check_response(response, *, recorder=None, partnership=None, allowed_writes=frozenset(), what=""):
    """The status is a refusal or a success; a refusal changed nothing; a success stored consistent records;
    no markup came back unescaped. Without a recorder, only the status and the escaping are checked."""
    status = response.status_code
    assert status in ALLOWED_STATUS, f"{what}: status {status}"
    body = b"".join(response) if response.streaming else response.content
    for marker in UNESCAPED:
        assert marker.encode() not in body, f"{what}: {marker!r} came back unescaped"
    if recorder is None:
        return body
    if status in (302, 303):
        for model, pk in dict.fromkeys(recorder.saved):
            stored = model._base_manager.filter(pk=pk).first()
            if stored is not None:
                problems = record_problems(stored, partnership)
                assert not problems, f"{what}: {model.__name__} {pk} stored inconsistently: {problems}"
    else:
        changed = recorder.tables - ALWAYS_WRITTEN - set(allowed_writes)
        assert not changed, f"{what}: refused with {status} but wrote to {sorted(changed)}"
    return body
