"""esp demo | import | export | backup | restore."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from execsponsor.cli.django_setup import setup_django

console = Console(stderr=True)


def backup(file: Path = typer.Argument(..., help="Where to write the backup")) -> None:
    """A consistent backup of the whole database (SQLite backup API, or pg_dump custom format), app running."""
    setup_django()
    from execsponsor.backup import BackupError, backup_to, vendor

    try:
        size = backup_to(file)
    except BackupError as error:
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(2) from None
    except OSError as error:
        console.print(f"[red]Cannot write {file}: {error.strerror}.[/red]")
        raise typer.Exit(2) from None
    console.print(f"Backed up the {vendor()} database to {file} ({size / 1e6:,.1f} MB).")


def restore(
    file: Path = typer.Argument(..., help="A file written by `esp backup`"),
    force: bool = typer.Option(False, "--force", help="Replace a database that already holds program data"),
) -> None:
    """Restore a backup into an empty database (stop `esp serve` first), then bring its schema up to date."""
    setup_django()
    from django.core.management import call_command

    from execsponsor.backup import BackupError, restore_from

    try:
        restore_from(file, force=force)
    except BackupError as error:
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(2) from None
    call_command("migrate", interactive=False, verbosity=0)
    console.print(f"Restored {file}; the schema is up to date.")


def register(app: typer.Typer) -> None:
    from execsponsor.cli import commands_calendar, commands_demo, commands_import, commands_users

    commands_demo.register(app)
    commands_import.register(app)
    commands_calendar.register(commands_import.import_app)
    commands_users.register(app)
    app.command()(backup)
    app.command()(restore)
