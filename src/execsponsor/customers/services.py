"""Writes for accounts and contacts: one keyword-only function per use case, each in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from execsponsor.access.rules import can, require
from execsponsor.access.visibility import can_see_account
from execsponsor.common.editing import apply_changes, check_unmodified, validate_and_attribute
from execsponsor.common.errors import InvalidInput, NotPermitted
from execsponsor.customers.models import Account, Contact, ContactStatus, RelationshipLevel, RelationshipLevelChoice
from execsponsor.users.models import Role, User

# Who the account belongs to is the program's decision, not the account team's.
ASSIGNMENT_FIELDS = frozenset({"owner_id", "csm_id"})


def ensure_can_change_account_records(*, by: User, account: Account) -> None:
    """Account details and contacts: the program roles everywhere, the AE and CSM on their own accounts."""
    require(by, "execsponsor.write")
    if not can(by, "execsponsor.change_account_records", account) and by.role == Role.EXECUTIVE:
        raise NotPermitted(
            "Executive sponsors log engagements and edit their charters; account details belong to the AE and CSM"
        )
    require(by, "execsponsor.change_account_records", account, message=f"You may not change {account.name}")


def _ensure_active_users(changes: dict[str, Any]) -> None:
    for name in ASSIGNMENT_FIELDS & changes.keys():
        user_id = changes[name]
        if user_id is not None and not User.objects.filter(pk=user_id, is_active=True).exists():
            raise InvalidInput(f"{name}: there is no active user with id {user_id}", field=name)


@transaction.atomic
def account_create(*, by: User, fields: dict[str, Any]) -> Account:
    require(by, "execsponsor.run_program", message="Only the program owner or an admin adds accounts")
    _ensure_active_users(fields)
    account = Account()
    apply_changes(account, fields)
    validate_and_attribute(account, by=by)
    account.save()
    return account


@transaction.atomic
def account_update(
    *, account: Account, by: User, changes: dict[str, Any], expected_updated_at: dt.datetime | None = None
) -> Account:
    account = Account.objects.select_for_update().get(pk=account.pk)
    ensure_can_change_account_records(by=by, account=account)
    if ASSIGNMENT_FIELDS & changes.keys():
        require(by, "execsponsor.run_program", to="reassign an account's owner or CSM")
    check_unmodified(current=account.updated_at, expected=expected_updated_at, what="account")
    _ensure_active_users(changes)
    if changed := apply_changes(account, changes):
        validate_and_attribute(account, by=by, changed=changed)
        account.save()
    return account


def _ensure_manager_is_a_colleague(*, account: Account, contact: Contact | None, reports_to_id: int | None) -> None:
    if reports_to_id is None:
        return
    if contact is not None and contact.pk == reports_to_id:
        raise InvalidInput("reports_to_id: a contact cannot report to themselves", field="reports_to_id")
    if not Contact.objects.filter(pk=reports_to_id, account=account).exists():
        raise InvalidInput(
            f"reports_to_id: contact {reports_to_id} is not a contact of {account.name}", field="reports_to_id"
        )
    if contact is not None:
        _ensure_no_loop(account=account, contact=contact, start=reports_to_id, link="reports_to_id")


def _ensure_no_loop(*, account: Account, contact: Contact, start: int, link: str) -> None:
    """Refuse a reports-to (or replaced-by) that would lead back to `contact`: the chart is a tree."""
    following = dict(Contact.objects.filter(account=account).exclude(**{link: None}).values_list("pk", link))
    chain, current = [start], start
    while current in following and current != contact.pk and len(chain) <= len(following) + 1:
        current = following[current]
        chain.append(current)
    if current == contact.pk:
        names = dict(Contact.objects.filter(pk__in=chain).values_list("pk", "last_name"))
        path = " → ".join([contact.last_name, *(names.get(pk, f"#{pk}") for pk in chain)])
        what = "reports to" if link == "reports_to_id" else "was replaced by"
        raise InvalidInput(f"{link}: that would make a loop ({path}, where each {what} the next)", field=link)


def _ensure_successor_is_a_colleague(*, contact: Contact, successor_id: int | None, status: str) -> None:
    if successor_id is None:
        return
    if status == ContactStatus.ACTIVE:
        raise InvalidInput(
            "replaced_by_id: only a contact who left or changed role has a successor; set their status first",
            field="replaced_by_id",
        )
    if successor_id == contact.pk:
        raise InvalidInput("replaced_by_id: a contact cannot replace themselves", field="replaced_by_id")
    if not Contact.objects.filter(pk=successor_id, account_id=contact.account_id).exists():
        raise InvalidInput(
            f"replaced_by_id: contact {successor_id} is not a contact of {contact.account.name}",
            field="replaced_by_id",
        )
    _ensure_no_loop(account=contact.account, contact=contact, start=successor_id, link="replaced_by_id")


@transaction.atomic
def contact_create(*, by: User, account: Account, fields: dict[str, Any]) -> Contact:
    ensure_can_change_account_records(by=by, account=account)
    _ensure_manager_is_a_colleague(account=account, contact=None, reports_to_id=fields.get("reports_to_id"))
    if fields.get("replaced_by_id") is not None:
        raise InvalidInput("replaced_by_id: a new contact has no successor yet", field="replaced_by_id")
    contact = Contact(account=account)
    apply_changes(contact, fields)
    validate_and_attribute(contact, by=by)
    contact.save()
    return contact


@transaction.atomic
def contact_update(
    *, contact: Contact, by: User, changes: dict[str, Any], expected_updated_at: dt.datetime | None = None
) -> Contact:
    contact = Contact.objects.select_for_update().select_related("account").get(pk=contact.pk)
    ensure_can_change_account_records(by=by, account=contact.account)
    check_unmodified(current=contact.updated_at, expected=expected_updated_at, what="contact")
    if "reports_to_id" in changes:
        _ensure_manager_is_a_colleague(account=contact.account, contact=contact, reports_to_id=changes["reports_to_id"])
    if "replaced_by_id" in changes:
        status = changes.get("status") or contact.status
        _ensure_successor_is_a_colleague(contact=contact, successor_id=changes["replaced_by_id"], status=status)
    if changed := apply_changes(contact, changes):
        validate_and_attribute(contact, by=by, changed=changed)
        contact.save()
    return contact


LEVEL_ORDER = list(RelationshipLevelChoice.values)


def ensure_can_set_relationship_level(*, by: User, contact: Contact, person: User) -> None:
    """The account team and the program set anyone's level; each of our people may also record their own."""
    if person.pk == by.pk and can(by, "execsponsor.write") and can_see_account(by, contact.account_id):
        return
    ensure_can_change_account_records(by=by, account=contact.account)


@transaction.atomic
def relationship_level_set(
    *,
    by: User,
    contact: Contact,
    person: User,
    current: str,
    desired: str,
    expected_updated_at: dt.datetime | None = None,
) -> RelationshipLevel:
    """Where `person` (one of ours) stands with `contact`, and where we want them to stand."""
    ensure_can_set_relationship_level(by=by, contact=contact, person=person)
    for name, value in (("current", current), ("desired", desired)):
        if value not in LEVEL_ORDER:
            raise InvalidInput(f"{name}: {value!r} is not a level ({', '.join(LEVEL_ORDER)})", field=name)
    if LEVEL_ORDER.index(desired) < LEVEL_ORDER.index(current):
        raise InvalidInput("desired: the level we aim for cannot be below where it stands today", field="desired")
    if not person.is_active:
        raise InvalidInput(f"user: {person} is no longer active", field="user")
    level = RelationshipLevel.objects.select_for_update().filter(user=person, contact=contact).first()
    if level is None:
        level = RelationshipLevel(user=person, contact=contact)
    else:
        check_unmodified(current=level.updated_at, expected=expected_updated_at, what="relationship level")
    if level.pk is None or (level.current, level.desired) != (current, desired):
        level.current, level.desired = current, desired
        level._history_user = by
        level.save()
    return level
