"""Every accounts-list case over HTTP, at two sizes: does a page's cost grow with the number of accounts?

    .venv/bin/python bench/search_latency.py [--sizes 10000 100000] [--requests 100] [--data /tmp]

For each size it generates the demo company once into <data>/esp-search-<N>/ (ESP_DATA_DIR; reused when
present), serves it with `esp serve` (gunicorn, 2 workers, no background worker) on a free loopback port,
signs in through the sign-in page as the program owner and as an account executive, and times sequential
requests per case. It prints each case's median and p95 at every size and the p95 ratio of the largest size to
the smallest. Targets (issue 8): every case p95 < 100 ms at 100,000 accounts and < 1.2x its 10,000 figure.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
SECRET = "bench-only-secret-key-" + "x" * 40
PASSWORD = "execsponsor-demo"  # the demo company's password (docs/demo.md)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def environment(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ESP_DATA_DIR": str(data_dir),
        "SECRET_KEY": SECRET,
        "ESP_SECURE_COOKIES": "false",  # plain HTTP on loopback
        "PYTHONPATH": str(ROOT / "src"),
    }


def ensure_demo(data_dir: Path, accounts: int) -> None:
    marker = data_dir / f".demo-{accounts}"
    if marker.exists():
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.check_call(
        [str(BIN / "esp"), "demo", "--accounts", str(accounts), "--no-serve"], env=environment(data_dir)
    )
    print(f"demo company with {accounts} accounts generated in {time.perf_counter() - started:.0f} s", flush=True)
    marker.touch()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """A signed-in HTTP client: cookies, and the CSRF token of the sign-in form."""

    def __init__(self, base: str, username: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        form = self.opener.open(f"{base}/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        body = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
        request = urllib.request.Request(f"{base}/login/", data=body.encode(), headers={"Referer": base})
        landing = self.opener.open(request)
        if "/login" in landing.geturl():
            raise SystemExit(f"could not sign in as {username}")

    def time(self, paths: list[str]) -> tuple[list[float], int]:
        timings, size = [], 0
        for path in paths:
            started = time.perf_counter()
            with self.opener.open(self.base + path) as response:
                size = len(response.read())
                status = response.status
            timings.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
        return timings, size


def wait_for(base: str, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit("esp serve exited")
        try:
            urllib.request.urlopen(f"{base}/login/", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("esp serve did not answer")


def people_and_fragments(data_dir: Path) -> tuple[str, str, int, list[str]]:
    """The program owner's and a busy account executive's usernames, that AE's id, and name fragments."""
    db = sqlite3.connect(data_dir / "execsponsor.sqlite3")
    owner = db.execute("SELECT username FROM users_user WHERE role = 'program_owner' ORDER BY id LIMIT 1").fetchone()[0]
    ae_id, ae = db.execute(
        "SELECT u.id, u.username FROM users_user u JOIN customers_account a ON a.owner_id = u.id"
        " WHERE u.role = 'account_executive' GROUP BY u.id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    names = [row[0] for row in db.execute("SELECT name FROM customers_account ORDER BY id LIMIT 2000")]
    db.close()
    rng = random.Random(18)
    fragments = []
    for name in rng.sample(names, 40):
        word = max(name.split(), key=len)
        start = rng.randrange(0, max(1, len(word) - 4))
        fragments.append(word[start : start + rng.choice((3, 4, 5))])
    return owner, ae, ae_id, fragments + ["zzqx", "São", "rhein"]


def cases(requests: int, ae_id: int, fragments: list[str]) -> dict[str, tuple[str, list[str]]]:
    segments, sorts = ["enterprise", "mid_market", "smb"], ["name", "-arr", "health", "-renewal"]
    q = urllib.parse.quote
    n = range(requests)
    return {
        "list: segment, sort, page 1-20": (
            "owner",
            [f"/accounts/?segment={segments[i % 3]}&sort={sorts[i % 4]}&page={1 + i % 20}" for i in n],
        ),
        "search: name fragment (3-5 chars), sort by name": (
            "owner",
            [f"/accounts/?q={q(fragments[i % len(fragments)])}" for i in n],
        ),
        "search: name fragment, sort by ARR, page 2": (
            "owner",
            [f"/accounts/?q={q(fragments[i % len(fragments)])}&sort=-arr&page=2" for i in n],
        ),
        "search: one letter, sort by ARR, page 2": (
            "owner",
            [f"/accounts/?q={chr(65 + i % 26)}&sort=-arr&page=2" for i in n],
        ),
        "search: two letters": ("owner", [f"/accounts/?q={chr(97 + i % 26)}{chr(97 + (i * 7) % 26)}" for i in n]),
        "filter: health band, not in program, sort": (
            "owner",
            [f"/accounts/?health={['red', 'yellow', 'green'][i % 3]}&program=no&sort={sorts[(i + 1) % 4]}" for i in n],
        ),
        "filter: owner": ("owner", [f"/accounts/?owner={ae_id}&sort={sorts[i % 4]}" for i in n]),
        "account executive: own accounts": ("ae", [f"/accounts/?sort={sorts[i % 4]}&page={1 + i % 3}" for i in n]),
    }


def start_server(data_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "esp"), "serve", "--port", str(port), "--workers", "2", "--no-worker"],
        env=environment(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so that stopping it stops gunicorn's workers too
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(base, server)
    return server, base


def stop_server(server: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def measure(sizes: list[int], data_root: Path, requests: int) -> dict[int, dict[str, tuple[float, float, int]]]:
    """Each case's (median, p95, page bytes) per size. The sizes' servers run side by side and every request
    to one is followed by the same request to the other, so load from other work on the machine hits both."""
    servers, plans, browsers = [], {}, {}
    try:
        for size in sizes:
            data_dir = data_root / f"esp-search-{size}"
            ensure_demo(data_dir, size)
            owner, ae, ae_id, fragments = people_and_fragments(data_dir)
            server, base = start_server(data_dir)
            servers.append(server)
            browsers[size] = {"owner": Browser(base, owner), "ae": Browser(base, ae)}
            plans[size] = cases(requests, ae_id, fragments)
        results: dict[int, dict] = {size: {} for size in sizes}
        for label in plans[sizes[0]]:
            timings: dict[int, list[float]] = {size: [] for size in sizes}
            sizes_seen: dict[int, int] = {}
            for size in sizes:
                who, paths = plans[size][label]
                browsers[size][who].time(paths[:5])  # warm both workers
            for i in range(requests):
                for size in sizes:
                    who, paths = plans[size][label]
                    elapsed, sizes_seen[size] = browsers[size][who].time([paths[i]])
                    timings[size].extend(elapsed)
            for size in sizes:
                row = (statistics.median(timings[size]), percentile(timings[size], 95), sizes_seen[size])
                results[size][label] = row
                print(
                    f"{size:>7} accounts  {label:<50} median {row[0]:6.1f} ms  p95 {row[1]:6.1f} ms"
                    f"  last page {row[2] / 1000:5.1f} KB",
                    flush=True,
                )
        return results
    finally:
        for server in servers:
            stop_server(server)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--data", type=Path, default=Path("/tmp"))
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    by_size = measure(sizes, args.data, args.requests)
    small, large = sizes[0], sizes[-1]
    print(
        f"\n{'case':<50} {'p95 @ ' + format(small, ','):>14} {'p95 @ ' + format(large, ','):>14} {'ratio':>7}"
        f" {'KB @ ' + format(large, ','):>14}"
    )
    for label in by_size[small]:
        p_small, p_large = by_size[small][label][1], by_size[large][label][1]
        kilobytes = by_size[large][label][2] / 1000
        print(f"{label:<50} {p_small:11.1f} ms {p_large:11.1f} ms {p_large / p_small:6.2f}x {kilobytes:11.1f} KB")


if __name__ == "__main__":
    main()
