"""`esp serve` stops gunicorn and the worker when it is told to stop, and frees its port."""

from __future__ import annotations

import signal
import time

import pytest

from tests.live_site import (
    alive,
    descendants,
    free_port,
    init_site,
    port_is_free,
    site_env,
    start_serve,
    wait_until_answers,
)

pytestmark = pytest.mark.own_site


def test_sigterm_stops_gunicorn_and_the_worker_and_frees_the_port(tmp_path):
    env = site_env(tmp_path)
    assert init_site(env).returncode == 0
    port = free_port()
    serve = start_serve(env, port, "--workers", "1")
    try:
        wait_until_answers(f"http://127.0.0.1:{port}/healthz")
        children = descendants(serve.pid)
        assert len(children) >= 3  # the worker, gunicorn's master and its worker at least

        serve.send_signal(signal.SIGTERM)

        assert serve.wait(timeout=15) == 0
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and (any(alive(pid) for pid in children) or not port_is_free(port)):
            time.sleep(0.1)
        assert [pid for pid in children if alive(pid)] == []
        assert port_is_free(port)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait(timeout=5)
