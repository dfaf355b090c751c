"""Carry the actions over from where they were kept before the one action log (ADR 0022): recommendations and
their actions from the reviews app, meeting actions from the partnership register. Primary keys are kept, so
links between the rows, the audit trail's and the access log's record ids, and bookmarked pages stay right;
the trail's record type is renamed to the new home. Reversible: going back copies the rows back."""
from django.core.management.color import no_style
from django.db import migrations

# (old app, old model, new model in this app): the order keeps recommendations before their actions.
MOVES = [("reviews", "Recommendation", "Recommendation"), ("reviews", "Action", "Action"),
         ("partnership", "ActionItem", "MeetingAction")]


def _copy(source, target, connection):
    names = [field.attname for field in target._meta.concrete_fields]
    rows = source.objects.order_by("pk").values(*names)
    target.objects.bulk_create((target(**row) for row in rows.iterator()), batch_size=1000)
    # Rows came with their ids: move the id sequence past them (PostgreSQL), so new rows do not collide.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [target]):
            cursor.execute(statement)


def _relabel(apps, renames):
    for model_name in ("AuditEvent", "AccessLogEntry"):
        model = apps.get_model("core", model_name)
        for old, new in renames:
            model.objects.filter(record_type=old).update(record_type=new)


def forward(apps, schema_editor):
    for old_app, old_model, new_model in MOVES:
        _copy(apps.get_model(old_app, old_model), apps.get_model("actions", new_model), schema_editor.connection)
    _relabel(apps, [(f"{a}.{o}".lower(), f"actions.{n}".lower()) for a, o, n in MOVES])


def backward(apps, schema_editor):
    for old_app, old_model, new_model in MOVES:
        _copy(apps.get_model("actions", new_model), apps.get_model(old_app, old_model), schema_editor.connection)
    _relabel(apps, [(f"actions.{n}".lower(), f"{a}.{o}".lower()) for a, o, n in MOVES])


class Migration(migrations.Migration):

    dependencies = [
        ("actions", "0001_initial"),
        ("reviews", "0001_case_reviews"),
        ("partnership", "0002_meeting_actions_remind"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
