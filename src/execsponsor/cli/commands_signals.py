"""esp signals ingest FILE: bounces, automatic replies and job-change feeds in; departures out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console

from execsponsor.cli.django_setup import setup_django

err = Console(stderr=True, soft_wrap=True)
signals_app = typer.Typer(help="Signals about customer contacts: esp signals ingest FILE.", no_args_is_help=True)


@signals_app.command("ingest")
def ingest(
    file: Path = typer.Argument(..., help=".eml, mbox, or an enrichment feed (.csv or .json)"),
    dry_run: bool = typer.Option(False, "--dry-run", help="Read and report; record nothing"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout"),
    user: str | None = typer.Option(None, "--user", help="Act as this program owner"),
) -> None:
    """Record what a file says about our contacts and raise an alert for each probable departure."""
    setup_django()
    from execsponsor.cli.commands_program import operator
    from execsponsor.common.errors import InvalidInput
    from execsponsor.signals.services import signals_ingest

    try:
        raw = file.read_bytes()
    except OSError as error:
        err.print(f"[red]Cannot read {file}: {error.strerror}[/red]")
        raise typer.Exit(2) from error
    try:
        report = signals_ingest(by=operator(user), name=file.name, raw=raw, dry_run=dry_run)
    except InvalidInput as error:
        if as_json:
            document = {
                "signals": [],
                "alerts_raised": 0,
                "errors": [{"line": None, "column": "file", "message": str(error)}],
            }
            sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
        err.print(f"[red]{file.name}: {error}[/red]")
        raise typer.Exit(2) from error
    document = report.as_dict()
    if as_json:
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
    else:
        _print(report, file.name, dry_run)
    raise typer.Exit(1 if report.errors else 0)


def _print(report, name: str, dry_run: bool) -> None:
    out = Console(highlight=False, soft_wrap=True)
    out.print(f"{name}: {report.messages} item(s) read, {len(report.signals)} signal(s)")
    for signal in report.signals:
        out.print(f"  {signal['kind']:<17} {signal['email']:<40} {signal['detail'][:70]}")
    for problem in report.errors:
        out.print(f"  [yellow]item {problem['line']}: {problem['message']}[/yellow]")
    if report.unmatched:
        out.print(f"  Not a known contact: {', '.join(sorted(set(report.unmatched))[:10])}")
    if dry_run:
        out.print("Dry run: nothing was recorded.")
        return
    out.print(f"Recorded {report.recorded} new signal(s) ({report.already_known} already known).")
    for departure in report.departures:
        out.print(
            f"  [bold]Probable departure[/bold]: {departure['email']} at {departure['account']} "
            f"({round(100 * departure['confidence'])}% sure) — alert #{departure['alert_id']}"
        )
    out.print(f"{report.alerts_raised} alert(s) raised.")


def register(app: typer.Typer) -> None:
    app.add_typer(signals_app, name="signals")
