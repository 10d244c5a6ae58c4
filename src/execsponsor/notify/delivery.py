"""Deliver queued notifications: email by Django's SMTP backend, chat by a pinned webhook POST.

Each due row is claimed with one conditional UPDATE (attempts moves on and the row is leased for a while), so
two workers never send the same message; a failure keeps its error and is tried again after a backoff that
doubles each time (ESP_NOTIFY_RETRY_SECONDS, 2×, 4× …) until ESP_NOTIFY_MAX_ATTEMPTS, then it is failed and
stays on the Jobs page for the admin.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F
from django.utils import timezone

from execsponsor.notify.models import Channel, Notification
from execsponsor.notify.outbound import BlockedURL, DeliveryFailed, send_chat_message

LEASE = dt.timedelta(minutes=5)  # a claimed row another worker leaves alone while it is being sent
BATCH = 200
MAIL_ERRORS = (OSError, smtplib.SMTPException)

log = logging.getLogger(__name__)


def max_attempts() -> int:
    return max(int(getattr(settings, "ESP_NOTIFY_MAX_ATTEMPTS", 5)), 1)


def retry_delay(attempts: int) -> dt.timedelta:
    """After the n-th failed attempt: base × 2^(n-1)."""
    base = int(getattr(settings, "ESP_NOTIFY_RETRY_SECONDS", 60))
    return dt.timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def due(now: dt.datetime):
    return Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)


def _claim(notification: Notification, now: dt.datetime) -> bool:
    won = (
        Notification.objects.filter(
            pk=notification.pk, status=Notification.Status.PENDING, attempts=notification.attempts
        ).update(attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
        == 1
    )
    if won:
        notification.attempts += 1
    return won


def _send_email(notification: Notification, connection) -> None:
    recipient = notification.recipient
    if recipient is None or not recipient.email:
        raise DeliveryFailed("the recipient has no email address")
    message = EmailMessage(
        subject=notification.subject, body=notification.body, to=[recipient.email], connection=connection
    )
    if notification.briefing_account_id:
        _attach_briefing(message, notification)
    message.send()


def _attach_briefing(message: EmailMessage, notification: Notification) -> None:
    """The account's briefing pack as the recipient may see it today; an account they may no longer see, or a
    pack that fails to draw, leaves the reminder without it (its body still links to the pack)."""
    from execsponsor.customers.models import Account
    from execsponsor.insights.briefing import briefing_pdf_bytes

    try:
        pdf, filename = briefing_pdf_bytes(user=notification.recipient, account_id=notification.briefing_account_id)
    except Account.DoesNotExist:
        return
    except Exception:  # noqa: BLE001 - the reminder matters more than its attachment
        log.exception("notify: the briefing pack for notification %s could not be drawn", notification.pk)
        return
    message.attach(filename, pdf, "application/pdf")


def _send_chat(notification: Notification) -> None:
    webhook = notification.webhook
    if webhook is None or not webhook.is_active:
        raise DeliveryFailed("the chat webhook was removed or deactivated")
    text = f"*{notification.subject}*\n{notification.body}"
    try:
        send_chat_message(webhook.url, text, allow_http=webhook.allow_http, allow_private=webhook.allow_private)
    except (BlockedURL, DeliveryFailed) as error:
        webhook.last_error = str(error)[:2000]
        webhook.save(update_fields=["last_error"])
        raise DeliveryFailed(str(error)) from None
    webhook.last_used_at = timezone.now()
    webhook.last_error = ""
    webhook.save(update_fields=["last_used_at", "last_error"])


def _failed(notification: Notification, error: str, now: dt.datetime) -> str:
    notification.last_error = error[:4000]
    if notification.attempts >= max_attempts():
        notification.status = Notification.Status.FAILED
    else:
        notification.next_attempt_at = now + retry_delay(notification.attempts)
    notification.save(update_fields=["last_error", "status", "next_attempt_at"])
    return "failed" if notification.status == Notification.Status.FAILED else "retrying"


def deliver(notification: Notification, *, now: dt.datetime, connection=None) -> str:
    """Send one claimed notification: 'sent', 'retrying' or 'failed'."""
    try:
        if notification.channel == Channel.EMAIL:
            _send_email(notification, connection)
        else:
            _send_chat(notification)
    except DeliveryFailed as error:
        return _failed(notification, str(error), now)
    except MAIL_ERRORS as error:
        if connection is not None:
            connection.close()  # the next message opens a fresh one
        return _failed(notification, f"{type(error).__name__}: {error}".strip(), now)
    except Exception as error:  # noqa: BLE001 - one odd message (a bad address …) must not stop the others
        return _failed(notification, f"{type(error).__name__}: {error}".strip(), now)
    notification.status = Notification.Status.SENT
    notification.sent_at = timezone.now()
    notification.last_error = ""
    notification.save(update_fields=["status", "sent_at", "last_error"])
    return "sent"


def notifications_deliver(*, now: dt.datetime | None = None, limit: int = BATCH) -> dict[str, int]:
    """Deliver what is due (new, or its backoff over), oldest first; counts of sent, retrying and failed."""
    now = now or timezone.now()
    outcome = {"sent": 0, "retrying": 0, "failed": 0, "skipped": 0}
    rows = list(due(now).select_related("recipient", "webhook").order_by("next_attempt_at", "pk")[:limit])
    if not rows:
        return outcome
    connection = get_connection(fail_silently=False)
    try:
        for notification in rows:
            if not _claim(notification, now):
                outcome["skipped"] += 1  # another worker has it
                continue
            outcome[deliver(notification, now=now, connection=connection)] += 1
    finally:
        connection.close()
    return outcome
