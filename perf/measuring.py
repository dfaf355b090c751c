"""What the performance scripts share: the project's root, the environment they run Django in, and the figures
each measurement reports (peak memory and CPU seconds of this process). Imported as `measuring` by a script run
from the project root (`.venv/bin/python perf/SCRIPT.py`: the script's folder is first on sys.path)."""
import os
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def cpu_s():
    # Every thread of the process, user and system: on a shared machine, a steadier figure than wall time.
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def django_setup():
    """Start Django in this process, as manage.py would with DEBUG=1."""
    sys.path.insert(0, str(ROOT))
    os.environ.update({"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"})
    import django

    django.setup()
