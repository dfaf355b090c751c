"""Write one collection year's CIN census XML and SSDA903 CSV files from a simulated history.

Each return shows the history as it stood on its reference date (31 March): anything dated later is
left out (an assessment not yet authorised has no authorisation date, a plan still open has no end
date), and a CPP end date recorded late (``Plan.end_vis``) is left out of returns before it was recorded.
XML is built from strings (no DOM) so that national-scale generation stays fast.
"""

import os
import zlib
from datetime import date
from functools import lru_cache

from . import calendar as cal


@lru_cache(maxsize=None)
def iso(o):
    return date.fromordinal(o).isoformat()


@lru_cache(maxsize=None)
def dmy(o):
    d = date.fromordinal(o)
    return "%02d/%02d/%04d" % (d.day, d.month, d.year)


def schema_year(year):
    return min(max(year, 2021), 2026)


def in_return(e, ys, ye):
    return e.ref <= ye and (e.close is None or e.close >= ys)


def cin_xml(h, year, seed):
    ys, ye = cal.year_start(year), cal.year_end(year)
    sy = schema_year(year)
    sex_tag = "Sex" if sy >= 2025 else "GenderCurrent"
    cin_plans = sy >= 2022
    la = h.la
    stamp = _stamp(seed, la, year)
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<Message><Header><CollectionDetails>'
           "<Collection>CIN</Collection><Year>%d</Year><ReferenceDate>%s</ReferenceDate>"
           "</CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>%s</LEA>"
           "<SoftwareCode>SyntheticCSC</SoftwareCode><Release>ver 3.1.21</Release>"
           "<SerialNo>001</SerialNo><DateTime>%s</DateTime></Source></Header><Children>"
           % (year, iso(ye), la, stamp)]
    out[0] = one_per_line(out[0])
    w = out.append
    n = 0
    for c in h.children:
        eps = [e for e in c.episodes if in_return(e, ys, ye)]
        if not eps:
            continue
        n += 1
        first = len(out)
        if sy >= 2025:
            sex = "M" if c.sex == 1 else "F"
        else:
            sex = str(c.sex)
        w("<Child><ChildIdentifiers><LAchildID>%s</LAchildID><UPN>%s</UPN>"
          "<PersonBirthDate>%s</PersonBirthDate><%s>%s</%s></ChildIdentifiers>"
          "<ChildCharacteristics><Ethnicity>%s</Ethnicity>"
          % (c.cid, c.upn, iso(c.dob), sex_tag, sex, sex_tag, c.eth))
        w("<Disabilities>%s</Disabilities></ChildCharacteristics>"
          % "".join("<Disability>%s</Disability>" % d for d in (c.dis or ["NONE"])))
        for e in eps:
            w("<CINdetails><CINreferralDate>%s</CINreferralDate><ReferralSource>%s</ReferralSource>"
              % (iso(e.ref), e.src))
            if e.need:
                w("<PrimaryNeedCode>%s</PrimaryNeedCode>" % e.need)
            if e.close is not None and e.close <= ye:
                w("<CINclosureDate>%s</CINclosureDate><ReasonForClosure>%s</ReasonForClosure>"
                  % (iso(e.close), e.reason))
            icpc = None
            for s in e.s47:
                if s[2] is not None and ys <= s[2] <= ye and s[3]:
                    icpc = s[2]
                    break
            # DfE rule 2884 wants the conference recorded once, in the Section 47 module; some systems record it
            # in the CIN episode too. One child in twenty is written that way, so the importer's "counts once"
            # rule is exercised; those are the only 2884 findings the validator reports.
            if icpc is not None and zlib.crc32(c.cid.encode()) % 20 == 0:
                w("<DateOfInitialCPC>%s</DateOfInitialCPC>" % iso(icpc))
            for a in e.assess:
                # a return holds the modules active in its year only
                if a[0] > ye or a[1] < ys:
                    continue
                w("<Assessments><AssessmentActualStartDate>%s</AssessmentActualStartDate>" % iso(a[0]))
                if a[1] <= ye:
                    w("<AssessmentAuthorisationDate>%s</AssessmentAuthorisationDate>" % iso(a[1]))
                    f = a[2]
                    if sy < 2022 and "24A" in f:
                        f = ["13A" if x == "24A" else x for x in f]
                    if f:
                        w("<FactorsIdentifiedAtAssessment>%s</FactorsIdentifiedAtAssessment>"
                          % "".join("<AssessmentFactors>%s</AssessmentFactors>" % x for x in f))
                w("</Assessments>")
            if cin_plans and e.kind in ("cin", "legacy") and e.assess and e.assess[0][1] <= ye:
                start = e.assess[0][1]
                if e.close is None or e.close > start:
                    if e.close is not None and e.close <= ye:
                        w("<CINPlanDates><CINPlanStartDate>%s</CINPlanStartDate><CINPlanEndDate>%s"
                          "</CINPlanEndDate></CINPlanDates>" % (iso(start), iso(e.close)))
                    else:
                        w("<CINPlanDates><CINPlanStartDate>%s</CINPlanStartDate></CINPlanDates>" % iso(start))
            for s in e.s47:
                if s[0] > ye or (s[2] is not None and s[2] < ys) or (s[2] is None and s[1] < ys):
                    continue
                w("<Section47><S47ActualStartDate>%s</S47ActualStartDate><InitialCPCtarget>%s"
                  "</InitialCPCtarget>" % (iso(s[0]), iso(s[1])))
                if s[2] is not None and s[2] <= ye:
                    w("<DateOfInitialCPC>%s</DateOfInitialCPC>" % iso(s[2]))
                w("<ICPCnotRequired>%d</ICPCnotRequired></Section47>" % s[4])
            w("<ReferralNFA>%d</ReferralNFA>" % (1 if e.kind == "nfa" else 0))
            for p in e.plans:
                if p.start > ye:
                    continue
                end = p.end
                if end is not None and (end > ye or (p.end_vis is not None and year < p.end_vis)):
                    end = None
                if end is not None and end < ys:
                    continue
                w("<ChildProtectionPlans><CPPstartDate>%s</CPPstartDate>" % iso(p.start))
                if end is not None:
                    w("<CPPendDate>%s</CPPendDate>" % iso(end))
                w("<InitialCategoryOfAbuse>%s</InitialCategoryOfAbuse><LatestCategoryOfAbuse>%s"
                  "</LatestCategoryOfAbuse><NumberOfPreviousCPP>%d</NumberOfPreviousCPP>"
                  % (p.cat0, p.cat1, p.nprev))
                lim = end if end is not None else ye
                revs = [r for r in p.reviews if r <= lim]
                if revs:
                    w("<Reviews>%s</Reviews>" % "".join("<CPPreviewDate>%s</CPPreviewDate>" % iso(r) for r in revs))
                w("</ChildProtectionPlans>")
            w("</CINdetails>")
        w("</Child>")
        out[first:] = [one_per_line("".join(out[first:]))]
    w("</Children>\n</Message>\n")
    return "".join(out), n


def one_per_line(xml):
    """One element per line (values hold no "><"), so an import finding's line number points at the element;
    joined a child at a time, so the whole file is never copied."""
    return xml.replace("><", ">\n<") + "\n"


def _stamp(seed, la, year):
    # a deterministic DateTime in early May after the year end, derived from seed/la/year
    import zlib

    k = zlib.crc32(("%s|%s|%s" % (seed, la, year)).encode())
    day = 1 + k % 28
    hh, mm, ss = (k >> 5) % 9 + 8, (k >> 9) % 60, (k >> 15) % 60
    return "%04d-05-%02dT%02d:%02d:%02d" % (year, day, hh, mm, ss)


HEADER_COLS = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODE_COLS = ("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
                "PL_POST,URN")


def ssda903_csv(h, year):
    ys, ye = cal.year_start(year), cal.year_end(year)
    header = [HEADER_COLS]
    episodes = [EPISODE_COLS]
    for c in h.children:
        if not c.periods:
            continue
        rows = []
        for per in c.periods:
            for ep in per.episodes:
                decom, rne, ls, place, prov, dec, rec, rpc, urn, home, pl = ep
                if decom > ye or (dec is not None and dec < ys):
                    continue
                if dec is not None and dec > ye:
                    dec = None
                if dec is None:
                    rec = None
                    rpc = None
                rows.append((decom, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s" % (
                    c.cid, dmy(decom), rne, ls, _cin_code(c, per, ls), place, prov,
                    dmy(dec) if dec is not None else "", rec or "", rpc or "", home, pl, urn)))
        if not rows:
            continue
        rows.sort()
        episodes.extend(r[1] for r in rows)
        mother = "0" if c.sex == 2 else ""
        header.append("%s,%d,%s,%s,%s,%s," % (c.cid, c.sex, dmy(c.dob), c.eth, c.upn, mother))
    return "\n".join(header) + "\n", "\n".join(episodes) + "\n", len(header) - 1


def _cin_code(c, per, ls):
    if per.kind == "short" or ls in ("V3", "V4"):
        return "N2"
    e = c.episodes[-1] if c.episodes else None
    if e is not None and e.kind in ("plan", "icpc", "s47", "legacy"):
        return "N1"
    return {"J2": "N6", "L2": "N6", "V2": "N4"}.get(per.first_ls, "N1")


def write_year(h, year, out_dir, seed):
    d = os.path.join(out_dir, h.la, str(year))
    os.makedirs(d, exist_ok=True)
    paths = []
    xml, _ = cin_xml(h, year, seed)
    p = os.path.join(d, "cin_census_%s_%d.xml" % (h.la, year))
    with open(p, "w", encoding="utf-8", newline="\n") as f:
        f.write(xml)
    paths.append(p)
    head, eps, _ = ssda903_csv(h, year)
    for name, text in (("header", head), ("episodes", eps)):
        p = os.path.join(d, "ssda903_%s_%d_%s.csv" % (h.la, year, name))
        with open(p, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        paths.append(p)
    return paths
