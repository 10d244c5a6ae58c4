"""esp import SOURCE KIND FILE, esp export KIND FILE: CSV in and out (the CLI contract in ARCHITECTURE.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from execsponsor.cli.django_setup import setup_django

err = Console(stderr=True, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

import_app = typer.Typer(help="Import CSV exports: esp import salesforce|hubspot|csv KIND FILE.", no_args_is_help=True)

_PROGRESS_FROM_LINES = 20_000
_SHOWN_PROBLEMS = 50


def _import(
    source: str,
    kind: str,
    file: Path,
    dry_run: bool,
    skip_bad_rows: bool,
    as_json: bool,
    mapping: Path | None,
    username: str | None = None,
):
    setup_django()
    from django.db import DatabaseError

    from execsponsor.cli.actor import actor
    from execsponsor.exchange.importing import ColumnMapping, ImportFileError
    from execsponsor.exchange.importing.reader import count_lines
    from execsponsor.exchange.importing.services import import_run

    context = {"source": source, "kind": kind, "dry_run": dry_run, "skip": skip_bad_rows}
    by = actor(username)
    try:
        column_map = _read_mapping(mapping, ColumnMapping) if mapping else None
        with file.open("rb") as stream:
            lines = count_lines(stream)
            with _progress(enabled=lines >= _PROGRESS_FROM_LINES, total=lines, name=file.name) as advance:
                report = import_run(
                    stream=stream,
                    source=source,
                    kind=kind,
                    file_name=file.name,
                    mapping=column_map,
                    dry_run=dry_run,
                    skip_bad_rows=skip_bad_rows,
                    progress=advance,
                    by=by,
                )
    except OSError as error:
        _fail(
            as_json,
            [{"line": None, "column": None, "message": f"cannot read {file}: {error.strerror}"}],
            **context,
        )
    except ImportFileError as error:
        _fail(as_json, error.errors, **context)
    except DatabaseError as error:
        _fail(
            as_json,
            [
                {
                    "line": None,
                    "column": None,
                    "message": f"the import stopped while writing ({error}); the batches before it are written — "
                    "run the same command again to write the rest (rows are matched by their id)",
                }
            ],
            **context,
        )
    document = report.as_dict()
    document.pop("first_rows")
    if as_json:
        sys.stdout.write(json.dumps(document, ensure_ascii=False, default=str) + "\n")
    else:
        _print_report(document, file)
    raise typer.Exit(1 if report.has_errors else 0)


def _read_mapping(path: Path, mapping_class):
    from execsponsor.exchange.importing import ImportFileError

    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise ImportFileError(f"cannot read the mapping {path}: {error.strerror}") from None
    except ValueError as error:
        raise ImportFileError(f"the mapping {path} is not valid JSON ({error})") from None
    if not isinstance(document, dict):
        raise ImportFileError(f'the mapping {path} must be a JSON object {{"kind": …, "columns": {{…}}}}')
    return mapping_class.from_json(document)


class _progress:
    """A Rich progress bar on stderr for long files; a no-op callback for short ones."""

    def __init__(self, *, enabled: bool, total: int, name: str):
        self.enabled, self.total, self.name = enabled, total, name
        self.bar: Progress | None = None

    def __enter__(self):
        if not self.enabled:
            return None
        self.bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,} lines"),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        )
        self.bar.start()
        tasks = {
            "checking": self.bar.add_task(f"Checking {self.name}", total=self.total),
            "writing": self.bar.add_task(f"Writing {self.name}", total=self.total),
        }
        return lambda step, line: self.bar.update(tasks[step], completed=line)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()


def _fail(as_json: bool, errors: list[dict], *, source: str = "", kind: str = "", dry_run=False, skip=False):
    """A file that cannot be imported at all: the same JSON keys as any report (nothing read, nothing written)."""
    if as_json:
        from execsponsor.exchange.importing.report import file_error_report

        document = file_error_report(
            source=source,
            kind=kind,
            dry_run=dry_run,
            skip_bad_rows=skip,
            message="; ".join(error["message"] for error in errors),
            errors=errors,
        )
        document.pop("first_rows")
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
    else:
        for error in errors:
            err.print(f"[red]error[/red] {_where(error)}{error['message']}")
    raise typer.Exit(2)


def _where(problem: dict) -> str:
    parts = []
    if problem.get("line"):
        parts.append(f"line {problem['line']}")
    if problem.get("column"):
        parts.append(str(problem["column"]))
    return ", ".join(parts) + ": " if parts else ""


def _print_report(document: dict, file: Path) -> None:
    if document["dry_run"]:
        verdict = "Dry run: nothing was written."
    elif document["written"]:
        verdict = "Imported." if not document["errors"] else "Imported the good rows; the bad rows were skipped."
    else:
        verdict = "Nothing was written: fix the rows below, or run again with --skip-bad-rows."
    if document["written"]:
        counts = f"{document['created']:,} created, {document['updated']:,} updated"
    else:
        counts = f"{document['would_create']:,} would be created, {document['would_update']:,} updated"
    out.print(
        f"{file.name}: {document['rows']:,} rows — {counts}, {document['unchanged']:,} unchanged, "
        f"{document['skipped']:,} bad."
    )
    for message in document["file_warnings"]:
        out.print(f"[yellow]warning[/yellow] {message}")
    for label, problems, total in (
        ("error", document["errors"], len(document["errors"])),
        ("warning", document["warnings"], document["warning_count"]),
    ):
        for problem in problems[:_SHOWN_PROBLEMS]:
            colour = "red" if label == "error" else "yellow"
            out.print(f"[{colour}]{label}[/{colour}] {_where(problem)}{problem['message']}")
        if total > _SHOWN_PROBLEMS:
            out.print(f"… and {total - _SHOWN_PROBLEMS:,} more {label}s (--json lists every error)")
    out.print(verdict)


def _source_command(source: str):
    def command(
        kind: str = typer.Argument(
            ..., help="accounts | contacts | opportunities | revenue | activities | users | executives"
        ),
        file: Path = typer.Argument(..., help="The CSV file"),
        dry_run: bool = typer.Option(False, "--dry-run", help="Check every row and count; write nothing"),
        skip_bad_rows: bool = typer.Option(False, "--skip-bad-rows", help="Import the good rows, report the rest"),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout"),
        mapping: Path | None = typer.Option(None, "--mapping", help='JSON {"kind", "columns", "date_format"}'),
        user: str | None = typer.Option(None, "--user", help="Act as this user (default: the system user)"),
    ) -> None:
        _import(source, kind, file, dry_run, skip_bad_rows, as_json, mapping, user)

    command.__doc__ = f"Import a {source} CSV export of KIND."
    return command


for _source in ("salesforce", "hubspot", "csv"):
    import_app.command(_source)(_source_command(_source))


def export(
    kind: str = typer.Argument(
        ..., help="accounts | contacts | opportunities | revenue | engagements | sponsorships | executives | users"
    ),
    file: Path = typer.Argument(..., help="Where to write the CSV ('-' for stdout)"),
    user: str | None = typer.Option(None, "--user", help="Export what this user may see (default: everything)"),
) -> None:
    """CSV export of every object of KIND (spreadsheet formulas neutralised)."""
    setup_django()
    from execsponsor.cli.actor import actor
    from execsponsor.exchange.exporting import EXPORTS, write_export

    by = actor(user)
    if kind not in EXPORTS:
        err.print(f"[red]error[/red] unknown kind {kind!r}: use one of {', '.join(EXPORTS)}")
        raise typer.Exit(2)
    if str(file) == "-":
        count = write_export(sys.stdout, kind=kind, user=by)
    else:
        try:
            with file.open("w", encoding="utf-8", newline="") as stream:
                count = write_export(stream, kind=kind, user=by)
        except OSError as error:
            err.print(f"[red]error[/red] cannot write {file}: {error.strerror}")
            raise typer.Exit(2) from None
        err.print(f"Wrote {count:,} {kind} to {file}.")


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    app.command("export")(export)
