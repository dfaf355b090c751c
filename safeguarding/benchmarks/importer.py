"""Load one benchmark file into the database: all of it or none of it.

An import replaces the rows of its own source and vintage (BenchmarkValue, Population), or of its own model
(StatisticalNeighbour), so loading the same file twice leaves one copy. Local authorities' region details are
merged: a file only fills in what it knows.
"""
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from .models import BenchmarkImport, BenchmarkValue, LocalAuthority, Population, StatisticalNeighbour
from .readers import Parsed, read_file

BATCH = 2000


@dataclass
class ImportSummary:
    file: str
    parsed: Parsed
    values: int = 0
    populations: int = 0
    neighbours: int = 0
    authorities: int = 0
    replaced: dict = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self):
        p = self.parsed
        years = p.years()
        out = [f"{self.file}: recognised as {p.label}",
               f"  source: {p.source}" + (f"; vintage: {p.vintage}" if p.vintage else "")]
        if self.values:
            indicators = sorted({row["indicator"] for row in p.values})
            shown = ", ".join(indicators[:12]) + (f" and {len(indicators) - 12} more" if len(indicators) > 12 else "")
            out.append(f"  {self.values:,} figures ({sum(1 for r in p.values if r['suppressed']):,} withheld) "
                       f"for {len(indicators)} indicators: {shown}")
        if self.populations:
            out.append(f"  {self.populations:,} population estimates")
        if self.neighbours:
            out.append(f"  {self.neighbours:,} statistical neighbours for "
                       f"{len({r['la_code'] for r in p.neighbours})} local authorities ({p.neighbour_model} model)")
        if years:
            out.append(f"  years: {years[0]}-{years[-1]}" if len(years) > 1 else f"  year: {years[0]}")
        geographies = p.geographies()
        if geographies:
            out.append("  geographies: " + ", ".join(f"{n} {level}" for level, n in sorted(geographies.items())))
        if self.authorities:
            out.append(f"  {self.authorities} local authorities' names and regions updated")
        replaced = {k: n for k, n in self.replaced.items() if n}
        if replaced:
            out.append("  replaced an earlier import: " + ", ".join(f"{n:,} {k}" for k, n in replaced.items()))
        out.extend(f"  note: {note}" for note in p.notes)
        out.append(f"  took {self.seconds:.1f} s")
        return out


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(path, *, vintage=None, sn_model=None, lait_all=False):
    """Read and load one file; raises readers.ImportProblem (nothing changed) if the file is bad."""
    started = time.perf_counter()
    parsed = read_file(path, vintage=vintage, sn_model=sn_model, lait_all=lait_all)
    summary = ImportSummary(file=str(path), parsed=parsed)
    now = timezone.now()
    with transaction.atomic():
        value_keys = {(row["source"], row["vintage"]) for row in parsed.values}
        population_keys = {(row["source"], row["vintage"]) for row in parsed.populations}
        summary.replaced["figures"] = sum(
            BenchmarkValue.objects.filter(source=s, vintage=v_).delete()[0] for s, v_ in value_keys)
        summary.replaced["population estimates"] = sum(
            Population.objects.filter(source=s, vintage=v_).delete()[0] for s, v_ in population_keys)
        if parsed.neighbour_model:
            summary.replaced["neighbours"] = StatisticalNeighbour.objects.filter(
                model=parsed.neighbour_model).delete()[0]
        insert_many(BenchmarkValue, parsed.values, now)
        insert_many(Population, parsed.populations, now)
        StatisticalNeighbour.objects.bulk_create(
            (StatisticalNeighbour(imported_at=now, **row) for row in parsed.neighbours), batch_size=BATCH)
        summary.authorities = merge_authorities(parsed.authorities, now)
        summary.values, summary.populations = len(parsed.values), len(parsed.populations)
        summary.neighbours = len(parsed.neighbours)
        BenchmarkImport.objects.create(
            file_name=str(Path(path).name)[:300], sha256=sha256(path), kind=parsed.kind, source=parsed.source[:120],
            vintage=parsed.vintage[:120], imported_at=now,
            counts={"figures": summary.values, "populations": summary.populations,
                    "neighbours": summary.neighbours, "years": parsed.years()})
    summary.seconds = time.perf_counter() - started
    return summary


def insert_many(model, rows, now):
    """Insert many rows fast: executemany on SQLite, COPY on PostgreSQL. bulk_create builds a model instance per
    row and, on SQLite, sends about 70 rows a statement, which makes the LAIT and c3 files take many seconds."""
    if not rows:
        return
    names = list(rows[0])
    fields = [model._meta.get_field(name) for name in names]
    for field_ in fields:  # only plain values pass straight through; anything else needs Django's adaptation
        assert field_.get_internal_type() in ("CharField", "PositiveSmallIntegerField", "PositiveIntegerField",
                                              "DecimalField"), field_
    stamp = model._meta.get_field("imported_at").get_db_prep_save(now, connection)
    quote = connection.ops.quote_name
    head = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}, "
            f"{quote('imported_at')}) VALUES ")
    placeholders = f"({', '.join(['%s'] * (len(fields) + 1))})"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # executemany is quickest on SQLite
            for start in range(0, len(rows), BATCH * 5):
                cursor.executemany(head + placeholders,
                                   [[row[name] for name in names] + [stamp] for row in rows[start:start + BATCH * 5]])
            return
        if connection.vendor == "postgresql":  # COPY: psycopg's executemany and long VALUES lists are slow
            columns = ", ".join(quote(f.column) for f in fields) + ", " + quote("imported_at")
            with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[name] for name in names] + [stamp])
            return
        for start in range(0, len(rows), BATCH):
            cursor.executemany(head + placeholders,
                               [[row[name] for name in names] + [stamp] for row in rows[start:start + BATCH]])


AUTHORITY_FIELDS = ("name", "new_code", "region_code", "region_name", "london_code", "london_name", "source")


def merge_authorities(authorities, now):
    if not authorities:
        return 0
    existing = LocalAuthority.objects.in_bulk(list(authorities), field_name="code")
    new, changed = [], []
    for code, info in authorities.items():
        record = existing.get(code)
        if record is None:
            new.append(LocalAuthority(updated_at=now, **{k: info.get(k, "") for k in ("code",) + AUTHORITY_FIELDS}))
            continue
        updates = {k: info[k] for k in AUTHORITY_FIELDS if info.get(k) and getattr(record, k) != info[k]}
        if set(updates) - {"source"}:
            for key, value in updates.items():
                setattr(record, key, value)
            record.updated_at = now
            changed.append(record)
    LocalAuthority.objects.bulk_create(new, batch_size=BATCH)
    LocalAuthority.objects.bulk_update(changed, list(AUTHORITY_FIELDS) + ["updated_at"], batch_size=500)
    return len(new) + len(changed)
