"""Reads for the role charters page and the sponsorship charter page; sponsorships start from visible_accounts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from execsponsor.access.rules import alignment_side_of, can
from execsponsor.access.visibility import visible_accounts
from execsponsor.program import lifecycle
from execsponsor.program.models import (
    ALIGNMENT_ITEMS,
    ALIGNMENT_NOTES,
    LIVE_STATUSES,
    AlignmentChecklist,
    Objective,
    RoleCharter,
    Sponsorship,
    SponsorshipStatus,
    SupportingExecutive,
)
from execsponsor.users.models import Executive, Role, User

HISTORY_ROWS = 10
# The order the responsibility chart shows the roles in.
CHARTER_ROLES = (Role.EXECUTIVE, Role.ACCOUNT_EXECUTIVE, Role.CSM, Role.PROGRAM_OWNER)


@dataclass(frozen=True)
class RoleCharterRow:
    charter: RoleCharter
    changes: list  # newest first: historical records with history_user


def role_charters() -> list[RoleCharterRow]:
    """The responsibility chart, seeded with the built-in text for any role that has none yet."""
    if RoleCharter.objects.filter(role__in=CHARTER_ROLES).count() < len(CHARTER_ROLES):
        from execsponsor.program.services import builtin_data_ensure

        builtin_data_ensure()
    charters = {c.role: c for c in RoleCharter.objects.filter(role__in=CHARTER_ROLES).select_related("updated_by")}
    history = RoleCharter.history.model.objects.select_related("history_user").order_by("-history_date")
    changes: dict[str, list] = {}
    # Edits only: the built-in text's creation is not a change (even when a visit's request made it).
    for record in history.filter(role__in=CHARTER_ROLES, history_type="~")[: HISTORY_ROWS * 4]:
        changes.setdefault(record.role, []).append(record)
    return [RoleCharterRow(charters[role], changes.get(role, [])[:HISTORY_ROWS]) for role in CHARTER_ROLES]


def charter_sponsorship_get(*, user: User, sponsorship_id: int) -> Sponsorship:
    """The sponsorship with its account team, or 404 when `user` may not see its account."""
    queryset = Sponsorship.objects.filter(account__in=visible_accounts(user)).select_related(
        "account__owner", "account__csm", "executive__user", "introducer", "approved_by"
    )
    return get_object_or_404(queryset, pk=sponsorship_id)


@dataclass(frozen=True)
class AlignmentItem:
    key: str
    label: str
    note: str | None  # what the AE wrote up; None for the reminder
    ae_ticked: bool
    sponsor_ticked: bool


@dataclass
class CharterPage:
    sponsorship: Sponsorship
    can_edit: bool
    can_write_notes: bool
    my_side: str | None
    steps: list[lifecycle.StepOption]
    objectives: list[Objective]
    alignment: AlignmentChecklist
    alignment_items: list[AlignmentItem]
    ae_holder: User | None
    supporting: list[SupportingExecutive]
    open_opportunities: list
    history: list
    owners: list[tuple[int, str]] = field(default_factory=list)
    executives: list[tuple[int, str]] = field(default_factory=list)

    @property
    def alignment_problem(self) -> str:
        return lifecycle.alignment_problem(self.sponsorship)


def _alignment(sponsorship: Sponsorship) -> AlignmentChecklist:
    """The stored checklist, or an unsaved one with the account's own strategy (a GET writes nothing)."""
    found = AlignmentChecklist.objects.select_related("ae_by", "sponsor_by").filter(sponsorship=sponsorship).first()
    return found or AlignmentChecklist(
        sponsorship=sponsorship,
        account_strategy=sponsorship.account.account_strategy,
        customer_challenges=sponsorship.account.pain_points,
    )


def _owners(sponsorship: Sponsorship, supporting: list[SupportingExecutive]) -> list[tuple[int, str]]:
    """Who an objective may be given to: the sponsor, the supporters, the account team, the program owners."""
    people = [sponsorship.executive.user, *(s.executive.user for s in supporting if s.is_current)]
    people += [sponsorship.account.owner, sponsorship.account.csm]
    people += list(User.objects.filter(role=Role.PROGRAM_OWNER, is_active=True).order_by("last_name")[:10])
    seen: dict[int, str] = {}
    for person in people:
        if person is not None and person.is_active and person.pk not in seen:
            seen[person.pk] = str(person)
    return list(seen.items())


def charter_page(*, user: User, sponsorship: Sponsorship) -> CharterPage:
    alignment = _alignment(sponsorship)
    supporting = list(
        SupportingExecutive.objects.filter(sponsorship=sponsorship)
        .select_related("executive__user", "added_by")
        .order_by("until", "-since")
    )
    items = [
        AlignmentItem(
            key,
            label,
            getattr(alignment, key) if key in ALIGNMENT_NOTES else None,
            key in (alignment.ae_ticked or []),
            key in (alignment.sponsor_ticked or []),
        )
        for key, label in ALIGNMENT_ITEMS.items()
    ]
    can_edit = can(user, "execsponsor.edit_charter", sponsorship)
    executives = []
    if can_edit:
        taken = {sponsorship.executive_id, *(s.executive_id for s in supporting if s.is_current)}
        executives = [
            (e.pk, f"{e.user} · {e.get_function_display()}")
            for e in Executive.objects.filter(is_active=True, user__is_active=True)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
            if e.pk not in taken
        ]
    return CharterPage(
        sponsorship=sponsorship,
        can_edit=can_edit,
        can_write_notes=can(user, "execsponsor.write_alignment_notes", sponsorship),
        my_side=alignment_side_of(user, sponsorship),
        steps=lifecycle.steps_from_here(sponsorship, user=user),
        objectives=list(sponsorship.objectives.select_related("owner").order_by("target_date", "pk")),
        alignment=alignment,
        alignment_items=items,
        ae_holder=sponsorship.account.owner or sponsorship.account.csm,
        supporting=supporting,
        open_opportunities=list(sponsorship.account.opportunities.filter(is_closed=False).order_by("close_date")[:10]),
        history=list(sponsorship.history.select_related("history_user").order_by("-history_date")[:HISTORY_ROWS]),
        owners=_owners(sponsorship, supporting) if can_edit else [],
        executives=executives,
    )


def current_supporting_for_account(account) -> QuerySet[SupportingExecutive]:
    """Supporting executives of the account's live sponsorships, for the account page."""
    return (
        SupportingExecutive.objects.current()
        .filter(sponsorship__account=account, sponsorship__status__in=LIVE_STATUSES)
        .select_related("executive__user", "sponsorship")
        .order_by("since")
    )


@dataclass(frozen=True)
class CharterCounts:
    without_objectives: int
    waiting_for_alignment: int
    waiting: list[Sponsorship]  # the first few waiting for alignment, oldest approval first


ATTENTION_ROWS = 5


def charter_counts() -> CharterCounts:
    """For the program owner: live sponsorships with no objective yet, and those approved or introduced whose
    AE–sponsor alignment is not complete on both sides (they cannot become active)."""
    live = Sponsorship.objects.filter(status__in=LIVE_STATUSES)
    complete = AlignmentChecklist.objects.filter(
        sponsorship=OuterRef("pk"), ae_completed_at__isnull=False, sponsor_completed_at__isnull=False
    )
    without = live.exclude(Exists(Objective.objects.filter(sponsorship=OuterRef("pk")))).count()
    waiting = live.filter(status__in=(SponsorshipStatus.APPROVED, SponsorshipStatus.INTRODUCED)).exclude(
        Exists(complete)
    )
    first = list(waiting.select_related("account", "executive__user").order_by("approved_at", "pk")[:ATTENTION_ROWS])
    return CharterCounts(without_objectives=without, waiting_for_alignment=waiting.count(), waiting=first)
