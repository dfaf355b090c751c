"""Starting sets of Section 11 standards a partnership can copy into its own framework and then change.

Two sets: the eight arrangements that the original Section 11 guidance asks every agency to have, and the
organisational expectations of Working Together to Safeguard Children 2023 (chapter 2). The wording is ours,
written for self-assessment: each standard says what good looks like, asks the questions an agency answers,
and gives guidance on the evidence a moderator will look for.

Each standard has a stable ``key``. Two partnerships that start from the same set share the keys, which is
what lets an agency working with both complete one return and share it (see ``services.share_return``).
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class StartingStandard:
    key: str
    title: str
    description: str
    questions: tuple
    guidance: str


SECTION_11_CLASSIC = (
    StartingStandard(
        "s11-leadership", "Senior leaders make safeguarding children a priority",
        "The organisation's leaders show, in what they decide and fund, that keeping children safe and promoting "
        "their welfare matters in every service, not only in those that work with children.",
        ("Who on the board or senior team is accountable for safeguarding children, and how do they report on it?",
         "How do business plans, budgets and risk registers take account of children's safety?",
         "How does the organisation take part in the partnership: attendance, challenge, shared priorities?"),
        "Look for board papers or minutes that discuss safeguarding, a named executive lead, and a safeguarding "
        "report at least once a year. Attendance records for partnership meetings help.",
    ),
    StartingStandard(
        "s11-statement", "A clear statement of the organisation's duties towards children",
        "Everyone in the organisation can find a plain statement of what it does to keep children safe, how that "
        "fits its wider purpose, and what each member of staff is expected to do.",
        ("Is there a current safeguarding children policy, approved by senior leaders and reviewed on a schedule?",
         "How are staff, volunteers and contractors told about it, and how do you know they have read it?",
         "Does the policy point to the partnership's multi-agency procedures and threshold guidance?"),
        "Give the policy's date and next review date. Evidence of reach: induction checklists, intranet pages, "
        "staff survey answers.",
    ),
    StartingStandard(
        "s11-accountability", "A clear line of accountability for safeguarding work",
        "It is clear who is responsible for safeguarding at every level, from the front line to the board, and "
        "the people named have the time, knowledge and authority to do the job.",
        ("Who are the named or designated safeguarding leads, and do staff know how to reach them?",
         "How are safeguarding concerns recorded, reviewed and reported up the organisation?",
         "How are commissioned and contracted services held to the same standard?"),
        "A structure chart with named leads, their job descriptions, and a reporting cycle. For contracts, the "
        "safeguarding clauses and how they are monitored.",
    ),
    StartingStandard(
        "s11-service-development", "Services are shaped by children's safety and by what children say",
        "When services are planned, changed or commissioned, the effect on children's safety is considered, and "
        "children, young people and families are asked for their views and told what changed as a result.",
        ("How do you find out what children and families think of your services?",
         "Give an example of a service that changed because of what children or families said.",
         "Do equality or impact assessments of new services consider safeguarding children?"),
        "Surveys, participation groups and complaints analysis count as evidence when they led to a change. "
        "Say what changed, not only that views were collected.",
    ),
    StartingStandard(
        "s11-training", "Staff are trained, supervised and supported",
        "Staff and volunteers receive safeguarding training suited to their role, refreshed regularly, and those "
        "working with children and families have supervision that helps them think about risk.",
        ("What share of staff are up to date with safeguarding training at the level their role needs?",
         "How do staff take part in the partnership's multi-agency training and learning from reviews?",
         "What safeguarding supervision or reflective support do front-line staff receive?"),
        "Training compliance figures by level and the date they were taken. How learning from local and national "
        "reviews reaches the front line (briefings, newsletters, team meetings).",
    ),
    StartingStandard(
        "s11-safer-recruitment", "Safer recruitment and managing allegations",
        "People who work or volunteer with children are recruited and vetted safely, and any allegation against "
        "someone who works with children is handled promptly and reported to the LADO.",
        ("Are recruitment panels trained in safer recruitment, and are DBS checks renewed as policy requires?",
         "Does the organisation have a named senior officer for allegations, and do managers know when to "
         "contact the LADO?",
         "How many allegations were referred to the LADO in the year, and were they handled on time?"),
        "A sample audit of personnel files is strong evidence. Give the allegations policy and the number of LADO "
        "referrals; no names or case details.",
    ),
    StartingStandard(
        "s11-interagency", "Working well with other agencies",
        "Staff know how to raise a concern about a child, take part in assessments, strategy discussions, "
        "conferences and plans, and use the escalation policy when they disagree with another agency.",
        ("Do staff know how to make a referral to children's social care, and how good are the referrals?",
         "How often do your staff attend and contribute to child protection conferences and core groups?",
         "How is the partnership's escalation policy used, and with what results?"),
        "Referral quality feedback from the front door, attendance at conferences, and escalations raised by "
        "your staff (number, themes, outcomes).",
    ),
    StartingStandard(
        "s11-information-sharing", "Sharing information safely and on time",
        "Staff share information about children at risk confidently, promptly and lawfully, and the organisation's "
        "systems and agreements make it easy to do so.",
        ("Is there guidance for staff on when and how to share information to keep a child safe?",
         "Are information-sharing agreements in place with the partners you work with most?",
         "How do you know information is shared when it should be: audits, complaints, review findings?"),
        "Guidance and agreements with dates. Case audit findings on information sharing are better evidence than "
        "policies alone.",
    ),
)

WORKING_TOGETHER_2023 = (
    StartingStandard(
        "wt23-leadership", "A senior, accountable lead for safeguarding children",
        "A named person at board or senior leadership level is accountable for safeguarding children, with the "
        "knowledge and authority to make sure the organisation meets its duties.",
        ("Who is the accountable senior lead, and how do they hold the organisation to account?",
         "How often does the board or senior team consider safeguarding children, and what did it decide?"),
        "Name the post, not the person. Board minutes or an annual safeguarding report show the lead at work.",
    ),
    StartingStandard(
        "wt23-listening", "A culture of listening to children",
        "Children are listened to and their wishes and feelings shape decisions about them and about services; "
        "staff are helped to see the world from the child's point of view.",
        ("How do staff record and act on what children tell them?",
         "How do children and young people influence the way services are run?"),
        "Examples from case records or audits where the child's view changed the plan; participation work and "
        "what it led to.",
    ),
    StartingStandard(
        "wt23-designated", "Designated practitioners for child safeguarding",
        "The organisation has designated practitioners for safeguarding children, with time and support to advise "
        "colleagues, and their role is known across the organisation.",
        ("Who are the designated practitioners, and how much of their time is set aside for the role?",
         "How do staff get advice from them, including out of hours?"),
        "Job descriptions, the advice line or rota, and figures on the advice given.",
    ),
    StartingStandard(
        "wt23-safer-working", "Safer recruitment, safer working and allegations",
        "Recruitment and ongoing checks keep unsuitable people away from children; there are clear rules for safe "
        "working practice and a policy for allegations against staff that involves the LADO.",
        ("How are DBS and other checks kept up to date for people who work regularly with children?",
         "How are allegations against staff handled, and how quickly is the LADO told?"),
        "A sample check of personnel records; the allegations policy; LADO referral figures without names.",
    ),
    StartingStandard(
        "wt23-training-supervision", "Training, supervision and support for staff",
        "Staff have the safeguarding training their role needs, supervision that challenges and supports them, "
        "and help to cope with the emotional demands of the work.",
        ("What share of staff are trained to the level their role needs?",
         "How is safeguarding supervision provided, and how is its quality checked?"),
        "Training figures by level; supervision policy and audit; staff survey answers about support.",
    ),
    StartingStandard(
        "wt23-information-sharing", "Clear arrangements for sharing information",
        "Processes for sharing information with other agencies are clear and used, and staff understand that data "
        "protection law does not stand in the way of sharing to keep a child safe.",
        ("What guidance do staff have on sharing information without delay?",
         "Which systems or agreements support sharing with partners, and where are the gaps?"),
        "Guidance and agreements; examples from audits; any known barriers (different IT systems, consent "
        "practice) and what is being done about them.",
    ),
    StartingStandard(
        "wt23-escalation-whistleblowing", "Escalation and whistleblowing",
        "Staff know how to escalate when a concern about a child is not being dealt with, including by another "
        "agency, and can raise concerns about their own organisation's practice safely.",
        ("How is the partnership's escalation policy promoted and used by your staff?",
         "Is there a whistleblowing procedure, and do staff trust it?"),
        "Numbers and themes of escalations raised; the whistleblowing policy and how often it is used.",
    ),
    StartingStandard(
        "wt23-equality", "Safety, equality and inclusion",
        "Services create a culture of safety, equality and protection: staff understand how race, disability, "
        "gender, sexuality, faith and poverty affect children's experiences and the help they get.",
        ("How does the organisation make sure children from every community get the help they need?",
         "What training or reflective work helps staff recognise bias in their own practice?"),
        "Data on who uses services compared with the local population; equality training; examples of practice "
        "adapted to a child's culture, language or needs.",
    ),
    StartingStandard(
        "wt23-partnership", "Taking part in the local arrangements",
        "The organisation contributes fully to the partnership: it shares data, takes part in audits, reviews and "
        "training, acts on recommendations, and tells its staff about local procedures.",
        ("How does the organisation contribute to multi-agency audits, reviews and the partnership's data?",
         "How are actions from reviews and audits tracked to completion, and how do you know they made a "
         "difference?"),
        "Attendance, action plans with progress, and evidence of impact on practice or on children.",
    ),
)

STARTING_SETS = {
    "section_11": ("The eight Section 11 arrangements", SECTION_11_CLASSIC),
    "working_together_2023": ("Working Together 2023: organisational expectations", WORKING_TOGETHER_2023),
}
