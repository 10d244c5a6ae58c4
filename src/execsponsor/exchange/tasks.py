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


# Huey names a task by its module: these jobs were execsponsor.customers.tasks.import_preview and …import_commit
# until the import engine left customers. A job queued before an upgrade still carries the old name, and a worker
# that does not know it drops the job, leaving the import waiting until it is marked stale and failed. The two
# aliases below answer to the old names and run the same work; nothing queues them any more.
_OLD_MODULE = "execsponsor.customers.tasks"


def _queued_under_the_old_name(task):
    def run(*args):
        return task.call_local(*args)

    run.__name__ = run.__qualname__ = task.call_local.__name__
    run.__module__ = _OLD_MODULE
    run.__doc__ = f"{task.call_local.__name__}, queued before the move to execsponsor.exchange."
    return db_task()(run)


import_preview_queued_before_the_move = _queued_under_the_old_name(import_preview)
import_commit_queued_before_the_move = _queued_under_the_old_name(import_commit)
