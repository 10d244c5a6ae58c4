"""Writes: a person's notification preferences, the admins' chat webhooks, and retrying a failed message."""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from execsponsor.access.rules import require
from execsponsor.common.errors import InvalidInput
from execsponsor.notify.models import ChatWebhook, Delivery, Notification, NotificationPreference
from execsponsor.notify.outbound import BlockedURL, DeliveryFailed, check_url, send_chat_message

PREFERENCE_FIELDS = ("digest", "digest_frequency", "meeting_reminder", "task_assigned", "task_escalated")


def _require_admin(user, *, to: str) -> None:
    require(user, "execsponsor.manage_users", to=to)


def preferences_save(*, user, by, chat_webhook: ChatWebhook | None = None, **choices: str) -> NotificationPreference:
    """Store what `user` wants to receive. Only the person themself (or an admin) changes it."""
    require(by, "execsponsor.change_preferences", user)
    unknown = set(choices) - set(PREFERENCE_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown setting: {', '.join(sorted(unknown))}")
    wants_chat = any(choices.get(name) == Delivery.CHAT for name in PREFERENCE_FIELDS)
    if wants_chat and (chat_webhook is None or not chat_webhook.is_active):
        raise InvalidInput("Pick the chat channel for the messages you want in chat.", field="chat_webhook")
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
        for name, value in choices.items():
            setattr(preference, name, value)
        preference.chat_webhook = chat_webhook if wants_chat else None
        preference.full_clean()
        preference.save()
    return preference


def chat_webhook_save(
    *,
    by,
    name: str,
    url: str,
    allow_http: bool = False,
    allow_private: bool = False,
    webhook: ChatWebhook | None = None,
) -> ChatWebhook:
    """Add (or change) a chat webhook. The URL must pass the outbound checks now; it is checked again at
    every send, since what a name resolves to can change."""
    _require_admin(by, to="add or change chat webhooks")
    name = name.strip()
    if not name:
        raise InvalidInput("Give the webhook a name, e.g. #exec-sponsors.", field="name")
    check_url(url, allow_http=allow_http, allow_private=allow_private)
    webhook = webhook or ChatWebhook()
    webhook.name = name[:100]
    webhook.url = url.strip()
    webhook.allow_http = allow_http
    webhook.allow_private = allow_private
    webhook.last_error = ""
    webhook.save()
    return webhook


def chat_webhook_set_active(*, webhook: ChatWebhook, active: bool, by) -> ChatWebhook:
    _require_admin(by, to="switch chat webhooks on or off")
    if active:
        check_url(webhook.url, allow_http=webhook.allow_http, allow_private=webhook.allow_private)
    webhook.is_active = active
    webhook.save(update_fields=["is_active"])
    return webhook


def chat_webhook_test(*, webhook: ChatWebhook, by) -> str:
    """Post a test message now; the error for people when it does not arrive (InvalidInput)."""
    _require_admin(by, to="test chat webhooks")
    text = render_to_string("notify/messages/test.txt", {"webhook": webhook, "by": by}).strip()
    try:
        send_chat_message(webhook.url, text, allow_http=webhook.allow_http, allow_private=webhook.allow_private)
    except (BlockedURL, DeliveryFailed) as error:
        webhook.last_error = str(error)[:2000]
        webhook.save(update_fields=["last_error"])
        raise InvalidInput(f"The test message did not arrive: {error}") from None
    webhook.last_used_at = timezone.now()
    webhook.last_error = ""
    webhook.save(update_fields=["last_used_at", "last_error"])
    return "sent"


def notification_retry(*, notification: Notification, by) -> Notification:
    """An admin's "try again": the message goes back in the queue with fresh attempts."""
    _require_admin(by, to="retry notifications")
    if notification.status == Notification.Status.SENT:
        raise InvalidInput("That message was sent already.")
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    notification.refresh_from_db()
    return notification
