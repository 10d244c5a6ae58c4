"""Background jobs of notifications (the Huey worker, `esp worker`); each one idempotent and recorded.

Composing jobs queue Notification rows under dedupe keys (a re-run queues nothing new) and ask for a
delivery at once; the delivery sweep runs every minute for retries whose backoff is over.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task
from huey.exceptions import TaskLockedException

from execsponsor.jobs.recording import SCHEDULE, periodic, recorded
from execsponsor.notify import composing, delivery

DELIVER = "notifications-deliver"
SCHEDULE[DELIVER] = "Every minute, when a message is due (recorded only when there was something to send)"


@recorded(DELIVER)
def _deliver_recorded() -> dict[str, int]:
    return delivery.notifications_deliver()


def deliver_if_due() -> dict[str, int] | None:
    """An idle minute leaves no record: only runs that had something to send are on the Jobs page."""
    from django.utils import timezone

    if not delivery.due(timezone.now()).exists():
        return None
    return _deliver_recorded()


@db_periodic_task(crontab(), name=DELIVER)
@lock_task(DELIVER)
def notifications_deliver_sweep() -> None:
    deliver_if_due()


@db_task()
def notifications_deliver_now() -> None:
    try:
        with lock_task(DELIVER):
            deliver_if_due()
    except TaskLockedException:
        pass  # the sweep is delivering right now; it takes these too


def _then_deliver(summary: dict[str, int]) -> dict[str, int]:
    if summary.get("queued"):
        notifications_deliver_now()
    return summary


@periodic(
    "notifications-digest",
    crontab(hour="7", minute="0"),
    when="Every day at 07:00 (weekly digests at the first run of each ISO week)",
)
def notifications_digest() -> dict[str, int]:
    return _then_deliver(composing.digests_queue())


@periodic("notifications-meeting-reminders", crontab(minute="*/15"), when="Every 15 minutes")
def notifications_meeting_reminders() -> dict[str, int]:
    return _then_deliver(composing.meeting_reminders_queue())


@periodic(composing.TASK_NOTICES_JOB, crontab(minute="*/15"), when="Every 15 minutes")
def notifications_task_notices() -> dict[str, int]:
    return _then_deliver(composing.task_notices_queue())
