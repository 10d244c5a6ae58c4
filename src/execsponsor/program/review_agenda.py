"""The agenda of the bi-weekly program review, computed from what needs attention right now.

Five groups, in this order, each sorted so the most pressing comes first:

1. decisions pending from earlier reviews (open ones; carried over, with the date of the review that took them),
   the most overdue first, then the oldest review, then the biggest account;
2. sponsorships going cold (at risk or overdue): most days overdue, then ARR (engagements.cadence.going_cold);
3. new alerts since the last review, still open: priority, then ARR;
4. overdue tasks (not those that follow up a review decision, which are in group 1): most days overdue, then ARR;
5. live sponsorships without objectives: ARR.

Each item is a plain dict (stored in `ProgramReview.agenda`) with a stable `key`, so that the next review can
carry over what was not discussed and a refresh keeps the ticks. Nothing appears twice: one key, one item.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from execsponsor.engagements.cadence import going_cold
from execsponsor.playbooks.models import Task
from execsponsor.program.models import (
    LIVE_STATUSES,
    DecisionStatus,
    Objective,
    ProgramReview,
    ReviewDecision,
    Sponsorship,
)
from execsponsor.signals.models import Alert, AlertStatus, Priority
from execsponsor.users.models import User

GROUPS = {
    "decisions": "Decisions pending from earlier reviews",
    "going_cold": "Sponsorships going cold",
    "alerts": "New alerts since the last review",
    "tasks": "Overdue tasks",
    "no_objectives": "Sponsorships without objectives",
}
PRIORITY_RANK = {Priority.CRITICAL: 0, Priority.HIGH: 1, Priority.MEDIUM: 2, Priority.LOW: 3}


@dataclass(frozen=True)
class Agenda:
    items: list[dict[str, Any]]
    counts: dict[str, int]  # every item found per group, before each kept its first ITEMS_PER_GROUP


def _arr(account) -> float | None:
    return float(account.arr) if account is not None and account.arr is not None else None


def _item(key: str, group: str, *, title: str, detail: str, url: str, account=None, days_overdue: int = 0):
    return {
        "key": key,
        "group": group,
        "title": title,
        "detail": detail,
        "url": url,
        "account_id": account.pk if account is not None else None,
        "account_name": account.name if account is not None else "",
        "arr": _arr(account),
        "days_overdue": days_overdue,
        "carried_over": False,
        "since": None,
        "still_flagged": True,
        "discussed": False,
    }


def _decisions(*, excluding: ProgramReview | None, today: dt.date) -> list[dict[str, Any]]:
    pending = ReviewDecision.objects.filter(status=DecisionStatus.OPEN).select_related("review", "account", "owner")
    if excluding is not None:  # the review's own decisions are not "from earlier reviews"
        pending = pending.exclude(review=excluding)
    rows = []
    for decision in pending:
        overdue = (today - decision.due_on).days if decision.due_on and decision.due_on < today else 0
        owner = f"{decision.owner}" if decision.owner else "no owner yet"
        due = f"due {decision.due_on:%d %b %Y}" if decision.due_on else "no due date"
        item = _item(
            f"decision:{decision.pk}",
            "decisions",
            title=decision.decision[:200],
            detail=f"{owner} · {due}" + (f" · {overdue} days overdue" if overdue else ""),
            url=reverse("program:review_detail", args=[decision.review_id]) + f"#decision-{decision.pk}",
            account=decision.account,
            days_overdue=overdue,
        )
        item.update(carried_over=True, since=decision.review.held_on.isoformat(), decision_id=decision.pk)
        rows.append(item)
    rows.sort(key=lambda i: (-i["days_overdue"], i["since"], -(i["arr"] or 0), i["key"]))
    return rows


def _going_cold(*, by: User, today: dt.date) -> list[dict[str, Any]]:
    rows = []
    for row in going_cold(user=by, today=today):
        sponsorship, cadence = row.sponsorship, row.cadence
        silence = (
            f"last engagement that counts {cadence.days_since} days ago"
            if cadence.last_counting_on
            else ("no engagement that counts yet")
        )
        state = f"{cadence.days_overdue} days overdue" if cadence.days_overdue else cadence.state.label.lower()
        rows.append(
            _item(
                f"cold:{sponsorship.pk}",
                "going_cold",
                title=sponsorship.account.name,
                detail=f"{sponsorship.executive.user} · {state} · {silence}",
                url=reverse("program:sponsorship_charter", args=[sponsorship.pk]),
                account=sponsorship.account,
                days_overdue=cadence.days_overdue,
            )
        )
    return rows


def alerts_since(previous: ProgramReview | None, today: dt.date) -> dt.datetime:
    """New alerts are those raised since the day of the last review (or, before any, one review interval)."""
    start = previous.held_on if previous is not None else today - dt.timedelta(days=review_every_days())
    return timezone.make_aware(dt.datetime.combine(start, dt.time.min))


def _alerts(*, since: dt.datetime) -> list[dict[str, Any]]:
    alerts = Alert.objects.filter(status=AlertStatus.OPEN, created_at__gte=since).select_related("account", "owner")
    rows = []
    for alert in alerts:
        item = _item(
            f"alert:{alert.pk}",
            "alerts",
            title=alert.reason[:200],
            detail=f"{alert.get_priority_display()} {alert.get_type_display().lower()} · raised "
            f"{timezone.localdate(alert.created_at):%d %b}" + (f" · {alert.owner}" if alert.owner else ""),
            url=alert.account.get_absolute_url() if alert.account else reverse("signals:signals_home"),
            account=alert.account,
        )
        item["priority"] = alert.priority
        rows.append(item)
    rows.sort(key=lambda i: (PRIORITY_RANK.get(i["priority"], 9), -(i["arr"] or 0), i["key"]))
    return rows


def _overdue_tasks(*, today: dt.date) -> list[dict[str, Any]]:
    decided = ReviewDecision.objects.filter(task_id=OuterRef("pk"))
    tasks = (
        Task.objects.filter(status=Task.Status.OPEN, due_on__lt=today)
        .exclude(snoozed_until__gt=today)
        .exclude(Exists(decided))
        .select_related("account", "owner")
    )
    rows = [
        _item(
            f"task:{task.pk}",
            "tasks",
            title=task.title[:200],
            detail=f"{task.owner or 'no owner'} · due {task.due_on:%d %b %Y} · "
            f"{(today - task.due_on).days} days overdue",
            url=task.get_absolute_url(),
            account=task.account,
            days_overdue=(today - task.due_on).days,
        )
        for task in tasks
    ]
    rows.sort(key=lambda i: (-i["days_overdue"], -(i["arr"] or 0), i["key"]))
    return rows


def _without_objectives() -> list[dict[str, Any]]:
    sponsorships = (
        Sponsorship.objects.filter(status__in=LIVE_STATUSES)
        .exclude(Exists(Objective.objects.filter(sponsorship_id=OuterRef("pk"))))
        .select_related("account", "executive__user")
    )
    rows = [
        _item(
            f"objectives:{s.pk}",
            "no_objectives",
            title=s.account.name,
            detail=f"{s.executive.user} · {s.get_status_display().lower()} · no objective agreed yet",
            url=reverse("program:sponsorship_charter", args=[s.pk]) + "#objectives",
            account=s.account,
        )
        for s in sponsorships
    ]
    rows.sort(key=lambda i: (-(i["arr"] or 0), i["title"], i["key"]))
    return rows


def review_every_days() -> int:
    return max(1, int(getattr(settings, "ESP_PROGRAM_REVIEW_EVERY_DAYS", 14)))


def items_per_group() -> int:
    return max(1, int(getattr(settings, "ESP_PROGRAM_REVIEW_ITEMS_PER_GROUP", 25)))


def carry_over(
    fresh: list[dict[str, Any]],
    *,
    previous: ProgramReview | None,
    current: list[dict[str, Any]] | None = None,
    flagged: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Merge what is flagged today with what stayed open.

    - an item the previous review did not discuss is carried over (marked, with the date it first appeared);
      if nothing flags it any more it is still listed, as no longer flagged, until someone ticks it;
    - when the agenda of this same review is refreshed (`current`), the ticks made so far are kept.
    `flagged` holds every item flagged today, also those beyond a group's first: a carried item among them
    is still flagged (and listed with today's facts) though it did not make the cut.
    Decisions are not carried from the old agenda: the open ones are read afresh from the decisions."""
    by_key = {item["key"]: item for item in fresh}
    merged = list(fresh)
    if previous is not None:
        for old in previous.agenda:
            if old.get("discussed") or old.get("group") == "decisions" or old.get("group") not in GROUPS:
                continue
            since = old.get("since") or previous.held_on.isoformat()
            item = by_key.get(old["key"])
            if item is None and old["key"] in (flagged or {}):
                item = dict((flagged or {})[old["key"]])
                by_key[item["key"]] = item
                merged.append(item)
            elif item is None:
                item = {**old, "still_flagged": False, "discussed": False}
                by_key[item["key"]] = item
                merged.append(item)
            item.update(carried_over=True, since=since)
    for old in current or ():
        item = by_key.get(old.get("key"))
        if item is not None:
            item["discussed"] = bool(old.get("discussed"))
    order = list(GROUPS)
    # Stable: inside a group, today's order; the no-longer-flagged carried items after those still flagged.
    merged.sort(key=lambda i: (order.index(i["group"]), not i["still_flagged"]))
    return merged


def _capped(group: str, rows: list[dict[str, Any]], counts: dict[str, int]) -> list[dict[str, Any]]:
    counts[group] = len(rows)
    return rows[: items_per_group()]


def agenda_for(
    *, by: User, previous: ProgramReview | None, today: dt.date, current: ProgramReview | None = None
) -> Agenda:
    """The agenda of the review after `previous` (None for the first), as the program owner `by` sees it."""
    counts: dict[str, int] = {}
    found = {
        "decisions": _decisions(excluding=current, today=today),
        "going_cold": _going_cold(by=by, today=today),
        "alerts": _alerts(since=alerts_since(previous, today)),
        "tasks": _overdue_tasks(today=today),
        "no_objectives": _without_objectives(),
    }
    fresh = [item for group, rows in found.items() for item in _capped(group, rows, counts)]
    flagged = {item["key"]: item for rows in found.values() for item in rows}
    current_items = current.agenda if current is not None else None
    items = carry_over(fresh, previous=previous, current=current_items, flagged=flagged)
    return Agenda(items=items, counts=counts)
