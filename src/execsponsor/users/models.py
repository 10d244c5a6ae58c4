"""Our people: users with roles, executives who can sponsor, API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from execsponsor.common.constraints import Source, choice_check, external_id_unique


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    PROGRAM_OWNER = "program_owner", "Program owner"
    EXECUTIVE = "executive", "Executive sponsor"
    ACCOUNT_EXECUTIVE = "account_executive", "Account executive"
    CSM = "csm", "Customer success manager"
    VIEWER = "viewer", "Viewer (executive team)"


SEES_ALL_ACCOUNTS = frozenset({Role.ADMIN, Role.PROGRAM_OWNER, Role.VIEWER})
RUNS_THE_PROGRAM = frozenset({Role.ADMIN, Role.PROGRAM_OWNER})


class OurUserManager(UserManager):
    """Our people. The system user (who the command line and background jobs act as) is not among them: it
    cannot sign in, is listed nowhere and never counts as an admin; `User.with_system` reaches it."""

    def get_queryset(self):
        people = super().get_queryset()
        # Migrations before the field existed run with this manager on a model without it.
        if any(field.name == "is_system" for field in self.model._meta.concrete_fields):
            people = people.filter(is_system=False)
        return people

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # `django-admin createsuperuser` makes an admin: the role is what the product reads.
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(max_length=24, choices=Role.choices, default=Role.VIEWER)
    title = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, blank=True, default="UTC")
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    external_id = models.CharField(max_length=64, blank=True, default="")
    is_system = models.BooleanField(
        default=False, editable=False, help_text="The named actor of the command line and background jobs"
    )

    objects = OurUserManager()
    with_system = UserManager()
    # Who changed a role or deactivated someone; never the password hash or every sign-in.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        constraints = [
            choice_check("role", Role, table="user"),
            choice_check("source", Source, table="user"),
            external_id_unique(table="user"),
        ]
        indexes = [models.Index(fields=["role"]), models.Index(fields=["email"])]
        base_manager_name = "with_system"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # Staff status follows the role, however the user was made (CLI, invitation, import, admin):
        # an admin reaches the Django admin with every permission; nobody else does.
        self.is_staff = self.is_superuser = self.role == Role.ADMIN
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "role" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_staff", "is_superuser"}
        if update_fields is not None and set(update_fields) <= {"last_login"}:
            # A sign-in is not a change to the person: no history row for it.
            self.skip_history_when_saving = True
            try:
                super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
            return
        super().save(*args, **kwargs)

    @property
    def has_password(self) -> bool:
        """False for imported and invited people who have not set a password yet."""
        return self.has_usable_password()

    @property
    def sees_all_accounts(self) -> bool:
        return self.role in SEES_ALL_ACCOUNTS or self.is_superuser

    @property
    def runs_the_program(self) -> bool:
        return self.role in RUNS_THE_PROGRAM or self.is_superuser

    @property
    def is_read_only(self) -> bool:
        return self.role == Role.VIEWER and not self.is_superuser


class ExecutiveLevel(models.TextChoices):
    C_SUITE = "c_suite", "C-suite"
    EVP = "evp", "Executive VP"
    SVP = "svp", "Senior VP"
    VP = "vp", "VP"
    DIRECTOR = "director", "Director"


# Higher is more senior; used to pick the introducer and to check seniority-by-segment rules.
LEVEL_RANK = {
    ExecutiveLevel.C_SUITE: 5,
    ExecutiveLevel.EVP: 4,
    ExecutiveLevel.SVP: 3,
    ExecutiveLevel.VP: 2,
    ExecutiveLevel.DIRECTOR: 1,
}


class ExecutiveFunction(models.TextChoices):
    CEO = "ceo", "Chief Executive Officer"
    CFO = "cfo", "Chief Financial Officer"
    CTO = "cto", "Chief Technology Officer"
    CIO = "cio", "Chief Information Officer"
    COO = "coo", "Chief Operating Officer"
    CRO = "cro", "Chief Revenue Officer"
    CMO = "cmo", "Chief Marketing Officer"
    CPO = "cpo", "Chief Product Officer"
    CCO = "cco", "Chief Customer Officer"
    CHRO = "chro", "Chief People Officer"
    CISO = "ciso", "Chief Information Security Officer"
    LEGAL = "legal", "General Counsel"
    ENGINEERING = "engineering", "Engineering"
    PRODUCT = "product", "Product"
    SALES = "sales", "Sales"
    SERVICES = "services", "Services"
    FINANCE = "finance", "Finance"
    OPERATIONS = "operations", "Operations"


class Executive(models.Model):
    """One of our senior people who can sponsor customer accounts."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="executive")
    function = models.CharField(max_length=16, choices=ExecutiveFunction.choices)
    level = models.CharField(max_length=16, choices=ExecutiveLevel.choices, default=ExecutiveLevel.VP)
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    industries = models.JSONField(default=list, blank=True, help_text="Industries of expertise")
    regions = models.JSONField(default=list, blank=True, help_text="Regions and markets of expertise")
    languages = models.JSONField(default=list, blank=True, help_text="ISO 639-1 codes, e.g. en, ja")
    time_zone = models.CharField(max_length=64, default="UTC")
    working_style = models.TextField(blank=True, help_text="Style and culture notes for matching")
    capacity_min = models.PositiveSmallIntegerField(default=3)
    capacity_max = models.PositiveSmallIntegerField(default=5)
    customer_facing = models.BooleanField(default=True)
    enablement = models.JSONField(
        default=list, blank=True, help_text="Briefings and skills completed, e.g. ['sponsor-101']"
    )
    is_active = models.BooleanField(default=True)
    departed_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            choice_check("function", ExecutiveFunction, table="executive"),
            choice_check("level", ExecutiveLevel, table="executive"),
            models.CheckConstraint(
                condition=models.Q(capacity_min__lte=models.F("capacity_max"), capacity_max__lte=25),
                name="executive_capacity_range",
            ),
        ]
        indexes = [models.Index(fields=["is_active", "level"])]
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_function_display()})"

    def get_absolute_url(self) -> str:
        return reverse("executives:executive_detail", args=[self.pk])

    @property
    def level_rank(self) -> int:
        return LEVEL_RANK[ExecutiveLevel(self.level)]


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A per-user API token. Only its SHA-256 is stored; the raw token is shown once."""

    PREFIX = "esp_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="The first characters, to tell tokens apart")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple[ApiToken, str]:
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=_hash_token(raw), hint=raw[:10])
        return token, raw

    @classmethod
    def lookup(cls, raw: str) -> ApiToken | None:
        if not raw.startswith(cls.PREFIX):
            return None
        return cls.objects.active().select_related("user").filter(key_hash=_hash_token(raw)).first()


class EnablementAudience(models.TextChoices):
    EVERYONE = "everyone", "Required of every executive"
    NOT_CUSTOMER_FACING = "not_customer_facing", "Required of executives who are not customer-facing"
    OPTIONAL = "optional", "Optional"


class EnablementItem(models.Model):
    """One briefing or skill of the enablement catalogue, which the program owner edits."""

    key = models.SlugField(max_length=64, unique=True, help_text="Stable name, e.g. sponsor-101")
    label = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    audience = models.CharField(max_length=24, choices=EnablementAudience.choices, default=EnablementAudience.EVERYONE)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True, help_text="Retired items stay on record but are no longer asked")
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every edit; detects concurrent edits")

    history = HistoricalRecords()

    class Meta:
        constraints = [choice_check("audience", EnablementAudience, table="enablement_item")]
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label

    def required_of(self, executive: Executive) -> bool:
        if not self.is_active:
            return False
        if self.audience == EnablementAudience.EVERYONE:
            return True
        return self.audience == EnablementAudience.NOT_CUSTOMER_FACING and not executive.customer_facing


class EnablementCompletion(models.Model):
    """An executive completed a briefing or skill: when, and who recorded it."""

    executive = models.ForeignKey(Executive, on_delete=models.CASCADE, related_name="enablement_completions")
    item = models.ForeignKey(EnablementItem, on_delete=models.CASCADE, related_name="completions")
    completed_on = models.DateField()
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["executive", "item"], name="enablement_completion_once"),
        ]

    def __str__(self) -> str:
        return f"{self.executive.user}: {self.item} on {self.completed_on}"
