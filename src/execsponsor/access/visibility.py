"""The one rule that decides which accounts a user may see and change.

Every page, API endpoint, export and selector that touches accounts or their
children starts from `visible_accounts(user)`.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from execsponsor.customers.models import Account
from execsponsor.program.models import LIVE_STATUSES, Sponsorship, SupportingExecutive
from execsponsor.users.models import Role, User


def _sponsored_account_ids(user: User) -> list[int]:
    """Accounts `user` sponsors or supports in a live sponsorship: a handful, read once per call.

    A literal id list (rather than a correlated EXISTS) lets the database answer owner = … OR csm = … OR
    id IN (…) from three indexes instead of scanning every account."""
    sponsored = Sponsorship.objects.filter(executive__user=user, status__in=LIVE_STATUSES).values_list(
        "account_id", flat=True
    )
    supported = (
        SupportingExecutive.objects.current()
        .filter(executive__user=user, sponsorship__status__in=LIVE_STATUSES)
        .values_list("sponsorship__account_id", flat=True)
    )
    return sorted({*sponsored, *supported})


def sees_every_account(user) -> bool:
    """Admin, program owner and viewer: `visible_accounts(user)` is every account (callers may skip the filter)."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.sees_all_accounts)


def visible_accounts(user) -> QuerySet:
    """Accounts `user` may read: all for admin, program owner and viewer; otherwise only their own."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Account.objects.none()
    if sees_every_account(user):
        return Account.objects.all()
    if user.role == Role.EXECUTIVE:
        return Account.objects.filter(pk__in=_sponsored_account_ids(user))
    if user.role in (Role.ACCOUNT_EXECUTIVE, Role.CSM):
        return Account.objects.filter(Q(owner=user) | Q(csm=user) | Q(pk__in=_sponsored_account_ids(user)))
    return Account.objects.none()


def editable_accounts(user) -> QuerySet:
    """Accounts `user` may change: what they see, unless their role is read-only."""
    if user is None or not user.is_authenticated or user.is_read_only:
        return Account.objects.none()
    return visible_accounts(user)


def can_see_account(user, account_id: int) -> bool:
    return visible_accounts(user).filter(pk=account_id).exists()


def can_change_account(user, account_id: int) -> bool:
    return editable_accounts(user).filter(pk=account_id).exists()
