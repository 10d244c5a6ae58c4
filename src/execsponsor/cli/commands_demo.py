"""esp demo: generate the demo company and serve it."""

from __future__ import annotations

import time

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from execsponsor.cli import commands_setup

console = Console(stderr=True)
out = Console()
ROLE_ORDER = ("admin", "program_owner", "executive", "account_executive", "csm", "viewer")


def demo(
    accounts: int = typer.Option(2000, "--accounts", min=40, help="How many customer accounts to generate"),
    seed: int = typer.Option(42, "--seed", help="Random seed: the same seed and size give the same company"),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Start the web server and worker afterwards"),
    keep: bool = typer.Option(False, "--keep", help="Reuse the existing demo company if there is one"),
) -> None:
    """Generate the demo company (wiping customer data), print sign-in details, then serve it."""
    commands_setup.init()
    from execsponsor.demo.generator import demo_exists, generate_demo, planted_effects

    if keep and demo_exists():
        console.print("Keeping the existing demo company (run without --keep to regenerate it).")
        truth = planted_effects() or {}
    else:
        truth = _generate(generate_demo, accounts=accounts, seed=seed)
    _print_sign_in(truth)
    if serve:
        commands_setup.serve(host="127.0.0.1", port=8000, workers=2, with_worker=True)


def _generate(generate_demo, *, accounts: int, seed: int) -> dict:
    from execsponsor.demo.generator import STAGES

    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(), console=console,
    ) as progress:  # fmt: skip
        task = progress.add_task("Demo company", total=len(STAGES))
        stage_started = [time.perf_counter()]

        def on_stage(number: int, label: str) -> None:
            if number:
                progress.console.print(f"  done in {time.perf_counter() - stage_started[0]:.1f} s")
            stage_started[0] = time.perf_counter()
            progress.update(task, completed=number, description=label)
            progress.console.print(f"[{number + 1}/{len(STAGES)}] {label}")

        truth = generate_demo(accounts=accounts, seed=seed, on_stage=on_stage)
        progress.update(task, completed=len(STAGES), description="Done")
    counts = truth.get("counts", {})
    console.print(
        f"Generated {counts.get('accounts', 0):,} accounts, {counts.get('contacts', 0):,} contacts and "
        f"{counts.get('engagements', 0):,} engagements in {time.perf_counter() - started:.0f} s (seed {seed})."
    )
    return truth


def _print_sign_in(truth: dict) -> None:
    from execsponsor.demo.plan import DEMO_PASSWORD
    from execsponsor.users.models import Role

    table = Table(title="Sign in at http://127.0.0.1:8000 (demo data only)")
    table.add_column("Role")
    table.add_column("Username")
    table.add_column("Password")
    for role in ROLE_ORDER:
        username = truth.get("sign_in", {}).get(role)
        if username:
            table.add_row(Role(role).label, username, DEMO_PASSWORD)
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command()(demo)
