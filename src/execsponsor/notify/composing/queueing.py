"""Queue one message for one person by the channel they chose, under a key that names the event."""

from __future__ import annotations

import zoneinfo
from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from execsponsor.notify.models import Channel, Delivery, Notification, NotificationPreference
from execsponsor.notify.selectors import absolute_url, preferences_url
from execsponsor.playbooks.models import Task
from execsponsor.signals.models import Alert
from execsponsor.users.models import User


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


def render(template: str, context: dict) -> str:
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
    briefing_account_id: int | None = None,
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
        briefing_account_id=briefing_account_id,
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


def reachable(user: User, preference: NotificationPreference) -> bool:
    """Whether a message can reach the person at all: an active chat channel, or an email address."""
    webhook = preference.chat_webhook
    return bool(user.email) or bool(webhook and webhook.is_active)


def people():
    """Everyone who may receive messages: active users."""
    return User.objects.filter(is_active=True).order_by("pk")


def task_url(task: Task) -> str:
    if task.account_id:
        return absolute_url(reverse("accounts:account_detail", args=[task.account_id]))
    return absolute_url(reverse("home"))


def alert_url(alert: Alert) -> str:
    if alert.account_id:
        return absolute_url(reverse("accounts:account_detail", args=[alert.account_id]))
    return absolute_url(reverse("signals:signals_home"))


def zone(user: User):
    try:
        return zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")
