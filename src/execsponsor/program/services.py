"""Writes for the program: one function per use case, each in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from execsponsor.access.rules import can, require
from execsponsor.common.editing import apply_changes, validate_and_attribute
from execsponsor.common.errors import ConcurrentEdit, InvalidInput, NotPermitted


@transaction.atomic
def builtin_data_ensure() -> None:
    """Create the built-in role charters (idempotent)."""
    from execsponsor.program.charters import ROLE_CHARTERS
    from execsponsor.program.models import RoleCharter

    for role, (responsibilities, does_not) in ROLE_CHARTERS.items():
        RoleCharter.objects.get_or_create(
            role=role, defaults={"responsibilities": responsibilities, "does_not": does_not}
        )


# Fields an executive may change on a sponsorship of their own; the rest is the program owner's.
CHARTER_FIELDS = frozenset({"charter_objectives", "charter_expectations", "customer_commitment"})


def _counterparts_of(account, contact_ids: list[int]) -> list[int]:
    from execsponsor.customers.models import Contact

    wanted = list(dict.fromkeys(contact_ids))
    found = set(Contact.objects.filter(account=account, pk__in=wanted).values_list("pk", flat=True))
    strangers = [str(pk) for pk in wanted if pk not in found]
    if strangers:
        raise InvalidInput(
            f"counterpart_ids: {', '.join(strangers)} not a contact of {account.name}", field="counterpart_ids"
        )
    return wanted


def _ensure_active_executive(executive_id: int) -> None:
    from execsponsor.users.models import Executive

    if not Executive.objects.filter(pk=executive_id, is_active=True, user__is_active=True).exists():
        raise InvalidInput(f"executive_id: there is no active executive with id {executive_id}", field="executive_id")


def _move_to(sponsorship, status: str, *, by) -> None:
    """A PATCH of `status` is a lifecycle step with its gate, using the introduced_on / end_reason it carries."""
    from execsponsor.program import lifecycle

    step = lifecycle.step_between(sponsorship.status, status)
    if step is None:
        raise InvalidInput(
            f"status: a sponsorship that is {sponsorship.status} cannot become {status}; the lifecycle is "
            "proposed → approved → introduced → active ⇄ paused → ended",
            field="status",
        )
    lifecycle.enter(sponsorship, step, by=by, introduced_on=sponsorship.introduced_on, reason=sponsorship.end_reason)


@transaction.atomic
def sponsorship_create(*, by, account, fields: dict[str, Any]):
    """Propose (or directly record) a sponsorship: the program owner's and the admin's call."""
    from execsponsor.program import lifecycle
    from execsponsor.program.models import Sponsorship, SponsorshipStatus

    require(by, "execsponsor.run_program", message="Only the program owner or an admin assigns sponsors")
    fields = dict(fields)
    counterpart_ids = _counterparts_of(account, fields.pop("counterpart_ids", None) or [])
    _ensure_active_executive(fields["executive_id"])
    status = fields.pop("status", None) or SponsorshipStatus.PROPOSED
    if status not in (SponsorshipStatus.PROPOSED, SponsorshipStatus.APPROVED):
        raise InvalidInput(
            f"status: a new sponsorship starts proposed or approved, not {status}; move it on through its "
            "lifecycle (POST /api/v1/sponsorships/{id}/transition) so that each gate is checked",
            field="status",
        )
    sponsorship = Sponsorship(account=account)
    apply_changes(sponsorship, fields)
    validate_and_attribute(sponsorship, by=by)
    if status == SponsorshipStatus.APPROVED:
        lifecycle.enter(sponsorship, lifecycle.Step.APPROVE, by=by)
    sponsorship.save()
    sponsorship.counterparts.set(counterpart_ids)
    return sponsorship


def _ensure_can_change_sponsorship(*, by, sponsorship, changes: dict[str, Any]) -> None:
    if can(by, "execsponsor.run_program"):
        return
    require(by, "execsponsor.write")
    require(
        by,
        "execsponsor.edit_charter",
        sponsorship,
        message="Only the sponsor, the account's AE or CSM, the program owner or an admin changes a sponsorship",
    )
    beyond_charter = sorted(changes.keys() - CHARTER_FIELDS)
    if beyond_charter:
        raise NotPermitted(
            f"The sponsor, AE and CSM edit the charter only; {', '.join(beyond_charter)} is the program owner's "
            "to change"
        )


def check_sponsorship_version(sponsorship, expected_version: int | None) -> None:
    """Optimistic concurrency: the caller names the version they read; any save since moved it on."""
    if expected_version is None:
        raise ConcurrentEdit(
            f"Send expected_version: the version of the sponsorship you read (now {sponsorship.version}), "
            "so that a change made since is not overwritten."
        )
    if expected_version != sponsorship.version:
        raise ConcurrentEdit(
            f"Concurrent edits detected: the sponsorship is at version {sponsorship.version}, not the version "
            f"{expected_version} you read. Reload it, reapply your change and send the new version."
        )


@transaction.atomic
def sponsorship_update(*, sponsorship, by, changes: dict[str, Any], expected_version: int | None):
    """Change a sponsorship read at `expected_version` (required: a missing or stale one is a ConcurrentEdit).

    The row is locked (PostgreSQL; SQLite's IMMEDIATE transactions serialise writers) before the version is
    compared, so of two writers from the same version exactly one gets through.
    """
    from execsponsor.program.models import Sponsorship

    sponsorship = Sponsorship.objects.select_for_update().select_related("account", "executive").get(pk=sponsorship.pk)
    _ensure_can_change_sponsorship(by=by, sponsorship=sponsorship, changes=changes)
    check_sponsorship_version(sponsorship, expected_version)
    changes = dict(changes)
    new_status = changes.pop("status", None)
    counterpart_ids = changes.pop("counterpart_ids", None)
    if counterpart_ids is not None:
        counterpart_ids = _counterparts_of(sponsorship.account, counterpart_ids)
    counterparts_change = counterpart_ids is not None and set(counterpart_ids) != set(
        sponsorship.counterparts.values_list("pk", flat=True)
    )
    if changed := apply_changes(sponsorship, changes):
        validate_and_attribute(sponsorship, by=by, changed=changed)
    if new_status is not None and new_status != sponsorship.status:
        _move_to(sponsorship, new_status, by=by)
        changed.append("status")
    if changed or counterparts_change:
        sponsorship._history_user = by
        sponsorship.save()
    if counterparts_change:
        sponsorship.counterparts.set(counterpart_ids)
    return sponsorship
