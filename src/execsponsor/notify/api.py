"""API v1: the signed-in person's own notification settings (read and replace)."""

from __future__ import annotations

from typing import Literal

from ninja import Router, Schema

from execsponsor.common.errors import InvalidInput
from execsponsor.notify import selectors, services
from execsponsor.notify.models import NotificationPreference
from execsponsor.schemas import ERROR_RESPONSES, InputSchema

router = Router(tags=["notifications"])

DeliveryChoice = Literal["email", "chat", "off"]


class PreferencesSchema(Schema):
    """Every kind: email, chat or off; a field left out of a PUT goes back to its default."""

    digest: DeliveryChoice = "email"
    digest_frequency: Literal["weekly", "daily", "off"] = "weekly"
    meeting_reminder: DeliveryChoice = "email"
    task_assigned: DeliveryChoice = "email"
    task_escalated: DeliveryChoice = "email"
    chat_webhook_id: int | None = None


class PreferencesIn(PreferencesSchema, InputSchema):
    pass


def _out(preference: NotificationPreference) -> PreferencesSchema:
    return PreferencesSchema(
        digest=preference.digest,
        digest_frequency=preference.digest_frequency,
        meeting_reminder=preference.meeting_reminder,
        task_assigned=preference.task_assigned,
        task_escalated=preference.task_escalated,
        chat_webhook_id=preference.chat_webhook_id,
    )


@router.get("/me/notification-preferences", response={200: PreferencesSchema, **ERROR_RESPONSES})
def preferences_get(request):
    """What the signed-in person receives, and where (the defaults until they change them)."""
    return _out(selectors.preference_for(request.user))


@router.put("/me/notification-preferences", response={200: PreferencesSchema, **ERROR_RESPONSES})
def preferences_put(request, payload: PreferencesIn):
    """Replace the signed-in person's settings; `chat` needs `chat_webhook_id` of an active chat channel."""
    choices = payload.model_dump(exclude={"chat_webhook_id"})
    webhook = None
    if payload.chat_webhook_id is not None:
        webhook = selectors.active_chat_webhooks().filter(pk=payload.chat_webhook_id).first()
        if webhook is None:
            raise InvalidInput("chat_webhook_id: there is no active chat channel with that id", field="chat_webhook_id")
    return _out(services.preferences_save(user=request.user, by=request.user, chat_webhook=webhook, **choices))
