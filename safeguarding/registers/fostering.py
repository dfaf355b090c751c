"""Private fostering: when visits fall due, whether they were on time, and the year's compliance.

The Children (Private Arrangements for Fostering) Regulations 2005 ask the authority to visit within 7 working
days of receiving a notification, then at intervals of no more than 6 weeks in the arrangement's first year and
no more than 12 weeks after that, and to see the child alone. Pure functions over objects with the
arrangement's and visits' dates, so the maths is tested without a database.

Interpretations: each visit starts the clock for the next one, so an early visit brings the next one forward and
a late one is counted late once, not again for every interval it spans; the interval after a visit is 6 weeks
while that visit falls in the arrangement's first year (from the day it began), 12 weeks after; no visit falls
due after the arrangement has ended; a due date is the last day the visit is on time.
"""
import datetime
from dataclasses import dataclass, field

from safeguarding.core.disclosure import Disclosure
from safeguarding.indicators.rounding import percent
from safeguarding.working_days import add_months, add_working_days, financial_year_bounds, year_label

FIRST_VISIT_WORKING_DAYS = 7
FIRST_YEAR_INTERVAL = datetime.timedelta(weeks=6)
LATER_INTERVAL = datetime.timedelta(weeks=12)
# Notice is due six weeks before the arrangement starts, or within 48 hours of an emergency one starting.
NOTICE_AFTER_START = datetime.timedelta(days=2)

FIRST, STATUTORY = "first", "statutory"
KIND_LABELS = {FIRST: "First visit (7 working days)", STATUTORY: "Statutory visit"}


def first_visit_due(notified_on):
    return add_working_days(notified_on, FIRST_VISIT_WORKING_DAYS)


def interval_after(visited_on, began_on):
    return FIRST_YEAR_INTERVAL if visited_on < add_months(began_on, 12) else LATER_INTERVAL


def is_open(arrangement, on):
    return arrangement.began_on <= on and (arrangement.ended_on is None or on <= arrangement.ended_on)


def notified_in_time(arrangement):
    return arrangement.notified_on <= arrangement.began_on + NOTICE_AFTER_START


@dataclass(frozen=True)
class DueVisit:
    """A visit the regulations asked for: when it was due and the visit that met it, if any."""

    kind: str
    due_on: datetime.date
    made_on: datetime.date = None
    seen_alone: bool = None

    @property
    def on_time(self):
        return self.made_on is not None and self.made_on <= self.due_on

    def overdue_on(self, day):
        """Not made by ``day``, and ``day`` is past the due date."""
        return day > self.due_on and (self.made_on is None or self.made_on > day)

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]


@dataclass
class Schedule:
    due: list  # DueVisit, in order
    next_due_on: datetime.date = None  # the next visit not yet due by the day asked about; None once ended


def schedule(arrangement, visits, until):
    """The visits due from notification up to ``until``. ``arrangement`` has notified_on, began_on and
    ended_on; ``visits`` have visited_on and seen_alone."""
    visits = sorted(visits, key=lambda v: v.visited_on)
    due_on, kind, index, due = first_visit_due(arrangement.notified_on), FIRST, 0, []
    while True:
        if arrangement.ended_on is not None and arrangement.ended_on < due_on:
            return Schedule(due, None)
        if due_on > until:
            return Schedule(due, due_on)
        visit = visits[index] if index < len(visits) else None
        if visit is None:
            due.append(DueVisit(kind, due_on))
            return Schedule(due, due_on)
        due.append(DueVisit(kind, due_on, visit.visited_on, visit.seen_alone))
        index += 1
        due_on, kind = visit.visited_on + interval_after(visit.visited_on, arrangement.began_on), STATUTORY


@dataclass
class Overdue:
    arrangement: object
    visit: DueVisit
    days: int  # calendar days past the due date


def overdue(arrangements, visits_of, on):
    """Open arrangements whose latest visit due by ``on`` had not been made by then, most overdue first.
    ``visits_of(arrangement)`` gives an arrangement's visits."""
    found = []
    for arrangement in arrangements:
        if arrangement.notified_on > on or (arrangement.ended_on is not None and arrangement.ended_on < on):
            continue
        due = schedule(arrangement, visits_of(arrangement), on).due
        if due and due[-1].overdue_on(on):
            found.append(Overdue(arrangement, due[-1], (on - due[-1].due_on).days))
    return sorted(found, key=lambda o: (-o.days, o.arrangement.reference))


@dataclass
class Compliance:
    due: int = 0
    on_time: int = 0

    @property
    def percent(self):
        return percent(self.on_time, self.due)


@dataclass
class FosteringFigures:
    """One financial year of private fostering (``year`` names the year it ends in: 2021 is 2020-21).

    notifications: notifications received in the year; notified_in_time: of those, how many came before the
    arrangement began or within 48 hours of it; notified_by: {label: count};
    new_arrangements / ended: arrangements beginning / ending in the year; open_at_end: open on 31 March
    (or on ``as_of`` for the current year); first_visits / statutory_visits / all_visits: visits falling due in
    the year (up to ``as_of``) and how many were on time, with ``.percent`` (one decimal place, None if none
    were due); visits_made: visits made in the year; seen_alone: of those, how many saw the child alone;
    overdue: ``Overdue`` rows as at ``as_of``.
    """

    year: int
    as_of: datetime.date
    notifications: int = 0
    notified_in_time: int = 0
    notified_by: dict = field(default_factory=dict)
    new_arrangements: int = 0
    ended: int = 0
    open_at_end: int = 0
    first_visits: Compliance = field(default_factory=Compliance)
    statutory_visits: Compliance = field(default_factory=Compliance)
    visits_made: int = 0
    seen_alone: int = 0
    overdue: list = field(default_factory=list)

    @property
    def label(self):
        return year_label(self.year)

    @property
    def all_visits(self):
        return Compliance(self.first_visits.due + self.statutory_visits.due,
                          self.first_visits.on_time + self.statutory_visits.on_time)

    @property
    def notified_in_time_percent(self):
        return percent(self.notified_in_time, self.notifications)

    @property
    def seen_alone_percent(self):
        return percent(self.seen_alone, self.visits_made)


VISIT_KINDS = (("first", "First visit within 7 working days"), ("statutory", "Statutory visits (6 weeks, then 12)"),
               ("all", "All visits"))


def disclosure(f, suppress):
    """The year's counts for disclosure control, the same on the register's pages and in the report: who
    notified adds up to the notifications, first and statutory visits to all visits (due, and on time)."""
    found = Disclosure(suppress)
    for key, n in (("notifications", f.notifications), ("notified in time", f.notified_in_time),
                   ("begun", f.new_arrangements), ("ended", f.ended), ("open", f.open_at_end),
                   ("visits made", f.visits_made), ("seen alone", f.seen_alone), ("overdue", len(f.overdue))):
        found.count(key, n)
    for label, n in f.notified_by.items():
        found.count(("notified by", label), n)
    found.add_up("notifications", [("notified by", label) for label in f.notified_by])
    for kind, compliance in (("first", f.first_visits), ("statutory", f.statutory_visits), ("all", f.all_visits)):
        found.count((kind, "due"), compliance.due).count((kind, "on time"), compliance.on_time)
    for side in ("due", "on time"):
        found.add_up(("all", side), [("first", side), ("statutory", side)])
    return found


def share_shown(found, part, whole, value):
    """A share of ``whole`` as shown: "none due" when there is nothing to divide by."""
    return "none due" if value is None else found.derived(f"{value}%", part, whole)


def year_figures(arrangements, visits_of, year, today):
    """The year's figures for ``arrangements`` (see ``FosteringFigures``). A year not yet over is counted up to
    ``today``."""
    start, end = financial_year_bounds(year)
    as_of = min(end, today)
    figures = FosteringFigures(year=year, as_of=as_of)
    for arrangement in arrangements:
        visits = list(visits_of(arrangement))
        if start <= arrangement.notified_on <= end:
            figures.notifications += 1
            figures.notified_in_time += notified_in_time(arrangement)
            label = getattr(arrangement, "get_notified_by_display", lambda: arrangement.notified_by)()
            figures.notified_by[label] = figures.notified_by.get(label, 0) + 1
        figures.new_arrangements += start <= arrangement.began_on <= end
        figures.ended += arrangement.ended_on is not None and start <= arrangement.ended_on <= end
        figures.open_at_end += is_open(arrangement, as_of)
        for due in schedule(arrangement, visits, as_of).due:
            if start <= due.due_on <= as_of:
                counted = figures.first_visits if due.kind == FIRST else figures.statutory_visits
                counted.due += 1
                counted.on_time += due.on_time
        for visit in visits:
            if start <= visit.visited_on <= as_of:
                figures.visits_made += 1
                figures.seen_alone += bool(visit.seen_alone)
    figures.notified_by = dict(sorted(figures.notified_by.items(), key=lambda item: (-item[1], item[0])))
    figures.overdue = overdue(arrangements, visits_of, as_of)
    return figures
