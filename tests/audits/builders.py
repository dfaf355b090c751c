"""Assurance records for tests: a framework, a cycle, agencies' returns, a multi-agency audit, an escalation."""
import datetime
from dataclasses import dataclass

from django.core.files.base import ContentFile

from safeguarding.accounts.models import Organisation
from safeguarding.audits import services
from safeguarding.audits.models import (AgencyFinding, AuditedCase, Challenge, Cycle, Escalation, EvidenceFile,
                                        MultiAgencyAudit, PlannedAction, ReturnAnswer)
from safeguarding.partnership.models import PartnerAgency
from tests import factories

D = datetime.date


def framework(partnership, scale="not_partly_fully", starting_set="section_11", name="Section 11 standards"):
    return services.create_framework(partnership=partnership, name=name, scale=scale, starting_set=starting_set,
                                     by=None)


def cycle(partnership, frame, organisations, year=2021, title=None, due_on=None):
    found = Cycle.objects.create(partnership=partnership, framework=frame, year=year,
                                 title=title or f"Section 11 audit {year - 1}-{year % 100:02d}",
                                 opens_on=D(year - 1, 10, 1), due_on=due_on or D(year, 1, 29),
                                 themes="Mental health\nExtra-familial harm")
    for organisation in organisations:
        PartnerAgency.objects.get_or_create(partnership=partnership, organisation=organisation,
                                            defaults={"kind": "relevant"})
    found.organisations.add(*organisations)
    return found


def answer_all(link, rating="3", evidence="Our evidence"):
    for standard in link.cycle.framework.standards_in_order():
        services.save_answer(cycle_return=link, standard_key=standard.key, rating=rating, evidence=evidence, by=None)


def submitted(cycle_, organisation, rating="3"):
    link = services.start_return(cycle=cycle_, organisation=organisation, by=None)
    answer_all(link, rating)
    services.submit_return(cycle_return=link, summary="All in place", by=None)
    link.refresh_from_db()
    return link


@dataclass
class World:
    """One partnership's records of every kind the assurance pages open."""

    partnership: object
    agency: Organisation  # the agency whose lead is signed in
    other: Organisation  # another agency
    framework: object
    cycle: object
    draft: object  # the agency's cycle return, in progress
    submitted: object  # the other agency's cycle return, submitted
    evidence: object
    action: object
    challenge: object
    audit: object
    case: object
    finding: object
    recommendation: object
    escalation: object


def world(partnership, agency=None):
    agency = agency or factories.organisation(f"{partnership.slug} fire service", Organisation.Sector.FIRE)
    other = factories.organisation(f"{partnership.slug} hospital", Organisation.Sector.HEALTH)
    frame = framework(partnership)
    found = cycle(partnership, frame, [agency, other])
    draft = services.start_return(cycle=found, organisation=agency, by=None)
    first = frame.standards_in_order().first()
    ReturnAnswer.objects.create(section11_return=draft.section11_return, standard_key=first.key, rating="2",
                                evidence="Policy approved in May")
    evidence = EvidenceFile(section11_return=draft.section11_return, standard_key=first.key, title="Policy")
    evidence.file.save("policy.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    evidence.save()
    action = PlannedAction.objects.create(section11_return=draft.section11_return, standard_key=first.key,
                                          description="Publish the policy", owner="Head of Safeguarding",
                                          due_on=D(2021, 6, 30))
    challenge = Challenge.objects.create(partnership=partnership, cycle_return=draft, raised_on=D(2021, 2, 1),
                                         text="What shows staff have read the policy?")
    done = submitted(found, other)
    audit = MultiAgencyAudit.objects.create(partnership=partnership, title="Domestic abuse audit",
                                            theme="Domestic abuse", started_on=D(2020, 11, 2),
                                            learning="Children's words were missing from records.")
    audit.organisations.add(agency, other)
    case = AuditedCase.objects.create(partnership=partnership, audit=audit, reference="DA-01")
    finding = AgencyFinding.objects.create(partnership=partnership, audit=audit, case=case, organisation=agency,
                                           grade="good", findings="Notification shared the next morning")
    recommendation = services.add_recommendation(source=audit, text="Record the child's words", made_on=D(2021, 3, 1),
                                                 by=None)
    escalation = Escalation.objects.create(partnership=partnership, reference="ESC-01", raised_by=agency, about=other,
                                           theme="threshold", concern="Referral closed without an assessment",
                                           raised_on=D(2020, 12, 14), resolved_on=D(2021, 1, 5), outcome="agreed")
    return World(partnership, agency, other, frame, found, draft, done, evidence, action, challenge, audit, case,
                 finding, recommendation, escalation)
