"""Uploaded import files on disk (DATA_DIR/imports): saved with a size limit, deleted when done or too old."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from execsponsor.exchange.importing.reader import ImportFileError


def upload_dir() -> Path:
    path = Path(settings.IMPORT_UPLOAD_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def too_large_message(size: int) -> str:
    limit = settings.IMPORT_UPLOAD_MAX_BYTES
    return (
        f"The file is {size / 1e6:,.0f} MB; the import page takes files up to {limit / 1e6:,.0f} MB "
        "(ESP_IMPORT_UPLOAD_MAX_MB). Use `esp import` on the server for larger files."
    )


def save_upload(chunks, *, size: int) -> tuple[str, int]:
    """Write an upload's chunks to a new file; returns (path relative to the upload dir, bytes written).

    The size is checked before and while writing (a client may lie about it); a file over the limit is removed.
    """
    limit = settings.IMPORT_UPLOAD_MAX_BYTES
    if size > limit:
        raise ImportFileError(too_large_message(size))
    name = f"{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(8)}.csv"
    path = upload_dir() / name
    written = 0
    with path.open("xb") as target:
        for chunk in chunks:
            written += len(chunk)
            if written > limit:
                target.close()
                path.unlink(missing_ok=True)
                raise ImportFileError(too_large_message(written))
            target.write(chunk)
    return name, written


def upload_file(name: str) -> Path:
    """The stored file for a job's upload_path; never outside the upload dir."""
    base = upload_dir().resolve()
    path = (base / name).resolve()
    if base not in path.parents:
        raise ImportFileError("The uploaded file is gone.")
    return path


def delete_upload(name: str) -> None:
    if name:
        upload_file(name).unlink(missing_ok=True)


def retention_cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=settings.IMPORT_UPLOAD_RETENTION_HOURS)


def stray_files(*, older_than: dt.datetime, known: set[str]) -> list[Path]:
    """Files in the upload dir that no job knows of (a crash between save and record), older than the cutoff."""
    cutoff = older_than.timestamp()
    return [
        path
        for path in upload_dir().iterdir()
        if path.is_file() and path.name not in known and path.stat().st_mtime < cutoff
    ]
