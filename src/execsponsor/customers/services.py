"""Writes for accounts and contacts: one keyword-only function per use case, each in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from execsponsor.common.editing import apply_changes, check_unmodified, validate_and_attribute
from execsponsor.common.errors import InvalidInput, NotPermitted
from execsponsor.customers.models import Account, Contact
from execsponsor.users.models import Role, User
from execsponsor.users.visibility import editable_accounts

# Who the account belongs to is the program's decision, not the account team's.
ASSIGNMENT_FIELDS = frozenset({"owner_id", "csm_id"})


def ensure_can_change_account_records(*, by: User, account: Account) -> None:
    """Account details and contacts: the program roles everywhere, the AE and CSM on their own accounts."""
    if by.is_read_only:
        raise NotPermitted("Your role is read-only: you can look, not change")
    if by.role == Role.EXECUTIVE and not by.runs_the_program:
        raise NotPermitted(
            "Executive sponsors log engagements and edit their charters; account details belong to the AE and CSM"
        )
    if not editable_accounts(by).filter(pk=account.pk).exists():
        raise NotPermitted(f"You may not change {account.name}")


def may_change_account_records(*, by: User, account: Account) -> bool:
    """Whether the pages should offer `by` the Edit buttons on `account`: the same rule the services apply."""
    try:
        ensure_can_change_account_records(by=by, account=account)
    except NotPermitted:
        return False
    return True


def _ensure_active_users(changes: dict[str, Any]) -> None:
    for name in ASSIGNMENT_FIELDS & changes.keys():
        user_id = changes[name]
        if user_id is not None and not User.objects.filter(pk=user_id, is_active=True).exists():
            raise InvalidInput(f"{name}: there is no active user with id {user_id}", field=name)


@transaction.atomic
def account_create(*, by: User, fields: dict[str, Any]) -> Account:
    if not by.runs_the_program:
        raise NotPermitted("Only the program owner or an admin adds accounts")
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
    if ASSIGNMENT_FIELDS & changes.keys() and not by.runs_the_program:
        raise NotPermitted("Only the program owner or an admin reassigns an account's owner or CSM")
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


@transaction.atomic
def contact_create(*, by: User, account: Account, fields: dict[str, Any]) -> Contact:
    ensure_can_change_account_records(by=by, account=account)
    _ensure_manager_is_a_colleague(account=account, contact=None, reports_to_id=fields.get("reports_to_id"))
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
    if changed := apply_changes(contact, changes):
        validate_and_attribute(contact, by=by, changed=changed)
        contact.save()
    return contact
