"""Assessment factors drawn to the shares the DfE publishes (c3, factors identified at the end of assessment).

``published_shares(la, dfe_dir)`` reads the c3 file with the benchmark reader and gives, for each collection
year it covers, each factor code's share of the authority's assessments: its count over the episodes with an
assessment factor. A year the file does not cover takes the nearest year it does; an authority it does not
list takes England's shares. A cell marked ``x`` means the code was not in that year's code list (18B/18C and
19B/19C start in 2020-21, 24A in 2021-22), so the code is not drawn that year; ``c`` (1 to 5) counts as 3.

``allocate(assessments, shares, rng)`` then gives each factor, year by year, to exactly
``round(share * completed assessments)`` assessments (docs/adr/0013-demo-assessment-factors.md), chosen with
weights for who is likely to have it (teenagers for exploitation, children on a plan for a category of abuse,
children referred by the police for domestic abuse).
"""

import os
from functools import lru_cache

from . import calendar as cal
from .targets import FILES, default_dfe_dir

C3_FILE = FILES["c3"]
SUPPRESSED_AS = 3  # "c": a count from 1 to 5
# The c3 file publishes private fostering (8B-8F) as one figure; the generator writes it as 8F ("other").
PUBLISHED_AS = {"8": "8F"}
# Factors about the child's own behaviour or exploitation: drawn six times as often for children 10 or over.
TEENAGE = {"1A", "2A", "4A", "7A", "9A", "10A", "11A", "12A", "13A", "14A", "15A", "24A"}
# A category of abuse: every assessment in an episode that leads to a conference has one (see ``allocate``).
ABUSE = ("16A", "17A", "18A", "18B", "18C", "19A", "19B", "19C")
# Domestic abuse (the child, a parent or carer, another person in the household): drawn this many times as often for
# an assessment in an episode the police referred. Most of the police's referrals about children are about domestic
# abuse (the reference partnership's scrutiny commission, February 2022): with three, 60-80% of the demo's police
# referrals that reach a completed assessment find it (76% in 2020-21, 67% in 2021-22), against 26-41% of the others
# (docs/adr/0013-demo-assessment-factors.md).
DOMESTIC_ABUSE = ("3A", "3B", "3C")
POLICE_WEIGHT = 3.0
POLICE = "6"  # the police in the CIN census ReferralSource code list
NO_FACTORS = "21"


@lru_cache(maxsize=8)
def _read(path):
    """{(level, area code): {year: (episodes, {code: count or None})}} from one c3 file."""
    from safeguarding.benchmarks.readers import read_file

    rows = {}
    for value in read_file(path).values:
        if value["level"] not in ("la", "england"):
            continue
        area = "ENG" if value["level"] == "england" else value["code"]
        episodes, counts = rows.setdefault(area, {}).setdefault(value["year"], [None, {}])
        number = value["value"]
        if number is None:
            number = SUPPRESSED_AS if value["suppressed"] == "c" else None
        if value["indicator"] == "factor_episodes":
            rows[area][value["year"]][0] = number
        else:
            code = value["indicator"].removeprefix("factor_")
            counts[PUBLISHED_AS.get(code, code)] = number
    return rows


def c3_path(dfe_dir):
    """The c3 file in ``dfe_dir``, or the copy shipped with the code when that folder has none."""
    for folder in (dfe_dir, default_dfe_dir()):
        if folder and os.path.isfile(os.path.join(folder, C3_FILE)):
            return os.path.join(folder, C3_FILE)
    return None


def published_shares(la, dfe_dir):
    """{year: {code: share}} for authority ``la`` (England's where the file has no row for it); {} without a file."""
    path = c3_path(dfe_dir)
    if path is None:
        return {}
    rows = _read(path)
    mine = rows.get(la) or rows.get("ENG") or {}
    shares = {}
    for year, (episodes, counts) in mine.items():
        if not episodes:
            continue
        shares[year] = {code: int(n) / int(episodes) for code, n in counts.items() if n is not None}
    return shares


def shares_for(shares, year):
    """The published shares of ``year``, or of the nearest year published (the later one on a tie)."""
    if not shares:
        return {}
    nearest = min(shares, key=lambda y: (abs(y - year), -y))
    return shares[nearest]


def _pick(likely, others, weight, k, rng):
    """k assessments drawn one at a time without replacement, each of ``likely`` ``weight`` times as likely to be
    drawn as each of ``others``: how many come from each group is drawn, then which ones (they are alike)."""
    n_likely, n_others = len(likely), len(others)
    k = min(k, n_likely + n_others)
    from_likely = 0
    rnd = rng.random
    for i in range(k):
        left_likely, left_others = n_likely - from_likely, n_others - (i - from_likely)
        if rnd() * (weight * left_likely + left_others) < weight * left_likely:
            from_likely += 1
    return rng.sample(likely, from_likely) + rng.sample(others, k - from_likely)


def allocate(assessments, shares, rng):
    """Give factors to ``assessments`` (a list of (assessment, age in years, leads to a conference, referred by the
    police)), all completed in one collection year, so that each code's share is the published one."""
    n = len(assessments)
    if not n:
        return
    teens = [a for a, age, _, _ in assessments if age >= 10]
    younger = [a for a, age, _, _ in assessments if age < 10]
    at_conference = [a for a, _, c, _ in assessments if c]
    no_conference = [a for a, _, c, _ in assessments if not c]
    by_police = [a for a, _, _, police in assessments if police]
    not_by_police = [a for a, _, _, police in assessments if not police]
    everyone = [a for a, _, _, _ in assessments]
    for code in sorted(shares, key=lambda c: (ABUSE.index(c) if c in ABUSE else -1, c)):
        k = int(round(shares[code] * n))
        if k <= 0:
            continue
        if code in TEENAGE:
            chosen = _pick(teens, younger, 6.0, k, rng)
        elif code in ABUSE:
            chosen = _pick(at_conference, no_conference, 40.0, k, rng)
        elif code in DOMESTIC_ABUSE:
            chosen = _pick(by_police, not_by_police, POLICE_WEIGHT, k, rng)
        else:
            chosen = rng.sample(everyone, min(k, n))
        for a in chosen:
            a[2].append(code)
    # An episode that reaches a conference found a category of abuse: where the draw missed one, move an abuse
    # code there from an assessment that did not reach a conference, so the year's counts stay as published.
    donors = {}
    for item in assessments:
        if not item[2]:
            for code in item[0][2]:
                if code in ABUSE:
                    donors.setdefault(code, []).append(item[0])
    for a, _, conference, _ in assessments:
        if conference and not any(code in ABUSE for code in a[2]):
            available = [code for code in ABUSE if donors.get(code)]
            if available:
                code = max(available, key=lambda c: len(donors[c]))
                donor = donors[code].pop(rng.randrange(len(donors[code])))
                donor[2].remove(code)
                a[2].append(code)
    for a, _, _, _ in assessments:
        if not a[2]:
            a[2].append(NO_FACTORS)


def assessments_by_year(episodes):
    """{collection year of authorisation: [(assessment, age, leads to a conference, referred by the police)]}, in
    history order (the episodes' referral sources are drawn first)."""
    years = {}
    for e in episodes:
        conference = e.kind in ("plan", "icpc")
        police = e.src == POLICE
        dob = e.child.dob
        for a in e.assess:
            years.setdefault(cal.collection_year(a[1]), []).append((a, (a[1] - dob) // 365, conference, police))
    return years
