"""Shared steps of every update service: optimistic concurrency, applying changes, history attribution."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from execsponsor.common.errors import ConcurrentEdit, InvalidInput, NotPermitted


def _to_millisecond(moment: dt.datetime) -> dt.datetime:
    # Clients (JavaScript's Date, spreadsheets) often keep only milliseconds of the value we sent.
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def require_expected_updated_at(expected: dt.datetime | None, *, current: dt.datetime | None, what: str) -> None:
    """The API's writes name the version they read: a PATCH without expected_updated_at is refused (409)."""
    if expected is None:
        now = f" (now {current.isoformat()})" if current else ""
        raise ConcurrentEdit(
            f"Send expected_updated_at: the updated_at of the {what} you read{now}, so that a change made since "
            "is not overwritten."
        )


def check_unmodified(*, current: dt.datetime | None, expected: dt.datetime | None, what: str) -> None:
    """Refuse the write when `what` changed after the caller read it (`expected` is the updated_at they saw)."""
    if expected is None or current is None:
        return
    if expected.tzinfo is None:
        raise InvalidInput("expected_updated_at needs a time zone, as the API sends it", field="expected_updated_at")
    if _to_millisecond(current) != _to_millisecond(expected):
        raise ConcurrentEdit(
            f"Concurrent edits detected: the {what} was changed at {current.isoformat()}, after the version you "
            f"read ({expected.isoformat()}). Reload it, reapply your change and send the new updated_at."
        )


def apply_changes(instance: models.Model, changes: dict[str, Any]) -> list[str]:
    """Set the given fields on `instance`; null clears text fields to "". Returns the names of changed fields."""
    changed = []
    for name, value in changes.items():
        field = next(f for f in instance._meta.concrete_fields if name in (f.name, f.attname))
        if value is None and isinstance(field, models.CharField | models.TextField) and not field.null:
            value = ""
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def validate_and_attribute(instance: models.Model, *, by, changed: list[str] | None = None) -> None:
    """Run the model's own validation (choices, sizes, constraints) and record who made the change.

    On an update pass `changed`: only those fields are checked, so that an old imperfect value elsewhere
    (an imported email Django would not accept today) does not block an unrelated edit.

    `by` is a real user (the command line and jobs: the system user): history never says "nobody"."""
    if by is None:
        raise NotPermitted("A change is made by a real user: name one (the command line and jobs use the system user)")
    _ensure_external_id_is_free(instance)
    exclude = None
    if changed is not None:
        exclude = [f.name for f in instance._meta.concrete_fields if f.name not in changed and f.attname not in changed]
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise InvalidInput(_first_message(exc)) from exc
    instance._history_user = by


def _first_message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def _ensure_external_id_is_free(instance: models.Model) -> None:
    external_id = getattr(instance, "external_id", "")
    if not external_id:
        return
    taken = type(instance)._default_manager.filter(source=instance.source, external_id=external_id)
    if taken.exclude(pk=instance.pk).exists():
        raise InvalidInput(
            f"external_id: {instance.source} id {external_id!r} already exists on another "
            f"{instance._meta.verbose_name}; update that one instead",
            field="external_id",
        )
