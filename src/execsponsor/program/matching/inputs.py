"""Reads for selection and matching: the database turned, once, into the plain data core/ works on."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from execsponsor.access.visibility import visible_accounts
from execsponsor.core.matching import Executive as MatchExecutive
from execsponsor.core.selection import (
    DEFAULT_TIE_TOLERANCE,
    DEFAULT_WEIGHTS,
    AccountFacts,
    BoundaryRandomisation,
    EligibilityRules,
)
from execsponsor.core.sponsor_fit import (
    DEFAULT_FIT_WEIGHTS,
    DEFAULT_SENIORITY_BY_SEGMENT,
    AccountProfile,
    ExecutiveProfile,
    HardRules,
)
from execsponsor.core.titles import function_of_title
from execsponsor.customers.models import Account, ContactStatus, Lifecycle, Seniority
from execsponsor.engagements.models import EngagementAttendee, EngagementContact
from execsponsor.program.models import LIVE_STATUSES, PairRule, PairRuleKind, ProgramSetting, Sponsorship
from execsponsor.users.models import LEVEL_RANK, Executive, ExecutiveLevel

SELECTION_KEY = "selection"
MATCHING_KEY = "matching"
RELATIONSHIP_LOOKBACK_DAYS = 730
C_LEVEL_LOOKBACK_DAYS = 365
ENGAGEMENTS_FOR_FULL_RELATIONSHIP = 6


@dataclass
class SelectionSettings:
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    segments: list[str] = field(default_factory=lambda: ["enterprise", "mid_market"])
    exclude_in_churn: bool = True
    min_arr: float | None = None
    # Draw the shortlist's last places at random among accounts within tie_tolerance points of the cut-off
    # (docs/matching.md); the seed is drawn when the settings are saved without one, and kept.
    randomise_boundary: bool = False
    tie_tolerance: float = DEFAULT_TIE_TOLERANCE
    draw_seed: int | None = None
    version: int = 0

    @property
    def rules(self) -> EligibilityRules:
        return EligibilityRules(frozenset(self.segments), self.exclude_in_churn, self.min_arr)

    @property
    def boundary(self) -> BoundaryRandomisation | None:
        if not self.randomise_boundary or self.draw_seed is None:
            return None
        return BoundaryRandomisation(tolerance=self.tie_tolerance, seed=self.draw_seed)

    def as_dict(self) -> dict[str, Any]:
        values = asdict(self)
        values.pop("version")
        return values


@dataclass
class MatchingSettings:
    fit_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_FIT_WEIGHTS))
    seniority_by_segment: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_SENIORITY_BY_SEGMENT))
    time_zone_window_hours: float | None = 8.0
    load_balance: float = 2.0
    candidates_per_account: int = 50
    # False (the default): an executive below capacity_min costs a strong penalty per missing account, and
    # the run still proposes; True: a run that cannot meet every minimum is infeasible.
    hard_minimum: bool = False
    # False (the default): a live sponsorship that breaks a seniority, language or time-zone rule is kept
    # (grandfathered) and flagged; True: such sponsorships are reassigned or ended like any other pair.
    enforce_rules_on_live: bool = False
    version: int = 0

    def as_dict(self) -> dict[str, Any]:
        values = asdict(self)
        values.pop("version")
        return values


@dataclass
class MatchingOptions:
    """What-ifs for one run, on top of the saved settings and the standing pair rules."""

    locked: list[tuple[int, int]] = field(default_factory=list)  # (account id, executive id)
    forbidden: list[tuple[int, int]] = field(default_factory=list)
    capacity: dict[int, tuple[int, int]] = field(default_factory=dict)  # executive id -> (min, max)
    without_executives: list[int] = field(default_factory=list)
    extra_accounts: list[int] = field(default_factory=list)
    shortlist_size: int | None = None
    enforce_rules_on_live: bool | None = None  # None: as the saved settings say
    hard_minimum: bool | None = None  # None: as the saved settings say
    start_from: int | None = None  # the run this what-if starts from: its pairs win ties

    def as_dict(self) -> dict[str, Any]:
        return {
            "locked": [list(p) for p in self.locked],
            "forbidden": [list(p) for p in self.forbidden],
            "capacity": {str(k): list(v) for k, v in self.capacity.items()},
            "without_executives": self.without_executives,
            "extra_accounts": self.extra_accounts,
            "shortlist_size": self.shortlist_size,
            "enforce_rules_on_live": self.enforce_rules_on_live,
            "hard_minimum": self.hard_minimum,
            "start_from": self.start_from,
        }

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> MatchingOptions:
        return cls(
            locked=[(int(a), int(e)) for a, e in values.get("locked", [])],
            forbidden=[(int(a), int(e)) for a, e in values.get("forbidden", [])],
            capacity={int(k): (int(v[0]), int(v[1])) for k, v in values.get("capacity", {}).items()},
            without_executives=[int(e) for e in values.get("without_executives", [])],
            extra_accounts=[int(a) for a in values.get("extra_accounts", [])],
            shortlist_size=values.get("shortlist_size"),
            enforce_rules_on_live=values.get("enforce_rules_on_live"),
            hard_minimum=values.get("hard_minimum"),
            start_from=values.get("start_from"),
        )


def _stored(key: str) -> tuple[dict[str, Any], int]:
    setting = ProgramSetting.objects.filter(key=key).first()
    return (dict(setting.value), setting.version) if setting else ({}, 0)


def selection_settings() -> SelectionSettings:
    values, version = _stored(SELECTION_KEY)
    settings = SelectionSettings(**{k: v for k, v in values.items() if k in SelectionSettings.__dataclass_fields__})
    settings.version = version
    return settings


def matching_settings() -> MatchingSettings:
    values, version = _stored(MATCHING_KEY)
    settings = MatchingSettings(**{k: v for k, v in values.items() if k in MatchingSettings.__dataclass_fields__})
    settings.version = version
    return settings


def _live_sponsorships():
    return Sponsorship.objects.filter(account=OuterRef("pk"), status__in=LIVE_STATUSES)


def c_level_threads_by_account(*, today: dt.date) -> dict[int, int]:
    """Active C-level contacts we met in the last year, per account: our existing C-level relationships."""
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=C_LEVEL_LOOKBACK_DAYS), dt.time()))
    rows = (
        EngagementContact.objects.filter(
            contact__seniority=Seniority.C_LEVEL,
            contact__status=ContactStatus.ACTIVE,
            engagement__occurred_at__gte=since,
        )
        .values("contact__account_id")
        .annotate(threads=Count("contact_id", distinct=True))
    )
    return {row["contact__account_id"]: row["threads"] for row in rows}


def selection_facts(*, user, today: dt.date | None = None) -> list[AccountFacts]:
    today = today or timezone.localdate()
    threads = c_level_threads_by_account(today=today)
    rows = (
        visible_accounts(user)
        .filter(lifecycle=Lifecycle.CUSTOMER)
        .annotate(in_program=Exists(_live_sponsorships()))
        .values_list(
            "id",
            "name",
            "segment",
            "arr",
            "strategic_value",
            "renewal_date",
            "growth_potential",
            "health_score",
            "in_churn",
            "in_program",
        )
    )
    return [
        AccountFacts(
            id=str(pk),
            name=name,
            segment=segment,
            arr=float(arr) if arr is not None else None,
            strategic_value=float(strategic) if strategic is not None else None,
            days_to_renewal=(renewal - today).days if renewal else None,
            growth_potential=float(growth) if growth is not None else None,
            health_score=float(health) if health is not None else None,
            c_level_threads=threads.get(pk, 0),
            in_churn=in_churn,
            in_program=in_program,
        )
        for pk, name, segment, arr, strategic, renewal, growth, health, in_churn, in_program in rows
    ]


def utc_offset_hours(zone: str, *, at: dt.datetime | None = None) -> float | None:
    if not zone:
        return None
    try:
        offset = (at or timezone.now()).astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    return offset.total_seconds() / 3600 if offset is not None else None


def _tags(text: str) -> frozenset[str]:
    return frozenset(part.strip().lower() for part in text.replace(";", ",").split(",") if part.strip())


@dataclass(frozen=True)
class LiveSponsorship:
    id: int
    account_id: int
    executive_id: int
    status: str


def live_sponsorships() -> list[LiveSponsorship]:
    """Today's live sponsorships, oldest first: read once per run and handed to whoever needs them."""
    rows = Sponsorship.objects.filter(status__in=LIVE_STATUSES).order_by("pk")
    return [LiveSponsorship(*row) for row in rows.values_list("pk", "account_id", "executive_id", "status")]


ENABLEMENT_KEY = "enablement"  # users.enablement.POLICY_KEY: whether unenabled executives are excluded


def inputs_fingerprint(*, live: list[LiveSponsorship]) -> str:
    """A digest of what a run depends on beyond its own options: live sponsorships, executives and their
    capacities and rules, the pair rules and the saved settings. A changed digest makes a run stale."""
    executives = list(
        Executive.objects.order_by("pk").values_list(
            "pk", "is_active", "user__is_active", "capacity_min", "capacity_max", "level", "languages", "time_zone"
        )
    )
    rules = list(PairRule.objects.order_by("pk").values_list("account_id", "executive_id", "kind"))
    settings = list(
        ProgramSetting.objects.filter(key__in=[SELECTION_KEY, MATCHING_KEY, ENABLEMENT_KEY]).values_list(
            "key", "version"
        )
    )
    document = {
        "live": [[s.id, s.account_id, s.executive_id, s.status] for s in live],
        "executives": executives,
        "rules": rules,
        "settings": sorted(settings),
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True, default=str).encode()).hexdigest()


def executive_profiles(
    *, options: MatchingOptions, live: list[LiveSponsorship] | None = None
) -> tuple[list[ExecutiveProfile], list[MatchExecutive]]:
    """Active executives as fit profiles and as matcher capacities (nothing kept outside the problem)."""
    executives = list(
        Executive.objects.filter(is_active=True, user__is_active=True)
        .exclude(pk__in=options.without_executives)
        .select_related("user")
        .order_by("pk")
    )
    current: dict[int, set[int]] = defaultdict(set)
    for sponsorship in live_sponsorships() if live is None else live:
        current[sponsorship.executive_id].add(sponsorship.account_id)
    since = timezone.now() - dt.timedelta(days=RELATIONSHIP_LOOKBACK_DAYS)
    met: dict[int, dict[str, float]] = defaultdict(dict)
    user_to_executive = {e.user_id: e.pk for e in executives}
    for row in (
        EngagementAttendee.objects.filter(user_id__in=user_to_executive, engagement__occurred_at__gte=since)
        .values("user_id", "engagement__account_id")
        .annotate(n=Count("id"))
    ):
        strength = min(1.0, row["n"] / ENGAGEMENTS_FOR_FULL_RELATIONSHIP)
        met[user_to_executive[row["user_id"]]][str(row["engagement__account_id"])] = strength
    profiles = [
        ExecutiveProfile(
            id=str(e.pk),
            name=str(e.user),
            function=e.function,
            level_rank=LEVEL_RANK[ExecutiveLevel(e.level)],
            industries=frozenset(e.industries),
            regions=frozenset(e.regions),
            languages=frozenset(e.languages),
            utc_offset=utc_offset_hours(e.time_zone) or 0.0,
            style=_tags(e.working_style),
            current_accounts=frozenset(str(a) for a in current[e.pk]),
            relationships=met[e.pk],
        )
        for e in executives
    ]
    capacities = []
    for e in executives:
        low, high = options.capacity.get(e.pk, (e.capacity_min, e.capacity_max))
        capacities.append(MatchExecutive(str(e.pk), low, high, 0, str(e.user)))
    return profiles, capacities


def account_profiles(account_ids: list[int]) -> list[AccountProfile]:
    accounts = Account.objects.filter(pk__in=account_ids).order_by("pk")
    counterpart_titles: dict[int, set[str]] = defaultdict(set)
    for account_id, title in Sponsorship.counterparts.through.objects.filter(
        sponsorship__account_id__in=account_ids, sponsorship__status__in=LIVE_STATUSES
    ).values_list("sponsorship__account_id", "contact__title"):
        counterpart_titles[account_id].add(title)
    from execsponsor.customers.models import Contact

    for account_id, title in Contact.objects.filter(
        account_id__in=account_ids, seniority=Seniority.C_LEVEL, status=ContactStatus.ACTIVE
    ).values_list("account_id", "title"):
        counterpart_titles[account_id].add(title)
    return [
        AccountProfile(
            id=str(a.pk),
            name=a.name,
            segment=a.segment,
            industry=a.industry,
            region=a.region,
            required_languages=frozenset({a.required_language}) if a.required_language else frozenset(),
            utc_offset=utc_offset_hours(a.time_zone),
            counterpart_functions=frozenset(
                f for f in (function_of_title(t) for t in counterpart_titles[a.pk]) if f is not None
            ),
            style=_tags(a.culture_notes),
        )
        for a in accounts
    ]


def hard_rules(*, settings: MatchingSettings, options: MatchingOptions) -> HardRules:
    rules = PairRule.objects.values_list("account_id", "executive_id", "kind")
    forbidden = {(str(a), str(e)) for a, e, kind in rules if kind == PairRuleKind.FORBIDDEN}
    locked = {(str(a), str(e)) for a, e, kind in rules if kind == PairRuleKind.LOCKED}
    forbidden |= {(str(a), str(e)) for a, e in options.forbidden}
    locked |= {(str(a), str(e)) for a, e in options.locked}
    return HardRules(
        seniority_by_segment=settings.seniority_by_segment,
        time_zone_window_hours=settings.time_zone_window_hours,
        forbidden=frozenset(forbidden - locked),
        locked=frozenset(locked),
    )
