"""Playbooks: templates of steps started by triggers; runs create tasks with owners and due dates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from execsponsor.common.constraints import choice_check, range_check
from execsponsor.customers.models import Account


class Trigger(models.TextChoices):
    MANUAL = "manual", "Started by hand"
    SPONSORSHIP_APPROVED = "sponsorship_approved", "Sponsorship approved"
    CADENCE_OVERDUE = "cadence_overdue", "Cadence overdue"
    RENEWAL_NEAR = "renewal_near", "Renewal within N days"
    QUARTER_START = "quarter_start", "Quarter start"
    ALERT = "alert", "Alert raised"
    HEALTH_DROP = "health_drop", "Health dropped"


# The settings each trigger reads from Playbook.settings, with their defaults (docs/playbooks.md).
TRIGGER_DEFAULTS: dict[str, dict] = {
    Trigger.MANUAL: {},
    Trigger.SPONSORSHIP_APPROVED: {"within_days": 30},
    Trigger.CADENCE_OVERDUE: {},
    Trigger.RENEWAL_NEAR: {"days": 90},
    Trigger.QUARTER_START: {"within_days": 30},
    Trigger.ALERT: {"alert_kinds": [], "within_days": 30},
    Trigger.HEALTH_DROP: {"points": 15, "within_days": 7},
}


class StepRole(models.TextChoices):
    SPONSOR = "sponsor", "Executive sponsor"
    AE = "ae", "Account executive"
    CSM = "csm", "CSM"
    OWNER = "owner", "Program owner"


class Playbook(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    trigger = models.CharField(max_length=32, choices=Trigger.choices, default=Trigger.MANUAL)
    is_active = models.BooleanField(default=True)
    built_in = models.BooleanField(default=False)
    settings = models.JSONField(default=dict, blank=True, help_text="Per-trigger settings, e.g. {'days': 90}")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [choice_check("trigger", Trigger, table="playbook")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("playbooks:playbook_detail", args=[self.pk])

    @property
    def trigger_summary(self) -> str:
        """The trigger in words, with its settings."""
        if self.trigger == Trigger.RENEWAL_NEAR:
            return f"Renewal within {self.setting('days')} days"
        if self.trigger == Trigger.ALERT:
            return f"Alert raised: {', '.join(self.setting('alert_kinds') or []) or 'no kind chosen'}"
        if self.trigger == Trigger.HEALTH_DROP:
            return f"Health fell a band or {self.setting('points')}+ points"
        if self.trigger == Trigger.QUARTER_START:
            return f"Quarter start (first {self.setting('within_days')} days)"
        return self.get_trigger_display()

    def setting(self, name: str):
        """A trigger setting: the playbook's own value, else the trigger's default."""
        value = (self.settings or {}).get(name)
        return TRIGGER_DEFAULTS.get(self.trigger, {}).get(name) if value is None else value


class PlaybookStep(models.Model):
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    role = models.CharField(max_length=8, choices=StepRole.choices)
    offset_days = models.SmallIntegerField(default=0, help_text="Due this many days after the run starts")
    instructions = models.TextField(blank=True)
    checklist = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["playbook", "position"]
        constraints = [
            models.UniqueConstraint(fields=["playbook", "position"], name="playbook_step_position_unique"),
            choice_check("role", StepRole, table="playbook_step"),
        ]

    def __str__(self) -> str:
        return self.title


class PlaybookRunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class PlaybookRun(models.Model):
    Status = PlaybookRunStatus

    playbook = models.ForeignKey(Playbook, on_delete=models.PROTECT, related_name="runs")
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.CASCADE, related_name="playbook_runs")
    sponsorship = models.ForeignKey(
        "program.Sponsorship", null=True, blank=True, on_delete=models.SET_NULL, related_name="playbook_runs"
    )
    alert = models.ForeignKey(
        "signals.Alert", null=True, blank=True, on_delete=models.SET_NULL, related_name="playbook_runs"
    )
    anchor_date = models.DateField(default=timezone.localdate, help_text="Step offsets count from here")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    started_at = models.DateTimeField(default=timezone.now)
    cause_key = models.CharField(
        max_length=160,
        blank=True,
        help_text="What started the run, e.g. sponsorship-approved:42; a trigger fires once per cause",
    )

    class Meta:
        constraints = [
            choice_check("status", PlaybookRunStatus, table="playbook_run"),
            models.UniqueConstraint(
                fields=["playbook", "cause_key"],
                condition=~models.Q(cause_key=""),
                name="playbook_run_once_per_cause",
            ),
        ]
        indexes = [models.Index(fields=["account", "status"])]

    def __str__(self) -> str:
        return f"{self.playbook} ({self.anchor_date:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("playbooks:run_detail", args=[self.pk])


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class Task(models.Model):
    Status = TaskStatus

    run = models.ForeignKey(PlaybookRun, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks")
    step = models.ForeignKey(PlaybookStep, null=True, blank=True, on_delete=models.SET_NULL)
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=255)
    instructions = models.TextField(blank=True)
    checklist = models.JSONField(default=list, blank=True, help_text="[{'item': …, 'done': bool}]")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    due_on = models.DateField(null=True, blank=True)
    assigned_at = models.DateTimeField(
        default=timezone.now, help_text="When the current owner got the task (created or reassigned)"
    )
    snoozed_until = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalates = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="escalations",
        help_text="The overdue task this one escalates",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [choice_check("status", TaskStatus, table="task")]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"]),
            models.Index(fields=["account", "status"]),
            models.Index(fields=["status", "due_on"]),
        ]
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("playbooks:task_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN


class TaskComment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class TaskPolicy(models.Model):
    """The program's task rules, one row (pk 1): how long an overdue task waits before it is escalated."""

    escalation_grace_days = models.PositiveSmallIntegerField(
        default=3, help_text="Days past due before an open task is escalated"
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [range_check("escalation_grace_days", 0, 90, table="task_policy", nullable=False)]

    @classmethod
    def current(cls) -> TaskPolicy:
        return cls.objects.get_or_create(pk=1)[0]
