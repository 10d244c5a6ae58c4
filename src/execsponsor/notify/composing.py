"""What to tell whom: digests, meeting reminders and task notices, each queued once as a Notification.

Each function finds the events, writes the message for each recipient who wants that kind, and queues it
under a dedupe key that names the event (a second run queues nothing new). Delivery is delivery.py's job.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from execsponsor.engagements.cadence import cadence_today, going_cold
from execsponsor.engagements.models import Engagement
from execsponsor.jobs.models import JobRun
from execsponsor.notify.models import (
    Channel,
    Delivery,
    DigestFrequency,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from execsponsor.notify.selectors import absolute_url, preferences_by_user, preferences_url
from execsponsor.playbooks.models import Task, TaskStatus
from execsponsor.program.models import LIVE_STATUSES, Sponsorship
from execsponsor.signals.models import Alert, AlertStatus
from execsponsor.users.models import Role, User
from execsponsor.users.visibility import visible_accounts

DIGEST_ITEMS = 10  # per section; the rest is "and N more" with a link
TASK_NOTICE_WINDOW = dt.timedelta(days=2)  # looked back at least this far for assignments and escalations
TASK_NOTICE_CATCH_UP = dt.timedelta(days=7)  # and back to the last good run, when the worker was down, up to this
TASK_NOTICES_JOB = "notifications-task-notices"


@dataclass
class Queued:
    """What one composing run did, for the job's summary."""

    queued: int = 0
    already: int = 0
    opted_out: int = 0
    no_address: int = 0
    nothing_to_say: int = 0
    by_channel: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, int]:
        return {
            "queued": self.queued,
            "already_queued": self.already,
            "opted_out": self.opted_out,
            "no_address": self.no_address,
            "nothing_to_say": self.nothing_to_say,
            **{f"by_{channel}": count for channel, count in sorted(self.by_channel.items())},
        }


def _render(template: str, context: dict) -> str:
    return render_to_string(template, {**context, "preferences_url": preferences_url()}).strip() + "\n"


def queue(
    *,
    user: User,
    preference: NotificationPreference,
    kind: str,
    subject: str,
    body: str,
    dedupe_key: str,
    report: Queued,
) -> Notification | None:
    """Queue one message by the channel the person chose for `kind`; nothing if they opted out or it is
    already queued (dedupe_key is unique in the database, so even two workers queue it once)."""
    delivery = preference.delivery_for(kind)
    if delivery == Delivery.OFF:
        report.opted_out += 1
        return None
    webhook = None
    if delivery == Delivery.CHAT:
        # A channel an admin removed or switched off does not silence the person: email instead.
        webhook = preference.chat_webhook if preference.chat_webhook and preference.chat_webhook.is_active else None
    if webhook is None and not user.email:
        report.no_address += 1
        return None
    if Notification.objects.filter(dedupe_key=dedupe_key).exists():
        report.already += 1
        return None
    notification = Notification(
        recipient=user,
        webhook=webhook,
        channel=Channel.CHAT if webhook else Channel.EMAIL,
        kind=kind,
        subject=" ".join(subject.split())[:255],  # one line: a header may not hold a line break
        body=body,
        dedupe_key=dedupe_key[:128],
    )
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:  # another worker queued it a moment ago
        report.already += 1
        return None
    report.queued += 1
    report.by_channel[notification.channel] += 1
    return notification


def _reachable(user: User, preference: NotificationPreference) -> bool:
    """Whether a message can reach the person at all: an active chat channel, or an email address."""
    webhook = preference.chat_webhook
    return bool(user.email) or bool(webhook and webhook.is_active)


def _people():
    return User.objects.filter(is_active=True).order_by("pk")


# --- the digest --------------------------------------------------------------------------------------------


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
            {"row": row, "url": absolute_url(reverse("customers:account_detail", args=[row.sponsorship.account_id]))}
            for row in cold[:DIGEST_ITEMS]
        ],
        "cold_more": max(len(cold) - DIGEST_ITEMS, 0),
        "task_groups": [
            (label, [(task, _task_url(task)) for task in group[:DIGEST_ITEMS]], max(len(group) - DIGEST_ITEMS, 0))
            for label, group in (("Overdue", overdue), ("Due this week", this_week), ("Later", later))
            if group
        ],
        "task_count": len(tasks),
        "alerts": [(alert, _alert_url(alert)) for alert in alerts[:DIGEST_ITEMS]],
        "alerts_more": alerts_query.count() - DIGEST_ITEMS if len(alerts) > DIGEST_ITEMS else 0,
        "going_cold_url": absolute_url(reverse("engagements:going_cold")),
        "home_url": absolute_url(reverse("home")),
    }


def _task_url(task: Task) -> str:
    if task.account_id:
        return absolute_url(reverse("customers:account_detail", args=[task.account_id]))
    return absolute_url(reverse("home"))


def _alert_url(alert: Alert) -> str:
    if alert.account_id:
        return absolute_url(reverse("customers:account_detail", args=[alert.account_id]))
    return absolute_url(reverse("signals:signals_home"))


def digests_queue(*, today: dt.date | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    """Everyone's digest for the current period (daily, or the ISO week for weekly): queued at the first run
    in the period, so a worker that was down on Monday sends the weekly digest when it is back. A digest with
    nothing in it is not sent (reminded, never nagged)."""
    today = today or cadence_today()
    now = now or timezone.now()
    report = Queued()
    people = list(_people())
    preferences = preferences_by_user(person.pk for person in people)
    for user in people:
        preference = preferences.get(user.pk) or NotificationPreference(user=user)
        if preference.delivery_for(NotificationKind.DIGEST) == Delivery.OFF:
            report.opted_out += 1
            continue
        if not _reachable(user, preference):
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
        body = _render("notify/messages/digest.txt", {"user": user, "today": today, "label": label, **content})
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


# --- meeting reminders -------------------------------------------------------------------------------------


def reminder_window() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "ESP_MEETING_REMINDER_HOURS", 24)))


def _sponsors_of(engagement: Engagement, live_by_account: dict[int, list[Sponsorship]]) -> list[User]:
    """The sponsor whose meeting it is: the sponsorship's executive when the meeting is logged on it, else
    the account's live sponsors who are among the meeting's attendees (an AE's call is not theirs)."""
    if engagement.sponsorship_id:
        live = engagement.sponsorship.status in LIVE_STATUSES
        return [engagement.sponsorship.executive.user] if live else []
    attending = {user.pk for user in engagement.attendees.all()}
    return [
        sponsorship.executive.user
        for sponsorship in live_by_account.get(engagement.account_id, [])
        if sponsorship.executive.user_id in attending
    ]


def meeting_reminders_queue(*, now: dt.datetime | None = None) -> dict[str, int]:
    """A reminder to the sponsor before each meeting with their account in the next ESP_MEETING_REMINDER_HOURS,
    linking to the account. A meeting moved to another time is a new event and gets its own reminder."""
    now = now or timezone.now()
    report = Queued()
    meetings = list(
        Engagement.objects.filter(occurred_at__gt=now, occurred_at__lte=now + reminder_window())
        .select_related("account", "sponsorship__executive__user")
        .prefetch_related("attendees")
        .order_by("occurred_at", "pk")
    )
    account_ids = {meeting.account_id for meeting in meetings if not meeting.sponsorship_id}
    live_by_account: dict[int, list[Sponsorship]] = {}
    for sponsorship in Sponsorship.objects.live().filter(account_id__in=account_ids).select_related("executive__user"):
        live_by_account.setdefault(sponsorship.account_id, []).append(sponsorship)
    recipients = {user.pk: user for meeting in meetings for user in _sponsors_of(meeting, live_by_account)}
    preferences = preferences_by_user(recipients)
    for meeting in meetings:
        for user in _sponsors_of(meeting, live_by_account):
            if not user.is_active:
                continue
            preference = preferences.get(user.pk) or NotificationPreference(user=user)
            when = timezone.localtime(meeting.occurred_at, _zone(user))
            body = _render(
                "notify/messages/meeting_reminder.txt",
                {
                    "user": user,
                    "meeting": meeting,
                    "when": when,
                    "account_url": absolute_url(reverse("customers:account_detail", args=[meeting.account_id])),
                },
            )
            queue(
                user=user,
                preference=preference,
                kind=NotificationKind.MEETING_REMINDER,
                subject=f"Tomorrow's meeting with {meeting.account.name}: {meeting.subject}"
                if when.date() != timezone.localtime(now, _zone(user)).date()
                else f"Today's meeting with {meeting.account.name}: {meeting.subject}",
                body=body,
                dedupe_key=f"meeting-reminder:{meeting.pk}:{user.pk}:{int(meeting.occurred_at.timestamp())}",
                report=report,
            )
    return report.as_dict()


def _zone(user: User):
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


# --- task assignment and escalation ------------------------------------------------------------------------


def program_owners() -> list[User]:
    owners = list(User.objects.filter(is_active=True, role=Role.PROGRAM_OWNER).order_by("pk"))
    return owners or list(User.objects.filter(is_active=True, role=Role.ADMIN).order_by("pk"))


def escalation_recipients(task: Task, owners: list[User]) -> list[User]:
    """Who hears of an escalated task: the program owners (the admins where there is none) and, when the
    task's owner is one of our executives with a manager on record (reports-to), that manager too."""
    recipients = {user.pk: user for user in owners}
    executive = getattr(task.owner, "executive", None) if task.owner_id else None
    manager = executive.reports_to.user if executive and executive.reports_to_id else None
    if manager is not None and manager.is_active:
        recipients.setdefault(manager.pk, manager)
    recipients.pop(task.owner_id, None)  # the owner hears of their own task by its assignment, not this
    return list(recipients.values())


def task_notices_since(now: dt.datetime) -> dt.datetime:
    """How far back to look: two days, or back to the last run that worked when that is longer ago (a worker
    down over a weekend still announces Friday's tasks), but never more than a week (nobody wants old news)."""
    last_ok = (
        JobRun.objects.filter(name=TASK_NOTICES_JOB, outcome=JobRun.Outcome.OK, started_at__lt=now)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    since = now - TASK_NOTICE_WINDOW
    if last_ok is not None:
        since = min(since, last_ok - dt.timedelta(minutes=15))
    return max(since, now - TASK_NOTICE_CATCH_UP)


def task_notices_queue(*, now: dt.datetime | None = None) -> dict[str, int]:
    """A notice to the owner of each task assigned since the last notice (created or reassigned), and to the
    program owners for each task escalated. Keys name the task, the recipient and the moment, so a task
    reassigned to the same person later is a new notice, and a second run queues nothing."""
    now = now or timezone.now()
    since = task_notices_since(now)
    assigned = Task.objects.filter(status=TaskStatus.OPEN, owner__isnull=False, assigned_at__gte=since)
    escalated = Task.objects.filter(status=TaskStatus.OPEN, escalated_at__gte=since)
    report = Queued()
    assigned_tasks = list(assigned.select_related("owner", "account").order_by("assigned_at", "pk"))
    escalated_tasks = list(
        escalated.select_related("owner__executive__reports_to__user", "account").order_by("escalated_at", "pk")
    )
    recipients = {task.owner_id for task in assigned_tasks}
    owners = program_owners() if escalated_tasks else []
    escalate_to = {task.pk: escalation_recipients(task, owners) for task in escalated_tasks}
    preferences = preferences_by_user(recipients | {user.pk for users in escalate_to.values() for user in users})
    for task in assigned_tasks:
        owner = task.owner
        if not owner.is_active:
            continue
        queue(
            user=owner,
            preference=preferences.get(owner.pk) or NotificationPreference(user=owner),
            kind=NotificationKind.TASK_ASSIGNED,
            subject=f"New task: {task.title}" + (f" ({task.account.name})" if task.account_id else ""),
            body=_render("notify/messages/task_assigned.txt", {"user": owner, "task": task, "url": _task_url(task)}),
            dedupe_key=f"task-assigned:{task.pk}:{owner.pk}:{int(task.assigned_at.timestamp())}",
            report=report,
        )
    for task in escalated_tasks:
        for user in escalate_to[task.pk]:
            queue(
                user=user,
                preference=preferences.get(user.pk) or NotificationPreference(user=user),
                kind=NotificationKind.TASK_ESCALATED,
                subject=f"Overdue task escalated: {task.title}",
                body=_render(
                    "notify/messages/task_escalated.txt",
                    {"user": user, "task": task, "url": _task_url(task), "today": cadence_today()},
                ),
                dedupe_key=f"task-escalated:{task.pk}:{user.pk}:{int(task.escalated_at.timestamp())}",
                report=report,
            )
    return report.as_dict()
