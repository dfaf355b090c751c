"""Stream a Children in Need census XML file into the analytical store, as councils' systems export it.

The file is read once with lxml's iterparse, one <Child> at a time, each cleared once read, so memory stays flat
however large the file. Entities, DTDs and network access are off; a file that declares a DTD is refused outright.

Each file is read by its own collection year's schema (cin_schema.py). What is found is sorted three ways
(findings.py): the file is refused only when it is not a CIN census, is hostile, is for another authority or the
indicators could not be trusted from it; a DfE rule broken is an error, with the rule's number, and a record whose
indicator field cannot be read is left out of the figures it feeds; looseness that changes no figure (``true``
for ``1``, elements in another order, another year's elements, spaces around a value) is a warning.

CinChild reads a child with every check. PlainReader reads one in which there is nothing to note, without them, and
gives any other up to CinChild (ADR 0019): the same rows and findings either way, in less time.
"""
import datetime

from lxml import etree

from safeguarding.returns import cin_rules, cin_schema
from safeguarding.returns.findings import ERROR, REFUSAL_SHARE, WARNING, Findings, Rule
from safeguarding.returns.problems import ProblemList, ReturnRejected
from safeguarding.working_days import financial_year as collection_year_of  # the DfE calls it the collection year

# Looseness: changes no figure.
W_BOOLEAN = Rule("L-BOOL", WARNING, "Yes/no written as a word (true/false), read as 1/0")
W_CASE = Rule("L-CASE", WARNING, "Code in lower case, read in upper case")
W_SPACE = Rule("L-SPACE", WARNING, "Spaces around a value, ignored")
W_TEXT = Rule("L-TEXT", WARNING, "Text between elements, ignored")
W_ORDER = Rule("L-ORDER", WARNING, "Elements in another order than the schema's")
W_OTHER_YEAR = Rule("L-YEAR", WARNING, "Element of another collection year's schema, ignored")
W_UNKNOWN = Rule("L-UNKNOWN", WARNING, "Element in no year's schema, ignored")
W_SEX = Rule("L-SEX", WARNING, "Sex written in another year's codes, read as this year's")
W_HEADER = Rule("L-HEADER", WARNING, "Header Year and ReferenceDate disagree; the ReferenceDate is used")
# Values that break the schema, where the DfE has no rule of its own for them.
E_DATE = Rule("S-DATE", ERROR, "Not a date (expected YYYY-MM-DD)")
E_NUMBER = Rule("S-NUMBER", ERROR, "Not a whole number")
E_CODE = Rule("S-CODE", ERROR, "Code not in the year's code list")
E_MISSING = Rule("S-MISSING", ERROR, "Required element missing")
E_TWICE = Rule("S-TWICE", ERROR, "Element written twice where the schema allows one; the first is read")
# DfE rules checked as the file is read: a value missing or outside its year's code list.
RULES = {
    "LAchildID": Rule("8500", ERROR, "LA child ID missing"),
    "CINdetails": Rule("8590", ERROR, "Child does not have a recorded CIN episode"),
    "CINreferralDate": Rule("8600", ERROR, "Referral date missing or not a date"),
    "ReferralSource": Rule("8866", ERROR, "Referral source missing or not in the code list"),
    "PrimaryNeedCode": Rule("8650", ERROR, "Primary need code not in the code list"),
    "ReasonForClosure": Rule("8640", ERROR, "Reason for closure not in the code list"),
    "ReferralNFA": Rule("8568", ERROR, "Referral NFA flag missing or invalid"),
    "Ethnicity": Rule("4220", ERROR, "Ethnicity missing or not in the code list"),
    "GenderCurrent": Rule("4180", ERROR, "Gender missing or not in the code list"),
    "Sex": Rule("4180", ERROR, "Sex missing or not in the code list"),
    "Disability": Rule("8540", ERROR, "Disability not in the code list"),
    "S47ActualStartDate": Rule("8615", ERROR, "Section 47 enquiry start date missing or not a date"),
    "CPPstartDate": Rule("8720", ERROR, "Child protection plan start date missing or not a date"),
    "NumberOfPreviousCPP": Rule("8730", ERROR, "Number of previous child protection plans missing or not a number"),
    "InitialCategoryOfAbuse": Rule("8905", ERROR, "Initial category of abuse missing or not in the code list"),
    "LatestCategoryOfAbuse": Rule("8910", ERROR, "Latest category of abuse missing or not in the code list"),
}
BOOLEAN_WORDS = {"true": "1", "false": "0", "yes": "1", "no": "0", "y": "1", "n": "0"}
# GenderCurrent (to 2024) and Sex (from 2025), stored as one field in Sex's codes.
SEX_OF_GENDER = {"1": "M", "2": "F", "0": "U", "9": "U"}
GENDER_OF_SEX = {"M": "1", "F": "2", "U": "0"}
_fromisoformat = datetime.date.fromisoformat


class CountingReader:
    """A file wrapper that reports how far through the file the parser has read."""

    def __init__(self, raw, total, progress):
        self.raw, self.total, self.progress = raw, total, progress
        self.done = 0
        self._reported = 0

    def read(self, size=-1):
        chunk = self.raw.read(size)
        self.done += len(chunk)
        if self.progress and self.done - self._reported >= 1 << 20:
            self._reported = self.done
            self.progress(self.done, self.total)
        return chunk


def looks_like_xml(head):
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


class CinChild:
    """Reads one <Child> element into rows, noting what it finds."""

    def __init__(self, loader, element, ordinal):
        self.loader, self.element, self.ordinal = loader, element, ordinal
        self.schema = loader.schema
        self.findings = loader.findings
        self.child_id = ""

    # -- what is found ---------------------------------------------------------------------------------
    def found(self, rule, element, field, value="", message=""):
        line = element.sourceline if element is not None else self.element.sourceline
        self.findings.add(rule, where=f"line {line}, child {self.ordinal}", field=field, child=self.child_id,
                          value=value, message=message or rule.title)

    def parts(self, container, name):
        """{child element name: element, or list for the repeating ones} of a container, with its looseness noted.

        Elements another year's schema has, or none has, are noted and left out; so is text between elements."""
        schema = self.schema
        order = schema.order[name]
        parts = {}
        last = -1
        text = container.text
        if text is not None and not text.isspace():
            self.found(W_TEXT, container, name, text.strip()[:40])
        get = order.get
        for item in container:
            tag = item.tag
            tail = item.tail  # None for the blank text between elements: iterparse drops it (remove_blank_text)
            if tail is not None and not tail.isspace():
                self.found(W_TEXT, item, name, tail.strip()[:40])
            position = get(tag)
            if position is None:
                if not isinstance(tag, str) or cin_schema.ADDED_LATER.get(tag, 9999) <= schema.year:
                    continue  # a processing instruction, or known to this year and read by no figure
                if tag[0] == "{":
                    self.refuse_namespaced(item)
                years = cin_schema.all_elements().get(tag)
                if years:
                    self.found(W_OTHER_YEAR, item, tag, message=f"<{tag}> belongs to the "
                               f"{', '.join(map(str, sorted(years)))} schema, not {schema.year}'s; ignored")
                    parts.setdefault(tag, item)  # kept aside: GenderCurrent and Sex are read across the change
                else:
                    self.found(W_UNKNOWN, item, tag, message=f"<{tag}> is not a CIN census element; ignored")
                continue
            if position < last:
                self.found(W_ORDER, item, tag, message=f"<{tag}> comes after elements the schema puts after it "
                                                       f"in <{name}>")
            else:
                last = position
            previous = parts.get(tag)
            if previous is None:
                parts[tag] = item
            elif tag not in schema.repeating.get(name, ()):
                # Two UPNs, two birth dates: which one is right cannot be told, so the first is read and the second
                # is an error in the quality report, rather than a list where the reader expects one element.
                self.found(E_TWICE, item, tag, self.text(item, tag)[:40] if len(item) == 0 else "",
                           f"<{tag}> is written more than once in <{name}>; the first is read")
            elif previous.__class__ is list:
                previous.append(item)
            else:
                parts[tag] = [previous, item]
        return parts

    def refuse_namespaced(self, element):
        """A CIN census has no namespaces; an XInclude (or any other namespaced element) is an attempt to make the
        parser read something else: the file is refused, as for entities and DTDs."""
        self.loader.problems.add(f"line {element.sourceline}, child {self.ordinal}", element.tag.split("}")[-1],
                                 f"an element in the namespace {element.tag[1:].split('}')[0]!r}, which a CIN census "
                                 "file never has; refused for safety (XInclude and similar attacks)")
        self.loader.problems.reject()

    def text(self, element, field):
        text = element.text
        if len(element):
            for inner in element.iter():
                if isinstance(inner.tag, str) and inner.tag[0] == "{":
                    self.refuse_namespaced(inner)
        if not text:
            return ""
        stripped = text.strip()
        if stripped != text and stripped and len(element) == 0:
            self.found(W_SPACE, element, field, stripped[:40])
        return stripped

    # -- values ----------------------------------------------------------------------------------------
    def date(self, element, field, rule=E_DATE, indicator=True):
        """The date an element gives, or None (an error); a field the indicators use is counted for the threshold."""
        if element is None:
            return None
        text = self.text(element, field)
        try:
            day = _fromisoformat(text) if len(text) == 10 else _loose_date(text)
        except ValueError:
            day = None
        if day is None:
            self.found(rule, element, field, text, f"{text!r} is not a date; expected a date written YYYY-MM-DD")
        if indicator:
            self.findings.carry(field, day is not None)
            if day is None:
                self.findings.leave_out(field)
        return day

    def code(self, element, field, required=True):
        """The code an element gives, checked against its year's list, or None."""
        allowed = self.schema.codes[field]
        rule = RULES.get(field, E_CODE)
        if element is None:
            if required:
                self.found(rule, None, field, message=f"<{field}> is missing; expected one of its codes")
            return None
        text = self.text(element, field)
        if text in allowed:
            return text
        if not text and not required:
            return None
        if text.upper() in allowed:
            self.found(W_CASE, element, field, text)
            return text.upper()
        shown = ", ".join(sorted(allowed)) if len(allowed) <= 12 else f"one of the {len(allowed)} codes of " \
                                                                          f"the {self.schema.year} CIN census"
        self.found(rule, element, field, text, f"{text!r} is not a valid code in {self.loader.year}; expected {shown}")
        return None

    def flag(self, element, field):
        """A yes/no element (0 or 1; true/false and the like are read, with a warning), or None."""
        rule = RULES.get(field, E_CODE)
        if element is None:
            self.found(rule, None, field, message=f"<{field}> is missing; expected 0 or 1")
            return None
        text = self.text(element, field)
        if text == "1" or text == "0":
            return text == "1"
        word = BOOLEAN_WORDS.get(text.lower())
        if word is not None:
            self.found(W_BOOLEAN, element, field, text)
            return word == "1"
        self.found(rule, element, field, text, f"{text!r} is not valid; expected 0 or 1")
        return None

    def integer(self, element, field):
        rule = RULES.get(field, E_NUMBER)
        if element is None:
            self.found(rule, None, field, message=f"<{field}> is missing; expected a whole number")
            self.findings.carry(field, False)
            self.findings.leave_out(field)
            return None
        text = self.text(element, field)
        if text.isdecimal():  # not isdigit(): int() refuses "²", a digit but not a decimal
            self.findings.carry(field)
            return int(text)
        self.found(rule, element, field, text, f"{text!r} is not a whole number; expected 0 or more")
        self.findings.carry(field, False)
        self.findings.leave_out(field)
        return None

    def sex(self, ids):
        """Sex in Sex's codes (M, F, U) whichever of GenderCurrent and Sex the file uses (the DfE changed in 2025)."""
        expected = "Sex" if "Sex" in self.schema.codes else "GenderCurrent"
        element = ids.get(expected)
        if element is None:
            other = ids.get("GenderCurrent" if expected == "Sex" else "Sex")
            if other is None:
                self.found(RULES[expected], None, expected, message=f"<{expected}> is missing")
                return None
            element = other  # parts() noted it as another year's element
        text = self.text(element, element.tag)
        value = text.upper()
        if value in GENDER_OF_SEX:
            if expected != "Sex" or element.tag != "Sex":
                self.found(W_SEX, element, element.tag, text, f"{text!r} is a code of Sex (from 2025); read as "
                                                              f"{value}")
            return value
        if value in SEX_OF_GENDER:
            if expected != "GenderCurrent" or element.tag != "GenderCurrent":
                self.found(W_SEX, element, element.tag, text, f"{text!r} is a code of GenderCurrent (to 2024); "
                                                              f"read as {SEX_OF_GENDER[value]}")
            return SEX_OF_GENDER[value]
        self.found(RULES[expected], element, element.tag, text, f"{text!r} is not valid; expected "
                   + ("M, F or U" if expected == "Sex" else "1, 2, 0 or 9"))
        return None

    # -- the child -------------------------------------------------------------------------------------
    def read(self):
        loader = self.loader
        la, year = loader.la, loader.year
        child = self.parts(self.element, "Child")
        ids = child.get("ChildIdentifiers")
        if ids is None or isinstance(ids, list):
            self.found(E_MISSING if ids is None else RULES["LAchildID"], None, "ChildIdentifiers",
                       message="<ChildIdentifiers> missing or repeated; the child is left out")
            loader.counts["children_left_out"] = loader.counts.get("children_left_out", 0) + 1
            return
        ids = self.parts(ids, "ChildIdentifiers")
        local_id = self.text(ids["LAchildID"], "LAchildID") if "LAchildID" in ids else ""
        if not local_id:
            self.found(RULES["LAchildID"], ids.get("LAchildID"), "LAchildID",
                       message="LAchildID missing; the child is left out of every figure")
            loader.counts["children_left_out"] = loader.counts.get("children_left_out", 0) + 1
            return
        child_id = self.child_id = loader.pseudonymise.child(la, local_id)
        upn = self.text(ids["UPN"], "UPN") if "UPN" in ids else ""
        sex = self.sex(ids)
        birth = self.date(ids.get("PersonBirthDate"), "PersonBirthDate", indicator=False)
        expected = self.date(ids.get("ExpectedPersonBirthDate"), "ExpectedPersonBirthDate", indicator=False)
        death = self.date(ids.get("PersonDeathDate"), "PersonDeathDate", indicator=False)
        upn_unknown = self.code(_first(ids.get("UPNunknown")), "UPNunknown", required=False)
        ethnicity, disabled = None, None
        characteristics = child.get("ChildCharacteristics")
        if characteristics is None:
            self.found(RULES["Ethnicity"], None, "ChildCharacteristics",
                       message="<ChildCharacteristics> missing; expected ethnicity (and disabilities)")
        else:
            if isinstance(characteristics, list):
                characteristics = characteristics[0]
            found = self.parts(characteristics, "ChildCharacteristics")
            ethnicity = self.code(_first(found.get("Ethnicity")), "Ethnicity")
            disabilities = _first(found.get("Disabilities"))
            if disabilities is not None:
                values = set()
                for item in _all(self.parts(disabilities, "Disabilities").get("Disability")):
                    code = self.code(item, "Disability")
                    if code:
                        values.add(code)
                disabled = bool(values - {"NONE"}) if values else None
        episodes = _all(child.get("CINdetails"))
        if not episodes:
            self.found(RULES["CINdetails"], None, "CINdetails", message="the child has no <CINdetails> episode")
        loader.writer.add("cin_children", (la, year, child_id, loader.pseudonymise.upn(upn), sex,
                                           birth.replace(day=1) if birth else None, ethnicity, disabled, death,
                                           expected is not None, upn_unknown))
        loader.counts["children"] += 1
        episodes = [(episode, self.parts(episode, "CINdetails")) for episode in episodes]
        referrals = [self.date(fields.get("CINreferralDate"), "CINreferralDate", RULES["CINreferralDate"])
                     if "CINreferralDate" in fields else self._missing_referral(episode)
                     for episode, fields in episodes]
        previous = _previous_referrals(referrals)
        closures = [self.read_episode(episode, fields, child_id, number, referral, earlier)
                    for number, ((episode, fields), referral, earlier)
                    in enumerate(zip(episodes, referrals, previous), start=1)]
        cin_rules.check_child(self.found, year, local_id=local_id, birth=birth, expected=expected, death=death,
                              referrals=referrals, closures=closures)

    def _missing_referral(self, episode):
        self.found(RULES["CINreferralDate"], episode, "CINreferralDate",
                   message="<CINreferralDate> is missing; the referral is left out of the referral figures")
        self.findings.carry("CINreferralDate", False)
        self.findings.leave_out("CINreferralDate")
        return None

    def read_episode(self, episode, fields, child_id, number, referral, previous_referral):
        """Read one CINdetails; its closure date (or None)."""
        loader = self.loader
        la, year, writer = loader.la, loader.year, loader.writer
        source = self.code(_first(fields.get("ReferralSource")), "ReferralSource")
        need = self.code(_first(fields.get("PrimaryNeedCode")), "PrimaryNeedCode", required=False)
        nfa = self.flag(_first(fields.get("ReferralNFA")), "ReferralNFA")
        closure = self.date(_first(fields.get("CINclosureDate")), "CINclosureDate", indicator=False)
        reason = self.code(_first(fields.get("ReasonForClosure")), "ReasonForClosure", required=False)
        cin_rules.check_episode(self.found, episode, nfa=nfa, need_given=_given(fields.get("PrimaryNeedCode")),
                                closure=closure, reason_given=_given(fields.get("ReasonForClosure")))
        icpc_element = _first(fields.get("DateOfInitialCPC"))
        icpc = self.date(icpc_element, "DateOfInitialCPC", indicator=False)
        conferences = [(icpc_element, icpc)]  # the same conference may be recorded here and in its Section 47
        writer.add("cin_episodes", (la, year, child_id, number, referral, source, need, closure, reason, nfa, icpc,
                                    previous_referral))
        loader.counts["referrals"] += 1
        for a_number, assessment in enumerate(_all(fields.get("Assessments")), start=1):
            parts = self.parts(assessment, "Assessments")
            start = parts.get("AssessmentActualStartDate")
            if start is None:
                self.found(E_MISSING, assessment, "AssessmentActualStartDate",
                           message="<AssessmentActualStartDate> is missing; every assessment needs its start date")
            start = self.date(_first(start), "AssessmentActualStartDate", indicator=False)
            end = self.date(_first(parts.get("AssessmentAuthorisationDate")), "AssessmentAuthorisationDate")
            writer.add("cin_assessments", (la, year, child_id, number, a_number, start, end))
            factors = _first(parts.get("FactorsIdentifiedAtAssessment"))
            written = None
            if factors is not None:
                elements = _all(self.parts(factors, "FactorsIdentifiedAtAssessment").get("AssessmentFactors"))
                written = [(factor.text or "").strip().upper() for factor in elements]
                for factor in elements:
                    code = self.code(factor, "AssessmentFactors")
                    if code:
                        writer.add("cin_assessment_factors", (la, year, child_id, number, a_number, code))
            cin_rules.check_assessment(self.found, assessment, year, authorised=end, factors=written)
            loader.counts["assessments"] += 1
        for plan_dates in _all(fields.get("CINPlanDates")):
            parts = self.parts(plan_dates, "CINPlanDates")
            writer.add("cin_plan_dates", (la, year, child_id, number,
                                          self.date(_first(parts.get("CINPlanStartDate")), "CINPlanStartDate",
                                                    indicator=False),
                                          self.date(_first(parts.get("CINPlanEndDate")), "CINPlanEndDate",
                                                    indicator=False)))
        for e_number, enquiry in enumerate(_all(fields.get("Section47")), start=1):
            parts = self.parts(enquiry, "Section47")
            start = parts.get("S47ActualStartDate")
            if start is None:
                self.found(RULES["S47ActualStartDate"], enquiry, "S47ActualStartDate",
                           message="<S47ActualStartDate> is missing; the enquiry is left out of the S47 figures")
                self.findings.carry("S47ActualStartDate", False)
                self.findings.leave_out("S47ActualStartDate")
            else:
                start = self.date(_first(start), "S47ActualStartDate", RULES["S47ActualStartDate"])
            target = self.date(_first(parts.get("InitialCPCtarget")), "InitialCPCtarget", indicator=False)
            icpc_element = _first(parts.get("DateOfInitialCPC"))
            icpc_date = self.date(icpc_element, "DateOfInitialCPC", indicator=False)
            conferences.append((icpc_element, icpc_date))
            not_required = self.flag(_first(parts.get("ICPCnotRequired")), "ICPCnotRequired")
            writer.add("cin_s47", (la, year, child_id, number, e_number, start, target, icpc_date, not_required))
            loader.counts["s47_enquiries"] += 1
        for p_number, plan in enumerate(_all(fields.get("ChildProtectionPlans")), start=1):
            self.read_plan(plan, child_id, number, p_number)
        recorded = [day for element, day in conferences if element is not None]
        for day in recorded:
            self.findings.carry("DateOfInitialCPC", day is not None)
        if None in recorded and not any(recorded):
            self.findings.leave_out("DateOfInitialCPC")  # no readable record of the episode's conference
        return closure

    def read_plan(self, plan, child_id, number, p_number):
        loader = self.loader
        parts = self.parts(plan, "ChildProtectionPlans")
        start = _first(parts.get("CPPstartDate"))
        if start is None:
            self.found(RULES["CPPstartDate"], plan, "CPPstartDate",
                       message="<CPPstartDate> is missing; the plan is left out of the plan figures")
            self.findings.carry("CPPstartDate", False)
            self.findings.leave_out("CPPstartDate")
        else:
            start = self.date(start, "CPPstartDate", RULES["CPPstartDate"])
        end_element = _first(parts.get("CPPendDate"))
        end = self.date(end_element, "CPPendDate") if end_element is not None else None
        initial = self.code(_first(parts.get("InitialCategoryOfAbuse")), "InitialCategoryOfAbuse")
        latest = self.code(_first(parts.get("LatestCategoryOfAbuse")), "LatestCategoryOfAbuse")
        previous = self.integer(_first(parts.get("NumberOfPreviousCPP")), "NumberOfPreviousCPP")
        reviews = []
        for group in _all(parts.get("Reviews")):
            reviews.extend(_all(self.parts(group, "Reviews").get("CPPreviewDate")))
        if start is None or (end_element is not None and end is None):
            # Open or closed cannot be told: the plan would make every plan figure wrong, so none counts it (the
            # date that could not be read has counted it as left out).
            return
        loader.writer.add("cin_plans", (loader.la, loader.year, child_id, number, p_number, start, end, initial,
                                        latest, previous))
        for review in reviews:
            loader.writer.add("cin_plan_reviews", (loader.la, loader.year, child_id, number, p_number,
                                                   self.date(review, "CPPreviewDate", indicator=False)))
        loader.counts["plans"] += 1


def _first(value):
    return value[0] if isinstance(value, list) else value


# The indicator fields whose records CinChild counts for the refusal threshold (Findings.carry), in PlainReader's order.
CARRIED = ("CINreferralDate", "AssessmentAuthorisationDate", "S47ActualStartDate", "DateOfInitialCPC", "CPPstartDate",
           "CPPendDate", "NumberOfPreviousCPP")


class Unusual(Exception):
    """Something in a child that PlainReader leaves to CinChild."""


class PlainReader:
    """CinChild.read for a child in which there is nothing to note but DfE rules broken, without the checks.

    Most children of most files are written exactly as their year's schema says; reading them element by element
    with every check for looseness cost most of the import (docs/benchmarks.md). This reader does what CinChild.read
    does for such a child and nothing else: at the first thing CinChild would note or treat specially (an element
    out of place, repeated, of another year or of none; text between elements; spaces around a value; a code not in
    the list; a date not written YYYY-MM-DD; a required element missing; a leaf with elements inside), it raises
    Unusual having changed nothing, and CinChild reads the child. It may leave any child to CinChild, but must never
    read one differently: tests/returns/test_cin_plain.py loads files both ways and compares every row and finding.
    """

    def __init__(self, loader):
        schema = loader.schema
        self.loader = loader
        self.year = schema.year  # the schema's (CinChild.parts: elements added later)
        self.order = schema.order
        self.codes = schema.codes
        self.sex_of = (dict(zip(GENDER_OF_SEX, GENDER_OF_SEX)) if "Sex" in schema.codes else SEX_OF_GENDER)
        self.sex_field = "Sex" if "Sex" in schema.codes else "GenderCurrent"
        self.child_pseudonym = loader.pseudonymise.hasher(loader.la)
        self.upn_pseudonym = loader.pseudonymise.upn
        # What CinChild adds to Findings.carried one record at a time, added up here child by child (once the child
        # is known to be plain); Findings gets it in finish().
        self.carried = dict.fromkeys(CARRIED, 0)
        noted = self.noted = []  # the DfE rules' findings on the child being read, noted once it has been read

        def note(*finding):
            noted.append(finding)

        self.note = note

    def finish(self):
        carried = self.loader.findings.carried
        for field, n in self.carried.items():
            if n:
                carried[field] += n

    def read(self, element, ordinal):
        """Read one <Child>, or raise Unusual having changed nothing."""
        loader = self.loader
        la, file_year = loader.la, loader.year
        year, order, codes = self.year, self.order, self.codes
        noted = self.noted
        if noted:
            noted.clear()  # left by a child that proved unusual
        child = _plain(element, order["Child"], year)
        ids = child.get("ChildIdentifiers")
        characteristics = child.get("ChildCharacteristics")
        episodes = child.get("CINdetails")
        if ids is None or characteristics is None or episodes is None:
            raise Unusual
        ids = _plain(ids, order["ChildIdentifiers"], year)
        local_id = _text(ids.get("LAchildID"))
        if not local_id:
            raise Unusual
        upn = ids.get("UPN")
        upn = "" if upn is None else _text(upn)
        sex = self.sex_of.get(_text(ids.get(self.sex_field)))
        if sex is None:
            raise Unusual
        birth = _day(ids.get("PersonBirthDate"))
        expected = _day(ids.get("ExpectedPersonBirthDate"))
        death = _day(ids.get("PersonDeathDate"))
        upn_unknown = _code(ids.get("UPNunknown"), codes["UPNunknown"], required=False)
        characteristics = _plain(characteristics, order["ChildCharacteristics"], year)
        ethnicity = _code(characteristics.get("Ethnicity"), codes["Ethnicity"])
        disabled = None
        disabilities = characteristics.get("Disabilities")
        if disabilities is not None:
            allowed = codes["Disability"]
            written = [_code(item, allowed) for item in
                       _all(_plain(disabilities, order["Disabilities"], year).get("Disability"))]
            disabled = any(code != "NONE" for code in written) if written else None
        child_id = self.child_pseudonym(local_id)
        rows = [("cin_children", (la, file_year, child_id, self.upn_pseudonym(upn),
                                  sex, birth.replace(day=1) if birth else None, ethnicity, disabled, death,
                                  expected is not None, upn_unknown))]
        cin_details = order["CINdetails"]
        episodes = [(episode, _plain(episode, cin_details, year)) for episode in _all(episodes)]
        referrals = [_day(fields.get("CINreferralDate"), required=True) for _, fields in episodes]
        closures = []
        counts = [0, 0, 0]  # assessments, Section 47 enquiries, plans
        carried = [len(referrals), 0, 0, 0, 0, 0, 0]  # the child's records with each of CARRIED
        for number, ((episode, fields), referral, earlier) in enumerate(
                zip(episodes, referrals, _previous_referrals(referrals) if len(referrals) > 1 else (None,)),
                start=1):
            closures.append(self._episode(episode, fields, child_id, number, referral, earlier, rows, counts,
                                          carried))
        cin_rules.check_child(self.note, file_year, local_id=local_id, birth=birth, expected=expected, death=death,
                              referrals=referrals, closures=closures)
        # Nothing unusual: what CinChild would have written and found, in the same order.
        add = loader.writer.add
        for table, row in rows:
            add(table, row)
        if noted:
            careful = CinChild(loader, element, ordinal)
            careful.child_id = child_id
            for finding in noted:
                careful.found(*finding)
            noted.clear()
        total = self.carried
        for field, n in zip(CARRIED, carried):
            if n:
                total[field] += n
        loader_counts = loader.counts
        loader_counts["children"] += 1
        loader_counts["referrals"] += len(referrals)
        loader_counts["assessments"] += counts[0]
        loader_counts["s47_enquiries"] += counts[1]
        loader_counts["plans"] += counts[2]

    def _episode(self, episode, fields, child_id, number, referral, earlier, rows, counts, carried):
        """One CINdetails, as CinChild.read_episode: its closure date."""
        loader = self.loader
        la, file_year = loader.la, loader.year
        year, order, codes = self.year, self.order, self.codes
        note = self.note
        key = (la, file_year, child_id, number)
        source = _code(fields.get("ReferralSource"), codes["ReferralSource"])
        need = _code(fields.get("PrimaryNeedCode"), codes["PrimaryNeedCode"], required=False)
        nfa = _flag(fields.get("ReferralNFA"))
        closure = _day(fields.get("CINclosureDate"))
        reason = _code(fields.get("ReasonForClosure"), codes["ReasonForClosure"], required=False)
        cin_rules.check_episode(note, episode, nfa=nfa, need_given=need is not None, closure=closure,
                                reason_given=reason is not None)
        icpc_element = fields.get("DateOfInitialCPC")
        conferences = 0 if icpc_element is None else 1
        rows.append(("cin_episodes", key + (referral, source, need, closure, reason, nfa, _day(icpc_element),
                                            earlier)))
        assessments = fields.get("Assessments")
        if assessments is not None:
            for a_number, assessment in enumerate(_all(assessments), start=1):
                parts = _plain(assessment, order["Assessments"], year)
                start = _day(parts.get("AssessmentActualStartDate"), required=True)
                end = parts.get("AssessmentAuthorisationDate")
                if end is not None:
                    end = _day(end)
                    carried[1] += 1
                rows.append(("cin_assessments", key + (a_number, start, end)))
                factors = parts.get("FactorsIdentifiedAtAssessment")
                written = None
                if factors is not None:
                    allowed = codes["AssessmentFactors"]
                    written = [_code(factor, allowed) for factor in _all(
                        _plain(factors, order["FactorsIdentifiedAtAssessment"], year).get("AssessmentFactors"))]
                    for code in written:
                        rows.append(("cin_assessment_factors", key + (a_number, code)))
                cin_rules.check_assessment(note, assessment, file_year, authorised=end, factors=written)
                counts[0] += 1
        plan_dates = fields.get("CINPlanDates")
        if plan_dates is not None:
            for dates in _all(plan_dates):
                parts = _plain(dates, order["CINPlanDates"], year)
                rows.append(("cin_plan_dates", key + (_day(parts.get("CINPlanStartDate")),
                                                      _day(parts.get("CINPlanEndDate")))))
        enquiries = fields.get("Section47")
        if enquiries is not None:
            for e_number, enquiry in enumerate(_all(enquiries), start=1):
                parts = _plain(enquiry, order["Section47"], year)
                start = _day(parts.get("S47ActualStartDate"), required=True)
                target = _day(parts.get("InitialCPCtarget"))
                icpc_element = parts.get("DateOfInitialCPC")
                if icpc_element is not None:
                    conferences += 1
                rows.append(("cin_s47", key + (e_number, start, target, _day(icpc_element),
                                               _flag(parts.get("ICPCnotRequired")))))
                carried[2] += 1
                counts[1] += 1
        plans = fields.get("ChildProtectionPlans")
        if plans is not None:
            for p_number, plan in enumerate(_all(plans), start=1):
                self._plan(plan, key + (p_number,), rows, carried)
                counts[2] += 1
        carried[3] += conferences
        return closure

    def _plan(self, plan, key, rows, carried):
        """One ChildProtectionPlans, as CinChild.read_plan."""
        year, order, codes = self.year, self.order, self.codes
        parts = _plain(plan, order["ChildProtectionPlans"], year)
        start = _day(parts.get("CPPstartDate"), required=True)
        end = parts.get("CPPendDate")
        if end is not None:
            end = _day(end)
            carried[5] += 1
        initial = _code(parts.get("InitialCategoryOfAbuse"), codes["InitialCategoryOfAbuse"])
        latest = _code(parts.get("LatestCategoryOfAbuse"), codes["LatestCategoryOfAbuse"])
        previous = _text(parts.get("NumberOfPreviousCPP"))
        if not previous.isdecimal():
            raise Unusual
        reviews = [_day(review) for group in _all(parts.get("Reviews"))
                   for review in _all(_plain(group, order["Reviews"], year).get("CPPreviewDate"))]
        rows.append(("cin_plans", key + (start, end, initial, latest, int(previous))))
        for review in reviews:
            rows.append(("cin_plan_reviews", key + (review,)))
        carried[4] += 1
        carried[6] += 1


def _plain(container, order, year):
    """CinChild.parts of a container in which there is nothing to note, else Unusual."""
    if container.__class__ is list:
        raise Unusual  # a container the schema has once, repeated
    text = container.text
    if text is not None and not text.isspace():
        raise Unusual
    parts = {}
    last = -1
    get = order.get
    for item in container:
        tail = item.tail
        if tail is not None and not tail.isspace():
            raise Unusual
        tag = item.tag
        position = get(tag)
        if position is None:
            if isinstance(tag, str) and cin_schema.ADDED_LATER.get(tag, 9999) > year:
                raise Unusual
            continue  # a processing instruction, or an element known to this year and read by no figure
        if position > last:
            last = position
            parts[tag] = item
        elif position == last:  # repeated
            previous = parts[tag]
            if previous.__class__ is list:
                previous.append(item)
            else:
                parts[tag] = [previous, item]
        else:
            raise Unusual
    return parts


def _leaf(element, required):
    """Whether a leaf is there: False for none where none is required; Unusual for none where one is, or for a
    repeated leaf or one with elements in it."""
    if element is None:
        if required:
            raise Unusual
        return False
    if element.__class__ is list or len(element):
        raise Unusual
    return True


def _text(element):
    """The text of a required leaf with no spaces around it, "" for none, else Unusual."""
    _leaf(element, True)
    text = element.text
    if text is None:
        return ""
    if text != text.strip():
        raise Unusual
    return text


def _day(element, required=False):
    """The date of a leaf written YYYY-MM-DD, None for no leaf (unless required), else Unusual."""
    if not _leaf(element, required):
        return None
    text = element.text
    # With its dashes in place, fromisoformat takes only digits (without, it takes "20210331  ", spaces and all).
    if text is None or len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise Unusual
    try:
        return _fromisoformat(text)
    except ValueError:
        raise Unusual from None


def _code(element, allowed, required=True):
    """The code of a leaf, in the year's list; None for no leaf or an empty one where none is required; else
    Unusual."""
    if not _leaf(element, required):
        return None
    text = element.text
    if text in allowed:
        return text
    if text is None and not required:
        return None
    raise Unusual


def _flag(element):
    """A required yes/no leaf written 1 or 0, else Unusual."""
    _leaf(element, True)
    text = element.text
    if text == "1":
        return True
    if text == "0":
        return False
    raise Unusual


def _given(value):
    """Whether an element is there with something written in it."""
    element = _first(value)
    return element is not None and bool((element.text or "").strip())


def _all(value):
    return value if isinstance(value, list) else () if value is None else (value,)


def _loose_date(text):
    """A date with a time after it (2021-03-31T00:00:00, 2021-03-31 00:00), as some systems write; else None."""
    if len(text) > 10 and text[10] in "T " and text[4] == "-":
        return _fromisoformat(text[:10])
    return None


def _previous_referrals(dates):
    """For each referral date, the latest of the child's other referral dates strictly before it (or None).

    A child's episodes all sit in its one <Child> element, in any order; stored with each episode, this makes a
    re-referral ("within 12 months of the previous referral") a condition on one row."""
    known = sorted(d for d in dates if d is not None)
    return [max((d for d in known if d < day), default=None) if day else None for day in dates]


class CinLoader:
    def __init__(self, *, path, name, la, year, store, pseudonymise, progress=None):
        self.path, self.name, self.la, self.requested_year = path, name, la, year
        self.store, self.pseudonymise, self.progress = store, pseudonymise, progress
        self.problems = ProblemList(name)  # reasons to refuse the file
        self.findings = Findings(name)  # errors and warnings of a file that loads
        self.counts = {"children": 0, "referrals": 0, "assessments": 0, "s47_enquiries": 0, "plans": 0}
        self.year = None
        self.schema = None
        self.writer = None

    def _header(self, header):
        """The collection year the header gives (its ReferenceDate, else its Year), or None; refusals noted."""
        file_la = file_year = reference = year_text = reference_day = None
        for element in header.iter("LEA", "Year", "ReferenceDate"):
            text = (element.text or "").strip()
            where = f"line {element.sourceline}"
            if element.tag == "LEA":
                file_la = text
            elif element.tag == "Year":
                year_text = text
                file_year = int(text) if text.isdecimal() and len(text) == 4 else None
                if file_year is None:
                    self.findings.add(E_NUMBER, where=where, field="Year", value=text,
                                      message=f"{text!r} is not a year; expected e.g. 2021")
            elif element.tag == "ReferenceDate":
                try:
                    reference_day = _fromisoformat(text[:10])
                    reference = collection_year_of(reference_day)
                except ValueError:
                    self.findings.add(E_DATE, where=where, field="ReferenceDate", value=text,
                                      message=f"{text!r} is not a date; expected YYYY-MM-DD, e.g. 2021-03-31")
        if file_la and file_la.lstrip("0").zfill(3) != self.la:
            self.problems.add(f"line {header.sourceline}", "LEA",
                              f"the file is for local authority {file_la}, but it is being loaded for local authority {self.la}")
        if reference and file_year and reference != file_year:
            self.findings.add(W_HEADER, where=f"line {header.sourceline}", field="Year", value=str(file_year),
                              message=f"the header says Year {file_year} but its ReferenceDate is in the {reference} "
                                      f"collection year; read as {reference}")
        cin_rules.check_header(self.findings, year_text=year_text, reference=reference_day,
                               where=f"line {header.sourceline}")
        return reference or file_year

    def _year_from_dates(self):
        """The collection year of the latest referral date in the file, for a file whose header gives none."""
        latest = None
        events = etree.iterparse(str(self.path), events=("end",), tag="CINreferralDate", resolve_entities=False,
                                 no_network=True, load_dtd=False, huge_tree=False)
        for _, element in events:
            try:
                day = _fromisoformat((element.text or "").strip()[:10])
            except ValueError:
                day = None
            if day and (latest is None or day > latest):
                latest = day
            element.clear()
        return collection_year_of(latest) if latest else None

    def load(self, sha256):
        import os

        total = os.path.getsize(self.path)
        with open(self.path, "rb") as raw:
            head = raw.read(65536)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                self._refuse_dtd("line 1")
            raw.seek(0)
            reader = CountingReader(raw, total, self.progress)
            events = etree.iterparse(reader, events=("end",), tag=("Header", "Child"), resolve_entities=False,
                                     no_network=True, load_dtd=False, huge_tree=False, remove_comments=True,
                                     remove_blank_text=True)
            try:
                self._run(events, sha256)
            except etree.XMLSyntaxError as error:
                line = getattr(error, "lineno", None) or (error.position[0] if error.position else "?")
                if any(sign in str(error) for sign in ("amplification", "entity reference loop")):
                    self._refuse_dtd(f"line {line}")  # entities declared past the first 64 KB, caught by libxml2
                self.problems.items.append(_syntax_problem(self.name, line, error))
                raise ReturnRejected(self.problems.items, self.problems.more) from None
        if self.progress:
            self.progress(total, total)
        return self.counts

    def _refuse_dtd(self, where):
        self.problems.add(where, "", "the file declares a DTD or entities, which a CIN census file never does; "
                                     "refused for safety (XML entity attacks)")
        self.problems.reject()

    def _run(self, events, sha256):
        iterator = iter(events)
        first_child = None
        year = None
        for _, element in iterator:
            if element.getroottree().docinfo.doctype:  # declared after a long comment, past the first 64 KB
                self._refuse_dtd("before the <Message> element")
            if element.tag == "Header":
                year = self._header(element)
                element.clear()
                continue
            first_child = element
            break
        root = events.root
        if root is not None and root.tag != "Message":
            self.problems.add(f"line {root.sourceline}", "", f"the root element is <{root.tag}>, not <Message>: "
                                                             "this is not a CIN census file")
            self.problems.reject()
        if first_child is None:
            self.problems.add("", "", "no <Child> records found: this is not a CIN census file, or it is empty")
            self.problems.reject()
        if self.requested_year and year and year != self.requested_year:
            self.problems.add("Header", "ReferenceDate",
                              f"the file is the {year} return, not {self.requested_year} as asked")
        if self.problems:
            self.problems.reject()
        self.year = year or self.requested_year or self._year_from_dates()
        if self.year is None:
            self.problems.add("Header", "ReferenceDate", "the collection year is not in the file, and it has no "
                                                         "referral dates to tell it from; give it with --year")
            self.problems.reject()
        self.schema = cin_schema.for_year(self.year)
        with self.store.replacing(la=self.la, year=self.year, kind="cin", source=self.name, sha256=sha256) as writer:
            self.writer = writer
            ordinal = 0
            element = first_child
            plain = PlainReader(self)  # a child with nothing to note is read quickly, any other carefully (ADR 0019)
            while element is not None:
                ordinal += 1
                try:
                    plain.read(element, ordinal)
                except Unusual:
                    CinChild(self, element, ordinal).read()
                # Free what has been read: the element and the siblings before it.
                element.clear(keep_tail=True)
                parent = element.getparent()
                while element.getprevious() is not None:
                    del parent[0]
                element = next(iterator, (None, None))[1]
            plain.finish()
            if root is None:
                root = events.root
            if root is not None and root.tag != "Message":
                self.problems.add("line 1", "", f"the root element is <{root.tag}>, not <Message>")
            for field, unreadable, carried in self.findings.untrustworthy():
                self.problems.add("", field, f"{unreadable:,} of the {carried:,} records with {field} have no date or "
                                             f"number that can be read (more than {REFUSAL_SHARE:.0%}): the figures "
                                             "it feeds could not be trusted; correct the export and upload it again")
            if self.problems:
                self.problems.reject()  # raises inside the transaction: nothing is written


def _syntax_problem(name, line, error):
    from safeguarding.returns.problems import Problem

    message = str(error.msg if hasattr(error, "msg") else error)
    return Problem(name, f"line {line}", "", f"the file is not well-formed XML ({message}); expected a complete "
                                             "CIN census XML file")
