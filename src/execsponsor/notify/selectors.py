"""Reads: a person's preferences (or the defaults), and the notifications that failed, for the admin."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse

from execsponsor.notify.models import ChatWebhook, Notification, NotificationPreference

FAILED_SHOWN = 50


def preference_for(user) -> NotificationPreference:
    """The person's stored preferences, or unsaved defaults: digest weekly by email, the rest by email."""
    found = NotificationPreference.objects.select_related("chat_webhook").filter(user=user).first()
    return found or NotificationPreference(user=user)


def preferences_by_user(user_ids) -> dict[int, NotificationPreference]:
    rows = NotificationPreference.objects.select_related("chat_webhook").filter(user_id__in=list(user_ids))
    return {row.user_id: row for row in rows}


def preferences_url() -> str:
    """The absolute link, in every message, to where the recipient changes what they receive."""
    return settings.SITE_URL.rstrip("/") + reverse("notify:preferences")


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def failed_notifications(limit: int = FAILED_SHOWN) -> QuerySet[Notification]:
    """Given up on, or failing and waiting for another try: the newest first."""
    troubled = Q(status=Notification.Status.FAILED) | (Q(status=Notification.Status.PENDING) & ~Q(last_error=""))
    return (
        Notification.objects.filter(troubled)
        .select_related("recipient", "webhook")
        .defer("body")
        .order_by("-created_at", "-id")[:limit]
    )


def chat_webhooks() -> QuerySet[ChatWebhook]:
    return ChatWebhook.objects.all()


def active_chat_webhooks() -> QuerySet[ChatWebhook]:
    return ChatWebhook.objects.filter(is_active=True)
