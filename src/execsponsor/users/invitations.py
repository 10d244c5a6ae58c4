"""Invitation links: Django's password-reset tokens, salted apart, so one link sets a first password once."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Valid for PASSWORD_RESET_TIMEOUT; spent as soon as the password is set (the hash covers it)."""

    key_salt = "execsponsor.users.invitations.InvitationTokenGenerator"


invitation_token = InvitationTokenGenerator()


def invitation_link(*, user, base_url: str) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("invitation_accept", kwargs={"uidb64": uidb64, "token": invitation_token.make_token(user)})
    return base_url.rstrip("/") + path


def invitation_email_send(*, user, invited_by, base_url: str) -> None:
    context = {
        "user": user,
        "invited_by": invited_by,
        "link": invitation_link(user=user, base_url=base_url),
        "valid_days": max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1),
        "username": user.username,
    }
    send_mail(
        subject="You are invited to ExecSponsor",
        message=render_to_string("users/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
