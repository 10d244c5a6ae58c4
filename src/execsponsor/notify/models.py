"""Outbound notifications: email and Slack-compatible chat webhooks, and what each person wants to receive."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from execsponsor.common.constraints import choice_check


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    CHAT = "chat", "Chat webhook"


class ChatWebhook(models.Model):
    """A Slack-compatible incoming webhook (JSON {"text": …} by POST). Only admins add, test or switch them."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    signing_secret = models.CharField(max_length=128, blank=True)
    is_active = models.BooleanField(default=True)
    allow_http = models.BooleanField(default=False, help_text="Plain http:// (an admin's decision)")
    allow_private = models.BooleanField(
        default=False, help_text="Loopback, private, link-local and CGNAT addresses (an admin's decision)"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class NotificationKind(models.TextChoices):
    DIGEST = "digest", "Digest (cadence, tasks, alerts)"
    MEETING_REMINDER = "meeting_reminder", "Reminder before a sponsor meeting"
    TASK_ASSIGNED = "task_assigned", "A task assigned to me"
    TASK_ESCALATED = "task_escalated", "An overdue task escalated to me"
    TEST = "test", "Test message"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Notification(models.Model):
    """One message to one person (or one webhook), made once per event (dedupe_key) and delivered by a job."""

    Status = NotificationStatus
    Kind = NotificationKind

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    webhook = models.ForeignKey(ChatWebhook, null=True, blank=True, on_delete=models.CASCADE)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    kind = models.CharField(max_length=32, help_text="digest, reminder, alert, escalation …")
    subject = models.CharField(max_length=255)
    body = models.TextField()
    dedupe_key = models.CharField(max_length=128, unique=True, help_text="One notification per event, ever")
    briefing_account = models.ForeignKey(
        "customers.Account",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A meeting reminder's email carries this account's briefing pack, drawn when it is sent",
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        default=timezone.now, help_text="Not tried again before this (exponential backoff after a failure)"
    )
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            choice_check("channel", Channel, table="notification"),
            choice_check("status", NotificationStatus, table="notification"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient or self.webhook}: {self.subject}"


class Delivery(models.TextChoices):
    """Where a person wants one kind of message: by email, in a chat channel, or not at all."""

    EMAIL = "email", "Email"
    CHAT = "chat", "Chat channel"
    OFF = "off", "Off"


class DigestFrequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    DAILY = "daily", "Daily"
    OFF = "off", "Off"


class NotificationPreference(models.Model):
    """One row per person; a person without a row gets the defaults (digest weekly by email, the rest by email)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    digest = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.EMAIL)
    digest_frequency = models.CharField(max_length=8, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY)
    meeting_reminder = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.EMAIL)
    task_assigned = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.EMAIL)
    task_escalated = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.EMAIL)
    chat_webhook = models.ForeignKey(
        ChatWebhook,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The chat channel for the kinds set to 'Chat channel'",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            choice_check("digest", Delivery, table="notification_preference"),
            choice_check("digest_frequency", DigestFrequency, table="notification_preference"),
            choice_check("meeting_reminder", Delivery, table="notification_preference"),
            choice_check("task_assigned", Delivery, table="notification_preference"),
            choice_check("task_escalated", Delivery, table="notification_preference"),
        ]

    def __str__(self) -> str:
        return f"Notification preferences of {self.user}"

    def delivery_for(self, kind: str) -> str:
        """email, chat or off for a kind; a digest whose frequency is off is off."""
        if kind == NotificationKind.DIGEST and self.digest_frequency == DigestFrequency.OFF:
            return Delivery.OFF
        return str(getattr(self, kind, Delivery.OFF))
