"""Run an import that pauses in the middle of writing, so a test can SIGKILL it there.

python -m tests.returns.kill_during_import FILE  (with ANALYTICS_URL / ANALYTICS_SCHEMA in the environment)
"""
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from safeguarding.returns import store as store_module  # noqa: E402
from safeguarding.returns.importer import import_return  # noqa: E402

store_module.BATCH_ROWS = 50  # many small batches, so rows are written before the pause
flushes = {"n": 0}
original = store_module._Writer.flush


def flush_then_pause(self, table):
    original(self, table)
    if self.buffers is not None:
        flushes["n"] += 1
        if flushes["n"] == 10:
            print("WRITING", flush=True)  # rows of the new return are in the open transaction
            time.sleep(120)


store_module._Writer.flush = flush_then_pause
import_return([sys.argv[1]], la="210")
print("FINISHED", flush=True)
