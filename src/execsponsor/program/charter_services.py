"""Writes for charters: role charters, a sponsorship's objectives, the AE–sponsor alignment, supporting executives.

Each function checks permission on a real user, writes in one transaction and leaves a history row with its user.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from execsponsor.access.rules import ae_side_holder_id, alignment_side_of, require
from execsponsor.common.editing import apply_changes, validate_and_attribute
from execsponsor.common.errors import ConcurrentEdit, InvalidInput, NotPermitted
from execsponsor.program.models import (
    ALIGNMENT_ITEMS,
    ALIGNMENT_NOTES,
    AlignmentChecklist,
    Objective,
    ObjectiveStatus,
    RoleCharter,
    Sponsorship,
    SupportingExecutive,
)
from execsponsor.users.models import Executive, Role, User

CHARTER_TEXT_LENGTH = 10_000
NOTE_LENGTH = 5_000
OBJECTIVE_FIELDS = frozenset({"title", "measure", "target_value", "current_value", "owner_id", "target_date", "status"})


def _check_version(*, current: int, expected: int | None, what: str) -> None:
    if expected is None:
        raise ConcurrentEdit(f"Send the version of the {what} you read (now {current}) so no change is overwritten.")
    if expected != current:
        raise ConcurrentEdit(
            f"Concurrent edits detected: someone changed the {what} since you opened it (version {current}, you "
            f"read {expected}). Reload it, reapply your change and save again."
        )


def _limited(value: str, *, field: str, length: int) -> str:
    value = (value or "").replace("\x00", "").strip()
    if len(value) > length:
        raise InvalidInput(f"{field}: at most {length:,} characters ({len(value):,} given)", field=field)
    return value


# Role charters


@transaction.atomic
def role_charter_update(
    *, role: str, by, responsibilities: str, does_not: str, expected_version: int | None
) -> RoleCharter:
    """The program owner (or an admin) rewrites what a role is responsible for."""
    require(by, "execsponsor.run_program", to="edit the role charters")
    from execsponsor.program.services import builtin_data_ensure

    builtin_data_ensure()
    charter = RoleCharter.objects.select_for_update().filter(role=role).first()
    if charter is None:
        raise InvalidInput(f"role: there is no charter for {role!r}", field="role")
    _check_version(current=charter.version, expected=expected_version, what=f"{charter.get_role_display()} charter")
    responsibilities = _limited(responsibilities, field="responsibilities", length=CHARTER_TEXT_LENGTH)
    if not responsibilities:
        raise InvalidInput("responsibilities: say what this role is responsible for", field="responsibilities")
    does_not = _limited(does_not, field="does_not", length=CHARTER_TEXT_LENGTH)
    if (charter.responsibilities, charter.does_not) == (responsibilities, does_not):
        return charter
    charter.responsibilities, charter.does_not = responsibilities, does_not
    charter.updated_by = by
    charter.version += 1
    charter._history_user = by
    charter.save()
    return charter


# Objectives


def _ensure_can_edit_charter(by, sponsorship: Sponsorship) -> None:
    require(by, "execsponsor.edit_charter", sponsorship)


def _objective_changes(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(fields.keys() - OBJECTIVE_FIELDS)
    if unknown:
        raise InvalidInput(f"{unknown[0]}: not a field of an objective", field=unknown[0])
    changes = dict(fields)
    for name, length in (("title", 255), ("measure", 255), ("target_value", 100), ("current_value", 100)):
        if name in changes:
            changes[name] = _limited(changes[name] or "", field=name, length=length)
    if "title" in changes and not changes["title"]:
        raise InvalidInput("title: say what the objective is", field="title")
    if "status" in changes and changes["status"] not in ObjectiveStatus.values:
        raise InvalidInput(
            f"status: {changes['status']!r} is not one of {', '.join(ObjectiveStatus.values)}", field="status"
        )
    if changes.get("owner_id") is not None and not User.objects.filter(pk=changes["owner_id"], is_active=True).exists():
        raise InvalidInput(f"owner_id: there is no active user with id {changes['owner_id']}", field="owner_id")
    return changes


@transaction.atomic
def objective_create(*, sponsorship: Sponsorship, by, fields: dict[str, Any]) -> Objective:
    """A new objective of the sponsorship (and so of its account)."""
    _ensure_can_edit_charter(by, sponsorship)
    changes = _objective_changes({"status": ObjectiveStatus.NOT_STARTED, **fields})
    if "title" not in changes:
        raise InvalidInput("title: say what the objective is", field="title")
    objective = Objective(account_id=sponsorship.account_id, sponsorship=sponsorship)
    apply_changes(objective, changes)
    objective.status_changed_on = timezone.localdate()
    validate_and_attribute(objective, by=by)
    objective.save()
    return objective


@transaction.atomic
def objective_update(*, objective: Objective, by, changes: dict[str, Any], today: dt.date | None = None) -> Objective:
    """Change an objective; a change of status is dated (the rebalance reads which objectives move)."""
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    sponsorship = Sponsorship.objects.select_related("account", "executive").get(pk=objective.sponsorship_id)
    _ensure_can_edit_charter(by, sponsorship)
    changes = _objective_changes(changes)
    if changed := apply_changes(objective, changes):
        if "status" in changed:
            objective.status_changed_on = today or timezone.localdate()
        validate_and_attribute(objective, by=by, changed=changed)
        objective.save()
    return objective


@transaction.atomic
def objective_delete(*, objective: Objective, by) -> None:
    sponsorship = Sponsorship.objects.select_related("account", "executive").get(pk=objective.sponsorship_id)
    _ensure_can_edit_charter(by, sponsorship)
    objective._history_user = by
    objective.delete()


# The AE–sponsor alignment


def alignment_for(sponsorship: Sponsorship) -> AlignmentChecklist:
    """The sponsorship's checklist, made on first use with the account's own strategy as a starting point."""
    alignment, _created = AlignmentChecklist.objects.get_or_create(
        sponsorship=sponsorship,
        defaults={
            "account_strategy": sponsorship.account.account_strategy[:NOTE_LENGTH],
            "customer_challenges": sponsorship.account.pain_points[:NOTE_LENGTH],
        },
    )
    return alignment


def _locked_alignment(sponsorship: Sponsorship) -> AlignmentChecklist:
    alignment_for(sponsorship)
    return AlignmentChecklist.objects.select_for_update().get(sponsorship=sponsorship)


@transaction.atomic
def alignment_notes_save(
    *, sponsorship: Sponsorship, by, notes: dict[str, str], expected_version: int | None
) -> AlignmentChecklist:
    """The AE writes up what the sponsor needs to know. A change reopens the sponsor's side: they confirmed
    what they read, not what is there now."""
    require(by, "execsponsor.write_alignment_notes", sponsorship)
    alignment = _locked_alignment(sponsorship)
    _check_version(current=alignment.version, expected=expected_version, what="alignment checklist")
    unknown = sorted(notes.keys() - set(ALIGNMENT_NOTES))
    if unknown:
        raise InvalidInput(f"{unknown[0]}: not a part of the alignment checklist", field=unknown[0])
    cleaned = {name: _limited(value, field=name, length=NOTE_LENGTH) for name, value in notes.items()}
    if not apply_changes(alignment, cleaned):
        return alignment
    alignment.notes_version += 1
    if alignment.sponsor_ticked or alignment.sponsor_completed_at:
        alignment.sponsor_ticked, alignment.sponsor_completed_at = [], None
        alignment._change_reason = "Notes changed: the sponsor's side is open again"
    alignment._history_user = by
    alignment.save()
    return alignment


@transaction.atomic
def alignment_tick(
    *, sponsorship: Sponsorship, by, side: str, ticked: list[str], expected_version: int | None
) -> AlignmentChecklist:
    """`by` ticks the items of their own side (the AE's or the sponsor's); the side is complete when every item
    is ticked. Who and when are kept on the checklist and in its history.

    `expected_version` is the write-up's `notes_version` the ticks confirm: the AE and the sponsor may tick at
    the same time (in their alignment meeting), but a tick of a write-up changed since is refused."""
    if side not in ("ae", "sponsor"):
        raise InvalidInput("side: either ae or sponsor", field="side")
    their_side = alignment_side_of(by, sponsorship)
    if their_side != side:
        who = "the sponsor" if side == "sponsor" else "the account's AE (or its CSM when it has no AE)"
        raise NotPermitted(f"Only {who} ticks that side of the alignment; nobody ticks it for them")
    alignment = _locked_alignment(sponsorship)
    _check_version(current=alignment.notes_version, expected=expected_version, what="alignment write-up")
    unknown = sorted(set(ticked) - ALIGNMENT_ITEMS.keys())
    if unknown:
        raise InvalidInput(f"ticked: {unknown[0]!r} is not an item of the checklist", field="ticked")
    items = [key for key in ALIGNMENT_ITEMS if key in ticked]
    if side == "ae" and len(items) == len(ALIGNMENT_ITEMS):
        empty = [ALIGNMENT_ITEMS[name].lower() for name in ALIGNMENT_NOTES if not getattr(alignment, name).strip()]
        if empty:
            raise InvalidInput(
                f"Write up {', '.join(empty)} for the sponsor before completing your side (a line such as "
                "“nothing promised” is fine)"
            )
    now = timezone.now()
    complete = len(items) == len(ALIGNMENT_ITEMS)
    if getattr(alignment, f"{side}_ticked") == items:
        return alignment
    setattr(alignment, f"{side}_ticked", items)
    setattr(alignment, f"{side}_by", by)
    setattr(alignment, f"{side}_at", now)
    setattr(alignment, f"{side}_completed_at", now if complete else None)
    alignment._history_user = by
    alignment._change_reason = f"{'AE' if side == 'ae' else 'Sponsor'} side {'complete' if complete else 'open'}"
    alignment.save()
    return alignment


def ae_side_holder(sponsorship: Sponsorship) -> User | None:
    holder_id = ae_side_holder_id(sponsorship)
    return User.objects.filter(pk=holder_id).first() if holder_id else None


# Supporting executives


@transaction.atomic
def supporting_executive_add(*, sponsorship: Sponsorship, by, executive_id: int, reason: str) -> SupportingExecutive:
    """Bring an executive in for a named problem; they see the account but do not become its sponsor."""
    _ensure_can_edit_charter(by, sponsorship)
    if not sponsorship.is_live:
        raise InvalidInput(f"A sponsorship that is {sponsorship.get_status_display().lower()} takes no supporters")
    reason = _limited(reason, field="reason", length=255)
    if not reason:
        raise InvalidInput("reason: name the problem the executive is brought in for", field="reason")
    executive = Executive.objects.select_related("user").filter(pk=executive_id).first()
    if executive is None or not executive.is_active or not executive.user.is_active:
        raise InvalidInput(f"executive_id: there is no active executive with id {executive_id}", field="executive_id")
    if executive.pk == sponsorship.executive_id:
        raise InvalidInput(f"{executive.user} is already the sponsor of this account", field="executive_id")
    if SupportingExecutive.objects.current().filter(sponsorship=sponsorship, executive=executive).exists():
        raise InvalidInput(f"{executive.user} is already supporting this sponsorship", field="executive_id")
    supporting = SupportingExecutive(sponsorship=sponsorship, executive=executive, reason=reason, added_by=by)
    supporting._history_user = by
    try:
        with transaction.atomic():
            supporting.save()
    except IntegrityError:
        raise InvalidInput(f"{executive.user} is already supporting this sponsorship", field="executive_id") from None
    return supporting


@transaction.atomic
def supporting_executive_end(*, supporting: SupportingExecutive, by, today: dt.date | None = None):
    """The problem is dealt with: the executive steps back (and no longer sees the account through it)."""
    supporting = SupportingExecutive.objects.select_for_update().get(pk=supporting.pk)
    sponsorship = Sponsorship.objects.select_related("account", "executive").get(pk=supporting.sponsorship_id)
    _ensure_can_edit_charter(by, sponsorship)
    if not supporting.is_current:
        raise InvalidInput(f"{supporting.executive.user}'s support already ended on {supporting.until}")
    supporting.until = today or timezone.localdate()
    supporting._history_user = by
    supporting.save()
    return supporting


ROLES_WITH_CHARTERS = (Role.EXECUTIVE, Role.ACCOUNT_EXECUTIVE, Role.CSM, Role.PROGRAM_OWNER)
