"""Writes for our people: users, executives and API tokens. Each in one transaction."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from execsponsor.access.rules import require
from execsponsor.common.editing import apply_changes, check_unmodified, validate_and_attribute
from execsponsor.common.errors import InvalidInput, NotPermitted
from execsponsor.users.enablement import enablement_sync_keys
from execsponsor.users.invitations import MailNotSent, invitation_email_send
from execsponsor.users.models import ApiToken, Executive, Role, User

TOKEN_NAME_LENGTH = 100
USERNAME_LENGTH = User._meta.get_field("username").max_length
SYSTEM_USERNAME = "execsponsor-system"


def system_user() -> User:
    """Who the command line (without --user) and background jobs act as, named in every history row they
    write. An admin by role so the jobs may do their work, but it cannot sign in (no password, not in
    `User.objects`), holds no API token and does not count as an admin anywhere people are listed."""
    user, created = User.with_system.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"is_system": True, "role": Role.ADMIN, "first_name": "ExecSponsor", "last_name": "(system)"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str, by: User) -> tuple[ApiToken, str]:
    """Issue a token for `user`; returns it with the raw secret, which is shown once and never stored.

    `by`: the user themself (the Tokens page), or the system user (`esp token create`, run by an operator)."""
    if user.is_system:
        raise NotPermitted("The system user acts only inside ExecSponsor and cannot have API tokens")
    require(by, "execsponsor.create_api_token", user)
    if not user.is_active:
        raise InvalidInput(f"{user.username} is deactivated and cannot have API tokens")
    name = name.strip()
    if not name:
        raise InvalidInput("Give the token a name, e.g. the script or system that will use it", field="name")
    if len(name) > TOKEN_NAME_LENGTH:
        raise InvalidInput(f"The name is at most {TOKEN_NAME_LENGTH} characters", field="name")
    return ApiToken.issue(user=user, name=name)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token at once; requests carrying it are refused from now on. Revoking twice is harmless."""
    if token.user_id != by.pk:
        raise NotPermitted("You can revoke your own API tokens only")
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
    by: User,
) -> User:
    """Add one of our people. Without a password the user cannot sign in until one is set.

    `by`: an admin, or the system user (the command line, and the setup page that makes the first admin)."""
    _ensure_can_manage_users(by)
    if role not in Role.values:
        raise InvalidInput(f"role: {role!r} is not one of {', '.join(Role.values)}", field="role")
    if not username.strip():
        raise InvalidInput("username: give a user name", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(f"username: {username!r} is taken", field="username")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(f"email: {email!r} is not an email address", field="email") from None
    user = User(username=username, role=role, email=email, first_name=first_name, last_name=last_name)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise InvalidInput("password: " + " ".join(exc.messages), field="password") from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user._history_user = by
    user.save()
    return user


def _validated_email(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(f"email: {email!r} is not an email address", field="email") from None
    return email


def _ensure_can_manage_users(by: User) -> None:
    require(by, "execsponsor.manage_users", message="Only an admin manages people")


@transaction.atomic
def first_admin_create(*, username: str, email: str, first_name: str, last_name: str, password: str) -> User:
    """The very first user of a new install, made from the setup page; refused once anyone exists."""
    if User.objects.select_for_update().exists():
        raise NotPermitted("ExecSponsor is already set up: sign in, or ask an admin for an invitation")
    user = user_create(
        username=username,
        role=Role.ADMIN,
        email=_validated_email(email),
        first_name=first_name,
        last_name=last_name,
        password=password,
        by=system_user(),  # nobody is signed in yet: the setup page acts as the system
    )
    return user


def _ensure_not_the_last_admin(user: User) -> None:
    if user.role != Role.ADMIN or not user.is_active:
        return
    others = User.objects.select_for_update().filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk)
    if not others.exists():
        raise InvalidInput(f"{user} is the last active admin; make someone else an admin first")


def _ensure_may_change(*, user: User, by: User) -> None:
    _ensure_can_manage_users(by)
    if user.pk == by.pk:
        raise NotPermitted("You cannot change your own role or deactivate yourself; ask another admin")


@transaction.atomic
def user_role_change(*, user: User, role: str, by: User) -> User:
    _ensure_may_change(user=user, by=by)
    if role not in Role.values:
        raise InvalidInput(f"role: {role!r} is not one of {', '.join(Role.values)}", field="role")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.role == role:
        return user
    if role != Role.ADMIN:
        _ensure_not_the_last_admin(user)
    user.role = role
    user._history_user = by
    user.save()
    return user


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> User:
    """Deactivated people cannot sign in and their API tokens stop working; their history stays."""
    _ensure_may_change(user=user, by=by)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return user
    _ensure_not_the_last_admin(user)
    user.is_active = False
    user._history_user = by
    user.save()
    return user


@transaction.atomic
def user_reactivate(*, user: User, by: User) -> User:
    _ensure_may_change(user=user, by=by)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        user.is_active = True
        user._history_user = by
        user.save()
    return user


def _site(base_url: str | None) -> str:
    return base_url or settings.SITE_URL


def invitation_send(*, user: User, by: User, base_url: str | None = None) -> None:
    """Email `user` a link to set their password. For people who have none yet (invited or imported)."""
    _ensure_can_manage_users(by)
    if not user.is_active:
        raise InvalidInput(f"{user} is deactivated: reactivate them before inviting them")
    if user.has_usable_password():
        raise InvalidInput(f"{user} already has a password; they can use “Forgot your password?” on the sign-in page")
    if not user.email:
        raise InvalidInput(f"{user} has no email address to send the invitation to")
    invitation_email_send(user=user, invited_by=by, base_url=_site(base_url))


def invitations_send(*, users: Iterable[User], by: User, base_url: str | None = None) -> tuple[int, list[str]]:
    """Invite several people at once; returns how many were invited and why the others were not."""
    _ensure_can_manage_users(by)
    sent, skipped = 0, []
    for user in users:
        try:
            invitation_send(user=user, by=by, base_url=base_url)
        except MailNotSent:
            raise  # the server is down for everyone: say so once
        except InvalidInput as exc:
            skipped.append(exc.message)
        else:
            sent += 1
    return sent, skipped


def user_invite(
    *, by: User, email: str, role: str, first_name: str = "", last_name: str = "", base_url: str | None = None
) -> User:
    """Add someone by email (their username) and send them an invitation to set a password."""
    _ensure_can_manage_users(by)
    email = _validated_email(email)
    if len(email) > USERNAME_LENGTH:
        raise InvalidInput(
            f"email: the address is the username, so at most {USERNAME_LENGTH} characters", field="email"
        )
    if User.objects.filter(email__iexact=email).exists():
        raise InvalidInput(f"email: {email} already belongs to someone; invite them from the list", field="email")
    user = user_create(username=email, role=role, email=email, first_name=first_name, last_name=last_name, by=by)
    # Sent after the commit: a mail server that is down must not lose the new user.
    try:
        invitation_send(user=user, by=by, base_url=base_url)
    except MailNotSent as exc:
        raise MailNotSent(f"{user.email} is added, but {exc.message[0].lower()}{exc.message[1:]}") from None
    return user


# ---- executives


CAPACITY_LIMIT = 20
EXECUTIVE_FIELDS = frozenset(
    {
        "function",
        "level",
        "reports_to_id",
        "industries",
        "regions",
        "languages",
        "time_zone",
        "working_style",
        "capacity_min",
        "capacity_max",
        "customer_facing",
        "enablement",
        "is_active",
        "departed_on",
    }
)


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _clean_labels(name: str, values: Any) -> list[str]:
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise InvalidInput(f"{name}: give a list of names", field=name)
    cleaned = []
    for value in (v.strip() for v in values):
        if len(value) > 100:
            raise InvalidInput(f"{name}: {value[:20]!r}… is longer than 100 characters", field=name)
        if value and value not in cleaned:
            cleaned.append(value)
    return cleaned


def executive_profile_check(executive: Executive) -> None:
    """The rules the form, the API and the import share, in words people understand."""
    for name in ("industries", "regions", "enablement"):
        setattr(executive, name, _clean_labels(name, getattr(executive, name)))
    executive.languages = [code.lower() for code in _clean_labels("languages", executive.languages)]
    if executive.time_zone not in _time_zones():
        raise InvalidInput(
            f"time_zone: {executive.time_zone!r} is not a time zone such as Europe/Berlin", field="time_zone"
        )
    for name in ("capacity_min", "capacity_max"):
        value = getattr(executive, name)
        if not isinstance(value, int) or not 0 <= value <= CAPACITY_LIMIT:
            raise InvalidInput(f"{name}: give a whole number from 0 to {CAPACITY_LIMIT}", field=name)
    if executive.capacity_min > executive.capacity_max:
        raise InvalidInput(
            f"capacity_min: the minimum ({executive.capacity_min}) is above the maximum ({executive.capacity_max})",
            field="capacity_min",
        )
    _check_reports_to(executive)


def _check_reports_to(executive: Executive) -> None:
    if executive.reports_to_id is None:
        return
    if not Executive.objects.filter(pk=executive.reports_to_id).exists():
        raise InvalidInput(
            f"reports_to_id: there is no executive with id {executive.reports_to_id}", field="reports_to_id"
        )
    manager_id, seen = executive.reports_to_id, {executive.pk}
    while manager_id is not None:
        if manager_id in seen:
            raise InvalidInput("reports_to_id: that would make a reporting loop", field="reports_to_id")
        seen.add(manager_id)
        manager_id = Executive.objects.filter(pk=manager_id).values_list("reports_to_id", flat=True).first()


@transaction.atomic
def executive_create(*, by: User, user: User, fields: dict[str, Any]) -> Executive:
    """Give one of our people an executive profile, so they can sponsor accounts.

    A viewer (the role imported people start with) becomes an executive sponsor; other roles keep theirs.
    """
    require(by, "execsponsor.run_program", to="add executives")
    unknown = set(fields) - EXECUTIVE_FIELDS
    if unknown:
        raise InvalidInput(f"{', '.join(sorted(unknown))}: not a field of an executive")
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise InvalidInput(f"user_id: {user} is deactivated", field="user_id")
    if Executive.objects.filter(user=user).exists():
        raise InvalidInput(f"user_id: {user} is already an executive; edit their profile instead", field="user_id")
    executive = Executive(user=user)
    apply_changes(executive, fields)
    executive_profile_check(executive)
    validate_and_attribute(executive, by=by)
    executive.save()
    if executive.enablement:
        enablement_sync_keys(executive=executive, by=by)
    if user.role == Role.VIEWER:
        user.role = Role.EXECUTIVE
        user._history_user = by
        user.save(update_fields=["role"])
    return executive


@transaction.atomic
def executive_update(
    *, executive: Executive, by: User, changes: dict[str, Any], expected_updated_at: dt.datetime | None = None
) -> Executive:
    require(by, "execsponsor.run_program", to="change executives")
    unknown = set(changes) - EXECUTIVE_FIELDS
    if unknown:
        raise InvalidInput(f"{', '.join(sorted(unknown))}: not a field of an executive")
    executive = Executive.objects.select_for_update().select_related("user").get(pk=executive.pk)
    check_unmodified(current=executive.updated_at, expected=expected_updated_at, what="executive")
    if changed := apply_changes(executive, changes):
        executive_profile_check(executive)
        validate_and_attribute(executive, by=by, changed=changed)
        executive.save()
        if "enablement" in changed:
            enablement_sync_keys(executive=executive, by=by)
    return executive
