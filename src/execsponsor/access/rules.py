"""What a user may do: `rules` predicates, the `execsponsor.*` permissions built from them, and the one way to
check them (`can`, `require`, the `permission_required` view decorator).

`rules` loads this module at start-up (it autodiscovers `rules.py` in every app). Reading — which accounts a
user sees — is `visibility.py`; every rule here applies to what the user can see.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules
from rules.contrib.views import permission_required as _rules_permission_required

from execsponsor.access.visibility import can_see_account, editable_accounts, sees_every_account
from execsponsor.common.errors import NotPermitted
from execsponsor.users.models import Role

# Predicates: each answers for one user (and one object, when it takes two arguments). An anonymous,
# deactivated or missing user holds none of them.


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def runs_the_program(user) -> bool:
    """The program owner and admins."""
    return _active(user) and user.runs_the_program


@rules.predicate
def can_write(user) -> bool:
    """Every role but the read-only viewer."""
    return _active(user) and not user.is_read_only


@rules.predicate
def is_admin(user) -> bool:
    return _active(user) and (user.is_superuser or user.role == Role.ADMIN)


@rules.predicate
def sees_the_whole_program(user) -> bool:
    """Admin, program owner and viewer."""
    return sees_every_account(user)


@rules.predicate
def is_executive_sponsor_only(user) -> bool:
    """An executive sponsor who does not also run the program."""
    return _active(user) and user.role == Role.EXECUTIVE and not user.runs_the_program


@rules.predicate
def works_on_the_account(user, account) -> bool:
    """The program (owner, admin) anywhere; the account's AE and CSM and its live sponsor on that account."""
    return account is not None and editable_accounts(user).filter(pk=account.pk).exists()


@rules.predicate
def is_csm_of(user, account) -> bool:
    return _active(user) and account is not None and account.csm_id is not None and account.csm_id == user.pk


@rules.predicate
def is_sponsor_of(user, sponsorship) -> bool:
    return _active(user) and sponsorship.executive.user_id == user.pk


@rules.predicate
def is_account_team_of(user, sponsorship) -> bool:
    """The sponsorship's account's AE (its owner) or CSM."""
    account = sponsorship.account
    return _active(user) and user.pk in (account.owner_id, account.csm_id)


@rules.predicate
def is_the_executive(user, executive) -> bool:
    """`executive` (an Executive) is the signed-in user's own executive record."""
    return bool(_active(user) and executive is not None and executive.user_id == user.pk)


@rules.predicate
def is_themself(user, person) -> bool:
    return _active(user) and person is not None and person.pk == user.pk


@rules.predicate
def is_the_system_user(user) -> bool:
    """Who the command line (without --user) and the background jobs act as."""
    return _active(user) and user.is_system


@rules.predicate
def owns_the_task(user, task) -> bool:
    return _active(user) and task.owner_id == user.pk


@rules.predicate
def may_change_the_account_of(user, thing) -> bool:
    """`thing` (a task, a playbook run) is on an account `user` may change."""
    return thing.account_id is not None and editable_accounts(user).filter(pk=thing.account_id).exists()


@rules.predicate
def may_see_the_account_of(user, thing) -> bool:
    return thing.account_id is not None and can_see_account(user, thing.account_id)


@rules.predicate
def is_read_only(user) -> bool:
    return _active(user) and user.is_read_only


# Permissions. `refusal` is what `require` says when the user lacks one ({to}: what they tried; {obj}: the object).


@dataclass(frozen=True)
class Refusal:
    text: str
    to: str = ""


REFUSALS: dict[str, Refusal] = {}


def _perm(name: str, predicate, refusal: str, *, to: str = "") -> None:
    rules.add_perm(name, predicate)
    REFUSALS[name] = Refusal(refusal, to)


PROGRAM = "Only the program owner or an admin may {to}"
READ_ONLY = "Your role is read-only: you can look, not change"

_perm("execsponsor.run_program", runs_the_program, PROGRAM, to="run the program")
_perm("execsponsor.import_data", runs_the_program, "Only the program owner and admins import data")
_perm(
    "execsponsor.view_program_results",  # owner, admin, viewer
    sees_the_whole_program,
    "Only the program owner, an admin or a viewer may {to}",
    to="see the program's results",
)
_perm("execsponsor.manage_users", is_admin, "Only an admin may {to}", to="manage people")
_perm("execsponsor.write", can_write, READ_ONLY)
_perm("execsponsor.import_calendar", can_write, "Your role is read-only: you cannot import a calendar")
# The account's details and contacts: the program everywhere, the AE and CSM on their own accounts; a sponsor
# logs engagements and edits the charter but leaves the account's details to the AE and CSM.
_perm(
    "execsponsor.change_account_records",
    can_write & ~is_executive_sponsor_only & works_on_the_account,
    "You may look at {obj}, not change it",
)
# Engagements, tasks and playbooks on an account: everyone who works on it, the sponsor included.
_perm("execsponsor.change_account", can_write & works_on_the_account, "You may look at {obj}, not change it")
# Outcomes and advocates are what the customer says and does: the sponsor hears them as often as the AE and
# CSM do, so all three record them on their account (unlike account details, which belong to the AE and CSM).
_perm(
    "execsponsor.record_outcomes",
    can_write & works_on_the_account,
    "Only the program, or the AE, CSM or sponsor of {obj}, records its outcomes and advocates",
)
_perm(
    "execsponsor.rate_account",
    can_write & (runs_the_program | is_csm_of),
    "Only the CSM of {obj}, the program owner or an admin rates it",
)
# A sponsorship's charter: the program, the sponsor and the account's AE and CSM (never a read-only role).
_perm(
    "execsponsor.edit_charter",
    can_write & (runs_the_program | is_sponsor_of | is_account_team_of),
    "Only the sponsor, the account's AE or CSM, the program owner or an admin change this charter",
)
# The alignment notes: the AE writes them up for the sponsor; the CSM and the program owner may help.
_perm(
    "execsponsor.write_alignment_notes",
    can_write & (runs_the_program | is_account_team_of),
    "Only the account's AE or CSM, the program owner or an admin write up the alignment",
)
# Tasks: their owner, the program and whoever may change the task's account see and change them.
_perm(
    "execsponsor.see_task",
    owns_the_task | sees_the_whole_program | may_see_the_account_of,
    "You may not see this task",
)
_perm(
    "execsponsor.change_task",
    can_write & (owns_the_task | runs_the_program | may_change_the_account_of),
    "You may not {to} “{obj.title}”: it is not your task and not on an account of yours",
    to="change",
)
_perm(
    "execsponsor.change_playbook_run",
    can_write & (runs_the_program | may_change_the_account_of),
    "You may not {to} this playbook run",
    to="change",
)
# A sponsorship's steps (program/lifecycle.py): approving and ending it are the program's decisions; its sponsor
# may also pause and resume it; its sponsor and its account's AE and CSM also move it on (introduced, active).
_perm(
    "execsponsor.decide_sponsorship",
    can_write & runs_the_program,
    "Only the program owner or an admin may {to} a sponsorship",
    to="approve or end",
)
_perm(
    "execsponsor.pause_sponsorship",
    can_write & (runs_the_program | is_sponsor_of),
    "Only the sponsor, the program owner or an admin may {to} a sponsorship",
    to="pause or resume",
)
_perm(
    "execsponsor.advance_sponsorship",
    can_write & (runs_the_program | is_sponsor_of | is_account_team_of),
    "Only the sponsor, the account's AE or CSM, the program owner or an admin move a sponsorship on",
)
# An executive's scorecard: the program's owners, admins and viewers, and the executive themself.
_perm(
    "execsponsor.view_scorecard",
    sees_the_whole_program | is_the_executive,
    "A sponsor sees their own scorecard only",
)
_perm(
    "execsponsor.create_api_token",  # for whom: oneself on the Tokens page; anyone at the command line
    is_themself | is_the_system_user,
    "You can create API tokens for yourself only",
)
_perm(
    "execsponsor.change_preferences",  # someone's notification settings: their own, or an admin's for anyone
    is_themself | is_admin,
    "You may change only your own notification settings",
)


def can(user, perm: str, obj=None) -> bool:
    """Whether `user` holds `perm` (on `obj`). For pages deciding what to offer; services call `require`.

    The predicates decide, for admins too (`User.has_perm` would let a superuser through anything)."""
    if perm not in REFUSALS:
        raise KeyError(f"{perm} is not one of our permissions (access/rules.py)")
    return user is not None and rules.has_perm(perm, user, obj)


def require(user, perm: str, obj=None, *, to: str = "", message: str = "") -> None:
    """Raise NotPermitted unless `user` holds `perm` (on `obj`). `None` is never a user: the command line and the
    jobs act as the system user, pages and the API as the signed-in user."""
    if user is None:
        raise NotPermitted("This acts as a real user: name one (the command line and jobs use the system user)")
    if not can(user, perm, obj):
        raise NotPermitted(message or _refusal_text(perm, obj, to))


def _refusal_text(perm: str, obj, to: str) -> str:
    refusal = REFUSALS[perm]
    return refusal.text.format(to=to or refusal.to, obj=obj)


def why_not(user, perm: str, obj=None, *, to: str = "") -> str:
    """What `require` would say to `user` for `perm` (on `obj`), or "" when they hold it: for a page that shows
    why a button is disabled. A user without any write right is told their role is read-only first."""
    if user is None or not user.is_authenticated:
        return "Sign in first"
    if can(user, perm, obj):
        return ""
    if not can(user, "execsponsor.write"):
        return READ_ONLY
    return _refusal_text(perm, obj, to)


def permission_required(perm: str, fn=None):
    """View decorator (`rules`'): 403 unless the signed-in user holds `perm` (on the object `fn` returns)."""
    if perm not in REFUSALS:
        raise KeyError(f"{perm} is not one of our permissions (access/rules.py)")
    return _rules_permission_required(perm, fn=fn, raise_exception=True)


# The alignment checklist has two sides, each ticked by one person; nobody ticks for another.


def ae_side_holder_id(sponsorship) -> int | None:
    """Who ticks the account team's side: the account's AE, or its CSM when it has no AE."""
    account = sponsorship.account
    return account.owner_id or account.csm_id


def alignment_side_of(user, sponsorship) -> str | None:
    """ "ae" or "sponsor": the side of the alignment checklist `user` ticks, if any."""
    if not can_write(user):
        return None
    if is_sponsor_of(user, sponsorship):
        return "sponsor"
    if user.pk == ae_side_holder_id(sponsorship):
        return "ae"
    return None
