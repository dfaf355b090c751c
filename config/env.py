"""Small helpers that read settings from the environment (one place, typed)."""
import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}

# True only when manage.py is asked for help (`manage.py help`, `manage.py COMMAND --help`): nothing runs, so the
# settings load without the settings a run needs (SECRET_KEY). Set in manage.py's own process, never from the
# environment, so no variable can switch production's checks off.
HELP_ONLY = False


class SettingError(ImproperlyConfigured):
    """A setting missing or wrong in the environment. Its message is one line saying what to set; manage.py
    prints it without a traceback."""


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in TRUE_WORDS


def env_int(name, default):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise SettingError(f"{name} must be a whole number, not {value!r} (see README, Settings).") from None


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]
