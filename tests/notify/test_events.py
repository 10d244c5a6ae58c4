"""Reminders before sponsor meetings, and notices of tasks assigned and escalated: each sent once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from execsponsor.notify import composing, delivery, services
from execsponsor.notify.models import Notification
from execsponsor.notify.tasks import notifications_meeting_reminders, notifications_task_notices
from execsponsor.playbooks.models import Task
from execsponsor.users.models import Role
from execsponsor.users.services import system_user
from tests.factories import AccountFactory, EngagementFactory, ExecutiveFactory, SponsorshipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://esp.example.com"


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def sponsorship(db):
    executive = ExecutiveFactory(user__username="sam.sponsor", user__email="sam@ourco.example", user__time_zone="UTC")
    return SponsorshipFactory(account=AccountFactory(name="Blue Harbor Bank"), executive=executive)


def test_the_sponsor_is_reminded_before_a_meeting_with_a_link_to_the_account(mailbox, sponsorship):
    soon = timezone.now() + dt.timedelta(hours=20)
    EngagementFactory(
        account=sponsorship.account, sponsorship=sponsorship, occurred_at=soon, subject="EBR with the CFO"
    )
    EngagementFactory(
        account=sponsorship.account, sponsorship=sponsorship, occurred_at=soon + dt.timedelta(days=3), subject="Later"
    )

    notifications_meeting_reminders.call_local()
    notifications_meeting_reminders.call_local()

    [message] = mailbox.wait_for(1)
    assert message["To"] == "sam@ourco.example"
    assert "Blue Harbor Bank" in message["Subject"] and "EBR with the CFO" in message["Subject"]
    body = body_of(message)
    assert f"https://esp.example.com/accounts/{sponsorship.account_id}/" in body
    assert f"{soon:%H:%M}" in body
    assert "https://esp.example.com/settings/notifications/" in body
    assert Notification.objects.filter(kind="meeting_reminder").count() == 1


def test_a_moved_meeting_is_reminded_again_and_an_opted_out_sponsor_never(mailbox, sponsorship):
    meeting = EngagementFactory(
        account=sponsorship.account, sponsorship=sponsorship, occurred_at=timezone.now() + dt.timedelta(hours=5)
    )
    composing.meeting_reminders_queue()
    meeting.occurred_at += dt.timedelta(hours=2)
    meeting.save()
    composing.meeting_reminders_queue()
    assert Notification.objects.filter(kind="meeting_reminder").count() == 2
    sam = sponsorship.executive.user
    services.preferences_save(user=sam, by=sam, meeting_reminder="off")
    meeting.occurred_at += dt.timedelta(hours=1)
    meeting.save()
    assert composing.meeting_reminders_queue()["opted_out"] == 1
    assert Notification.objects.filter(kind="meeting_reminder").count() == 2


def test_a_new_task_is_announced_to_its_owner_once_and_again_when_reassigned(mailbox):
    alex = UserFactory(username="alex.ae", role=Role.ACCOUNT_EXECUTIVE, email="alex@ourco.example")
    casey = UserFactory(username="casey.csm", role=Role.CSM, email="casey@ourco.example")
    account = AccountFactory(name="Cobalt Health Systems", owner=alex)
    task = Task.objects.create(
        owner=alex, account=account, title="Book the alignment meeting", due_on=timezone.localdate()
    )

    notifications_task_notices.call_local()
    notifications_task_notices.call_local()
    [first] = mailbox.wait_for(1)
    assert first["To"] == "alex@ourco.example" and "Book the alignment meeting" in first["Subject"]
    assert f"https://esp.example.com/accounts/{account.pk}/" in body_of(first)

    task.owner, task.assigned_at = casey, timezone.now()
    task.save()
    notifications_task_notices.call_local()
    mailbox.wait_for(2)
    assert [m["To"] for m in mailbox.messages] == ["alex@ourco.example", "casey@ourco.example"]
    keys = sorted(Notification.objects.values_list("dedupe_key", flat=True))
    assert keys[0].startswith(f"task-assigned:{task.pk}:{alex.pk}:")
    assert keys[1].startswith(f"task-assigned:{task.pk}:{casey.pk}:")


def test_an_escalated_task_reaches_the_program_owner(mailbox):
    olivia = UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER, email="olivia@ourco.example")
    alex = UserFactory(username="alex.ae", role=Role.ACCOUNT_EXECUTIVE, email="alex@ourco.example")
    services.preferences_save(user=alex, by=alex, task_assigned="off")
    Task.objects.create(
        owner=alex,
        title="Send the renewal plan",
        due_on=timezone.localdate() - dt.timedelta(days=5),
        assigned_at=timezone.now() - dt.timedelta(days=9),
        escalated_at=timezone.now(),
    )
    composing.task_notices_queue()
    composing.task_notices_queue()
    delivery.notifications_deliver()
    [message] = mailbox.wait_for(1)
    assert message["To"] == olivia.email
    assert "Send the renewal plan" in message["Subject"]
    assert str(alex) in body_of(message)


def test_an_executive_s_escalated_task_also_reaches_their_manager(mailbox):
    olivia = UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER, email="olivia@ourco.example")
    ceo = ExecutiveFactory(user__username="maria.ceo", user__email="maria@ourco.example")
    cto = ExecutiveFactory(user__username="kenji.cto", user__email="kenji@ourco.example", reports_to=ceo)
    services.preferences_save(user=cto.user, by=cto.user, task_assigned="off")
    Task.objects.create(
        owner=cto.user,
        title="Call the customer's CIO",
        due_on=timezone.localdate() - dt.timedelta(days=5),
        assigned_at=timezone.now() - dt.timedelta(days=9),
        escalated_at=timezone.now(),
    )
    composing.task_notices_queue()
    delivery.notifications_deliver()
    mailbox.wait_for(2)
    assert sorted(m["To"] for m in mailbox.messages) == sorted([olivia.email, "maria@ourco.example"])


def test_a_meeting_not_logged_on_the_sponsorship_reminds_the_sponsor_only_if_they_attend(sponsorship):
    from execsponsor.engagements.models import EngagementAttendee

    soon = timezone.now() + dt.timedelta(hours=3)
    ae_call = EngagementFactory(account=sponsorship.account, occurred_at=soon, subject="AE pricing call")
    composing.meeting_reminders_queue()
    assert not Notification.objects.exists()
    EngagementAttendee.objects.create(engagement=ae_call, user=sponsorship.executive.user)
    composing.meeting_reminders_queue()
    assert Notification.objects.get().recipient == sponsorship.executive.user


def test_after_the_worker_was_down_for_days_the_missed_assignments_are_still_announced():
    from execsponsor.jobs.models import JobRun

    alex = UserFactory(username="alex.ae", email="alex@ourco.example")
    now = timezone.now()
    JobRun.objects.create(name="notifications-task-notices", outcome="ok", started_at=now - dt.timedelta(days=4))
    Task.objects.create(owner=alex, title="Friday's task", assigned_at=now - dt.timedelta(days=3, hours=20))
    Task.objects.create(owner=alex, title="Last month's task", assigned_at=now - dt.timedelta(days=30))
    composing.task_notices_queue(now=now)
    assert list(Notification.objects.values_list("subject", flat=True)) == ["New task: Friday's task"]


def test_an_escalation_reaches_its_recipient_once_not_also_as_a_new_task(mailbox):
    """The sweep escalates an overdue task: it marks it escalated and gives the program owner a task of their
    own. The owner hears of it once, by the escalation notice; the AE hears nothing new."""
    from execsponsor.playbooks.engine import overdue_escalate

    olivia = UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER, email="olivia@ourco.example")
    alex = UserFactory(username="alex.ae", role=Role.ACCOUNT_EXECUTIVE, email="alex@ourco.example")
    Task.objects.create(
        owner=alex,
        title="Send the renewal plan",
        due_on=timezone.localdate() - dt.timedelta(days=30),
        assigned_at=timezone.now() - dt.timedelta(days=40),
    )
    assert overdue_escalate(by=system_user()) == 1
    escalation = Task.objects.get(escalates__isnull=False)
    assert escalation.owner == olivia
    composing.task_notices_queue()
    delivery.notifications_deliver()
    [message] = mailbox.wait_for(1)
    assert message["To"] == olivia.email and message["Subject"].startswith("Overdue task escalated")
    assert Notification.objects.count() == 1


def test_an_escalation_task_handed_to_someone_else_is_announced_to_them(mailbox):
    from execsponsor.playbooks.engine import overdue_escalate

    UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER, email="olivia@ourco.example")
    alex = UserFactory(username="alex.ae", role=Role.ACCOUNT_EXECUTIVE, email="alex@ourco.example")
    casey = UserFactory(username="casey.csm", role=Role.CSM, email="casey@ourco.example")
    Task.objects.create(
        owner=alex, title="Send the renewal plan", due_on=timezone.localdate() - dt.timedelta(days=30),
        assigned_at=timezone.now() - dt.timedelta(days=40),
    )  # fmt: skip
    overdue_escalate(by=system_user())
    Task.objects.filter(escalates__isnull=False).update(owner=casey, assigned_at=timezone.now())
    composing.task_notices_queue()
    delivery.notifications_deliver()
    mailbox.wait_for(2)
    assert sorted(m["To"] for m in mailbox.messages) == ["casey@ourco.example", "olivia@ourco.example"]
