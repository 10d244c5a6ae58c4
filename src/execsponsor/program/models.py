"""The program: sponsorships, charters, objectives, selection and matching runs, rebalances, reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from execsponsor.common.constraints import choice_check, range_check
from execsponsor.core.run_result import RunResult
from execsponsor.customers.models import Account, Contact
from execsponsor.users.models import Executive, Role


class SponsorshipStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    INTRODUCED = "introduced", "Introduced"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


# A sponsor "has" an account (sees it, counts it against capacity) in these states.
LIVE_STATUSES = (
    SponsorshipStatus.APPROVED,
    SponsorshipStatus.INTRODUCED,
    SponsorshipStatus.ACTIVE,
    SponsorshipStatus.PAUSED,
)


class SponsorshipQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)


class Sponsorship(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="sponsorships")
    executive = models.ForeignKey(Executive, on_delete=models.PROTECT, related_name="sponsorships")
    status = models.CharField(max_length=16, choices=SponsorshipStatus.choices, default=SponsorshipStatus.PROPOSED)
    counterparts = models.ManyToManyField(Contact, blank=True, related_name="sponsor_counterparts")
    introducer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="introductions",
    )
    charter_objectives = models.TextField(blank=True)
    charter_expectations = models.TextField(blank=True, help_text="Agreed with the customer executive")
    customer_commitment = models.TextField(blank=True, help_text="The customer's own commitment")
    cadence_days = models.PositiveSmallIntegerField(default=14)
    proposed_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    introduced_on = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=255, blank=True)
    alignment_checked_on = models.DateField(
        null=True, blank=True, help_text="AE–sponsor alignment check done before launch"
    )
    matching_run = models.ForeignKey(
        "MatchingRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="sponsorships"
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Moves on at every save; a write must name the version it read (409 otherwise)"
    )

    history = HistoricalRecords(excluded_fields=["proposed_at"])
    objects = SponsorshipQuerySet.as_manager()

    class Meta:
        constraints = [
            choice_check("status", SponsorshipStatus, table="sponsorship"),
            range_check("cadence_days", 1, 365, table="sponsorship", nullable=False),
            models.UniqueConstraint(
                fields=["account", "executive"],
                condition=~models.Q(status="ended"),
                name="sponsorship_one_open_per_pair",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(status="ended"),
                name="sponsorship_ended_on_only_when_ended",
            ),
        ]
        indexes = [models.Index(fields=["executive", "status"]), models.Index(fields=["account", "status"])]

    def __str__(self) -> str:
        return f"{self.executive.user} → {self.account}"

    def save(self, *args, **kwargs):
        # Every write of a stored row moves the version on, whichever service makes it, so a client holding
        # an older version is refused (optimistic concurrency) instead of overwriting the change.
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class SupportingExecutiveQuerySet(models.QuerySet):
    def current(self, today=None):
        """Supporting roles not yet ended: `until` is empty or still ahead."""
        today = today or timezone.localdate()
        return self.filter(models.Q(until__isnull=True) | models.Q(until__gt=today))


class SupportingExecutive(models.Model):
    """An executive brought in for a specific problem without becoming the sponsor."""

    sponsorship = models.ForeignKey(Sponsorship, on_delete=models.CASCADE, related_name="supporting")
    executive = models.ForeignKey(Executive, on_delete=models.CASCADE, related_name="supporting_roles")
    reason = models.CharField(max_length=255)
    since = models.DateField(default=timezone.localdate)
    until = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()
    objects = SupportingExecutiveQuerySet.as_manager()

    class Meta:
        constraints = [
            # One open supporting role per executive and sponsorship; an ended one may be followed by another.
            models.UniqueConstraint(
                fields=["sponsorship", "executive"],
                condition=models.Q(until__isnull=True),
                name="supporting_executive_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.executive.user} supporting {self.sponsorship.account}: {self.reason}"

    @property
    def is_current(self) -> bool:
        return self.until is None or self.until > timezone.localdate()


class ObjectiveStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    ACHIEVED = "achieved", "Achieved"
    MISSED = "missed", "Missed"


class Objective(models.Model):
    """A goal of a sponsorship or of an account plan."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="objectives")
    sponsorship = models.ForeignKey(
        Sponsorship, null=True, blank=True, on_delete=models.SET_NULL, related_name="objectives"
    )
    title = models.CharField(max_length=255)
    measure = models.CharField(max_length=255, blank=True)
    target_value = models.CharField(max_length=100, blank=True)
    current_value = models.CharField(max_length=100, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=ObjectiveStatus.choices, default=ObjectiveStatus.NOT_STARTED)
    status_changed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [choice_check("status", ObjectiveStatus, table="objective")]
        indexes = [models.Index(fields=["account", "status"])]

    def __str__(self) -> str:
        return self.title


class RoleCharter(models.Model):
    """What each role in the program is responsible for."""

    role = models.CharField(max_length=24, choices=Role.choices, unique=True)
    responsibilities = models.TextField()
    does_not = models.TextField(blank=True, help_text="e.g. the sponsor never replaces the AE and does not sell")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every edit; detects concurrent edits")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self) -> str:
        return f"Charter of the {self.get_role_display().lower()}"


ALIGNMENT_ITEMS = {
    "account_strategy": "Account strategy",
    "ae_promises": "What the AE has promised the customer",
    "open_opportunities": "Open opportunities",
    "customer_challenges": "The customer's challenges",
    "sponsor_does_not_sell": "The sponsor does not sell: commercial talk goes back to the AE",
}
# The items the AE writes up for the sponsor; the last item is a reminder both sides acknowledge.
ALIGNMENT_NOTES = ("account_strategy", "ae_promises", "open_opportunities", "customer_challenges")


class AlignmentChecklist(models.Model):
    """The AE–sponsor alignment before a sponsorship becomes active: the AE writes it up, each side ticks."""

    sponsorship = models.OneToOneField(Sponsorship, on_delete=models.CASCADE, related_name="alignment")
    account_strategy = models.TextField(blank=True)
    ae_promises = models.TextField(blank=True)
    open_opportunities = models.TextField(blank=True)
    customer_challenges = models.TextField(blank=True)
    ae_ticked = models.JSONField(default=list, blank=True, help_text="Item keys the AE has ticked")
    ae_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ae_at = models.DateTimeField(null=True, blank=True)
    ae_completed_at = models.DateTimeField(null=True, blank=True)
    sponsor_ticked = models.JSONField(default=list, blank=True, help_text="Item keys the sponsor has ticked")
    sponsor_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sponsor_at = models.DateTimeField(null=True, blank=True)
    sponsor_completed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every save; detects concurrent edits")
    notes_version = models.PositiveIntegerField(
        default=1, help_text="Bumped when the write-up changes: a tick names the write-up it confirms"
    )

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Alignment for {self.sponsorship}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)

    @property
    def ae_complete(self) -> bool:
        return self.ae_completed_at is not None

    @property
    def sponsor_complete(self) -> bool:
        return self.sponsor_completed_at is not None

    @property
    def complete(self) -> bool:
        return self.ae_complete and self.sponsor_complete


class PairRuleKind(models.TextChoices):
    FORBIDDEN = "forbidden", "Forbidden (conflict of interest)"
    LOCKED = "locked", "Locked by the program owner"


class PairRule(models.Model):
    """A standing rule for the matcher about one executive and one account."""

    executive = models.ForeignKey(Executive, on_delete=models.CASCADE, related_name="pair_rules")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="pair_rules")
    kind = models.CharField(max_length=16, choices=PairRuleKind.choices)
    reason = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["executive", "account"], name="pair_rule_unique"),
            choice_check("kind", PairRuleKind, table="pair_rule"),
        ]


class ProgramSetting(models.Model):
    """Named, versioned configuration: selection weights, eligibility, matching weights, health weights."""

    key = models.CharField(max_length=64, unique=True)
    value = models.JSONField(default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every save; detects concurrent edits")

    def __str__(self) -> str:
        return self.key


class RunStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    DISCARDED = "discarded", "Discarded"


class SelectionRun(models.Model):
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    options = models.JSONField(default=dict)
    result = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]


class RandomisedCohort(models.Model):
    """Accounts at the shortlist boundary whose entry into the program a seeded draw decided, kept so that the
    impact analysis can compare the drawn-in with the drawn-out a quarter or more later (docs/impact.md).
    Account ids, not foreign keys: the record of the draw stays as it was even if an account is deleted."""

    selection_run = models.OneToOneField(SelectionRun, on_delete=models.CASCADE, related_name="randomised_cohort")
    matching_run = models.ForeignKey(
        "MatchingRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="randomised_cohorts"
    )
    drawn_on = models.DateField(help_text="The day the selection was applied (the matching run approved)")
    seed = models.PositiveBigIntegerField()
    tolerance = models.FloatField(help_text="Points either side of the cut-off score that count as near-tied")
    cut_off_score = models.FloatField()
    slots = models.PositiveIntegerField(help_text="Shortlist places the draw filled")
    band = models.JSONField(default=list, help_text="[{account_id, name, score, drawn_in}] in rank order")
    drawn_in = models.JSONField(default=list, help_text="Account ids the draw let in")
    drawn_out = models.JSONField(default=list, help_text="Account ids the draw left out")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-drawn_on", "-pk"]

    def __str__(self) -> str:
        return f"Randomised cohort of {self.drawn_on}: {len(self.drawn_in)} in, {len(self.drawn_out)} out"


class MatchingRun(models.Model):
    """A proposal from the matcher. Nothing is written to sponsorships before approval."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    label = models.CharField(max_length=100, blank=True)
    options = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    solver_status = models.CharField(max_length=32, blank=True)
    objective = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    inputs_fingerprint = models.CharField(
        max_length=64, blank=True, help_text="Digest of the sponsorships, executives and settings the run used"
    )
    changes = models.JSONField(default=dict, blank=True, help_text="How many keep, reassign, end, add, unassigned")

    class Meta:
        constraints = [choice_check("status", RunStatus, table="matching_run")]
        ordering = ["-created_at"]

    def get_absolute_url(self) -> str:
        return reverse("program:matching_run", args=[self.pk])

    @property
    def typed_result(self) -> RunResult:
        """The result document read into frozen dataclasses (core/run_result.py); `result` stays the stored JSON."""
        return RunResult.from_dict(self.result)


class RebalanceBatchStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPLIED = "applied", "Applied"
    REVERTED = "reverted", "Reverted"
    DISCARDED = "discarded", "Discarded"


class RebalanceBatch(models.Model):
    """The quarterly rebalance: proposals applied together as one audited, reversible batch."""

    Status = RebalanceBatchStatus

    quarter_label = models.CharField(max_length=16, help_text="e.g. 2026 Q4")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    reverted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [choice_check("status", RebalanceBatchStatus, table="rebalance_batch")]
        ordering = ["-created_at"]


class RebalanceProposalAction(models.TextChoices):
    ADD = "add", "Add to the program"
    REMOVE = "remove", "Remove from the program"
    REASSIGN = "reassign", "Reassign to another executive"


class RebalanceProposal(models.Model):
    Action = RebalanceProposalAction

    batch = models.ForeignKey(RebalanceBatch, on_delete=models.CASCADE, related_name="proposals")
    action = models.CharField(max_length=16, choices=Action.choices)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    from_sponsorship = models.ForeignKey(
        Sponsorship, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_executive = models.ForeignKey(Executive, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=500)
    accepted = models.BooleanField(default=True)
    previous_status = models.CharField(
        max_length=16, blank=True, help_text="The status of from_sponsorship before the batch, to revert it"
    )
    created_sponsorship = models.ForeignKey(
        Sponsorship, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [choice_check("action", RebalanceProposalAction, table="rebalance_proposal")]


class ProgramReview(models.Model):
    """The bi-weekly internal review of the program owner, sponsors and account teams.

    `agenda` holds the items the product prepared (program/review_agenda.py), each a dict with its `key`,
    `group`, what it links to and whether it was `discussed`; the next review carries over what stayed open."""

    held_on = models.DateField()
    agenda = models.JSONField(default=list, blank=True)
    agenda_counts = models.JSONField(
        default=dict, blank=True, help_text="How many items each group had before the agenda kept the first ones"
    )
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    prepared_at = models.DateTimeField(default=timezone.now, help_text="When the agenda was last computed")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every save; detects concurrent edits")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["held_on"], name="program_review_one_per_day")]

    def __str__(self) -> str:
        return f"Program review of {self.held_on:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("program:review_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", "updated_at"}
        super().save(*args, **kwargs)


class DecisionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ReviewDecision(models.Model):
    """A decision taken in a program review, with who follows it up and by when."""

    Status = DecisionStatus

    review = models.ForeignKey(ProgramReview, on_delete=models.CASCADE, related_name="decisions")
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=DecisionStatus.choices, default=DecisionStatus.OPEN)
    task = models.OneToOneField(
        "playbooks.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_decision",
        help_text="The owner's task that follows the decision up on their home and tasks page",
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every save; detects concurrent edits")

    history = HistoricalRecords()

    class Meta:
        constraints = [choice_check("status", DecisionStatus, table="review_decision")]
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["owner", "status"])]
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.decision[:80]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status == DecisionStatus.OPEN
