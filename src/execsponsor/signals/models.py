"""Signals from outside, the alerts they raise, webhook intake, and champions we follow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from execsponsor.common.constraints import choice_check
from execsponsor.customers.models import Account, Contact


class SignalKind(models.TextChoices):
    HARD_BOUNCE = "hard_bounce", "Hard bounce"
    SOFT_BOUNCE = "soft_bounce", "Delayed / soft bounce"
    OUT_OF_OFFICE = "out_of_office", "Out of office"
    DEPARTURE_NOTICE = "departure_notice", "Departure notice"
    JOB_CHANGE = "job_change", "Job change"
    UNSUBSCRIBE = "unsubscribe", "Unsubscribe"
    LOGIN_DROP = "login_drop", "Drop in product logins"
    HEALTH_DROP = "health_drop", "Health dropped"
    CADENCE_MISSED = "cadence_missed", "Cadence missed"
    RENEWAL_NEAR = "renewal_near", "Renewal near"
    NEW_EXECUTIVE = "new_executive", "New executive at the customer"
    UNREADABLE = "unreadable", "Unreadable input"


class SignalSource(models.TextChoices):
    EMAIL = "email", "Delivery report or reply"
    ENRICHMENT = "enrichment", "Enrichment feed"
    WEBHOOK = "webhook", "Webhook"
    API = "api", "API"
    SYSTEM = "system", "ExecSponsor"


class Signal(models.Model):
    kind = models.CharField(max_length=20, choices=SignalKind.choices)
    source = models.CharField(max_length=16, choices=SignalSource.choices)
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.CASCADE, related_name="signals")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="signals")
    email = models.EmailField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    weight = models.FloatField(default=1.0, help_text="Strength as departure evidence")
    observed_at = models.DateTimeField(default=timezone.now)
    dedupe_key = models.CharField(max_length=128, unique=True, help_text="Makes ingestion idempotent")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            choice_check("kind", SignalKind, table="signal"),
            choice_check("source", SignalSource, table="signal"),
        ]
        indexes = [
            models.Index(fields=["contact", "observed_at"]),
            models.Index(fields=["account", "observed_at"]),
        ]
        ordering = ["-observed_at"]


class AlertType(models.TextChoices):
    RISK = "risk", "Risk"
    OPPORTUNITY = "opportunity", "Opportunity"
    EVENT = "event", "Event"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    SNOOZED = "snoozed", "Snoozed"
    RESOLVED = "resolved", "Resolved"


class Alert(models.Model):
    type = models.CharField(max_length=16, choices=AlertType.choices)
    reason = models.CharField(max_length=500)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    starts_on = models.DateField(default=timezone.localdate)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    snoozed_until = models.DateField(null=True, blank=True)
    evidence = models.ManyToManyField(Signal, blank=True, related_name="alerts")
    dedupe_key = models.CharField(max_length=128, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            choice_check("type", AlertType, table="alert"),
            choice_check("priority", Priority, table="alert"),
            choice_check("status", AlertStatus, table="alert"),
            models.CheckConstraint(
                condition=models.Q(snoozed_until__isnull=False) | ~models.Q(status="snoozed"),
                name="alert_snoozed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "priority"]), models.Index(fields=["account", "status"])]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reason


class WebhookSource(models.Model):
    """An outside system that may post signals, with its shared HMAC secret.

    The secret has to be kept readable to check signatures; it is shown to the admin once, when it is made.
    After a rotation the previous secret is still accepted until `previous_secret_valid_until`, so that the
    sender can switch over without losing deliveries."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, help_text="Its part of the webhook address")
    secret = models.CharField(max_length=128)
    previous_secret = models.CharField(max_length=128, blank=True)
    previous_secret_valid_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def secrets_accepted(self, *, now) -> list[str]:
        accepted = [self.secret]
        if self.previous_secret_valid_until and now < self.previous_secret_valid_until:
            accepted.append(self.previous_secret)
        return [secret for secret in accepted if secret]  # an empty key would let anyone sign


class ReceiptOutcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class WebhookReceipt(models.Model):
    """Every delivery, accepted or not: the accepted ones make the idempotency key (the first answer is kept and
    given again to a duplicate); the refused ones (bad signature, stale timestamp …) are the audit trail."""

    source = models.ForeignKey(WebhookSource, null=True, blank=True, on_delete=models.CASCADE, related_name="receipts")
    source_slug = models.CharField(max_length=100, blank=True, help_text="As the address named it")
    delivery_id = models.CharField(max_length=128, blank=True, help_text="The Idempotency-Key header")
    outcome = models.CharField(max_length=16, choices=ReceiptOutcome.choices, default=ReceiptOutcome.ACCEPTED)
    status_code = models.PositiveSmallIntegerField(default=200)
    reason = models.CharField(max_length=255, blank=True)
    response = models.JSONField(default=dict, blank=True)
    body_sha256 = models.CharField(max_length=64, blank=True)
    remote_addr = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            choice_check("outcome", ReceiptOutcome, table="webhook_receipt"),
            models.UniqueConstraint(
                fields=["source", "delivery_id"],
                condition=models.Q(outcome="accepted"),
                name="webhook_receipt_unique_delivery",
            ),
        ]
        indexes = [models.Index(fields=["source", "received_at"])]
        ordering = ["-received_at"]


class FollowedChampion(models.Model):
    """A departed champion, followed to their new company so they become a lead there."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="followed")
    new_company = models.CharField(max_length=255)
    new_domain = models.CharField(max_length=255, blank=True)
    new_title = models.CharField(max_length=200, blank=True)
    matched_account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="arrived_champions"
    )
    new_contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    detected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contact", "new_company"], name="followed_champion_unique")]
