"""The pages: Jobs (admins only), chat webhooks (admins only), and everyone's notification settings."""

from __future__ import annotations

import pytest

from execsponsor.jobs.recording import recorded
from execsponsor.notify.models import ChatWebhook, Notification, NotificationPreference
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["owner", "viewer", "sponsor", "ae", "csm"])
def test_only_admins_see_the_jobs_and_webhook_pages(cast, name):
    client = client_for(cast.user(name))
    assert client.get("/jobs/").status_code == 403
    assert client.get("/notifications/webhooks/").status_code == 403
    assert client.post("/notifications/webhooks/", {"name": "x", "url": "https://93.184.216.34/h"}).status_code == 403
    assert not ChatWebhook.objects.exists()


def test_the_jobs_page_shows_each_job_its_schedule_last_run_and_failures(cast):
    @recorded("cadence-sweep")
    def sweep():
        return {"sponsorships": 7, "overdue": 2}

    @recorded("notifications-digest")
    def broken():
        raise RuntimeError("SMTP server said no")

    sweep()
    with pytest.raises(RuntimeError):
        broken()
    Notification.objects.create(
        recipient=cast.sponsor, channel="email", kind="digest", subject="Your weekly digest", body="…",
        dedupe_key="digest:x", status="failed", attempts=5, last_error="451 Mailbox busy",
    )  # fmt: skip

    page = client_for(cast.admin).get("/jobs/")

    assert page.status_code == 200
    html = page.content.decode()
    for name, words in [
        ("cadence-sweep", "Every hour at :05"),
        ("health-recompute", "Every night at 02:30"),
        ("notifications-digest", "Every day at 07:00"),
        ("notifications-meeting-reminders", "Every 15 minutes"),
        ("notifications-task-notices", "Every 15 minutes"),
        ("notifications-deliver", "Every minute"),
    ]:
        assert f'data-job="{name}"' in html and words in html
    assert "sponsorships: 7" in html and "overdue: 2" in html  # PostgreSQL (jsonb) keeps its own key order
    assert "SMTP server said no" in html
    assert "451 Mailbox busy" in html and "Try again" in html


def test_an_admin_puts_a_failed_message_back_in_the_queue(cast):
    failed = Notification.objects.create(
        recipient=cast.sponsor, channel="email", kind="digest", subject="s", body="b", dedupe_key="digest:y",
        status="failed", attempts=5, last_error="451",
    )  # fmt: skip
    assert client_for(cast.owner).post(f"/notifications/{failed.pk}/retry/").status_code == 403
    response = client_for(cast.admin).post(f"/notifications/{failed.pk}/retry/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("pending", 0)


@pytest.mark.parametrize("name", ["admin", "owner", "viewer", "sponsor", "ae", "csm"])
def test_everyone_has_a_notification_settings_page_linked_from_the_menu(cast, name):
    client = client_for(cast.user(name))
    assert 'href="/settings/notifications/"' in client.get("/").content.decode()
    page = client.get("/settings/notifications/")
    assert page.status_code == 200
    html = page.content.decode()
    # The defaults: digest weekly by email, the rest by email.
    assert '<option value="weekly" selected>' in html
    assert html.count('<option value="email" selected>') == 4


def test_a_person_opts_out_of_the_digest_and_it_is_stored(cast):
    client = client_for(cast.sponsor)
    response = client.post(
        "/settings/notifications/",
        {"digest": "off", "digest_frequency": "weekly", "meeting_reminder": "email", "task_assigned": "email",
         "task_escalated": "off"},
    )  # fmt: skip
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=cast.sponsor)
    assert (preference.digest, preference.task_escalated, preference.meeting_reminder) == ("off", "off", "email")


def test_chat_without_a_channel_is_refused_with_a_clear_error(cast, resolver):
    resolver.answer("hooks.chat.example", "93.184.216.34")
    ChatWebhook.objects.create(name="#sponsors", url="https://hooks.chat.example/h")
    response = client_for(cast.sponsor).post(
        "/settings/notifications/",
        {"digest": "chat", "digest_frequency": "daily", "meeting_reminder": "email", "task_assigned": "email",
         "task_escalated": "email", "chat_webhook": ""},
    )  # fmt: skip
    assert response.status_code == 422
    assert "Pick the chat channel" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_bad_choice_is_a_form_error_not_a_500(cast):
    response = client_for(cast.sponsor).post("/settings/notifications/", {"digest": "pigeon"})
    assert response.status_code == 422


def test_an_admin_adds_tests_and_deactivates_a_webhook(cast, chat_server, resolver):
    resolver.answer("chat.ourco.example", "127.0.0.1")
    client = client_for(cast.admin)
    url = f"http://chat.ourco.example:{chat_server.port}/hooks/abc"

    refused = client.post("/notifications/webhooks/", {"name": "#sponsors", "url": url})
    assert refused.status_code == 422
    assert "http://" in refused.content.decode()

    refused = client.post("/notifications/webhooks/", {"name": "#sponsors", "url": url, "allow_http": "on"})
    assert refused.status_code == 422
    assert "loopback" in refused.content.decode()

    added = client.post(
        "/notifications/webhooks/", {"name": "#sponsors", "url": url, "allow_http": "on", "allow_private": "on"}
    )
    assert added.status_code == 302
    webhook = ChatWebhook.objects.get()
    assert (webhook.allow_http, webhook.allow_private, webhook.is_active) == (True, True, True)

    assert client.post(f"/notifications/webhooks/{webhook.pk}/test/").status_code == 302
    [got] = chat_server.received
    assert "#sponsors" in got.payload["text"] and got.headers["Host"] == f"chat.ourco.example:{chat_server.port}"

    client.post(f"/notifications/webhooks/{webhook.pk}/active/", {"active": "0"})
    webhook.refresh_from_db()
    assert not webhook.is_active
    assert "Reactivate" in client.get("/notifications/webhooks/").content.decode()


def test_a_failed_test_message_says_why(cast, chat_server):
    webhook = ChatWebhook.objects.create(
        name="#broken", url=f"http://127.0.0.1:{chat_server.port}/h", allow_http=True, allow_private=True
    )
    chat_server.status = 404
    response = client_for(cast.admin).post(f"/notifications/webhooks/{webhook.pk}/test/", follow=True)
    assert "did not arrive" in response.content.decode() and "answered 404" in response.content.decode()


def test_the_jobs_page_reads_the_same_number_of_queries_whatever_the_rows(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UserFactory

    def failed(count: int, start: int) -> None:
        for n in range(start, start + count):
            person = UserFactory(username=f"person{n}")
            Notification.objects.create(
                recipient=person, channel="email", kind="digest", subject="s", body="b", dedupe_key=f"d:{n}",
                status="failed", attempts=5, last_error="451",
            )  # fmt: skip

    client = client_for(cast.admin)
    failed(2, 0)
    client.get("/jobs/")  # warm: the tasks modules are imported once
    with CaptureQueriesContext(connection) as few:
        client.get("/jobs/")
    failed(10, 100)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/jobs/").content.decode().count("Try again") == 12
    assert len(many) == len(few)


def test_the_jobs_page_names_the_webhooks_that_failed_last_time(cast):
    ChatWebhook.objects.create(name="#fine", url="https://93.184.216.34/a")
    ChatWebhook.objects.create(name="#broken", url="https://93.184.216.34/b", last_error="answered 404")
    html = client_for(cast.admin).get("/jobs/").content.decode()
    assert "#broken" in html and "answered 404" in html
    assert "#fine" not in html


def test_the_django_admin_is_no_way_around_the_url_checks(cast):
    response = client_for(cast.admin).post(
        "/admin/notify/chatwebhook/add/",
        {"name": "#inside", "url": "https://169.254.169.254/latest", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "cloud metadata address" in response.content.decode()
    assert not ChatWebhook.objects.exists()
