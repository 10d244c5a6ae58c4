"""The digest, received by a real SMTP server on loopback: its content, opting out, and sent once."""

from __future__ import annotations

import pytest

from execsponsor.jobs.models import JobRun
from execsponsor.notify import composing, delivery, services
from execsponsor.notify.models import Notification
from execsponsor.notify.tasks import notifications_digest
from execsponsor.signals.models import Alert, AlertType
from tests.factories import AccountFactory, UserFactory
from tests.notify.people import busy_sponsor, calm_sponsorship

pytestmark = pytest.mark.django_db

PREFERENCES_LINK = "https://esp.example.com/settings/notifications/"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://esp.example.com"


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_the_weekly_digest_tells_the_sponsor_of_their_cold_sponsorship_tasks_and_alerts(mailbox):
    sam = busy_sponsor()
    calm_sponsorship(sam.executive)
    elsewhere = AccountFactory(name="Evergreen Energy")
    Alert.objects.create(type=AlertType.RISK, account=elsewhere, reason="Evergreen's champion left")

    notifications_digest.call_local()

    [message] = mailbox.wait_for(1)
    assert message["To"] == "sam.sponsor@ourco.example"
    assert message["Subject"].startswith("Your weekly digest")
    body = body_of(message)
    assert "Blue Harbor Bank" in body
    assert "16 days overdue" in body  # approved 30 days ago, due every 14
    assert "Fresh Co" not in body  # on track: not going cold
    assert "Send the QBR agenda to Blue Harbor Bank" in body
    assert "Introduce our CTO to their CIO" in body
    assert body.index("Overdue:") < body.index("Introduce our CTO") < body.index("Due this week:")
    assert "A task already done" not in body
    assert "Champion left Blue Harbor Bank" in body
    assert "An alert from last month" not in body  # not new this week
    assert "Evergreen" not in body  # not an account Sam may see
    assert PREFERENCES_LINK in body
    assert "https://esp.example.com/accounts/" in body
    run = JobRun.objects.get(name="notifications-digest")
    assert run.outcome == "ok" and run.summary["queued"] == 1


def test_running_the_digest_twice_sends_it_once(mailbox):
    busy_sponsor()
    notifications_digest.call_local()
    notifications_digest.call_local()
    delivery.notifications_deliver()
    mailbox.wait_for(1)
    assert len(mailbox.messages) == 1
    assert Notification.objects.filter(kind="digest").count() == 1
    assert (
        JobRun.objects.filter(name="notifications-digest").order_by("started_at").last().summary["already_queued"] == 1
    )


def test_someone_who_opted_out_receives_nothing(mailbox):
    sam = busy_sponsor()
    quiet = busy_sponsor("quinn.quiet", account_name="Cobalt Health Systems")
    weekly_off = busy_sponsor("wendy.off", account_name="Delta Retail Group")
    services.preferences_save(user=quiet, by=quiet, digest="off", digest_frequency="weekly")
    services.preferences_save(user=weekly_off, by=weekly_off, digest="email", digest_frequency="off")

    notifications_digest.call_local()

    [message] = mailbox.wait_for(1)
    assert message["To"] == sam.email
    assert not Notification.objects.filter(recipient__in=[quiet, weekly_off]).exists()


def test_a_daily_digest_goes_every_day_and_a_weekly_one_once_a_week(mailbox):
    import datetime as dt

    daily = busy_sponsor("dana.daily")
    services.preferences_save(user=daily, by=daily, digest="email", digest_frequency="daily")
    weekly = busy_sponsor("wes.weekly", account_name="Cobalt Health Systems")
    monday = dt.date(2026, 11, 30)
    for day in range(3):  # Monday to Wednesday of one ISO week
        composing.digests_queue(today=monday + dt.timedelta(days=day))
    assert Notification.objects.filter(recipient=daily).count() == 3
    assert Notification.objects.filter(recipient=weekly).count() == 1
    composing.digests_queue(today=monday + dt.timedelta(days=7))
    assert Notification.objects.filter(recipient=weekly).count() == 2


def test_nobody_gets_an_empty_digest(mailbox):
    UserFactory(username="nina.new", email="nina@ourco.example")  # a viewer with nothing going on
    summary = composing.digests_queue()
    assert summary["queued"] == 0 and summary["nothing_to_say"] >= 1
    assert Notification.objects.count() == 0
