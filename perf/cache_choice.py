"""Which shared cache (issue 19, point 2; ADR 0031): the time one dashboard view spends reading what it keeps, and
what writing it costs, on each candidate, with the dashboard's real entries.

Run `perf/dashboard_speed.py` first (or point --folder at any VAR_DIR whose `page_cache` table holds a worked-out
dashboard). The entries are read from that table as they are (pickled tables, trends, chart specifications) and
written to and read back from:

  locmem     Django's per-process memory cache (what each gunicorn worker had before: not shared);
  file       Django's file cache in a folder (shared by the workers of one host);
  db-sqlite  Django's database cache in the demo's SQLite database (the choice);
  db-postgres  the same on PostgreSQL, when --postgres-url is given (run under scripts/with-postgres);
  redis      Django's Redis cache, when --redis-url is given and the `redis` package can be imported (it is not in
             the project's locks: e.g. `pip install --target /tmp/redispkg redis` and PYTHONPATH=/tmp/redispkg).

Usage: .venv/bin/python perf/cache_choice.py --folder /tmp/dashboard-speed-XXXX [--rounds 200]
           [--postgres-url postgres://...] [--redis-url redis://127.0.0.1:6390/0]
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", required=True)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--postgres-url")
    parser.add_argument("--redis-url")
    args = parser.parse_args()
    os.environ.update(VAR_DIR=args.folder, DATABASE_URL=f"sqlite:///{args.folder}/db.sqlite3", DEMO="1",
                      DJANGO_SETTINGS_MODULE="config.settings")
    import django

    django.setup()
    import pickle

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM page_cache WHERE cache_key LIKE '%dashboard:%' "
                       "OR cache_key LIKE '%small-specs%'")
        import base64

        entries = {key.split(":", 2)[2]: pickle.loads(base64.b64decode(value)) for key, value in cursor.fetchall()}
    # One view of the default dashboard reads: the table, the trends, the releases used, the small charts' specs
    # and the workforce specs (views.page_context); the keys are those of the newest version found.
    kinds = ("dashboard:table:", "dashboard:trends:", "dashboard:releases-", "dashboard:small-specs-0:",
             "dashboard:workforce-specs:")
    view = [key for key in entries if key.startswith(kinds)]
    sizes = {k: len(pickle.dumps(v, pickle.HIGHEST_PROTOCOL)) for k, v in entries.items()}
    print(f"{len(entries)} entries, {sum(sizes.values()) / 1024:.0f} kB pickled; one view reads {len(view)} "
          f"({sum(sizes[k] for k in view) / 1024:.0f} kB); {args.rounds} rounds; load average "
          f"{os.getloadavg()[0]:.2f}")
    print("| cache | one view's reads: median, p95 (ms) | writing every entry (ms) | shared by workers | survives a "
          "restart | written in the import's transaction |")
    print("|---|---|---|---|---|---|")
    for name, backend, shared, lasting, transactional in candidates(args):
        backend.clear()
        started = time.perf_counter()
        for key, value in entries.items():
            backend.set(key, value, 3600)
        writing = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            for key in view:
                assert backend.get(key) is not None
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        print(f"| {name} | {statistics.median(times):.2f}, {times[int(len(times) * 0.95)]:.2f} | {writing:.1f} | "
              f"{shared} | {lasting} | {transactional} |")
        backend.clear()


def candidates(args):
    from django.core.cache.backends.db import DatabaseCache
    from django.core.cache.backends.filebased import FileBasedCache
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.management import call_command

    yield "locmem", LocMemCache("bench", {}), "no", "no", "no"
    yield "file", FileBasedCache(tempfile.mkdtemp(prefix="cache-choice-"), {}), "one host", "yes", "no"
    call_command("createcachetable", "bench_cache", verbosity=0)
    yield "db-sqlite", DatabaseCache("bench_cache", {}), "yes", "yes", "yes"
    if args.postgres_url:
        from django.db import connections

        import dj_database_url

        connections.settings["pg"] = {**dj_database_url.parse(args.postgres_url, conn_max_age=600),
                                      "TIME_ZONE": None, "CONN_HEALTH_CHECKS": False, "ATOMIC_REQUESTS": False,
                                      "AUTOCOMMIT": True, "OPTIONS": {}, "TEST": {}}
        from django.db import router

        call_command("createcachetable", "bench_cache", database="pg", verbosity=0)
        pg = DatabaseCache("bench_cache", {})
        router.db_for_read = router.db_for_write = lambda *a, **k: "pg"
        yield "db-postgres", pg, "yes", "yes", "yes"
    if args.redis_url:
        try:
            import redis  # noqa: F401
        except ImportError:
            print("| redis | not measured: the redis package is not importable | | | | |")
            return
        from django.core.cache.backends.redis import RedisCache

        yield "redis", RedisCache(args.redis_url, {}), "yes", "if persistence is on", "no"


if __name__ == "__main__":
    main()
