"""Backups of the whole system in one archive, and restoring one into a fresh instance.

An archive is one tar file (`manage.py backup`):

    database.sqlite3   the application database, SQLite: copied by SQLite's online backup API, so it is
                       consistent while the service runs
    database.pgdump    or the application database, PostgreSQL: pg_dump's custom format, taken in one snapshot
                       (this holds the store of returns too when it is a schema of the same database)
    analytics.pgdump   the store of returns when it is a schema of another PostgreSQL database
    analytics/         the store of returns when it is a DuckDB file: DuckDB's EXPORT DATABASE (schema, Parquet),
                       taken under a read lock, so no import writes meanwhile
    media/…            uploaded documents (Section 11 evidence, case review documents)
    manifest.json      last: what, when, from which versions, the size and SHA-256 of every other member, and the
                       number of rows of every table

`manage.py restore` reads the whole archive and checks it against the manifest before it changes anything,
refuses to overwrite a database, store or documents folder that is not empty unless told to (--force), and
counts the rows it restored against the manifest. Files waiting in the upload folder for an import are not
kept: they are deleted once imported, and an import interrupted by the backup's restore is uploaded again.
"""
import datetime
import hashlib
import io
import json
import os
import platform
import shutil
import socket
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections

FORMAT = "partnership-system-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1 << 20


class BackupError(Exception):
    """Something the person running the command must put right; the message says what."""


# -- where things are ------------------------------------------------------------------------------------------

def _database():
    return settings.DATABASES["default"]


def _is_postgres(database=None):
    return (database or _database())["ENGINE"].endswith("postgresql")


def _pg_params(database=None):
    """Connection parameters of the application database, for psycopg and for pg_dump/pg_restore."""
    database = database or _database()
    return {"host": database.get("HOST") or "", "port": str(database.get("PORT") or ""),
            "user": database.get("USER") or "", "password": database.get("PASSWORD") or "",
            "dbname": database["NAME"]}


# The store of returns is a feature's: the returns app hands it over at start-up (ReturnsConfig.ready), and a backup
# uses only its methods (count, exists, export, restore, postgres_params, describe), its kind and its schema. Core
# imports no feature (issue 20, docs/architecture.md).
_registered = {}


def register_store(factory, *, busy):
    """`factory()` gives the store of returns; `busy` is the error it raises while an import holds it too long."""
    _registered.update(factory=factory, busy=busy)


def _store():
    if "factory" not in _registered:
        raise BackupError("No store of returns is registered: safeguarding.returns must be in INSTALLED_APPS.")
    return _registered["factory"]()


def _store_location(store):
    """How the store of returns is kept: "duckdb" (a file of its own), "postgres-same" (a schema of the
    application database, dumped with it) or "postgres" (a schema of another PostgreSQL database)."""
    if store.kind == "duckdb":
        return "duckdb"
    params = store.postgres_params()
    if _is_postgres():
        app = _pg_params()
        if (params["host"], params["port"] or "5432", params["dbname"]) == (app["host"], app["port"] or "5432",
                                                                            app["dbname"]):
            return "postgres-same"
    return "postgres"


def _media_root():
    from django.core.files.storage import default_storage

    return Path(default_storage.location)


def pg_tool(name):
    """pg_dump or pg_restore: from PG_BIN, else the newest /usr/lib/postgresql/*/bin, else the PATH."""
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]) / name)
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                         key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0, reverse=True)
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found: install the PostgreSQL client programs (Debian: postgresql-client) "
                          "or set PG_BIN to the folder that holds them.")
    return found


def _pg_command(tool, params, *args):
    command = [pg_tool(tool), *args]
    for option, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if params[key]:
            command += [option, params[key]]
    env = {**os.environ, "PGPASSWORD": params["password"]} if params["password"] else dict(os.environ)
    return command, env


def _run(command, env, what):
    finished = subprocess.run(command, env=env, capture_output=True, text=True)
    if finished.returncode != 0:
        raise BackupError(f"{what} failed: {finished.stderr.strip() or finished.stdout.strip()}")
    return finished


def _psycopg(params):
    import psycopg

    return psycopg.connect(**{k: v for k, v in params.items() if v})


# -- counting rows ---------------------------------------------------------------------------------------------

SYSTEM_SCHEMAS = "('pg_catalog', 'information_schema', 'pg_toast')"


def _pg_counts(con, schemas=None):
    from psycopg import sql

    rows = con.execute("SELECT table_schema, table_name FROM information_schema.tables "
                       f"WHERE table_type = 'BASE TABLE' AND table_schema NOT IN {SYSTEM_SCHEMAS} "
                       "AND table_schema NOT LIKE 'pg_temp%' ORDER BY 1, 2").fetchall()
    counts = {}
    for schema, table in rows:
        if schemas is None or schema in schemas:
            query = sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
            counts[f"{schema}.{table}"] = con.execute(query).fetchone()[0]
    return counts


def _sqlite_counts(path):
    con = sqlite3.connect(str(path), timeout=60)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


# -- backup ----------------------------------------------------------------------------------------------------

class _Hashing:
    """A file read through, for tarfile.addfile, that hashes what passes."""

    def __init__(self, handle):
        self.handle, self.sha256, self.size = handle, hashlib.sha256(), 0

    def read(self, size=-1):
        data = self.handle.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _versions():
    import django
    import duckdb

    versions = {"python": platform.python_version(), "django": django.get_version(), "duckdb": duckdb.__version__}
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True,
                                timeout=5)
        if commit.returncode == 0:
            versions["system"] = commit.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return versions


def _migrations():
    from django.db.migrations.recorder import MigrationRecorder

    applied = {}
    for app, name in MigrationRecorder(connections["default"]).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def create_backup(out, *, wait=600, log=print):
    """Write one archive of the application database, the store of returns and the uploaded documents to `out` (a
    file whose name ends in .tar, or else a folder to put a dated file in). Returns the archive's path and its
    manifest."""
    started = datetime.datetime.now(datetime.timezone.utc)
    out = Path(out)
    if out.is_dir() or out.suffix != ".tar":  # a folder, made if need be
        out = out / f"partnership-backup-{started:%Y%m%dT%H%M%SZ}.tar"
    if out.exists():
        raise BackupError(f"{out} already exists: choose another name, or remove it first.")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=".backup-"))
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "created_at": started.isoformat(),
                "host": socket.gethostname(), "versions": _versions(), "migrations": _migrations(),
                "row_counts": {}, "members": []}
    try:
        members = []  # (name in the archive, path on disk)
        store = _store()
        kind, schema = _store_location(store), store.schema
        # The store of returns first: under its read lock no import writes, and the export is quick.
        if kind == "duckdb":
            manifest["analytics"] = {"kind": "duckdb", "schema": schema}
            try:
                counts = store.export(staging / "analytics", wait=wait)
            except _registered["busy"] as busy:
                raise BackupError(str(busy)) from None
            if counts is None:
                manifest["analytics"]["empty"] = True
                manifest["row_counts"]["analytics"] = {}
            else:
                manifest["row_counts"]["analytics"] = counts
                members += [(f"analytics/{p.name}", p) for p in sorted((staging / "analytics").iterdir())]
        elif kind == "postgres":
            manifest["analytics"] = {"kind": "postgresql", "schema": schema, "member": "analytics.pgdump"}
            manifest["row_counts"]["analytics"], versions = _pg_dump(store.postgres_params(),
                                                                     staging / "analytics.pgdump", schemas=[schema])
            manifest["versions"].update(versions)
            members.append(("analytics.pgdump", staging / "analytics.pgdump"))
        else:
            manifest["analytics"] = {"kind": "postgresql", "schema": schema, "in": "database.pgdump"}

        if _is_postgres():
            manifest["database"] = {"engine": "postgresql", "member": "database.pgdump"}
            manifest["row_counts"]["database"], versions = _pg_dump(_pg_params(), staging / "database.pgdump")
            manifest["versions"].update(versions)
            members.append(("database.pgdump", staging / "database.pgdump"))
        else:
            manifest["database"] = {"engine": "sqlite", "member": "database.sqlite3"}
            copy = staging / "database.sqlite3"
            _sqlite_backup(Path(_database()["NAME"]), copy)
            manifest["row_counts"]["database"] = _sqlite_counts(copy)
            members.append(("database.sqlite3", copy))

        media = _media_root()
        files = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
        manifest["media"] = {"files": len(files)}
        members += [("media/" + p.relative_to(media).as_posix(), p) for p in files]

        descriptor, partial = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial")
        try:
            with open(descriptor, "wb") as handle:
                with tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT) as tar:
                    for name, path in members:
                        info = tar.gettarinfo(str(path), arcname=name)
                        info.uid = info.gid = 0
                        info.uname = info.gname = ""
                        with open(path, "rb") as source:
                            hashing = _Hashing(source)
                            tar.addfile(info, hashing)
                        manifest["members"].append({"name": name, "bytes": hashing.size,
                                                    "sha256": hashing.sha256.hexdigest()})
                    manifest["finished_at"] = datetime.datetime.now(datetime.timezone.utc).isoformat()
                    body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size, info.mtime, info.mode = len(body), int(time.time()), 0o600
                    tar.addfile(info, io.BytesIO(body))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, out)  # the archive appears whole or not at all
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log(f"Wrote {out} ({out.stat().st_size:,} bytes): {_summary(manifest)}.")
    return out, manifest


def _sqlite_backup(source, target):
    if not source.exists():
        raise BackupError(f"The application database {source} does not exist.")
    src = sqlite3.connect(str(source), timeout=60)
    dst = sqlite3.connect(str(target))
    try:
        with dst:
            src.backup(dst)  # one step, under a read lock: a consistent copy while the service writes
        result = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"The copy of the application database failed SQLite's integrity check: {result}")
    finally:
        src.close()
        dst.close()


def _pg_dump(params, target, schemas=None):
    """pg_dump in a snapshot that the row counts are taken in too, so they describe exactly what was dumped."""
    from psycopg import IsolationLevel

    con = _psycopg(params)
    try:
        con.isolation_level = IsolationLevel.REPEATABLE_READ
        con.read_only = True
        snapshot = con.execute("SELECT pg_export_snapshot()").fetchone()[0]
        args = ["--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", "--file", str(target)]
        for schema in schemas or []:
            args += ["--schema", schema]
        command, env = _pg_command("pg_dump", params, *args, "--dbname", params["dbname"])
        _run(command, env, "pg_dump")
        counts = _pg_counts(con, schemas=set(schemas) if schemas else None)
        version = con.execute("SHOW server_version").fetchone()[0]
    finally:
        con.rollback()
        con.close()
    dump_version = _run([pg_tool("pg_dump"), "--version"], dict(os.environ), "pg_dump --version").stdout.strip()
    return counts, {"postgresql_server": version, "pg_dump": dump_version}


def _summary(manifest):
    counts = manifest["row_counts"]
    database = counts.get("database", {})
    analytics = counts.get("analytics", {})
    if not analytics and manifest.get("analytics", {}).get("in"):
        schema = manifest["analytics"]["schema"] + "."
        analytics = {k: v for k, v in database.items() if k.startswith(schema)}
        database = {k: v for k, v in database.items() if not k.startswith(schema)}
    return (f"application database ({manifest['database']['engine']}: {len(database)} tables, "
            f"{sum(database.values()):,} rows), store of returns ({len(analytics)} tables, "
            f"{sum(analytics.values()):,} rows), {manifest['media']['files']} uploaded documents")


# -- restore ---------------------------------------------------------------------------------------------------

def _safe_name(name):
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    if name == MANIFEST or path.parts[0] in ("analytics", "media") or name in (
            "database.sqlite3", "database.pgdump", "analytics.pgdump"):
        return path
    return None


def read_archive(archive, staging):
    """Unpack the archive into `staging`, checking every member against the manifest. Returns the manifest;
    raises BackupError saying what is wrong with an archive that is not a whole, undamaged backup."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist or is not a file.")
    seen = {}
    current = None
    try:
        tar = tarfile.open(archive, mode="r:")
    except tarfile.TarError as error:
        raise BackupError(f"{archive} cannot be read as a tar archive ({error}): it is not a backup made by "
                          "`manage.py backup`, or it is damaged from its start. Use another copy of the backup."
                          ) from None
    try:
        with tar:
            for member in tar:
                current = member.name
                path = _safe_name(member.name)
                if path is None or not (member.isfile() or member.isdir()):
                    raise BackupError(f"{archive} holds {member.name!r}, which a backup of this system never does: "
                                      "it is not one of its backups, or it has been tampered with.")
                if member.isdir():
                    continue
                target = staging / path
                target.parent.mkdir(parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                source = tar.extractfile(member)
                with open(target, "wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                if size != member.size:
                    raise tarfile.ReadError("unexpected end of data")
                seen[member.name] = (size, digest.hexdigest())
                current = None
    except (tarfile.ReadError, EOFError) as error:
        where = f" inside {current}" if current else ""
        raise BackupError(f"{archive} is truncated or damaged: it ends{where} ({error}). It cannot be restored; "
                          "use another copy of the backup.") from None
    except tarfile.TarError as error:
        raise BackupError(f"{archive} is not a readable backup archive ({error}).") from None
    if MANIFEST not in seen:
        raise BackupError(f"{archive} has no {MANIFEST}: it is incomplete (truncated before its end) or not an "
                          "archive made by `manage.py backup`. It cannot be restored; use another copy of the backup.")
    try:
        manifest = json.loads((staging / MANIFEST).read_text())
    except ValueError as error:
        raise BackupError(f"The manifest of {archive} cannot be read ({error}): the archive is damaged.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a backup of the partnership system.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{archive} is a backup in format {manifest.get('format_version')}; this version of the "
                          f"system restores format {FORMAT_VERSION}.")
    problems = []
    listed = {m["name"]: m for m in manifest["members"]}
    for name, member in listed.items():
        if name not in seen:
            problems.append(f"{name} is missing")
        elif seen[name][0] != member["bytes"]:
            problems.append(f"{name} has {seen[name][0]:,} bytes, not {member['bytes']:,}")
        elif seen[name][1] != member["sha256"]:
            problems.append(f"{name} does not match its checksum")
    for name in seen.keys() - listed.keys() - {MANIFEST}:
        problems.append(f"{name} is not in the manifest")
    if problems:
        raise BackupError(f"{archive} is damaged: " + "; ".join(sorted(problems))
                          + ". It cannot be restored; use another copy of the backup.")
    return manifest


def _target_contents():
    """What the target instance already holds, in words; empty when there is nothing."""
    found = []
    database = _database()
    if _is_postgres():
        con = _psycopg(_pg_params())
        try:
            tables = _pg_counts(con)
        finally:
            con.close()
        if tables:
            found.append(f"the database {database['NAME']} has {len(tables)} tables ({sum(tables.values()):,} rows)")
    else:
        path = Path(database["NAME"])
        if path.exists() and path.stat().st_size:
            tables = _sqlite_counts(path)
            if tables:
                found.append(f"the database {path} has {len(tables)} tables ({sum(tables.values()):,} rows)")
    store = _store()
    kind = _store_location(store)
    if kind == "duckdb" and store.exists():
        found.append(f"the store of returns {store.describe()} exists")
    elif kind == "postgres":
        tables = store.count()
        if tables:
            found.append(f"the store of returns has {len(tables)} tables in {store.describe()}")
    media = _media_root()
    if media.exists() and any(p.is_file() for p in media.rglob("*")):
        found.append(f"the documents folder {media} holds files")
    return found


def restore_backup(archive, *, force=False, log=print):
    """Restore an archive into this instance (its DATABASE_URL, ANALYTICS_URL and VAR_DIR). The service must be
    stopped meanwhile."""
    var_dir = Path(settings.VAR_DIR)
    var_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=var_dir, prefix=".restore-"))
    try:
        manifest = read_archive(archive, staging)
        log(f"{archive}: a whole backup of {manifest['created_at']} from {manifest.get('host', '?')}; "
            f"{_summary(manifest)}; every checksum matches.")
        engine = "postgresql" if _is_postgres() else "sqlite"
        if manifest["database"]["engine"] != engine:
            raise BackupError(f"The backup holds a {manifest['database']['engine']} database and this instance uses "
                              f"{engine} (DATABASE_URL): restore it into an instance of the same kind.")
        store = _store()
        kind, schema = _store_location(store), store.schema
        theirs = manifest["analytics"]
        ours = "duckdb" if kind == "duckdb" else "postgresql"
        if theirs["kind"] != ours or (ours == "postgresql" and bool(theirs.get("in")) != (kind == "postgres-same")):
            raise BackupError(f"The backup's store of returns is {_store_words(theirs)}, and this instance's is "
                              f"{_store_words({'kind': ours, 'in': kind == 'postgres-same'})} (ANALYTICS_URL): "
                              "set ANALYTICS_URL to match, then restore.")
        if theirs.get("schema", schema) != schema:
            raise BackupError(f"The backup's store of returns is in schema {theirs['schema']}; this instance's "
                              f"ANALYTICS_SCHEMA is {schema}.")
        present = _target_contents()
        if present and not force:
            raise BackupError("This instance is not empty: " + "; ".join(present) + ". Restoring would replace "
                              "all of it. Restore into a fresh instance (a new VAR_DIR and an empty database), or "
                              "run `restore --force` to replace what is here.")
        connections.close_all()
        counts = {}
        prepared = None
        if kind == "duckdb":  # built beside the target first: a failure here leaves everything as it was
            prepared = store.restore(None if theirs.get("empty", False) else staging / "analytics")
            counts["analytics"] = prepared.counts
        try:
            if engine == "postgresql":
                counts["database"] = _pg_restore(_pg_params(), staging / "database.pgdump", force=force)
            else:
                counts["database"] = _sqlite_restore(staging / "database.sqlite3", Path(_database()["NAME"]))
        except BaseException:
            if prepared is not None:
                prepared.discard()
            raise
        if kind == "duckdb":
            prepared.install()
        elif kind == "postgres":
            counts["analytics"] = _pg_restore(store.postgres_params(), staging / "analytics.pgdump", force=force,
                                              schemas={schema})
        _media_restore(staging / "media", _media_root())

        expected = manifest["row_counts"]
        differences = [f"{part} {table}: {counts.get(part, {}).get(table)} rows, the backup had {rows}"
                       for part, tables in expected.items() for table, rows in tables.items()
                       if counts.get(part, {}).get(table) != rows]
        differences += [f"{part} {table} is not in the backup" for part, tables in counts.items()
                        for table in tables if table not in expected.get(part, {})]
        if differences:
            raise BackupError("The restore finished but does not match the backup: " + "; ".join(differences))
        rows = sum(sum(t.values()) for t in counts.values())
        log(f"Restored: every table has the rows the backup recorded ({rows:,} "
            f"rows in {sum(len(t) for t in counts.values())} tables), and {manifest['media']['files']} documents.")
        advice = _migration_advice(manifest)
        if advice:
            log(advice)
        return manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _store_words(store):
    if store["kind"] == "duckdb":
        return "a DuckDB file"
    return "a schema of the application database" if store.get("in") else "a schema of another PostgreSQL database"


def _sqlite_restore(source, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    os.close(descriptor)
    shutil.copyfile(source, partial)
    # A write-ahead log left beside the old file would be replayed into the new one.
    for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm"), Path(f"{target}-journal")):
        leftover.unlink(missing_ok=True)
    os.replace(partial, target)
    return _sqlite_counts(target)


def _pg_restore(params, dump, *, force, schemas=None):
    if force:
        con = _psycopg(params)
        try:
            existing = [r[0] for r in con.execute(
                f"SELECT nspname FROM pg_namespace WHERE nspname NOT IN {SYSTEM_SCHEMAS} "
                "AND nspname NOT LIKE 'pg_%'").fetchall()]
            from psycopg import sql

            for schema in existing:
                if schemas is None or schema in schemas:
                    con.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
            if schemas is None:
                con.execute("CREATE SCHEMA IF NOT EXISTS public")
            con.commit()
        finally:
            con.close()
    command, env = _pg_command("pg_restore", params, "--exit-on-error", "--single-transaction", "--no-owner",
                               "--no-privileges", "--dbname", params["dbname"], str(dump))
    _run(command, env, "pg_restore (nothing was restored: it runs in one transaction)")
    con = _psycopg(params)
    try:
        return _pg_counts(con, schemas=schemas)
    finally:
        con.close()


def _media_restore(source, target):
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-replaced-{os.getpid()}")
        os.replace(target, old)
    if source.exists():
        shutil.move(str(source), str(target))
    else:
        target.mkdir(parents=True, exist_ok=True)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _migration_advice(manifest):
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {(app, name) for app, name in loader.disk_migrations}
    theirs = {(app, name) for app, names in manifest.get("migrations", {}).items() for name in names}
    newer_here = known - theirs
    unknown = theirs - known
    if unknown:
        return ("The backup comes from a newer version of the system (migrations this version does not have: "
                + ", ".join(f"{a}.{n}" for a, n in sorted(unknown)[:5]) + "): run that version, or a later one.")
    if newer_here:
        return "This version of the system is newer than the backup: run `manage.py migrate` before starting it."
    return ""
