"""Reads of case reviews, scoped to the partnership (the action log's reads are in safeguarding.actions)."""
import datetime
from collections import Counter
from dataclasses import dataclass, field

from safeguarding.actions.models import Action, Recommendation
from safeguarding.working_days import financial_year

from .models import PracticeReview, SeriousIncident


def incidents(partnership):
    return SeriousIncident.objects.for_partnership(partnership).active()


@dataclass
class ReviewYear:
    """What the yearly report says about case reviews in a financial year (2021 = 2020-21)."""

    year: int
    notifications: int = 0
    rapid_reviews: int = 0
    decisions: Counter = field(default_factory=Counter)
    reviews: list = field(default_factory=list)  # (title, status in words)
    recommendations: list = field(default_factory=list)  # (source, number, text, actions done, actions in all)
    actions_open: int = 0
    actions_overdue: int = 0
    actions_done: int = 0


def _in_year(day, year):
    return day is not None and financial_year(day) == year


def _status_at(action, day):
    """An action's status as it stood at the end of ``day``: done if it was completed by then (one marked done
    without a date counts as done), else still to do unless it was cancelled."""
    if action.status == Action.Status.DONE and (action.completed_on is None or action.completed_on <= day):
        return Action.Status.DONE
    if action.status == Action.Status.CANCELLED:
        return Action.Status.CANCELLED
    return Action.Status.OPEN


def _review_status(review, end):
    """Where a review stood at the end of the year, in words."""
    if review.published_on and review.published_on <= end:
        return f"published on {review.published_on.day} {review.published_on:%B %Y}"
    if review.not_published == PracticeReview.NotPublished.CRIMINAL_PROCEEDINGS:
        done = "completed" if review.final_report_on and review.final_report_on <= end else "in progress"
        return f"{done}; publication {review.get_not_published_display().lower()}"
    if review.not_published:
        return f"not to be published: {review.get_not_published_display().lower()}"
    if review.final_report_on and review.final_report_on <= end:
        return "completed, not yet published"
    return "in progress"


def review_figures(partnership, year):
    """The year's case reviews for its yearly report, each told as it stood on 31 March (the end of the year):
    a review published later is not yet published, an action done later was still to do, and an action is
    overdue if it was still to do after its due date by then."""
    found = ReviewYear(year)
    for incident in incidents(partnership):
        if _in_year(incident.notified_on or incident.aware_on, year):
            found.notifications += 1
        if _in_year(incident.rapid_review_on, year):
            found.rapid_reviews += 1
            found.decisions[incident.get_decision_display()] += 1
    reviews = PracticeReview.objects.for_partnership(partnership).active().select_related("incident")
    end = datetime.date(year, 3, 31)
    for review in reviews:
        if review.started_on > end or (review.published_on and review.published_on < datetime.date(year - 1, 4, 1)):
            continue
        found.reviews.append((review.title, f"{review.incident.get_decision_display()}; {_review_status(review, end)}"))
    recommendations = Recommendation.objects.for_partnership(partnership).active().prefetch_related("actions")
    made = list(recommendations.filter(made_on__lte=end).order_by("id"))
    # Each source's recommendations together, sources in the order they were recorded (a review's groups stay in
    # the order its report gives them, e.g. the national-level recommendation before the local learning).
    first = {}
    for recommendation in made:
        first.setdefault(recommendation.source_title, len(first))
    for recommendation in sorted(made, key=lambda r: (first[r.source_title], r.number)):
        actions = [(a, _status_at(a, end)) for a in recommendation.actions.all() if a.archived_at is None]
        found.recommendations.append((recommendation.source_title, recommendation.number, recommendation.text,
                                      sum(status == Action.Status.DONE for _, status in actions), len(actions)))
        for action, status in actions:
            if status == Action.Status.DONE:
                found.actions_done += 1
            elif status == Action.Status.OPEN:
                found.actions_open += 1
                found.actions_overdue += action.due_on < end
    return found
