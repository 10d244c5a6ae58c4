"""Production-like settings, read in a fresh interpreter from the environment as a deployment would set it."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

PROBE = (
    "import json, execsponsor.settings as s; print(json.dumps({name: getattr(s, name) for name in "
    "['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SECURE_SSL_REDIRECT', "
    "'SECURE_HSTS_SECONDS', 'SECURE_CONTENT_TYPE_NOSNIFF', 'X_FRAME_OPTIONS']}))"
)
# Deliberately left to the deployer: they depend on every subdomain being HTTPS-only.
ACCEPTED_DEPLOY_WARNINGS = {"security.W005", "security.W021"}


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        # A developer's local .env (which turns secure cookies off for plain HTTP) must not leak in.
        "ESP_ENV_FILE": str(tmp_path / "no.env"),
        "ESP_DATA_DIR": str(tmp_path / "data"),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "example.com",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_HSTS_SECONDS": "31536000",
    }
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def read_settings(tmp_path: Path, **overrides: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=production_env(tmp_path, **overrides), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_cookies_are_secure_outside_debug_by_default(tmp_path):
    values = read_settings(tmp_path)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"


def test_secure_cookies_can_be_turned_off_explicitly_for_plain_http_on_localhost(tmp_path):
    values = read_settings(tmp_path, ESP_SECURE_COOKIES="false")
    assert values["SESSION_COOKIE_SECURE"] is False


def test_debug_mode_does_not_demand_https_cookies(tmp_path):
    assert read_settings(tmp_path, DEBUG="true")["SESSION_COOKIE_SECURE"] is False


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_misspelt_boolean_is_a_configuration_error_not_a_silent_default(tmp_path):
    env = production_env(tmp_path, ESP_SECURE_COOKIES="ture")
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "ESP_SECURE_COOKIES must be true or false" in result.stderr


def test_the_deployment_check_finds_nothing_but_the_hsts_choices_left_to_the_deployer(tmp_path):
    django_admin = Path(sys.executable).with_name("django-admin")
    result = subprocess.run(
        [str(django_admin), "check", "--deploy", "--settings", "execsponsor.settings"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    report = result.stdout + result.stderr
    assert "ERRORS:" not in report
    raised = {line.split("(", 1)[1].split(")", 1)[0] for line in report.splitlines() if line.startswith("?: (")}
    assert raised <= ACCEPTED_DEPLOY_WARNINGS, report
