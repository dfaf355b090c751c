"""Every command in the README runs as written from a fresh clone (issue 13, point 6).

The README's ```sh blocks are run line by line, in order, in a copy of the repository as a clone of this commit
would have it (with the venv `make` installs, and ../shared beside it as CI has it), after the state that
`make demo` leaves before it starts serving. The commands named in the README's table must exist and take the
options it shows.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_commands import NOT_SETTINGS, PROJECT_COMMANDS, help_of

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()

# Lines of the README's ```sh blocks not run here, and why. Their effect that the lines after them need is made
# by the test itself (the_state_make_demo_leaves).
UNSAFE = {
    "make demo": "installs into the venv every test shares, and serves until stopped; the test makes what it "
                 "leaves before serving (var/secret_key, the migrated demo database and its returns)",
    "make test": "runs the whole test suite, this test included",
}


def sh_lines():
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        lines += [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return lines


def fresh_clone(target):
    """The repository's files as a clone of the working tree would have them (tracked, and new files not yet
    added but not ignored), the venv linked in, and ../shared beside it as in CI."""
    names = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, names):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(Path(sys.prefix))
    if (ROOT / "frontend" / "build").is_dir():
        (target / "frontend" / "build").symlink_to(ROOT / "frontend" / "build")  # `npm run build`, in make demo
    shared = ROOT.parent / "shared"
    if shared.is_dir() and not (target.parent / "shared").exists():
        (target.parent / "shared").symlink_to(shared)
    return target


def the_state_make_demo_leaves(clone, env):
    """`make demo` up to its serving: the key file (by make's own rule), migrate, the demo and its returns."""
    subprocess.run(["make", "-s", "var/secret_key"], cwd=clone, env=env, check=True, capture_output=True)
    demo_env = dict(env, DEMO="1", SECRET_KEY=(clone / "var" / "secret_key").read_text().strip())
    for step in (["migrate", "--noinput", "-v0"], ["load_demo", "--returns"]):
        result = subprocess.run([".venv/bin/python", "manage.py", *step], cwd=clone, env=demo_env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, (step, result.stderr[-2000:])


def test_the_readme_has_commands_to_run():
    lines = sh_lines()
    assert [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip() in UNSAFE] == list(UNSAFE)
    assert sum(1 for line in lines if "manage.py" in line) >= 5


@pytest.mark.parametrize("command", sorted(UNSAFE))
def test_the_lines_not_run_are_make_targets_that_exist(command):
    # make -n prints what the target would do without doing it.
    result = subprocess.run(["make", "-n", *command.split()[1:]], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_readme_command_runs_as_written_from_a_fresh_clone(tmp_path):
    clone = fresh_clone((tmp_path / "clone"))
    env = {k: v for k, v in os.environ.items() if k not in NOT_SETTINGS + ("VAR_DIR", "VIRTUAL_ENV")}
    the_state_make_demo_leaves(clone, env)
    exports, ran, failed = [], [], []
    for line in sh_lines():
        command = line.split("#")[0].strip()
        if command in UNSAFE:
            continue
        if command.startswith("export "):
            exports.append(command)
        result = subprocess.run(["bash", "-c", "set -eu\n" + "\n".join([*exports, command])], cwd=clone, env=env,
                                capture_output=True, text=True, timeout=600)
        ran.append(command)
        if result.returncode != 0 or "Traceback" in result.stderr:
            failed.append((command, result.returncode, result.stderr[-1500:]))
    assert not failed, failed
    assert (clone / "var" / "report-2021.pdf").read_bytes().startswith(b"%PDF")
    assert len(ran) == len(sh_lines()) - len(UNSAFE)


def table_commands():
    """(command, options) for each command the README's table and text name in backticks."""
    found = []
    for span in re.findall(r"`([^`\n]+)`", README):
        words = span.replace("manage.py ", "").replace(".venv/bin/python ", "").split()
        for i, word in enumerate(words):
            if word in PROJECT_COMMANDS or word == "db_worker":
                rest = words[i + 1:]
                found.append((word, sorted({w.strip("[]").split("=")[0] for w in rest
                                            if re.fullmatch(r"\[?--[a-z][a-z-]*\]?", w.split("=")[0])})))
                break
    return found


def test_every_command_the_readme_names_exists_and_takes_the_options_it_shows():
    named = table_commands()
    assert {"import_returns", "indicators", "build_report", "backup", "restore"} <= {c for c, _ in named}
    wrong = []
    for command, options in named:
        result, _ = help_of(command)
        if result.returncode != 0:
            wrong.append((command, "no such command", result.stderr[-300:]))
        wrong += [(command, option, "not an option") for option in options
                  if not re.search(rf"(?<![\w-]){option}(?![\w-])", result.stdout)]
    assert not wrong, wrong


@pytest.mark.parametrize("command", PROJECT_COMMANDS)
def test_the_readme_names_every_project_command(command):
    assert f"`{command}" in README or f"manage.py {command}" in README, f"the README does not say what {command} does"
