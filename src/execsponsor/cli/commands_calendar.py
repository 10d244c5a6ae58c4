"""esp import calendar FILE.ics: meetings from a Google or Outlook export (the CLI contract in ARCHITECTURE.md)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import typer
from rich.console import Console

from execsponsor.cli.django_setup import setup_django

err = Console(stderr=True, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

_SHOWN = 50


def _day(value: str | None, option: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), tzinfo=dt.UTC)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2026-01-31", param_hint=option) from None


def calendar(
    file: Path = typer.Argument(..., help="The .ics file (Google Calendar or Outlook export)"),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check every event and count; write nothing"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout"),
    since: str | None = typer.Option(None, "--since", help="First day of the window (default: a year ago)"),
    until: str | None = typer.Option(None, "--until", help="Day after the window (default: 90 days ahead)"),
    skip_bad_events: bool = typer.Option(
        False, "--skip-bad-events", help="Import the good meetings even when some events are broken"
    ),
    create_contacts: bool = typer.Option(
        False, "--create-contacts", help="Add unknown attendees as contacts of the account their email domain names"
    ),
    user: str | None = typer.Option(None, "--user", help="Import as this user (default: the system user)"),
) -> None:
    """Import the meetings of a calendar export as engagements waiting for their rubric."""
    window = (_day(since, "--since"), _day(until, "--until"))
    setup_django()
    from django.conf import settings

    from execsponsor.cli.actor import actor
    from execsponsor.engagements.calendar_import import too_big
    from execsponsor.engagements.calendar_services import CalendarFileError, calendar_import

    by = actor(user)
    try:
        size = file.stat().st_size
        if size > settings.CALENDAR_IMPORT_MAX_BYTES:
            # Refuse before reading a huge file into memory; parse_calendar says the same for uploads.
            raise CalendarFileError(too_big(size, settings.CALENDAR_IMPORT_MAX_BYTES))
        content = file.read_bytes()
        proposals = _proposals(content, file, window, by) if create_contacts else ()
        report = calendar_import(
            content=content,
            file_name=file.name,
            by=by,
            since=window[0],
            until=window[1],
            dry_run=dry_run,
            skip_bad_events=skip_bad_events,
            create_contacts=proposals,
        )
    except OSError as error:
        _fail(as_json, f"cannot read {file}: {error.strerror}")
    except CalendarFileError as error:
        _fail(as_json, f"{file.name}: {error}")
    document = report.as_dict()
    if as_json:
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
    else:
        _print_report(document, file)
    raise typer.Exit(1 if report.has_errors else 0)


def _proposals(content: bytes, file: Path, window, by) -> list[str]:
    from execsponsor.engagements.calendar_services import calendar_import

    plan = calendar_import(content=content, file_name=file.name, by=by, since=window[0], until=window[1], dry_run=True)
    return [proposal["email"] for proposal in plan.proposed_contacts]


def _fail(as_json: bool, message: str):
    if as_json:
        document = {
            "events": 0,
            "created": 0,
            "updated": 0,
            "skipped": [],
            "unmatched_attendees": [],
            "errors": [{"uid": None, "message": message}],
        }
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
    else:
        err.print(f"[red]error[/red] {message}")
    raise typer.Exit(2)


def _print_report(document: dict, file: Path) -> None:
    out.print(
        f"{file.name}: {document['events']:,} meetings from {document['window']['since'][:10]} to "
        f"{document['window']['until'][:10]} — {document['created']:,} created, {document['updated']:,} updated, "
        f"{document['unchanged']:,} unchanged, {document['removed']:,} removed (cancelled), "
        f"{sum(s['occurrences'] for s in document['skipped']):,} skipped."
    )
    broken = {(error["uid"], error["message"]) for error in document["errors"]}
    for skip in [s for s in document["skipped"] if (s["uid"], s["reason"]) not in broken][:_SHOWN]:
        times = f" ×{skip['occurrences']}" if skip["occurrences"] > 1 else ""
        out.print(f"[yellow]skipped[/yellow] {skip['summary'] or skip['uid']}{times}: {skip['reason']}")
    for error in document["errors"][:_SHOWN]:
        out.print(f"[red]error[/red] {error['summary'] or error['uid'] or 'an event'}: {error['message']}")
    if document["unmatched_attendees"]:
        out.print(f"Unknown attendees: {', '.join(document['unmatched_attendees'][:_SHOWN])}")
    for proposal in document["proposed_contacts"][:_SHOWN]:
        out.print(f"  could be a contact of {proposal['account']}: {proposal['email']} (--create-contacts adds them)")
    if document["contacts_created"]:
        out.print(f"Created {document['contacts_created']:,} contacts.")
    if document["dry_run"]:
        out.print("Dry run: nothing was written.")
    elif document["written"]:
        out.print("Imported. The meetings wait for their sponsor's rubric before they count.")
    else:
        out.print("Nothing was written: fix the broken events, or run again with --skip-bad-events.")


def register(import_app: typer.Typer) -> None:
    import_app.command("calendar")(calendar)
