"""Imports as use cases: run one (CLI), or the import page's job: upload → preview → commit/discard.

The page's preview and commit run as background jobs (exchange/tasks.py on the Huey worker); the functions
here that the tasks call (import_job_preview_run, import_job_commit_run) do the work and record the job's
state, progress and report on its ImportBatch.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import BinaryIO

from django.utils import timezone

from execsponsor.access.rules import require
from execsponsor.common.errors import NotPermitted
from execsponsor.exchange.importing import uploads
from execsponsor.exchange.importing.columns import ColumnMapping
from execsponsor.exchange.importing.engine import Progress, run_import
from execsponsor.exchange.importing.reader import ImportFileError, count_lines
from execsponsor.exchange.importing.report import ImportReport, file_error_report
from execsponsor.exchange.models import ImportBatch, ImportBatchStatus, ImportMapping
from execsponsor.users.models import User

Status = ImportBatchStatus
logger = logging.getLogger(__name__)


def _check(by) -> None:
    require(by, "execsponsor.import_data")


def _save(batch: ImportBatch, *fields: str) -> None:
    batch.updated_at = timezone.now()
    batch.save(update_fields=[*fields, "updated_at"])


def _recorder(batch: ImportBatch, earlier: dict | None = None) -> Callable[[ImportReport, int], None]:
    """on_batch for the engine: the counts written so far, committed with each batch (so a crash keeps them).

    `earlier`: what interrupted attempts of the same commit wrote, so that the sum survives a second crash.
    """
    earlier = earlier or {}

    def record(report: ImportReport, line: int) -> None:
        batch.applied = {
            "through_line": line or batch.applied.get("through_line", 0),
            "created": report.created + earlier.get("created", 0),
            "updated": report.updated + earlier.get("updated", 0),
            "unchanged": report.unchanged,
        }
        if line:
            batch.rows_done = min(line, batch.rows_total) if batch.rows_total else line
        batch.step = "writing"
        if batch.pk is None:
            batch.updated_at = timezone.now()
            batch.save()
        else:
            _save(batch, "applied", "rows_done", "step")

    return record


def _progress(batch: ImportBatch) -> Progress:
    def advance(step: str, line: int) -> None:
        batch.step, batch.rows_done = step, min(line, batch.rows_total) if batch.rows_total else line
        if batch.pk is not None:
            _save(batch, "step", "rows_done")

    return advance


def import_run(
    *,
    stream: BinaryIO,
    source: str,
    kind: str,
    file_name: str,
    mapping: ColumnMapping | None = None,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    by: User,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a file in one go (the CLI). A run that writes is recorded as an ImportBatch job from its first batch.

    When writing stops midway the exception propagates and the job stays failed (resumable): running the same
    import again writes the rest, matching the rows already written by external id.
    """
    _check(by)
    batch = ImportBatch(
        source=source,
        kind=kind,
        file_name=file_name[:255],
        skip_bad_rows=skip_bad_rows,
        status=Status.COMMITTING,
        created_by=by,
    )
    record = _recorder(batch)
    try:
        report = run_import(
            stream=stream,
            source=source,
            kind=kind,
            mapping=mapping,
            dry_run=dry_run,
            skip_bad_rows=skip_bad_rows,
            by=by,
            progress=progress,
            on_batch=record,
        )
    except Exception as error:
        if batch.pk is not None:
            batch.status, batch.resumable, batch.failure = Status.FAILED, True, _failure_text(error)
            _save(batch, "status", "resumable", "failure")
        raise
    if report.written and batch.pk is not None:
        batch.status, batch.report, batch.committed_at = Status.COMMITTED, report.as_dict(), timezone.now()
        _save(batch, "status", "report", "committed_at")
    return report


def _failure_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _mapping_of(batch: ImportBatch) -> ColumnMapping | None:
    if batch.mapping is None:
        return None
    return ColumnMapping.from_json(
        {"kind": batch.mapping.kind, "columns": batch.mapping.columns, "date_format": batch.mapping.date_format}
    )


def import_job_start(
    *, by, source: str, kind: str, file_name: str, chunks, size: int, mapping: ImportMapping | None = None
) -> ImportBatch:
    """Store an upload as a file and queue its preview (a dry run). Raises ImportFileError when it is too large."""
    _check(by)
    upload_path, written = uploads.save_upload(chunks, size=size)
    batch = ImportBatch.objects.create(
        source=source,
        kind=kind,
        file_name=file_name[:255],
        upload_path=upload_path,
        upload_size=written,
        mapping=mapping,
        created_by=by,
        status=Status.QUEUED,
    )
    from execsponsor.exchange import tasks

    tasks.import_preview(batch.pk)
    return batch


def _run_job(batch: ImportBatch, *, dry_run: bool, by, earlier: dict | None = None) -> ImportReport:
    path = uploads.upload_file(batch.upload_path)
    with path.open("rb") as stream:
        batch.rows_total = count_lines(stream)
        batch.rows_done = 0
        _save(batch, "rows_total", "rows_done")
        return run_import(
            stream=stream,
            source=batch.source,
            kind=batch.kind,
            mapping=_mapping_of(batch),
            dry_run=dry_run,
            skip_bad_rows=batch.skip_bad_rows,
            by=by,
            progress=_progress(batch),
            on_batch=None if dry_run else _recorder(batch, earlier),
        )


def _fail(batch: ImportBatch, *, report: dict, failure: str = "", resumable: bool = False) -> None:
    batch.status, batch.report, batch.failure, batch.resumable, batch.step = (
        Status.FAILED,
        report,
        failure,
        resumable,
        "",
    )
    if not resumable:
        uploads.delete_upload(batch.upload_path)
        batch.upload_path = ""
    _save(batch, "status", "report", "failure", "resumable", "step", "upload_path")


def _file_error(batch: ImportBatch, error: ImportFileError, *, dry_run: bool) -> dict:
    return file_error_report(
        source=batch.source,
        kind=batch.kind,
        dry_run=dry_run,
        skip_bad_rows=batch.skip_bad_rows,
        message=error.message,
        errors=error.errors,
    )


def import_job_preview_run(batch_id: int) -> ImportBatch | None:
    """The preview job: dry-run the stored upload and keep the report. A file that cannot be read fails the job."""
    batch = ImportBatch.objects.select_related("mapping", "created_by").filter(pk=batch_id).first()
    if batch is None or batch.status != Status.QUEUED:
        return batch
    batch.status = Status.PREVIEWING
    _save(batch, "status")
    try:
        report = _run_job(batch, dry_run=True, by=batch.created_by)
    except ImportFileError as error:
        _fail(batch, report=_file_error(batch, error, dry_run=True))
        return batch
    except Exception as error:
        logger.exception("import job %s: the preview failed", batch.pk)
        _fail(batch, report={}, failure=_failure_text(error))
        return batch
    batch.status, batch.report, batch.step = Status.PREVIEWED, report.as_dict(), ""
    _save(batch, "status", "report", "step")
    return batch


def import_job_commit(*, batch: ImportBatch, by, skip_bad_rows: bool) -> ImportBatch:
    """Queue the commit of a previewed upload (or resume one that stopped midway)."""
    _check(by)
    may_resume = batch.status == Status.FAILED and batch.resumable and batch.upload_path
    if batch.status != Status.PREVIEWED and not may_resume:
        raise ImportFileError(f"This import is {batch.get_status_display().lower()}; it cannot be committed.")
    batch.skip_bad_rows = skip_bad_rows
    batch.status, batch.failure = Status.COMMITTING, ""
    _save(batch, "skip_bad_rows", "status", "failure")
    from execsponsor.exchange import tasks

    tasks.import_commit(batch.pk, by.pk)
    batch.refresh_from_db()
    return batch


def import_job_commit_run(batch_id: int, by_id: int) -> ImportBatch | None:
    """The commit job: write the upload (all of it, or the good rows when skip_bad_rows), then drop the file.

    With bad rows and no skip, nothing is written and the job goes back to previewed with the new report.
    """
    batch = ImportBatch.objects.select_related("mapping").filter(pk=batch_id).first()
    if batch is None or batch.status != Status.COMMITTING:
        return batch
    by = User.with_system.filter(pk=by_id).first()
    try:
        _check(by)  # who committed may since have lost the right (deactivated, another role)
    except NotPermitted as error:
        _fail(batch, report=batch.report, failure=error.message)
        return batch
    earlier = dict(batch.applied) if batch.resumable else {}
    try:
        report = _run_job(batch, dry_run=False, by=by, earlier=earlier)
    except ImportFileError as error:
        _fail(batch, report=_file_error(batch, error, dry_run=False))
        return batch
    except Exception as error:
        # What was written stays written (one transaction per batch); the file is kept for a resume.
        logger.exception("import job %s: the commit stopped", batch.pk)
        _fail(batch, report=batch.report, failure=_failure_text(error), resumable=True)
        return batch
    if earlier:
        report.add_counts(earlier)
    batch.report, batch.step, batch.resumable = report.as_dict(), "", False
    if report.written:
        batch.status, batch.committed_at = Status.COMMITTED, timezone.now()
        uploads.delete_upload(batch.upload_path)
        batch.upload_path = ""
    else:
        batch.status = Status.PREVIEWED
    _save(batch, "report", "step", "resumable", "status", "committed_at", "upload_path")
    return batch


def import_job_discard(*, batch: ImportBatch, by) -> ImportBatch:
    _check(by)
    if batch.status in (Status.PREVIEWED, Status.FAILED, Status.QUEUED):
        batch.status, batch.resumable = Status.DISCARDED, False
        uploads.delete_upload(batch.upload_path)
        batch.upload_path = ""
        _save(batch, "status", "resumable", "upload_path")
    return batch


# A running job saves its progress at least every batch; one silent this long lost its worker (a crash).
STALE_JOB = dt.timedelta(minutes=30)


def import_jobs_fail_stale() -> int:
    """Mark jobs whose worker died as failed; a commit that stopped this way stays resumable."""
    stale = ImportBatch.objects.filter(status__in=ImportBatch.RUNNING, updated_at__lt=timezone.now() - STALE_JOB)
    count = 0
    for batch in stale:
        committing = batch.status == Status.COMMITTING and bool(batch.upload_path)
        _fail(
            batch,
            report=batch.report,
            failure="The background worker stopped while running this import (no progress for 30 minutes).",
            resumable=committing,
        )
        count += 1
    return count


def import_uploads_expire() -> int:
    """Delete uploads older than the retention period (the periodic job). Returns how many files went.

    A job still waiting for a decision is discarded with its file; a running job keeps its file.
    """
    import_jobs_fail_stale()
    cutoff = uploads.retention_cutoff()
    removed = 0
    for batch in ImportBatch.objects.exclude(upload_path="").filter(updated_at__lt=cutoff):
        if batch.running:
            continue
        uploads.delete_upload(batch.upload_path)
        batch.upload_path, batch.resumable = "", False
        if batch.status == Status.PREVIEWED:
            batch.status = Status.DISCARDED
            batch.failure = "The upload was kept for the retention period without a commit, and deleted."
        _save(batch, "upload_path", "resumable", "status", "failure")
        removed += 1
    known = set(ImportBatch.objects.exclude(upload_path="").values_list("upload_path", flat=True))
    for path in uploads.stray_files(older_than=cutoff, known=known):
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def import_mapping_save(*, by, name: str, kind: str, columns: dict, date_format: str = "") -> ImportMapping:
    """Save (or replace) a named column mapping {our field: their column} for CSV imports."""
    _check(by)
    checked = ColumnMapping.from_json({"kind": kind, "columns": columns, "date_format": date_format})
    mapping, _created = ImportMapping.objects.update_or_create(
        name=name,
        defaults={"kind": kind, "columns": checked.columns, "date_format": date_format, "created_by": by},
    )
    return mapping
