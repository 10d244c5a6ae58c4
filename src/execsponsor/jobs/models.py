"""One row per run of a background job, so an admin can see when each last ran and whether it worked."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from execsponsor.common.constraints import choice_check


class JobOutcome(models.TextChoices):
    RUNNING = "running", "Running"
    OK = "ok", "Succeeded"
    FAILED = "failed", "Failed"


class JobRun(models.Model):
    Outcome = JobOutcome

    name = models.CharField(max_length=64, help_text="The job's name, e.g. cadence-sweep")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=JobOutcome.choices, default=JobOutcome.RUNNING)
    summary = models.JSONField(default=dict, blank=True, help_text="What the run did, e.g. {'tasks_created': 3}")
    error = models.TextField(blank=True)

    class Meta:
        constraints = [choice_check("outcome", JobOutcome, table="job_run")]
        indexes = [models.Index(fields=["name", "-started_at"])]
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.name} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
