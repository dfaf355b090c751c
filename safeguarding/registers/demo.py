"""The demo partnership's smaller registers, 2019-20 to 2021-22: the priorities survey with its 136 responses
(the reference report chose its four priorities from a survey with 136 responses, most of them from front-line
staff), a young people's survey, quotes picked for the report, "you said, we did" records, private fostering
arrangements whose visits show compliance needing improvement (as the scrutiny commission heard), and
training with sessions, attendance and three-stage evaluations.

The priorities survey's six quotes are the points the reference report quotes from its survey (Black Lives
Matter twice, domestic abuse, exploitation, mental health, neglect and ACEs), in our words; everything else is
invented, consistent with the reference, and written in our own words; no child is named. Generated from fixed seeds, so the
records are the same every time, and loading again adds nothing (each part is matched by its title or
reference). Writes go through the audit trail as the system.
"""
import datetime
import random
from zoneinfo import ZoneInfo

from django.db import transaction

from safeguarding.core import audit
from safeguarding.partnership.models import PartnerAgency, Priority
from safeguarding.working_days import add_months, add_working_days

from . import models as m
from . import services

D = datetime.date
LONDON = ZoneInfo("Europe/London")

PRIORITY_TITLES = {
    "domestic abuse": "Domestic abuse",
    "extra-familial harm": "Complex safeguarding and extra-familial harm",
    "mental health": "Mental health",
    "neglect": "Childhood trauma and adverse childhood experiences (neglect/ACEs)",
}

# --- The priorities survey ---------------------------------------------------------------------------------

PRIORITIES_SURVEY = {
    "title": "What should the partnership focus on? Priorities survey 2020",
    "introduction": "The partnership is choosing the few things it will work on hardest for the next two years. "
                    "Tell us what you see in your work with children and families: it takes about five minutes.",
    "audience": m.Survey.Audience.PRACTITIONERS, "asks_agency": True, "asks_role": True,
    "opens_on": D(2020, 6, 15), "closes_on": D(2020, 7, 31),
}
PRIORITY_OPTIONS = [
    # option, how likely a respondent is to choose it (the first four came out on top)
    ("Domestic abuse", 0.66),
    ("Harm outside the family: exploitation, gangs and going missing", 0.57),
    ("Children's mental health and emotional wellbeing", 0.52),
    ("Neglect and adverse childhood experiences", 0.45),
    ("Keeping children safe online", 0.28),
    ("Help for families early, before problems grow", 0.26),
    ("Children with special educational needs and disabilities", 0.16),
]
RESPONSES = 136
# Mostly front-line staff, with a few of the partnership's young advisors.
ROLES = {"front_line": 80, "manager": 27, "senior": 10, "dsl": 9, "support": 4, "young_person": 6}
SECTORS = {"local_authority": 48, "health": 34, "police": 14, "education": 18, "voluntary": 8, "probation": 4,
           "fire": 2, "courts": 2}
CHANGES = [
    # 0, 2, 12, 6, 1 and 13: the points the reference report quotes from its survey, in our words.
    "Black Lives Matter has to be integral to every one of the priorities, never a side issue",
    "Children's mental health has got worse during Covid, adding to parental stress, and the harm is long-term: "
    "to their relationships, their schooling and their prospects",
    "Southwark Stands Together and Black Lives Matter should be part of all the partnership's planning",
    "Joint training on domestic abuse for schools, health and police",
    "Safe places for teenagers to go in the evenings",
    "Early help for families before things reach a crisis",
    "Criminal and sexual exploitation look like the most urgent safeguarding issues for Southwark now",
    "Smaller caseloads so social workers have time for children",
    "Working with parents who are struggling with their own mental health",
    "Closer work between schools and children's social care",
    "One plan for the family that every agency follows",
    "More youth workers on the streets and in the parks",
    "With lockdowns, and more local ones likely, domestic abuse will hit more families and harder as stress grows "
    "and isolation becomes normal life",
    "ACEs are insidious and pervasive and shape how children develop: put resources there and many other "
    "problems ease too",
    "Making sure children's voices are heard in meetings about them",
    "Support for families in poor housing and overcrowding",
    "Better safeguarding training on online harm and social media",
    "Quicker response when a child goes missing",
    "Interpreters and help in community languages",
    "Less paperwork and more time with families",
]
# Which of CHANGES to pick as quotes (the first answer with that text), in the order of the report's priorities:
# Black Lives Matter twice, domestic abuse, exploitation, mental health, neglect and ACEs. The reference does
# not say who said them, so neither does the demo.
QUOTES_FROM = [0, 2, 12, 6, 1, 13]
QUOTED = "A respondent to the priorities survey"

QUESTIONS = [
    {"order": 1, "kind": "choice", "multiple": True, "max_choices": 3,
     "text": "Which of these should the partnership concentrate on over the next two years?",
     "hint": "Choose up to three.", "options": [o for o, _ in PRIORITY_OPTIONS]},
    {"order": 2, "kind": "scale", "text": "How well do agencies in Southwark work together to keep children safe?",
     "low_label": "Not well at all", "high_label": "Very well"},
    {"order": 3, "kind": "scale",
     "text": "How confident are you that you know what to do when you are worried about a child?",
     "low_label": "Not at all confident", "high_label": "Very confident"},
    {"order": 4, "kind": "text", "required": False,
     "text": "What should the partnership bear in mind as it sets and works on its priorities?"},
]

# --- The young people's survey -----------------------------------------------------------------------------

YOUNG_PEOPLE_SURVEY = {
    "title": "Feeling safe: young people's views 2021",
    "introduction": "We want to know where young people in Southwark feel safe and where they do not. "
                    "Your answers are anonymous.",
    "audience": m.Survey.Audience.CHILDREN, "asks_agency": False, "asks_role": False,
    "opens_on": D(2021, 1, 11), "closes_on": D(2021, 2, 26),
}
YOUNG_PEOPLE_RESPONSES = 48
YOUNG_PEOPLE_QUESTIONS = [
    {"order": 1, "kind": "scale", "text": "How safe do you feel when you are out in your area?",
     "low_label": "Not safe at all", "high_label": "Very safe"},
    {"order": 2, "kind": "choice", "text": "Where do you feel least safe?",
     "options": ["On the street or in the park", "On buses and trains", "Online", "At school or college", "At home",
                 "I feel safe everywhere"]},
    {"order": 3, "kind": "text", "required": False, "text": "What would help you feel safer?"},
]
YOUNG_PEOPLE_WEIGHTS = [30, 22, 24, 8, 4, 12]
YOUNG_PEOPLE_SAY = [
    "More lights and people around at bus stops after school",
    "Adults who listen when we say something is wrong",
    "Youth clubs that stay open later",
    "Knowing who to tell if someone online makes me uncomfortable",
    "Police who talk to us instead of just stopping us",
    "Someone at school to talk to about worries without a long wait",
    "Safer routes home from school",
    "More things to do at weekends",
    "Being able to block and report people online more easily",
    "Teachers who understand what happens on social media",
]
YOUNG_PEOPLE_QUOTES_FROM = [1, 5]

# --- The end-of-year review ------------------------------------------------------------------------------
# The reference's word cloud (Looking ahead): partners said the partnership should grow stronger in engaging
# young people and families and in hearing the voice of the child. The answers below are the demo's own, drawn so
# that those are the words most used; the report draws its word cloud from them.

END_OF_YEAR_REVIEW = {
    "title": "End-of-year review 2020-21",
    "introduction": "A few minutes to look back on the year with the partnership's members and subgroups.",
    "audience": m.Survey.Audience.PRACTITIONERS, "asks_agency": True, "asks_role": True,
    "opens_on": D(2021, 3, 1), "closes_on": D(2021, 3, 26),
}
END_OF_YEAR_RESPONSES = 38
END_OF_YEAR_QUESTIONS = [
    {"order": 1, "kind": "scale", "text": "How well did the partnership work together this year?",
     "low_label": "Not well", "high_label": "Very well"},
    {"order": 2, "kind": "text", "required": True,
     "text": "Where should the partnership grow stronger next year?"},
]
# (what a member wrote, how many of the answers say it)
END_OF_YEAR_SAY = [
    ("Engagement with young people and families in shaping our priorities", 7),
    ("Hearing the voice of the child in every review and audit", 6),
    ("Involving young people and families earlier, not after decisions are made", 5),
    ("The voice of the child needs to come through in our reports to the board", 4),
    ("More thematic reviews of the priorities by the quality subgroup", 4),
    ("Evaluating whether learning and training change frontline practice", 4),
    ("Engagement with families from all communities, with the voluntary sector", 3),
    ("Showing the impact of partnership work on children, not only activity", 3),
    ("Getting key messages to frontline staff in every agency", 2),
]

# --- You said, we did --------------------------------------------------------------------------------------

VOICE = [
    {"title": "Travelling home after school", "heard_on": D(2020, 10, 14), "who": "children", "source": "forum",
     "priority": "extra-familial harm",
     "you_said": "The young advisors told us the journey home after school, and waiting at bus stops, is when "
                 "they feel least safe.",
     "we_did": "What they told us went into the problem profile made when the multi-agency child exploitation "
               "(MACE) arrangements were reviewed, so the times and places where young people feel unsafe shape "
               "where help is targeted.", "changed_on": D(2021, 1, 18)},
    {"title": "Understanding child protection conferences", "heard_on": D(2020, 11, 5), "who": "children",
     "source": "audit", "priority": "",
     "you_said": "Children in a multi-agency audit said they did not understand why professionals met about them "
                 "or what had been decided.",
     "we_did": "After every conference the child's social worker now sends them a short letter written for them: "
               "what was decided, and who to talk to.", "changed_on": D(2021, 3, 1)},
    {"title": "Finding help before a crisis", "heard_on": D(2020, 11, 20), "who": "families",
     "source": "consultation", "priority": "neglect",
     "you_said": "Parents said they did not know where to turn for help until things had already gone badly "
                 "wrong.",
     "we_did": "The early help web page was rewritten with parents, and its leaflet translated into the five "
               "community languages most spoken in the borough.", "changed_on": D(2021, 2, 15)},
    {"title": "Someone to talk to at school", "heard_on": D(2021, 2, 26), "who": "children", "source": "survey",
     "priority": "mental health", "survey": True,
     "you_said": "Young people asked for a way to talk about their worries at school without waiting for a "
                 "referral.", "we_did": "", "changed_on": None},
    {"title": "Worries that start online", "heard_on": D(2021, 2, 26), "who": "children", "source": "survey",
     "priority": "extra-familial harm", "survey": True,
     "you_said": "Many young people said the people who worried them most were people they had met online.",
     "we_did": "Online safety was added to the extra-familial harm course for practitioners, with a session led "
               "by young advisors.", "changed_on": D(2021, 3, 29)},
]

# --- Private fostering -------------------------------------------------------------------------------------

# reference, notified, began, ended, who notified, why it ended, working days from notification to the first
# visit, and {visit number (the first is 0): days since the visit before} where a visit came late
ARRANGEMENTS = [
    ("PF-2019-01", D(2019, 4, 23), D(2019, 4, 19), D(2020, 1, 10), "school", "home", 5, {}),
    ("PF-2019-02", D(2019, 6, 3), D(2019, 5, 20), D(2019, 12, 20), "social_care", "home", 9, {2: 50}),
    ("PF-2019-03", D(2019, 7, 15), D(2019, 7, 15), D(2020, 7, 31), "language_school", "moved", 6, {}),
    ("PF-2019-04", D(2019, 9, 9), D(2019, 8, 12), D(2021, 6, 30), "health", "age", 7, {3: 47, 9: 95}),
    ("PF-2019-05", D(2019, 11, 4), D(2019, 11, 1), D(2020, 4, 17), "parent", "home", 4, {}),
    ("PF-2019-06", D(2020, 1, 13), D(2019, 12, 2), D(2020, 9, 30), "school", "looked_after", 11, {}),
    ("PF-2019-07", D(2020, 2, 17), D(2020, 2, 14), D(2021, 2, 12), "carer", "home", 6, {2: 49}),
    ("PF-2020-01", D(2020, 4, 20), D(2020, 3, 30), D(2021, 1, 29), "school", "home", 12, {3: 55}),
    ("PF-2020-02", D(2020, 6, 8), D(2020, 6, 5), D(2021, 8, 27), "health", "home", 6, {2: 46, 6: 58}),
    ("PF-2020-03", D(2020, 7, 20), D(2020, 7, 20), D(2020, 12, 18), "language_school", "moved", 3, {}),
    ("PF-2020-04", D(2020, 9, 14), D(2020, 8, 24), D(2021, 11, 26), "police", "looked_after", 10, {4: 66}),
    ("PF-2020-05", D(2020, 10, 19), D(2020, 10, 16), D(2021, 7, 23), "school", "home", 7, {3: 80}),
    ("PF-2020-06", D(2020, 12, 7), D(2020, 12, 4), D(2021, 9, 30), "parent", "home", 14, {}),
    ("PF-2020-07", D(2020, 12, 21), D(2020, 12, 21), D(2021, 6, 11), "carer", "home", 7, {1: 71}),
    ("PF-2020-08", D(2021, 2, 1), D(2021, 1, 11), D(2022, 1, 14), "school", "age", 9, {1: 68}),
    ("PF-2021-01", D(2021, 5, 10), D(2021, 5, 7), D(2022, 2, 25), "school", "home", 6, {3: 52}),
    ("PF-2021-02", D(2021, 8, 2), D(2021, 7, 19), D(2022, 6, 30), "health", "home", 8, {}),
    ("PF-2021-03", D(2021, 10, 4), D(2021, 10, 1), D(2022, 3, 18), "language_school", "moved", 5, {}),
    ("PF-2021-04", D(2022, 1, 17), D(2022, 1, 10), D(2022, 12, 16), "social_care", "home", 7, {2: 48}),
    # 2021-22, the year the scrutiny commission heard private fostering needed to improve: arrangements found
    # long after they began, and first visits late.
    ("PF-2021-05", D(2021, 6, 14), D(2021, 4, 26), D(2022, 4, 29), "school", "home", 11, {2: 61}),
    ("PF-2021-06", D(2021, 9, 20), D(2021, 7, 5), D(2022, 7, 22), "health", "home", 9, {}),
    ("PF-2021-07", D(2021, 11, 8), D(2021, 9, 13), D(2022, 9, 2), "language_school", "moved", 13, {1: 74}),
    ("PF-2021-08", D(2022, 2, 21), D(2021, 12, 6), D(2022, 11, 25), "school", "home", 10, {}),
]
ON_TIME_GAP = {True: 39, False: 80}  # days between visits that are on time: in the first year, after it

# --- Training ----------------------------------------------------------------------------------------------

COURSES = [
    {"title": "Domestic abuse: spotting it and responding well", "priority": "domestic abuse",
     "provider": "Partnership learning team with a specialist domestic abuse service",
     "summary": "How domestic abuse affects children, asking about it safely, and making referrals that help.",
     "sessions": [D(2020, 6, 11), D(2020, 10, 8), D(2021, 2, 4)], "lift": 2.3},
    {"title": "Exploitation and harm outside the family", "priority": "extra-familial harm",
     "provider": "Partnership learning team",
     "summary": "Criminal and sexual exploitation, county lines and going missing: signs, mapping and disruption.",
     "sessions": [D(2020, 7, 9), D(2020, 11, 12), D(2021, 3, 11)], "lift": 2.6},
    {"title": "Children's mental health: a guide for practitioners", "priority": "mental health",
     "provider": "Child and adolescent mental health service",
     "summary": "Anxiety, low mood and self-harm: what to look for, what to say, and where to get help.",
     "sessions": [D(2020, 9, 17), D(2021, 1, 21)], "lift": 1.9},
    {"title": "Neglect: using the graded care profile", "priority": "neglect",
     "provider": "Children's social care practice development",
     "summary": "Recognising neglect early and measuring the care a child receives with a shared tool.",
     "sessions": [D(2020, 10, 22), D(2021, 3, 4)], "lift": 2.1},
    {"title": "Working together to safeguard children: the multi-agency basics", "priority": "",
     "provider": "Partnership learning team",
     "summary": "Roles, thresholds, information sharing and escalation, for anyone new to the partnership.",
     "sessions": [D(2020, 5, 14), D(2020, 9, 10), D(2021, 1, 14)], "lift": 1.6},
]
STAFF_WEIGHTS = {"front_line": 62, "manager": 18, "senior": 4, "dsl": 10, "support": 3, "volunteer": 3}
SECTOR_WEIGHTS = {"local_authority": 34, "health": 24, "education": 20, "police": 8, "voluntary": 8,
                  "probation": 3, "fire": 1, "courts": 2, "other": 2}


def _agencies_by_sector(partnership):
    agencies = {}
    for agency in (PartnerAgency.objects.for_partnership(partnership).active().select_related("organisation")
                   .order_by("organisation__name")):
        agencies.setdefault(agency.organisation.sector, []).append(agency.organisation)
    return agencies


def _priorities(partnership):
    found = {p.title: p for p in Priority.objects.for_partnership(partnership).active()}
    return {key: found.get(title) for key, title in PRIORITY_TITLES.items()}


def _at(day, rng):
    return datetime.datetime.combine(day, datetime.time(rng.randint(8, 19), rng.randint(0, 59)), tzinfo=LONDON)


def _new_survey(partnership, values, questions):
    survey = m.Survey(partnership=partnership, status=m.Survey.Status.CLOSED,
                      **{k: v for k, v in values.items()})
    audit.create(survey, by=None)
    created = []
    for q in questions:
        created.append(audit.create(m.Question(partnership=partnership, survey=survey, **q), by=None))
    return survey, created


def _pick_quotes(partnership, survey, texts, indices, attribution=None):
    for order, index in enumerate(indices, start=1):
        answer = (m.Answer.objects.filter(response__survey=survey, text=texts[index])
                  .select_related("response__organisation").order_by("id").first())
        if answer is not None:
            audit.create(m.Quote(partnership=partnership, survey=survey, answer=answer, text=answer.text,
                                 attribution=attribution or services.attribution_for(answer), order=order), by=None)


def _priorities_survey(partnership, agencies):
    if m.Survey.objects.for_partnership(partnership).filter(title=PRIORITIES_SURVEY["title"]).exists():
        return 0
    rng = random.Random(2020)
    survey, (choose, together, confident, change) = _new_survey(partnership, PRIORITIES_SURVEY, QUESTIONS)
    roles = [role for role, n in ROLES.items() for _ in range(n)]
    rng.shuffle(roles)
    staff_agencies = []
    for sector, n in SECTORS.items():
        held = agencies.get(sector, [])
        staff_agencies += [held[i % len(held)] if held else None for i in range(n)]
    rng.shuffle(staff_agencies)
    days = (PRIORITIES_SURVEY["closes_on"] - PRIORITIES_SURVEY["opens_on"]).days
    for number, role in enumerate(roles):
        organisation = None if role == "young_person" else staff_agencies.pop()
        picks = [o for o, chance in PRIORITY_OPTIONS if rng.random() < chance][:3] or [PRIORITY_OPTIONS[0][0]]
        answers = [(choose, picks, None, ""),
                   (together, [], rng.choices([1, 2, 3, 4, 5], weights=[4, 14, 38, 34, 10])[0], ""),
                   (confident, [], rng.choices([1, 2, 3, 4, 5], weights=[2, 6, 24, 42, 26])[0], "")]
        if rng.random() < 0.7:
            answers.append((change, [], None, rng.choice(CHANGES)))
        day = PRIORITIES_SURVEY["opens_on"] + datetime.timedelta(days=round(days * number / RESPONSES))
        _response(survey, organisation, role, answers, _at(day, rng))
    _pick_quotes(partnership, survey, CHANGES, QUOTES_FROM, QUOTED)
    return RESPONSES


def _response(survey, organisation, role, answers, at):
    response = audit.create(m.SurveyResponse(partnership=survey.partnership, survey=survey, organisation=organisation,
                                             role=role, submitted_at=at), by=None)
    for question, choices, number, text in answers:
        audit.create(m.Answer(partnership=survey.partnership, response=response, question=question, choices=choices,
                              number=number, text=text), by=None)


def _young_people_survey(partnership):
    found = m.Survey.objects.for_partnership(partnership).filter(title=YOUNG_PEOPLE_SURVEY["title"]).first()
    if found is not None:
        return found
    rng = random.Random(2021)
    survey, (safe, where, helps) = _new_survey(partnership, YOUNG_PEOPLE_SURVEY, YOUNG_PEOPLE_QUESTIONS)
    days = (YOUNG_PEOPLE_SURVEY["closes_on"] - YOUNG_PEOPLE_SURVEY["opens_on"]).days
    for number in range(YOUNG_PEOPLE_RESPONSES):
        answers = [(safe, [], rng.choices([1, 2, 3, 4, 5], weights=[6, 14, 34, 30, 16])[0], ""),
                   (where, [rng.choices(where.options, weights=YOUNG_PEOPLE_WEIGHTS)[0]], None, "")]
        if rng.random() < 0.75:
            answers.append((helps, [], None, rng.choice(YOUNG_PEOPLE_SAY)))
        day = YOUNG_PEOPLE_SURVEY["opens_on"] + datetime.timedelta(days=round(days * number / YOUNG_PEOPLE_RESPONSES))
        _response(survey, None, "", answers, _at(day, rng))
    _pick_quotes(partnership, survey, YOUNG_PEOPLE_SAY, YOUNG_PEOPLE_QUOTES_FROM)
    return survey


def _end_of_year_review(partnership, agencies):
    if m.Survey.objects.for_partnership(partnership).filter(title=END_OF_YEAR_REVIEW["title"]).exists():
        return
    rng = random.Random(2103)
    survey, (together, stronger) = _new_survey(partnership, END_OF_YEAR_REVIEW, END_OF_YEAR_QUESTIONS)
    said = [text for text, n in END_OF_YEAR_SAY for _ in range(n)]
    staff = [o for held in agencies.values() for o in held]
    days = (END_OF_YEAR_REVIEW["closes_on"] - END_OF_YEAR_REVIEW["opens_on"]).days
    for number in range(END_OF_YEAR_RESPONSES):
        answers = [(together, [], rng.choices([1, 2, 3, 4, 5], weights=[1, 3, 10, 16, 8])[0], "")]
        if number < len(said):
            answers.append((stronger, [], None, said[number]))
        day = END_OF_YEAR_REVIEW["opens_on"] + datetime.timedelta(days=round(days * number / END_OF_YEAR_RESPONSES))
        _response(survey, rng.choice(staff) if staff else None, "", answers, _at(day, rng))


def _voice(partnership, priorities, survey):
    for values in VOICE:
        if m.VoiceRecord.objects.for_partnership(partnership).filter(title=values["title"]).exists():
            continue
        values = dict(values)
        values["priority"] = priorities.get(values["priority"])
        values["survey"] = survey if values.pop("survey", False) else None
        audit.create(m.VoiceRecord(partnership=partnership, **values), by=None)


def visit_dates(notified, began, ended, first_wd, late):
    """The demo's visits: the first after so many working days, then on time except where ``late`` says."""
    dates = [add_working_days(notified, first_wd)]
    while True:
        gap = late.get(len(dates), ON_TIME_GAP[dates[-1] < add_months(began, 12)])
        following = dates[-1] + datetime.timedelta(days=gap)
        if following > ended:
            return dates
        dates.append(following)


def _private_fostering(partnership):
    rng = random.Random(2005)  # the year of the regulations
    for reference, notified, began, ended, notifier, reason, first_wd, late in ARRANGEMENTS:
        if m.PrivateFosteringArrangement.objects.for_partnership(partnership).filter(reference=reference).exists():
            continue
        arrangement = audit.create(m.PrivateFosteringArrangement(
            partnership=partnership, reference=reference, notified_on=notified, notified_by=notifier,
            began_on=began, ended_on=ended, end_reason=reason), by=None)
        for day in visit_dates(notified, began, ended, first_wd, late):
            audit.create(m.PrivateFosteringVisit(partnership=partnership, arrangement=arrangement, visited_on=day,
                                                 seen_alone=rng.random() < 0.82), by=None)


def _weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _clamp(score):
    return max(1, min(10, round(score)))


def _training(partnership, agencies, priorities):
    rng = random.Random(1989)  # the Children Act
    sectors = {sector: n for sector, n in SECTOR_WEIGHTS.items() if agencies.get(sector)}
    for values in COURSES:
        if m.TrainingCourse.objects.for_partnership(partnership).filter(title=values["title"]).exists():
            continue
        course = audit.create(m.TrainingCourse(
            partnership=partnership, title=values["title"], summary=values["summary"],
            provider=values["provider"], priority=priorities.get(values["priority"])), by=None)
        for held_on in values["sessions"]:
            session = audit.create(m.TrainingSession(partnership=partnership, course=course, held_on=held_on,
                                                     format=m.TrainingSession.Format.ONLINE, places=25,
                                                     trainer=values["provider"]), by=None)
            if not sectors:
                continue
            for _ in range(rng.randint(12, 20)):
                organisation = rng.choice(agencies[_weighted(rng, sectors)])
                attendance = audit.create(m.Attendance(
                    partnership=partnership, session=session, organisation=organisation,
                    role=_weighted(rng, STAFF_WEIGHTS), attended=rng.random() < 0.92), by=None)
                if attendance.attended:
                    _evaluations(rng, attendance, held_on, values["lift"])


def _evaluations(rng, attendance, held_on, lift):
    confidence, practice = rng.gauss(5.0, 1.4), rng.gauss(5.4, 1.3)
    stages = [("before", held_on - datetime.timedelta(days=rng.randint(1, 7)), confidence, practice, 0.86),
              ("after", held_on, confidence + lift + rng.gauss(0, 0.8), practice + lift * 0.5 + rng.gauss(0, 0.7),
               0.76),
              # Some confidence fades by the follow-up; practice keeps improving as the learning is used.
              ("follow_up", held_on + datetime.timedelta(days=rng.randint(40, 62)),
               confidence + lift * 0.8 + rng.gauss(0, 0.9), practice + lift * 0.8 + rng.gauss(0, 0.8), 0.42)]
    for stage, day, conf, prac, chance in stages:
        if rng.random() < chance:
            audit.create(m.Evaluation(partnership=attendance.partnership, attendance=attendance, stage=stage,
                                      completed_on=day, confidence=_clamp(conf), practice=_clamp(prac)), by=None)


@transaction.atomic
def load(partnership):
    """Create the demo's register records for the partnership; records already there are left as they are.
    Returns the number of priorities-survey responses created (0 when it was loaded before)."""
    agencies = _agencies_by_sector(partnership)
    priorities = _priorities(partnership)
    created = _priorities_survey(partnership, agencies)
    young = _young_people_survey(partnership)
    _voice(partnership, priorities, young)
    _end_of_year_review(partnership, agencies)
    _private_fostering(partnership)
    _training(partnership, agencies, priorities)
    return created
