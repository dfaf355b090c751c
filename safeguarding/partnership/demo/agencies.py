"""The demo's illustrative agencies (issue 15): the assurance records the reference report does not contain
(Section 11 returns and their ratings, the multi-agency audit's findings and grades, escalations) belong to these
generic agencies, never to a real named organisation.

They are organisations of the system, so that returns, findings and sign-ins can belong to them, but they are not
on either partnership's register: the register, its membership table and the report's "Who the partnership is"
stay the reference's. One stands in for each agency the demo's assurance work used to name, sector for sector.
"""
from safeguarding.accounts.models import Organisation as Org

S = Org.Sector

SOCIAL_CARE = "Children's social care"
HEALTH_COMMISSIONER = "Health commissioner"
POLICE_COMMAND = "Police borough command"
ACUTE_TRUST_A = "Acute hospital trust A"
ACUTE_TRUST_B = "Acute hospital trust B"
MENTAL_HEALTH_TRUST = "Mental health trust"
FIRE_SERVICE = "Fire and rescue service"
PROBATION_SERVICE = "Probation service"
REHABILITATION_PROVIDER = "Community rehabilitation provider"
VOLUNTARY_SECTOR = "Voluntary sector umbrella body"
SCHOOLS = "Schools (collective return)"
FAMILY_COURT_ADVISERS = "Family court advisory service"

ILLUSTRATIVE_AGENCIES = [
    # name, sector
    (SOCIAL_CARE, S.LOCAL_AUTHORITY),
    (HEALTH_COMMISSIONER, S.HEALTH),
    (POLICE_COMMAND, S.POLICE),
    (ACUTE_TRUST_A, S.HEALTH),
    (ACUTE_TRUST_B, S.HEALTH),
    (MENTAL_HEALTH_TRUST, S.HEALTH),
    (FIRE_SERVICE, S.FIRE),
    (PROBATION_SERVICE, S.PROBATION),
    (REHABILITATION_PROVIDER, S.PROBATION),
    (VOLUNTARY_SECTOR, S.VOLUNTARY),
    (SCHOOLS, S.EDUCATION),
    (FAMILY_COURT_ADVISERS, S.COURTS),
]

# The real organisations whose place each took: records an older demo gave them move to the stand-in when the
# demo is loaded again (``safeguarding.audits.demo``), rather than being made a second time.
STOOD_IN_FOR = {
    "London Borough of Southwark": SOCIAL_CARE,
    "NHS South East London CCG": HEALTH_COMMISSIONER,
    "Metropolitan Police Service": POLICE_COMMAND,
    "Guy's and St Thomas' NHS Foundation Trust": ACUTE_TRUST_A,
    "King's College Hospital NHS Foundation Trust": ACUTE_TRUST_B,
    "South London and Maudsley NHS Foundation Trust": MENTAL_HEALTH_TRUST,
    "London Fire Brigade": FIRE_SERVICE,
    "Lewisham and Southwark Probation": PROBATION_SERVICE,
    "London Community Rehabilitation Company": REHABILITATION_PROVIDER,
    "Community Southwark": VOLUNTARY_SECTOR,
    "Southwark primary and secondary schools": SCHOOLS,
    "Children and Family Court Advisory and Support Service (CAFCASS)": FAMILY_COURT_ADVISERS,
}
