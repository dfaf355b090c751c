"""The demo partnership's case reviews of 2020-21: two serious incidents that both met the criteria for a
local child safeguarding practice review, one that will not be published (the cause of death would identify
the child) and one waiting for criminal proceedings, each with recommendations and actions. Invented
details, written for the demo; no names."""
import datetime

from django.contrib.contenttypes.models import ContentType

from safeguarding.accounts.models import Organisation
from safeguarding.actions.models import Action, Recommendation

from .models import PracticeReview, SeriousIncident

D = datetime.date
COUNCIL, POLICE, CCG = "London Borough of Southwark", "Metropolitan Police Service", "NHS South East London CCG (Southwark)"

INCIDENTS = [
    {"reference": "SIN-2020-01", "summary": "An infant died at home; agencies had known the family before the birth.",
     "aware_on": D(2020, 6, 8), "notified_on": D(2020, 6, 11), "rapid_review_on": D(2020, 7, 1),
     "decision": "local_cspr", "decision_on": D(2020, 7, 1), "panel_view": "Agreed that a local review was right.",
     "review": {"title": "Child A", "reviewer": "Independent social work reviewer", "started_on": D(2020, 7, 20),
                "final_report_on": D(2021, 2, 12), "sent_to_panel_on": D(2021, 3, 1),
                "not_published": "cause_of_death",
                "notes": "The learning is shared with practitioners in briefings instead of a published report."},
     "recommendations": [
         ("Make sure pre-birth assessments involve both parents and record who else lives in the home.",
          [("Update the pre-birth assessment guidance and audit its use", COUNCIL, "Head of Safeguarding and Quality",
            D(2021, 6, 30), "done", D(2021, 6, 15), "A sample audit found fathers involved in most new assessments.")]),
         ("Share safe sleep advice at every health contact in the first year.",
          [("Add safe sleep to the health visiting checklist", CCG, "Designated Nurse", D(2021, 9, 30), "in_progress",
            None, "")])]},
    {"reference": "SIN-2020-02", "summary": "A teenager was seriously harmed in the community; exploitation was known.",
     "aware_on": D(2020, 10, 19), "notified_on": D(2020, 10, 26), "rapid_review_on": D(2020, 11, 16),
     "decision": "local_cspr", "decision_on": D(2020, 11, 16), "panel_view": "Agreed; themes feed the national "
     "review of criminal exploitation.",
     "review": {"title": "Child B", "reviewer": "Independent reviewer", "started_on": D(2020, 12, 7),
                "final_report_on": None, "sent_to_panel_on": None, "not_published": "criminal_proceedings",
                "notes": "Publication will follow the end of the criminal trial."},
     "recommendations": [
         ("Bring information about young people at risk outside the home into one multi-agency meeting.",
          [("Review the terms of reference of the exploitation meeting", COUNCIL, "Head of Service, Adolescents",
            D(2021, 3, 31), "done", D(2021, 3, 20), "Police and schools now attend every meeting."),
           ("Train neighbourhood officers to recognise criminal exploitation", POLICE, "Detective Superintendent",
            D(2021, 12, 31), "open", None, "")])]},
]


def load(partnership):
    """Create the demo's case reviews once; a partnership that has any incident already is left as it is."""
    if SeriousIncident.objects.for_partnership(partnership).exists():
        return 0
    kind = ContentType.objects.get_for_model(SeriousIncident)
    for values in INCIDENTS:
        values = dict(values)
        review, recommendations = values.pop("review"), values.pop("recommendations")
        incident = SeriousIncident.objects.create(partnership=partnership, **values)
        practice_review = PracticeReview.objects.create(partnership=partnership, incident=incident, **review)
        for number, (text, actions) in enumerate(recommendations, start=1):
            recommendation = Recommendation.objects.create(
                partnership=partnership, source_type=kind, source_id=incident.pk, number=number, text=text,
                source_title=f"{practice_review.title} (local CSPR)", made_on=review["final_report_on"]
                or D(2021, 3, 15))
            for description, organisation, owner, due_on, status, completed_on, impact in actions:
                Action.objects.create(partnership=partnership, recommendation=recommendation, description=description,
                                      organisation=Organisation.objects.get(name=organisation), owner=owner,
                                      due_on=due_on, status=status, completed_on=completed_on, impact=impact)
    return len(INCIDENTS)
