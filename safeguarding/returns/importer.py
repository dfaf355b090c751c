"""Import a return: tell which it is from its content, load it all or nothing, check its quality."""
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from safeguarding.returns.cin import CinLoader, looks_like_xml
from safeguarding.returns.findings import Findings
from safeguarding.returns.identifiers import Pseudonymiser
from safeguarding.returns.problems import Problem, ReturnRejected
from safeguarding.returns.ssda903 import Ssda903Loader
from safeguarding.returns.store import AnalyticalStore

KIND_LABELS = {"cin": "Children in Need census", "ssda903": "SSDA903 looked-after children return"}


@dataclass
class ImportResult:
    kind: str
    la: str
    year: int
    counts: dict
    source: str
    sha256: str
    ignored_tables: list = field(default_factory=list)
    findings: Findings = None
    replaced: dict = None  # the return this one replaced: when it was loaded, from which files, its children

    @property
    def label(self):
        return KIND_LABELS[self.kind]


def expand(paths):
    """Files to import: folders are opened, hidden and non-file entries skipped."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")))
        elif path.is_file():
            files.append(path)
        else:
            raise ReturnRejected([Problem(str(path), "", "", "no such file or folder")])
    if not files:
        raise ReturnRejected([Problem(", ".join(map(str, paths)), "", "", "no files to import")])
    return files


# Files that are not returns but are sometimes sent for them, by their first bytes: never opened or unpacked.
NOT_RETURNS = [(b"PK\x05\x06", "an empty zip archive"), (b"\x1f\x8b", "compressed with gzip"),
               (b"BZh", "compressed with bzip2"), (b"\xfd7zXZ\x00", "compressed with xz"),
               (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!", "a RAR archive"), (b"%PDF", "a PDF document"),
               (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 (.xls) or Word 97-2003 file: save it as .xlsx or CSV")]
ZIP = b"PK\x03\x04"
# An Excel workbook is a zip archive of XML parts. Before openpyxl opens one, what its directory declares is
# checked, so that a small file cannot unpack into gigabytes (a zip bomb): Python's zipfile never gives more
# than an entry's declared size. A workbook of a national return's tables is a few hundred MB of XML at most.
WORKBOOK_MAX_ENTRIES = 1_000
WORKBOOK_MAX_BYTES = 2 << 30  # all entries, uncompressed
WORKBOOK_MAX_RATIO = 200  # uncompressed / compressed, per entry larger than 1 MB (XML packs 10-50 times)
WIDE_TEXT = [(b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
             (b"\xfe\xff", "UTF-16"), (b"<\x00", "UTF-16"), (b"\x00<", "UTF-16")]


def workbook_problem(path):
    """Why a zip file cannot be read as an SSDA903 workbook, or None: an .xlsx whose directory is sane."""
    import zipfile

    refuse = ("the file is {}: expected the SSDA903 tables as CSV files or as one Excel .xlsx workbook (a sheet a "
              "table)")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > WORKBOOK_MAX_ENTRIES:
                return refuse.format(f"a zip archive of {len(entries):,} entries, more than a workbook has "
                                     f"({WORKBOOK_MAX_ENTRIES:,}): refused for safety")
            names = {entry.filename for entry in entries}
            if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
                return refuse.format("a zip archive, not an Excel .xlsx workbook (Word files and other archives "
                                     "are zip archives too)")
            total = sum(entry.file_size for entry in entries)
            if total > WORKBOOK_MAX_BYTES:
                return refuse.format(f"a workbook that unpacks to {total / 2**30:.1f} GB, more than the "
                                     f"{WORKBOOK_MAX_BYTES / 2**30:.0f} GB allowed: refused for safety")
            for entry in entries:
                if entry.file_size > 1 << 20 and entry.file_size > WORKBOOK_MAX_RATIO * max(entry.compress_size, 1):
                    ratio = entry.file_size // max(entry.compress_size, 1)
                    return refuse.format(f"a workbook whose part {entry.filename} unpacks {ratio:,} "
                                         "times larger than it is stored, as no spreadsheet does: refused for safety")
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        return refuse.format(f"not text but a damaged zip archive ({error})")
    return None


def not_a_return(head):
    """Why a file whose first bytes are `head` cannot be a return, or None."""
    for magic, what in NOT_RETURNS:
        if head.startswith(magic):
            return (f"the file is {what}, not text; expected the CIN census XML file or the SSDA903 CSV files "
                    "themselves, as the case management system wrote them")
    for magic, encoding in WIDE_TEXT:
        if head.startswith(magic):
            return (f"the file is written in {encoding}; expected UTF-8 (a CIN census XML file, or SSDA903 CSV files, "
                    "which may also be Windows-1252): save it as UTF-8 and upload it again")
    return None


def sniff(files):
    """'cin' for one XML file, 'ssda903' for CSV tables: by content, not by name."""
    heads = {}
    for path in files:
        with open(path, "rb") as handle:
            heads[path] = handle.read(2048)
    refused = [Problem(p.name, "", "", why) for p, why in (
        (p, workbook_problem(p) if h.startswith(ZIP) else not_a_return(h)) for p, h in heads.items()) if why]
    if refused:
        raise ReturnRejected(refused)
    xml = [p for p, head in heads.items() if looks_like_xml(head)]
    if xml and len(files) == 1:
        return "cin"
    if xml:
        raise ReturnRejected([Problem(", ".join(p.name for p in files), "", "",
                                      "a CIN census is one XML file; import it on its own, and SSDA903 CSV files "
                                      "separately")])
    return "ssda903"


def digest(files):
    sha = hashlib.sha256()
    for path in files:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                sha.update(chunk)
    return sha.hexdigest()


def check_la_code(la):
    if not (isinstance(la, str) and la.isdigit() and len(la) == 3):
        raise ReturnRejected([Problem("--la", "", "", f"{la!r} is not a local authority code; expected the old "
                                                      "three-digit DfE code, e.g. 210 for Southwark")])


def import_return(paths, *, la, year=None, store=None, progress=None, pseudonymiser=None):
    """Load a CIN census file or a set of SSDA903 files for one authority; raises ReturnRejected."""
    check_la_code(la)
    store = store or AnalyticalStore()
    pseudonymiser = pseudonymiser or Pseudonymiser()
    files = expand(paths)
    kind = sniff(files)
    sha256 = digest(files)
    if kind == "cin":
        loader = CinLoader(path=files[0], name=files[0].name, la=la, year=year, store=store,
                           pseudonymise=pseudonymiser, progress=progress)
        counts = loader.load(sha256)
        ignored = []
    else:
        loader = Ssda903Loader(files=files, la=la, year=year, store=store, pseudonymise=pseudonymiser,
                               progress=progress)
        counts = loader.load(sha256)
        ignored = loader.ignored
    return ImportResult(kind=kind, la=la, year=loader.year, counts=counts,
                        source=", ".join(p.name for p in files), sha256=sha256, ignored_tables=ignored,
                        findings=loader.findings, replaced=getattr(store, "last_replaced", None))
