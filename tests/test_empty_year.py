"""Every figures page survives the years people actually have: none at all, a first year with no year before it,
a year with nothing in it between two that have something, a single record, and a record dated today.

Hypothesis draws a history for each register (LADO contacts, private fostering, training, surveys, the voice of
children, escalations, multi-agency audits, Section 11 cycles, serious incidents), the years of stored indicator
values with small counts, and a yearly report; then every figures page is requested by every role that may see it
(tests/access_matrix.py), for the default year and for each year from the one before the first record to this
one. The test client raises a view's exception, so any 500 fails the example. Each example's records are rolled
back; the partnership and its people are made once. `make fuzz-hunt` draws new histories (FUZZ_EXAMPLES of them).

The explicit examples are the cases the issue names (issue 14): one LADO referral in a new year after a year with
none (a 500 for every role on main before this test), a first year whose only records, in every register, are
dated today, and nothing at all.
"""
import datetime
import os
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from safeguarding.accounts.roles import Role
from safeguarding.working_days import financial_year
from tests import factories
from tests.access_matrix import TABLE

D = datetime.date
TODAY = timezone.localdate()
THIS_YEAR = financial_year(TODAY)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 8))  # each example asks for about 300 pages; `make fuzz-hunt` asks more

# The figures pages, without a record in their address; each year-chosen page is asked for every year too.
PAGES = ["lado:index", "registers:index", "registers:fostering", "registers:training", "registers:surveys",
         "registers:voice", "audits:index", "audits:maa-list", "audits:escalations", "reviews:index",
         "actions:log", "dashboard:index", "reports:index"]
BY_YEAR = {"lado:index", "registers:fostering", "registers:training", "registers:voice", "audits:escalations",
           "dashboard:index"}
SECTORS = ["education", "foster_carer", "health", "sport", "other"]


# -- what is drawn -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Day:
    """A date named against today: `years_back` financial years before this one, `into` days after its start (or
    its last day when None), and never after today; "today" itself is Day(today=True)."""
    years_back: int = 0
    into: int | None = 0
    today: bool = False

    @property
    def date(self):
        if self.today:
            return TODAY
        year = THIS_YEAR - self.years_back
        day = D(year, 3, 31) if self.into is None else D(year - 1, 4, 1) + datetime.timedelta(days=self.into)
        return min(day, TODAY)


days = st.one_of(st.just(Day(today=True)),
                 st.builds(Day, st.integers(0, 6), st.one_of(st.none(), st.just(0), st.integers(0, 364))))
later = st.one_of(st.none(), st.integers(0, 400))  # days after a record's date to its outcome or end, if any


@dataclass
class History:
    lado: list = field(default_factory=list)  # (day, kind, sector, days to outcome or None)
    fostering: list = field(default_factory=list)  # (day, days to first visit or None, days to end or None)
    training: list = field(default_factory=list)  # (day, attended, evaluated)
    surveys: list = field(default_factory=list)  # (day, responses)
    voice: list = field(default_factory=list)  # day
    escalations: list = field(default_factory=list)  # (day, days to resolution or None)
    audits: list = field(default_factory=list)  # day
    cycles: list = field(default_factory=list)  # years back
    incidents: list = field(default_factory=list)  # (day, decision)
    indicator_years: list = field(default_factory=list)  # years of stored indicator values
    small: dict = field(default_factory=dict)  # (year, indicator): a count of 0 to 5
    report_years_back: int | None = None


SMALL_CODES = ["re_referrals", "s47_started", "cpp_2_years", "cpp_ceased", "lac_open", "lac_starts", "lac_ceased",
               "cpp_second_or_subsequent"]  # none of them the denominator of a percentage
INDICATOR_YEARS = [2018, 2019, 2020, 2021, 2022]  # the years tests/dashboard/data.py can make


def few(strategy):
    return st.lists(strategy, max_size=3)


histories = st.builds(
    History,
    lado=few(st.tuples(days, st.sampled_from(["referral", "consultation"]), st.sampled_from(SECTORS), later)),
    fostering=few(st.tuples(days, later, later)),
    training=few(st.tuples(days, st.booleans(), st.booleans())),
    surveys=few(st.tuples(days, st.integers(0, 2))),
    voice=few(days),
    escalations=few(st.tuples(days, later)),
    audits=few(days),
    cycles=st.lists(st.integers(0, 3), max_size=2, unique=True),
    incidents=few(st.tuples(days, st.sampled_from(["", "local_cspr", "no_review", "national"]))),
    indicator_years=st.lists(st.sampled_from(INDICATOR_YEARS), max_size=3, unique=True),
    small=st.dictionaries(st.tuples(st.sampled_from(INDICATOR_YEARS), st.sampled_from(SMALL_CODES)),
                          st.integers(0, 5), max_size=3),
    report_years_back=st.one_of(st.none(), st.integers(0, 3)),
)

# Issue 14: a referral recorded today (a new year) after a year with none; with older years, and without.
REFERRAL_AFTER_AN_EMPTY_YEAR = History(
    lado=[(Day(2, 30), "referral", "education", 20), (Day(3, 100), "referral", "health", None),
          (Day(today=True), "referral", "education", None)])
FIRST_YEAR_TODAY = History(lado=[(Day(today=True), "referral", "sport", None)],
                           fostering=[(Day(today=True), None, None)], training=[(Day(today=True), True, True)],
                           surveys=[(Day(today=True), 1)], voice=[Day(today=True)],
                           escalations=[(Day(today=True), None)], audits=[Day(today=True)], cycles=[0],
                           incidents=[(Day(today=True), "")], report_years_back=0)


# -- the world: one partnership and its people; each example's records on top ------------------------------------

@pytest.fixture
def world(db):
    from tests.dashboard import data

    partnership = factories.partnership("Emptyshire", la_code="210")
    agency = factories.organisation("Emptyshire fire service")
    data.factor_groups(partnership)
    clients = {role: factories.sign_in(Client(), factories.person(partnership, role, org=agency)) for role in Role}
    return partnership, agency, clients


def build(history, partnership, agency):
    """The history's records, in the partnership. Returns the financial years they touch."""
    from safeguarding.audits.models import Escalation, MultiAgencyAudit
    from safeguarding.lado.models import LadoContact
    from safeguarding.registers import models as r
    from safeguarding.reports.models import YearlyReport
    from safeguarding.reviews.models import SeriousIncident
    from tests.audits import builders
    from tests.dashboard import data
    from tests.registers import records

    def after(day, gap):
        return None if gap is None else min(day + datetime.timedelta(days=gap), TODAY)

    held = set()
    for n, (day, kind, sector, outcome) in enumerate(history.lado):
        on = after(day.date, outcome)
        LadoContact.objects.create(
            partnership=partnership, reference=f"L-{n}", kind=kind, received_on=day.date, person_role="Teacher",
            threshold_limb="harmed" if kind == "referral" else "", employer_sector=sector, referrer="DSL",
            referrer_sector=sector, category="physical", outcome="unfounded" if on else "", outcome_on=on)
        held.add(day.date)
    for n, (day, visit, end) in enumerate(history.fostering):
        arrangement = r.PrivateFosteringArrangement.objects.create(
            partnership=partnership, reference=f"PF-{n}", notified_on=day.date, notified_by="school",
            began_on=day.date, ended_on=after(day.date, end), end_reason="home" if end is not None else "")
        if visit is not None:
            r.PrivateFosteringVisit.objects.create(partnership=partnership, arrangement=arrangement,
                                                   visited_on=after(day.date, visit))
        held.add(day.date)
    if history.training or history.surveys:
        organisation = records.agency(partnership)
    for n, (day, attended, evaluated) in enumerate(history.training):
        course = r.TrainingCourse.objects.create(partnership=partnership, title=f"Course {n}")
        session = r.TrainingSession.objects.create(partnership=partnership, course=course, held_on=day.date)
        attendance = r.Attendance.objects.create(partnership=partnership, session=session, organisation=organisation,
                                                 role="front_line", attended=attended)
        if evaluated:
            r.Evaluation.objects.create(partnership=partnership, attendance=attendance, stage="before",
                                        completed_on=day.date, confidence=3, practice=4)
        held.add(day.date)
    for n, (day, responses) in enumerate(history.surveys):
        survey = records.survey(partnership, title=f"Survey {n}", opens_on=day.date)
        choice = survey.questions.get(kind="choice")
        for _ in range(responses):
            response = r.SurveyResponse.objects.create(partnership=partnership, survey=survey,
                                                       organisation=organisation, role="front_line")
            r.Answer.objects.create(partnership=partnership, response=response, question=choice, choices=["Neglect"])
        held.add(day.date)
    for n, day in enumerate(history.voice):
        r.VoiceRecord.objects.create(partnership=partnership, title=f"Heard {n}", heard_on=day.date, who="children",
                                     source="forum", you_said="Something")
        held.add(day.date)
    if history.escalations or history.audits or history.cycles:
        other = factories.organisation("Emptyshire hospital")
    for n, (day, resolved) in enumerate(history.escalations):
        Escalation.objects.create(partnership=partnership, reference=f"ESC-{n}", raised_by=agency, about=other,
                                  theme="threshold", concern="Closed without an assessment", raised_on=day.date,
                                  resolved_on=after(day.date, resolved), outcome="agreed" if resolved else "")
        held.add(day.date)
    for n, day in enumerate(history.audits):
        audit = MultiAgencyAudit.objects.create(partnership=partnership, title=f"Audit {n}", theme="Neglect",
                                                started_on=day.date)
        audit.organisations.add(agency, other)
        held.add(day.date)
    if history.cycles:
        frame = builders.framework(partnership)
        for back in history.cycles:
            builders.cycle(partnership, frame, [agency, other], year=THIS_YEAR - back)
    for n, (day, decision) in enumerate(history.incidents):
        SeriousIncident.objects.create(partnership=partnership, reference=f"SIN-{n}", summary="x",
                                       aware_on=day.date, decision=decision,
                                       decision_on=day.date if decision else None)
        held.add(day.date)
    if history.indicator_years:
        data.store_values(years=sorted(history.indicator_years), small=history.small)
    report = None
    if history.report_years_back is not None:
        year = THIS_YEAR - history.report_years_back
        report = YearlyReport.objects.create(partnership=partnership, year=year, title=f"Report {year}")
    years = {financial_year(d) for d in held} | set(history.indicator_years)
    return years, report


def requests(partnership, years, report):
    """(url name, address, roles) for every figures page and year asked for."""
    asked = sorted(set(range(min(years, default=THIS_YEAR) - 1, THIS_YEAR + 1)) | years)
    for name in PAGES:
        base = reverse(name, kwargs={"slug": partnership.slug})
        roles = TABLE[name].allowed
        yield name, base, roles
        if name in BY_YEAR:
            for year in asked:
                yield name, f"{base}?year={year}", roles
    if report is not None:
        yield "reports:detail", reverse("reports:detail", kwargs={"slug": partnership.slug, "pk": report.pk}), \
            TABLE["reports:detail"].allowed


@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories)
@example(history=REFERRAL_AFTER_AN_EMPTY_YEAR)
@example(history=FIRST_YEAR_TODAY)
@example(history=History())
def test_every_figures_page_survives_the_years_people_have(world, history):
    partnership, agency, clients = world
    cache.clear()  # the dashboard keeps its charts for a while; each example has its own figures
    with transaction.atomic():
        years, report = build(history, partnership, agency)
        for name, address, roles in requests(partnership, years, report):
            for role in sorted(roles):
                response = clients[role].get(address)  # a view's exception is raised here
                assert response.status_code == 200, (name, address, role, response.status_code)
        transaction.set_rollback(True)
