"""What an import did, or would do: counts, every bad row, warnings, first rows for the preview."""

from __future__ import annotations

from dataclasses import dataclass, field

PREVIEW_ROWS = 10
# Every error is kept (each bad row must be reported); warnings repeat (the same unknown owner on a million
# activities), so only the first ones are kept and the rest counted.
KEPT_WARNINGS = 1000


@dataclass
class ImportReport:
    source: str
    kind: str
    dry_run: bool = False
    skip_bad_rows: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # What a run that wrote nothing (a dry run, or refused because of bad rows) would have created / updated;
    # created and updated only ever count rows that were written.
    would_create: int = 0
    would_update: int = 0
    skipped: int = 0
    written: bool = False
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    file_warnings: list[str] = field(default_factory=list)
    first_rows: list[dict] = field(default_factory=list)
    bad_lines: set[int] = field(default_factory=set)
    warning_count: int = 0

    def error(self, line: int | None, column: str | None, message: str) -> None:
        self.errors.append({"line": line, "column": column, "message": message})
        if line is not None:
            self.bad_lines.add(line)

    def warning(self, line: int | None, column: str | None, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < KEPT_WARNINGS:
            self.warnings.append({"line": line, "column": column, "message": message})

    def sample(self, line: int, values: dict) -> None:
        if len(self.first_rows) < PREVIEW_ROWS:
            self.first_rows.append({"line": line, **{k: _shown(v) for k, v in values.items()}})

    def move_counts_to_would(self) -> None:
        self.would_create, self.would_update = self.created, self.updated
        self.created = self.updated = 0

    def add_counts(self, earlier: dict) -> None:
        """Fold in what an earlier, interrupted attempt of the same commit wrote.

        The new attempt re-applies every row: rows the first attempt created or updated now count as
        unchanged, so they move back to created / updated.
        """
        created, updated = earlier.get("created", 0), earlier.get("updated", 0)
        self.created += created
        self.updated += updated
        self.unchanged = max(0, self.unchanged - created - updated)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def as_dict(self) -> dict:
        self.errors.sort(key=lambda e: e["line"] or 0)
        self.warnings.sort(key=lambda e: e["line"] or 0)
        return {
            "source": self.source,
            "kind": self.kind,
            "dry_run": self.dry_run,
            "skip_bad_rows": self.skip_bad_rows,
            "written": self.written,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "would_create": self.would_create,
            "would_update": self.would_update,
            "skipped": self.skipped,
            "errors": self.errors,
            "warnings": self.warnings,
            "warning_count": self.warning_count,
            "file_warnings": self.file_warnings,
            "first_rows": self.first_rows,
            "file_error": None,
        }


def file_error_report(
    *, source: str, kind: str, dry_run: bool, skip_bad_rows: bool, message: str, errors: list[dict]
) -> dict:
    """A file that cannot be read at all, in the same shape as any other report (nothing read, nothing written)."""
    report = ImportReport(source=source, kind=kind, dry_run=dry_run, skip_bad_rows=skip_bad_rows)
    for error in errors:
        report.error(error.get("line"), error.get("column"), error["message"])
    document = report.as_dict()
    document["file_error"] = message
    return document


def _shown(value) -> str:
    return "" if value is None else str(value)
