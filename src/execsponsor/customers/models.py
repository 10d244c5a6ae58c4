"""Customers: accounts, contacts, opportunities, revenue, satisfaction and usage figures."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from execsponsor.common.constraints import Source, choice_check, external_id_unique, range_check

SEARCH_KEY_LENGTH = 255


def search_key(text: str) -> str:
    """The form of a name that search compares: 'São  JORGE' → 'sao jorge', 'Müller' → 'muller'.

    Case is folded and Latin accents (the combining marks U+0300–U+036F after decomposition) are dropped;
    other marks, such as the kana voicing marks, stay, so Japanese names keep their meaning.
    """
    decomposed = unicodedata.normalize("NFD", text.casefold())
    bare = "".join(c for c in decomposed if not 0x300 <= ord(c) <= 0x36F)
    return " ".join(unicodedata.normalize("NFC", bare).split())[:SEARCH_KEY_LENGTH]


class Segment(models.TextChoices):
    ENTERPRISE = "enterprise", "Enterprise"
    MID_MARKET = "mid_market", "Mid-market"
    SMB = "smb", "SMB"


class HealthBand(models.TextChoices):
    RED = "red", "Red"
    YELLOW = "yellow", "Yellow"
    GREEN = "green", "Green"


class Lifecycle(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    PROSPECT = "prospect", "Prospect"
    CHURNED = "churned", "Churned"


class Account(models.Model):
    name = models.CharField(max_length=255)
    # search_key(name), kept on every save and by the bulk writers (import, demo); the accounts list
    # searches it through a trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL; migration 0006).
    search_name = models.CharField(max_length=SEARCH_KEY_LENGTH, blank=True, default="", editable=False, db_index=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    external_id = models.CharField(max_length=64, blank=True, default="")
    domain = models.CharField(max_length=255, blank=True, db_index=True)
    industry = models.CharField(max_length=100, blank=True)
    segment = models.CharField(max_length=16, choices=Segment.choices, blank=True)
    region = models.CharField(max_length=64, blank=True)
    country = models.CharField(max_length=100, blank=True)
    time_zone = models.CharField(max_length=64, blank=True, help_text="IANA name, e.g. Asia/Tokyo")
    required_language = models.CharField(
        max_length=8, blank=True, help_text="ISO 639-1 code the customer's executives need, e.g. ja; blank: any"
    )
    lifecycle = models.CharField(max_length=16, choices=Lifecycle.choices, default=Lifecycle.CUSTOMER)
    in_churn = models.BooleanField(default=False, help_text="The customer has given notice or is churning")
    arr = models.DecimalField("ARR", max_digits=16, decimal_places=2, null=True, blank=True)
    company_revenue = models.DecimalField(
        max_digits=18, decimal_places=2, null=True, blank=True, help_text="The customer's own annual revenue"
    )
    employees = models.PositiveIntegerField(null=True, blank=True)
    renewal_date = models.DateField(null=True, blank=True)
    growth_potential = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, help_text="Whitespace: revenue still to win"
    )
    strategic_value = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0–100")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_accounts",
    )
    csm = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="csm_accounts",
    )
    account_strategy = models.TextField(blank=True)
    capability_areas_in_use = models.JSONField(default=list, blank=True)
    capability_areas_planned = models.JSONField(default=list, blank=True)
    customer_goals = models.TextField(blank=True)
    pain_points = models.TextField(blank=True)
    culture_notes = models.CharField(
        max_length=255, blank=True, help_text="Style and culture, comma-separated (e.g. data-driven, formal)"
    )
    # Denormalised from the newest HealthSnapshot so that the list page can filter and sort on it.
    health_score = models.PositiveSmallIntegerField(null=True, blank=True)
    health_band = models.CharField(max_length=8, choices=HealthBand.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_name"])

    class Meta:
        constraints = [
            external_id_unique(table="account"),
            choice_check("source", Source, table="account"),
            models.CheckConstraint(condition=models.Q(segment__in=[*Segment.values, ""]), name="account_segment_valid"),
            models.CheckConstraint(
                condition=models.Q(health_band__in=[*HealthBand.values, ""]), name="account_health_band_valid"
            ),
            choice_check("lifecycle", Lifecycle, table="account"),
            range_check("strategic_value", 0, 100, table="account"),
            range_check("health_score", 0, 100, table="account"),
            models.CheckConstraint(
                condition=models.Q(arr__gte=0) | models.Q(arr__isnull=True), name="account_arr_nonnegative"
            ),
        ]
        indexes = [
            models.Index(fields=["name"]),
            models.Index(fields=["segment", "name"]),
            models.Index(fields=["owner", "name"]),
            models.Index(fields=["csm", "name"]),
            models.Index(fields=["health_band", "name"]),
            models.Index(fields=["arr"]),
            models.Index(fields=["segment", "arr"]),
            models.Index(fields=["health_band", "arr"]),
            models.Index(fields=["health_score"]),
            models.Index(fields=["health_band", "health_score"]),
            models.Index(fields=["renewal_date"]),
            # The list's health and renewal sorts inside a segment or a health band, read from the index in
            # order instead of sorting every account of the segment (75 ms at 100,000 accounts before).
            models.Index(fields=["segment", "health_score", "name"], name="account_segment_health"),
            models.Index(fields=["segment", "renewal_date"], name="account_segment_renewal"),
            models.Index(fields=["health_band", "renewal_date"], name="account_band_renewal"),
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_name = search_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("accounts:account_detail", args=[self.pk])


class Seniority(models.TextChoices):
    C_LEVEL = "c_level", "C-level"
    VP = "vp", "VP"
    DIRECTOR = "director", "Director"
    MANAGER = "manager", "Manager"
    INDIVIDUAL = "individual", "Individual contributor"


class Persona(models.TextChoices):
    POWER_USER = "power_user", "Power user"
    TEAM_MANAGER = "team_manager", "Team manager"
    FUNCTIONAL_VP = "functional_vp", "Functional VP"
    CEO_COO = "ceo_coo", "CEO / COO"


class BuyingRole(models.TextChoices):
    USER = "user", "User"
    EVALUATOR = "evaluator", "Evaluator"
    DECISION_MAKER = "decision_maker", "Decision maker"
    APPROVER = "approver", "Approver"
    CHAMPION = "champion", "Champion"
    EXECUTIVE_SPONSOR = "executive_sponsor", "Executive sponsor"
    INFLUENCER = "influencer", "Influencer"
    BLOCKER = "blocker", "Blocker"


class Support(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    SUPPORTER = "supporter", "Supporter"
    NEUTRAL = "neutral", "Neutral"
    NON_SUPPORTER = "non_supporter", "Non-supporter"
    OPPONENT = "opponent", "Opponent"


class Influence(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class DecisionOrientation(models.TextChoices):
    FINANCIAL = "financial", "Financial"
    TECHNICAL = "technical", "Technical"
    RELATIONSHIP = "relationship", "Relationship"
    BUSINESS = "business", "Business"


class ContactStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CHANGED_ROLE = "changed_role", "Changed role"
    LEFT = "left", "Left the company"


class Contact(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contacts")
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    external_id = models.CharField(max_length=64, blank=True, default="")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    title = models.CharField(max_length=200, blank=True)
    department = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    profile_url = models.URLField(blank=True, max_length=500)
    notes = models.TextField(blank=True)
    seniority = models.CharField(max_length=16, choices=Seniority.choices, blank=True)
    persona = models.CharField(max_length=16, choices=Persona.choices, blank=True)
    buying_role = models.CharField(max_length=20, choices=BuyingRole.choices, blank=True)
    support = models.CharField(max_length=16, choices=Support.choices, default=Support.NEUTRAL)
    influence = models.CharField(max_length=8, choices=Influence.choices, default=Influence.MEDIUM)
    decision_orientation = models.CharField(max_length=16, choices=DecisionOrientation.choices, blank=True)
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    status = models.CharField(max_length=16, choices=ContactStatus.choices, default=ContactStatus.ACTIVE)
    status_changed_on = models.DateField(null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        help_text="Who took over from this contact at the account when they left",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            external_id_unique(table="contact"),
            choice_check("source", Source, table="contact"),
            models.CheckConstraint(
                condition=models.Q(seniority__in=[*Seniority.values, ""]), name="contact_seniority_valid"
            ),
            models.CheckConstraint(condition=models.Q(persona__in=[*Persona.values, ""]), name="contact_persona_valid"),
            models.CheckConstraint(
                condition=models.Q(buying_role__in=[*BuyingRole.values, ""]), name="contact_buying_role_valid"
            ),
            choice_check("support", Support, table="contact"),
            choice_check("influence", Influence, table="contact"),
            models.CheckConstraint(
                condition=models.Q(decision_orientation__in=[*DecisionOrientation.values, ""]),
                name="contact_decision_orientation_valid",
            ),
            choice_check("status", ContactStatus, table="contact"),
            models.CheckConstraint(condition=~models.Q(reports_to=models.F("id")), name="contact_not_own_manager"),
            models.CheckConstraint(condition=~models.Q(replaced_by=models.F("id")), name="contact_not_own_successor"),
        ]
        indexes = [
            models.Index(fields=["account", "last_name"]),
            models.Index(fields=["email"]),
            models.Index(fields=["status"]),
        ]
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def full_name(self) -> str:
        return str(self)


class RelationshipLevelChoice(models.TextChoices):
    VENDOR = "vendor", "Vendor"
    CREDIBLE_SOURCE = "credible_source", "Credible source"
    PROBLEM_SOLVER = "problem_solver", "Problem solver"
    TRUSTED_ADVISOR = "trusted_advisor", "Trusted advisor"


class RelationshipLevel(models.Model):
    """How one of our people stands with one of their contacts, today and where we want it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relationships")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="relationships")
    current = models.CharField(max_length=16, choices=RelationshipLevelChoice.choices)
    desired = models.CharField(max_length=16, choices=RelationshipLevelChoice.choices)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "contact"], name="relationship_level_unique_pair"),
            choice_check("current", RelationshipLevelChoice, table="relationship_level"),
            choice_check("desired", RelationshipLevelChoice, table="relationship_level"),
        ]


class Opportunity(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="opportunities")
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    external_id = models.CharField(max_length=64, blank=True, default="")
    name = models.CharField(max_length=255)
    stage = models.CharField(max_length=64, blank=True)
    is_closed = models.BooleanField(default=False)
    is_won = models.BooleanField(default=False)
    amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    close_date = models.DateField(null=True, blank=True)
    opened_on = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=64, blank=True, help_text="New business, expansion, renewal …")
    capability_area = models.CharField(max_length=100, blank=True)
    began_in_executive_conversation = models.BooleanField(
        default=False, help_text="Earlier access: it began in an executive conversation, before any RFP"
    )
    opened_stage = models.CharField(
        max_length=64,
        blank=True,
        default="",
        db_default="",
        help_text="The stage when the opportunity was first recorded (earlier access: not a formal evaluation)",
    )
    # Earlier access is derived (insights/measures.py); a person may overrule it either way, with a reason.
    earlier_access_override = models.BooleanField(
        null=True, blank=True, help_text="Yes or no overrules the derived earlier access; empty: derived"
    )
    earlier_access_override_reason = models.CharField(max_length=500, blank=True, default="", db_default="")
    earlier_access_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    earlier_access_override_at = models.DateTimeField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "opportunities"
        constraints = [
            external_id_unique(table="opportunity"),
            choice_check("source", Source, table="opportunity"),
            models.CheckConstraint(
                condition=models.Q(is_won=False) | models.Q(is_closed=True), name="opportunity_won_is_closed"
            ),
        ]
        indexes = [
            models.Index(fields=["account", "close_date"]),
            models.Index(fields=["is_closed", "close_date"]),
        ]
        ordering = ["-close_date"]

    def __str__(self) -> str:
        return self.name


class QuarterlyRevenue(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="quarterly_revenue")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    revenue = models.DecimalField(max_digits=16, decimal_places=2)
    arr_end = models.DecimalField("ARR at quarter end", max_digits=16, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        verbose_name_plural = "quarterly revenue"
        constraints = [
            models.UniqueConstraint(fields=["account", "year", "quarter"], name="revenue_one_row_per_quarter"),
            range_check("quarter", 1, 4, table="revenue", nullable=False),
            range_check("year", 1990, 2200, table="revenue", nullable=False),
            models.CheckConstraint(condition=models.Q(revenue__gte=0), name="revenue_nonnegative"),
        ]
        ordering = ["account", "year", "quarter"]

    def __str__(self) -> str:
        return f"{self.account} {self.year} Q{self.quarter}"

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.quarter}"


class SurveyKind(models.TextChoices):
    CSAT = "csat", "CSAT (1–5)"
    NPS = "nps", "NPS (0–10)"


class SatisfactionResponse(models.Model):
    """One CSAT or NPS answer from a contact (or the account as a whole)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="satisfaction")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=8, choices=SurveyKind.choices)
    score = models.PositiveSmallIntegerField()
    responded_on = models.DateField()
    comment = models.TextField(blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    external_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [
            choice_check("kind", SurveyKind, table="satisfaction"),
            models.CheckConstraint(
                condition=(models.Q(kind="csat", score__gte=1, score__lte=5) | models.Q(kind="nps", score__lte=10)),
                name="satisfaction_score_in_scale",
            ),
            external_id_unique(table="satisfaction"),
        ]
        indexes = [models.Index(fields=["account", "responded_on"])]


class UsageFigure(models.Model):
    """Monthly product usage of an account."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="usage")
    month = models.DateField(help_text="First day of the month")
    licensed_seats = models.PositiveIntegerField(null=True, blank=True)
    active_users = models.PositiveIntegerField(null=True, blank=True)
    logins = models.PositiveIntegerField(null=True, blank=True)
    support_tickets = models.PositiveIntegerField(null=True, blank=True)
    adoption_pct = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "month"], name="usage_one_row_per_month"),
            range_check("adoption_pct", 0, 100, table="usage"),
        ]
        ordering = ["account", "month"]


class OutcomeStatus(models.TextChoices):
    EXPECTED = "expected", "Expected"
    IN_PROGRESS = "in_progress", "In progress"
    DELIVERED = "delivered", "Delivered"
    MISSED = "missed", "Missed"


class Outcome(models.Model):
    """A business result the customer expects from us, tracked with evidence.

    Delivered needs its evidence and the day it was delivered; only a delivered outcome can be a success story."""

    Status = OutcomeStatus

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="outcomes")
    title = models.CharField(max_length=255, help_text="The result in the customer's words, e.g. Close in 3 days")
    measure = models.CharField(max_length=255, blank=True, help_text="How it is measured, e.g. days to close")
    baseline = models.CharField(max_length=100, blank=True)
    target = models.CharField(max_length=100, blank=True)
    expected_by = models.DateField(null=True, blank=True, help_text="When the customer expects it")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.EXPECTED)
    evidence = models.TextField(blank=True, help_text="What shows it happened: figures, a quote, a report")
    recorded_on = models.DateField(default=timezone.localdate)
    delivered_on = models.DateField(null=True, blank=True)
    shared_with_customer = models.BooleanField(
        "Shareable with the customer's executives",
        default=False,
        help_text="The result and its evidence may be shown to the customer's executives",
    )
    is_success_story = models.BooleanField(
        "Success story", default=False, help_text="A delivered result the program may tell other customers about"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            choice_check("status", OutcomeStatus, table="outcome"),
            models.CheckConstraint(
                condition=~models.Q(status=OutcomeStatus.DELIVERED)
                | (~models.Q(evidence="") & models.Q(delivered_on__isnull=False)),
                name="outcome_delivered_has_evidence_and_date",
            ),
            models.CheckConstraint(
                condition=models.Q(is_success_story=False) | models.Q(status=OutcomeStatus.DELIVERED),
                name="outcome_success_story_is_delivered",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "status"]),
            models.Index(fields=["is_success_story", "status"]),
        ]
        ordering = ["status", "expected_by", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_past_due(self) -> bool:
        """Still open after the day the customer expected it."""
        open_ = self.status in (OutcomeStatus.EXPECTED, OutcomeStatus.IN_PROGRESS)
        return open_ and self.expected_by is not None and self.expected_by < timezone.localdate()


class AdvocacyKind(models.TextChoices):
    REFERENCE_CALL = "reference_call", "Reference calls"
    CASE_STUDY = "case_study", "Case study"
    TESTIMONIAL = "testimonial", "Testimonial or quote"
    EVENT = "event", "Speaking at events"
    PEER_INTRODUCTION = "peer_introduction", "Peer introductions"
    ANALYST_REFERENCE = "analyst_reference", "Analyst references"
    PRODUCT_FEEDBACK = "product_feedback", "Product advisory board"


class Advocate(models.Model):
    """A contact who agreed to speak for us: what they agreed to (a list of AdvocacyKind values, validated by
    the service) and, in AdvocacyActivity, what they have done."""

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="advocacy")
    agreed_to = models.JSONField(default=list, blank=True, help_text="AdvocacyKind values, e.g. reference_call")
    agreed_on = models.DateField(default=timezone.localdate)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Advocate {self.contact}"

    @property
    def agreed_to_labels(self) -> list[str]:
        labels = dict(AdvocacyKind.choices)
        return [labels.get(kind, kind) for kind in self.agreed_to or []]


class AdvocacyActivity(models.Model):
    """One thing an advocate did for us: a reference call on a day, a case study published …"""

    advocate = models.ForeignKey(Advocate, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=AdvocacyKind.choices)
    done_on = models.DateField()
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "advocacy activities"
        constraints = [choice_check("kind", AdvocacyKind, table="advocacy_activity")]
        indexes = [models.Index(fields=["advocate", "done_on"])]
        ordering = ["-done_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.done_on}"
