"""`manage.py backup` and `manage.py restore`: an instance with the demo partnership, an imported return and an
uploaded document is backed up, restored into a fresh instance (a new VAR_DIR and an empty database), and the two
compared table by table, figure by figure and file by file; damaged archives are refused before anything changes."""
import tarfile

from tests.reliability.instance import DEMO_LA
from tests.returns import samples

ADD_DOCUMENT = """
from django.core.files.base import ContentFile
from safeguarding.audits.models import EvidenceFile, Section11Return
found = Section11Return.objects.order_by("pk").first()
document = EvidenceFile(section11_return=found, standard_key=found.framework.standards_in_order().first().key,
                        title="Safer recruitment policy")
document.file.save("safer-recruitment.pdf", ContentFile(b"%PDF-1.4 safer recruitment policy " * 100), save=False)
document.save()
"""

INSPECT = """
import hashlib, json
from pathlib import Path
from django.core.files.storage import default_storage
from django.db import connection
from safeguarding.indicators.models import IndicatorValue
from safeguarding.indicators.services import engine_for
from safeguarding.returns import store as returns_store
tables = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        tables[table] = cursor.fetchone()[0]
store = returns_store.AnalyticalStore()
with store.reader() as reader:
    analytics = {name: reader.query(f"SELECT count(*) FROM {{schema}}.{name}")[0][0]
                 for name in [*returns_store.TABLES, returns_store.REGISTRY]}
values = sorted([v.la_code, v.year, v.indicator, str(v.value), str(v.rate), str(v.numerator), str(v.denominator)]
                for v in IndicatorValue.objects.all())
engine = engine_for(store)
try:
    computed = {f"{la} {year}": {k: None if v is None else float(v) for k, v in found.items()}
                for (la, year), found in engine.core(las=[LA]).items()}
finally:
    engine.close()
media = Path(default_storage.location)
files = {str(p.relative_to(media)): hashlib.sha256(p.read_bytes()).hexdigest()
         for p in sorted(media.rglob("*")) if p.is_file()}
print(json.dumps({"tables": tables, "analytics": analytics, "values": values, "computed": computed, "files": files}))
""".replace("LA", repr(DEMO_LA))


def _is_empty(instance):
    if instance.postgres:
        return instance.sql("SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN "
                            "('pg_catalog', 'information_schema')")[0][0] == 0
    database = instance.var_dir / "db.sqlite3"
    return not database.exists() or instance.sql("SELECT count(*) FROM sqlite_master")[0][0] == 0


def test_backup_restored_into_a_fresh_instance_is_the_same(instances, tmp_path):
    source = instances.copy("backup-source")
    cin = samples.write(tmp_path, "cin.xml", samples.cin_xml(30))
    source.manage("import_returns", str(cin), "--la", DEMO_LA)
    before = source.shell(ADD_DOCUMENT + INSPECT)
    assert before["analytics"]["cin_children"] == 30 and before["values"] and before["computed"]
    assert len(before["files"]) == 1 and sum(before["tables"].values()) > 1000

    written = source.manage("backup", "--out", str(tmp_path / "backups")).stdout
    archive = next((tmp_path / "backups").iterdir())
    assert f"Wrote {archive}" in written
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[-1] == "manifest.json" and any(n.startswith("media/section11/") for n in names)
    assert ("database.pgdump" if source.postgres else "database.sqlite3") in names

    target = instances.empty("backup-target")
    restored = target.manage("restore", str(archive)).stdout
    assert "every checksum matches" in restored and "every table has the rows the backup recorded" in restored
    after = target.shell(INSPECT)
    assert after == before  # every table's rows, the store's tables, stored and recomputed figures, documents

    # A second restore into the now filled instance is refused, unless --force.
    refused = target.manage("restore", str(archive), check=False)
    assert refused.returncode == 1 and "This instance is not empty" in refused.stderr and "--force" in refused.stderr
    target.manage("restore", str(archive), "--force")
    assert target.shell(INSPECT) == before
    print(f"\nbackup and restore: {len(before['tables'])} tables ({sum(before['tables'].values()):,} rows), "
          f"{len(before['analytics'])} store tables ({sum(before['analytics'].values()):,} rows), "
          f"{len(before['values'])} indicator values, {len(before['files'])} document compared: identical; "
          f"archive {archive.stat().st_size:,} bytes")


def test_restore_refuses_a_truncated_or_damaged_archive_and_changes_nothing(instances, tmp_path):
    source = instances.copy("backup-damaged")
    source.manage("backup", "--out", str(tmp_path / "whole.tar"))
    whole = (tmp_path / "whole.tar").read_bytes()
    with tarfile.open(tmp_path / "whole.tar") as tar:
        manifest_at = tar.getmember("manifest.json").offset
        database = next(m for m in tar.getmembers() if m.name.startswith("database."))
    target = instances.empty("backup-damaged-target")

    cases = {
        "half.tar": (whole[: len(whole) // 2], f"is truncated or damaged: it ends inside {database.name}"),
        "no-manifest.tar": (whole[:manifest_at], "has no manifest.json: it is incomplete"),
        "flipped.tar": (whole[: database.offset_data + 5000] + bytes([whole[database.offset_data + 5000] ^ 0xFF])
                        + whole[database.offset_data + 5001:], f"{database.name} does not match its checksum"),
        "not-a-backup.tar": (b"this is not a tar file at all" * 100, "cannot be read as a tar archive"),
    }
    for name, (content, message) in cases.items():
        (tmp_path / name).write_bytes(content)
        refused = target.manage("restore", str(tmp_path / name), check=False)
        assert refused.returncode == 1, (name, refused.stdout, refused.stderr)
        assert message in refused.stderr and "Traceback" not in refused.stderr, (name, refused.stderr)
        assert _is_empty(target), f"{name}: nothing restored"
    assert not [p for p in target.var_dir.iterdir() if p.name.startswith(".restore-")]
    print(f"\ndamaged archives: {len(cases)} refused with what is wrong, target left empty")
