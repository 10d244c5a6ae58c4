"""Outbound notifications: email and Slack-compatible chat webhooks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from execsponsor.common.constraints import choice_check


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    CHAT = "chat", "Chat webhook"


class ChatWebhook(models.Model):
    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    signing_secret = models.CharField(max_length=128, blank=True)
    is_active = models.BooleanField(default=True)


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Notification(models.Model):
    Status = NotificationStatus

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
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            choice_check("channel", Channel, table="notification"),
            choice_check("status", NotificationStatus, table="notification"),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]
