"""The one action log (issue 20, point 1): meeting actions and the actions on review and audit recommendations
share one base, one page, one open and one overdue count wherever counts are shown, and reminders."""
import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.models import Organisation
from safeguarding.accounts.roles import Role
from safeguarding.actions import reminders
from safeguarding.audits.models import PlannedAction
from safeguarding.actions.models import Action, MeetingAction, Recommendation
from safeguarding.partnership.models import Meeting
from tests import factories

D = datetime.date
TODAY = datetime.date.today()


@pytest.fixture
def home(db):
    p = factories.partnership("Home")
    council = factories.agency(p, factories.organisation("Home council")).organisation
    police = factories.agency(p, factories.organisation("Home police", Organisation.Sector.POLICE)).organisation
    meeting = Meeting.objects.create(partnership=p, title="Executive", held_on=D(2021, 1, 12))
    recommendation = Recommendation.objects.create(partnership=p, source_title="Child Z (local CSPR)",
                                                   text="Do better", made_on=D(2021, 1, 5))
    late, later = TODAY - datetime.timedelta(days=3), TODAY + datetime.timedelta(days=400)
    # Open: 2 meeting actions (1 overdue) and 2 review actions (1 overdue); done and archived ones do not count.
    MeetingAction.objects.create(partnership=p, meeting=meeting, description="Refresh the threshold document",
                              owner="Business manager", owner_organisation=council, due_on=late)
    MeetingAction.objects.create(partnership=p, meeting=meeting, description="Invite schools", owner="Chair",
                              due_on=later, status=MeetingAction.Status.IN_PROGRESS)
    MeetingAction.objects.create(partnership=p, description="Done already", owner="Chair", due_on=late,
                              status=MeetingAction.Status.DONE, completed_on=late)
    MeetingAction.objects.create(partnership=p, description="Archived", owner="Chair", due_on=late,
                              archived_at=datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC))
    for organisation, due in ((council, late), (police, later)):
        Action.objects.create(partnership=p, recommendation=recommendation, description=f"{organisation} acts",
                              organisation=organisation, owner="Head of service", due_on=due)
    return p, council, police


def test_one_open_and_one_overdue_count_wherever_counts_are_shown(home):
    p = home[0]
    admin = factories.sign_in(Client(), factories.person(p, Role.ADMIN))
    overview = admin.get(reverse("partnership:home", kwargs={"slug": p.slug})).content.decode()
    reviews = admin.get(reverse("reviews:index", kwargs={"slug": p.slug})).content.decode()
    log = admin.get(reverse("actions:log", kwargs={"slug": p.slug})).content.decode()
    assert "4 open actions</a>" in overview and "2 overdue</a>" in overview
    assert "4 open, 2 overdue" in reviews and "4 open, 2 overdue" in log
    assert log.count('class="govuk-table__row"') == 1 + 4  # the heading and the four open actions
    overdue = admin.get(reverse("actions:log", kwargs={"slug": p.slug}) + "?show=overdue").content.decode()
    assert "Refresh the threshold document" in overdue and "Home council acts" in overdue
    assert "Invite schools" not in overdue and "Home police acts" not in overdue
    assert "Done already" not in log and "Archived" not in log


def test_an_agency_lead_sees_its_own_organisations_actions_from_every_source(home):
    p, council, police = home
    lead = factories.sign_in(Client(), factories.person(p, Role.AGENCY_LEAD, org=council))
    log = lead.get(reverse("actions:log", kwargs={"slug": p.slug}) + "?show=all").content.decode()
    assert "Refresh the threshold document" in log and "Home council acts" in log
    assert "Invite schools" not in log and "Home police acts" not in log
    assert "2 open, 2 overdue" in log


def test_the_log_is_the_partnerships_own(home):
    away = factories.partnership("Away")
    outsider = factories.sign_in(Client(), factories.person(away, Role.ADMIN))
    assert outsider.get(reverse("actions:log", kwargs={"slug": home[0].slug})).status_code == 404
    own = outsider.get(reverse("actions:log", kwargs={"slug": away.slug}) + "?show=all").content.decode()
    assert "No actions to show." in own and "0 open, 0 overdue" in own


def test_meeting_actions_get_reminders_too(home):
    p, council, _ = home
    factories.person(p, Role.AGENCY_LEAD, email="lead@council.example", org=council)
    factories.person(p, Role.ADMIN, email="unit@home.example")
    sent, actions = reminders.send(today=TODAY)
    assert (sent, actions) == (2, 2)  # the council's overdue meeting action and review action
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert sorted(bodies) == ["lead@council.example", "unit@home.example"]
    assert "Refresh the threshold document" in bodies["lead@council.example"] and "from Executive" in \
        bodies["lead@council.example"]
    assert MeetingAction.objects.get(description="Refresh the threshold document").reminded_on == TODAY
    assert reminders.send(today=TODAY) == (0, 0)
    # A meeting action with no owning organisation reaches the business unit alone.
    MeetingAction.objects.filter(description="Invite schools").update(due_on=TODAY)
    mail.outbox.clear()
    assert reminders.send(today=TODAY) == (1, 1) and mail.outbox[0].to == ["unit@home.example"]


def test_section_11_planned_actions_get_reminders_in_every_partnership_the_return_is_shared_with(db):
    from tests.audits import builders

    home, away = factories.partnership("Home"), factories.partnership("Away")
    fire = factories.organisation("Shared fire service", Organisation.Sector.FIRE)
    for p in (home, away):
        factories.agency(p, fire)
    cycle = builders.cycle(home, builders.framework(home), [fire])
    link = builders.submitted(cycle, fire)
    PlannedAction.objects.create(section11_return=link.section11_return, standard_key="s1", owner="Head of service",
                                 description="Train every watch", due_on=TODAY - datetime.timedelta(days=1))
    PlannedAction.objects.create(section11_return=link.section11_return, standard_key="s1", owner="Head of service",
                                 description="Far off", due_on=TODAY + datetime.timedelta(days=60))
    factories.person(home, Role.AGENCY_LEAD, email="lead@fire.example", org=fire)
    factories.person(home, Role.ADMIN, email="unit@home.example")
    factories.person(away, Role.ADMIN, email="unit@away.example")  # the return is not shared with Away yet
    assert reminders.send(today=TODAY) == (2, 1)
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert sorted(bodies) == ["lead@fire.example", "unit@home.example"]
    assert "Train every watch" in bodies["lead@fire.example"] and "OVERDUE" in bodies["lead@fire.example"]
    assert "Section 11 return of Shared fire service" in bodies["unit@home.example"]
    assert "Far off" not in bodies["unit@home.example"]
    assert reminders.send(today=TODAY) == (0, 0)  # once a day at most


def test_a_planned_action_in_a_return_still_being_written_gets_no_reminder(db):
    from tests.audits import builders

    home = factories.partnership("Home")
    fire = factories.agency(home, factories.organisation("Fire", Organisation.Sector.FIRE)).organisation
    cycle = builders.cycle(home, builders.framework(home), [fire])
    draft = builders.services.start_return(cycle=cycle, organisation=fire, by=None)
    PlannedAction.objects.create(section11_return=draft.section11_return, standard_key="s1", owner="Head",
                                 description="Not yet submitted", due_on=TODAY - datetime.timedelta(days=1))
    factories.person(home, Role.ADMIN, email="unit@home.example")
    assert reminders.send(today=TODAY) == (0, 0)


def test_every_kind_of_action_shares_the_base():
    for model in (MeetingAction, Action, PlannedAction):
        names = {f.name for f in model._meta.fields}
        assert {"description", "owner", "due_on", "status", "completed_on"} <= names
        assert model.objects.none().open is not None and model.objects.none().overdue is not None
    overdue = PlannedAction(description="x", owner="y", due_on=D(2020, 1, 1), status="in_progress")
    assert overdue.is_overdue and not PlannedAction(due_on=D(2020, 1, 1), status="carried_forward").is_overdue


def test_a_national_reviews_recommendation_and_its_action_are_added_from_the_log(home):
    from safeguarding.core.models import AuditEvent

    p, council, _ = home
    reviewer = factories.sign_in(Client(), factories.person(p, Role.CASE_REVIEW))
    add = reverse("actions:recommendation-add", kwargs={"slug": p.slug})
    bad = reviewer.post(add, {"source_title": "", "number": "1", "text": "Share information"})
    assert "govuk-error-summary" in bad.content.decode() and Recommendation.objects.count() == 1
    response = reviewer.post(add, {"source_title": "Myth of invisible men (national review)", "number": "1",
                                   "text": "Involve fathers", "made_on-day": "14", "made_on-month": "9",
                                   "made_on-year": "2021"})
    assert response.status_code == 302
    national = Recommendation.objects.get(source_title__startswith="Myth")
    response = reviewer.post(reverse("actions:action-add", kwargs={"slug": p.slug, "pk": national.pk}), {
        "description": "Ask about fathers at every assessment", "organisation": council.pk, "owner": "Head of CSC",
        "due_on-day": "31", "due_on-month": "3", "due_on-year": str(TODAY.year + 2), "status": "open"})
    assert response.status_code == 302
    action = Action.objects.get(recommendation=national)
    assert AuditEvent.objects.filter(record_type="actions.action", record_id=str(action.pk), action="create").exists()
    log = reviewer.get(reverse("actions:log", kwargs={"slug": p.slug})).content.decode()
    assert "Ask about fathers at every assessment" in log and "5 open, 2 overdue" in log


def test_the_old_addresses_send_bookmarks_on(home):
    p = home[0]
    action = Action.objects.filter(partnership=p).first()
    admin = factories.sign_in(Client(), factories.person(p, Role.ADMIN))
    old = admin.get(f"/p/{p.slug}/reviews/actions/?show=overdue")
    assert old.status_code == 301 and old["Location"] == reverse("actions:log", kwargs={"slug": p.slug}) + "?show=overdue"
    assert admin.get(f"/p/{p.slug}/reviews/actions/{action.pk}/")["Location"] == reverse(
        "actions:action-edit", kwargs={"slug": p.slug, "pk": action.pk})
    assert admin.get(f"/p/{p.slug}/registers/archived/")["Location"] == reverse("core:archived", kwargs={"slug": p.slug})
    outsider = factories.sign_in(Client(), factories.person(factories.partnership("Away"), Role.ADMIN))
    assert outsider.get(f"/p/{p.slug}/reviews/actions/").status_code == 404


def test_a_long_log_comes_in_pages_and_the_download_has_every_action(home):
    from openpyxl import load_workbook
    import io

    from safeguarding.actions.views import PER_PAGE

    p = home[0]
    for n in range(PER_PAGE + 3):
        MeetingAction.objects.create(partnership=p, description=f"Bulk action {n:03}", owner="Chair",
                                     due_on=TODAY + datetime.timedelta(days=30 + n))
    admin = factories.sign_in(Client(), factories.person(p, Role.ADMIN))
    url = reverse("actions:log", kwargs={"slug": p.slug})
    first, second = admin.get(url).content.decode(), admin.get(url + "?show=open&page=2").content.decode()
    # By due date: the two overdue actions, then the bulk ones, then the two due in 400 days.
    assert first.count("Bulk action") == PER_PAGE - 2 and "page 1 of 2" in first
    assert second.count("Bulk action") == 5 and "Bulk action 052" in second and "Invite schools" in second
    assert 'href="?show=open&amp;page=2"' in first
    book = load_workbook(io.BytesIO(admin.get(url + "?show=open&format=xlsx").content))
    assert book["Actions"].max_row == 1 + PER_PAGE + 3 + 4
