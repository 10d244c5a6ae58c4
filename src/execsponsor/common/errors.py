"""Domain errors raised by services; the edges (API, pages, CLI) turn them into a 4xx, a form error or a message."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A request that the domain refuses, with a message for people."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """The input is well-formed but breaks a rule (a contact of another account, an unknown user …)."""


class ConcurrentEdit(DomainError):
    """Someone else changed the record since the caller read it."""


class NotPermitted(DomainError, PermissionDenied):
    """The user may see the record but not make this change (a 403 on pages too)."""
