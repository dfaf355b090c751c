"""Load the SSDA903 looked-after children return into the analytical store, as councils send it.

The return comes as CSV files (one a table) or one Excel workbook (.xlsx, a sheet a table). Each table is told by
its header row, not its name; column names are read whatever their case or spacing. The header and episodes tables
are loaded; the other tables of the return are recognised and left out, because no indicator uses them (data
minimisation). Postcodes, URNs and the mother's child's date of birth are never stored.

What happens to a file (docs/returns.md, SSDA903):
- **refused** (ReturnRejected, store unchanged): a file that is not text, not CSV, not a workbook, not an SSDA903
  table; no episodes table; rows for another authority; an indicator field (DECOM, DEC, LS, RNE, REC)
  unreadable in more of the records than findings.untrustworthy() allows.
- **errors**: the DfE rules (ssda903_rules.R) broken. An episode whose start, end or legal status cannot be read is
  not written (left out of the looked-after figures, counted in findings.left_out); an unreadable reason for a new
  episode or for its end is stored blank (left out of starts, or of ceased).
- **warnings**: spaces, lower-case codes, dates in other formats, column names, extra columns.

The files are streamed: each table is read row by row (csv.reader, or openpyxl in read-only mode) and its rows
are written in batches as they are checked, so memory does not grow with the size of the files. Kept across rows:
each child's pseudonym and date of birth (to check episodes against the header table) and each child's count of
episodes (episode numbers). When the collection year is not given, the episodes table is read once first, for its
latest date. The rules that compare a child's episodes with each other run on the store once loaded (quality.py).
"""
import codecs
import contextlib
import csv
import datetime
import operator
import re
from collections import Counter

from safeguarding.returns import ssda903_rules as spec
from safeguarding.returns.findings import LAC_FIGURES, REFUSAL_MINIMUM, REFUSAL_SHARE, Findings
from safeguarding.returns.problems import ProblemList, ReturnRejected
from safeguarding.working_days import financial_year as collection_year_of  # the DfE calls it the collection year
from safeguarding.working_days import year_label

R = spec.R
HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODE_COLUMNS = ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                   "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN")
NEEDED = spec.NEEDED
CHUNK = 1 << 20
MAX_CACHED_DATES = 100_000  # more than every date from 1900 to 2100
ENCODINGS = ("utf-8-sig", "cp1252")
MOTHER = {"1": True, "0": False, "": None}
CANONICAL = "dd/mm/yyyy"
# Stored for a code outside its list in a field no figure reads (CIN, PLACE, PLACE_PROVIDER, REASON_PLACE_CHANGE):
# the rules that compare episodes see that something was given; what was written is not kept (it could be a
# postcode or a name typed in the wrong column).
NOT_A_CODE = "?"
# What an indicator field holds, said when it cannot be read
EXPECTED = {"DECOM": "a date, e.g. 31/03/2021", "DEC": "a date, e.g. 31/03/2021, with REC",
            "LS": "a legal status code: " + spec.expected(spec.LEGAL_STATUS),
            "RNE": "a reason for new episode code: " + spec.expected(spec.REASON_NEW_EPISODE),
            "REC": "a reason episode ceased code: " + spec.expected(spec.REASON_CEASED)}


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
    return spec.recognise([spec.normalise_column(c) for c in columns])


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


# The other ways councils' systems write a date; a time of day after it is ignored. Two-digit years are not
# read: 01/06/20 could be 1920 or 2020.
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})" + _TIME, re.ASCII)
_YEAR_FIRST = re.compile(r"(\d{4})([/.-])(\d{1,2})\2(\d{1,2})" + _TIME, re.ASCII)


def read_date(text):
    """(date, how it was written) for a date in any of the forms councils use; (None, None) if it is not one."""
    if len(text) == 10 and text.isascii():
        try:
            return parse_date(text), CANONICAL
        except ValueError:
            pass
    match = _DAY_FIRST.fullmatch(text)
    if match:
        day, separator, month, year = match.groups()
        how = f"dd{separator}mm{separator}yyyy" if len(day) == len(month) == 2 else f"d{separator}m{separator}yyyy"
    else:
        match = _YEAR_FIRST.fullmatch(text)
        if not match:
            return None, None
        year, separator, month, day = match.groups()
        how = f"yyyy{separator}mm{separator}dd"
    if match.end(4) < len(text):
        how += " with a time"
    try:
        return _date(int(year), int(month), int(day)), how
    except ValueError:
        return None, None


def _years_after(born, years):
    """The day a child born on `born` is `years` old (29 February: 1 March)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return _date(born.year + years, 3, 1)


def is_workbook(path):
    with open(path, "rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def _cell(value):
    """A workbook cell as the text a CSV file would hold: dates dd/mm/yyyy, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (datetime.datetime, datetime.date)):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _NotCsv(Exception):
    """A file stopped being valid CSV (csv.Error), or a workbook's sheet readable, part way through: (error, path)."""


def _sheet_rows(rows, number, path):
    """(row number, row of texts) for the rows of a sheet after row `number`; a sheet openpyxl cannot read on
    (its XML broken part way) becomes _NotCsv."""
    try:
        for values in rows:
            number += 1
            yield number, [_cell(v) for v in values]
    except Exception as error:  # openpyxl and the XML parser raise many kinds
        raise _NotCsv(f"row {number + 1} of a sheet cannot be read: {type(error).__name__}", path) from None


class _Table:
    """One recognised table: a CSV file, or a sheet of a workbook; its columns, normalised, and where they are."""

    def __init__(self, path, kind, raw_columns, *, encoding=None, sheet=None, book=None):
        self.path, self.kind, self.encoding, self.sheet, self.book = path, kind, encoding, sheet, book
        self.raw_columns = [str(c) if c is not None else "" for c in raw_columns]
        self.columns = [spec.normalise_column(c) for c in self.raw_columns]
        self.name = f"{path.name}, sheet {sheet}" if sheet is not None else path.name
        self.read_through = False  # read to its end once, so it is valid CSV throughout

    def index(self, column):
        """Where a column is, or None if the table lacks it (the first, if it is there twice)."""
        try:
            return self.columns.index(column)
        except ValueError:
            return None

    def looseness(self):
        """(rule, column, what) for each way its header row differs from the DfE's."""
        telling, others = spec.TABLES[self.kind]
        known = set(telling) | set(others)
        found = []
        for raw, column in zip(self.raw_columns, self.columns):
            if column and raw != column:
                found.append(("L-COLUMN", column, f"written {raw!r}"))
            if column and column not in known:
                found.append(("L-EXTRA", column, "ignored"))
        if self.kind in NEEDED:
            for column in others:
                if column not in self.columns:
                    found.append(("L-ABSENT", column, "read as blank"))
        return found

    @contextlib.contextmanager
    def rows(self):
        """An iterator of (row number, row of texts) after the header row; csv.Error becomes _NotCsv.

        CSV lines end at "\\n" only (a lone "\\r" is not a line end), as when the text is read whole.
        """
        if self.sheet is not None:  # the workbook is open (Ssda903Loader._book) until the import ends
            rows = self.book[self.sheet].iter_rows(values_only=True)
            number = 0
            for number, values in enumerate(rows, start=1):  # up to and including the header row
                if any(v is not None and str(v).strip() for v in values):
                    break
            yield _sheet_rows(rows, number, self.path)
            return
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
        self._dates = {}  # text -> date, for the texts written dd/mm/yyyy: a return has a few thousand distinct dates
        self._loose_dates = {}  # text -> (date, how), for the others
        self._loose = {}  # (rule, table, column, detail) -> [count, first row]
        self._sheets_ignored = []
        self._un4 = set()  # children whose UPN is UN4 (newly looked after, UPN to come): few
        self._books = {}  # path -> the open workbook
        self._with_episodes, self._care_leavers = set(), set()  # children with episodes, in the OC3 table

    # -- which file is which ---------------------------------------------------------------------
    def _tables(self, problems, whole=True):
        """The recognised tables, by kind; problems with the files as files (not text, not CSV, not a table).

        With whole=False, the header and episodes files are read only to their header row (their rows are
        read later, as they are loaded); every other CSV file is read to its end, since a file that is not valid
        CSV is a problem wherever the fault is.
        """
        tables = {}
        found = []
        for path in self.files:
            if is_workbook(path):
                found.extend(self._sheets(path, problems))
                continue
            encoding = text_encoding(path)
            if encoding is None:
                problems.add("", "", "the file is not text (UTF-8 or Windows-1252): expected an SSDA903 CSV file "
                                     "or an Excel .xlsx workbook", file=path.name)
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
            found.append(_Table(path, kind, first, encoding=encoding))
        for table in found:
            if table.kind in tables:
                problems.add("", "", f"a second {table.kind} table (the first is {tables[table.kind].name}); "
                                     "expected one of each table", file=table.name)
                continue
            tables[table.kind] = table
        if "episodes" not in tables and not problems:
            problems.add("", "", "no episodes table among the files; an SSDA903 return needs at least the "
                                 "episodes table (CHILD, DECOM, RNE, LS, CIN, PLACE, PLACE_PROVIDER, DEC, REC, ...)")
        return tables

    def _sheets(self, path, problems):
        """The SSDA903 tables among a workbook's sheets (the importer has checked it is a workbook, safely)."""
        try:
            book = self._book(path)
        except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
            problems.add("", "", f"the file cannot be read as an Excel .xlsx workbook ({type(error).__name__}); "
                                 "save it again as .xlsx, or each table as CSV", file=path.name)
            return []
        tables, ignored = [], []
        for sheet in book.worksheets:
            first = None
            for values in sheet.iter_rows(values_only=True):
                if any(v is not None and str(v).strip() for v in values):
                    first = [_cell(v) for v in values]
                    while first and not first[-1].strip():
                        first.pop()
                    break
            if first is None:
                continue  # an empty sheet
            kind = recognise(first)
            if kind is None:
                ignored.append(sheet.title)
                continue
            tables.append(_Table(path, kind, first, sheet=sheet.title, book=book))
        if not tables:
            problems.add("", "", "no sheet of the workbook is an SSDA903 table (each sheet's first row must name "
                                 "its columns, e.g. " + ",".join(EPISODE_COLUMNS) + ")", file=path.name)
        self._sheets_ignored = [(path.name, title) for title in ignored]
        return tables

    def _book(self, path):
        """A workbook opened once for the whole import (openpyxl reads each sheet through once when it opens a
        workbook whose sheets do not give their size, so opening it for each pass would double the work)."""
        book = self._books.get(path)
        if book is None:
            import openpyxl

            book = self._books[path] = openpyxl.load_workbook(path, read_only=True, data_only=True)
        return book

    def _file_problems(self):
        """The problems with the files as files, found by reading every file to its end."""
        problems = ProblemList(", ".join(p.name for p in self.files))
        self._tables(problems, whole=True)
        return problems

    # -- loading ---------------------------------------------------------------------------------
    def load(self, sha256):
        try:
            return self._checked_load(sha256)
        finally:
            for book in self._books.values():
                book.close()

    def _checked_load(self, sha256):
        tables = self._tables(self.problems, whole=False)
        if self.problems:
            self._file_problems().reject()
        self.ignored = sorted(k for k in tables if k not in NEEDED)
        header, episodes = tables.get("header"), tables["episodes"]
        findings = self.findings
        for file, title in self._sheets_ignored:
            findings.add(R["L-SHEET"], where=f"{file}, sheet {title}", message=f"sheet {title!r} is not an SSDA903 "
                                                                               "table: ignored")
        for table in tables.values():
            for code, column, what in table.looseness():
                findings.add(R[code], where=table.name, field=column, message=f"{R[code].title}: {column} {what}")
        if header is None:
            findings.add(R["S-HEADER"], where=episodes.name,
                         message="no header table among the files: the episodes are loaded, the children's sex, "
                                 "date of birth and ethnicity are unknown; send the header table to complete them")
        try:
            return self._load(header, episodes, sha256, tables)
        except _NotCsv as error:
            # A fault part way through a file: the return is rejected for its files, as before its rows.
            problems = self._file_problems()
            if not problems:  # the file changed while it was read
                fault, path = error.args
                what = "Excel workbook cannot be read on" if is_workbook(path) else "file is not valid CSV"
                problems.add("", "", f"the {what} ({fault})", file=path.name)
            problems.reject()
        except ReturnRejected:
            # Problems with the rows; but a fault further on in a file not read to its end comes first.
            if not ((header is None or header.read_through) and episodes.read_through):
                problems = self._file_problems()
                if problems:
                    problems.reject()
            raise

    def _load(self, header, episodes, sha256, tables):
        self.year = self.requested_year or self._year_from(episodes)
        if self.year is None:
            self.problems.add("", "", "the collection year cannot be told from the files (no episode has a date that "
                                      "can be read); give it with --year", file=episodes.name)
            self.problems.reject()
        source = ", ".join(p.name for p in self.files)
        with self.store.replacing(la=self.la, year=self.year, kind="ssda903", source=source, sha256=sha256) as writer:
            children = self._children(header, writer) if header is not None else {}
            count = self._episodes(episodes, children, writer, has_header=header is not None)
            if header is not None:
                for kind, table in sorted(tables.items()):
                    if kind in spec.AGAINST_HEADER:
                        self._against_header(table, children)
                for local_id, (child_id, *_) in children.items():
                    if local_id not in self._with_episodes and local_id not in self._care_leavers:
                        self.findings.add(R["EPI"], where=header.name, field="CHILD", child=child_id)
            self._report_loose()
            # Either raises inside the transaction: nothing is written.
            if self.problems:
                self.problems.reject()
            self._refuse_if_untrustworthy(episodes)
        self.counts["children"] = len(children)
        self.counts["episodes"] = count
        if self.progress:
            self.progress(1, 1)
        return self.counts

    def _refuse_if_untrustworthy(self, table):
        for field, unreadable, carried in self.findings.untrustworthy():
            self.problems.add("", field, f"{unreadable:,} of the {carried:,} episodes that should have a {field} have "
                                         "none that can be read "
                                         f"(more than {REFUSAL_SHARE:.0%}, and more than {REFUSAL_MINIMUM}): the "
                                         f"looked-after figures could not be trusted; expected {EXPECTED[field]}",
                              file=table.name)
        if self.problems:
            self.problems.reject()

    def _year_from(self, table):
        """The collection year of the latest start or end date among the episodes, or None.

        Only the two date columns are read; a text that is not a date is left out here and reported when the
        rows are checked.
        """
        decom, dec = table.index("DECOM"), table.index("DEC")
        width = max(decom, dec) + 1
        dates, read = self._dates, self._any_date
        latest = None
        with table.rows() as rows:
            for _number, row in rows:
                if len(row) < width:
                    continue
                text = row[decom].strip()
                if text:
                    day = dates.get(text) or read(text)[0]
                    if day and (latest is None or day > latest):
                        latest = day
                text = row[dec].strip()
                if text:
                    day = dates.get(text) or read(text)[0]
                    if day and (latest is None or day > latest):
                        latest = day
            table.read_through = True
        return collection_year_of(latest) if latest else None

    def _any_date(self, text):
        """(date, how written) for a text, remembered; (None, None) if it is not a date."""
        found = self._loose_dates.get(text)
        if found is not None:
            return found
        day, how = read_date(text)
        if day is not None and len(self._dates) + len(self._loose_dates) < MAX_CACHED_DATES:
            if how == CANONICAL:
                self._dates[text] = day
            else:
                self._loose_dates[text] = (day, how)
        return day, how

    def _loosely(self, code, table, number, column, detail=""):
        key = (code, table, column, detail)
        seen = self._loose.get(key)
        if seen is None:
            self._loose[key] = [1, number]
        else:
            seen[0] += 1

    def _report_loose(self):
        messages = {"L-SPACE": "{n:,} values with spaces around them (read without)",
                    "L-CASE": "{n:,} codes in lower case (read in upper case)",
                    "L-DATE": "{n:,} dates written {detail} (read as dates; the DfE asks for dd/mm/yyyy)"}
        for (code, table, column, detail), (n, first) in sorted(self._loose.items()):
            self.findings.add(R[code], where=f"{table}, row {first}", field=column, value=detail,
                              message=messages[code].format(n=n, detail=detail) + f", first in row {first}")

    def _date(self, table, number, column, text):
        """The date a text gives, or None if it is not one; a date written another way is noted (L-DATE)."""
        day = self._dates.get(text)
        if day is not None:
            return day
        day, how = self._any_date(text)
        if day is not None and how != CANONICAL:
            self._loosely("L-DATE", table, number, column, how)
        return day

    def _code(self, table, number, column, text, allowed):
        """A code, upper-cased if it was written in lower case (noted); the text as it is if not in `allowed`."""
        if text in allowed:
            return text
        upper = text.upper()
        if upper in allowed:
            self._loosely("L-CASE", table, number, column)
            return upper
        return text

    def _children(self, table, writer):
        """Check the header table's rows, writing each child; {identifier: (pseudonym, date of birth)}."""
        findings, la, year = self.findings, self.la, self.year
        add_finding = findings.add
        name = table.name
        i_child, i_sex, i_dob, i_ethnic = (table.index(c) for c in ("CHILD", "SEX", "DOB", "ETHNIC"))
        i_upn, i_mother = table.index("UPN"), table.index("MOTHER")
        width = len(table.columns)
        child_of, upn_of = self.pseudonymise.hasher(la), self.pseudonymise.upn
        sexes = spec.sexes(year)
        other_sexes = spec.SEX_TO_2024 if year >= 2025 else spec.SEX_FROM_2025 - {"U"}
        year_end, oldest = datetime.date(year, 3, 31), datetime.date(year - 26, 4, 1)
        ethnicities = spec.ETHNICITY
        stored_sexes = {"1": "M", "2": "F"}  # one code stored for every year: M, F, U
        dates, months = self._dates, {}  # a date of birth -> the first of its month
        school_age_on = datetime.date(year - 2, 8, 31)  # 4 by then: of school age during the collection year
        add = writer.add
        loosely, code_of, date_of = self._loosely, self._code, self._date
        children = {}
        with table.rows() as rows:
            for number, row in rows:
                if not (row and (row[0].strip() or "".join(row).strip())):
                    continue  # a blank row
                if len(row) < width:
                    row = row + [""] * (width - len(row))
                raw = row[i_child]
                local_id = raw.strip()
                if local_id is not raw:
                    loosely("L-SPACE", name, number, "CHILD")
                if not local_id:
                    add_finding(R["S-CHILD"], where=f"{name}, row {number}",
                                field="CHILD", message="no child identifier: the row is left out")
                    continue
                if local_id in children:
                    add_finding(R["INT32"], where=f"{name}, row {number}", field="CHILD", child=children[local_id][0],
                                message="the same child appears twice in the header table: the first row is kept")
                    continue
                child_id = child_of(local_id)
                # SEX
                raw = row[i_sex]
                sex = raw.strip()
                if sex is not raw:
                    loosely("L-SPACE", name, number, "SEX")
                raw_sex = sex.upper()
                if sex not in sexes:
                    sex = code_of(name, number, "SEX", sex, sexes)
                if sex not in sexes:
                    if sex in other_sexes:
                        now = spec.SEX_BETWEEN[sex]
                        add_finding(R["101"], where=f"{name}, row {number}", field="SEX", child=child_id, value=sex,
                                    message=f"sex written {sex!r}, the code {'before' if year >= 2025 else 'from'} "
                                            "2025; "
                                            f"read as {now!r}; expected {spec.expected(sexes)}")
                        sex = now
                    else:
                        add_finding(R["101"], where=f"{name}, row {number}", field="SEX", child=child_id, value=sex,
                                    message=f"{sex!r} is not a valid code; expected {spec.expected(sexes)}")
                        sex = None
                if sex == "U":
                    add_finding(R["232"], where=f"{name}, row {number}", field="SEX", child=child_id, value=sex)
                stored_sex = stored_sexes.get(sex, sex)
                # DOB
                raw = row[i_dob]
                text = raw.strip()
                if text is not raw:
                    loosely("L-SPACE", name, number, "DOB")
                born = (dates.get(text) or date_of(name, number, "DOB", text)) if text else None
                if born is None:
                    add_finding(R["102"], where=f"{name}, row {number}", field="DOB", child=child_id, value=text,
                                message=(f"{text!r} is not a date" if text else "missing") +
                                        "; expected a date written dd/mm/yyyy")
                else:
                    if born > year_end:
                        add_finding(R["301"], where=f"{name}, row {number}", field="DOB", child=child_id, value=text)
                    if born < oldest:  # over 25 on 1 April: born before 1 April 26 years before the year's end
                        add_finding(R["351"], where=f"{name}, row {number}", field="DOB", child=child_id, value=text)
                # ETHNIC
                raw = row[i_ethnic]
                ethnicity = raw.strip()
                if ethnicity is not raw:
                    loosely("L-SPACE", name, number, "ETHNIC")
                if ethnicity not in ethnicities:
                    ethnicity = code_of(name, number, "ETHNIC", ethnicity, ethnicities)
                if ethnicity not in ethnicities:
                    add_finding(R["103"], where=f"{name}, row {number}", field="ETHNIC", child=child_id,
                                value=ethnicity,
                                message=(f"{ethnicity!r} is not a valid code" if ethnicity else "missing") +
                                        "; expected an ethnicity code of the DfE, e.g. WBRI")
                    ethnicity = None
                mother = MOTHER.get(row[i_mother].strip()) if i_mother is not None else None
                upn = row[i_upn].strip() if i_upn is not None else ""
                if len(upn) == 3:  # an unknown UPN's code, not a UPN
                    code = upn.upper()
                    if code == "UN1" and born is not None and _years_after(born, 4) <= school_age_on:
                        add_finding(R["209"], where=f"{name}, row {number}", field="UPN", child=child_id, value=code)
                    elif code == "UN4":
                        self._un4.add(child_id)
                children[local_id] = (child_id, born, raw_sex)
                if born is None:
                    month = None
                else:
                    month = months.get(born)
                    if month is None:
                        month = months[born] = born.replace(day=1)
                add("lac_children", (la, year, child_id, upn_of(upn), stored_sex, month, ethnicity, mother))
            table.read_through = True
        return children

    def _episodes(self, table, children, writer, *, has_header):
        """Check the episodes table's rows, writing each episode that can be placed; how many were written."""
        findings, la, year = self.findings, self.la, self.year
        add_finding = findings.add
        name = table.name
        columns = ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                   "REASON_PLACE_CHANGE")
        width = len(table.columns)
        blank = width  # rows are padded by one: a column the table lacks reads the blank at the end
        pick = operator.itemgetter(*(blank if table.index(c) is None else table.index(c) for c in columns))
        strip = str.strip
        i_la = next((table.index(c) for c in spec.LA_COLUMNS if table.index(c) is not None), None)
        child_of = self.pseudonymise.hasher(la)
        dates, date_of, code_of, loosely = self._dates, self._date, self._code, self._loosely
        reasons_new, legal_statuses, needs, places, providers, reasons_end, changes = (
            spec.REASON_NEW_EPISODE, spec.LEGAL_STATUS, spec.CATEGORY_OF_NEED, spec.placements(year), spec.PROVIDER,
            spec.REASON_CEASED, spec.REASON_PLACE_CHANGE)
        no_provider, temporary = spec.no_provider(year), spec.TEMPORARY
        row_rules = self._row_rules
        self._youngest = spec.youngest(year)
        self._un4_after = datetime.date(year, 3, 24)  # started in the last week: UN4 allowed
        first_day, last_day = datetime.date(year - 1, 4, 1), datetime.date(year, 3, 31)
        add = writer.add
        sequence = {}  # pseudonym -> episodes so far
        with_episodes = self._with_episodes  # the children with an episode (EPI)
        before_birth = set()
        unreadable = Counter()
        carried = Counter()
        written = 0
        la_values_seen = set()

        def required_code(number, child_id, column, text, allowed, rule, consequence):
            """The code of `allowed` that a required column gives (its case mended), or None: a missing code (S-BLANK)
            or one not in the list (`rule`) is noted, with what it costs the episode, and counted unreadable."""
            code = code_of(name, number, column, text, allowed)
            if code in allowed:
                return code
            add_finding(R[rule if code else "S-BLANK"], where=f"{name}, row {number}", field=column, child=child_id,
                        value=code, message=(f"{code!r} is not a valid code" if code else "missing")
                        + f"; expected {spec.expected(allowed)}: {consequence}")
            unreadable[column] += 1
            return None

        with table.rows() as rows:
            for number, row in rows:
                if not (row and (row[0].strip() or "".join(row).strip())):
                    continue  # a blank row
                if len(row) == width:
                    row.append("")
                elif len(row) < width:
                    row = row + [""] * (width + 1 - len(row))
                if i_la is not None:
                    self._check_authority(row[i_la].strip(), f"{name}, row {number}", la_values_seen)
                # the values, stripped (str.strip gives back the same string when there is nothing to strip)
                raw = pick(row)
                values = tuple(map(strip, raw))
                if values != raw:
                    for column, text, original in zip(columns, values, raw):
                        if text is not original:
                            loosely("L-SPACE", name, number, column)
                local_id, start_text, rne, ls, need, place, provider, end_text, reason_end, change = values
                # CHILD
                if not local_id:
                    add_finding(R["S-CHILD"], where=f"{name}, row {number}", field="CHILD",
                                message="no child identifier: the episode is left out of the looked-after figures")
                    for figure in LAC_FIGURES:
                        findings.left_out[figure] += 1
                    continue
                with_episodes.add(local_id)
                known = children.get(local_id)
                if known is None:
                    child_id, born = child_of(local_id), None
                    children[local_id] = (child_id, None, None, False)  # not in the header table
                    if has_header:
                        add_finding(R["INT03"], where=f"{name}, row {number}", field="CHILD", child=child_id,
                                    message="this child is not in the header table: the episode is loaded, the "
                                            "child's sex, date of birth and ethnicity are unknown")
                    add("lac_children", (la, year, child_id, None, None, None, None, None))
                else:
                    child_id, born = known[0], known[1]
                keep = True
                partly = []  # fields that leave a kept episode out of some figures
                # DECOM
                carried["DECOM"] += 1
                start = (dates.get(start_text) or date_of(name, number, "DECOM", start_text)) if start_text else None
                if start is None:
                    add_finding(R["141" if start_text else "S-BLANK"], where=f"{name}, row {number}", field="DECOM", child=child_id,
                                value=start_text,
                                message=(f"{start_text!r} is not a date" if start_text else "missing") +
                                        "; expected a date written dd/mm/yyyy: the episode is left out of the "
                                        "looked-after figures")
                    unreadable["DECOM"] += 1
                    keep = False
                # DEC and REC
                end = None
                if end_text:
                    carried["DEC"] += 1
                    end = dates.get(end_text) or date_of(name, number, "DEC", end_text)
                    if end is None:
                        add_finding(R["147"], where=f"{name}, row {number}", field="DEC", child=child_id,
                                    value=end_text,
                                    message=f"{end_text!r} is not a date; expected a date written dd/mm/yyyy: the "
                                            "episode is left out of the looked-after figures")
                        unreadable["DEC"] += 1
                        keep = False
                if reason_end and reason_end not in reasons_end:
                    reason_end = code_of(name, number, "REC", reason_end, reasons_end)
                if end_text or reason_end:
                    carried["REC"] += 1
                reason_end_ok = None  # stored only with its end, and only a code of the list
                if bool(end_text) != bool(reason_end):
                    add_finding(R["148"], where=f"{name}, row {number}", field="REC" if end_text else "DEC",
                                child=child_id,
                                value=reason_end or end_text,
                                message="an episode that has ended needs both DEC and REC, an open one neither: " + (
                                    "no REC, so the episode is left out of those ceasing" if end_text else
                                    "no DEC, so when it ended is unknown: the episode is left out of the "
                                    "looked-after figures"))
                    if end_text:
                        unreadable["REC"] += 1
                        partly.append("REC")
                    else:
                        carried["DEC"] += 1
                        unreadable["DEC"] += 1
                        keep = False
                if reason_end and reason_end not in reasons_end:
                    add_finding(R["149"], where=f"{name}, row {number}", field="REC", child=child_id, value=reason_end,
                                message=f"{reason_end!r} is not a valid code; expected {spec.expected(reasons_end)}: "
                                        "the episode is left out of those ceasing")
                    if end_text:  # (without DEC it is left out already, and counted once)
                        unreadable["REC"] += 1
                        partly.append("REC")
                elif end_text and reason_end:
                    reason_end_ok = reason_end
                # RNE
                carried["RNE"] += 1
                if rne not in reasons_new:
                    rne = required_code(number, child_id, "RNE", rne, reasons_new, "143",
                                        "the episode is left out of those starting")
                    if rne is None:
                        partly.append("RNE")
                # LS
                carried["LS"] += 1
                if ls not in legal_statuses:
                    ls = required_code(number, child_id, "LS", ls, legal_statuses, "144",
                                       "the episode is left out of the looked-after figures")
                    if ls is None:
                        keep = False
                # CIN, PLACE, PLACE_PROVIDER, REASON_PLACE_CHANGE: no figure depends on them
                if need and need not in needs:
                    need = code_of(name, number, "CIN", need, needs)
                    if need not in needs:
                        add_finding(R["145"], where=f"{name}, row {number}", field="CIN", child=child_id, value=need,
                                    message=f"{need!r} is not a valid code; expected {spec.expected(needs)}")
                        need = NOT_A_CODE
                if not place:
                    add_finding(R["S-BLANK"], where=f"{name}, row {number}", field="PLACE", child=child_id,
                                message="missing; expected the placement type")
                elif place not in places:
                    place = code_of(name, number, "PLACE", place, places)
                    if place not in places:
                        add_finding(R["146"], where=f"{name}, row {number}", field="PLACE", child=child_id, value=place,
                                    message=f"{place!r} is not a valid code in {year_label(year)}; expected "
                                            f"{spec.expected(places)}")
                        place = NOT_A_CODE
                if provider:
                    if provider not in providers:
                        provider = code_of(name, number, "PLACE_PROVIDER", provider, providers)
                    if provider not in providers or place in no_provider:
                        add_finding(R["178"], where=f"{name}, row {number}", field="PLACE_PROVIDER", child=child_id,
                                    value=provider)
                        if provider not in providers:
                            provider = NOT_A_CODE
                if change and change not in changes:
                    change = code_of(name, number, "REASON_PLACE_CHANGE", change, changes)
                    if change not in changes:
                        add_finding(R["1009"], where=f"{name}, row {number}", field="REASON_PLACE_CHANGE",
                                    child=child_id, value=change,
                                    message=f"{change!r} is not a valid code; expected {spec.expected(changes)}")
                        change = NOT_A_CODE
                row_rules(name, number, child_id, born, start, end, rne, ls, place, provider,
                          reason_end if reason_end in reasons_end else None, change,
                          end_text, first_day, last_day, no_provider, temporary, before_birth)
                if keep:
                    episode = sequence[child_id] = sequence.get(child_id, 0) + 1
                    add("lac_episodes", (la, year, child_id, episode, start, rne, ls, need or None, place or None,
                                         provider or None, end, reason_end_ok, change or None))
                    written += 1
                    for field in partly:
                        findings.leave_out(field)
                else:
                    for figure in LAC_FIGURES:
                        findings.left_out[figure] += 1
            table.read_through = True
        for field, n in carried.items():
            findings.carried[field] += n
        for field, n in unreadable.items():
            findings.unreadable[field] += n
        return written

    def _against_header(self, table, children):
        """The DfE's internal checks of another table against the header: each child in it is in the header
        (INT01-INT09), with the same date of birth (INT11-INT18) and sex (INT21), and once where the table has a
        row a child (INT31-INT36)."""
        i_child, i_dob, i_sex = table.index("CHILD"), table.index("DOB"), table.index("SEX")
        kind, name = table.kind, table.name
        not_in_header, other_birth, once = (spec.AGAINST_HEADER[kind].get(k) for k in ("child", "dob", "once"))
        other_sex = "INT21" if kind == "uasc" and i_sex is not None else None
        seen = set()
        flag, child_of = self._flag, self.pseudonymise.hasher(self.la)
        with table.rows() as rows:
            for number, row in rows:
                if len(row) <= i_child or not row[i_child].strip():
                    continue
                local_id = row[i_child].strip()
                if kind == "oc3":
                    self._care_leavers.add(local_id)
                known = children.get(local_id)
                child_id = known[0] if known else child_of(local_id)
                if once:
                    if local_id in seen:
                        flag(once, name, number, child_id, "CHILD")
                    seen.add(local_id)
                if known is None or len(known) == 4:
                    flag(not_in_header, name, number, child_id, "CHILD")
                    continue
                if other_birth and i_dob is not None and i_dob < len(row) and row[i_dob].strip():
                    born = self._any_date(row[i_dob].strip())[0]
                    if born is not None and known[1] is not None and born != known[1]:
                        flag(other_birth, name, number, child_id, "DOB", row[i_dob].strip())
                if other_sex and i_sex < len(row) and row[i_sex].strip():
                    sex = row[i_sex].strip().upper()
                    if known[2] and sex != known[2]:
                        flag(other_sex, name, number, child_id, "SEX", sex)
            table.read_through = True

    def _check_authority(self, value, where, seen):
        """An authority column: a DfE code other than the importing authority's refuses the return."""
        if value in seen:
            return
        seen.add(value)
        if value.isdigit() and len(value) == 3:
            if value != self.la:
                self.problems.add(where, "LA", f"the rows are for local authority {value}, not {self.la}; import "
                                               "each authority's return under its own code")
        elif value:
            self.findings.add(R["L-LA"], where=where, field="LA", value=value,
                              message=f"authority column holds {value!r}, not a three-digit DfE code: not compared")

    def _flag(self, code, name, number, child, field, value="", message=""):
        self.findings.add(R[code], where=f"{name}, row {number}", field=field, child=child, value=value,
                          message=message or R[code].title)

    def _row_rules(self, name, number, child, born, start, end, rne, ls, place, provider, reason_end, change, end_text,
                   first_day, last_day, no_provider, temporary, before_birth):
        """The DfE rules that read one episode (and the child's date of birth)."""
        year = self.year

        flag = self._flag
        if start is not None:
            if start < spec.EARLIEST_EPISODE:
                flag("353", name, number, child, "DECOM", start)
            if start > last_day:
                flag("354", name, number, child, "DECOM", start,
                     f"starts {start:%d/%m/%Y}, after the end of the {year_label(year)} "
                                            f"collection year (31/03/{year})")
            if end is not None:
                if end < start:
                    flag("356", name, number, child, "DEC", end,
                         f"ceased {end:%d/%m/%Y}, before it began ({start:%d/%m/%Y})")
                elif end == start:
                    flag("355", name, number, child, "DEC", end)
            if ls == "D1" and start > spec.D1_LAST and year <= 2024:
                flag("445", name, number, child, "LS", ls)
            if ls == "E1" and start < spec.E1_FIRST:
                flag("446", name, number, child, "LS", ls)
            if place in ("A3", "A5") and start >= spec.A3_A5_SINCE and rne not in ("S", "T", "U"):
                flag("217", name, number, child, "RNE", rne or "")
            if ls == "V3":
                until = end or last_day
                if until > start + datetime.timedelta(days=17):
                    flag("365", name, number, child, "LS", ls)
        if end is not None:
            if end > last_day:
                flag("385", name, number, child, "DEC", end,
                     f"ceased {end:%d/%m/%Y}, after the end of the {year_label(year)} "
                                        f"collection year (31/03/{year})")
            if end < first_day:
                flag("S-OUTSIDE", name, number, child, "DEC", f"{end:%d/%m/%Y}",
                    message=f"ceased {end:%d/%m/%Y}, before the {year_label(year)} collection year began: "
                            "kept, counts in none of the year's figures")
        if year == 2024 and place == "P2" and (end is None and not end_text or end is not None and end > spec.P2_LAST):
            flag("217t", name, number, child, "PLACE", place)
        if change and not end_text and year >= 2026:
            flag("233", name, number, child, "REASON_PLACE_CHANGE", change)
        if ls == "V3" and rne != "S":
            flag("366", name, number, child, "RNE", rne or "")
        if place == "P1" and ls == "V2":
            flag("378", name, number, child, "PLACE", place)
        if place in temporary:
            if rne not in ("P", "B"):
                flag("380", name, number, child, "PLACE", place)
            if reason_end and reason_end != "X1":
                flag("381", name, number, child, "PLACE", place)
            if ls in ("V3", "V4"):
                flag("382", name, number, child, "PLACE", place)
        if ls in ("V3", "V4") and place in ("U1", "U4"):
            flag("384", name, number, child, "PLACE", place)
        if provider:
            if place in temporary or (year >= 2026 and place in no_provider):  # Z1 takes one to 2025 (not Z11-Z14)
                flag("213", name, number, child, "PLACE_PROVIDER", provider)
            if provider == "PR1" and place in ("P1", "R2", "R5"):
                flag("527", name, number, child, "PLACE_PROVIDER", provider)
            if provider == "PR2" and place in ("P1", "R2", "R5"):
                flag("528", name, number, child, "PLACE_PROVIDER", provider)
            if provider == "PR3" and place in ("A3", "A4", "A5", "A6", "K1", "K2", "P1", "U1", "U2", "U3", "U4", "U5",
                                               "U6"):
                flag("529", name, number, child, "PLACE_PROVIDER", provider)
            if provider == "PR4" and place == "P1":
                flag("530", name, number, child, "PLACE_PROVIDER", provider)
            if provider == "PR5" and place == "P1":
                flag("531", name, number, child, "PLACE_PROVIDER", provider)
            if provider == "PR0" and place != "P1":
                flag("550", name, number, child, "PLACE_PROVIDER", provider)
        elif place and place not in no_provider:
            flag("526", name, number, child, "PLACE_PROVIDER")
        if ls == "D1" and end is None and not end_text and not reason_end and year <= 2024:
            flag("451", name, number, child, "LS", ls)
        if child in self._un4 and start is not None and start < self._un4_after and end is None and not end_text:
            flag("210", name, number, child, "DECOM", start)
        if change == "CUSTOD" and year >= 2026 and born is not None and start is not None \
                and start < _years_after(born, 10):
            flag("234", name, number, child, "REASON_PLACE_CHANGE", change)
        if reason_end in ("E11", "E12") and place not in ("A3", "A4", "A5", "A6"):
            flag("390", name, number, child, "REC", reason_end)
        if reason_end in ("E45", "E46") and place not in ("U1", "U2", "U3", "U4", "U5", "U6"):
            flag("516", name, number, child, "REC", reason_end)
        if place in ("A5", "A6") and ls != "E1":
            flag("408", name, number, child, "LS", ls or "")
        if born is not None:
            if end is None and _years_after(born, 18) < last_day and not (ls == "V2" and place == "K2"):
                flag("359", name, number, child, "LS", ls or "")
            if start is not None and end is not None:
                youngest = self._youngest.get(place)
                if youngest and start < _years_after(born, youngest[1]):
                    flag(youngest[0], name, number, child, "PLACE", place)
                longest = spec.LONGEST_TEMPORARY.get(place)
                if longest and end > start + datetime.timedelta(days=longest[1]):
                    flag(longest[0], name, number, child, "DEC", end)
            if start is not None:
                if start < born and child not in before_birth:
                    before_birth.add(child)
                    flag("302", name, number, child, "DECOM", start)
                if rne == "S" and start >= _years_after(born, 18):
                    flag("352", name, number, child, "DECOM", start)
                if ls in ("J1", "J2", "J3") and start <= _years_after(born, 10):
                    flag("358", name, number, child, "LS", ls)
            if reason_end == "E7" and (end is None or end < _years_after(born, 16)):  # an unknown end, too
                flag("389", name, number, child, "REC", reason_end)
            if end is not None:
                if reason_end in ("E11", "E12") and end >= _years_after(born, 18):
                    flag("386", name, number, child, "REC", reason_end)
                if reason_end in ("E5", "E6") and end < _years_after(born, 14):
                    flag("387", name, number, child, "REC", reason_end)
                if reason_end in ("E45", "E46", "E47", "E48") and end > _years_after(born, 18):
                    flag("407", name, number, child, "REC", reason_end)
                if reason_end == "E17" and end < _years_after(born, 18):
                    flag("460", name, number, child, "REC", reason_end)
