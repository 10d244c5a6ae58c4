"""Files in and out: the import jobs and the saved column mappings of the CSV import engine.

The tables keep their names from when these models lived in customers (customers_importmapping,
customers_importbatch); see migrations/0001_initial.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from execsponsor.common.constraints import Source, choice_check


class ImportKind(models.TextChoices):
    ACCOUNTS = "accounts", "Accounts"
    CONTACTS = "contacts", "Contacts"
    OPPORTUNITIES = "opportunities", "Opportunities"
    REVENUE = "revenue", "Quarterly revenue"
    ACTIVITIES = "activities", "Past activities"
    USERS = "users", "Our users"
    EXECUTIVES = "executives", "Our executives"
    SATISFACTION = "satisfaction", "CSAT / NPS responses"
    USAGE = "usage", "Product usage"


class ImportMapping(models.Model):
    """A saved column mapping for importing any CSV: {our field: their column}."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=16, choices=ImportKind.choices)
    columns = models.JSONField(default=dict)
    date_format = models.CharField(max_length=16, blank=True, help_text="dmy or mdy when dates are ambiguous")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "customers_importmapping"
        constraints = [choice_check("kind", ImportKind, table="import_mapping")]

    def __str__(self) -> str:
        return self.name


class ImportBatchStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    PREVIEWING = "previewing", "Checking the file"
    PREVIEWED = "previewed", "Previewed"
    COMMITTING = "committing", "Importing"
    COMMITTED = "committed", "Committed"
    FAILED = "failed", "Failed"
    DISCARDED = "discarded", "Discarded"


class ImportBatch(models.Model):
    """One import job: uploaded, previewed (dry run) in the background, then committed or discarded.

    The upload lives as a file under DATA_DIR/imports (never in the database) until the job is committed,
    discarded, fails to parse, or ages past IMPORT_UPLOAD_RETENTION. A commit that stops midway (a crash, a
    full disk) leaves the job failed and resumable: the batches it wrote are committed, and running the commit
    again re-applies every row by external id, which is safe.
    """

    Status = ImportBatchStatus
    RUNNING = (ImportBatchStatus.QUEUED, ImportBatchStatus.PREVIEWING, ImportBatchStatus.COMMITTING)

    source = models.CharField(max_length=16, choices=Source.choices)
    kind = models.CharField(max_length=16, choices=ImportKind.choices)
    file_name = models.CharField(max_length=255)
    upload_path = models.CharField(max_length=500, blank=True, help_text="The uploaded file under DATA_DIR")
    upload_size = models.BigIntegerField(default=0)
    mapping = models.ForeignKey(ImportMapping, null=True, blank=True, on_delete=models.SET_NULL)
    skip_bad_rows = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(max_length=16, blank=True, help_text="checking | writing, while the job runs")
    rows_done = models.BigIntegerField(default=0)
    rows_total = models.BigIntegerField(default=0)
    resumable = models.BooleanField(default=False)
    failure = models.TextField(blank=True)
    applied = models.JSONField(default=dict, blank=True, help_text="Counts of the batches a commit has written")
    report = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    committed_at = models.DateTimeField(null=True, blank=True)

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent_done(self) -> int:
        return min(100, self.rows_done * 100 // self.rows_total) if self.rows_total else 0

    class Meta:
        db_table = "customers_importbatch"
        constraints = [
            choice_check("status", ImportBatchStatus, table="import_batch"),
            choice_check("kind", ImportKind, table="import_batch"),
        ]
        ordering = ["-created_at"]
