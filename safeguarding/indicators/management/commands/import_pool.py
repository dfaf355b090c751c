from pathlib import Path

import pyarrow.dataset as ds
from django.core.management.base import BaseCommand, CommandError

from safeguarding.indicators.engine import pool
from safeguarding.indicators.services import recompute
from safeguarding.returns.identifiers import key_fingerprint
from safeguarding.returns.store import KIND_TABLES, TABLES, WRITTEN, AnalyticalStore


def partition_rows(folder, table, la, year):
    """The rows of one authority and year of a pool's table, as tuples of the columns an import writes (the store
    works out the others again: store.DERIVED)."""
    path = folder / table / f"la={la}" / f"year={year}"
    if not path.is_dir():
        return []
    frame = ds.dataset(path, format="parquet").to_table()
    columns = [c for c, _ in WRITTEN[table]]
    values = [[la] * frame.num_rows if c == "la" else [year] * frame.num_rows if c == "year"
              else frame.column(c).to_pylist() for c in columns]
    return list(zip(*values))


class Command(BaseCommand):
    help = ("Import a pool (export_pool) into the analytical store: each return it holds replaces the store's "
            "return of the same authority, kind and year. Refused when the pool's pseudonyms were made under "
            "another key than this system's.")

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The pool's folder (with its _pool.json)")
        parser.add_argument("--la", action="append", help="Only this authority (repeat for more)")

    def handle(self, *args, folder, **options):
        try:
            manifest = pool.open_pools([folder])[0]
            pool.same_key([manifest], expected=key_fingerprint())
        except pool.PoolError as error:
            raise CommandError(str(error)) from None
        if manifest["tables"] != {name: [list(c) for c in columns] for name, columns in TABLES.items()}:
            raise CommandError(f"{folder} has other tables or columns than this system's store: export it again "
                               "with this version")
        store = AnalyticalStore()
        root = Path(folder)
        wanted = [r for r in manifest["returns"] if not options["la"] or r["la"] in options["la"]]
        for number, loaded in enumerate(wanted, start=1):
            la, year, kind = loaded["la"], int(loaded["year"]), loaded["kind"]
            with store.replacing(la=la, year=year, kind=kind, source=f"pool {root.name}: {loaded['source']}",
                                 sha256=loaded["sha256"]) as writer:
                for table in KIND_TABLES[kind]:
                    for row in partition_rows(root, table, la, year):
                        writer.add(table, row)
            self.stdout.write(f"{number}/{len(wanted)}: {la} {year} {kind}")
        # As after any import, the figures read what was just loaded (returns/services.py).
        values = sum(recompute(la, store=store) for la in sorted({r["la"] for r in wanted}))
        self.stdout.write(f"Imported {len(wanted)} returns from the pool {folder}; {values:,} indicator values "
                          "worked out again.")
