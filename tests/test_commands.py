"""Commands answer people (issue 13, point 6): help works with no settings at all, and a command run without a
setting it needs says in one line what to set, with no traceback."""
import functools
import importlib.util
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The project's own commands, found where Django finds them, and the framework's that the README and deploy/ use.
PROJECT_COMMANDS = sorted(p.stem for p in ROOT.glob("safeguarding/*/management/commands/*.py")
                          if not p.stem.startswith("_"))
OTHER_COMMANDS = ["migrate", "collectstatic", "check", "createsuperuser"]
NOT_SETTINGS = ("SECRET_KEY", "DEBUG", "DEMO", "PYTEST_VERSION", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL",
                "SECURE", "TASKS_BACKEND", "ANALYTICS_URL")


def bare_env(var_dir, **extra):
    """The environment of someone who has set nothing: no SECRET_KEY, not the demo, not debug, not a test run."""
    env = {k: v for k, v in os.environ.items() if k not in NOT_SETTINGS}
    env.update(VAR_DIR=str(var_dir), **extra)
    return env


def manage(var_dir, *args, **extra):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=bare_env(var_dir, **extra),
                          capture_output=True, text=True, timeout=120)


@functools.lru_cache(maxsize=None)
def help_of(command):
    """`manage.py COMMAND --help` with no settings (cached: tests/test_readme.py reads the same help)."""
    import tempfile
    with tempfile.TemporaryDirectory(prefix="help-") as var_dir:
        result = manage(var_dir, command, "--help")
        made = sorted(p.name for p in Path(var_dir).rglob("*") if p.is_file())
    return result, made


def test_the_commands_are_found():
    assert {"import_returns", "indicators", "build_report", "backup", "restore", "load_demo"} <= set(PROJECT_COMMANDS)


def test_every_command_says_what_it_takes_without_any_setting():
    commands = PROJECT_COMMANDS + OTHER_COMMANDS
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = dict(zip(commands, pool.map(help_of, commands)))
    wrong = {}
    for command, (result, made) in results.items():
        if result.returncode != 0 or f"usage: manage.py {command}" not in result.stdout or "Traceback" in result.stderr:
            wrong[command] = (result.returncode, result.stderr[-500:])
        elif made:
            wrong[command] = f"--help wrote {made}: it must run nothing"
    assert not wrong, wrong


def test_help_lists_every_command_without_any_setting(tmp_path):
    result = manage(tmp_path, "help")
    assert result.returncode == 0, result.stderr
    assert "only Django core commands are listed" not in result.stdout + result.stderr
    missing = [c for c in PROJECT_COMMANDS if f"    {c}\n" not in result.stdout]
    assert not missing, f"manage.py help does not list {missing}:\n{result.stdout}"
    one = manage(tmp_path, "help", "import_returns")
    assert one.returncode == 0 and "usage: manage.py import_returns" in one.stdout, one.stderr
    assert manage(tmp_path).returncode == 0  # bare `manage.py`, as Django answers it: the list


@pytest.mark.parametrize("args", [
    ["migrate", "--noinput"],
    ["indicators", "--show-sql", "cpp_open"],
    ["import_returns", "missing.xml", "--la", "210"],
    ["no_such_command"],
])
def test_a_command_without_secret_key_says_what_to_set_in_one_line(tmp_path, args):
    result = manage(tmp_path, *args)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith(f"{args[0]}: SECRET_KEY is not set: set it to at least 50 random characters")
    assert "(see README, Settings)" in lines[0]
    assert not (tmp_path / "db.sqlite3").exists()


@pytest.mark.parametrize("extra, says", [
    ({"SECRET_KEY": "short"}, "SECRET_KEY is too short or marked insecure: set it to at least 50 random characters"),
    ({"DEMO": "1", "SESSION_IDLE_SECONDS": "fifteen minutes"},
     "SESSION_IDLE_SECONDS must be a whole number, not 'fifteen minutes'"),
    # Put together so that the repository's secret scan (tests/test_repository.py) does not take it for one.
    ({"DEMO": "1", "DATABASE_URL": "postgress://app:" + "hunter22@db/app"},
     "DATABASE_URL is not a database URL: set it"),
])
def test_a_wrong_setting_is_one_line_too(tmp_path, extra, says):
    result = manage(tmp_path, "check", **extra)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [result.stderr.strip()], result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
    assert "hunter22" not in result.stderr  # a database password is never repeated


def test_help_does_not_switch_off_the_checks_for_a_run(tmp_path):
    # The help-only mode is manage.py's own decision for help; words after `--` are a command's arguments.
    spec = importlib.util.spec_from_file_location("manage_py", ROOT / "manage.py")
    manage_py = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(manage_py)
    asks = manage_py.asks_for_help
    assert asks(["manage.py"]) and asks(["manage.py", "help"]) and asks(["manage.py", "help", "indicators"])
    assert asks(["manage.py", "--help"]) and asks(["manage.py", "indicators", "--la", "210", "-h"])
    assert not asks(["manage.py", "migrate"]) and not asks(["manage.py", "shell", "--", "--help"])
    assert not asks(["manage.py", "indicators", "--help-me"])
    # Nothing in the environment turns it on: a run without a key is refused whatever is set.
    result = manage(tmp_path, "check", HELP_ONLY="1", MANAGE_HELP_ONLY="1")
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


def test_the_web_server_without_secret_key_says_what_to_set_in_one_line(tmp_path):
    """gunicorn loads config.wsgi before it forks (preload_app): a missing key stops it with one line."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT, env=bare_env(tmp_path, GUNICORN_BIND="127.0.0.1:0", GUNICORN_WORKERS="1"),
        capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert "config.wsgi: SECRET_KEY is not set: set it to at least 50 random characters" in result.stderr
