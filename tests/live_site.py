"""A real ExecSponsor in subprocesses: its own data dir (file-based SQLite), `esp init`, `esp serve`.

For the tests that need separate processes: signals to `esp serve`, an import beside live API traffic. These
sites ignore DATABASE_URL, so the PostgreSQL stage of `make test` leaves them out (the `own_site` marker).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def site_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "execsponsor.settings",
            "ESP_DATA_DIR": str(tmp_path / "data"),
            "ESP_ENV_FILE": str(tmp_path / "no.env"),
            "ESP_TESTING": "false",
            "ESP_SECURE_COOKIES": "false",
            "SECRET_KEY": "test-only-secret-for-a-live-site",
            "DEBUG": "false",
            "PYTHONPATH": os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        }
    )
    return env


def _schema_key() -> str:
    """Changes whenever a migration does, so a template is never older than the code."""
    digest = hashlib.sha256(sys.executable.encode())
    for path in sorted(SRC.glob("execsponsor/*/migrations/*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def init_site(env: dict[str, str]) -> subprocess.CompletedProcess:
    """`esp init` on the site's data dir, starting from a migrated copy of an empty install.

    Migrating a new SQLite file takes about 30 seconds; it is done once per test run (the test processes
    share the copy under a file lock) and each site starts from the copy, then runs the real `esp init`,
    which finds the schema up to date and seeds what it seeds on every start."""
    template = Path(os.environ.get("TMPDIR", "/tmp")) / f"esp-test-site-{_schema_key()}"
    template.mkdir(exist_ok=True)
    with open(template / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (template / "ready").exists():
            made = esp({**env, "ESP_DATA_DIR": str(template / "data")}, "init")
            if made.returncode != 0:
                return made
            (template / "ready").touch()
    data = Path(env["ESP_DATA_DIR"])
    data.mkdir(parents=True, exist_ok=True)
    if not (data / "execsponsor.sqlite3").exists():
        shutil.copyfile(template / "data" / "execsponsor.sqlite3", data / "execsponsor.sqlite3")
    return esp(env, "init")


def esp(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "execsponsor.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def wait_until_answers(url: str, *, within: float = 60) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 — our own local server
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {within} s")


def descendants(pid: int) -> set[int]:
    """Every live process below `pid`, from /proc (Linux)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z":
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def start_serve(env: dict[str, str], port: int, *options: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "execsponsor.cli", "serve", "--port", str(port), *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
