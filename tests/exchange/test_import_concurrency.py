"""While a large import writes (another process, file-based SQLite), the API keeps answering: no 500, no 503.

Before the import wrote in short per-batch transactions, it held SQLite's write lock for its whole run and
every request that wrote (token last-use included) failed with "database is locked" after busy_timeout.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.live_site import esp, free_port, init_site, site_env, start_serve, wait_until_answers

pytestmark = pytest.mark.own_site

ACCOUNTS = 500
ACTIVITIES = 80_000


def _call(url: str, token: str, *, body: dict | None = None) -> int:
    request = urllib.request.Request(  # noqa: S310 — our own local server
        url,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST" if body is not None else "GET",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _files(tmp_path):
    accounts = tmp_path / "Account.csv"
    accounts.write_text("Id,Name\n" + "".join(f"001C{n:08d},Account {n}\n" for n in range(ACCOUNTS)))
    events = tmp_path / "Event.csv"
    with events.open("w") as out:
        out.write("Id,AccountId,Subject,Type,StartDateTime\n")
        for n in range(ACTIVITIES):
            out.write(f"00UC{n:010d},001C{n % ACCOUNTS:08d},Call {n},Call,2026-03-{n % 28 + 1:02d}T10:00:00.000+0000\n")
    return accounts, events


def test_api_requests_succeed_while_an_import_writes(tmp_path):
    env = site_env(tmp_path)
    assert init_site(env).returncode == 0
    assert esp(env, "user", "create", "ops", "--role", "admin").returncode == 0
    token = esp(env, "token", "create", "ops", "--name", "probe").stdout.strip().splitlines()[-1]
    accounts, events = _files(tmp_path)
    assert esp(env, "import", "salesforce", "accounts", str(accounts)).returncode == 0
    port = free_port()
    serve = start_serve(env, port, "--workers", "2", "--no-worker")
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_answers(f"{base}/healthz")
        importing = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "execsponsor.cli", "import", "salesforce", "activities", str(events), "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        statuses: list[int] = []
        wrote = False
        while importing.poll() is None:
            statuses.append(_call(f"{base}/api/v1/accounts?limit=20", token))
            if not wrote and len(statuses) > 5:
                statuses.append(_call(f"{base}/api/v1/accounts", token, body={"name": "Written during the import"}))
                wrote = True
            time.sleep(0.05)
        report = json.loads(importing.stdout.read())
    finally:
        serve.terminate()
        serve.wait(timeout=30)

    assert report["created"] == ACTIVITIES and report["written"] is True
    assert len(statuses) >= 10, "the import ended before the API was probed"
    assert wrote and set(statuses) <= {200, 201}, statuses
