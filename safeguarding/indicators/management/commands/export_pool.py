from django.core.management.base import BaseCommand, CommandError

from safeguarding.indicators.engine import pool
from safeguarding.indicators.engine.run import connect
from safeguarding.returns.identifiers import key_fingerprint
from safeguarding.returns.store import TABLES, AnalyticalStore


class Command(BaseCommand):
    help = ("Write the analytical store to a pool: Parquet files partitioned by authority and year (la=…/year=…), "
            "with a manifest naming the pseudonymisation key by its fingerprint, for DuckDB or Spark to read "
            "(indicators --pool) or another system to import (import_pool).")

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A new (or empty) folder for the pool")

    def handle(self, *args, folder, **options):
        store = AnalyticalStore()
        if not store.exists():
            raise CommandError("The analytical store is empty: import returns first")
        returns = [{"la": r.la, "year": r.year, "kind": r.kind, "source": r.source, "sha256": r.sha256,
                    "loaded_at": r.loaded_at.isoformat(), "counts": r.counts} for r in store.loaded_returns()]
        con = connect(store.url)
        try:
            rows = pool.export(con, store.schema, TABLES, folder, key_fingerprint=key_fingerprint(), returns=returns)
        except pool.PoolError as error:
            raise CommandError(str(error)) from None
        finally:
            disconnect = getattr(con, "disconnect", None)
            if disconnect:
                disconnect()
        self.stdout.write(f"Wrote {len(returns)} returns, {sum(rows.values()):,} rows, to the pool {folder} "
                          f"(key fingerprint {key_fingerprint()}).")
