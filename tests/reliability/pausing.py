"""Processes of the system that stop at a chosen point in the middle of writing, so a test can SIGKILL them
exactly there. The point reached is announced by writing the process id to the file named by RELIABILITY_MARKER;
then the process sleeps until it is killed. Nothing here is imported by the application.

python -m tests.reliability.pausing worker      `manage.py task_worker`, whose import stops after writing part of
                                                the return (as tests/returns/kill_during_import.py stops a bare
                                                import, for tests/returns/test_robustness.py)
python -m tests.reliability.pausing publish PK  publishes yearly report PK, stopping after the report's row has
                                                been written and before the version it supersedes is
python -m tests.reliability.pausing build ARGS  `manage.py build_report ARGS`, stopping half way through writing
                                                the file
"""
import builtins
import io
import os
import sys
import time


def pause():
    marker = os.environ["RELIABILITY_MARKER"]
    with open(marker + ".tmp", "w") as out:
        out.write(str(os.getpid()))
    os.replace(marker + ".tmp", marker)
    time.sleep(600)
    raise SystemExit("not killed")


def pause_import_mid_write(after_flushes=10):
    from safeguarding.returns import store

    store.BATCH_ROWS = 50  # many small batches, so rows of the new return are written before the pause
    flushes = {"n": 0}
    original = store._Writer.flush

    def flush_then_pause(self, table):
        original(self, table)
        flushes["n"] += 1
        if flushes["n"] == after_flushes:
            pause()

    store._Writer.flush = flush_then_pause


def pause_after_first_update():
    from safeguarding.core import audit

    original = audit.update

    def update_then_pause(instance, *, by):
        result = original(instance, by=by)
        pause()
        return result

    audit.update = update_then_pause


def pause_half_way_through_writing():
    """Any file opened for binary writing in RELIABILITY_PAUSE_IN gets the first half of the first thing written to
    it, flushed to disk, and then the process stops."""
    real_open = builtins.open

    class HalfWritten:
        def __init__(self, handle):
            self.handle = handle

        def write(self, data):
            self.handle.write(bytes(data)[: len(data) // 2])
            self.handle.flush()
            os.fsync(self.handle.fileno())
            pause()

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    folder = os.path.realpath(os.environ["RELIABILITY_PAUSE_IN"])  # only files written there (not font caches)

    def opening(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        if "w" in mode and "b" in mode:
            name = os.readlink(f"/proc/self/fd/{file}") if isinstance(file, int) else os.fspath(file)
            if os.path.dirname(os.path.realpath(name)) == folder:
                return HalfWritten(handle)
        return handle

    builtins.open = io.open = opening


def main(mode, *args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if mode == "worker":
        pause_import_mid_write()
        call_command("task_worker", "--no-startup-delay", "--no-reload", "--interval", "0.2")
    elif mode == "publish":
        from safeguarding.accounts.models import User
        from safeguarding.reports import services
        from safeguarding.reports.models import YearlyReport

        report = YearlyReport.objects.get(pk=int(args[0]))
        pause_after_first_update()
        services.publish(report=report, by=User.objects.get(email=args[1]),
                         incomplete_because="The test publishes a report that is not finished.")
    elif mode == "build":
        pause_half_way_through_writing()
        call_command("build_report", *args)
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(*sys.argv[1:])
