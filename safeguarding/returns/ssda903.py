"""Load the SSDA903 looked-after children return (CSV tables) into the analytical store.

Each file is recognised by its header row, not its name. The header and episodes tables are
needed; the other 903 tables are recognised and left out, because no indicator uses them
(data minimisation). Postcodes and the mother's child's date of birth are never stored.
"""
import csv
import datetime
import io

from safeguarding.returns import codes
from safeguarding.returns.problems import ProblemList

HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODE_COLUMNS = ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                   "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN")
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


def read_text(path):
    """Return files are UTF-8, sometimes Windows-1252 from older systems; anything else is not a return."""
    data = path.read_bytes()
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
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


def parse_date(text):
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


def collection_year_of(latest):
    """The collection year (to 31 March) a date falls in."""
    return latest.year + 1 if latest.month >= 4 else latest.year


class Ssda903Loader:
    def __init__(self, *, files, la, year, store, pseudonymise, progress=None):
        self.files, self.la, self.requested_year = files, la, year
        self.store, self.pseudonymise, self.progress = store, pseudonymise, progress
        self.problems = ProblemList(", ".join(p.name for p in files))
        self.counts = {"children": 0, "episodes": 0}
        self.ignored = []
        self.year = None

    def _tables(self):
        tables = {}
        for path in self.files:
            text = read_text(path)
            if text is None:
                self.problems.add("", "", "the file is not text (UTF-8 or Windows-1252): expected an SSDA903 CSV file",
                                  file=path.name)
                continue
            try:
                rows = list(csv.reader(io.StringIO(text)))
            except csv.Error as error:
                self.problems.add("", "", f"the file is not valid CSV ({error})", file=path.name)
                continue
            if not rows:
                self.problems.add("", "", "the file is empty; expected an SSDA903 CSV table", file=path.name)
                continue
            kind = recognise(rows[0])
            if kind is None:
                self.problems.add("row 1", "", "the header row is not one of the SSDA903 tables; expected "
                                                             "e.g. " + ",".join(HEADER_COLUMNS) + " or "
                                                             + ",".join(EPISODE_COLUMNS), file=path.name)
                continue
            if kind in tables:
                self.problems.add("", "", f"a second {kind} table; expected one of each table", file=path.name)
                continue
            tables[kind] = (path, [c.strip().upper() for c in rows[0]], rows[1:])
        for needed in ("header", "episodes"):
            if needed not in tables and not self.problems:
                self.problems.add("", "", f"no {needed} table among the files; an SSDA903 return needs at least the "
                                          "header and episodes tables")
        return tables

    def load(self, sha256):
        tables = self._tables()
        if self.problems:
            self.problems.reject()
        self.ignored = sorted(k for k in tables if k not in ("header", "episodes"))
        header_path, header_cols, header_rows = tables["header"]
        episode_path, episode_cols, episode_rows = tables["episodes"]
        children = self._children(header_path.name, header_cols, header_rows)
        episodes = self._episodes(episode_path.name, episode_cols, episode_rows, children)
        if self.problems:
            self.problems.reject()
        latest = max((d for e in episodes for d in (e[1], e[6]) if d), default=None)
        self.year = self.requested_year or (collection_year_of(latest) if latest else None)
        if self.year is None:
            self.problems.add("", "", "the collection year cannot be told from the files; give it with --year")
            self.problems.reject()
        start, end = datetime.date(self.year - 1, 4, 1), datetime.date(self.year, 3, 31)
        for episode in episodes:
            if episode[1] and episode[1] > end:
                self.problems.add(f"row {episode[-1]}", "DECOM",
                                  f"starts after the end of the {self.year} collection year (31 March {self.year})",
                                  file=episode_path.name)
            if episode[6] and episode[6] < start:
                self.problems.add(f"row {episode[-1]}", "DEC",
                                  f"ended before the {self.year} collection year began (1 April {self.year - 1})",
                                  file=episode_path.name)
        if self.problems:
            self.problems.reject()
        source = ", ".join(p.name for p in self.files)
        with self.store.replacing(la=self.la, year=self.year, kind="ssda903", source=source, sha256=sha256) as writer:
            for child_id, values in children.items():
                writer.add("lac_children", (self.la, self.year, child_id, *values))
            sequence = {}
            for (child_id, start_date, rne, ls, cin, place, end_date, rec, provider, change, _row) in episodes:
                sequence[child_id] = sequence.get(child_id, 0) + 1
                writer.add("lac_episodes", (self.la, self.year, child_id, sequence[child_id], start_date, rne, ls, cin,
                                            place, provider, end_date, rec, change))
        self.counts["children"] = len(children)
        self.counts["episodes"] = len(episodes)
        if self.progress:
            self.progress(1, 1)
        return self.counts

    def _records(self, name, columns, rows):
        """(row number, where, {column: value}) for each non-empty row of a table; short rows are reported and skipped."""
        self.problems.file = name
        index = {column: columns.index(column) for column in columns}
        for number, row in enumerate(rows, start=2):
            if self.problems.full:
                return
            if not any(cell.strip() for cell in row):
                continue
            where = f"row {number}"
            if len(row) < len(columns):
                self.problems.add(where, "", f"{len(row)} columns; expected {len(columns)}")
                continue
            yield number, where, {c: row[i].strip() for c, i in index.items()}

    def _children(self, name, columns, rows):
        children = {}
        for _number, where, value in self._records(name, columns, rows):
            if not value["CHILD"]:
                self.problems.add(where, "CHILD", "missing; expected the child's identifier")
                continue
            if value["SEX"] not in codes.LAC_SEX:
                self.problems.add(where, "SEX", f"{value['SEX']!r} is not a valid code; expected 1 or 2")
            birth = self._date(where, "DOB", value["DOB"], required=True)
            mother = {"1": True, "0": False, "": None}.get(value["MOTHER"], "bad")
            if mother == "bad":
                self.problems.add(where, "MOTHER", f"{value['MOTHER']!r} is not valid; expected 1, 0 or empty")
                mother = None
            child_id = self.pseudonymise.child(self.la, value["CHILD"])
            if child_id in children:
                self.problems.add(where, "CHILD", "the same child appears twice in the header table; expected once")
            children[child_id] = (self.pseudonymise.upn(value["UPN"]), value["SEX"],
                                  birth.replace(day=1) if birth else None, value["ETHNIC"] or None, mother)
        return children

    def _date(self, where, field, text, required=False):
        if not text:
            if required:
                self.problems.add(where, field, "missing; expected a date written dd/mm/yyyy")
            return None
        try:
            return parse_date(text)
        except ValueError:
            self.problems.add(where, field, f"{text!r} is not a date; expected a date written dd/mm/yyyy")
            return None

    def _episodes(self, name, columns, rows, children):
        episodes = []
        for number, where, v in self._records(name, columns, rows):
            child_id = self.pseudonymise.child(self.la, v["CHILD"]) if v["CHILD"] else None
            if child_id is None:
                self.problems.add(where, "CHILD", "missing; expected the child's identifier")
            elif child_id not in children:
                self.problems.add(where, "CHILD", "this child is not in the header table; every child with "
                                                  "episodes needs a header row")
            start = self._date(where, "DECOM", v["DECOM"], required=True)
            end = self._date(where, "DEC", v["DEC"])
            for field, allowed, required in (("RNE", codes.REASON_NEW_EPISODE, True),
                                             ("LS", codes.LEGAL_STATUS, True),
                                             ("PLACE", codes.PLACEMENT, True),
                                             ("REC", codes.REASON_EPISODE_CEASED, False)):
                if v[field] and v[field] not in allowed or (required and not v[field]):
                    shown = ", ".join(sorted(allowed)) if len(allowed) <= 14 else f"a {field} code of the SSDA903"
                    self.problems.add(where, field, f"{v[field]!r} is not a valid code; expected {shown}")
            if bool(end) != bool(v["REC"]):
                self.problems.add(where, "REC" if end else "DEC",
                                  "an episode that has ended needs both DEC and REC; an open one neither")
            if start and end and end < start:
                self.problems.add(where, "DEC", f"ends ({v['DEC']}) before it starts ({v['DECOM']})")
            episodes.append((child_id, start, v["RNE"], v["LS"], v["CIN"] or None, v["PLACE"], end, v["REC"] or None,
                             v["PLACE_PROVIDER"] or None, v["REASON_PLACE_CHANGE"] or None, number))
        return episodes
