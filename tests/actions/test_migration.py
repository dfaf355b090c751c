"""The one action log's migrations carry a database of the old shape over (issue 20, point 1): recommendations
and actions from the reviews app and meeting actions from the partnership register keep their ids, their links
and their audit trail. Runs on SQLite and, through scripts/with-postgres, on PostgreSQL."""
import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from safeguarding.actions.models import Action, MeetingAction, Recommendation
from safeguarding.core.models import AccessLogEntry, AuditEvent

OLD = [("reviews", "0001_case_reviews"), ("partnership", "0002_meeting_actions_remind"), ("actions", None)]
# The models as they were then, with the audit trail (core) beside them.
OLD_STATE = OLD[:2] + [("core", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_old_actions_are_carried_into_the_action_log():
    executor = _migrate(OLD)
    old = executor.loader.project_state(OLD_STATE).apps
    partnership = old.get_model("accounts", "Partnership").objects.create(
        name="Old Safeguarding Children Partnership", short_name="OSCP", slug="old", local_authority="Old",
        la_code="999")
    council = old.get_model("accounts", "Organisation").objects.create(name="Old council", sector="local_authority")
    meeting = old.get_model("partnership", "Meeting").objects.create(partnership=partnership, title="Executive",
                                                                      held_on=datetime.date(2021, 1, 12))
    # Ids well apart from 1, so a test that passed by numbering from 1 again would fail.
    recommendation = old.get_model("reviews", "Recommendation").objects.create(
        id=41, partnership=partnership, source_title="Child Z (local CSPR)", number=2, text="Do better",
        made_on=datetime.date(2021, 1, 5))
    old.get_model("reviews", "Action").objects.create(
        id=57, partnership=partnership, recommendation=recommendation, description="Train the front door",
        organisation=council, owner="Head of service", due_on=datetime.date(2021, 1, 31), status="in_progress",
        impact="Fewer repeat referrals", reminded_on=datetime.date(2021, 1, 25))
    old.get_model("partnership", "ActionItem").objects.create(
        id=73, partnership=partnership, meeting=meeting, description="Refresh the threshold document",
        owner="Business manager", owner_organisation=council, due_on=datetime.date(2021, 3, 31), status="done",
        completed_on=datetime.date(2021, 3, 2), progress="Agreed in March",
        archived_at=datetime.datetime(2021, 4, 1, tzinfo=datetime.UTC))
    events = old.get_model("core", "AuditEvent")
    events.objects.create(action="update", record_type="reviews.action", record_id="57", partnership=partnership)
    events.objects.create(action="create", record_type="partnership.actionitem", record_id="73")
    events.objects.create(action="create", record_type="reviews.seriousincident", record_id="5")
    old.get_model("core", "AccessLogEntry").objects.create(record_type="reviews.recommendation", record_id="41")

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    moved = Recommendation.objects.get()
    assert (moved.pk, moved.number, moved.text, moved.partnership.slug) == (41, 2, "Do better", "old")
    action = Action.objects.get()
    assert (action.pk, action.recommendation_id, action.organisation.name, action.status, action.impact,
            action.reminded_on) == (57, 41, "Old council", "in_progress", "Fewer repeat referrals",
                                    datetime.date(2021, 1, 25))
    item = MeetingAction.objects.get()
    assert (item.pk, item.meeting.title, item.owner_organisation.name, item.status, item.progress) == (
        73, "Executive", "Old council", "done", "Agreed in March")
    assert item.archived_at is not None and list(MeetingAction.objects.active()) == []
    assert sorted(AuditEvent.objects.values_list("record_type", "record_id")) == [
        ("actions.action", "57"), ("actions.meetingaction", "73"), ("reviews.seriousincident", "5")]
    assert AccessLogEntry.objects.get().record_type == "actions.recommendation"
    # New rows number on from the carried ones (PostgreSQL's sequences were moved past them).
    fresh = MeetingAction.objects.create(partnership=moved.partnership, description="Next", owner="Chair",
                                         due_on=datetime.date(2021, 6, 30))
    assert fresh.pk > 73
    assert Action.objects.create(partnership=moved.partnership, recommendation=moved, description="More",
                                 organisation=action.organisation, owner="Lead",
                                 due_on=datetime.date(2021, 6, 30)).pk > 57


@pytest.mark.django_db(transaction=True)
def test_the_move_goes_back_too():
    partnership_model = MigrationExecutor(connection).loader.project_state().apps.get_model("accounts",
                                                                                           "Partnership")
    partnership = partnership_model.objects.create(name="Back SCP", short_name="BSCP", slug="back",
                                                   local_authority="Back", la_code="998")
    MeetingAction.objects.create(id=9, partnership_id=partnership.pk, description="Keep me", owner="Chair",
                                 due_on=datetime.date(2021, 6, 30))
    executor = _migrate(OLD)
    old = executor.loader.project_state(OLD_STATE).apps
    assert list(old.get_model("partnership", "ActionItem").objects.values_list("id", "description")) == [
        (9, "Keep me")]
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert MeetingAction.objects.get().description == "Keep me"
