"""A database held by another writer past busy_timeout: reads still answer, writes answer 503, never 500."""

from __future__ import annotations

import http.cookiejar
import json
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.live_site import esp, free_port, init_site, site_env, start_serve, wait_until_answers

pytestmark = pytest.mark.own_site


def _send(url: str, *, token: str = "", body: bytes | None = None, content_type: str = "application/json"):
    headers = {"Content-Type": content_type, **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(url, data=body, headers=headers, method="POST" if body else "GET")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 — our own local server
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def _sign_in(url: str) -> tuple[int, str]:
    """The sign-in form as a browser sends it (CSRF cookie and field); a failed sign-in is recorded (a write)."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = browser.open(url, timeout=60).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "username": "ops", "password": "wrong-password"})
    try:
        with browser.open(url, data=body.encode(), timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_a_locked_database_answers_reads_and_503_for_writes(tmp_path):
    env = site_env(tmp_path)
    assert init_site(env).returncode == 0
    assert esp(env, "user", "create", "ops", "--role", "admin").returncode == 0
    token = esp(env, "token", "create", "ops", "--name", "probe").stdout.strip().splitlines()[-1]
    port = free_port()
    serve = start_serve(env, port, "--workers", "1", "--no-worker")
    base = f"http://127.0.0.1:{port}"
    holder = sqlite3.connect(Path(env["ESP_DATA_DIR"]) / "execsponsor.sqlite3", isolation_level=None)
    try:
        wait_until_answers(f"{base}/healthz")
        holder.execute("BEGIN IMMEDIATE")  # another writer, holding the lock longer than busy_timeout

        read = _send(f"{base}/api/v1/accounts", token=token)
        write = _send(f"{base}/api/v1/accounts", token=token, body=json.dumps({"name": "Acme"}).encode())
        sign_in = _sign_in(f"{base}/login/")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        serve.terminate()
        serve.wait(timeout=30)

    assert read[0] == 200
    assert write[0] == 503 and write[1]["Retry-After"] == "5"
    assert "The database is busy" in json.loads(write[2])["message"]
    assert sign_in[0] == 503 and "The database is busy" in sign_in[1]
