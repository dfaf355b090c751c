"""The demo partnership's case reviews of 2020-21, as the reference report gives them: reviews into the deaths of two
children, both looking hard at how health services worked together; one will not be published (the cause of death
would identify the child), the other waits for criminal proceedings. The seven recommendations are the report's, in
our words, in its two groups (national level, and local learning), which it gives for the two reviews together.

Filled in as illustration where the report is silent (docs/demo.md lists what is illustrative): the incidents'
dates, the reviewers, and one action on each recommendation (owned by the CCG, which co-ordinates the health
services' part) with its progress. No names."""
import datetime

from safeguarding.accounts.models import Organisation
from safeguarding.actions.models import Recommendation, Action
from safeguarding.partnership.demo.southwark import CCG

from .models import PracticeReview, SeriousIncident

D = datetime.date

INCIDENTS = [
    {"reference": "SIN-2020-01", "summary": "A young child died at home; health services had known the family "
                                            "before and after a move into the borough.",
     "aware_on": D(2020, 6, 8), "notified_on": D(2020, 6, 11), "rapid_review_on": D(2020, 7, 1),
     "decision": "local_cspr", "decision_on": D(2020, 7, 1), "panel_view": "Agreed that a local review was right.",
     "review": {"title": "Child A", "reviewer": "Independent reviewer", "started_on": D(2020, 7, 20),
                "final_report_on": D(2021, 2, 12), "sent_to_panel_on": D(2021, 3, 1),
                "not_published": "cause_of_death",
                "notes": "Agreed with the national Panel: the cause of death would identify the child. The learning "
                         "is shared with practitioners instead."}},
    {"reference": "SIN-2020-02", "summary": "A child died; the police investigation led to criminal proceedings.",
     "aware_on": D(2020, 9, 14), "notified_on": D(2020, 9, 17), "rapid_review_on": D(2020, 10, 8),
     "decision": "local_cspr", "decision_on": D(2020, 10, 8), "panel_view": "Agreed that a local review was right.",
     "review": {"title": "Child B", "reviewer": "Independent reviewer", "started_on": D(2020, 10, 26),
                "final_report_on": D(2021, 3, 10), "sent_to_panel_on": D(2021, 3, 24),
                "not_published": "criminal_proceedings",  # delayed, not withheld
                "notes": "Publication will follow the end of the criminal proceedings."}},
]

SOURCE = "Child A and Child B (local CSPRs)"
# (group, what the reviews recommended, the action taken on it: (what, owner, post, due, status, completed, impact))
RECOMMENDATIONS = [
    ("national level", "Raise with national and pan-London bodies the risk of fragmented IT systems: records of "
     "families who move often, and some who avoid services, do not follow them between agencies and areas.",
     ("Write to the national and pan-London health bodies about records that do not follow families", CCG,
      "Designated Nurse for Safeguarding Children", D(2021, 6, 30), "done", D(2021, 6, 11), "")),
    ("local learning", "Review how maternity services find past and present factors that may affect parenting, how "
     "they pass them on when care moves to another hospital, and how health visitors hear of them during the "
     "pregnancy.",
     ("Review the maternity services' hand-over of parenting risks", CCG, "Designated Nurse for Safeguarding "
      "Children", D(2021, 9, 30), "in_progress", None, "")),
    ("local learning", "Remind health visitors to be professionally curious and to obtain a full history promptly "
     "for every child who moves into the borough, with policy stressing the history of factors that may affect "
     "parenting.",
     ("Re-issue the health visitors' transfer-in guidance with a history checklist", CCG, "Designated Nurse for "
      "Safeguarding Children", D(2021, 6, 30), "done", D(2021, 6, 25), "")),
    ("local learning", "Gain assurance that GP systems record past and current child protection and looked after "
     "information, and that GPs use it when they consider parenting capacity.",
     ("Audit GP records of child protection and looked after status", CCG, "Named GP for Safeguarding Children",
      D(2021, 12, 31), "in_progress", None, "")),
    ("local learning", "Hospital trusts to check that training for health visiting teams sets out the NICE-based "
     "expectations for managing faltering growth, and to evaluate how far they are met.",
     ("Confirm the faltering growth training with the trusts and evaluate it", CCG, "Designated Nurse for "
      "Safeguarding Children", D(2021, 12, 31), "open", None, "")),
    ("local learning", "The hospital to audit how often discharge letters are complete, informative and on time.",
     ("Receive the hospital's audit of discharge letters", CCG, "Designated Doctor for Safeguarding Children",
      D(2021, 9, 30), "open", None, "")),
    ("local learning", "The CCG to satisfy itself that a clinician looks at notifications from 999 and 111 services "
     "before GP practices add them to a child's medical record.",
     ("Agree the clinical review of 999 and 111 notifications with GP practices", CCG, "Named GP for "
      "Safeguarding Children", D(2021, 12, 31), "open", None, "")),
]
MADE_ON = D(2021, 3, 10)  # when the second review reported


def load(partnership):
    """Create the demo's case reviews once; a partnership that has any incident already is left as it is."""
    if SeriousIncident.objects.for_partnership(partnership).exists():
        return 0
    for values in INCIDENTS:
        values = dict(values)
        review = values.pop("review")
        incident = SeriousIncident.objects.create(partnership=partnership, **values)
        PracticeReview.objects.create(partnership=partnership, incident=incident, **review)
    numbers = {}
    for group, text, (description, organisation, owner, due_on, status, completed_on, impact) in RECOMMENDATIONS:
        numbers[group] = numbers.get(group, 0) + 1
        recommendation = Recommendation.objects.create(
            partnership=partnership, source_title=f"{SOURCE}: {group}", number=numbers[group], text=text,
            made_on=MADE_ON)
        Action.objects.create(partnership=partnership, recommendation=recommendation, description=description,
                              organisation=Organisation.objects.get(name=organisation), owner=owner, due_on=due_on,
                              status=status, completed_on=completed_on, impact=impact)
    return len(INCIDENTS)
