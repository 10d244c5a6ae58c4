"""Invitation links: Django's password-reset tokens, salted apart, so one link sets a first password once."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from execsponsor.common.errors import DomainError

MAIL_FAILURES = (OSError, smtplib.SMTPException)


class MailNotSent(DomainError):
    """The mail server could not be reached or refused the message."""


def mail_failure_message() -> str:
    return (
        f"The email could not be sent: the mail server at {settings.EMAIL_HOST}:{settings.EMAIL_PORT} did not "
        "accept it. Check EMAIL_HOST and the other email settings (docs/people.md), then try again."
    )


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
    try:
        send_mail(
            subject="You are invited to ExecSponsor",
            message=render_to_string("users/email/invitation.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    except MAIL_FAILURES:
        raise MailNotSent(mail_failure_message()) from None
