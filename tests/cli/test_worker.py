"""`esp worker` schedules the periodic jobs unless told not to (`--no-periodic`, for every worker but one)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests.live_site import esp, init_site, site_env

pytestmark = pytest.mark.own_site


def _startup_log(env: dict[str, str], *options: str) -> str:
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "execsponsor.cli", "worker", "--workers", "1", *options],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = worker.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Periodic tasks are" in line:
                break
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)
    return "".join(lines)


@pytest.mark.parametrize(("options", "said"), [((), "enabled"), (("--no-periodic",), "disabled")])
def test_the_worker_says_whether_it_schedules_the_periodic_jobs(tmp_path, options, said):
    env = site_env(tmp_path)
    assert init_site(env).returncode == 0
    assert f"Periodic tasks are {said}" in _startup_log(env, *options)


def test_no_worker_threads_is_refused(tmp_path):
    result = esp(site_env(tmp_path), "worker", "--workers", "0")
    assert result.returncode == 2 and "--workers must be 1 or more" in result.stderr
