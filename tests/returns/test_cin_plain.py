"""The quick reading of plain children (cin.PlainReader) reads every child exactly as the careful one (CinChild):
the same rows, counts, findings (in the same order) and refusals, whether a file is tidy, loose in each way the other
tests make it, breaks each DfE rule they break, or is a generated return of any collection year mutated at random.
And on a tidy file it does read the children: a test that the quick reading is used at all."""
import random
import re

import pytest

from safeguarding.returns import cin
from safeguarding.returns.importer import import_return
from safeguarding.returns.problems import ReturnRejected
from safeguarding.returns.store import KIND_TABLES
from safeguarding.returns.synthetic import generate
from tests.returns import samples
from tests.returns.test_cin_tolerant import LOOSENESS, RULE_BREAKS

pytestmark = pytest.mark.django_db


def _careful_only(self, element, ordinal):
    raise cin.Unusual


def outcome(store, path, careful, monkeypatch):
    """Everything an import of `path` leaves behind, read with the quick reading allowed or not."""
    with monkeypatch.context() as patch:
        if careful:
            patch.setattr(cin.PlainReader, "read", _careful_only)
        try:
            result = import_return([path], la="210", store=store)
        except ReturnRejected as refused:
            return {"refused": [(p.where, p.field, p.message) for p in refused.problems]}
    found = result.findings
    tables = {table: sorted(store.query(f"SELECT * FROM {{schema}}.{table} WHERE la = ? AND year = ?",
                                        ("210", result.year)), key=repr)
              for table in KIND_TABLES["cin"]}
    return {"year": result.year, "counts": result.counts, "details": found.details, "counts_by_rule": found.counts,
            "children": found.children, "left_out": found.left_out, "unreadable": found.unreadable,
            "carried": {field: n for field, n in found.carried.items() if n}, "tables": tables}


def same_both_ways(store, tmp_path, text, monkeypatch, name="cin.xml"):
    path = samples.write(tmp_path, name, text)
    quick = outcome(store, path, False, monkeypatch)
    careful = outcome(store, path, True, monkeypatch)
    assert quick == careful
    return quick


def test_a_tidy_file_is_read_quickly(store, tmp_path, monkeypatch):
    read = []
    quick_read = cin.PlainReader.read

    def counting(self, element, ordinal):
        quick_read(self, element, ordinal)
        read.append(ordinal)

    monkeypatch.setattr(cin.PlainReader, "read", counting)
    result = import_return([samples.write(tmp_path, "cin.xml", samples.cin_xml(3))], la="210", store=store)
    assert read == [1, 2, 3] and result.counts["children"] == 3
    read.clear()
    text = samples.cin_xml(3).replace("<ReferralNFA>0<", "<ReferralNFA>false<", 1)  # the first child is loose
    import_return([samples.write(tmp_path / "loose", "cin.xml", text)], la="210", store=store)
    assert read == [2, 3]


@pytest.mark.parametrize("case", list(LOOSENESS))
def test_each_looseness(store, tmp_path, monkeypatch, case):
    same_both_ways(store, tmp_path, LOOSENESS[case][0](samples.cin_xml(3)), monkeypatch)


@pytest.mark.parametrize("case", list(RULE_BREAKS))
def test_each_rule_break(store, tmp_path, monkeypatch, case):
    same_both_ways(store, tmp_path, RULE_BREAKS[case][0](samples.cin_xml(3)), monkeypatch)


@pytest.mark.parametrize("text", [
    samples.cin_xml(2, year=2019, referral="2018-07-01", plan_start="2018-09-14"),
    samples.cin_xml(2, year=2022, factor="24A", referral="2021-07-01", plan_start="2021-09-14"),
    samples.cin_xml(2, year=2025, referral="2024-07-01", plan_start="2024-09-14").replace(
        "<GenderCurrent>1</GenderCurrent>", "<Sex>F</Sex>"),
    samples.cin_xml(2, year=2025, referral="2024-07-01", plan_start="2024-09-14"),  # GenderCurrent in a Sex year
    samples.cin_xml(2, icpc_on_referral=False),
], ids=["2019", "2022", "2025 Sex", "2025 GenderCurrent", "conference once"])
def test_other_years(store, tmp_path, monkeypatch, text):
    same_both_ways(store, tmp_path, text, monkeypatch)


LEAVES = sorted(set(re.findall(r"<(\w+)>[^<]*</\1>", samples.cin_xml(1))))


@pytest.mark.parametrize("leaf", LEAVES)
def test_each_element_written_twice(store, tmp_path, monkeypatch, leaf):
    """Every element of a child written twice in its place (error S-TWICE, or a repeat the schema allows)."""
    tidy = samples.cin_xml(2)
    first = re.search(rf"<{leaf}>[^<]*</{leaf}>", tidy).group(0)
    same_both_ways(store, tmp_path, tidy.replace(first, first + first, 1), monkeypatch)


# Changes a council's export might make, each at one place in the file chosen at random.
LEAF = re.compile(r"<(\w+)>([^<>]*)</\1>")


def _at_random(pattern, change):
    def mutate(text, rng):
        found = list(re.finditer(pattern, text))
        if not found:
            return text
        match = rng.choice(found)
        return text[:match.start()] + change(match, rng) + text[match.end():]
    return mutate


MUTATIONS = [
    _at_random(LEAF, lambda m, rng: f"<{m[1]}> {m[2]}</{m[1]}>"),  # a space before a value
    _at_random(LEAF, lambda m, rng: f"<{m[1]}>{m[2]}  </{m[1]}>"),  # spaces after it (fromisoformat takes them)
    _at_random(LEAF, lambda m, rng: f"<{m[1]}>{m[2].lower()}</{m[1]}>"),
    _at_random(LEAF, lambda m, rng: ""),  # an element left out
    _at_random(LEAF, lambda m, rng: m[0] + m[0]),  # or written twice
    _at_random(LEAF, lambda m, rng: f"<{m[1]}></{m[1]}>"),  # empty
    _at_random(LEAF, lambda m, rng: f"<{m[1]}>{m[2]}<Extra>1</Extra></{m[1]}>"),  # a leaf with an element in it
    _at_random(r"<(\w+)>(\d{4})-(\d\d)-(\d\d)</\1>", lambda m, rng: f"<{m[1]}>{m[2]}{m[3]}{m[4]}</{m[1]}>"),
    _at_random(r"<(\w+)>(\d{4}-\d\d-\d\d)</\1>", lambda m, rng: f"<{m[1]}>{m[2]}T00:00:00</{m[1]}>"),
    _at_random(r"<(\w+)>(\d{4}-\d\d-\d\d)</\1>", lambda m, rng: f"<{m[1]}>{m[2][:8]}31</{m[1]}>"),
    _at_random(r"<(\w+)>(\d{4}-\d\d-\d\d)</\1>", lambda m, rng: f"<{m[1]}>{m[2]}Z</{m[1]}>"),
    _at_random(r"<(ReferralNFA|ICPCnotRequired)>([01])<", lambda m, rng: f"<{m[1]}>{'true' if m[2] == '1' else 'no'}<"),
    _at_random(r"<(\w+)>(<\w+>)", lambda m, rng: f"<{m[1]}>note{m[2]}"),  # text in a container
    _at_random(r"</\w+>(<\w+>)", lambda m, rng: m[0].replace("><", "> tail <")),  # text between elements
    _at_random(r"<(\w+)>(<\w+>)", lambda m, rng: f"<{m[1]}><?pi x?>{m[2]}"),  # a processing instruction
    _at_random(r"<(\w+)>(<\w+>)", lambda m, rng: f"<{m[1]}><!-- c -->{m[2]}"),
    _at_random(r"<(\w+)>(<\w+>)", lambda m, rng: f"<{m[1]}><Unknown>x</Unknown>{m[2]}"),
    _at_random(r"<(\w+)>(<\w+>)", lambda m, rng: f"<{m[1]}><PreProceedingsandFGDM/>{m[2]}"),
    _at_random(r"(<(\w+)>[^<>]*</\2>)(<(\w+)>[^<>]*</\4>)", lambda m, rng: m[3] + m[1]),  # two leaves swapped
    _at_random(r"<(GenderCurrent|Sex)>(\w)<", lambda m, rng: f"<{m[1]}>{rng.choice('12MFU09m')}<"),
    _at_random(r"<(AssessmentFactors|Disability)>(\w+)<", lambda m, rng: f"<{m[1]}>{rng.choice(['RB', '21', 'NONE', '24A'])}<"),
    _at_random(r"<(NumberOfPreviousCPP)>(\d+)<", lambda m, rng: f"<{m[1]}>{rng.choice(['+1', '01', '²', '-1'])}<"),
    _at_random(r"<(LAchildID)>(\w+)<", lambda m, rng: f"<{m[1]}>{m[2]}\t9<"),
    _at_random(r"<(\w+)>(<\w+>)", lambda m, rng: f"<{m[1]} a=\"1\">{m[2]}"),  # an attribute
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Generated returns of each collection year with a schema, small, written as the benchmark's are."""
    from django.conf import settings

    out = tmp_path_factory.mktemp("generated")
    generate("210", range(2021, 2027), str(out), seed=3, scale=0.02,
             dfe_dir=str(settings.PUBLISHED_DATA_DIR / "dfe"))
    return {year: (out / "210" / str(year) / f"cin_census_210_{year}.xml").read_text() for year in range(2021, 2027)}


@pytest.mark.parametrize("year", range(2021, 2027))
def test_generated_returns_and_mutations_of_them(store, tmp_path, monkeypatch, generated, year):
    text = generated[year]
    tidy = same_both_ways(store, tmp_path / "tidy", text, monkeypatch)
    assert tidy["counts"]["children"] > 20
    rng = random.Random(year)
    for n in range(6):
        mutated = text
        for mutate in rng.sample(MUTATIONS, 6):
            mutated = mutate(mutated, rng)
        same_both_ways(store, tmp_path / str(n), mutated, monkeypatch)
