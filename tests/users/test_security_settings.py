"""Production-like settings, read in a fresh interpreter from the environment as a deployment would set it."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import execsponsor

PROBE = (
    "import json, execsponsor.settings as s; print(json.dumps({name: getattr(s, name) for name in "
    "['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SECURE_SSL_REDIRECT', "
    "'SECURE_HSTS_SECONDS', 'SECURE_CONTENT_TYPE_NOSNIFF', 'X_FRAME_OPTIONS']}))"
)


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        # The code under test (this checkout), not whichever copy the interpreter has installed.
        "PYTHONPATH": str(Path(execsponsor.__file__).resolve().parents[1]),
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
    values = read_settings(tmp_path, ESP_SECURE_COOKIES="false", SECURE_SSL_REDIRECT=None)
    assert values["SESSION_COOKIE_SECURE"] is False


def test_plain_local_http_has_insecure_cookies_by_default_and_a_real_host_secure_ones(tmp_path):
    local = read_settings(tmp_path, ALLOWED_HOSTS="127.0.0.1,localhost", SECURE_SSL_REDIRECT=None)
    public = read_settings(tmp_path, ALLOWED_HOSTS="execsponsor.example.com", SECURE_SSL_REDIRECT=None)
    assert local["SESSION_COOKIE_SECURE"] is False
    assert public["SESSION_COOKIE_SECURE"] is True


def test_a_leftover_local_env_cannot_turn_secure_cookies_off_over_tls(tmp_path):
    for tls in ({"BEHIND_TLS_PROXY": "true"}, {"SECURE_SSL_REDIRECT": "true"}):
        values = read_settings(tmp_path, ESP_SECURE_COOKIES="false", **tls)
        assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True


def test_the_env_file_esp_init_writes_holds_no_production_unsafe_value(tmp_path):
    from execsponsor.cli.commands_setup import write_env_file

    written = tmp_path / ".env"
    assert write_env_file(written)
    text = written.read_text()
    assert "ESP_SECURE_COOKIES=false" not in text and "DEBUG=true" not in text
    values = read_settings(tmp_path, ESP_ENV_FILE=str(written), SECRET_KEY=None)
    assert values["SESSION_COOKIE_SECURE"] is True and values["DEBUG"] is False


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


def _deploy_check(env: dict[str, str]) -> str:
    django_admin = Path(sys.executable).with_name("django-admin")
    result = subprocess.run(
        [str(django_admin), "check", "--deploy", "--settings", "execsponsor.settings"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def test_the_deployment_check_is_clean_with_the_production_settings_of_the_deploy_guide(tmp_path):
    """docs/deploy.md's checklist: TLS at the balancer, HSTS, trusted proxies, and the .env of `esp init`."""
    from execsponsor.cli.commands_setup import write_env_file

    env_file = tmp_path / ".env"
    write_env_file(env_file)
    env = production_env(
        tmp_path,
        ESP_ENV_FILE=str(env_file),
        ALLOWED_HOSTS="execsponsor.example.com",
        CSRF_TRUSTED_ORIGINS="https://execsponsor.example.com",
        BEHIND_TLS_PROXY="true",
        ESP_TRUSTED_PROXIES="10.0.3.7",
    )

    report = _deploy_check(env)

    assert "WARNINGS:" not in report and "ERRORS:" not in report, report
    assert "no issues" in report
