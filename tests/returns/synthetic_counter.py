"""An independent counter for the synthetic returns: reads the written files and applies the counting
definitions of the indicator contract.  It shares no code with the generator on purpose."""

import csv
import xml.etree.ElementTree as ET
from datetime import date, datetime

EFH = {"10A", "11A", "12A", "13A", "24A"}
VULN = {"16A", "3A", "3B", "3C", "1A", "1B", "1C", "2A", "2B", "2C", "4A", "4B", "4C"}
DA = {"3A", "3B", "3C"}


def d(s):
    return date.fromisoformat(s) if s else None


def dmy(s):
    return datetime.strptime(s, "%d/%m/%Y").date() if s else None


def bounds(year):
    return date(year - 1, 4, 1), date(year, 3, 31)


def minus_12_months(x):
    try:
        return x.replace(year=x.year - 1)
    except ValueError:  # 29 February
        return x.replace(year=x.year - 1, day=28)


def read_cin(path):
    """[{id, upn, episodes: [{ref, src, close, icpc, assessments: [(start, auth, factors)],
    s47: [(start, icpc)], plans: [(start, end, nprev)]}]}]"""
    children = []
    for _, el in ET.iterparse(path):
        if el.tag != "Child":
            continue
        ids = el.find("ChildIdentifiers")
        child = {"id": ids.findtext("LAchildID"), "upn": ids.findtext("UPN"), "episodes": []}
        for cd in el.findall("CINdetails"):
            ep = {
                "ref": d(cd.findtext("CINreferralDate")),
                "src": cd.findtext("ReferralSource"),
                "close": d(cd.findtext("CINclosureDate")),
                "icpc": d(cd.findtext("DateOfInitialCPC")),
                "assessments": [],
                "s47": [],
                "plans": [],
            }
            for a in cd.findall("Assessments"):
                ep["assessments"].append((
                    d(a.findtext("AssessmentActualStartDate")),
                    d(a.findtext("AssessmentAuthorisationDate")),
                    [f.text for f in a.findall("FactorsIdentifiedAtAssessment/AssessmentFactors")],
                ))
            for s in cd.findall("Section47"):
                ep["s47"].append((d(s.findtext("S47ActualStartDate")), d(s.findtext("DateOfInitialCPC"))))
            for p in cd.findall("ChildProtectionPlans"):
                ep["plans"].append((d(p.findtext("CPPstartDate")), d(p.findtext("CPPendDate")),
                                    int(p.findtext("NumberOfPreviousCPP"))))
            child["episodes"].append(ep)
        children.append(child)
        el.clear()
    return children


def cin_counts(children, year):
    a, b = bounds(year)
    inyear = lambda x: x is not None and a <= x <= b  # noqa: E731
    c = dict(referrals=0, rereferrals=0, assessments=0, s47=0, icpcs=0, cpp_open=0, cpp_2yrs=0,
             cpp_starts=0, cpp_subsequent=0, cpp_ceased=0)
    icpcs = set()
    two_years_before = date(year - 2, 3, 31)
    for ch in children:
        refs = [e["ref"] for e in ch["episodes"]]
        for e in ch["episodes"]:
            if inyear(e["ref"]):
                c["referrals"] += 1
                lo = minus_12_months(e["ref"])
                if any(lo <= r < e["ref"] for r in refs):
                    c["rereferrals"] += 1
            for _, auth, _ in e["assessments"]:
                if inyear(auth):
                    c["assessments"] += 1
            if inyear(e["icpc"]):
                icpcs.add((ch["id"], e["icpc"]))
            for start, icpc in e["s47"]:
                if inyear(start):
                    c["s47"] += 1
                if inyear(icpc):
                    icpcs.add((ch["id"], icpc))
            for start, end, nprev in e["plans"]:
                if start <= b and (end is None or end > b):
                    c["cpp_open"] += 1
                    if start <= two_years_before:
                        c["cpp_2yrs"] += 1
                if inyear(start):
                    c["cpp_starts"] += 1
                    if nprev >= 1:
                        c["cpp_subsequent"] += 1
                if inyear(end):
                    c["cpp_ceased"] += 1
    c["icpcs"] = len(icpcs)
    return c


def plans_open_on(children, day):
    return sum(1 for ch in children for e in ch["episodes"] for s, end, _ in e["plans"]
               if s <= day and (end is None or end > day))


def read_903(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def lac_counts(episodes, year):
    a, b = bounds(year)
    at31, starts, ceased = set(), set(), set()
    for r in episodes:
        if r["LS"] in ("V3", "V4"):
            continue
        decom, dec = dmy(r["DECOM"]), dmy(r["DEC"])
        if decom <= b and (dec is None or dec > b):
            at31.add(r["CHILD"])
        if r["RNE"] == "S" and a <= decom <= b:
            starts.add(r["CHILD"])
        if dec is not None and a <= dec <= b and r["REC"] != "X1":
            ceased.add(r["CHILD"])
    return dict(lac=len(at31), lac_starts=len(starts), lac_ceased=len(ceased))


def efh_counts(returns, start, end):
    """returns: list of parsed CIN returns; children with an EFH assessment authorised in [start, end]."""
    efh, vuln = set(), set()
    for children in returns:
        for ch in children:
            for e in ch["episodes"]:
                for _, auth, factors in e["assessments"]:
                    if auth is not None and start <= auth <= end and EFH & set(factors):
                        efh.add(ch["id"])
    for children in returns:
        for ch in children:
            if ch["id"] not in efh:
                continue
            for e in ch["episodes"]:
                for _, auth, factors in e["assessments"]:
                    if auth is not None and start <= auth <= end and VULN & set(factors):
                        vuln.add(ch["id"])
    return len(efh), len(vuln)
