"""Load the SSDA903 looked-after children return (CSV tables) into the analytical store.

Each file is recognised by its header row, not its name. The header and episodes tables are
needed; the other 903 tables are recognised and left out, because no indicator uses them
(data minimisation). Postcodes and the mother's child's date of birth are never stored.

The files are streamed: each is read row by row with csv.reader and its rows are written in batches
as they are checked, so memory does not grow with the size of the files. What is kept across rows is
the pseudonym of each child of the header table (episodes must belong to a child of the header table,
and each child's identifier is hashed once) and each child's count of episodes (episode numbers).
When the collection year is not given, the episodes table is read once first, for its latest date.
"""
import codecs
import contextlib
import csv
import datetime

from safeguarding.returns import codes
from safeguarding.returns.findings import Findings
from safeguarding.returns.problems import ProblemList, ReturnRejected

HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODE_COLUMNS = ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                   "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN")
NEEDED = ("header", "episodes")
# Other tables of the return, recognised by these columns.
OTHER_TABLES = {
    "reviews": {"CHILD", "DOB", "REVIEW", "REVIEW_CODE"},
    "uasc": {"CHILD", "SEX", "DOB", "DUC"},
    "missing": {"CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"},
    "oc2": {"CHILD", "DOB", "SDQ_SCORE", "CONVICTED"},
    "oc3": {"CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"},
    "ad1": {"CHILD", "DOB", "DATE_INT", "DATE_MATCH"},
    "placed_for_adoption": {"CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED"},
    "previous_permanence": {"CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"},
    "social_worker_episodes": {"CHILD", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"},
}
CHUNK = 1 << 20
MAX_CACHED_DATES = 100_000  # more than every date from 1900 to 2100
ENCODINGS = ("utf-8-sig", "cp1252")
MOTHER = {"1": True, "0": False, "": None}
# What a problem with an episode's code says is expected
EXPECTED_CODE = {field: ", ".join(sorted(allowed)) if len(allowed) <= 14 else f"a {field} code of the SSDA903"
                 for field, allowed in (("RNE", codes.REASON_NEW_EPISODE), ("LS", codes.LEGAL_STATUS),
                                        ("PLACE", codes.PLACEMENT), ("REC", codes.REASON_EPISODE_CEASED))}


def text_encoding(path):
    """Return files are UTF-8, sometimes Windows-1252 from older systems; anything else is not a return (None).

    The file is read in chunks, never whole: a file that is valid UTF-8 (a byte-order mark allowed) is UTF-8,
    otherwise one that is valid Windows-1252; a NUL byte anywhere means it is not text.
    """
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as handle:
                for chunk in iter(lambda: handle.read(CHUNK), b""):
                    if b"\x00" in chunk:
                        return None
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def recognise(columns):
    """Which 903 table a header row belongs to, or None."""
    names = tuple(c.strip().upper() for c in columns)
    if set(HEADER_COLUMNS) <= set(names):
        return "header"
    if set(EPISODE_COLUMNS) <= set(names):
        return "episodes"
    for table, needed in OTHER_TABLES.items():
        if needed <= set(names):
            return table
    return None


_date = datetime.date
_strptime = datetime.datetime.strptime


def parse_date(text):
    """A date written dd/mm/yyyy, exactly as datetime.strptime(text, "%d/%m/%Y") reads it; ValueError otherwise.

    The usual form (two-digit day and month, four-digit year) is read directly, which is several times
    faster; anything else goes to strptime.
    """
    if len(text) == 10 and text[2] == "/" and text[5] == "/" and text.isascii():
        day, month, year = text[:2], text[3:5], text[6:]
        if day.isdigit() and month.isdigit() and year.isdigit():
            return _date(int(year), int(month), int(day))  # ValueError for a day or month out of range, year 0
    return _strptime(text, "%d/%m/%Y").date()


def collection_year_of(latest):
    """The collection year (to 31 March) a date falls in."""
    return latest.year + 1 if latest.month >= 4 else latest.year


class _NotCsv(Exception):
    """A file stopped being valid CSV part way through (csv.Error): (error, path)."""


class _Table:
    """One recognised file: where it is, how it is encoded, its column names (stripped, upper case)."""

    def __init__(self, path, encoding, columns):
        self.path, self.encoding, self.columns = path, encoding, columns
        self.read_through = False  # read to its end once, so it is valid CSV throughout

    @contextlib.contextmanager
    def rows(self):
        """An iterator of (row number, row) after the header row; csv.Error becomes _NotCsv.

        Lines end at "\\n" only (a lone "\\r" is not a line end), as when the text is read whole.
        """
        try:
            with open(self.path, encoding=self.encoding, newline="\n") as handle:
                reader = csv.reader(handle)
                next(reader, None)
                yield enumerate(reader, start=2)
        except csv.Error as error:
            raise _NotCsv(error, self.path) from None


class Ssda903Loader:
    def __init__(self, *, files, la, year, store, pseudonymise, progress=None):
        self.files, self.la, self.requested_year = files, la, year
        self.store, self.pseudonymise, self.progress = store, pseudonymise, progress
        self.problems = ProblemList(", ".join(p.name for p in files))
        self.findings = Findings(", ".join(p.name for p in files))
        self.counts = {"children": 0, "episodes": 0}
        self.ignored = []
        self.year = None
        self._dates = {}  # text -> date, for the texts that are dates: a return has a few thousand distinct dates

    # -- which file is which ---------------------------------------------------------------------
    def _tables(self, problems, whole=True):
        """The recognised tables, by kind; problems with the files as files (not text, not CSV, not a table).

        With whole=False, the header and episodes files are read only to their header row (their rows are
        read later, as they are loaded); every other file is read to its end, since a file that is not valid
        CSV is a problem wherever the fault is.
        """
        tables = {}
        for path in self.files:
            encoding = text_encoding(path)
            if encoding is None:
                problems.add("", "", "the file is not text (UTF-8 or Windows-1252): expected an SSDA903 CSV file",
                             file=path.name)
                continue
            try:
                with open(path, encoding=encoding, newline="\n") as handle:
                    reader = csv.reader(handle)
                    first = next(reader, None)
                    kind = None if first is None else recognise(first)
                    if first is not None and (whole or kind not in NEEDED or kind in tables):
                        for _ in reader:
                            pass
            except csv.Error as error:
                problems.add("", "", f"the file is not valid CSV ({error})", file=path.name)
                continue
            if first is None:
                problems.add("", "", "the file is empty; expected an SSDA903 CSV table", file=path.name)
                continue
            if kind is None:
                problems.add("row 1", "", "the header row is not one of the SSDA903 tables; expected "
                                          "e.g. " + ",".join(HEADER_COLUMNS) + " or "
                                          + ",".join(EPISODE_COLUMNS), file=path.name)
                continue
            if kind in tables:
                problems.add("", "", f"a second {kind} table; expected one of each table", file=path.name)
                continue
            tables[kind] = _Table(path, encoding, [c.strip().upper() for c in first])
        for needed in NEEDED:
            if needed not in tables and not problems:
                problems.add("", "", f"no {needed} table among the files; an SSDA903 return needs at least the "
                                     "header and episodes tables")
        return tables

    def _file_problems(self):
        """The problems with the files as files, found by reading every file to its end."""
        problems = ProblemList(", ".join(p.name for p in self.files))
        self._tables(problems, whole=True)
        return problems

    # -- loading ---------------------------------------------------------------------------------
    def load(self, sha256):
        tables = self._tables(self.problems, whole=False)
        if self.problems:
            self._file_problems().reject()
        self.ignored = sorted(k for k in tables if k not in NEEDED)
        header, episodes = tables["header"], tables["episodes"]
        try:
            return self._load(header, episodes, sha256)
        except _NotCsv as error:
            # A fault part way through a file: the return is rejected for its files, as before its rows.
            problems = self._file_problems()
            if not problems:  # the file changed while it was read
                fault, path = error.args
                problems.add("", "", f"the file is not valid CSV ({fault})", file=path.name)
            problems.reject()
        except ReturnRejected:
            # Problems with the rows; but a fault further on in a file not read to its end comes first.
            if not (header.read_through and episodes.read_through):
                problems = self._file_problems()
                if problems:
                    problems.reject()
            raise

    def _load(self, header, episodes, sha256):
        self.year = self.requested_year or self._year_from(episodes)
        if self.year is None:
            # Nothing can be written without the year: check the rows, to report their problems first.
            children = self._children(header, None)
            self._episodes(episodes, children, None)
            if not self.problems:
                self.problems.add("", "", "the collection year cannot be told from the files; give it with --year")
            self.problems.reject()
        source = ", ".join(p.name for p in self.files)
        outside_year = ProblemList(self.problems.file)
        with self.store.replacing(la=self.la, year=self.year, kind="ssda903", source=source, sha256=sha256) as writer:
            children = self._children(header, writer)
            count = self._episodes(episodes, children, writer, outside_year)
            # Either raises inside the transaction: nothing is written. Episodes outside the collection year
            # are reported only when nothing else is wrong.
            if self.problems:
                self.problems.reject()
            if outside_year:
                outside_year.reject()
        self.counts["children"] = len(children)
        self.counts["episodes"] = count
        if self.progress:
            self.progress(1, 1)
        return self.counts

    def _year_from(self, table):
        """The collection year of the latest start or end date among the episodes, or None.

        Only the two date columns are read; a text that is not a date is left out here and reported when the
        rows are checked, and the return is then rejected whatever year this gave.
        """
        columns = table.columns
        width = len(columns)
        decom, dec = columns.index("DECOM"), columns.index("DEC")
        dates, read = self._dates, self._read_date
        latest = None
        with table.rows() as rows:
            for _number, row in rows:
                if len(row) < width:
                    continue
                text = row[decom].strip()
                if text:
                    day = dates.get(text) or read(text)
                    if day and (latest is None or day > latest):
                        latest = day
                text = row[dec].strip()
                if text:
                    day = dates.get(text) or read(text)
                    if day and (latest is None or day > latest):
                        latest = day
            table.read_through = True
        return collection_year_of(latest) if latest else None

    def _read_date(self, text):
        """The date a text gives, remembered, or None if it is not one."""
        try:
            day = parse_date(text)
        except ValueError:
            return None
        if len(self._dates) < MAX_CACHED_DATES:
            self._dates[text] = day
        return day

    def _date(self, number, field, text, required=False):
        """The date a text gives, or None (and a problem if it is not a date, or missing and required)."""
        if not text:
            if required:
                self.problems.add(f"row {number}", field, "missing; expected a date written dd/mm/yyyy")
            return None
        day = self._read_date(text)
        if day is None:
            self.problems.add(f"row {number}", field, f"{text!r} is not a date; expected a date written dd/mm/yyyy")
        return day

    def _children(self, table, writer):
        """Check the header table's rows, writing each child; {identifier: pseudonym} of its children."""
        problems, la, year = self.problems, self.la, self.year
        problems.file = table.path.name
        items = problems.items
        columns = table.columns
        width = len(columns)
        i_child, i_sex, i_dob, i_ethnic, i_upn, i_mother = (columns.index(c) for c in (
            "CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER"))
        child_of, upn_of = self.pseudonymise.hasher(la), self.pseudonymise.upn
        date, sexes = self._date, codes.LAC_SEX
        months = {}  # text -> the first of its month, for the texts that are dates
        add = writer.add if writer is not None else None
        children = {}
        with table.rows() as rows:
            for number, row in rows:
                if problems.more:  # full: stop, as the problems say
                    break
                if not (row and (row[0].strip() or "".join(row).strip())):
                    continue  # a blank row
                if len(row) < width:
                    problems.add(f"row {number}", "", f"{len(row)} columns; expected {width}")
                    continue
                local_id = row[i_child].strip()
                if not local_id:
                    problems.add(f"row {number}", "CHILD", "missing; expected the child's identifier")
                    continue
                sex = row[i_sex].strip()
                if sex not in sexes:
                    problems.add(f"row {number}", "SEX", f"{sex!r} is not a valid code; expected 1 or 2")
                text = row[i_dob].strip()
                birth_month = months.get(text)
                if birth_month is None:
                    birth = date(number, "DOB", text, required=True)
                    birth_month = birth.replace(day=1) if birth else None
                    if birth_month and len(months) < MAX_CACHED_DATES:
                        months[text] = birth_month
                mother_code = row[i_mother].strip()
                mother = MOTHER.get(mother_code, "bad")
                if mother == "bad":
                    problems.add(f"row {number}", "MOTHER", f"{mother_code!r} is not valid; expected 1, 0 or empty")
                    mother = None
                if local_id in children:
                    problems.add(f"row {number}", "CHILD",
                                 "the same child appears twice in the header table; expected once")
                    continue
                child_id = children[local_id] = child_of(local_id)
                if add is not None and not items:
                    add("lac_children", (la, year, child_id, upn_of(row[i_upn].strip()), sex, birth_month,
                                         row[i_ethnic].strip() or None, mother))
            else:
                table.read_through = True
        return children

    def _episodes(self, table, children, writer, outside_year=None):
        """Check the episodes table's rows, writing each episode; how many there are."""
        problems, la, year = self.problems, self.la, self.year
        problems.file = table.path.name
        items = problems.items
        columns = table.columns
        width = len(columns)
        (i_child, i_decom, i_rne, i_ls, i_cin, i_place, i_provider, i_dec, i_rec, i_change) = (
            columns.index(c) for c in ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                                       "REASON_PLACE_CHANGE"))
        child_of = self.pseudonymise.hasher(la)
        dates, date = self._dates, self._date
        reasons_new, legal_statuses, placements, reasons_end = (
            codes.REASON_NEW_EPISODE, codes.LEGAL_STATUS, codes.PLACEMENT, codes.REASON_EPISODE_CEASED)
        expected_rne, expected_ls, expected_place, expected_rec = (
            EXPECTED_CODE[field] for field in ("RNE", "LS", "PLACE", "REC"))
        if year is not None:
            first_day, last_day = datetime.date(year - 1, 4, 1), datetime.date(year, 3, 31)
        add = writer.add if writer is not None else None
        name = table.path.name
        sequence = {}  # pseudonym -> episodes so far
        count = 0
        with table.rows() as rows:
            for number, row in rows:
                if problems.more:  # full: stop, as the problems say
                    break
                if not (row and (row[0].strip() or "".join(row).strip())):
                    continue  # a blank row
                if len(row) < width:
                    problems.add(f"row {number}", "", f"{len(row)} columns; expected {width}")
                    continue
                count += 1
                local_id = row[i_child].strip()
                if not local_id:
                    child_id = None
                    problems.add(f"row {number}", "CHILD", "missing; expected the child's identifier")
                else:
                    child_id = children.get(local_id)
                    if child_id is None:
                        child_id = child_of(local_id)
                        problems.add(f"row {number}", "CHILD", "this child is not in the header table; every "
                                                               "child with episodes needs a header row")
                start_text, end_text = row[i_decom].strip(), row[i_dec].strip()
                start = dates.get(start_text) or date(number, "DECOM", start_text, required=True)
                end = (dates.get(end_text) or date(number, "DEC", end_text)) if end_text else None
                rne, ls, place, reason_end = (row[i_rne].strip(), row[i_ls].strip(), row[i_place].strip(),
                                              row[i_rec].strip())
                # The first three are required: missing ('') is not in their lists either.
                if rne not in reasons_new:
                    problems.add(f"row {number}", "RNE", f"{rne!r} is not a valid code; expected {expected_rne}")
                if ls not in legal_statuses:
                    problems.add(f"row {number}", "LS", f"{ls!r} is not a valid code; expected {expected_ls}")
                if place not in placements:
                    problems.add(f"row {number}", "PLACE",
                                 f"{place!r} is not a valid code; expected {expected_place}")
                if reason_end and reason_end not in reasons_end:
                    problems.add(f"row {number}", "REC",
                                 f"{reason_end!r} is not a valid code; expected {expected_rec}")
                if bool(end) != bool(reason_end):
                    problems.add(f"row {number}", "REC" if end else "DEC",
                                 "an episode that has ended needs both DEC and REC; an open one neither")
                if start and end and end < start:
                    problems.add(f"row {number}", "DEC", f"ends ({end_text}) before it starts ({start_text})")
                if outside_year is not None:
                    if start and start > last_day:
                        outside_year.add(f"row {number}", "DECOM", f"starts after the end of the {year} collection "
                                                                   f"year (31 March {year})", file=name)
                    if end and end < first_day:
                        outside_year.add(f"row {number}", "DEC", f"ended before the {year} collection year began "
                                                                 f"(1 April {year - 1})", file=name)
                if add is not None and not items:
                    episode = sequence[child_id] = sequence.get(child_id, 0) + 1
                    add("lac_episodes", (la, year, child_id, episode, start, rne, ls, row[i_cin].strip() or None,
                                         place, row[i_provider].strip() or None, end, reason_end or None,
                                         row[i_change].strip() or None))
            else:
                table.read_through = True
        return count
