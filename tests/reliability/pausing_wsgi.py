"""The application as gunicorn serves it (config.wsgi), except that with RELIABILITY_MARKER set the first request
that creates RELIABILITY_PAUSE_AFTER records of the kind RELIABILITY_PAUSE_RECORD stops there, in the middle of
its transaction, so a test can SIGKILL the worker at that point (see tests.reliability.pausing). For tests only:
nothing in the application imports it.
"""
import os

from config.wsgi import application  # noqa: F401  (what gunicorn serves)
from safeguarding.core import audit
from tests.reliability.pausing import pause

_original_create = audit.create
_created = {"n": 0}


def _create_then_maybe_pause(instance, *, by):
    result = _original_create(instance, by=by)
    marker = os.environ.get("RELIABILITY_MARKER")
    if marker and type(instance).__name__ == os.environ["RELIABILITY_PAUSE_RECORD"] and not os.path.exists(marker):
        _created["n"] += 1
        if _created["n"] == int(os.environ.get("RELIABILITY_PAUSE_AFTER", "2")):
            pause()
    return result


audit.create = _create_then_maybe_pause
