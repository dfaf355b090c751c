"""Settings come from the environment; production refuses to start without a real secret key."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env):
    clean = {k: v for k, v in os.environ.items()
             if k not in ("SECRET_KEY", "DEBUG", "DEMO", "PYTEST_VERSION", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    clean.update(env)
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
                          cwd=ROOT, env=clean, capture_output=True, text=True)


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_check(VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_short_secret_key(tmp_path):
    result = run_check(VAR_DIR=str(tmp_path), SECRET_KEY="short")
    assert result.returncode != 0 and "too short" in result.stderr


def test_production_starts_with_a_real_key_and_secure_settings(tmp_path):
    result = run_check(VAR_DIR=str(tmp_path), SECRET_KEY="k" * 30 + "-a-real-random-production-key-0123456789")
    assert result.returncode == 0, result.stderr


def test_database_url_chooses_the_database(tmp_path):
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    clean = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    clean.update(DEBUG="1", VAR_DIR=str(tmp_path), DATABASE_URL="postgres://u:p@127.0.0.1:5/x")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=clean,
                            capture_output=True, text=True)
    assert result.stdout.strip().endswith("postgresql"), result.stderr


@pytest.mark.django_db
def test_an_unknown_host_gets_the_bad_request_page_not_a_server_error(client):
    # Django refuses the Host before the sign-in middleware has run, so the page has no request.user.
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "Safeguarding partnership system" in response.content.decode()
