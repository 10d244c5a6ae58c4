"""A sponsor whose week has something in it: a sponsorship going cold, open tasks, a new alert."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from execsponsor.playbooks.models import Task, TaskStatus
from execsponsor.signals.models import Alert, AlertType, Priority
from tests.factories import AccountFactory, EngagementFactory, ExecutiveFactory, SponsorshipFactory


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def busy_sponsor(username: str = "sam.sponsor", *, account_name: str = "Blue Harbor Bank"):
    """The sponsor's user. Their sponsorship of `account_name` was approved 30 days ago with no meeting that
    counts since (14-day cadence: 16 days overdue); they have two open tasks and the account a new alert."""
    executive = ExecutiveFactory(
        user__username=username, user__first_name="Sam", user__email=f"{username}@ourco.example"
    )
    account = AccountFactory(name=account_name)
    SponsorshipFactory(account=account, executive=executive, approved_at=days_ago(30))
    today = timezone.localdate()
    Task.objects.create(
        owner=executive.user, account=account, title=f"Send the QBR agenda to {account_name}",
        due_on=today + dt.timedelta(days=2),
    )  # fmt: skip
    Task.objects.create(
        owner=executive.user,
        account=account,
        title="Introduce our CTO to their CIO",
        due_on=today - dt.timedelta(days=3),
    )
    Task.objects.create(owner=executive.user, account=account, title="A task already done", status=TaskStatus.DONE)
    Alert.objects.create(
        type=AlertType.RISK, priority=Priority.HIGH, account=account, reason=f"Champion left {account_name}"
    )
    Alert.objects.create(
        type=AlertType.RISK, account=account, reason="An alert from last month", created_at=days_ago(30)
    )
    return executive.user


def calm_sponsorship(executive, name: str = "Fresh Co"):
    """A sponsorship on track: a meeting that counts three days ago."""
    sponsorship = SponsorshipFactory(account=AccountFactory(name=name), executive=executive, approved_at=days_ago(60))
    EngagementFactory(account=sponsorship.account, sponsorship=sponsorship, occurred_at=days_ago(3))
    return sponsorship
