"""Writes for engagements: log one with its participants, change it. Each in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from execsponsor.access.rules import require
from execsponsor.common.editing import apply_changes, check_unmodified, validate_and_attribute
from execsponsor.common.errors import InvalidInput
from execsponsor.customers.models import Account, Contact
from execsponsor.engagements.models import Commitment, Engagement, EngagementAttendee, EngagementContact
from execsponsor.playbooks.services import task_create
from execsponsor.program.models import Sponsorship
from execsponsor.users.models import User

PARTICIPANT_FIELDS = ("contact_ids", "attendee_ids")


def ensure_can_log_engagements(*, by: User, account: Account) -> None:
    """Program roles anywhere; the AE, CSM and sponsor on the accounts they own, look after or sponsor."""
    require(by, "execsponsor.write", message="Your role is read-only: you can look, not log engagements")
    require(by, "execsponsor.change_account", account, message=f"You may not log engagements on {account.name}")


def _contacts_of(account: Account, contact_ids: list[int]) -> list[int]:
    wanted = list(dict.fromkeys(contact_ids))
    found = set(Contact.objects.filter(account=account, pk__in=wanted).values_list("pk", flat=True))
    strangers = [str(pk) for pk in wanted if pk not in found]
    if strangers:
        # The same words for a contact of another account and for no contact at all: ids must not leak.
        raise InvalidInput(
            f"contact_ids: {', '.join(strangers)} {'is not a contact' if len(strangers) == 1 else 'are not contacts'}"
            f" of {account.name}; participants must be contacts of the engagement's account",
            field="contact_ids",
        )
    return wanted


def _our_people(user_ids: list[int]) -> list[int]:
    wanted = list(dict.fromkeys(user_ids))
    found = set(User.objects.filter(pk__in=wanted, is_active=True).values_list("pk", flat=True))
    unknown = [str(pk) for pk in wanted if pk not in found]
    if unknown:
        raise InvalidInput(f"attendee_ids: no active user with id {', '.join(unknown)}", field="attendee_ids")
    return wanted


def _sponsorship_for(
    *, account: Account, by: User, sponsorship_id: int | None, attendee_ids: Sequence[int] = ()
) -> Sponsorship | None:
    if sponsorship_id is not None:
        sponsorship = Sponsorship.objects.filter(pk=sponsorship_id, account=account).first()
        if sponsorship is None:
            raise InvalidInput(
                f"sponsorship_id: {sponsorship_id} is not a sponsorship of {account.name}", field="sponsorship_id"
            )
        return sponsorship
    # A sponsor logging a meeting on their own account means it belongs to their sponsorship; so does one
    # the AE logs with the sponsor among our people: that is what keeps the sponsorship's cadence.
    live = Sponsorship.objects.live().filter(account=account)
    return live.filter(executive__user=by).first() or live.filter(executive__user_id__in=attendee_ids).first()


def _ensure_ends_after_start(engagement: Engagement) -> None:
    if engagement.ends_at is not None and engagement.ends_at < engagement.occurred_at:
        raise InvalidInput("ends_at must not be before occurred_at", field="ends_at")


def _link_participants(engagement: Engagement, *, contact_ids: list[int] | None, attendee_ids: list[int] | None):
    if contact_ids is not None:
        EngagementContact.objects.filter(engagement=engagement).delete()
        EngagementContact.objects.bulk_create(
            EngagementContact(engagement=engagement, contact_id=pk) for pk in contact_ids
        )
    if attendee_ids is not None:
        EngagementAttendee.objects.filter(engagement=engagement).delete()
        EngagementAttendee.objects.bulk_create(
            EngagementAttendee(engagement=engagement, user_id=pk) for pk in attendee_ids
        )


@transaction.atomic
def engagement_create(*, by: User, account: Account, fields: dict[str, Any]) -> Engagement:
    """Log an engagement; `counts` follows from the rubric, participants must belong to the account."""
    ensure_can_log_engagements(by=by, account=account)
    fields = dict(fields)
    contact_ids = _contacts_of(account, fields.pop("contact_ids", None) or [])
    attendee_ids = _our_people(fields.pop("attendee_ids", None) or [by.pk])
    sponsorship = _sponsorship_for(
        account=account, by=by, sponsorship_id=fields.pop("sponsorship_id", None), attendee_ids=attendee_ids
    )
    engagement = Engagement(account=account, sponsorship=sponsorship, owner=by)
    apply_changes(engagement, fields)
    _ensure_ends_after_start(engagement)
    validate_and_attribute(engagement, by=by)
    engagement.save()
    _link_participants(engagement, contact_ids=contact_ids, attendee_ids=attendee_ids)
    return engagement


@transaction.atomic
def engagement_update(
    *, engagement: Engagement, by: User, changes: dict[str, Any], expected_updated_at: dt.datetime | None = None
) -> Engagement:
    engagement = Engagement.objects.select_for_update().select_related("account").get(pk=engagement.pk)
    ensure_can_log_engagements(by=by, account=engagement.account)
    check_unmodified(current=engagement.updated_at, expected=expected_updated_at, what="engagement")
    changes = dict(changes)
    contact_ids = changes.pop("contact_ids", None)
    attendee_ids = changes.pop("attendee_ids", None)
    if contact_ids is not None:
        contact_ids = _contacts_of(engagement.account, contact_ids)
    if attendee_ids is not None:
        attendee_ids = _our_people(attendee_ids)
    if changed := apply_changes(engagement, changes):
        _ensure_ends_after_start(engagement)
        validate_and_attribute(engagement, by=by, changed=changed)
        engagement.save()
    _link_participants(engagement, contact_ids=contact_ids, attendee_ids=attendee_ids)
    return engagement


@dataclass(frozen=True)
class CommitmentDraft:
    """Something one of our people promised in the engagement: it becomes their task."""

    description: str
    owner_id: int
    due_on: dt.date | None = None


def _default_subject(account: Account, kind: str) -> str:
    label = dict(Engagement._meta.get_field("kind").choices).get(kind, "Engagement")
    return f"{label} with {account.name}"


@transaction.atomic
def engagement_log(
    *, by: User, account: Account, fields: dict[str, Any], commitments: Sequence[CommitmentDraft] = ()
) -> Engagement:
    """Log an engagement the fast way: rubric, participants on both sides, and commitments that become tasks.

    `fields` are the engagement's own (kind, occurred_at, topics, outcome, the rubric booleans, contact_ids,
    attendee_ids …); the subject defaults to "<kind> with <account>". Whether it counts follows from the rubric.
    """
    fields = dict(fields)
    if not (fields.get("subject") or "").strip():
        fields["subject"] = _default_subject(account, fields.get("kind") or "meeting")
    engagement = engagement_create(by=by, account=account, fields=fields)
    owners = {user.pk: user for user in User.objects.filter(pk__in={c.owner_id for c in commitments}, is_active=True)}
    for number, draft in enumerate(commitments, start=1):
        description = (draft.description or "").strip()
        if not description:
            raise InvalidInput(f"commitments: number {number} needs a description", field="commitments")
        owner = owners.get(draft.owner_id)
        if owner is None:
            raise InvalidInput(
                f"commitments: number {number} has no active owner with id {draft.owner_id}", field="commitments"
            )
        task = task_create(
            by=by,
            title=description,
            owner=owner,
            due_on=draft.due_on,
            account=account,
            instructions=f"Promised in “{engagement.subject}” on {engagement.occurred_at:%d %b %Y}.",
        )
        Commitment.objects.create(
            engagement=engagement, description=description[:500], owner=owner, due_on=draft.due_on, task=task
        )
    return engagement


OVERRIDE_REASON_MAX = 500


@transaction.atomic
def engagement_counts_override(*, by: User, engagement: Engagement, counts: bool | None, reason: str) -> Engagement:
    """The program owner decides whether an engagement counts, over the rubric, and says why.

    `counts=None` hands the decision back to the rubric. The reason and who decided stay on the engagement,
    and every change is a history record with that reason."""
    require(by, "execsponsor.run_program", to="decide that an engagement counts or not")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why: a reason is required to override the rubric", field="reason")
    if len(reason) > OVERRIDE_REASON_MAX:
        raise InvalidInput(f"The reason is at most {OVERRIDE_REASON_MAX} characters", field="reason")
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    engagement.counts_override = counts
    engagement.counts_override_reason = reason
    engagement.counts_override_by = by
    engagement._history_user = by
    engagement._change_reason = reason
    engagement.save()
    return engagement
