"""Health snapshots, relationship strength and KPI snapshots for dashboards and reports."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from execsponsor.common.constraints import choice_check, range_check
from execsponsor.customers.models import Account, Contact, HealthBand


class HealthSnapshot(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="health_snapshots")
    taken_on = models.DateField(default=timezone.localdate)
    score = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=8, choices=HealthBand.choices)
    measures = models.JSONField(default=dict, help_text="Per-measure scores; a measure with no data is absent")
    drivers = models.JSONField(default=list, help_text="What moved the score since the previous snapshot")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "taken_on"], name="health_snapshot_one_per_day"),
            range_check("score", 0, 100, table="health_snapshot", nullable=False),
        ]
        indexes = [models.Index(fields=["account", "-taken_on"])]
        ordering = ["-taken_on"]


class RelationshipStrength(models.Model):
    """Strength 0–100 of our relationship with one contact, recomputed nightly."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="strength_snapshots")
    computed_on = models.DateField(default=timezone.localdate)
    score = models.FloatField()
    components = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "computed_on"], name="relationship_strength_one_per_day"),
            range_check("score", 0, 100, table="relationship_strength", nullable=False),
        ]


class ProgramKpiSnapshot(models.Model):
    """The program's leading and lagging measures, as of a date, for trend charts and the quarterly review."""

    taken_on = models.DateField(unique=True)
    figures = models.JSONField(default=dict)


class MeasureRowKind(models.TextChoices):
    ACCOUNT = "account", "Account"
    EXECUTIVE = "executive", "Executive"
    SCORECARD = "scorecard", "Scorecard"


class MeasureSnapshotRow(models.Model):
    """One account's or one executive's measures, or one executive's scorecard, as the nightly measures job
    stored them with a ProgramKpiSnapshot (whose `figures["measures"]` holds the program-level figures only),
    so that a page reads the rows it shows and nothing else (docs/measures.md, "Speed")."""

    Kind = MeasureRowKind

    snapshot = models.ForeignKey(ProgramKpiSnapshot, on_delete=models.CASCADE, related_name="measure_rows")
    kind = models.CharField(max_length=16, choices=MeasureRowKind.choices)
    position = models.PositiveIntegerField(help_text="The order shown: by name; scorecards by rank")
    key = models.PositiveIntegerField(help_text="The account's or the executive's id")
    name = models.CharField(max_length=300)
    detail = models.TextField(blank=True, help_text="An account's sponsors; an executive's function")
    url = models.CharField(max_length=200, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True, help_text="Scorecards: 1 = best")
    # This quarter's figures as columns, to sort and filter on without opening the series.
    live_sponsorships = models.PositiveIntegerField(default=0)
    engagements_counting = models.PositiveIntegerField(default=0)
    cadence_adherence = models.FloatField(null=True, blank=True)
    revenue = models.FloatField(null=True, blank=True)
    series = models.JSONField(default=dict, help_text="The quarters' figures, oldest first: {figure: [values]}")
    card = models.JSONField(default=dict, blank=True, help_text="Scorecards: the rest of Scorecard.as_dict()")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "kind", "key"], name="measure_row_one_per_key"),
            models.UniqueConstraint(fields=["snapshot", "kind", "position"], name="measure_row_one_per_position"),
            choice_check("kind", MeasureRowKind, table="measure_snapshot_row"),
        ]


class ImpactAnalysis(models.Model):
    """One run of the impact analysis (core/impact.py): the result as shown, kept so pages read it instantly."""

    computed_at = models.DateTimeField(default=timezone.now)
    as_of = models.DateField()
    computed_by = models.ForeignKey(
        "users.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty: the nightly job",
    )
    seconds = models.FloatField(default=0)
    result = models.JSONField(default=dict, help_text="ImpactResult.as_dict(), or {'error': why it could not run}")

    class Meta:
        ordering = ["-computed_at"]
        verbose_name_plural = "impact analyses"


class CsmRatingValue(models.TextChoices):
    GREEN = "green", "Green: on track"
    YELLOW = "yellow", "Yellow: some concern"
    RED = "red", "Red: at risk"


class CsmRating(models.Model):
    """The CSM's own red/yellow/green call on an account. Every call is kept; the newest counts in health
    until it is older than the health policy allows (180 days by default)."""

    Value = CsmRatingValue

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="csm_ratings")
    rating = models.CharField(max_length=8, choices=CsmRatingValue.choices)
    note = models.CharField(max_length=500, blank=True)
    rated_on = models.DateField(default=timezone.localdate)
    rated_by = models.ForeignKey("users.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [choice_check("rating", CsmRatingValue, table="csm_rating")]
        indexes = [models.Index(fields=["account", "-rated_on", "-created_at"])]
        ordering = ["-rated_on", "-created_at"]
