"""Stream a Children in Need census XML file into the analytical store.

The file is read once with lxml's iterparse, one <Child> at a time, each cleared once read, so
memory stays flat however large the file. Entities, DTDs and network access are off; a file that
declares a DTD is refused outright. Every problem is reported with its line, child and field; any
problem means nothing is loaded.
"""
import datetime

from lxml import etree

from safeguarding.returns import codes
from safeguarding.returns.problems import ProblemList, ReturnRejected

CHILD_PARTS = ("ChildIdentifiers", "ChildCharacteristics", "CINdetails")
IDENTIFIER_FIELDS = {"LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate", "ExpectedPersonBirthDate",
                     "GenderCurrent", "Sex", "PersonDeathDate"}
EPISODE_FIELDS = {"CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate", "ReasonForClosure",
                  "DateOfInitialCPC", "Assessments", "CINPlanDates", "Section47", "ReferralNFA",
                  "ChildProtectionPlans"}


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


def _text(element):
    text = element.text
    return text.strip() if text else ""


class CinChild:
    """Reads one <Child> element into rows, noting every problem."""

    def __init__(self, loader, element, ordinal):
        self.loader, self.element, self.ordinal = loader, element, ordinal
        self.where = f"line {element.sourceline}, child {ordinal}"
        self.problems = loader.problems

    def problem(self, element, field, message):
        where = f"line {element.sourceline}, child {self.ordinal}" if element is not None else self.where
        self.problems.add(where, field, message)

    def date(self, element, field):
        text = _text(element)
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            self.problem(element, field, f"{text!r} is not a date; expected a date written YYYY-MM-DD")
            return None

    def code(self, element, field, allowed, required=True):
        text = _text(element)
        if text in allowed:
            return text
        if not text and not required:
            return None
        shown = ", ".join(sorted(allowed)) if len(allowed) <= 12 else f"one of the {len(allowed)} codes of the CIN census"
        self.problem(element, field, f"{text!r} is not a valid code; expected {shown}")
        return None

    def flag(self, element, field):
        value = self.code(element, field, codes.YES_NO)
        return None if value is None else value == "1"

    def integer(self, element, field):
        text = _text(element)
        if text.isdigit():
            return int(text)
        self.problem(element, field, f"{text!r} is not a whole number; expected 0 or more")
        return None

    def unexpected(self, element, parent, allowed):
        self.problem(element, element.tag, f"unexpected element in {parent}; expected one of {', '.join(sorted(allowed))}")

    def read(self):
        loader = self.loader
        la, year = loader.la, loader.year
        found = {}
        episodes = []
        for part in self.element:
            if not isinstance(part.tag, str):
                continue  # comments
            if part.tag == "CINdetails":
                episodes.append(part)
            elif part.tag in CHILD_PARTS:
                found[part.tag] = part
            else:
                self.unexpected(part, "Child", CHILD_PARTS)
        ids = found.get("ChildIdentifiers")
        if ids is None:
            self.problem(self.element, "ChildIdentifiers", "missing; every child needs its identifiers")
            return
        fields = {}
        for item in ids:
            if isinstance(item.tag, str):
                if item.tag in IDENTIFIER_FIELDS:
                    fields[item.tag] = item
                else:
                    self.unexpected(item, "ChildIdentifiers", IDENTIFIER_FIELDS)
        local_id = _text(fields["LAchildID"]) if "LAchildID" in fields else ""
        if not local_id:
            self.problem(ids, "LAchildID", "missing; expected the child's identifier in the local authority's system")
            return
        child_id = loader.pseudonymise.child(la, local_id)
        upn = _text(fields["UPN"]) if "UPN" in fields else ""
        if "Sex" in fields:
            sex = self.code(fields["Sex"], "Sex", codes.SEX)
        elif "GenderCurrent" in fields:
            sex = self.code(fields["GenderCurrent"], "GenderCurrent", codes.GENDER)
        else:
            sex = None
            self.problem(ids, "Sex", "missing; expected Sex (from 2025) or GenderCurrent (to 2024)")
        birth = self.date(fields["PersonBirthDate"], "PersonBirthDate") if "PersonBirthDate" in fields else None
        death = self.date(fields["PersonDeathDate"], "PersonDeathDate") if "PersonDeathDate" in fields else None
        ethnicity, disabled = None, None
        characteristics = found.get("ChildCharacteristics")
        if characteristics is None:
            self.problem(self.element, "ChildCharacteristics", "missing; expected ethnicity (and disabilities)")
        else:
            for item in characteristics:
                if item.tag == "Ethnicity":
                    # Descriptive codes are checked by the quality report (rule 4220), not here.
                    ethnicity = _text(item) or None
                elif item.tag == "Disabilities":
                    values = {_text(d) for d in item if d.tag == "Disability"}
                    disabled = bool(values - {"NONE"})
        if not episodes:
            self.problem(self.element, "CINdetails", "missing; every child needs at least one CIN episode")
        writer = loader.writer
        writer.add("cin_children", (la, year, child_id, loader.pseudonymise.upn(upn), sex,
                                    birth.replace(day=1) if birth else None, ethnicity, disabled, death))
        loader.counts["children"] += 1
        previous = _previous_referrals([_referral_date(episode) for episode in episodes])
        for number, (episode, earlier) in enumerate(zip(episodes, previous), start=1):
            self.read_episode(episode, child_id, number, earlier)

    def read_episode(self, episode, child_id, number, previous_referral):
        loader = self.loader
        la, year, writer = loader.la, loader.year, loader.writer
        fields = {}
        assessments, plan_dates, enquiries, plans = [], [], [], []
        for item in episode:
            tag = item.tag
            if not isinstance(tag, str):
                continue
            if tag == "Assessments":
                assessments.append(item)
            elif tag == "Section47":
                enquiries.append(item)
            elif tag == "ChildProtectionPlans":
                plans.append(item)
            elif tag == "CINPlanDates":
                plan_dates.append(item)
            elif tag in EPISODE_FIELDS:
                fields[tag] = item
            else:
                self.unexpected(item, "CINdetails", EPISODE_FIELDS)
        if "CINreferralDate" not in fields:
            self.problem(episode, "CINreferralDate", "missing; every CIN episode starts with a referral date")
            referral = None
        else:
            referral = self.date(fields["CINreferralDate"], "CINreferralDate")
        source = _text(fields["ReferralSource"]) if "ReferralSource" in fields else None
        if "ReferralNFA" in fields:
            nfa = self.flag(fields["ReferralNFA"], "ReferralNFA")
        else:
            nfa = None
            self.problem(episode, "ReferralNFA", "missing; expected 0 or 1")
        closure = self.date(fields["CINclosureDate"], "CINclosureDate") if "CINclosureDate" in fields else None
        icpc = self.date(fields["DateOfInitialCPC"], "DateOfInitialCPC") if "DateOfInitialCPC" in fields else None
        writer.add("cin_episodes", (
            la, year, child_id, number, referral, source or None,
            _text(fields["PrimaryNeedCode"]) or None if "PrimaryNeedCode" in fields else None,
            closure, _text(fields["ReasonForClosure"]) or None if "ReasonForClosure" in fields else None, nfa, icpc,
            previous_referral))
        loader.counts["referrals"] += 1
        for a_number, assessment in enumerate(assessments, start=1):
            start = end = None
            factors = []
            for item in assessment:
                tag = item.tag
                if tag == "AssessmentActualStartDate":
                    start = self.date(item, tag)
                elif tag == "AssessmentAuthorisationDate":
                    end = self.date(item, tag)
                elif tag == "FactorsIdentifiedAtAssessment":
                    factors.extend(f for f in item if f.tag == "AssessmentFactors")
                elif tag == "AssessmentInternalReviewDate" or not isinstance(tag, str):
                    pass
                else:
                    self.unexpected(item, "Assessments", {"AssessmentActualStartDate", "AssessmentInternalReviewDate",
                                                         "AssessmentAuthorisationDate",
                                                         "FactorsIdentifiedAtAssessment"})
            if start is None and not any(i.tag == "AssessmentActualStartDate" for i in assessment):
                self.problem(assessment, "AssessmentActualStartDate", "missing; every assessment needs its start date")
            writer.add("cin_assessments", (la, year, child_id, number, a_number, start, end))
            for factor in factors:
                code = self.code(factor, "AssessmentFactors", codes.ASSESSMENT_FACTORS)
                writer.add("cin_assessment_factors", (la, year, child_id, number, a_number, code))
            loader.counts["assessments"] += 1
        for plan_date in plan_dates:
            start = end = None
            for item in plan_date:
                if item.tag == "CINPlanStartDate":
                    start = self.date(item, item.tag)
                elif item.tag == "CINPlanEndDate":
                    end = self.date(item, item.tag)
            writer.add("cin_plan_dates", (la, year, child_id, number, start, end))
        for e_number, enquiry in enumerate(enquiries, start=1):
            values = {"S47ActualStartDate": None, "InitialCPCtarget": None, "DateOfInitialCPC": None}
            not_required = None
            seen = set()
            for item in enquiry:
                tag = item.tag
                seen.add(tag)
                if tag in values:
                    values[tag] = self.date(item, tag)
                elif tag == "ICPCnotRequired":
                    not_required = self.flag(item, tag)
                elif isinstance(tag, str):
                    self.unexpected(item, "Section47", set(values) | {"ICPCnotRequired"})
            if "S47ActualStartDate" not in seen:
                self.problem(enquiry, "S47ActualStartDate", "missing; every Section 47 enquiry needs its start date")
            if "ICPCnotRequired" not in seen:
                self.problem(enquiry, "ICPCnotRequired", "missing; expected 0 or 1")
            writer.add("cin_s47", (la, year, child_id, number, e_number, values["S47ActualStartDate"],
                                   values["InitialCPCtarget"], values["DateOfInitialCPC"], not_required))
            loader.counts["s47_enquiries"] += 1
        for p_number, plan in enumerate(plans, start=1):
            start = end = initial = latest = previous = None
            seen = set()
            reviews = []
            for item in plan:
                tag = item.tag
                seen.add(tag)
                if tag == "CPPstartDate":
                    start = self.date(item, tag)
                elif tag == "CPPendDate":
                    end = self.date(item, tag)
                elif tag == "InitialCategoryOfAbuse":
                    initial = self.code(item, tag, codes.CATEGORY_OF_ABUSE)
                elif tag == "LatestCategoryOfAbuse":
                    latest = self.code(item, tag, codes.CATEGORY_OF_ABUSE)
                elif tag == "NumberOfPreviousCPP":
                    previous = self.integer(item, tag)
                elif tag == "Reviews":
                    reviews.extend(r for r in item if r.tag == "CPPreviewDate")
                elif isinstance(tag, str):
                    self.unexpected(item, "ChildProtectionPlans", {"CPPstartDate", "CPPendDate",
                                                                   "InitialCategoryOfAbuse", "LatestCategoryOfAbuse",
                                                                   "NumberOfPreviousCPP", "Reviews"})
            for required in ("CPPstartDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse", "NumberOfPreviousCPP"):
                if required not in seen:
                    self.problem(plan, required, "missing; every child protection plan needs it")
            writer.add("cin_plans", (la, year, child_id, number, p_number, start, end, initial, latest, previous))
            for review in reviews:
                writer.add("cin_plan_reviews", (la, year, child_id, number, p_number, self.date(review, review.tag)))
            loader.counts["plans"] += 1


def _referral_date(episode):
    """The episode's referral date, or None when it is missing or not a date (read_episode reports that)."""
    for item in episode:
        if item.tag == "CINreferralDate":
            try:
                return datetime.date.fromisoformat(_text(item))
            except ValueError:
                return None
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
        self.problems = ProblemList(name)
        self.counts = {"children": 0, "referrals": 0, "assessments": 0, "s47_enquiries": 0, "plans": 0}
        self.year = None
        self.writer = None

    def _header(self, header):
        file_la = file_year = reference = None
        for element in header.iter("LEA", "Year", "ReferenceDate"):
            text = _text(element)
            if element.tag == "LEA":
                file_la = text
            elif element.tag == "Year":
                file_year = int(text) if text.isdigit() else None
                if file_year is None:
                    self.problems.add(f"line {element.sourceline}", "Year", f"{text!r} is not a year; expected e.g. 2021")
            elif element.tag == "ReferenceDate":
                try:
                    reference = datetime.date.fromisoformat(text)
                except ValueError:
                    self.problems.add(f"line {element.sourceline}", "ReferenceDate",
                                      f"{text!r} is not a date; expected YYYY-MM-DD, e.g. 2021-03-31")
        if file_la and file_la != self.la:
            self.problems.add(f"line {header.sourceline}", "LEA",
                              f"the file is for local authority {file_la}, not {self.la} as asked")
        year = file_year or (reference.year if reference else None)
        if self.requested_year and year and year != self.requested_year:
            self.problems.add(f"line {header.sourceline}", "Year",
                              f"the file is the {year} return, not {self.requested_year} as asked")
        return year or self.requested_year

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
                                     no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
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
        self.year = self.requested_year
        for _, element in iterator:
            if element.getroottree().docinfo.doctype:  # declared after a long comment, past the first 64 KB
                self._refuse_dtd("before the <Message> element")
            if element.tag == "Header":
                self.year = self._header(element)
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
        if self.year is None:
            self.problems.add("Header", "Year", "the collection year is not in the file; give it with --year")
        if self.problems:
            self.problems.reject()
        with self.store.replacing(la=self.la, year=self.year, kind="cin", source=self.name, sha256=sha256) as writer:
            self.writer = writer
            ordinal = 0
            element = first_child
            while element is not None:
                ordinal += 1
                CinChild(self, element, ordinal).read()
                # Free what has been read: the element and the siblings before it.
                element.clear(keep_tail=True)
                parent = element.getparent()
                while element.getprevious() is not None:
                    del parent[0]
                if self.problems.full:
                    break
                element = next(iterator, (None, None))[1]
            if root is None:
                root = events.root
            if root is not None and root.tag != "Message":
                self.problems.add("line 1", "", f"the root element is <{root.tag}>, not <Message>")
            if self.problems:
                self.problems.reject()  # raises inside the transaction: nothing is written


def _syntax_problem(name, line, error):
    from safeguarding.returns.problems import Problem

    message = str(error.msg if hasattr(error, "msg") else error)
    return Problem(name, f"line {line}", "", f"the file is not well-formed XML ({message}); expected a complete "
                                             "CIN census XML file")
