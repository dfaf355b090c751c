"""The demo partnership: Southwark's partnership as its 2020-21 yearly report describes it.

Facts and figures come from the report (posts, subgroups, priorities, contributions);
the sentences are our own. Where the report gives no date (the chair rotation after
the independent chair, the quarterly focus), the dates are illustrative and say so.
"""
import datetime
from decimal import Decimal

from safeguarding.accounts.models import Organisation as Org
from safeguarding.accounts.roles import Role

from . import agencies

D = datetime.date
S = Org.Sector

PARTNERSHIP = {
    "slug": "southwark",
    "name": "Southwark Safeguarding Children Partnership",
    "short_name": "SSCP",
    "local_authority": "Southwark",
    "la_code": "210",
    "region": "Inner London",
    "contact_email": "sscp@southwark.gov.uk",
    "concerns_email": "MASH@southwark.gov.uk",
    "vision": (
        "Every child in Southwark has the right to be safe. Working together, the partners protect children and "
        "young people with good services that help each of them reach their potential and do as well as they can."
    ),
}

COUNCIL = "London Borough of Southwark"
# One CCG for six boroughs from April 2020, Lambeth's as well as Southwark's (hence no borough in its name).
CCG = "NHS South East London CCG"
# Names the demo gave organisations before, put right when the demo is loaded again (not duplicated).
RENAMED = {"NHS South East London CCG (Southwark)": CCG}
POLICE = "Metropolitan Police Service"
ORGANISATIONS = [
    # name, sector, part in the partnership
    (COUNCIL, S.LOCAL_AUTHORITY, "statutory"),
    (CCG, S.HEALTH, "statutory"),
    (POLICE, S.POLICE, "statutory"),
    ("Guy's and St Thomas' NHS Foundation Trust", S.HEALTH, "relevant"),
    ("King's College Hospital NHS Foundation Trust", S.HEALTH, "relevant"),
    ("South London and Maudsley NHS Foundation Trust", S.HEALTH, "relevant"),
    ("London Fire Brigade", S.FIRE, "relevant"),
    ("Lewisham and Southwark Probation", S.PROBATION, "relevant"),
    ("London Community Rehabilitation Company", S.PROBATION, "relevant"),
    ("Community Southwark", S.VOLUNTARY, "relevant"),
    ("Southwark primary and secondary schools", S.EDUCATION, "relevant"),
    ("Children and Family Court Advisory and Support Service (CAFCASS)", S.COURTS, "relevant"),
    ("Commissioned service providers", S.OTHER, "other"),
]
# The generic agencies the demo's illustrative assurance records belong to: made, but not put on the register.
ILLUSTRATIVE_AGENCIES = agencies.ILLUSTRATIVE_AGENCIES

# The membership table of the 2020-21 report, column by column, in its order.
MEMBERS = [
    (COUNCIL, "Cabinet Member for Children, Schools and Adult Care"),
    (COUNCIL, "Cabinet Member for Community Safety and Public Health"),
    (COUNCIL, "Strategic Director of Children's and Adults' Services"),
    (COUNCIL, "Strategic Director of Housing and Modernisation"),
    (COUNCIL, "Director of Children and Families"),
    (COUNCIL, "Director of Communities"),
    (COUNCIL, "Director of Education"),
    (COUNCIL, "Director of Commissioning, Children's and Adults' Services"),
    (COUNCIL, "Director of Public Health"),
    (COUNCIL, "Assistant Director, Family Early Help"),
    (COUNCIL, "Assistant Director of Safeguarding and Care, Children's Social Care"),
    (COUNCIL, "Assistant Director of Commissioning, Children, Adults and Families"),
    (COUNCIL, "Assistant Director, Community Safety and Partnerships"),
    (COUNCIL, "Head of QA and Practice Development, Children's Social Care"),
    (CCG, "Place-Based Director, Southwark NHS SEL CCG"),
    (CCG, "Designated Nurse, Safeguarding Children, NHS SEL CCG"),
    (CCG, "Named GP for Safeguarding Children, NHS SEL CCG"),
    (CCG, "Designated Doctor for Safeguarding Children"),
    (CCG, "Designated Doctor for Looked-After Children"),
    (CCG, "Named Nurse for Looked-After Children"),
    ("Guy's and St Thomas' NHS Foundation Trust", "Head of Safeguarding Children (GSTT)"),
    ("King's College Hospital NHS Foundation Trust", "Head of Safeguarding Children (KCH)"),
    ("South London and Maudsley NHS Foundation Trust", "Named Nurse for Safeguarding Children (SLAM)"),
    ("South London and Maudsley NHS Foundation Trust", "AMH Child Safeguarding Lead (SLAM)"),
    (POLICE, "Borough Commander"),
    (POLICE, "Superintendent in charge of public protection"),
    ("London Fire Brigade", "Borough Commander"),
    ("Lewisham and Southwark Probation", "Head of Service"),
    ("London Community Rehabilitation Company", "Representative"),
    ("Community Southwark", "Chief Executive"),
    ("Southwark primary and secondary schools", "Primary and Secondary School Heads"),
    ("Children and Family Court Advisory and Support Service (CAFCASS)", "Representative"),
    ("Commissioned service providers", "Provider Representatives"),
]

# The review begun in December 2020 is to add two subgroups; it reports in 2021-22, so in 2020-21 they are
# planned ("proposed", shown as "Planned"), not yet added.
PLANNED = "To be added by the review of the partnership's arrangements begun in December 2020, which reports in 2021-22."

SUBGROUPS = [
    {
        "name": "Practice Development and Learning", "short_name": "PDL", "status": "active",
        "chair": "Independent chair of the SSCP and SSAB", "joint_with": "Southwark Safeguarding Adults Board (SSAB)",
        "purpose": "Builds a culture in which learning from practice improves practice, and moves from counting "
                   "training places to showing what changes on the front line.",
        "terms_of_reference": "Plans the multi-agency learning offer; evaluates its effect on practice; "
                              "reports to both boards.",
    },
    {
        "name": "Child Safeguarding Practice Review", "short_name": "CSPR", "status": "active",
        "chair": "Named by the safeguarding partners",
        "purpose": "Decides which serious incidents meet the criteria for a local review, finds learning in "
                   "those below the threshold, and follows recommendations until their effect is seen.",
        "terms_of_reference": "Revised for the current statutory guidance. Also considers Youth Offending Service "
                              "community safety and public protection incident reports.",
    },
    {
        "name": "Quality and Effectiveness", "short_name": "Q&E", "status": "active",
        "chair": "Named by the safeguarding partners",
        "purpose": "Keeps an accurate picture of how well safeguarding works: strengths, risks, and the actions "
                   "that improve outcomes for children. To that end it develops and ratifies borough-wide "
                   "strategies, policies and guidance; monitors and analyses the safeguarding indicators across the "
                   "partnership; challenges and follows the action plans that come out of Section 11 audits; "
                   "commissions multi-agency audits of practice and its impact; follows the action plans of local "
                   "and national reviews; and shows that the voice of the child has been heard and used to improve "
                   "services.",
        "terms_of_reference": "Ratifies borough-wide policies; watches the safeguarding indicators; challenges "
                              "Section 11 action plans; commissions multi-agency audits; follows review action plans; "
                              "checks that the voice of the child is heard.",
    },
    {
        "name": "Violence Against Women and Girls", "short_name": "VAWG", "status": "proposed",
        "chair": "", "purpose": PLANNED,
    },
    {
        "name": "Adolescents at Risk", "short_name": "AAR", "status": "proposed",
        "chair": "", "purpose": PLANNED,
    },
]

CHAIR_TERMS = [
    {"arrangement": "independent", "holder": "Anna Berry", "organisation": None, "starts_on": D(2019, 6, 1),
     "ends_on": D(2022, 3, 31), "notes": "Independent chair from the new arrangements of June 2019."},
    # The scrutiny minutes describe the move to a chair rotating between council, health and police;
    # the dates below are an illustrative yearly schedule.
    {"arrangement": "rotating", "holder": "Director of Children and Families", "organisation": COUNCIL,
     "starts_on": D(2022, 4, 1), "ends_on": D(2023, 3, 31), "notes": "Illustrative rotation dates."},
    {"arrangement": "rotating", "holder": "Place-Based Director", "organisation": CCG,
     "starts_on": D(2023, 4, 1), "ends_on": D(2024, 3, 31), "notes": "Illustrative rotation dates."},
    {"arrangement": "rotating", "holder": "Borough Commander", "organisation": POLICE,
     "starts_on": D(2024, 4, 1), "ends_on": D(2025, 3, 31), "notes": "Illustrative rotation dates."},
    {"arrangement": "rotating", "holder": "Director of Children and Families", "organisation": COUNCIL,
     "starts_on": D(2025, 4, 1), "ends_on": None, "notes": "Illustrative rotation dates."},
]

PRIORITIES = [
    {"kind": "priority", "order": 1, "title": "Domestic abuse", "joint_with": "Southwark Safeguarding Adults Board",
     "description": "Intervene earlier; make sure teenage victims are found and helped; take account of language "
                    "and culture."},
    {"kind": "priority", "order": 2, "title": "Complex safeguarding and extra-familial harm", "joint_with": "",
     "description": "Exploitation, gangs, trafficking and going missing: harm that happens outside the family."},
    {"kind": "priority", "order": 3, "title": "Mental health", "joint_with": "",
     "description": "Children's emotional wellbeing, in schools and at home, and its links with adult mental "
                    "health and domestic abuse."},
    {"kind": "priority", "order": 4, "title": "Childhood trauma and adverse childhood experiences (neglect/ACEs)",
     "joint_with": "", "description": "Neglect and adverse childhood experiences, which run through the other "
                                       "priorities."},
    {"kind": "theme", "order": 1, "title": "COVID-19", "joint_with": "", "description": ""},
    {"kind": "theme", "order": 2, "title": "Black Lives Matter / Southwark Stands Together", "joint_with": "",
     "description": ""},
]
PRIORITIES_AGREED = D(2020, 9, 1)
PRIORITIES_END = D(2022, 3, 31)

# The report's quarterly plan was a picture; this schedule is illustrative.
QUARTERLY_FOCUS = [
    ("Domestic abuse", D(2020, 10, 1), "Task and finish group set up; first data collection."),
    ("Complex safeguarding and extra-familial harm", D(2021, 1, 1), "Review of the MACE and a problem profile."),
    ("Mental health", D(2021, 4, 1), "Emotional wellbeing in schools."),
    ("Childhood trauma and adverse childhood experiences (neglect/ACEs)", D(2021, 7, 1), "Scrutiny of neglect work."),
]

CONTRIBUTIONS = [
    # organisation, label as in the report, year the financial year starts, amount
    (POLICE, "Police (MOPAC)", 2020, Decimal("5000.00")),
    (CCG, "Southwark CCG", 2020, Decimal("55000.00")),
    ("London Fire Brigade", "London Fire Brigade", 2020, Decimal("500.00")),
    (COUNCIL, "London Borough Southwark", 2020, Decimal("63421.50")),
]

MEETINGS = [
    {"title": "Partnership executive", "held_on": D(2020, 9, 24), "subgroup": None,
     "notes": "Priorities chosen after the partnership survey.",
     "decisions": ["Four priorities agreed until March 2022, with two cross-cutting themes and a quarterly focus."]},
    {"title": "Partnership executive", "held_on": D(2020, 12, 10), "subgroup": None, "notes": "",
     "decisions": ["The independent chair to lead a review of how well the arrangements work, adding VAWG and "
                   "Adolescents at Risk subgroups."]},
    {"title": "Quality and Effectiveness subgroup", "held_on": D(2021, 2, 11), "subgroup": "Q&E", "notes": "",
     "decisions": ["Updated escalation policy approved."]},
]

ACTIONS = [
    {"description": "Review the effectiveness of the partnership arrangements", "owner": "Independent chair",
     "organisation": None, "due_on": D(2022, 3, 31), "status": "done", "completed_on": D(2022, 3, 15),
     "meeting": D(2020, 12, 10)},
    {"description": "Align the performance dashboard with the agreed priorities",
     "owner": "Head of QA and Practice Development", "organisation": COUNCIL, "due_on": D(2021, 9, 30),
     "status": "in_progress", "completed_on": None, "meeting": D(2021, 2, 11)},
    {"description": "Record LADO consultations on the children's social care database", "owner": "LADO",
     "organisation": COUNCIL, "due_on": D(2021, 6, 30), "status": "done", "completed_on": D(2021, 6, 1),
     "meeting": None},
    {"description": "Set up a task and finish group to write an extra-familial harm strategy",
     "owner": "Assistant Director, Community Safety and Partnerships", "organisation": COUNCIL,
     "due_on": D(2022, 3, 31), "status": "open", "completed_on": None, "meeting": D(2020, 9, 24)},
    {"description": "Half-day deep dive into domestic abuse case studies", "owner": "Designated Nurse",
     "organisation": CCG, "due_on": D(2027, 3, 31), "status": "open", "completed_on": None,
     "meeting": D(2020, 9, 24)},
]

# One demo sign-in per role (three partner leads: council, police, health).
USERS = [
    ("admin@sscp.example", "Business unit manager", "SSCP business manager", COUNCIL, Role.ADMIN),
    ("lead.council@sscp.example", "Council lead", "Director of Children and Families", COUNCIL, Role.PARTNER_LEAD),
    ("lead.police@sscp.example", "Police lead", "Borough Commander", POLICE, Role.PARTNER_LEAD),
    ("lead.health@sscp.example", "Health lead", "Place-Based Director", CCG, Role.PARTNER_LEAD),
    ("analyst@sscp.example", "Performance analyst", "Senior performance analyst", COUNCIL, Role.ANALYST),
    # The agency lead is the illustrative fire and rescue service's, whose 2020-21 Section 11 return is overdue.
    ("agency.lead@sscp.example", "Agency lead", "Borough Commander", agencies.FIRE_SERVICE, Role.AGENCY_LEAD),
    ("case.review@sscp.example", "Case review member", "Designated Nurse", CCG, Role.CASE_REVIEW),
    ("lado@sscp.example", "LADO", "Local Authority Designated Officer", COUNCIL, Role.LADO),
    ("scrutineer@sscp.example", "Scrutineer", "Independent scrutineer", COUNCIL, Role.SCRUTINEER),
]

# The assessment factors the dashboard groups under each priority (CIN census factor codes).
FACTOR_GROUPS = [
    ("Domestic abuse", ["3A", "3B", "3C"]),
    ("Complex safeguarding and extra-familial harm", ["10A", "11A", "12A", "13A", "24A"]),
    ("Mental health", ["4A", "4B", "4C"]),
    ("Neglect and adverse childhood experiences", ["16A", "1A", "1B", "1C", "2A", "2B", "2C"]),
]
