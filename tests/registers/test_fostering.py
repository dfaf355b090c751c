"""Private fostering: when visits fall due (working days over bank holidays, 6 then 12 weeks), which were on
time, the year's compliance, overdue visits, and the pages that record them."""
import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.roles import Role
from safeguarding.core.models import AuditEvent
from safeguarding.registers import fostering as pf
from safeguarding.registers import models as m
from safeguarding.registers import selectors
from tests import factories

D = datetime.date


def arrangement(notified, began=None, ended=None, reference="PF-1", notified_by="school"):
    return SimpleNamespace(reference=reference, notified_on=notified, began_on=began or notified, ended_on=ended,
                           notified_by=notified_by)


def visits(*days, alone=True):
    return [SimpleNamespace(visited_on=day, seen_alone=alone) for day in days]


def test_the_first_visit_is_due_seven_working_days_after_notification_skipping_bank_holidays():
    # Thursday 24 December 2020: Christmas Day, the weekend, the Boxing Day holiday (Monday 28) and New Year's
    # Day are not working days, so the seventh is Thursday 7 January 2021, not 4 January.
    assert pf.first_visit_due(D(2020, 12, 24)) == D(2021, 1, 7)
    # Easter 2021: Good Friday 2 April and Easter Monday 5 April.
    assert pf.first_visit_due(D(2021, 4, 1)) == D(2021, 4, 14)
    # An ordinary week: Monday to the Wednesday of the next week.
    assert pf.first_visit_due(D(2021, 6, 7)) == D(2021, 6, 16)


def test_a_first_visit_on_the_due_day_is_on_time_and_the_day_after_is_late():
    a = arrangement(D(2020, 12, 24))
    on_time = pf.schedule(a, visits(D(2021, 1, 7)), until=D(2021, 1, 31)).due[0]
    late = pf.schedule(a, visits(D(2021, 1, 8)), until=D(2021, 1, 31)).due[0]
    assert on_time.kind == "first" and on_time.due_on == D(2021, 1, 7) and on_time.on_time
    assert late.due_on == D(2021, 1, 7) and not late.on_time


def test_visits_every_six_weeks_in_the_first_year_then_every_twelve():
    a = arrangement(D(2020, 1, 6), began=D(2020, 1, 6))
    plan = pf.schedule(a, visits(D(2020, 1, 10), D(2020, 2, 21), D(2020, 12, 31), D(2021, 1, 20)),
                       until=D(2021, 12, 31))
    first, second, third, fourth, fifth = plan.due
    assert first.due_on == D(2020, 1, 15) and first.on_time
    assert second.due_on == D(2020, 2, 21) and second.on_time  # exactly 6 weeks after 10 January
    assert third.due_on == D(2020, 4, 3) and not third.on_time  # made in December: late, counted once
    # 31 December 2020 is in the first year (it began on 6 January 2020): the next is due 6 weeks later.
    assert fourth.due_on == D(2021, 2, 11) and fourth.on_time
    # 20 January 2021 is in the second year: 12 weeks.
    assert fifth.due_on == D(2021, 4, 14) and fifth.made_on is None
    assert fifth.overdue_on(D(2021, 4, 15)) and not fifth.overdue_on(D(2021, 4, 14))


def test_no_visit_falls_due_after_the_arrangement_ends():
    a = arrangement(D(2021, 3, 1), ended=D(2021, 3, 5))
    assert pf.schedule(a, [], until=D(2021, 12, 31)).due == []  # ended before the first visit was due
    a = arrangement(D(2021, 3, 1), ended=D(2021, 4, 10))  # the next visit would be due 14 April
    plan = pf.schedule(a, visits(D(2021, 3, 3)), until=D(2021, 12, 31))
    assert len(plan.due) == 1 and plan.next_due_on is None


def test_the_years_compliance_and_overdue_visits():
    records = {
        # Notified a week after it began. The first visit was due 14 May 2020 (8 May 2020 was the VE Day bank
        # holiday): on time. Then due 22 June, made 29 June: late; due 10 August, made that day: on time;
        # due 21 September: not made.
        "A": (arrangement(D(2020, 5, 4), began=D(2020, 4, 27), reference="A"),
              visits(D(2020, 5, 11), D(2020, 6, 29)) + visits(D(2020, 8, 10), alone=False)),
        # notified before it began; first visit late (over the Christmas holidays); nothing since
        "B": (arrangement(D(2020, 12, 24), began=D(2021, 1, 4), reference="B", notified_by="parent"),
              visits(D(2021, 1, 8))),
        # 2019-20 notification; its visit due in April 2020 counts for 2020-21; ended in May 2020
        "C": (arrangement(D(2020, 2, 3), ended=D(2020, 5, 20), reference="C"), visits(D(2020, 2, 10), D(2020, 3, 20))),
    }
    found = {key: value for key, value in records.items()}
    figures = pf.year_figures([a for a, _ in found.values()], lambda a: found[a.reference][1], 2021,
                              today=D(2022, 1, 1))
    assert figures.label == "2020-21" and figures.as_of == D(2021, 3, 31)
    assert figures.notifications == 2 and figures.notified_in_time == 1 and figures.notified_in_time_percent == 50
    assert figures.notified_by == {"school": 1, "parent": 1}
    assert figures.new_arrangements == 2 and figures.ended == 1 and figures.open_at_end == 2
    # First visits due in the year: A (on time), B (late).
    assert (figures.first_visits.due, figures.first_visits.on_time) == (2, 1)
    # Statutory: A's 22 June (late), 10 August (on time) and 21 September (not made), B's 19 February (not
    # made), C's 1 May (C ended 20 May without it).
    assert (figures.statutory_visits.due, figures.statutory_visits.on_time) == (5, 1)
    assert figures.statutory_visits.percent == Decimal("20.0") and figures.all_visits.percent == Decimal("28.6")
    assert figures.visits_made == 4 and figures.seen_alone == 3 and figures.seen_alone_percent == 75
    # Overdue at 31 March 2021: A (due 21 September 2020) and B (due 19 February 2021); C has ended.
    assert [(o.arrangement.reference, o.visit.due_on, o.days) for o in figures.overdue] == [
        ("A", D(2020, 9, 21), 191), ("B", D(2021, 2, 19), 40)]


def test_a_year_not_yet_over_is_counted_up_to_today():
    a = arrangement(D(2021, 4, 6))
    figures = pf.year_figures([a], lambda _: [], 2022, today=D(2021, 4, 14))
    assert figures.as_of == D(2021, 4, 14) and figures.first_visits.due == 0  # due 15 April: not yet
    figures = pf.year_figures([a], lambda _: [], 2022, today=D(2021, 4, 16))
    assert figures.first_visits.due == 1 and figures.first_visits.percent == 0
    assert [o.days for o in figures.overdue] == [1]


def test_percentages_with_nothing_due_are_none():
    figures = pf.year_figures([], lambda _: [], 2021, today=D(2022, 1, 1))
    assert figures.first_visits.percent is None and figures.seen_alone_percent is None


# --- The pages ---------------------------------------------------------------------------------------------

@pytest.fixture
def home(db):
    return factories.partnership("Home")


def _date(prefix, day):
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def test_the_business_unit_records_a_notification_and_its_visits(home):
    admin = factories.sign_in(Client(), factories.person(home, Role.ADMIN))
    base = f"/p/{home.slug}/registers/private-fostering/"
    response = admin.post(base + "add/", {"reference": "PF-2021-004", "notified_by": "school",
                                          **_date("notified_on", D(2020, 12, 24)), **_date("began_on", D(2020, 12, 21))})
    record = m.PrivateFosteringArrangement.objects.get(reference="PF-2021-004")
    assert response.status_code == 302 and record.partnership == home
    visit_url = reverse("registers:visit-add", kwargs={"slug": home.slug, "pk": record.pk})
    response = admin.post(visit_url, {**_date("visited_on", D(2021, 1, 7)), "seen_alone": "True", "another": "1"})
    assert response["Location"] == visit_url  # save and add another
    admin.post(visit_url, {**_date("visited_on", D(2021, 3, 1)), "seen_alone": "False"})
    assert [(v.visited_on, v.seen_alone) for v in record.visits.all()] == [(D(2021, 1, 7), True), (D(2021, 3, 1), False)]
    assert AuditEvent.objects.filter(record_type="registers.privatefosteringvisit", partnership=home).count() == 2

    page = admin.get(reverse("registers:arrangement", kwargs={"slug": home.slug, "pk": record.pk})).content.decode()
    assert "7 January 2021" in page and "On time" in page and "Late" in page  # 1 March is past 18 February

    figures = selectors.private_fostering_figures(home, 2021, today=D(2021, 6, 1))
    assert (figures.first_visits.due, figures.first_visits.on_time) == (1, 1)
    assert (figures.statutory_visits.due, figures.statutory_visits.on_time) == (1, 0)

    page = admin.get(base + "?year=2021").content.decode()
    assert "PF-2021-004" in page and "Visits overdue on 31 March 2021" in page
    csv = admin.get(base + "?format=csv").content.decode()
    assert csv.splitlines()[0].startswith("Reference,Notified") and "PF-2021-004,2020-12-24" in csv


def test_clear_errors(home):
    admin = factories.sign_in(Client(), factories.person(home, Role.ADMIN))
    page = admin.post(f"/p/{home.slug}/registers/private-fostering/add/", {
        "reference": "PF-1", "notified_by": "school", **_date("notified_on", D(2021, 1, 4)),
        **_date("began_on", D(2021, 1, 4)), **_date("ended_on", D(2020, 12, 1))}).content.decode()
    assert "There is a problem" in page
    assert "The arrangement must end on or after the day it began" in page and "Select why the arrangement ended" in page
    page = admin.post(f"/p/{home.slug}/registers/private-fostering/add/", {}).content.decode()
    assert "Enter the reference" in page and "Select who notified" in page
    assert "Enter the date the notification was received" in page
    record = m.PrivateFosteringArrangement.objects.create(partnership=home, reference="PF-2", notified_by="parent",
                                                          notified_on=D(2021, 1, 4), began_on=D(2021, 1, 4))
    page = admin.post(reverse("registers:visit-add", kwargs={"slug": home.slug, "pk": record.pk}),
                      {**_date("visited_on", D(2020, 12, 1))}).content.decode()
    assert "The visit must be on or after the date the notification was received" in page
    assert "Select yes if the child was seen alone" in page
    duplicate = admin.post(f"/p/{home.slug}/registers/private-fostering/add/", {
        "reference": "PF-2", "notified_by": "school", **_date("notified_on", D(2021, 1, 4)),
        **_date("began_on", D(2021, 1, 4))}).content.decode()
    assert "PF-2 is already the reference of another arrangement" in duplicate


def test_a_scrutineer_sees_small_numbers_as_c_and_no_references(home):
    for n in range(3):
        m.PrivateFosteringArrangement.objects.create(partnership=home, reference=f"PF-{n}", notified_by="school",
                                                     notified_on=D(2020, 6, 1), began_on=D(2020, 6, 1))
    scrutineer = factories.sign_in(Client(), factories.person(home, Role.SCRUTINEER))
    page = scrutineer.get(f"/p/{home.slug}/registers/private-fostering/?year=2021").content.decode()
    assert "Notifications received</dt><dd class=\"govuk-summary-list__value\">c<" in page
    assert "PF-0" not in page and "?format=csv" not in page
    assert scrutineer.get(f"/p/{home.slug}/registers/private-fostering/?format=csv")["Content-Type"].startswith(
        "text/html")  # the CSV of arrangements is for the business unit only
    lead = factories.sign_in(Client(), factories.person(home, Role.PARTNER_LEAD))
    page = lead.get(f"/p/{home.slug}/registers/private-fostering/?year=2021").content.decode()
    assert "Notifications received</dt><dd class=\"govuk-summary-list__value\">3<" in page
