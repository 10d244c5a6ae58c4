"""API: each person reads and replaces their own notification settings."""

from __future__ import annotations

import json

import pytest

from execsponsor.notify.models import ChatWebhook, NotificationPreference
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

PATH = "/api/v1/me/notification-preferences"


def put(client: ApiClient, body):
    return client.client.put(PATH, json.dumps(body), content_type="application/json")


def test_the_defaults_until_changed_then_what_was_chosen(cast):
    client = ApiClient(cast.ae)
    assert client.get("/me/notification-preferences").json() == {
        "digest": "email", "digest_frequency": "weekly", "meeting_reminder": "email", "task_assigned": "email",
        "task_escalated": "email", "chat_webhook_id": None,
    }  # fmt: skip
    response = put(client, {"digest": "off", "task_assigned": "off"})
    assert response.status_code == 200
    assert response.json()["digest"] == "off" and response.json()["meeting_reminder"] == "email"
    assert NotificationPreference.objects.get(user=cast.ae).task_assigned == "off"
    assert not NotificationPreference.objects.filter(user=cast.csm).exists()  # only their own


def test_chat_needs_an_active_channel_and_bad_values_are_422(cast):
    client = ApiClient(cast.sponsor)
    off = ChatWebhook.objects.create(name="#old", url="https://93.184.216.34/h", is_active=False)
    assert put(client, {"digest": "chat"}).status_code == 422
    assert put(client, {"digest": "chat", "chat_webhook_id": off.pk}).status_code == 422
    assert put(client, {"digest": "pigeon"}).status_code == 422
    on = ChatWebhook.objects.create(name="#sponsors", url="https://93.184.216.34/h")
    response = put(client, {"digest": "chat", "chat_webhook_id": on.pk})
    assert response.status_code == 200 and response.json()["chat_webhook_id"] == on.pk
