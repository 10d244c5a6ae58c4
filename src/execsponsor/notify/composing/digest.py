"""The digest: a person's sponsorships going cold, open tasks and new alerts, daily or once an ISO week."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from execsponsor.access.visibility import visible_accounts
from execsponsor.engagements.cadence import cadence_today, going_cold
from execsponsor.notify.composing.queueing import Queued, alert_url, people, queue, reachable, render, task_url
from execsponsor.notify.models import Delivery, DigestFrequency, Notification, NotificationKind, NotificationPreference
from execsponsor.notify.selectors import absolute_url, preferences_by_user
from execsponsor.playbooks.models import Task, TaskStatus
from execsponsor.signals.models import Alert, AlertStatus
from execsponsor.users.models import User

DIGEST_ITEMS = 10  # per section; the rest is "and N more" with a link


def digest_period(frequency: str, today: dt.date) -> tuple[str, dt.date]:
    """The period's name (for the dedupe key) and its first day: an ISO week, or one day."""
    if frequency == DigestFrequency.DAILY:
        return today.isoformat(), today
    year, week, weekday = today.isocalendar()
    return f"{year}-W{week:02d}", today - dt.timedelta(days=weekday - 1)


def digest_content(*, user: User, today: dt.date, since: dt.datetime) -> dict:
    """The digest's sections for one person, each read through what they may see."""
    cold = going_cold(user=user, today=today)
    tasks = list(
        Task.objects.filter(owner=user, status=TaskStatus.OPEN)
        .exclude(snoozed_until__gt=today)
        .select_related("account")
        .order_by("due_on", "id")
    )
    week_end = today + dt.timedelta(days=7)
    overdue = [task for task in tasks if task.due_on and task.due_on < today]
    this_week = [task for task in tasks if task.due_on and today <= task.due_on <= week_end]
    later = [task for task in tasks if not task.due_on or task.due_on > week_end]
    alerts_query = Alert.objects.filter(
        status=AlertStatus.OPEN, created_at__gte=since, account__in=visible_accounts(user)
    ).select_related("account")
    alerts = list(alerts_query.order_by("-created_at", "-id")[: DIGEST_ITEMS + 1])
    return {
        "cold": [
            {"row": row, "url": absolute_url(reverse("accounts:account_detail", args=[row.sponsorship.account_id]))}
            for row in cold[:DIGEST_ITEMS]
        ],
        "cold_more": max(len(cold) - DIGEST_ITEMS, 0),
        "task_groups": [
            (label, [(task, task_url(task)) for task in group[:DIGEST_ITEMS]], max(len(group) - DIGEST_ITEMS, 0))
            for label, group in (("Overdue", overdue), ("Due this week", this_week), ("Later", later))
            if group
        ],
        "task_count": len(tasks),
        "alerts": [(alert, alert_url(alert)) for alert in alerts[:DIGEST_ITEMS]],
        "alerts_more": alerts_query.count() - DIGEST_ITEMS if len(alerts) > DIGEST_ITEMS else 0,
        "going_cold_url": absolute_url(reverse("engagements:going_cold")),
        "home_url": absolute_url(reverse("home")),
    }


def digests_queue(*, today: dt.date | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    """Everyone's digest for the current period (daily, or the ISO week for weekly): queued at the first run
    in the period, so a worker that was down on Monday sends the weekly digest when it is back. A digest with
    nothing in it is not sent (reminded, never nagged)."""
    today = today or cadence_today()
    now = now or timezone.now()
    report = Queued()
    everyone = list(people())
    preferences = preferences_by_user(person.pk for person in everyone)
    for user in everyone:
        preference = preferences.get(user.pk) or NotificationPreference(user=user)
        if preference.delivery_for(NotificationKind.DIGEST) == Delivery.OFF:
            report.opted_out += 1
            continue
        if not reachable(user, preference):
            report.no_address += 1
            continue
        frequency = preference.digest_frequency
        period, first_day = digest_period(frequency, today)
        key = f"digest:{user.pk}:{frequency}:{period}"
        if Notification.objects.filter(dedupe_key=key).exists():
            report.already += 1
            continue
        since = now - (dt.timedelta(days=1) if frequency == DigestFrequency.DAILY else dt.timedelta(days=7))
        content = digest_content(user=user, today=today, since=since)
        if not (content["cold"] or content["task_count"] or content["alerts"]):
            report.nothing_to_say += 1
            continue
        label = "Your daily digest" if frequency == DigestFrequency.DAILY else "Your weekly digest"
        body = render("notify/messages/digest.txt", {"user": user, "today": today, "label": label, **content})
        subject = f"{label}: {_digest_headline(content)}"
        queue(
            user=user,
            preference=preference,
            kind=NotificationKind.DIGEST,
            subject=subject,
            body=body,
            dedupe_key=key,
            report=report,
        )
    return report.as_dict()


def _digest_headline(content: dict) -> str:
    parts = []
    if content["cold"]:
        count = len(content["cold"]) + content["cold_more"]
        parts.append(f"{count} sponsorship{'s' if count != 1 else ''} going cold")
    if content["task_count"]:
        parts.append(f"{content['task_count']} open task{'s' if content['task_count'] != 1 else ''}")
    if content["alerts"]:
        count = len(content["alerts"]) + content["alerts_more"]
        parts.append(f"{count} new alert{'s' if count != 1 else ''}")
    return ", ".join(parts)
