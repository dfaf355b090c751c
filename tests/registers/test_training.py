"""Training and its impact: attendance by agency and role, the three-stage evaluation (before, straight after,
6 to 8 weeks later with the manager), the year's figures, and recording it all."""
import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.roles import Role
from safeguarding.core.models import AuditEvent
from safeguarding.registers import models as m
from safeguarding.registers import selectors
from tests import factories
from tests.registers import records

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return factories.partnership("Home")


def _person(p, session, org, role, scores, attended=True):
    """scores: {stage: (confidence, practice, days after the session)}"""
    a = m.Attendance.objects.create(partnership=p, session=session, organisation=org, role=role, attended=attended)
    for stage, (confidence, practice, days) in scores.items():
        m.Evaluation.objects.create(partnership=p, attendance=a, stage=stage, confidence=confidence, practice=practice,
                                    completed_on=session.held_on + datetime.timedelta(days=days))
    return a


def test_the_years_figures(home):
    council = records.agency(home, "Home council")
    school = records.agency(home, "Home schools", "education")
    course = m.TrainingCourse.objects.create(partnership=home, title="Neglect")
    other = m.TrainingCourse.objects.create(partnership=home, title="Domestic abuse")
    one = m.TrainingSession.objects.create(partnership=home, course=course, held_on=D(2020, 6, 1), places=20)
    two = m.TrainingSession.objects.create(partnership=home, course=other, held_on=D(2021, 3, 31), places=10)
    later = m.TrainingSession.objects.create(partnership=home, course=course, held_on=D(2021, 4, 1))
    _person(home, one, council, "front_line", {"before": (4, 5, -2), "after": (7, 6, 0), "follow_up": (6, 8, 45)})
    _person(home, one, council, "manager", {"before": (6, 6, -1), "after": (8, 7, 0)})
    _person(home, one, school, "dsl", {"after": (9, 9, 0), "follow_up": (9, 9, 70)})  # no "before": no change
    _person(home, two, school, "front_line", {"before": (5, 4, -3), "follow_up": (8, 7, 56)})
    _person(home, two, council, "front_line", {}, attended=False)
    _person(home, later, council, "front_line", {"before": (1, 1, -1)})  # 2021-22

    f = selectors.training_figures(home, 2021)
    assert (f.label, f.sessions, f.courses, f.places) == ("2020-21", 2, 2, 30)
    assert (f.attended, f.did_not_attend) == (4, 1)
    assert f.by_agency == [("Home council", 2), ("Home schools", 2)]
    assert dict(f.by_sector) == {"Local authority": 2, "Education": 2}
    assert dict(f.by_role) == {"Front-line practitioner": 2, "Team manager or supervisor": 1,
                               "Designated safeguarding lead": 1}
    assert f.evaluations == {"before": 3, "after": 3, "follow_up": 3}
    assert f.response_rate == {"before": Decimal("75.0"), "after": Decimal("75.0"), "follow_up": Decimal("75.0")}
    # Confidence: before (4+6+5)/3, after (7+8+9)/3, follow-up (6+9+8)/3; changes only where both were given:
    # after - before (3, 2) -> 2.5; follow-up - before (2, 3) -> 2.5.
    assert f.confidence == selectors.StageScores(Decimal("5.0"), Decimal("8.0"), Decimal("7.7"), Decimal("2.5"),
                                                 Decimal("2.5"))
    assert f.practice.change_after == Decimal("1.0") and f.practice.change_follow_up == Decimal("3.0")
    assert f.follow_ups_in_window == 2  # 45 and 56 days; 70 is outside 6 to 8 weeks
    assert [(r.course.title, r.sessions, r.attended) for r in f.courses_table] == [("Domestic abuse", 1, 1),
                                                                                    ("Neglect", 1, 3)]
    assert selectors.training_figures(home, 2022).attended == 1
    empty = selectors.training_figures(home, 2019)
    assert empty.attended == 0 and empty.confidence.before is None and empty.response_rate["before"] is None


def _date(prefix, day):
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def test_the_business_unit_records_a_course_session_attendance_and_evaluations(home):
    council = records.agency(home, "Home council")
    elsewhere = factories.organisation("Not a partner of Home")
    admin = factories.sign_in(Client(), factories.person(home, Role.ADMIN))
    base = f"/p/{home.slug}/registers/training/"
    admin.post(base + "courses/add/", {"title": "Exploitation", "summary": "Signs and disruption"})
    course = m.TrainingCourse.objects.get(title="Exploitation")
    admin.post(reverse("registers:session-add", kwargs={"slug": home.slug, "pk": course.pk}),
               {**_date("held_on", D(2020, 11, 12)), "format": "online", "places": "20"})
    session = course.sessions.get()
    add = reverse("registers:attendance-add", kwargs={"slug": home.slug, "pk": session.pk})
    page = admin.get(add).content.decode()
    assert "Home council" in page and "Not a partner of Home" not in page
    assert "Child or young person" not in page  # training roles are staff roles
    page = admin.post(add, {"organisation": str(elsewhere.pk), "role": "front_line", "attended": "True"}).content.decode()
    assert "Select a valid choice" in page
    response = admin.post(add, {"organisation": str(council.pk), "role": "front_line", "attended": "True",
                                "another": "1"})
    assert response["Location"] == add
    attendance = session.attendances.get()

    evaluate = reverse("registers:evaluation-add", kwargs={"slug": home.slug, "pk": attendance.pk})
    assert 'value="follow_up" checked' in admin.get(evaluate, {"stage": "follow_up"}).content.decode()
    page = admin.post(evaluate, {"stage": "after", **_date("completed_on", D(2020, 11, 1)), "confidence": "7",
                                 "practice": "6"}).content.decode()
    assert "This evaluation must be on or after the day of the session" in page
    page = admin.post(evaluate, {"stage": "before", **_date("completed_on", D(2020, 11, 10))}).content.decode()
    assert "Select the confidence score" in page and "Select the practice score" in page
    admin.post(evaluate, {"stage": "before", **_date("completed_on", D(2020, 11, 10)), "confidence": "4",
                          "practice": "5"})
    page = admin.post(evaluate, {"stage": "before", **_date("completed_on", D(2020, 11, 10)), "confidence": "4",
                                 "practice": "5"}).content.decode()
    assert "This evaluation has already been recorded: change it instead" in page
    admin.post(evaluate, {"stage": "follow_up", **_date("completed_on", D(2020, 12, 28)), "confidence": "8",
                          "practice": "8", "comment": "Used the exploitation screening tool twice"})
    assert sorted(attendance.evaluations.values_list("stage", flat=True)) == ["before", "follow_up"]
    assert AuditEvent.objects.filter(partnership=home, record_type="registers.evaluation").count() == 2

    page = admin.get(reverse("registers:session", kwargs={"slug": home.slug, "pk": session.pk})).content.decode()
    assert "4 / 5" in page and "8 / 8" in page
    figures = selectors.training_figures(home, 2021)
    assert figures.confidence.change_follow_up == 4 and figures.follow_ups_in_window == 1
    csv = admin.get(base, {"year": "2021", "format": "csv"}).content.decode().splitlines()
    assert csv[0].startswith("Course,Session,Format,Agency,Sector,Role,Attended,Before the session: date")
    assert csv[1] == ("Exploitation,2020-11-12,\"Online, live\",Home council,Local authority,Front-line practitioner,"
                      "yes,2020-11-10,4,5,,,,2020-12-28,8,8")


def test_every_member_reads_the_figures_but_only_the_business_unit_adds(home):
    records.records_for(home)
    lead = factories.sign_in(Client(), factories.person(home, Role.AGENCY_LEAD))
    page = lead.get(f"/p/{home.slug}/registers/training/?year=2021").content.decode()
    assert "The three-stage evaluation, 2020-21" in page and "Add a course" not in page
    assert lead.post(f"/p/{home.slug}/registers/training/courses/add/", {"title": "x"}).status_code == 403
    assert not m.TrainingCourse.objects.filter(title="x").exists()
