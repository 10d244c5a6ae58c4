"""Who may change a sponsorship's charter, alignment, supporting executives and lifecycle.

Reading is decided by `visible_accounts(user)` (users/visibility.py); these rules apply to what a user can see.
"""

from __future__ import annotations

from execsponsor.program.models import Sponsorship


def is_sponsor_of(user, sponsorship: Sponsorship) -> bool:
    return bool(user and user.is_authenticated and sponsorship.executive.user_id == user.pk)


def is_account_team_of(user, sponsorship: Sponsorship) -> bool:
    """The account's AE (its owner) or CSM."""
    account = sponsorship.account
    return bool(user and user.is_authenticated and user.pk in (account.owner_id, account.csm_id))


def can_edit_charter(user, sponsorship: Sponsorship) -> bool:
    """The program owner and admin, the sponsor, and the account's AE and CSM (never a read-only role)."""
    if not user or not user.is_authenticated or user.is_read_only:
        return False
    return user.runs_the_program or is_sponsor_of(user, sponsorship) or is_account_team_of(user, sponsorship)


def can_write_alignment_notes(user, sponsorship: Sponsorship) -> bool:
    """The AE writes up the alignment for the sponsor; the CSM and the program owner may help."""
    if not user or not user.is_authenticated or user.is_read_only:
        return False
    return user.runs_the_program or is_account_team_of(user, sponsorship)


def ae_side_holder_id(sponsorship: Sponsorship) -> int | None:
    """Who ticks the account team's side: the account's AE, or its CSM when it has no AE."""
    account = sponsorship.account
    return account.owner_id or account.csm_id


def alignment_side_of(user, sponsorship: Sponsorship) -> str | None:
    """ "ae" or "sponsor": the side of the alignment checklist `user` ticks, if any. Nobody ticks for another."""
    if not user or not user.is_authenticated or user.is_read_only:
        return None
    if is_sponsor_of(user, sponsorship):
        return "sponsor"
    if user.pk == ae_side_holder_id(sponsorship):
        return "ae"
    return None
