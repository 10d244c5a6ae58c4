"""Background jobs of the import page (the Huey worker, `esp worker`): the preview and commit of an import job.

Thin wrappers: the work and the job's bookkeeping are in importing/services.py.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from execsponsor.exchange.importing import services


@db_task()
def import_preview(batch_id: int) -> None:
    services.import_job_preview_run(batch_id)


@db_task()
def import_commit(batch_id: int, by_id: int) -> None:
    services.import_job_commit_run(batch_id, by_id)


@db_periodic_task(crontab(minute="23"))
def import_uploads_expire() -> None:
    """Hourly: delete uploads older than IMPORT_UPLOAD_RETENTION_HOURS."""
    services.import_uploads_expire()
