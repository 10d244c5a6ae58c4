"""With REDIS_URL set (the documented deployment for several machines), jobs go through Redis and every
process shares one cache: a real Redis on 127.0.0.1:6379, a real worker process and a real enqueue."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.live_site import init_site, site_env

REDIS = ("127.0.0.1", 6379)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=2):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.own_site,
    pytest.mark.skipif(not redis_answers() and not IN_CI, reason="Redis does not answer on 6379"),
]


# Each test has a Redis database of its own, so tests running side by side never share a queue.
DATABASES = {"queue": 14, "cache": 13}


@pytest.fixture
def redis_env(request, tmp_path):
    import redis

    number = DATABASES[request.param]
    redis.Redis(host=REDIS[0], port=REDIS[1], db=number).flushdb()
    env = site_env(tmp_path)
    env["REDIS_URL"] = f"redis://{REDIS[0]}:{REDIS[1]}/{number}"
    assert init_site(env).returncode == 0
    yield env
    redis.Redis(host=REDIS[0], port=REDIS[1], db=number).flushdb()


def run_python(env, code: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env={**env, "DJANGO_SETTINGS_MODULE": "execsponsor.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("redis_env", ["queue"], indirect=True)
def test_a_job_enqueued_by_one_process_is_run_by_a_worker_through_redis(redis_env, tmp_path):
    said = run_python(
        redis_env,
        "from execsponsor.jobs.tasks import hourly_cadence_sweep\n"
        "from django.conf import settings\n"
        "print(settings.HUEY['huey_class'])\n"
        "hourly_cadence_sweep()\n",
    )
    assert "RedisHuey" in said
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "execsponsor.cli", "worker", "--workers", "1", "--no-periodic"],
        env=redis_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        database = tmp_path / "data" / "execsponsor.sqlite3"
        deadline = time.monotonic() + 60
        outcome = None
        while time.monotonic() < deadline and outcome is None:
            with sqlite3.connect(database) as db:
                row = db.execute("SELECT outcome FROM jobs_jobrun WHERE name = 'cadence-sweep'").fetchone()
            outcome = row[0] if row and row[0] != "running" else None
            time.sleep(0.3)
        assert outcome == "ok"
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=20)


@pytest.mark.parametrize("redis_env", ["cache"], indirect=True)
def test_every_process_shares_one_cache(redis_env):
    run_python(redis_env, "from django.core.cache import cache\ncache.set('shared-probe', 'from process one', 60)\n")
    said = run_python(redis_env, "from django.core.cache import cache\nprint(cache.get('shared-probe'))\n")
    assert said.strip() == "from process one"
