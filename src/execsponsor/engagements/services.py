"""Writes for engagements: log one with its participants, change it. Each in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from execsponsor.common.editing import apply_changes, check_unmodified, validate_and_attribute
from execsponsor.common.errors import InvalidInput, NotPermitted
from execsponsor.customers.models import Account, Contact
from execsponsor.engagements.models import Engagement, EngagementAttendee, EngagementContact
from execsponsor.program.models import Sponsorship
from execsponsor.users.models import User
from execsponsor.users.visibility import editable_accounts

PARTICIPANT_FIELDS = ("contact_ids", "attendee_ids")


def ensure_can_log_engagements(*, by: User, account: Account) -> None:
    """Program roles anywhere; the AE, CSM and sponsor on the accounts they own, look after or sponsor."""
    if by.is_read_only:
        raise NotPermitted("Your role is read-only: you can look, not log engagements")
    if not editable_accounts(by).filter(pk=account.pk).exists():
        raise NotPermitted(f"You may not log engagements on {account.name}")


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


def _sponsorship_for(*, account: Account, by: User, sponsorship_id: int | None) -> Sponsorship | None:
    if sponsorship_id is not None:
        sponsorship = Sponsorship.objects.filter(pk=sponsorship_id, account=account).first()
        if sponsorship is None:
            raise InvalidInput(
                f"sponsorship_id: {sponsorship_id} is not a sponsorship of {account.name}", field="sponsorship_id"
            )
        return sponsorship
    # A sponsor logging a meeting on their own account means it belongs to their sponsorship.
    return Sponsorship.objects.live().filter(account=account, executive__user=by).first()


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
    sponsorship = _sponsorship_for(account=account, by=by, sponsorship_id=fields.pop("sponsorship_id", None))
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
