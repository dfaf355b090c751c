"""Reads of the assurance workflows: querysets scoped to the partnership (and to the organisation for an
agency lead), each cycle's summary and matrix, and the yearly report's figures.

The yearly figures take a financial year named by the year it ends (2021 = 1 April 2020 to 31 March 2021):

- ``section_11_figures(partnership, year) -> Section11Figures``
- ``audit_learning(partnership, year) -> list[AuditLearning]``
- ``escalation_figures(partnership, year) -> EscalationFigures``
"""
import datetime
import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from safeguarding.accounts.models import Organisation
from safeguarding.accounts.roles import Role
from safeguarding.actions.models import Action, Recommendation
from safeguarding.working_days import financial_year_bounds, year_label

from .models import (SCALES, AuditedCase, Cycle, CycleReturn, Escalation, Framework,
                     ModeratedRating, MultiAgencyAudit, PlannedAction, Rating, ReturnAnswer, rating_of)

DETAIL_ROLES = frozenset({Role.ADMIN, Role.PARTNER_LEAD})


def agency_only(user, partnership):
    """True when the person sees only their own organisation's returns and findings."""
    return not (user.roles_in(partnership) & DETAIL_ROLES)


def frameworks(partnership):
    return Framework.objects.for_partnership(partnership).active()


def cycles(partnership):
    return Cycle.objects.for_partnership(partnership).active().select_related("framework")


def cycle_returns(partnership, user):
    """The cycle returns a person may open: all of the partnership's, or only their organisation's."""
    found = CycleReturn.objects.for_partnership(partnership).active().select_related(
        "cycle", "cycle__framework", "section11_return", "organisation")
    if agency_only(user, partnership):
        found = found.filter(organisation_id=user.organisation_id) if user.organisation_id else found.none()
    return found


def multi_agency_audits(partnership):
    return MultiAgencyAudit.objects.for_partnership(partnership).active()


def escalations(partnership):
    return Escalation.objects.for_partnership(partnership).active().select_related("raised_by", "about")


def partner_organisations(partnership, also=()):
    """The organisations on the partnership's register, and ``also`` these (by id) if given."""
    from safeguarding.partnership.models import PartnerAgency

    agencies = PartnerAgency.objects.for_partnership(partnership).active().values_list("organisation", flat=True)
    return Organisation.objects.filter(Q(pk__in=agencies) | Q(pk__in=list(also)))


def recommendations_from(source):
    """The shared action log's recommendations whose source is this cycle or multi-agency audit."""
    return Recommendation.objects.for_partnership(source.partnership).active().filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk).prefetch_related("actions")


def shareable_returns(cycle, user):
    """Returns this person's organisation completed for cycles of their *other* partnerships that answer the
    same standards on the same scale, and are not yet part of this cycle: one return, shared with each."""
    from .services import compatible

    if not user.organisation_id:
        return []
    mine = CycleReturn.objects.filter(
        organisation_id=user.organisation_id, archived_at__isnull=True,
        cycle__partnership__memberships__user=user, cycle__partnership__memberships__role=Role.AGENCY_LEAD,
    ).exclude(cycle__partnership=cycle.partnership).select_related("cycle", "cycle__partnership", "section11_return")
    already = set(cycle.cycle_returns.values_list("section11_return_id", flat=True))
    seen, found = set(), []
    for link in mine.order_by("-section11_return__started_at"):
        if link.section11_return_id in already or link.section11_return_id in seen:
            continue
        if compatible(link.section11_return.framework, cycle.framework):
            seen.add(link.section11_return_id)
            found.append(link)
    return found


# ------------------------------------------------------------------------------------ a cycle's summary


@dataclass
class Cell:
    self_rating: Rating = None
    moderated: Rating = None
    comment: str = ""


@dataclass
class AgencyRow:
    organisation: Organisation
    cycle_return: CycleReturn = None  # None: not started
    status: str = "not started"
    late: bool = False
    cells: list = field(default_factory=list)  # Cell per standard, in the framework's order


@dataclass
class StandardSummary:
    number: int
    title: str
    key: str
    self_counts: list  # [(Rating, n)] worst first
    moderated_counts: list
    not_moderated: int  # submitted returns with no moderated rating for this standard


@dataclass
class CycleSummary:
    cycle: Cycle
    standards: list
    rows: list  # AgencyRow, by organisation name
    by_standard: list  # StandardSummary
    themes: list  # [(theme, number of returns)], most first
    expected: int = 0
    started: int = 0
    submitted: int = 0
    moderated: int = 0
    late: int = 0
    overdue: list = field(default_factory=list)  # organisations

    @property
    def ratings(self):
        return SCALES[self.cycle.framework.scale]


def cycle_summary(cycle, today=None):
    """Everything the cycle's pages and the matrix show, read in a handful of queries."""
    today = today or timezone.localdate()
    framework = cycle.framework
    standards = list(framework.standards_in_order())
    links = list(cycle.cycle_returns.filter(archived_at__isnull=True).select_related(
        "section11_return", "organisation", "cycle"))
    by_org = {link.organisation_id: link for link in links}
    answers = {(a.section11_return_id, a.standard_key): a for a in ReturnAnswer.objects.filter(
        section11_return__in=[link.section11_return_id for link in links])}
    moderated = {(m.cycle_return_id, m.standard_key): m for m in ModeratedRating.objects.filter(
        cycle_return__in=links, archived_at__isnull=True)}
    expected = list(cycle.organisations.all())
    organisations = {o.pk: o for o in expected}
    organisations.update({link.organisation_id: link.organisation for link in links})
    rows = []
    for organisation in sorted(organisations.values(), key=lambda o: o.name):
        link = by_org.get(organisation.pk)
        row = AgencyRow(organisation, link)
        if link is None:
            row.status = "overdue" if cycle.is_past_due(today) else "not started"
        else:
            row.status = link.status(today)
            submitted_at = link.section11_return.submitted_at
            row.late = bool(submitted_at and timezone.localdate(submitted_at) > cycle.due_on)
        for standard in standards:
            cell = Cell()
            if link is not None:
                answer = answers.get((link.section11_return_id, standard.key))
                if answer and link.section11_return.is_submitted:
                    cell.self_rating = rating_of(framework.scale, answer.rating)
                mod = moderated.get((link.pk, standard.key))
                if mod:
                    cell.moderated, cell.comment = rating_of(framework.scale, mod.rating), mod.comment
            row.cells.append(cell)
        rows.append(row)
    scale = SCALES[framework.scale]
    by_standard = []
    submitted_rows = [r for r in rows if r.cycle_return and r.cycle_return.section11_return.is_submitted]
    for index, standard in enumerate(standards):
        cells = [r.cells[index] for r in submitted_rows]
        self_counts = Counter(c.self_rating.value for c in cells if c.self_rating)
        mod_counts = Counter(c.moderated.value for c in cells if c.moderated)
        by_standard.append(StandardSummary(
            standard.number, standard.title, standard.key, [(r, self_counts[r.value]) for r in scale],
            [(r, mod_counts[r.value]) for r in scale], sum(1 for c in cells if not c.moderated)))
    themes = Counter(theme for link in links for theme in link.themes)
    summary = CycleSummary(cycle, standards, rows, by_standard, themes.most_common())
    summary.expected = len(expected)
    summary.started = len(links)
    summary.submitted = len(submitted_rows)
    summary.moderated = sum(1 for link in links if link.is_moderated)
    summary.late = sum(1 for r in rows if r.late)
    summary.overdue = [r.organisation for r in rows if r.status == "overdue"]
    return summary


def cycle_actions(cycle):
    """Every agency's planned actions in the cycle, with the standard's title."""
    titles = {s.key: s for s in cycle.framework.standards_in_order()}
    links = {link.section11_return_id: link for link in cycle.cycle_returns.filter(archived_at__isnull=True)
             .select_related("organisation")}
    actions = PlannedAction.objects.filter(section11_return__in=list(links)).order_by(
        "section11_return__organisation__name", "due_on", "id")
    return [(links[a.section11_return_id], titles.get(a.standard_key), a) for a in actions]


def previous_cycle_return(cycle, organisation):
    """The organisation's return in this partnership's latest earlier cycle: where a new return starts from."""
    return CycleReturn.objects.filter(
        partnership=cycle.partnership, organisation=organisation, archived_at__isnull=True,
        cycle__archived_at__isnull=True).filter(cycle__year__lt=cycle.year).select_related(
        "section11_return").order_by("-cycle__year", "-cycle__opens_on").first()


# ------------------------------------------------------------------------------------ the yearly report


@dataclass
class StandardFigures:
    number: int
    title: str
    by_moderated_rating: dict  # rating label -> number of agencies, worst first
    not_moderated: int


@dataclass
class Section11Figures:
    """The Section 11 audit(s) of a financial year, as the yearly report quotes them.

    expected: agencies asked for a return; submitted: returns submitted (late ones included); late: submitted
    after the due date; moderated: returns the partnership has finished moderating; overdue: agencies whose
    return is past its due date and still not submitted; standards: per standard, agencies by moderated
    rating (worst first) and submitted returns not yet moderated on it; themes: (theme, returns raising it).
    """

    year: int
    label: str
    cycles: list = field(default_factory=list)  # titles
    scale: list = field(default_factory=list)  # rating labels, worst first
    expected: int = 0
    submitted: int = 0
    late: int = 0
    moderated: int = 0
    overdue: list = field(default_factory=list)  # organisation names
    standards: list = field(default_factory=list)  # StandardFigures
    themes: list = field(default_factory=list)


def section_11_figures(partnership, year, today=None):
    found = Section11Figures(year, year_label(year))
    themes = Counter()
    standards = {}
    for cycle in cycles(partnership).filter(year=year).order_by("opens_on"):
        summary = cycle_summary(cycle, today)
        found.cycles.append(cycle.title)
        found.scale = found.scale or [r.label for r in summary.ratings]
        found.expected += summary.expected
        found.submitted += summary.submitted
        found.late += summary.late
        found.moderated += summary.moderated
        found.overdue += [o.name for o in summary.overdue]
        themes.update(dict(summary.themes))
        for s in summary.by_standard:
            figures = standards.setdefault(s.key, StandardFigures(s.number, s.title, {}, 0))
            for rating, n in s.moderated_counts:
                figures.by_moderated_rating[rating.label] = figures.by_moderated_rating.get(rating.label, 0) + n
            figures.not_moderated += s.not_moderated
    found.standards = list(standards.values())
    found.themes = themes.most_common()
    return found


@dataclass
class AuditLearning:
    """One multi-agency audit of the year: what it looked at, what it learned, how far its actions have got."""

    title: str
    theme: str
    status: str
    started_on: datetime.date
    completed_on: datetime.date
    cases: int
    agencies: int
    learning: str
    recommendations: int
    actions: int
    actions_done: int
    actions_open: int
    actions_overdue: int


def audit_learning(partnership, year):
    """Multi-agency audits of the year: those reported in it, or, not yet reported, started in it."""
    found = []
    audits = multi_agency_audits(partnership).prefetch_related("organisations")
    for audit in audits.order_by("started_on", "title"):
        if audit.year != year:
            continue
        actions = [a for r in recommendations_from(audit) for a in r.actions.all() if a.archived_at is None]
        found.append(AuditLearning(
            audit.title, audit.theme, audit.get_status_display(), audit.started_on, audit.completed_on,
            AuditedCase.objects.filter(audit=audit, archived_at__isnull=True).count(),
            len(audit.organisations.all()), audit.learning, recommendations_from(audit).count(), len(actions),
            sum(a.status == Action.Status.DONE for a in actions), sum(a.is_open for a in actions),
            sum(a.is_overdue for a in actions)))
    return found


@dataclass
class EscalationFigures:
    """Escalations raised in a financial year. ``highest_stage``: how many got no further than each stage;
    working days (England and Wales) from raising to resolution, for those resolved."""

    year: int
    label: str
    raised: int = 0
    resolved: int = 0
    still_open: int = 0
    highest_stage: dict = field(default_factory=dict)  # 1..4 -> number
    themes: list = field(default_factory=list)  # [(theme label, number)], most first
    raised_by: list = field(default_factory=list)  # [(organisation name, number)]
    about: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)  # [(outcome label, number)]
    working_days_to_resolve: list = field(default_factory=list)
    median_working_days: float = None
    mean_working_days: float = None
    longest_working_days: int = None


def escalation_figures(partnership, year):
    first, last = financial_year_bounds(year)
    records = list(escalations(partnership).filter(raised_on__gte=first, raised_on__lte=last))
    found = EscalationFigures(year, year_label(year), raised=len(records))
    found.highest_stage = {n: 0 for n in Escalation.STAGES}
    for record in records:
        found.highest_stage[record.stage] += 1
    found.resolved = sum(1 for r in records if r.resolved_on)
    found.still_open = found.raised - found.resolved
    labels = dict(Escalation.Theme.choices)
    found.themes = [(labels[k], n) for k, n in Counter(r.theme for r in records).most_common()]
    found.raised_by = Counter(r.raised_by.name for r in records).most_common()
    found.about = Counter(r.about.name for r in records).most_common()
    outcome_labels = dict(Escalation.Outcome.choices)
    found.outcomes = [(outcome_labels[k], n) for k, n in Counter(r.outcome for r in records if r.outcome)
                      .most_common()]
    days = sorted(r.working_days_to_resolve for r in records if r.resolved_on)
    found.working_days_to_resolve = days
    if days:
        found.median_working_days = statistics.median(days)
        found.mean_working_days = round(statistics.fmean(days), 1)
        found.longest_working_days = days[-1]
    return found
