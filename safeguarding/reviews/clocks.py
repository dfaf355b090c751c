"""The statutory clocks of a case review, each stage with its due date, when it was done, and whether it is
due, overdue or done (in time or late). Working days are England and Wales working days."""
from dataclasses import dataclass

from django.utils import timezone

from safeguarding.working_days import add_months, add_working_days, working_days_between

NOTIFY_WORKING_DAYS = 5  # to the national Panel, from the local authority becoming aware
RAPID_REVIEW_WORKING_DAYS = 15  # from the notification
CSPR_MONTHS = 6  # a local review's target, from the decision to hold one
PANEL_BEFORE_PUBLICATION_WORKING_DAYS = 7  # the final report goes to the Panel and the Secretary of State first
KEEP_PUBLISHED_MONTHS = 12


@dataclass
class Stage:
    name: str
    rule: str
    due: object = None  # a date, or None while the stage cannot start
    done: object = None
    keep: bool = False  # a period to keep something up (publication), not a deadline

    def status(self, today=None):
        today = today or timezone.localdate()
        if self.keep:
            return "done" if today >= self.due else "keep available"
        if self.done:
            return "done late" if self.due and self.done > self.due else "done"
        if self.due is None:
            return "not started"
        return "overdue" if today > self.due else "due"

    @property
    def late_by(self):
        """Working days past the due date (for a stage done late)."""
        if self.done and self.due and self.done > self.due:
            return working_days_between(self.due, self.done)
        return 0


def stages(incident, review=None):
    """The clocks of one serious incident and, if there is one, its local CSPR."""
    notify = Stage("Notification to the national Panel",
                   f"within {NOTIFY_WORKING_DAYS} working days of the local authority becoming aware",
                   add_working_days(incident.aware_on, NOTIFY_WORKING_DAYS), incident.notified_on)
    # The rapid review's clock runs from the notification (or from when it was due, if it is late).
    rapid = Stage("Rapid review sent to the Panel", f"within {RAPID_REVIEW_WORKING_DAYS} working days of the notification",
                  add_working_days(incident.notified_on or notify.due, RAPID_REVIEW_WORKING_DAYS),
                  incident.rapid_review_on)
    found = [notify, rapid]
    if incident.decision == "local_cspr":
        start = review.started_on if review else incident.decision_on
        found.append(Stage("Local review completed", f"target {CSPR_MONTHS} months from the decision",
                           add_months(start, CSPR_MONTHS) if start else None,
                           review.final_report_on if review else None))
        if review is not None:
            published = review.published_on
            found.append(Stage(
                "Final report sent to the Panel and the Secretary of State",
                f"at least {PANEL_BEFORE_PUBLICATION_WORKING_DAYS} working days before publication",
                add_working_days(published, -PANEL_BEFORE_PUBLICATION_WORKING_DAYS) if published else None,
                review.sent_to_panel_on))
            if published:
                found.append(Stage("Kept published", f"available for at least {KEEP_PUBLISHED_MONTHS} months",
                                   add_months(published, KEEP_PUBLISHED_MONTHS), keep=True))
    return found
