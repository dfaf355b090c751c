"""The comparison harness works: both DfE rule packages run, from their own venv, on returns written by others
(../shared/data/peer_returns) and on a small file of our own, and report (rule, child) pairs with the
children as written in the file. The comparison with the importer's own findings builds on this."""

import functools
import glob
import os
import re
import xml.etree.ElementTree as ET

import pytest

from tests.returns.peer_validators import (
    HERE,
    PEER_RETURNS,
    PeerRunError,
    peer_findings,
    peer_run,
    peer_validators,  # noqa: F401 (the fixture)
)
from tests.skips import needs_peer_returns

pytestmark = pytest.mark.peer_validators



@functools.lru_cache(maxsize=None)
def cin_report(path, year=None):
    """One run per file and year for the whole module: each run starts pandas in another venv (seconds)."""
    return peer_run("cin", path, year)


def pinned(package):
    with open(os.path.join(HERE, "requirements.txt")) as pins:
        return re.search(rf"^{re.escape(package)}==(\S+)$", pins.read(), re.M).group(1)


def cin_children(path):
    return {element.text for element in ET.parse(path).getroot().iter("LAchildID")}


@needs_peer_returns
def test_the_cin_package_reports_every_peer_cin_file(peer_validators):
    paths = sorted(glob.glob(os.path.join(PEER_RETURNS, "cin", "*.xml")))
    assert len(paths) >= 4
    for path in paths:
        report = cin_report(path)
        assert report["package"] == "csc-validator-be-cin"
        assert report["version"] == pinned("csc-validator-be-cin")
        # headers for 2021-2023: the package has no rule set before 2022-23, so the nearest is used
        assert report["ruleset"] == "cin2022_23", path
        assert report["rules_failed"] == {}, path
        findings = {(item["rule"], item["child"]) for item in report["findings"]}
        assert findings, path
        assert {child for _, child in findings} - {None} <= cin_children(path), path
    # cin-2022.xml: the assessment starts (1970-06-03) before the referral (1970-10-06) -> 1103 on that child;
    # 2887Q (fewer than 8 disability codes in the return) is about the whole return: no child
    report = cin_report(os.path.join(PEER_RETURNS, "cin", "cin-2022.xml"))
    findings = {(item["rule"], item["child"]) for item in report["findings"]}
    assert ("1103", "DfEX0000001") in findings
    assert ("2887Q", None) in findings


@needs_peer_returns
def test_the_cin_rule_set_follows_the_collection_year(peer_validators):
    """The file records GenderCurrent, not Sex: from 2024-25 rule 4180 wants Sex (M/F/U) and flags the child."""
    path = os.path.join(PEER_RETURNS, "cin", "cin-2022.xml")
    before, after = cin_report(path), cin_report(path, 2025)  # the header says 2022: rule set 2022-23
    assert (before["ruleset"], after["ruleset"]) == ("cin2022_23", "cin2024_25")
    assert {"rule": "4180", "child": "DfEX0000001"} not in before["findings"]
    assert {"rule": "4180", "child": "DfEX0000001"} in after["findings"]


@needs_peer_returns
def test_the_903_package_reports_the_peer_episodes(peer_validators):
    path = os.path.join(PEER_RETURNS, "ssda903", "SSDA903_2020_episodes.csv")
    report = peer_run("903", [path], 2020)
    assert report["package"] == "csc-validator-be-903"
    assert report["version"] == pinned("csc-validator-be-903")
    assert (report["ruleset"], report["mode"]) == ("lac2022_23", "package")
    assert report["rules_failed"] == {}
    assert report["rules_skipped"], "rules needing the header and other tables are skipped on episodes alone"
    findings = {(item["rule"], item["child"]) for item in report["findings"]}
    assert {child for _, child in findings} == {"689661", "249901"}
    # 689661's episode of 11/12/2018 starts before the one of 02/12/2018 ends (16/05/2019) -> 501;
    # 249901's V3 respite episode 10/04/2019-24/06/2019 is longer than 17 days -> 365
    assert {("501", "689661"), ("365", "249901")} <= findings


def test_903_children_come_back_as_written_and_rules_can_run_in_isolation(peer_validators, tmp_path):
    """A small return of our own: lower-case identifiers come back as written (the package upper-cases every
    value). Child c2, 18 at the year end, still looked after in an open episode -> 359. In the package's own run
    rule 365 writes 31 March into every open episode's DEC in the tables later rules read, so whether 359 still
    sees c2 depends on the order the package loads its rule files in; --isolated gives each rule its own copy."""
    header = tmp_path / "header.csv"
    header.write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
        "c1,1,01/01/2010,WBRI,UN1,,\n"
        "c2,2,01/01/2001,WBRI,UN1,0,\n"
    )
    episodes = tmp_path / "episodes.csv"
    episodes.write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        "c1,01/03/2020,S,V3,N1,U1,PR1,,,,,,\n"
        "c2,01/03/2019,S,C2,N1,U1,PR1,,,,,,\n"
    )
    isolated = peer_run("903", [header, episodes], 2020, isolated=True)
    assert isolated["mode"] == "isolated"
    findings = {(item["rule"], item["child"]) for item in isolated["findings"]}
    assert ("359", "c2") in findings
    assert {child for _, child in findings} <= {"c1", "c2"}
    assert peer_findings("903", [header, episodes], 2020), "the package's own run reports too"


@needs_peer_returns
def test_a_file_the_package_cannot_read_is_an_error_not_an_empty_report(peer_validators):
    """Extra columns (LA, YEAR) and ISO dates: the package's reader fails, and the harness says so."""
    path = os.path.join(PEER_RETURNS, "ssda903", "SSDA903_episodes_for_testing_fixes_INPUT.csv")
    with pytest.raises(PeerRunError) as refused:
        peer_run("903", [path], 2022)
    assert refused.value.report["package"] == "csc-validator-be-903"
    assert refused.value.report["error"]
