"""What to tell whom: digests, meeting reminders and task notices, each queued once as a Notification.

Each function finds the events, writes the message for each recipient who wants that kind, and queues it
under a dedupe key that names the event (a second run queues nothing new). Delivery is delivery.py's job.

digest.py        digests_queue: everyone's digest for the period
reminders.py     meeting_reminders_queue: before each sponsor meeting
task_notices.py  task_notices_queue: tasks assigned and escalated
queueing.py      queue(): one message, by the person's channel, once per dedupe key
"""

from execsponsor.notify.composing.digest import digest_content, digest_period, digests_queue
from execsponsor.notify.composing.queueing import Queued, queue
from execsponsor.notify.composing.reminders import meeting_reminders_queue, reminder_window
from execsponsor.notify.composing.task_notices import (
    TASK_NOTICES_JOB,
    escalation_recipients,
    task_notices_queue,
    task_notices_since,
)

__all__ = [
    "TASK_NOTICES_JOB",
    "Queued",
    "digest_content",
    "digest_period",
    "digests_queue",
    "escalation_recipients",
    "meeting_reminders_queue",
    "queue",
    "reminder_window",
    "task_notices_queue",
    "task_notices_since",
]
