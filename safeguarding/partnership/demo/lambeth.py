"""The demo's second partnership: Lambeth, Southwark's neighbour, kept small.

It is here to show what one partnership alone cannot: partners shared between two partnerships (the police and
the health bodies are the same organisation records in both), an agency's Section 11 return shared with both and
moderated by each, and a member of one partnership who finds nothing of the other's (404).

The name and the DfE code (208) are real; the posts, people, priorities and amounts are invented for the demo.
"""
import datetime
from decimal import Decimal

from safeguarding.accounts.models import Organisation as Org
from safeguarding.accounts.roles import Role

from . import agencies
from .southwark import CCG, POLICE

D = datetime.date
S = Org.Sector

PARTNERSHIP = {
    "slug": "lambeth",
    "name": "Lambeth Safeguarding Children Partnership",
    "short_name": "LSCP",
    "local_authority": "Lambeth",
    "la_code": "208",
    "region": "Inner London",
    "contact_email": "lscp@lambeth.example",
    "concerns_email": "front.door@lambeth.example",
    "vision": "Children in Lambeth grow up safe, heard and supported by partners who act together and early.",
}

COUNCIL = "London Borough of Lambeth"
GSTT = "Guy's and St Thomas' NHS Foundation Trust"
KCH = "King's College Hospital NHS Foundation Trust"
SLAM = "South London and Maudsley NHS Foundation Trust"
ORGANISATIONS = [
    # Only the council and the schools are Lambeth's own; the rest are the rows Southwark's partnership uses.
    (COUNCIL, S.LOCAL_AUTHORITY, "statutory"),
    (CCG, S.HEALTH, "statutory"),
    (POLICE, S.POLICE, "statutory"),
    (GSTT, S.HEALTH, "relevant"),
    (KCH, S.HEALTH, "relevant"),
    (SLAM, S.HEALTH, "relevant"),
    ("Lambeth primary and secondary schools", S.EDUCATION, "relevant"),
]
# Southwark's illustrative agencies (``agencies``), made but not put on the register: one of them shares a return.
ILLUSTRATIVE_AGENCIES = agencies.ILLUSTRATIVE_AGENCIES

MEMBERS = [
    (COUNCIL, "Director of Children's Services"),
    (COUNCIL, "Head of Safeguarding and Quality Assurance"),
    (CCG, "Designated Nurse for Safeguarding Children (Lambeth)"),
    (POLICE, "Detective Superintendent, Central South command"),
    (GSTT, "Named Nurse for Safeguarding Children"),
    ("Lambeth primary and secondary schools", "Head teacher representative"),
]

CHAIR_TERMS = [
    {"starts_on": D(2019, 9, 1), "ends_on": None, "arrangement": "independent", "holder": "Independent scrutineer",
     "organisation": None},
]

PRIORITIES = [
    {"kind": "priority", "order": 1, "title": "Neglect", "joint_with": "",
     "description": "Help reaches families earlier, before neglect harms a child's health or schooling."},
    {"kind": "priority", "order": 2, "title": "Exploitation outside the home", "joint_with": "",
     "description": "Partners spot and disrupt the exploitation of young people in the community."},
]
PRIORITIES_AGREED = D(2020, 7, 1)
PRIORITIES_END = D(2022, 3, 31)

CONTRIBUTIONS = [
    (POLICE, "Police (MOPAC)", 2020, Decimal("5000.00")),
    (CCG, "Lambeth CCG", 2020, Decimal("48000.00")),
    (COUNCIL, "London Borough of Lambeth", 2020, Decimal("71250.00")),
]

# A few sign-ins, all Lambeth's own: none of them is a member of Southwark's partnership.
USERS = [
    ("admin@lscp.example", "Lambeth business manager", "LSCP business manager", COUNCIL, Role.ADMIN),
    ("lead.council@lscp.example", "Lambeth council lead", "Director of Children's Services", COUNCIL,
     Role.PARTNER_LEAD),
    ("analyst@lscp.example", "Lambeth analyst", "Performance analyst", COUNCIL, Role.ANALYST),
    # The lead of the illustrative acute trust whose Section 11 return both partnerships moderate.
    ("agency.lead@lscp.example", "Lambeth agency lead", "Named Nurse for Safeguarding Children", agencies.ACUTE_TRUST_A,
     Role.AGENCY_LEAD),
]

FACTOR_GROUPS = [
    ("Neglect", ["16A", "1A", "1B", "1C"]),
    ("Exploitation outside the home", ["10A", "11A", "12A", "13A", "24A"]),
]

# Its synthetic returns: the latest years only, so that the demo stays quick to load.
RETURN_YEARS = 2
