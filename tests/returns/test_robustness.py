"""An import killed half way leaves nothing half-imported; mutated returns always give clear problems."""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from safeguarding.returns.importer import import_return
from safeguarding.returns.problems import ReturnRejected
from tests.returns import samples
from tests.returns.test_import import snapshot

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_an_import_killed_half_way_leaves_the_store_as_it_was(store, tmp_path):
    first = samples.write(tmp_path, "first.xml", samples.cin_xml(5))
    import_return([first], la="210", store=store)
    before = snapshot(store)
    big = samples.write(tmp_path, "second.xml", samples.cin_xml(400))
    env = {**os.environ, "ANALYTICS_URL": store.url, "ANALYTICS_SCHEMA": store.schema, "DEBUG": "1"}
    env.pop("PYTEST_VERSION", None)
    process = subprocess.Popen([sys.executable, "-m", "tests.returns.kill_during_import", str(big)], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.strip() == "WRITING", process.stderr.read()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert snapshot(store) == before  # nothing of the killed import, the earlier return intact
    # and the store still works: the same file imports cleanly afterwards
    import_return([big], la="210", store=store)
    assert store.row_counts("210", 2021, "cin")["cin_children"] == 400


VALID = samples.cin_xml(2)
NOISE = st.text(alphabet="<>/&;=\"' abcXYZ019-\n", min_size=1, max_size=12)


@st.composite
def mutated(draw):
    text = VALID
    for _ in range(draw(st.integers(1, 3))):
        position = draw(st.integers(0, len(text)))
        operation = draw(st.sampled_from(["delete", "insert", "replace", "swap-tag"]))
        if operation == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 40)):]
        elif operation == "insert":
            text = text[:position] + draw(NOISE) + text[position:]
        elif operation == "replace":
            text = text[:position] + draw(NOISE) + text[position + draw(st.integers(1, 12)):]
        else:
            text = text.replace(draw(st.sampled_from(["CINreferralDate", "Section47", "NumberOfPreviousCPP",
                                                      "Message", "Child>", "LAchildID"])), "Unknown", 1)
    return text


@hypothesis_settings(max_examples=max(40, int(os.environ.get("FUZZ_EXAMPLES", 0))), deadline=None,  # more on a hunt
                     suppress_health_check=list(HealthCheck))
@given(text=mutated())
def test_mutated_returns_load_or_are_rejected_clearly(store, tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("mutant")
    path = samples.write(folder, "mutant.xml", text)
    before = snapshot(store)
    try:
        result = import_return([path], la="210", store=store)
    except ReturnRejected as rejected:
        assert rejected.problems, "a rejection always says why"
        for problem in rejected.problems:
            assert str(problem).startswith("mutant.xml") and problem.message
        assert snapshot(store) == before
    else:
        assert result.year == 2021 and store.row_counts("210", 2021, "cin")["cin_children"] == result.counts["children"]
