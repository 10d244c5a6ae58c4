"""Writes for outcomes (the results a customer expects, with evidence) and advocates (contacts who speak for us).

Who may write: the program (owner, admin) everywhere, and on their own account its AE, its CSM and its live
sponsor (`execsponsor.record_outcomes` in access/rules.py). Viewers and everyone else may not.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from execsponsor.access.rules import require
from execsponsor.common.editing import apply_changes, check_unmodified, validate_and_attribute
from execsponsor.common.errors import InvalidInput
from execsponsor.customers.models import (
    Account,
    AdvocacyActivity,
    AdvocacyKind,
    Advocate,
    Contact,
    ContactStatus,
    Outcome,
    OutcomeStatus,
)
from execsponsor.users.models import User

OUTCOME_FIELDS = frozenset(
    {
        "title",
        "measure",
        "baseline",
        "target",
        "expected_by",
        "status",
        "evidence",
        "recorded_on",
        "delivered_on",
        "shared_with_customer",
        "is_success_story",
    }
)
ADVOCATE_FIELDS = frozenset({"agreed_to", "agreed_on", "notes"})


def ensure_can_record_outcomes(*, by: User, account: Account) -> None:
    require(by, "execsponsor.write")
    require(by, "execsponsor.record_outcomes", account)


def _unknown_fields(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise InvalidInput(f"{unknown[0]}: not a field you can set here", field=unknown[0])


def _not_in_future(day: dt.date | None, *, field: str, what: str) -> None:
    if day is not None and day > timezone.localdate():
        raise InvalidInput(f"{field}: {what} cannot be in the future ({day.isoformat()})", field=field)


def _settle_outcome(outcome: Outcome) -> None:
    """The rules between status, evidence, date and success story, each refused with the field it concerns."""
    if outcome.status == OutcomeStatus.DELIVERED:
        if not (outcome.evidence or "").strip():
            raise InvalidInput(
                "evidence: say what shows the result was delivered (a figure, a quote, a report) before marking "
                "it delivered",
                field="evidence",
            )
        if outcome.delivered_on is None:
            outcome.delivered_on = timezone.localdate()
        _not_in_future(outcome.delivered_on, field="delivered_on", what="the day it was delivered")
    else:
        outcome.delivered_on = None
        if outcome.is_success_story:
            raise InvalidInput(
                "is_success_story: only a delivered outcome can be a success story", field="is_success_story"
            )


@transaction.atomic
def outcome_create(*, by: User, account: Account, fields: dict[str, Any]) -> Outcome:
    """Record a result the customer expects (at onboarding or any time), or one already delivered."""
    ensure_can_record_outcomes(by=by, account=account)
    _unknown_fields(fields, OUTCOME_FIELDS)
    if not (fields.get("title") or "").strip():
        raise InvalidInput("title: say what result the customer expects", field="title")
    outcome = Outcome(account=account)
    apply_changes(outcome, fields)
    _settle_outcome(outcome)
    validate_and_attribute(outcome, by=by)
    outcome.save()
    return outcome


@transaction.atomic
def outcome_update(
    *, by: User, outcome: Outcome, changes: dict[str, Any], expected_updated_at: dt.datetime | None = None
) -> Outcome:
    """Track an outcome: its evidence, in progress, delivered (with evidence and date) or missed, and whether
    it may be shown to the customer's executives or told as a success story."""
    outcome = Outcome.objects.select_for_update().select_related("account").get(pk=outcome.pk)
    ensure_can_record_outcomes(by=by, account=outcome.account)
    check_unmodified(current=outcome.updated_at, expected=expected_updated_at, what="outcome")
    _unknown_fields(changes, OUTCOME_FIELDS)
    if "title" in changes and not (changes["title"] or "").strip():
        raise InvalidInput("title: an outcome needs its title", field="title")
    changed = apply_changes(outcome, changes)
    delivered_before = outcome.delivered_on
    _settle_outcome(outcome)
    if outcome.delivered_on != delivered_before and "delivered_on" not in changed:
        changed.append("delivered_on")
    if changed:
        validate_and_attribute(outcome, by=by, changed=changed)
        outcome.save()
    return outcome


def _agreed_to(value: Any) -> list[str]:
    """The kinds of advocacy as a list of AdvocacyKind values, in the choices' order, without repeats."""
    if not isinstance(value, list | tuple) or not all(isinstance(kind, str) for kind in value):
        raise InvalidInput("agreed_to: a list of kinds of advocacy", field="agreed_to")
    unknown = [kind for kind in value if kind not in AdvocacyKind.values]
    if unknown:
        raise InvalidInput(
            f"agreed_to: {unknown[0]!r} is not a kind of advocacy ({', '.join(AdvocacyKind.values)})",
            field="agreed_to",
        )
    if not value:
        raise InvalidInput("agreed_to: name at least one thing they agreed to do", field="agreed_to")
    return [kind for kind in AdvocacyKind.values if kind in value]


def _prepare_advocate_fields(fields: dict[str, Any]) -> dict[str, Any]:
    _unknown_fields(fields, ADVOCATE_FIELDS)
    prepared = dict(fields)
    if "agreed_to" in prepared:
        prepared["agreed_to"] = _agreed_to(prepared["agreed_to"])
    if prepared.get("agreed_on") is None:
        prepared.pop("agreed_on", None)
    _not_in_future(prepared.get("agreed_on"), field="agreed_on", what="the day they agreed")
    return prepared


@transaction.atomic
def advocate_create(*, by: User, contact: Contact, fields: dict[str, Any]) -> Advocate:
    """Record that a contact agreed to advocacy, and to what."""
    contact = Contact.objects.select_related("account").get(pk=contact.pk)
    ensure_can_record_outcomes(by=by, account=contact.account)
    if contact.status == ContactStatus.LEFT:
        raise InvalidInput(f"contact: {contact} has left {contact.account.name}", field="contact_id")
    if Advocate.objects.filter(contact=contact).exists():
        raise InvalidInput(f"contact: {contact} is already an advocate; change what they agreed to", field="contact_id")
    prepared = _prepare_advocate_fields(fields)
    if "agreed_to" not in prepared:
        raise InvalidInput("agreed_to: name at least one thing they agreed to do", field="agreed_to")
    advocate = Advocate(contact=contact)
    apply_changes(advocate, prepared)
    validate_and_attribute(advocate, by=by)
    advocate.save()
    return advocate


@transaction.atomic
def advocate_update(
    *, by: User, advocate: Advocate, changes: dict[str, Any], expected_updated_at: dt.datetime | None = None
) -> Advocate:
    advocate = Advocate.objects.select_for_update().select_related("contact__account").get(pk=advocate.pk)
    ensure_can_record_outcomes(by=by, account=advocate.contact.account)
    check_unmodified(current=advocate.updated_at, expected=expected_updated_at, what="advocate")
    if changed := apply_changes(advocate, _prepare_advocate_fields(changes)):
        validate_and_attribute(advocate, by=by, changed=changed)
        advocate.save()
    return advocate


@transaction.atomic
def advocacy_activity_record(
    *, by: User, advocate: Advocate, kind: str, done_on: dt.date, note: str = ""
) -> AdvocacyActivity:
    """Something the advocate did for us (a reference call, a case study …) on a day, with a note.

    An activity is a row of its own (not an item in a list rewritten with the advocate), so two people recording
    calls at the same time both keep theirs, and neither conflicts with an edit of what the advocate agreed to."""
    advocate = Advocate.objects.select_for_update().select_related("contact__account").get(pk=advocate.pk)
    ensure_can_record_outcomes(by=by, account=advocate.contact.account)
    if kind not in AdvocacyKind.values:
        raise InvalidInput(f"kind: {kind!r} is not a kind of advocacy ({', '.join(AdvocacyKind.values)})", field="kind")
    if done_on is None:
        raise InvalidInput("done_on: the day they did it", field="done_on")
    _not_in_future(done_on, field="done_on", what="the day they did it")
    activity = AdvocacyActivity(advocate=advocate, kind=kind, done_on=done_on, note=(note or "").strip())
    validate_and_attribute(activity, by=by)
    activity.save()
    return activity
