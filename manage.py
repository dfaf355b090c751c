#!/usr/bin/env python3
import os
import sys

HELP_WORDS = {"--help", "-h"}


def asks_for_help(argv):
    """`manage.py`, `manage.py help [COMMAND]`, `manage.py --help`, `--version`, or a command with --help or -h
    (before a `--`, after which its words are arguments): nothing runs, so the settings need no SECRET_KEY."""
    words = argv[1:]
    if not words or words[0] in {"help", "version", "--version", *HELP_WORDS}:
        return True
    words = words[1:words.index("--")] if "--" in words else words[1:]
    return any(word in HELP_WORDS for word in words)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config import env

    env.HELP_ONLY = asks_for_help(sys.argv)
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except env.SettingError as error:
        # A setting missing or wrong: one line saying what to set, not a traceback.
        sys.exit(f"{sys.argv[1] if len(sys.argv) > 1 else 'manage.py'}: {error}")
