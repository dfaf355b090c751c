"""How the property-based tests (hypothesis, and schemathesis on top of it) choose their examples.

- "repeatable", the default (`make test`, `.ci/run`): derandomized, so the same commit always draws the same
  examples and gives the same result; no deadline and no too-slow health check, whose verdicts depend on the
  machine's load; schemathesis gets a fixed seed (FUZZ_SEED, 0 unless set).
- "hunt" (`make fuzz-hunt`, HYPOTHESIS_PROFILE=hunt): random, with more examples; schemathesis gets a random seed,
  shown in the report header so that a failure can be repeated with FUZZ_SEED=... and the failing example's
  blob (print_blob) with @reproduce_failure.

No profile keeps an example database: nothing of a run is written into the tree or read back by the next run.
Hypothesis's other files (its caches of Unicode data and of the constants in the code) go to
HYPOTHESIS_STORAGE_DIRECTORY, by default a folder in the system's temporary directory, not .hypothesis/ here.
"""
import os
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

REPEATABLE, HUNT = "repeatable", "hunt"

settings.register_profile(REPEATABLE, derandomize=True, database=None, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(HUNT, derandomize=False, database=None, deadline=None, print_blob=True,
                          max_examples=1000, suppress_health_check=[HealthCheck.too_slow])


def load():
    """Loads the profile HYPOTHESIS_PROFILE names (repeatable unless set); pytest's --hypothesis-profile, read
    later, still wins."""
    set_hypothesis_home_dir(os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY")
                            or Path(tempfile.gettempdir()) / f"hypothesis-{os.getuid()}")
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", REPEATABLE))


def hunting():
    return settings.get_current_profile_name() == HUNT


def fuzz_seed():
    """Schemathesis's seed: FUZZ_SEED if set; otherwise 0, or a random one on a hunt. Chosen once a run."""
    global _seed
    if _seed is None:
        given = os.environ.get("FUZZ_SEED")
        _seed = int(given) if given else random.getrandbits(32) if hunting() else 0
    return _seed


_seed = None
