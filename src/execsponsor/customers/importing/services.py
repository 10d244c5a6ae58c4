"""Imports as use cases: run one (CLI), or upload → preview → commit/discard (the import page)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import BinaryIO

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from execsponsor.customers.importing.columns import ColumnMapping
from execsponsor.customers.importing.engine import run_import
from execsponsor.customers.importing.reader import ImportFileError
from execsponsor.customers.importing.report import ImportReport
from execsponsor.customers.models import ImportBatch, ImportBatchStatus, ImportMapping
from execsponsor.users import permissions  # noqa: F401 — registers the execsponsor.* rules


def _check(by) -> None:
    if by is not None and not by.has_perm("execsponsor.import_data"):
        raise PermissionDenied("Only the program owner and admins import data.")


def import_run(
    *,
    stream: BinaryIO,
    source: str,
    kind: str,
    file_name: str,
    mapping: ColumnMapping | None = None,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    by=None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a file in one go (the CLI); a run that wrote something is recorded as a committed ImportBatch."""
    _check(by)
    report = run_import(
        stream=stream,
        source=source,
        kind=kind,
        mapping=mapping,
        dry_run=dry_run,
        skip_bad_rows=skip_bad_rows,
        by=by,
        progress=progress,
    )
    if report.written:
        ImportBatch.objects.create(
            source=source,
            kind=kind,
            file_name=file_name[:255],
            content=b"",
            skip_bad_rows=skip_bad_rows,
            status=ImportBatchStatus.COMMITTED,
            report=report.as_dict(),
            created_by=by,
            committed_at=timezone.now(),
        )
    return report


def _mapping_of(batch: ImportBatch) -> ColumnMapping | None:
    if batch.mapping is None:
        return None
    return ColumnMapping.from_json(
        {"kind": batch.mapping.kind, "columns": batch.mapping.columns, "date_format": batch.mapping.date_format}
    )


def _run_batch(batch: ImportBatch, *, dry_run: bool, by) -> dict:
    try:
        report = run_import(
            stream=io.BytesIO(bytes(batch.content)),
            source=batch.source,
            kind=batch.kind,
            mapping=_mapping_of(batch),
            dry_run=dry_run,
            skip_bad_rows=batch.skip_bad_rows,
            by=by,
        )
    except ImportFileError as error:
        return {"file_error": error.message, "errors": error.errors, "rows": 0}
    return report.as_dict()


def import_batch_preview(
    *, by, source: str, kind: str, file_name: str, content: bytes, mapping: ImportMapping | None = None
) -> ImportBatch:
    """Keep the upload and dry-run it: the preview shows what a commit would do, row by row."""
    _check(by)
    batch = ImportBatch.objects.create(
        source=source, kind=kind, file_name=file_name[:255], content=content, mapping=mapping, created_by=by
    )
    batch.report = _run_batch(batch, dry_run=True, by=by)
    if "file_error" in batch.report:
        batch.status = ImportBatchStatus.FAILED
    batch.save(update_fields=["report", "status"])
    return batch


def import_batch_commit(*, batch: ImportBatch, by, skip_bad_rows: bool) -> ImportBatch:
    """Write a previewed upload: all of it, or the good rows when skip_bad_rows. The upload is dropped afterwards."""
    _check(by)
    if batch.status != ImportBatchStatus.PREVIEWED:
        raise ImportFileError(f"This import is already {batch.get_status_display().lower()}.")
    batch.skip_bad_rows = skip_bad_rows
    report = _run_batch(batch, dry_run=False, by=by)
    batch.report = report
    if report.get("written"):
        batch.status = ImportBatchStatus.COMMITTED
        batch.committed_at = timezone.now()
        batch.content = b""
    batch.save(update_fields=["report", "status", "committed_at", "content", "skip_bad_rows"])
    return batch


def import_batch_discard(*, batch: ImportBatch, by) -> ImportBatch:
    _check(by)
    if batch.status == ImportBatchStatus.PREVIEWED:
        batch.status = ImportBatchStatus.DISCARDED
        batch.content = b""
        batch.save(update_fields=["status", "content"])
    return batch


def import_mapping_save(*, by, name: str, kind: str, columns: dict, date_format: str = "") -> ImportMapping:
    """Save (or replace) a named column mapping {our field: their column} for CSV imports."""
    _check(by)
    checked = ColumnMapping.from_json({"kind": kind, "columns": columns, "date_format": date_format})
    mapping, _created = ImportMapping.objects.update_or_create(
        name=name,
        defaults={"kind": kind, "columns": checked.columns, "date_format": date_format, "created_by": by},
    )
    return mapping
