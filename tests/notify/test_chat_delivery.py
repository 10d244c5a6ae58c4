"""A person who chose chat gets their messages posted to the chat webhook, received by a real HTTP server."""

from __future__ import annotations

import pytest

from execsponsor.notify import composing, delivery, services
from execsponsor.notify.models import ChatWebhook, Notification
from execsponsor.users.models import Role
from tests.factories import UserFactory
from tests.notify.people import busy_sponsor

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    """An admin who sees every account, so would get a digest too: off, to keep these tests to Sam's."""
    ada = UserFactory(username="ada.admin", role=Role.ADMIN)
    services.preferences_save(user=ada, by=ada, digest="off")
    return ada


@pytest.fixture
def loopback_allowed(settings):
    """This test's chat server is on loopback over plain http: allowed for the test only."""
    settings.ESP_WEBHOOK_ALLOW_HTTP = True
    settings.ESP_WEBHOOK_ALLOW_PRIVATE = True
    settings.SITE_URL = "https://esp.example.com"


def test_the_digest_is_posted_to_the_chosen_chat_webhook(chat_server, loopback_allowed, admin):
    webhook = services.chat_webhook_save(
        by=admin, name="#exec-sponsors", url=f"http://127.0.0.1:{chat_server.port}/services/T0/B0/x"
    )
    sam = busy_sponsor()
    services.preferences_save(user=sam, by=sam, digest="chat", digest_frequency="weekly", chat_webhook=webhook)

    composing.digests_queue()
    assert delivery.notifications_deliver()["sent"] == 1

    [got] = chat_server.received
    assert got.path == "/services/T0/B0/x"
    assert got.headers["Content-Type"] == "application/json"
    text = got.payload["text"]
    assert text.startswith("*Your weekly digest")
    assert "Blue Harbor Bank" in text and "Introduce our CTO to their CIO" in text
    assert "https://esp.example.com/settings/notifications/" in text
    webhook.refresh_from_db()
    assert webhook.last_used_at is not None and webhook.last_error == ""


def test_a_webhook_that_answers_500_is_retried_and_its_error_kept(chat_server, loopback_allowed, admin):
    webhook = services.chat_webhook_save(by=admin, name="#sponsors", url=f"http://127.0.0.1:{chat_server.port}/h")
    sam = busy_sponsor()
    services.preferences_save(user=sam, by=sam, digest="chat", digest_frequency="weekly", chat_webhook=webhook)
    chat_server.status = 500
    composing.digests_queue()
    assert delivery.notifications_deliver()["retrying"] == 1
    notification = Notification.objects.get()
    assert "answered 500" in notification.last_error and notification.attempts == 1
    webhook.refresh_from_db()
    assert "answered 500" in webhook.last_error


def test_a_webhook_url_that_became_private_is_not_called_at_send(chat_server, resolver, connections, admin, settings):
    settings.ESP_WEBHOOK_ALLOW_HTTP = True
    resolver.answer("hooks.rebinding.example", "93.184.216.34", "10.0.0.8")
    webhook = services.chat_webhook_save(by=admin, name="#sponsors", url="http://hooks.rebinding.example/h")
    sam = busy_sponsor()
    services.preferences_save(user=sam, by=sam, digest="chat", digest_frequency="weekly", chat_webhook=webhook)
    composing.digests_queue()
    assert delivery.notifications_deliver()["retrying"] == 1
    assert "10.0.0.8" in Notification.objects.get().last_error
    assert connections == []


def test_only_an_admin_adds_a_webhook_and_a_private_url_is_refused_at_save(admin):
    from execsponsor.common.errors import InvalidInput, NotPermitted

    owner = UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER)
    with pytest.raises(NotPermitted):
        services.chat_webhook_save(by=owner, name="x", url="https://93.184.216.34/h")
    with pytest.raises(InvalidInput, match="private"):
        services.chat_webhook_save(by=admin, name="x", url="https://10.1.1.1/h")
    assert not ChatWebhook.objects.exists()


def test_when_the_chosen_channel_is_switched_off_the_messages_come_by_email(chat_server, loopback_allowed, admin):
    webhook = services.chat_webhook_save(by=admin, name="#sponsors", url=f"http://127.0.0.1:{chat_server.port}/h")
    sam = busy_sponsor()
    services.preferences_save(user=sam, by=sam, digest="chat", digest_frequency="weekly", chat_webhook=webhook)
    services.chat_webhook_set_active(webhook=webhook, active=False, by=admin)
    composing.digests_queue()
    notification = Notification.objects.get()
    assert (notification.channel, notification.webhook) == ("email", None)
