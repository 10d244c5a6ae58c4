"""Engagements: meetings, calls, dinners, events, QBRs and email exchanges, with the quality rubric."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from execsponsor.common.constraints import Source, choice_check, external_id_unique
from execsponsor.customers.models import Account, Contact


class EngagementKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    CALL = "call", "Call"
    DINNER = "dinner", "Dinner"
    EVENT = "event", "Event"
    QBR = "qbr", "QBR / EBR"
    EMAIL = "email", "Email exchange"
    TASK = "task", "Other activity"


# Depth of contact for relationship strength: a meeting is worth more than an email.
KIND_DEPTH = {
    EngagementKind.DINNER: 1.0,
    EngagementKind.QBR: 1.0,
    EngagementKind.MEETING: 0.9,
    EngagementKind.EVENT: 0.7,
    EngagementKind.CALL: 0.6,
    EngagementKind.EMAIL: 0.3,
    EngagementKind.TASK: 0.2,
}

# The quality rubric of PRODUCT.md, in the order the form asks it.
RUBRIC_FIELDS = (
    "discussed_strategy",
    "over_the_horizon",
    "learned_something_new",
    "next_step_agreed",
    "new_scope_raised",
)
RUBRIC_LABELS = {
    "discussed_strategy": "Customer strategy discussed",
    "over_the_horizon": "Over-the-horizon topics",
    "learned_something_new": "Something new learned",
    "next_step_agreed": "Next step agreed",
    "new_scope_raised": "New scope raised",
}
# The default rule; the program may change it (engagements.rules.rubric_threshold).
RUBRIC_ITEMS_THAT_COUNT = 2


def rubric_counts(
    *,
    discussed_strategy: bool,
    learned_something_new: bool,
    next_step_agreed: bool,
    new_scope_raised: bool,
    over_the_horizon: bool = False,
    threshold: int = RUBRIC_ITEMS_THAT_COUNT,
) -> bool:
    """Meetings that count, not the count of meetings: enough ticked rubric items make an engagement count."""
    ticked = sum((discussed_strategy, over_the_horizon, learned_something_new, next_step_agreed, new_scope_raised))
    return ticked >= threshold


class Engagement(models.Model):
    # The composite indexes below start with these columns, so the FKs need no index of their own.
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="engagements", db_index=False)
    sponsorship = models.ForeignKey(
        "program.Sponsorship",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="engagements",
        db_index=False,
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    external_id = models.CharField(max_length=64, blank=True, default="")
    kind = models.CharField(max_length=16, choices=EngagementKind.choices, default=EngagementKind.MEETING)
    subject = models.CharField(max_length=255)
    occurred_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="engagements_owned",
    )
    topics = models.JSONField(default=list, blank=True)
    outcome = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    two_way = models.BooleanField(default=True, help_text="Both sides took part, not a one-way send")
    discussed_strategy = models.BooleanField(default=False, help_text="Discussed the customer's strategy")
    # db_default too: bulk writers that name their columns (the demo's COPY) need not know the new ones.
    over_the_horizon = models.BooleanField(
        default=False, db_default=False, help_text="Talked about what lies over the horizon"
    )
    learned_something_new = models.BooleanField(default=False)
    next_step_agreed = models.BooleanField(default=False)
    new_scope_raised = models.BooleanField(default=False, help_text="A new scope of work was raised")
    counts = models.BooleanField(default=False, help_text="Set from the quality rubric, or the owner's override")
    rubric_pending = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Imported from a calendar: does not count until the sponsor fills in the rubric",
    )
    counts_override = models.BooleanField(
        null=True, blank=True, help_text="The program owner's decision, over the rubric's; empty: the rubric decides"
    )
    counts_override_reason = models.CharField(max_length=500, blank=True, default="", db_default="")
    counts_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contacts = models.ManyToManyField(Contact, through="EngagementContact", related_name="engagements")
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="EngagementAttendee", related_name="engagements_attended"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        constraints = [
            external_id_unique(table="engagement"),
            choice_check("source", Source, table="engagement"),
            choice_check("kind", EngagementKind, table="engagement"),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gte=models.F("occurred_at")),
                name="engagement_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-occurred_at"]),
            models.Index(fields=["sponsorship", "-occurred_at"]),
            models.Index(fields=["occurred_at"]),
            # What the nightly strength recompute reads of each engagement, so it never visits the rows.
            models.Index(fields=["account", "occurred_at", "kind", "two_way"], name="engagement_touches"),
        ]
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.occurred_at:%Y-%m-%d})"

    @property
    def rubric_ticked(self) -> int:
        return sum(bool(getattr(self, name)) for name in RUBRIC_FIELDS)

    def save(self, *args, **kwargs):
        from execsponsor.engagements.rules import rubric_threshold

        if self.counts_override is not None:
            self.counts = self.counts_override
        else:
            self.counts = self.rubric_ticked >= rubric_threshold()
        super().save(*args, **kwargs)


class EngagementContact(models.Model):
    """A customer-side participant."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, db_index=False)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["engagement", "contact"], name="engagement_contact_unique")]
        indexes = [models.Index(fields=["contact", "engagement"])]


class EngagementAttendee(models.Model):
    """One of our people who took part."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["engagement", "user"], name="engagement_attendee_unique")]
        indexes = [models.Index(fields=["user", "engagement"])]


class CommitmentSide(models.TextChoices):
    OURS = "ours", "Ours"
    THEIRS = "theirs", "The customer's"


class CommitmentStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class Commitment(models.Model):
    """Something promised in an engagement; ours become tasks."""

    Side = CommitmentSide

    Status = CommitmentStatus

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="commitments")
    description = models.CharField(max_length=500)
    side = models.CharField(max_length=8, choices=Side.choices, default=Side.OURS)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    task = models.OneToOneField(
        "playbooks.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="commitment"
    )

    class Meta:
        constraints = [
            choice_check("side", CommitmentSide, table="commitment"),
            choice_check("status", CommitmentStatus, table="commitment"),
        ]

    def __str__(self) -> str:
        return self.description
