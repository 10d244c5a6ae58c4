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


rules.add_perm("execsponsor.import_data", runs_the_program)
rules.add_perm("execsponsor.view_program_results", sees_the_whole_program)  # owner, admin, viewer
rules.add_perm("execsponsor.run_program", runs_the_program)
rules.add_perm("execsponsor.manage_users", is_admin)
rules.add_perm("execsponsor.write", can_write)
rules.add_perm("execsponsor.import_calendar", can_write)  # their own calendar, their own accounts


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
