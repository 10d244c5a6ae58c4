"""Writes for our people: users and their API tokens. Each in one transaction."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from execsponsor.common.errors import InvalidInput, NotPermitted
from execsponsor.users.models import ApiToken, Role, User

TOKEN_NAME_LENGTH = 100


@transaction.atomic
def api_token_create(*, user: User, name: str, by: User | None = None) -> tuple[ApiToken, str]:
    """Issue a token for `user`; returns it with the raw secret, which is shown once and never stored."""
    if by is not None and by.pk != user.pk:
        raise NotPermitted("You can create API tokens for yourself only")
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
    *, username: str, role: str, email: str = "", first_name: str = "", last_name: str = "", password: str | None = None
) -> User:
    """Add one of our people. Without a password the user cannot sign in until one is set."""
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
    user.save()
    return user
