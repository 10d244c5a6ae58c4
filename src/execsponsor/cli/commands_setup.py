"""esp init | demo | serve | worker."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import typer
from rich.console import Console

from execsponsor.cli.django_setup import setup_django

console = Console(stderr=True)


def _project_dir() -> Path:
    from execsponsor.env import env_str

    return Path(env_str("ESP_PROJECT_DIR", str(Path(__file__).resolve().parents[3])))


def write_env_file(path: Path) -> bool:
    """Write a local .env with a fresh secret key, once. Returns True when it wrote one."""
    if path.exists():
        return False
    path.write_text(
        "# Written by `esp init`. Environment variables override these values.\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
        "DEBUG=false\n"
        "# Cookies are Secure unless ALLOWED_HOSTS names only this machine (plain local HTTP); a site served\n"
        "# over HTTPS (BEHIND_TLS_PROXY or SECURE_SSL_REDIRECT) always has them. See docs/deploy.md.\n",
        encoding="utf-8",
    )
    path.chmod(0o600)
    return True


def init() -> None:
    """Write .env (if missing) and create or upgrade the database schema. Idempotent."""
    env_path = Path(os.environ.get("ESP_ENV_FILE", _project_dir() / ".env"))
    if not os.environ.get("SECRET_KEY") and write_env_file(env_path):
        console.print(f"Wrote {env_path} with a fresh secret key.")
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from execsponsor.playbooks.builtins import ensure_built_in_playbooks
    from execsponsor.program.services import builtin_data_ensure

    builtin_data_ensure()
    ensure_built_in_playbooks()
    console.print("Database schema is up to date.")
    _print_setup_link()


def _print_setup_link() -> None:
    """A new install has nobody to sign in as: the setup page (open only while nobody exists) makes the admin."""
    from django.conf import settings

    from execsponsor.users.models import User

    if not User.objects.exists():
        console.print(f"Nobody can sign in yet: open {settings.SITE_URL.rstrip('/')}/setup/ to create the first admin.")


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
    workers: int = typer.Option(2, help="Web worker processes"),
    with_worker: bool = typer.Option(True, "--with-worker/--no-worker", help="Also run the background worker"),
) -> None:
    """Serve the web app (gunicorn) and, by default, the background worker."""
    setup_django()
    if pending := pending_migrations():
        console.print(
            f"[red]The database schema is {len(pending)} migration(s) behind this version: run `esp init` first.[/red]"
        )
        raise typer.Exit(2)
    children = []
    if with_worker:
        children.append(subprocess.Popen([sys.executable, "-m", "execsponsor.cli", "worker"]))  # noqa: S603
    web = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "execsponsor.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--graceful-timeout",
            str(GRACEFUL_SECONDS),
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ]
    )
    children.insert(0, web)
    raise typer.Exit(_supervise(web, children))


# How long gunicorn lets running requests finish after SIGTERM, and how long we wait for a child before SIGKILL.
GRACEFUL_SECONDS = 10


def _supervise(web: subprocess.Popen, children: list[subprocess.Popen]) -> int:
    """Wait for gunicorn; SIGTERM, SIGINT or SIGHUP to us stops every child, then we exit (0 when asked to stop)."""
    asked_to_stop = False

    def stop(signum, _frame) -> None:
        nonlocal asked_to_stop
        asked_to_stop = True
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        code = web.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for child in children:
            _stop_child(child)
    return 0 if asked_to_stop else code


def _stop_child(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.terminate()
    try:
        child.wait(timeout=GRACEFUL_SECONDS + 2)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def pending_migrations() -> list:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def worker(
    workers: int = typer.Option(2, help="Worker threads"),
    periodic: bool = typer.Option(
        True,
        "--periodic/--no-periodic",
        help="Also schedule the periodic jobs (sweeps, digests, nightly analyses). Run exactly one worker with "
        "them when several share a queue; each job is idempotent, so two schedulers are safe, only wasteful.",
    ),
) -> None:
    """Run the background worker (Huey consumer)."""
    if workers < 1:
        typer.echo("--workers must be 1 or more.", err=True)
        raise typer.Exit(2)
    setup_django()
    from django.core.management import call_command

    call_command("run_huey", workers=workers, periodic=periodic)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(serve)
    app.command()(worker)
