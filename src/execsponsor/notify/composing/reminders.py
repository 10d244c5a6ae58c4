"""A reminder to the sponsor before each of their meetings, linking to the account and its briefing pack
(attached as a PDF to the email, drawn at sending; linked in a chat message)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from execsponsor.engagements.models import Engagement
from execsponsor.notify.composing.queueing import Queued, queue, render, zone
from execsponsor.notify.models import NotificationKind, NotificationPreference
from execsponsor.notify.selectors import absolute_url, preferences_by_user
from execsponsor.program.models import LIVE_STATUSES, Sponsorship
from execsponsor.users.models import User


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
            when = timezone.localtime(meeting.occurred_at, zone(user))
            body = render(
                "notify/messages/meeting_reminder.txt",
                {
                    "user": user,
                    "meeting": meeting,
                    "when": when,
                    "account_url": absolute_url(reverse("accounts:account_detail", args=[meeting.account_id])),
                    "briefing_url": absolute_url(reverse("insights:briefing", args=[meeting.account_id])),
                    "briefing_pdf_url": absolute_url(reverse("insights:briefing_pdf", args=[meeting.account_id])),
                },
            )
            queue(
                user=user,
                preference=preference,
                kind=NotificationKind.MEETING_REMINDER,
                subject=f"Tomorrow's meeting with {meeting.account.name}: {meeting.subject}"
                if when.date() != timezone.localtime(now, zone(user)).date()
                else f"Today's meeting with {meeting.account.name}: {meeting.subject}",
                body=body,
                dedupe_key=f"meeting-reminder:{meeting.pk}:{user.pk}:{int(meeting.occurred_at.timestamp())}",
                report=report,
                briefing_account_id=meeting.account_id,
            )
    return report.as_dict()
