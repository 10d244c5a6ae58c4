"""Writes for the program: one function per use case, each in one transaction."""

from __future__ import annotations

from django.db import transaction


@transaction.atomic
def builtin_data_ensure() -> None:
    """Create the built-in role charters (idempotent)."""
    from execsponsor.program.charters import ROLE_CHARTERS
    from execsponsor.program.models import RoleCharter

    for role, (responsibilities, does_not) in ROLE_CHARTERS.items():
        RoleCharter.objects.get_or_create(
            role=role, defaults={"responsibilities": responsibilities, "does_not": does_not}
        )
