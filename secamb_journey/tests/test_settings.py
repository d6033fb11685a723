"""Settings come from the environment through strict helpers; production refuses to start unconfigured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from secamb_journey.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def _import_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import secamb_journey.settings.base"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_debug_off_and_no_secret_key_the_app_refuses_to_start_saying_what_to_set():
    result = _import_settings(DEBUG="false", ALLOWED_HOSTS="example.nhs.uk")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_with_debug_off_and_no_allowed_hosts_the_app_refuses_to_start():
    result = _import_settings(DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_with_debug_off_and_everything_set_the_settings_load():
    result = _import_settings(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.nhs.uk")
    assert result.returncode == 0, result.stderr


def test_a_development_machine_runs_with_debug_on_and_no_secret():
    assert _import_settings(DEBUG="true").returncode == 0


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("ON", True), ("1", True), ("no", False), ("0", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", not expected) is expected


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled"])
def test_env_bool_refuses_anything_ambiguous(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="not a yes/no value"):
        env_bool("FLAG", False)


def test_env_int_and_env_list_refuse_bad_values(monkeypatch):
    monkeypatch.setenv("NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("NUMBER", 1)
    monkeypatch.setenv("HOSTS", "example.nhs.uk,*")
    with pytest.raises(ImproperlyConfigured, match=r"may not contain '\*'"):
        env_list("HOSTS", [])


def test_production_settings_pass_the_deployment_checklist():
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        DEBUG="false",
        SECRET_KEY="a-production-like-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="improvement.secamb.nhs.uk",
        DJANGO_SETTINGS_MODULE="secamb_journey.settings.base",
    )
    # DJANGO_ALLOW_ASYNC_UNSAFE: the browser tests' conftest sets it in this process (Playwright's
    # event loop); a deployment never has it, and check --deploy rightly refuses it.
    for name in (
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
