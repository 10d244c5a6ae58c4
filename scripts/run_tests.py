"""`make test`: the unit and integration suite on SQLite, again on a fresh PostgreSQL database, then the
browser tests. In CI (CI=true) a missing PostgreSQL or Chromium fails the run instead of skipping."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import uuid

CHROMIUM = os.environ.get("ESP_CHROMIUM", "/usr/bin/chromium")
PG_HOST, PG_PORT = "127.0.0.1", 5432
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def postgres_url() -> str | None:
    if url := os.environ.get("ESP_TEST_POSTGRES_URL"):
        return url
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=2):
            pass
    except OSError:
        return None
    # Each run gets its own database; pytest-django creates "test_<name>" and drops it afterwards.
    return f"postgres://postgres@{PG_HOST}:{PG_PORT}/esp_{uuid.uuid4().hex[:10]}"


def pytest(args: list[str], extra_env: dict[str, str] | None = None) -> int:
    env = {**os.environ, **(extra_env or {})}
    command = [sys.executable, "-m", "pytest", *args]
    print("\n$", " ".join(command), flush=True)
    return subprocess.call(command, env=env)


def main() -> int:
    passthrough = sys.argv[1:]
    # Tests sharing one generated demo company go to one process (tests/conftest.py); the rest as xdist's "load".
    workers = ["-n", os.environ.get("ESP_TEST_WORKERS", "2")]
    failures = 0

    print("== unit and integration tests on SQLite", flush=True)
    failures += pytest([*workers, "-m", "not e2e", *passthrough]) != 0

    url = postgres_url()
    if url:
        # tests/core is pure (no database), and the own_site tests run their own SQLite site whatever
        # DATABASE_URL says: both ran in the stage above.
        print(f"== integration tests on PostgreSQL ({url.rsplit('/', 1)[-1]})", flush=True)
        failures += (
            pytest(
                [*workers, "-m", "not e2e and not own_site", "tests", "--ignore=tests/core", *passthrough],
                {"DATABASE_URL": url},
            )
            != 0
        )
    elif IN_CI:
        print("PostgreSQL does not answer on 127.0.0.1:5432 and CI=true: failing.", flush=True)
        failures += 1
    else:
        print("PostgreSQL not found on 127.0.0.1:5432: skipping the PostgreSQL run.", flush=True)

    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        print("== browser tests (Playwright on Chromium)", flush=True)
        failures += pytest(["-m", "e2e", *passthrough], {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"}) != 0
    elif IN_CI:
        print(f"Chromium not found at {CHROMIUM} and CI=true: failing.", flush=True)
        failures += 1
    else:
        print(f"Chromium not found at {CHROMIUM}: skipping browser tests (apt-get install chromium).", flush=True)

    print("\nALL TEST RUNS PASSED" if failures == 0 else f"\n{failures} TEST RUN(S) FAILED", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
