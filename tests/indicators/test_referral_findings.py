"""Referrals by source crossed with what their assessments found (issue 15 point 4: the scrutiny commission heard
that domestic abuse is behind most of the police's referrals)."""
import pytest

from safeguarding.indicators.engine.run import Engine
from safeguarding.returns.importer import import_return
from safeguarding.returns.store import AnalyticalStore
from tests.indicators.test_engine import assessment, child, episode, message
from tests.returns import samples
from tests.skips import needs_postgres

pytestmark = pytest.mark.django_db

GROUPS = {"Extra-familial harm": ["10A", "11A", "12A", "13A", "24A"], "Neglect": ["16A"]}

# Collection year 2021: referrals from 1 April 2020 to 31 March 2021.
CHILDREN = [
    # the police; domestic abuse found, in two assessments of the episode: one referral
    child("P1", episode("2020-05-01", source="6", assessments=assessment("2020-05-02", "2020-05-20", ["3B"])
                        + assessment("2020-09-01", "2020-09-20", ["3A", "16A"]))),
    # the police; this episode's assessment found neglect only. The child's other episode (referred before the
    # year, by a school) found domestic abuse in an assessment completed in the year: it belongs to that episode
    # and must not count for the police referral.
    child("P2", episode("2020-03-01", source="2A", assessments=assessment("2020-04-02", "2020-04-20", ["3A"])),
          episode("2020-06-01", source="6", assessments=assessment("2020-06-02", "2020-06-30", ["16A"])),
          upn_number=2),
    # the police; the assessment is not finished at 31 March: a referral, not assessed
    child("P3", episode("2021-03-01", source="6", assessments=assessment("2021-03-02")), upn_number=3),
    # the police; no assessment at all
    child("P4", episode("2020-07-01", source="6", closure="2020-07-02"), upn_number=4),
    # a school; domestic abuse found (the other person in the household) and exploitation
    child("S1", episode("2020-10-01", source="2A", assessments=assessment("2020-10-02", "2020-10-30",
                                                                          ["3C", "11A"])), upn_number=5),
    # the police, before the year: not one of the year's referrals although its assessment ended in the year
    child("S2", episode("2020-03-20", source="6", assessments=assessment("2020-03-21", "2020-04-15", ["3A"])),
          upn_number=6),
]
EXPECTED = {
    "6": {"referrals": 4, "assessed": 2, "domestic_abuse": 1, "group:Extra-familial harm": 0, "group:Neglect": 2},
    "2A": {"referrals": 1, "assessed": 1, "domestic_abuse": 1, "group:Extra-familial harm": 1, "group:Neglect": 0},
}


def _load(store, tmp_path):
    import_return([samples.write(tmp_path, "cin.xml", message(CHILDREN))], la="210", store=store)


def test_each_referral_counts_what_its_own_episode_found(store, tmp_path):
    _load(store, tmp_path)
    engine = Engine(store.url, store.schema)
    assert engine.referral_findings("210", 2021, GROUPS) == EXPECTED
    assert engine.referral_findings("210", 2021) == {
        source: {k: v for k, v in found.items() if not k.startswith("group:")} for source, found in EXPECTED.items()}
    assert engine.referral_findings("210", 2020) == {}


def test_the_findings_are_stored_with_their_denominators(store, tmp_path):
    _load(store, tmp_path)
    rows = {code: (n, of) for year, code, n, of in Engine(store.url, store.schema).details("210", GROUPS)
            if year == 2021}
    assert rows["source_assessed:6"] == (2, 4)
    assert rows["source_domestic_abuse:6"] == (1, 2)
    assert rows["source_group:6:Neglect"] == (2, 2)
    assert rows["source_domestic_abuse:2A"] == (1, 1)
    assert rows["source_group:2A:Extra-familial harm"] == (1, 1)


@needs_postgres
def test_duckdb_and_postgresql_find_the_same(tmp_path):
    import uuid

    duck = AnalyticalStore(f"duckdb:///{tmp_path / 'parity.duckdb'}", schema="child_level")
    pg = AnalyticalStore(schema=f"parity_{uuid.uuid4().hex[:10]}")
    assert pg.kind == "postgres"
    try:
        for store in (duck, pg):
            _load(store, tmp_path)
        found = [Engine(store.url, store.schema).referral_findings("210", 2021, GROUPS) for store in (duck, pg)]
        assert found[0] == found[1] == EXPECTED
    finally:
        pg.drop()
