"""Who may change what, as `rules` predicates, for views and services."""

from __future__ import annotations

from functools import wraps

import rules
from django.core.exceptions import PermissionDenied

from execsponsor.common.errors import NotPermitted
from execsponsor.users.models import Role


@rules.predicate
def runs_the_program(user) -> bool:
    return bool(user and user.is_authenticated and user.runs_the_program)


@rules.predicate
def can_write(user) -> bool:
    return bool(user and user.is_authenticated and not user.is_read_only)


@rules.predicate
def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


@rules.predicate
def sees_the_whole_program(user) -> bool:
    return bool(user and user.is_authenticated and user.sees_all_accounts)


@rules.predicate
def works_on_the_account(user, account) -> bool:
    """The program (owner, admin) anywhere; the account's AE and CSM and its live sponsor on that account."""
    from execsponsor.users.visibility import editable_accounts

    return account is not None and editable_accounts(user).filter(pk=account.pk).exists()


rules.add_perm("execsponsor.import_data", runs_the_program)
rules.add_perm("execsponsor.view_program_results", sees_the_whole_program)  # owner, admin, viewer
rules.add_perm("execsponsor.run_program", runs_the_program)
rules.add_perm("execsponsor.manage_users", is_admin)
rules.add_perm("execsponsor.write", can_write)
rules.add_perm("execsponsor.import_calendar", can_write)  # their own calendar, their own accounts
# Outcomes and advocates are what the customer says and does: the sponsor hears them as often as the AE and
# CSM do, so all three record them on their account (unlike account details, which belong to the AE and CSM).
rules.add_perm("execsponsor.record_outcomes", can_write & works_on_the_account)


def permission_required(perm: str):
    """View decorator: 403 unless the signed-in user holds `perm`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def require_program_owner(user, *, to: str = "run the program") -> None:
    """Services' guard: raise NotPermitted unless `user` is a program owner or an admin."""
    if not runs_the_program(user):
        raise NotPermitted(f"Only the program owner or an admin may {to}")
