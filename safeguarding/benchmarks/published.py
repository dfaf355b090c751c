"""Newer releases of the published DfE/ONS files shipped in PUBLISHED_DATA_DIR/dfe.

``sources.json`` beside that folder names each file's public address and the kind of file it must be. A refresh
downloads every file to a temporary file in the same folder, checks each, and only when all of them passed
moves them over the copies (``os.replace``, one per file); anything less leaves every copy as it was.
"""
import csv
import datetime
import hashlib
import http.client
import io
import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .readers import ImportProblem, read_file

MANIFEST = "sources.json"
MAX_BYTES = 200 * 1024 * 1024  # the largest file today is under 2 MB: more than this is not a release
TIMEOUT_SECONDS = 60
CHUNK = 1024 * 1024


class RefreshProblem(Exception):
    """Why a refresh stopped; nothing was replaced."""


@dataclass
class Fetched:
    name: str
    url: str
    size: int
    sha256: str
    changed: bool
    newest_year: int | None


def manifest_path(folder):
    return Path(folder) / MANIFEST


def load_manifest(folder):
    path = manifest_path(folder)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RefreshProblem(f"{path}: no such file (it lists the files to fetch)") from None
    except (ValueError, OSError) as error:
        raise RefreshProblem(f"{path}: not readable JSON ({error})") from None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict) or not files:
        raise RefreshProblem(f"{path}: expected an object with a non-empty 'files' object")
    for name, entry in files.items():
        if Path(name).name != name or name.startswith("."):
            raise RefreshProblem(f"{path}: '{name}' is not a plain file name")
        if not isinstance(entry, dict) or not entry.get("url") or not entry.get("kind"):
            raise RefreshProblem(f"{path}: '{name}' needs a 'url' and a 'kind'")
    return manifest


def source_url(name, entry, base_url=None):
    url = f"{base_url.rstrip('/')}/{urllib.parse.quote(name)}" if base_url else entry["url"]
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise RefreshProblem(f"{name}: {url} is not an http or https address")
    return url


def download(url, target):
    """Write the body at ``url`` to ``target``; a body cut short raises RefreshProblem."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response, open(target, "wb") as out:
            expected = response.headers.get("Content-Length")
            size = 0
            while chunk := response.read(CHUNK):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise RefreshProblem(f"{url}: larger than {MAX_BYTES // (1024 * 1024)} MB")
                out.write(chunk)
    except urllib.error.HTTPError as error:
        raise RefreshProblem(f"{url}: the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise RefreshProblem(f"{url}: cannot reach it ({error.reason})") from None
    except http.client.IncompleteRead:
        raise RefreshProblem(f"{url}: the download stopped before the end of the file") from None
    except (OSError, http.client.HTTPException) as error:
        raise RefreshProblem(f"{url}: the download failed ({error})") from None
    if expected is not None and expected.isdigit() and int(expected) != size:
        raise RefreshProblem(f"{url}: the download stopped before the end of the file ({size:,} of "
                             f"{int(expected):,} bytes)")
    if size == 0:
        raise RefreshProblem(f"{url}: the file is empty")
    return size


def check_rows(path, name):
    """A CSV whose rows do not all have the header's number of cells was cut short or is not a clean CSV."""
    with open(path, "rb") as handle:
        if handle.read(4) == b"PAR1":
            return
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise RefreshProblem(f"{name}: not UTF-8 text (byte {error.start})") from None
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows)
        for row in rows:
            if row and len(row) != len(header):
                raise RefreshProblem(f"{name}: line {rows.line_num} has {len(row)} cells, the header {len(header)}; "
                                     "the file looks cut short or damaged")
    except (StopIteration, csv.Error) as error:
        raise RefreshProblem(f"{name}: not a readable CSV file ({error or 'no header row'})") from None


def newest_year(parsed):
    years = parsed.years()
    return years[-1] if years else None


def check(path, name, entry, current):
    """The downloaded file reads as the kind the manifest names and ends no earlier than the current copy."""
    check_rows(path, name)
    try:
        parsed = read_file(path)
    except ImportProblem as problem:
        raise RefreshProblem(f"{name}: {str(problem).split(': ', 1)[-1]}") from None
    if parsed.kind != entry["kind"]:
        raise RefreshProblem(f"{name}: the download is {parsed.label} ({parsed.kind}), expected {entry['kind']}")
    year = newest_year(parsed)
    if current.is_file() and year is not None:
        try:
            have = newest_year(read_file(current))
        except ImportProblem:
            have = None  # a damaged copy is no reason to refuse a good download
        if have is not None and year < have:
            raise RefreshProblem(f"{name}: the download ends in {year}, the copy here in {have}: not a newer release")
    return year


def sha256(path):
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_atomically(path, text):
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def refresh(folder, *, base_url=None, dry_run=False, today=None, progress=lambda line: None):
    """Fetch and check every file of the manifest; replace the copies in ``folder/dfe`` only if all passed.
    Returns the list of Fetched. Raises RefreshProblem, having changed nothing."""
    folder = Path(folder)
    dfe = folder / "dfe"
    if not dfe.is_dir():
        raise RefreshProblem(f"{dfe}: no such folder")
    manifest = load_manifest(folder)
    files = manifest["files"]
    urls = {name: source_url(name, entry, base_url) for name, entry in files.items()}
    downloads, fetched = {}, []
    try:
        for name, entry in files.items():
            try:
                fd, temporary = tempfile.mkstemp(dir=dfe, prefix=f".{name}.", suffix=".part")
            except OSError as error:
                raise RefreshProblem(f"{dfe}: cannot write there ({error.strerror or error})") from None
            os.close(fd)
            downloads[name] = Path(temporary)
            size = download(urls[name], temporary)
            year = check(temporary, name, entry, dfe / name)
            digest = sha256(temporary)
            changed = not (dfe / name).is_file() or sha256(dfe / name) != digest
            fetched.append(Fetched(name, urls[name], size, digest, changed, year))
            progress(f"{name}: {size:,} bytes{f', to {year}' if year else ''}, "
                     f"{'a new release' if changed else 'unchanged'}")
        if dry_run:
            return fetched
        for name, temporary in downloads.items():
            os.replace(temporary, dfe / name)
        when = (today or datetime.date.today()).isoformat()
        for item in fetched:
            files[item.name]["as_of"] = f"fetched {when} from {item.url}"
        manifest["refreshed"] = when
        write_atomically(manifest_path(folder), json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        return fetched
    finally:
        for temporary in downloads.values():
            temporary.unlink(missing_ok=True)
