"""The demo partnership's assurance work of 2020-21, in invented detail written for the demo (no names, no real
cases). From the yearly report it keeps only the shape: agencies complete the London Section 11 tool every year;
COVID-19 (capacity, supervision, virtual contact) ran through the returns; mental health and extra-familial harm
came out as themes; partners were asked to get key messages to the front line and to work more closely with the
voluntary and community sector.

The reference gives no agency's rating, grade or disagreement, so every judgment here belongs to one of the demo's
generic, illustrative agencies (``partnership.demo.agencies``: "Acute hospital trust A", "Fire and rescue
service" ...), never to a real named organisation of the partnership's register (issue 15).

- Section 11: a framework of the eight Section 11 arrangements in the London layout, rated red, amber or green;
  a small 2019-20 cycle (three agencies) that the 2020-21 returns start from; the 2020-21 cycle with twelve
  agencies asked: eight returns moderated, three submitted and waiting, and the fire and rescue service's overdue
  (its demo agency lead can start it from last year's answers).
- A multi-agency audit on domestic abuse: six pseudonymised cases, agencies' findings and grades, learning,
  two recommendations with actions in the shared action log.
- Five escalations of 2020-21, one of them taken to stage 4 and resolved in the new financial year.
- For the neighbouring partnership (``load_neighbour``): its own cycle, in which acute hospital trust A's return
  for Southwark is shared and moderated again by the neighbour.

``load(partnership)`` is safe to run again: records are matched by natural keys and brought up to date through
the audit trail as the system; a return an agency has already started is never overwritten. Records an older demo
gave the real organisations move to their stand-ins (``agencies.STOOD_IN_FOR``) rather than being made twice.
"""
import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from safeguarding.accounts.models import Organisation
from safeguarding.actions.models import Action, Recommendation
from safeguarding.core import audit
from safeguarding.core.audit import snapshot
from safeguarding.partnership.demo import agencies
from safeguarding.partnership.demo.agencies import (ACUTE_TRUST_A as TRUST_A, ACUTE_TRUST_B as TRUST_B,
                                                    FAMILY_COURT_ADVISERS as FAMILY_COURT, FIRE_SERVICE as FIRE,
                                                    HEALTH_COMMISSIONER as COMMISSIONER,
                                                    MENTAL_HEALTH_TRUST as MENTAL_HEALTH,
                                                    POLICE_COMMAND as POLICE, PROBATION_SERVICE as PROBATION,
                                                    REHABILITATION_PROVIDER as REHABILITATION, SCHOOLS,
                                                    SOCIAL_CARE, VOLUNTARY_SECTOR as VOLUNTARY)

from . import services
from .models import (AgencyFinding, AuditedCase, Challenge, Cycle, CycleReturn, Escalation, Framework,
                     ModeratedRating, MultiAgencyAudit, PlannedAction, ReturnAnswer, Section11Return, Standard)
from .starting_sets import SECTION_11_CLASSIC

D = datetime.date

FRAMEWORK = {
    "name": "Section 11 self-assessment (London format)",
    "description": "The eight Section 11 arrangements, laid out as in the pan-London self-assessment tool and rated "
                   "red, amber or green. Every agency completes it once a year; the Quality and Effectiveness "
                   "subgroup moderates the returns and follows the actions.",
}

THEMES = [
    "COVID-19: capacity and workforce resilience",
    "Safeguarding supervision strengthened",
    "Virtual contact and spotting risk",
    "Children and young people's mental health",
    "Extra-familial harm",
    "Key messages reaching frontline staff",
    "Links with the voluntary and community sector",
]

CYCLES = [
    {"title": "Section 11 audit 2019-20", "year": 2020, "opens_on": D(2019, 10, 1), "due_on": D(2020, 1, 31),
     "notes": "Three agencies only in the demo: enough for the 2020-21 returns to start from.",
     "organisations": [TRUST_A, FIRE, PROBATION]},
    {"title": "Section 11 audit 2020-21", "year": 2021, "opens_on": D(2020, 10, 1), "due_on": D(2021, 1, 29),
     "notes": "Returns due later than usual because of the pandemic.",
     "organisations": [SOCIAL_CARE, COMMISSIONER, POLICE, TRUST_A, TRUST_B, MENTAL_HEALTH, FIRE, PROBATION,
                       REHABILITATION, VOLUNTARY, SCHOOLS, FAMILY_COURT]},
]

# One line of evidence per standard, in the order of the eight arrangements.
EVIDENCE = [
    "A named executive lead reports to the board on safeguarding twice a year; safeguarding is on the corporate "
    "risk register.",
    "The safeguarding children policy was approved by the board this year and is part of every induction.",
    "Named safeguarding leads in every service, with a reporting line to the executive lead.",
    "Feedback from children and families is gathered each quarter; the waiting area and leaflets changed as a "
    "result.",
    "Most staff are up to date with training at their level; supervision moved online during lockdown and was "
    "offered more often.",
    "Safer recruitment training for every panel chair; DBS renewals tracked monthly; allegations policy names "
    "the LADO.",
    "Staff attend conferences and core groups, virtually this year; the escalation policy is in the staff "
    "handbook.",
    "Information-sharing guidance issued; an agreement with the police and the council is being refreshed.",
]

# agency: (self-ratings and moderated ratings, standard by standard, or None; submitted on; themes by index;
#          planned actions: (standard number, action, owner, due, status, completed on, progress))
G, A, R = "green", "amber", "red"
RETURNS_2021 = {
    SOCIAL_CARE: ("GGGAGGGA", "GGGAGAGA", D(2021, 1, 22), [0, 1, 4, 5], [
        (4, "Set up a young people's advisory panel for children's services", "Head of Participation",
         D(2021, 9, 30), "done", D(2021, 7, 14), "Panel met four times; its views shaped the new leaflets."),
        (8, "Refresh the information-sharing agreement with police and health", "Head of QA and Practice "
         "Development", D(2021, 12, 31), "in_progress", None, "Draft agreed by the three partners.")]),
    COMMISSIONER: ("GGGGGGGA", "GGGGAGGA", D(2021, 1, 28), [0, 2, 3], [
        (5, "Bring GP practices' safeguarding training records into one report", "Designated Nurse",
         D(2021, 6, 30), "done", D(2021, 6, 2), "")]),
    POLICE: ("GGGAAGGG", "GGAAAGGA", D(2021, 1, 29), [0, 4, 5], [
        (7, "Make sure every child protection referral reaches the front door within one working day",
         "Detective Inspector, safeguarding hub", D(2021, 10, 31), "in_progress", None, ""),
        (5, "Add domestic abuse and exploitation modules to response officers' training", "Training manager",
         D(2021, 12, 31), "open", None, "")]),
    TRUST_A: ("GGGAGGGG", "GGGAGGGA", D(2021, 1, 18), [0, 1, 2, 3], [
        (4, "Ask young patients about the hospital's safeguarding leaflets", "Head of Safeguarding Children",
         D(2021, 8, 31), "done", D(2021, 8, 20), "Leaflets rewritten with a youth group.")]),
    TRUST_B: ("GGGGAGGG", "GGGGAGGG", D(2021, 1, 26), [0, 1, 3], [
        (5, "Raise level 3 training in the emergency department above nine in ten staff", "Named Nurse",
         D(2021, 9, 30), "in_progress", None, "Up from seven in ten to eight in ten.")]),
    MENTAL_HEALTH: ("GAGAAGGA", None, D(2021, 1, 29), [], [
        (2, "Publish the trust's safeguarding children statement on the staff intranet", "Named Nurse",
         D(2021, 5, 31), "open", None, "")]),
    PROBATION: ("GGGAGGAG", "GGGAGGAA", D(2021, 2, 12), [0, 4], [
        (7, "Add a child safeguarding check to every sentence plan review", "Head of Service", D(2021, 11, 30),
         "in_progress", None, "")]),
    REHABILITATION: ("GAGAAGAA", None, D(2021, 1, 27), [], []),
    VOLUNTARY: ("AAGAAAGA", None, D(2021, 1, 29), [], [
        (5, "Offer member organisations free safeguarding training with the partnership", "Chief Executive",
         D(2021, 10, 31), "open", None, "")]),
    SCHOOLS: ("GGGAAGGA", "GGGAAGAA", D(2021, 1, 25), [2, 3, 4, 5], [
        (5, "Share the partnership's briefings through the designated safeguarding leads' network",
         "Education safeguarding lead", D(2021, 7, 31), "done", D(2021, 7, 1), "")]),
    FAMILY_COURT: ("GGGGGGGG", "GGGAGGGG", D(2021, 1, 15), [0, 1], []),
}
RETURNS_2020 = {
    TRUST_A: ("GGGAGGGA", "GGGAGGGA", D(2020, 1, 30), [], []),
    FIRE: ("GAGAAGGA", "GAGAAGAA", D(2020, 1, 31), [], [
        (5, "Give every station manager safeguarding training at level 2", "Borough Commander", D(2020, 12, 31),
         "in_progress", None, "Two thirds trained before the pandemic paused classroom courses."),
        (2, "Put the safeguarding policy on the station noticeboards", "Borough Commander", D(2020, 6, 30), "done",
         D(2020, 3, 10), "")]),
    PROBATION: ("GGGAGGAA", "GGGAGGAA", D(2020, 1, 29), [], []),
}
MODERATION_SUMMARY = "Moderated at the Quality and Effectiveness subgroup; the ratings agreed with the agency."

CHALLENGES = [
    # agency, standard number, raised on, challenge, response, responded on, resolved on
    (POLICE, 8, D(2021, 2, 18), "The return rates information sharing green, but the multi-agency audit found "
     "referrals reaching the front door late. What is the evidence that sharing is timely?",
     "Agreed: we have added an action to check referral times every month and will report at the next subgroup.",
     D(2021, 3, 2), D(2021, 3, 11)),
    (MENTAL_HEALTH, 2, D(2021, 3, 4), "The return says the safeguarding statement is not yet available to all "
     "staff. When will it be, and how will you know staff have read it?", "", None, None),
]

MULTI_AGENCY_AUDIT = {
    "title": "Children living with domestic abuse", "theme": "Domestic abuse",
    "question": "How well do agencies recognise domestic abuse, share what they know and plan for the safety of "
                "the children living with it?",
    "status": "complete", "started_on": D(2020, 11, 2), "completed_on": D(2021, 3, 11),
    "learning": "Agencies recognised domestic abuse quickly when it was disclosed, and police notifications "
                "reached schools the next morning in most cases. The children's own experience was often missing "
                "from the records: few agencies wrote down what the child had said or seen. Where the abusive "
                "parent had left the home, plans tended to close too soon, before the risk from contact arrangements "
                "was understood. Health and schools did not always know who else was involved with the family.",
}
AGENCIES_IN_AUDIT = [SOCIAL_CARE, POLICE, COMMISSIONER, TRUST_A, TRUST_B, SCHOOLS]
CASES = ["DA-01", "DA-02", "DA-03", "DA-04", "DA-05", "DA-06"]
FINDINGS = [
    ("DA-01", SOCIAL_CARE, "good", "Assessment named the risk and the child's view was recorded in the child's "
                                   "words."),
    ("DA-01", POLICE, "good", "Notification sent to the school the next morning."),
    ("DA-01", SCHOOLS, "requires_improvement", "The school acted on the notification but did not record the "
                                               "conversation with the child."),
    ("DA-02", SOCIAL_CARE, "requires_improvement", "The plan closed two weeks after the father left; contact "
                                                   "was not considered."),
    ("DA-02", TRUST_A, "good", "Midwife asked about abuse at every appointment and referred promptly."),
    ("DA-03", POLICE, "requires_improvement", "The children present at the incident were not spoken to."),
    ("DA-03", COMMISSIONER, "inadequate", "The GP record held no note of the police notification."),
    ("DA-03", SOCIAL_CARE, "good", "Strategy discussion held the same day with police and health."),
    ("DA-04", TRUST_B, "good", "Emergency department routine enquiry led to a referral and a safety plan."),
    ("DA-04", SCHOOLS, "outstanding", "The designated lead saw the child weekly and shared changes at once."),
    ("DA-05", SOCIAL_CARE, "requires_improvement", "Interpreting was arranged for the mother but not for the "
                                                   "older child."),
    ("DA-05", POLICE, "good", "Risk assessment completed and shared with the MARAC."),
    ("DA-06", COMMISSIONER, "good", "Health visitor kept contact through lockdown by video and one home visit."),
    ("DA-06", SOCIAL_CARE, "good", "The child's wishes shaped the plan and were recorded in her words."),
]
AUDIT_RECOMMENDATIONS = [
    ("Record what the child says and sees, in the child's words, in every agency's record of domestic abuse.", [
        ("Add a prompt for the child's voice to the domestic abuse templates in health and social care records",
         COMMISSIONER, "Designated Nurse", D(2021, 9, 30), "done", D(2021, 9, 1),
         "A re-audit of twenty records found the child's words in fifteen."),
        ("Brief designated safeguarding leads on recording children's accounts", SCHOOLS,
         "Education safeguarding lead", D(2021, 7, 31), "done", D(2021, 6, 24), "")]),
    ("Do not close a plan because the abusive parent has left until contact arrangements have been assessed.", [
        ("Change the closure checklist for child in need and child protection plans", SOCIAL_CARE,
         "Head of QA and Practice Development", D(2021, 6, 30), "in_progress", None, ""),
        ("Share notifications of domestic abuse with GPs as well as schools", POLICE,
         "Detective Inspector, safeguarding hub", D(2021, 12, 31), "open", None, "")]),
]
CYCLE_RECOMMENDATIONS = [
    ("Partners make sure the partnership's key messages and learning reach frontline staff, and check that "
     "they have.", [
        ("Cascade a monthly partnership briefing through every agency's team meetings", SOCIAL_CARE,
         "SSCP business manager", D(2021, 9, 30), "done", D(2021, 9, 15),
         "A staff survey found seven in ten frontline staff had seen the latest briefing."),
        ("Add the partnership's learning to the GP safeguarding newsletter", COMMISSIONER,
         "Named GP for Safeguarding Children", D(2021, 12, 31), "in_progress", None, "")]),
    ("Strengthen the partnership's connection with the voluntary and community sector.", [
        ("Set up a voluntary sector safeguarding forum that reports to the Quality and Effectiveness subgroup",
         VOLUNTARY, "Chief Executive", D(2022, 3, 31), "in_progress", None, "")]),
]

ESCALATIONS = [
    {"reference": "ESC-2021-01", "raised_by": SCHOOLS, "raised_by_role": "Designated safeguarding lead",
     "about": SOCIAL_CARE, "theme": "threshold",
     "concern": "A referral about a pupil's injuries was closed at the front door without an assessment.",
     "raised_on": D(2020, 5, 11), "stage_2_on": D(2020, 5, 14), "resolved_on": D(2020, 5, 20),
     "outcome": "upheld", "resolution": "A manager reviewed the referral and opened an assessment."},
    {"reference": "ESC-2021-02", "raised_by": TRUST_A, "raised_by_role": "Named midwife", "about": SOCIAL_CARE,
     "theme": "closure", "concern": "A pre-birth case was closed before the baby's birth without a discharge plan.",
     "raised_on": D(2020, 7, 6), "resolved_on": D(2020, 7, 8), "outcome": "agreed",
     "resolution": "The social worker and midwife agreed a plan for the birth and the case stayed open."},
    {"reference": "ESC-2021-03", "raised_by": POLICE, "raised_by_role": "Detective sergeant",
     "about": MENTAL_HEALTH, "theme": "information",
     "concern": "A request for a parent's mental health history for a strategy discussion went unanswered.",
     "raised_on": D(2020, 9, 14), "stage_2_on": D(2020, 9, 17), "stage_3_on": D(2020, 9, 28),
     "resolved_on": D(2020, 10, 9), "outcome": "agreed",
     "resolution": "The trust named a contact for urgent requests and shared the information."},
    {"reference": "ESC-2021-04", "raised_by": SOCIAL_CARE, "raised_by_role": "Team manager", "about": POLICE,
     "theme": "attendance", "concern": "No police officer joined two strategy discussions in one week.",
     "raised_on": D(2020, 12, 14), "stage_2_on": D(2020, 12, 18), "resolved_on": D(2021, 1, 5), "outcome": "agreed",
     "resolution": "A duty rota for strategy discussions was agreed over the holidays."},
    {"reference": "ESC-2021-05", "raised_by": FAMILY_COURT, "raised_by_role": "Family court adviser",
     "about": SOCIAL_CARE, "theme": "planning",
     "concern": "The family court adviser disagreed with ending a child protection plan during proceedings.",
     "raised_on": D(2021, 3, 1), "stage_2_on": D(2021, 3, 4), "stage_3_on": D(2021, 3, 15),
     "stage_4_on": D(2021, 3, 24), "resolved_on": D(2021, 4, 9), "outcome": "not_upheld",
     "resolution": "The independent chair reviewed the decision with both agencies; the plan ended with a child in "
                   "need plan and a review date agreed."},
]


def _upsert(model, lookup, values, partnership=None):
    """Create the record, or bring it up to date, through the audit trail as the system. ``partnership``
    files the events of records that have none of their own (an agency's return and its parts)."""
    record = model._base_manager.filter(**lookup).first()
    if record is None:
        record = model(**lookup, **values)
        if partnership is not None:
            record.partnership_id = partnership.pk
        return audit.create(record, by=None)
    before = snapshot(record)
    for name, value in values.items():
        setattr(record, name, value)
    if snapshot(record) != before:
        if partnership is not None:
            record.partnership_id = partnership.pk
        audit.update(record, by=None)
    return record


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def _organisations():
    return {o.name: o for o in Organisation.objects.all()}


def _move_to_stand_ins(partnership, organisations, cycle_titles, audit_titles=()):
    """Before issue 15 the demo gave its Section 11 returns, audit findings and the agencies asked to real named
    organisations. Move what an older demo made in this partnership's demo cycles and audits to the illustrative
    agency that now stands in for each (``agencies.STOOD_IN_FOR``), through the audit trail, so that loading again
    neither duplicates them nor leaves a judgment on a real organisation. Escalations and actions, matched by
    reference and description, are put right by the load itself."""
    moves = {organisations[old]: organisations[new] for old, new in agencies.STOOD_IN_FOR.items()
             if old in organisations and new in organisations}
    if not moves:
        return
    groups = [(cycle, CycleReturn, "cycle") for cycle in Cycle.objects.filter(
        partnership=partnership, title__in=cycle_titles)]
    groups += [(multi, AgencyFinding, "audit") for multi in MultiAgencyAudit.objects.filter(
        partnership=partnership, title__in=audit_titles)]
    for record, model, parent in groups:
        asked = set(record.organisations.all())
        for old, new in moves.items():
            if old in asked:
                record.organisations.remove(old)
                record.organisations.add(new)
        for part in model.objects.filter(**{parent: record, "organisation__in": list(moves)}):
            new = moves[part.organisation]
            taken = model.objects.filter(**{parent: record, "organisation": new})
            if parent == "audit":
                taken = taken.filter(case_id=part.case_id)
            if taken.exists():
                continue  # already made for the stand-in: the old record is left as the agency's own
            old, part.organisation = part.organisation, new
            audit.update(part, by=None)
            if parent == "cycle" and part.section11_return.organisation_id == old.pk:
                answer = part.section11_return
                answer.organisation, answer.summary = new, answer.summary.replace(old.name, new.name)
                answer.partnership_id = partnership.pk
                audit.update(answer, by=None)


def _return(partnership, cycle, organisation, standards, data, started_from=None):
    """One agency's return in a cycle, created once: an agency's own later work is never overwritten."""
    link = CycleReturn.objects.filter(cycle=cycle, organisation=organisation).first()
    if link is not None:
        return link
    self_ratings, moderated, submitted_on, themes, actions = data
    scale = {"G": G, "A": A, "R": R}
    record = _upsert(Section11Return, {"organisation": organisation, "framework": cycle.framework,
                                       "started_at": _at(cycle.opens_on)},
                     {"status": "submitted", "submitted_at": _at(submitted_on), "started_from": started_from,
                      "summary": f"{organisation.name} met most standards in the year; the gaps and what it will "
                                 "do about them are in the planned actions."}, partnership)
    link = audit.create(CycleReturn(partnership=partnership, cycle=cycle, section11_return=record,
                                    organisation=organisation, themes=[THEMES[i] for i in themes],
                                    moderation_summary=MODERATION_SUMMARY if moderated else "",
                                    moderated_at=_at(submitted_on + datetime.timedelta(days=28)) if moderated
                                    else None), by=None)
    for standard, letter, evidence in zip(standards, self_ratings, EVIDENCE):
        _upsert(ReturnAnswer, {"section11_return": record, "standard_key": standard.key},
                {"rating": scale[letter], "evidence": evidence}, partnership)
        if moderated:
            mine = moderated[standard.number - 1]
            comment = "" if mine == letter else "Moderated down: the evidence shows the work is still under way."
            _upsert(ModeratedRating, {"cycle_return": link, "standard_key": standard.key},
                    {"partnership": partnership, "rating": scale[mine], "comment": comment})
    for number, description, owner, due_on, status, completed_on, progress in actions:
        _upsert(PlannedAction, {"section11_return": record, "description": description},
                {"standard_key": standards[number - 1].key, "owner": owner, "due_on": due_on, "status": status,
                 "completed_on": completed_on, "progress": progress}, partnership)
    return link


def _recommendations(partnership, source, title, items, organisations, made_on):
    kind = ContentType.objects.get_for_model(source)
    for number, (text, actions) in enumerate(items, start=1):
        recommendation = _upsert(Recommendation, {"partnership": partnership, "source_type": kind,
                                                  "source_id": source.pk, "number": number},
                                 {"source_title": title, "text": text, "made_on": made_on})
        for description, organisation, owner, due_on, status, completed_on, impact in actions:
            _upsert(Action, {"partnership": partnership, "recommendation": recommendation,
                             "description": description},
                    {"organisation": organisations[organisation], "owner": owner, "due_on": due_on,
                     "status": status, "completed_on": completed_on, "impact": impact})


def _framework(partnership, description):
    """The Section 11 framework in the London layout and its eight standards."""
    framework = _upsert(Framework, {"partnership": partnership, "name": FRAMEWORK["name"]},
                        {"description": description, "scale": "rag", "starting_set": "section_11"})
    standards = [_upsert(Standard, {"partnership": partnership, "framework": framework, "key": standard.key},
                         {"number": number, "title": standard.title, "description": standard.description,
                          "questions": "\n".join(standard.questions), "guidance": standard.guidance})
                 for number, standard in enumerate(SECTION_11_CLASSIC, start=1)]
    return framework, standards


def _cycle(partnership, framework, values, organisations):
    values = dict(values)
    names = values.pop("organisations")
    cycle = _upsert(Cycle, {"partnership": partnership, "title": values.pop("title")},
                    {**values, "framework": framework, "themes": "\n".join(THEMES)})
    cycle.organisations.add(*[organisations[name] for name in names])
    return cycle


@transaction.atomic
def load(partnership):
    organisations = _organisations()
    _move_to_stand_ins(partnership, organisations, [values["title"] for values in CYCLES],
                       [MULTI_AGENCY_AUDIT["title"]])
    framework, standards = _framework(partnership, FRAMEWORK["description"])
    cycles = [_cycle(partnership, framework, values, organisations) for values in CYCLES]
    earlier, current = cycles
    previous = {}
    for name, data in RETURNS_2020.items():
        previous[name] = _return(partnership, earlier, organisations[name], standards, data)
    for name, data in RETURNS_2021.items():
        started_from = previous[name].section11_return if name in previous else None
        _return(partnership, current, organisations[name], standards, data, started_from)
    for name, number, raised_on, text, response, responded_on, resolved_on in CHALLENGES:
        link = CycleReturn.objects.get(cycle=current, organisation=organisations[name])
        if not Challenge.objects.filter(cycle_return=link, raised_on=raised_on).exists():  # the agency may answer
            audit.create(Challenge(partnership=partnership, cycle_return=link, raised_on=raised_on,
                                   standard_key=standards[number - 1].key, text=text, response=response,
                                   responded_on=responded_on, resolved_on=resolved_on), by=None)
    _recommendations(partnership, current, current.title, CYCLE_RECOMMENDATIONS, organisations, D(2021, 3, 11))

    values = dict(MULTI_AGENCY_AUDIT)
    multi = _upsert(MultiAgencyAudit, {"partnership": partnership, "title": values.pop("title")}, values)
    multi.organisations.add(*[organisations[name] for name in AGENCIES_IN_AUDIT])
    cases = {ref: _upsert(AuditedCase, {"partnership": partnership, "audit": multi, "reference": ref}, {})
             for ref in CASES}
    for ref, name, grade, text in FINDINGS:
        _upsert(AgencyFinding, {"partnership": partnership, "audit": multi, "case": cases[ref],
                                "organisation": organisations[name]}, {"grade": grade, "findings": text})
    _recommendations(partnership, multi, f"{multi} (multi-agency audit)", AUDIT_RECOMMENDATIONS, organisations,
                     multi.completed_on)

    for values in ESCALATIONS:
        values = dict(values)
        values["raised_by"], values["about"] = organisations[values["raised_by"]], organisations[values["about"]]
        _upsert(Escalation, {"partnership": partnership, "reference": values.pop("reference")}, values)
    return {"cycles": len(cycles), "returns": CycleReturn.objects.filter(partnership=partnership).count(),
            "multi_agency_audits": 1, "escalations": len(ESCALATIONS)}


# ------------------------------------------------------------------------------------ the neighbour
# Lambeth's partnership asks two of the agencies Southwark asks. Acute hospital trust A answers with the return it
# completed for Southwark (one return, shared), and Lambeth moderates it in its own way; the police have not yet
# shared theirs. Lambeth's moderation differs from Southwark's on one standard, so each can be seen to be its own.
NEIGHBOUR_CYCLE = {"title": "Section 11 audit 2020-21", "year": 2021, "opens_on": D(2020, 11, 2),
                   "due_on": D(2021, 2, 26), "notes": "Shares its standards and scale with Southwark's cycle.",
                   "organisations": [TRUST_A, POLICE]}
NEIGHBOUR_SHARED = TRUST_A
NEIGHBOUR_MODERATION = ("GGGAGGGG", D(2021, 3, 18), [1, 3],
                        "Moderated at the Lambeth practice group; the ratings agree with the trust's own.")


@transaction.atomic
def load_neighbour(partnership, shared_by):
    """The neighbour's Section 11 cycle, with the return ``NEIGHBOUR_SHARED`` completed for ``shared_by``'s
    cycle of the same year. Run after ``load(shared_by)``; safe to run again."""
    organisations = _organisations()
    _move_to_stand_ins(partnership, organisations, [NEIGHBOUR_CYCLE["title"]])
    framework, standards = _framework(partnership, "The eight Section 11 arrangements, rated red, amber or green, "
                                                   "as the neighbouring partnerships use them.")
    cycle = _cycle(partnership, framework, NEIGHBOUR_CYCLE, organisations)
    organisation = organisations[NEIGHBOUR_SHARED]
    link = CycleReturn.objects.filter(cycle=cycle, organisation=organisation).first()
    if link is not None:
        return link  # the neighbour's own moderation since is kept
    theirs = CycleReturn.objects.get(cycle__partnership=shared_by, cycle__year=NEIGHBOUR_CYCLE["year"],
                                     organisation=organisation)
    link = services.share_return(cycle=cycle, section11_return=theirs.section11_return, by=None)
    ratings, moderated_on, themes, summary = NEIGHBOUR_MODERATION
    scale = {"G": G, "A": A, "R": R}
    for standard, letter in zip(standards, ratings):
        _upsert(ModeratedRating, {"cycle_return": link, "standard_key": standard.key},
                {"partnership": partnership, "rating": scale[letter], "comment": ""})
    link.themes, link.moderation_summary = [THEMES[i] for i in themes], summary
    link.moderated_at = _at(moderated_on)
    return audit.update(link, by=None)
