"""API traffic during a large activities import on file-based SQLite: p95, errors, and the import's own rows/s.

    .venv/bin/python bench/import_concurrency.py [--rows 300000] [--accounts 5000] [--contacts 20000]
                                                 [--clients 4] [--workers 2]

In a fresh data dir (bench/out/data-concurrency, SQLite in WAL mode as in production):

  1. `esp init`, an admin with an API token, the accounts, contacts and owners the events point at (not timed);
  2. `esp serve --no-worker` (gunicorn, --workers) on a free port;
  3. <clients> threads send API requests with the token for 5 s alone (baseline), then during
     the import (import_run(), what `esp import salesforce activities FILE` runs) in another process:
     GET /api/v1/accounts?limit=20 and
     GET /api/v1/accounts/{id}, and one write in twenty (POST /api/v1/accounts);
  4. after the server is stopped: the same import again into emptied engagement tables (no traffic), and
     the raw reference of bench/import_activities.py on the same file and database: csv.reader + the same
     parsing, then executemany into the same tables in one transaction.

Prints, for the baseline and during the import: requests, errors (any status but 200/201, or no answer),
p50/p95/max latency; the import's rows/s against the raw reference's (targets: 0 errors, p95 < 1 s, the
import within 2x of the raw inserts).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import import_activities as activities  # noqa: E402 — the file generator and the raw reference

OUT = HERE / "out"
DATA = OUT / "data-concurrency"
SRC = HERE.parent / "src"


def _env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="execsponsor.settings",
        ESP_DATA_DIR=str(DATA),
        ESP_ENV_FILE=str(OUT / "no.env"),
        ESP_SECURE_COOKIES="false",
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        DEBUG="false",
        PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH", "")])),
    )
    return env


def _esp(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "execsponsor.cli", *args]
    return subprocess.run(command, env=_env(), capture_output=True, text=True, check=True)  # noqa: S603


def _child(step: str, args) -> None:
    """Runs in a fresh process with the bench's environment: load the references, or the raw reference."""
    import django

    django.setup()
    from django.db import connection

    if step == "load":
        activities.load_people_and_accounts(accounts=args.accounts, contacts=args.contacts)
        print(json.dumps({"ok": True}))
        return
    if step in ("import", "quiet-import"):
        from execsponsor.exchange.importing.services import import_run
        from execsponsor.users.services import system_user

        if step == "quiet-import":  # the same import again into empty engagement tables, no traffic (not timed)
            with connection.cursor() as cursor:
                for table in ("engagements_engagementcontact", "engagements_engagementattendee"):
                    cursor.execute(f"DELETE FROM {table}")  # noqa: S608
                cursor.execute("DELETE FROM engagements_engagement WHERE source = 'salesforce'")

        started = time.perf_counter()
        with Path(args.file).open("rb") as stream:
            report = import_run(
                stream=stream, source="salesforce", kind="activities", file_name="Event.csv", by=system_user()
            )
        seconds = time.perf_counter() - started
        print(json.dumps({"seconds": seconds, "written": report.written, "created": report.created}))
        return
    maps = activities.id_maps()
    connection.close()
    figures = activities.raw_sqlite(Path(args.file), Path(connection.settings_dict["NAME"]), maps)
    print(json.dumps(figures))


def _run_child(step: str, args, path: Path) -> dict:
    command = [sys.executable, __file__, "--child", step, "--file", str(path)]
    command += ["--accounts", str(args.accounts), "--contacts", str(args.contacts)]
    result = subprocess.run(command, env=_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise SystemExit(result.stdout + result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


class Traffic:
    """Client threads sending API requests until stopped; (seconds, ok) per request, per phase."""

    def __init__(self, base: str, token: str, clients: int, accounts: int):
        self.base, self.token, self.clients, self.accounts = base, token, clients, min(accounts, 1000)
        self.phase = "baseline"
        self.samples: dict[str, list[tuple[float, bool, int]]] = {"baseline": [], "import": []}
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._loop, args=(n,), daemon=True) for n in range(clients)]

    def _request(self, n: int, count: int) -> int:
        if count % 20 == 19:
            url, body = f"{self.base}/api/v1/accounts", json.dumps({"name": f"Bench {n}-{count}"}).encode()
        elif count % 2:
            url, body = f"{self.base}/api/v1/accounts/{1 + (count * 7 + n) % self.accounts}", None
        else:
            url, body = f"{self.base}/api/v1/accounts?limit=20&offset={(count * 20) % self.accounts}", None
        request = urllib.request.Request(  # noqa: S310 — our own local server
            url,
            data=body,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
            method="POST" if body else "GET",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0

    def _loop(self, n: int) -> None:
        count = 0
        while not self.stopping.is_set():
            phase = self.phase
            started = time.perf_counter()
            status = self._request(n, count)
            self.samples[phase].append((time.perf_counter() - started, status in (200, 201), status))
            count += 1

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)


def _summary(samples: list[tuple[float, bool, int]]) -> str:
    if not samples:
        return "no requests"
    times = sorted(seconds for seconds, _ok, _status in samples)
    errors = [status for _seconds, ok, status in samples if not ok]
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    statuses = f" (statuses {sorted(set(errors))})" if errors else ""
    return (
        f"{len(samples):,} requests, {len(errors)} errors{statuses}, p50 {statistics.median(times) * 1000:,.0f} ms, "
        f"p95 {p95 * 1000:,.0f} ms, max {times[-1] * 1000:,.0f} ms"
    )


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_answers(url: str) -> None:
    for _ in range(300):
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--accounts", type=int, default=5_000)
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child", choices=["load", "import", "quiet-import", "raw"])
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.child:
        _child(args.child, args)
        return 0
    path = OUT / f"Event-{args.rows}-{args.accounts}-{args.contacts}.csv"
    activities.generate(path, rows=args.rows, accounts=args.accounts, contacts=args.contacts)
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    _esp("init")
    _esp("user", "create", "bench-admin", "--role", "admin")
    token = _esp("token", "create", "bench-admin", "--name", "bench").stdout.strip().splitlines()[-1]
    _run_child("load", args, path)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "execsponsor.cli", "serve", "--no-worker", "--workers", str(args.workers)]
        + ["--port", str(port)],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_answers(f"http://127.0.0.1:{port}/healthz")
        traffic = Traffic(f"http://127.0.0.1:{port}", token, args.clients, args.accounts)
        traffic.start()
        time.sleep(5)
        traffic.phase = "import"
        report = _run_child("import", args, path)
        traffic.stop()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert report["written"] and report["created"] == args.rows, report
    import_seconds = report["seconds"]
    quiet = _run_child("quiet-import", args, path)
    raw = _run_child("raw", args, path)
    esp_rate, raw_rate = args.rows / import_seconds, args.rows / raw["same"]
    quiet_rate = args.rows / quiet["seconds"]
    print(f"{path.name}: {args.rows:,} events; {args.clients} API clients; gunicorn --workers {args.workers}")
    print(f"  API alone        : {_summary(traffic.samples['baseline'])}")
    print(f"  API during import: {_summary(traffic.samples['import'])}")
    print(f"  import (import_run, under that traffic): {esp_rate:,.0f} rows/s ({import_seconds:.1f} s)")
    print(f"  import again, no traffic, server stopped: {quiet_rate:,.0f} rows/s ({quiet['seconds']:.1f} s)")
    print(
        f"  raw reference, same tables, one transaction, server stopped: {raw_rate:,.0f} rows/s "
        f"({raw['same']:.1f} s) -> ratio {raw_rate / quiet_rate:.2f}x to the quiet import, "
        f"{raw_rate / esp_rate:.2f}x to the import under traffic"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
