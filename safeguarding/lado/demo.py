"""Synthetic LADO records for the demo partnership, generated (seeded, so the same every time) to give the
yearly figures its 2020-21 report quotes: 85 referrals, down 49% on 2019-20 and against a four-year average
of 160 (2016-17 to 2019-20); 164 consultations, 48% of them about staff in education and foster carers.
The records are invented: roles and sectors only, no names."""
import datetime
import random

from .models import LadoContact, Sector

SEED = 2021
# Financial year (named by its end) -> (referrals, consultations)
YEARS = {2017: (150, 171), 2018: (160, 180), 2019: (163, 176), 2020: (167, 188), 2021: (85, 164)}
EDUCATION_OR_FOSTERING_2021 = 79  # of the 164 consultations: 48.2%, "48%"

ROLES = {
    "education": ["Class teacher", "Teaching assistant", "PE teacher", "Head of year", "Lunchtime supervisor"],
    "early_years": ["Nursery practitioner", "Childminder"],
    "foster_carer": ["Foster carer", "Connected-persons carer"],
    "residential": ["Residential support worker", "Children's home manager"],
    "health": ["Paediatric nurse", "Health visitor", "Hospital porter"],
    "police": ["Police constable", "Police community support officer"],
    "faith": ["Youth leader at a place of worship", "Supplementary school tutor"],
    "sport": ["Football coach", "Swimming instructor"],
    "voluntary": ["Youth worker", "Volunteer mentor"],
    "transport": ["School bus driver", "Passenger assistant"],
    "social_care": ["Social worker", "Family support worker"],
    "other": ["Private tutor", "Security officer"],
}
OTHER_SECTORS = [s for s in Sector.values if s not in ("education", "foster_carer")]
REFERRERS = {"education": "Designated safeguarding lead, school", "foster_carer": "Supervising social worker",
             "police": "Police officer, public protection", "health": "Named nurse for safeguarding"}


def _day(rng, year):
    start = datetime.date(year - 1, 4, 1)
    return start + datetime.timedelta(days=rng.randrange((datetime.date(year, 3, 31) - start).days + 1))


def _contact(rng, partnership, kind, year, number, sector):
    received = _day(rng, year)
    values = dict(partnership=partnership, reference=f"LADO-{year}-{number:03d}", kind=kind, received_on=received,
                  person_role=rng.choice(ROLES[sector]), employer_sector=sector,
                  referrer=REFERRERS.get(sector, "Manager of the service"),
                  referrer_sector=sector if sector in REFERRERS else "social_care",
                  category=rng.choice(LadoContact.Category.values))
    if kind == LadoContact.Kind.REFERRAL:
        values["threshold_limb"] = rng.choice(LadoContact.Limb.values)
        if rng.random() < 0.45:
            values["strategy_meeting_on"] = received + datetime.timedelta(days=rng.randint(1, 10))
        # Most referrals conclude within a month, nearly all within a year; the latest may still be open.
        days = rng.choice([rng.randint(5, 30)] * 6 + [rng.randint(31, 90)] * 3 + [rng.randint(91, 330)])
        outcome_on = received + datetime.timedelta(days=days)
        if outcome_on <= datetime.date(2021, 6, 30):
            values["outcome_on"] = outcome_on
            values["outcome"] = rng.choices(LadoContact.Outcome.values, weights=[30, 35, 25, 6, 4])[0]
            values["further_action"] = (["dismissal", "dbs"] if values["outcome"] == "substantiated" and rng.random() < 0.3
                                        else [rng.choice(["training", "none", "police"])])
    return LadoContact(**values)


def load(partnership):
    """Create the demo's LADO records once; a partnership that has any already is left as it is."""
    if LadoContact.objects.for_partnership(partnership).exists():
        return 0
    rng = random.Random(SEED)
    records = []
    for year, (referrals, consultations) in YEARS.items():
        number = 0
        share = EDUCATION_OR_FOSTERING_2021 / YEARS[2021][1] if year == 2021 else 0.45
        # The reference: referrals follow the consultations, about half of them about staff in education and
        # foster carers.
        for kind, count in ((LadoContact.Kind.REFERRAL, referrals), (LadoContact.Kind.CONSULTATION, consultations)):
            fostering = EDUCATION_OR_FOSTERING_2021 if (year, kind) == (2021, LadoContact.Kind.CONSULTATION) \
                else round(count * share)
            for index in range(count):
                number += 1
                sector = (rng.choice(["education", "education", "foster_carer"]) if index < fostering
                          else rng.choice(OTHER_SECTORS))
                records.append(_contact(rng, partnership, kind, year, number, sector))
    LadoContact.objects.bulk_create(records)
    return len(records)
