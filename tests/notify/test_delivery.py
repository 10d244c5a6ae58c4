"""Delivery: an SMTP failure is kept and retried with a doubling delay; given up after the last attempt."""

from __future__ import annotations

import datetime as dt

import pytest
from aiosmtpd.controller import Controller

from execsponsor.notify import composing, delivery
from execsponsor.notify.models import Notification
from tests.mail import Mailbox, free_port
from tests.notify.people import busy_sponsor

pytestmark = pytest.mark.django_db


class RefusingMailbox(Mailbox):
    """Refuses the first `refusals` messages with a temporary error, then accepts."""

    def __init__(self, refusals: int):
        super().__init__()
        self.refusals = refusals
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.refused < self.refusals:
            self.refused += 1
            return "451 4.3.0 Mailbox busy, try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def refusing_mailbox(settings):
    def start(refusals: int) -> RefusingMailbox:
        inbox = RefusingMailbox(refusals)
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
        controller.start()
        started.append(controller)
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        return inbox

    started: list[Controller] = []
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.ESP_NOTIFY_RETRY_SECONDS = 60
    yield start
    for controller in started:
        controller.stop()


def test_an_smtp_refusal_is_kept_and_the_message_is_tried_again_after_the_backoff(refusing_mailbox):
    inbox = refusing_mailbox(refusals=1)
    busy_sponsor()
    composing.digests_queue()
    t0 = dt.datetime.now(dt.UTC)

    assert delivery.notifications_deliver(now=t0)["retrying"] == 1
    notification = Notification.objects.get()
    assert notification.status == "pending" and notification.attempts == 1
    assert "451" in notification.last_error and "try again later" in notification.last_error
    assert notification.next_attempt_at == t0 + dt.timedelta(seconds=60)

    assert delivery.notifications_deliver(now=t0 + dt.timedelta(seconds=30)) == {
        "sent": 0, "retrying": 0, "failed": 0, "skipped": 0,
    }  # fmt: skip
    assert inbox.messages == []

    assert delivery.notifications_deliver(now=t0 + dt.timedelta(seconds=61))["sent"] == 1
    inbox.wait_for(1)
    notification.refresh_from_db()
    assert notification.status == "sent" and notification.attempts == 2 and notification.last_error == ""


def test_the_delay_doubles_and_the_message_fails_after_the_last_attempt(refusing_mailbox, settings):
    settings.ESP_NOTIFY_MAX_ATTEMPTS = 4
    refusing_mailbox(refusals=100)
    busy_sponsor()
    composing.digests_queue()
    now = dt.datetime.now(dt.UTC)
    delays = []
    for _ in range(3):
        delivery.notifications_deliver(now=now)
        notification = Notification.objects.get()
        delays.append((notification.next_attempt_at - now).total_seconds())
        now = notification.next_attempt_at
    assert delays == [60, 120, 240]
    assert delivery.notifications_deliver(now=now)["failed"] == 1
    notification = Notification.objects.get()
    assert notification.status == "failed" and notification.attempts == 4
    assert "451" in notification.last_error
    assert delivery.notifications_deliver(now=now + dt.timedelta(days=1))["sent"] == 0  # given up


def test_a_mail_server_that_is_down_is_a_retry_not_a_crash(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    busy_sponsor()
    composing.digests_queue()
    assert delivery.notifications_deliver()["retrying"] == 1
    assert "Connection refused" in Notification.objects.get().last_error


def test_two_workers_never_send_the_same_message(refusing_mailbox):
    inbox = refusing_mailbox(refusals=0)
    busy_sponsor()
    composing.digests_queue()
    notification = Notification.objects.get()
    stale = Notification.objects.get(pk=notification.pk)  # what a second worker read at the same moment
    assert delivery._claim(notification, dt.datetime.now(dt.UTC))
    assert not delivery._claim(stale, dt.datetime.now(dt.UTC))
    assert inbox.messages == []


def test_a_line_break_in_a_task_title_does_not_break_the_subject_or_the_batch(refusing_mailbox):
    from django.utils import timezone

    from execsponsor.playbooks.models import Task
    from tests.factories import UserFactory

    inbox = refusing_mailbox(refusals=0)
    alex = UserFactory(username="alex.ae", email="alex@ourco.example")
    Task.objects.create(owner=alex, title="Call them\r\nBcc: everyone@example.com", due_on=timezone.localdate())
    Task.objects.create(owner=alex, title="Second task", due_on=timezone.localdate())
    composing.task_notices_queue()
    assert delivery.notifications_deliver()["sent"] == 2
    inbox.wait_for(2)
    subjects = sorted(message["Subject"] for message in inbox.messages)
    assert subjects[0] == "New task: Call them Bcc: everyone@example.com"
    assert all(message["Bcc"] is None for message in inbox.messages)


def test_a_message_that_cannot_be_sent_at_all_fails_alone(refusing_mailbox):
    from tests.factories import UserFactory

    inbox = refusing_mailbox(refusals=0)
    busy_sponsor()
    composing.digests_queue()
    odd = UserFactory(username="odd", email="odd@ourco.example")
    Notification.objects.create(
        recipient=odd, channel="email", kind="test", subject="Bad\\nsubject", body="x", dedupe_key="odd"
    )
    Notification.objects.filter(dedupe_key="odd").update(subject="Bad\nsubject")  # as if written by hand
    outcome = delivery.notifications_deliver()
    assert outcome["sent"] == 1 and outcome["retrying"] == 1
    assert "BadHeaderError" in Notification.objects.get(dedupe_key="odd").last_error
    inbox.wait_for(1)
