"""Reads for the signals page: open departure alerts and champions on the move, for what a user may see."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, Max, Q, Value, When
from django.db.models.functions import Coalesce

from execsponsor.access.rules import can
from execsponsor.access.visibility import visible_accounts
from execsponsor.signals.models import Alert, AlertStatus, FollowedChampion, Signal

URGENCY = Case(
    *(When(priority=p, then=Value(rank)) for rank, p in enumerate(("critical", "high", "medium", "low"))),
    default=Value(9),
)


def open_alerts(*, user, limit: int = 50):
    """Open and snoozed alerts on the accounts `user` may see, most urgent first: by priority, then by the day
    they are due (or began), newest first. Ordered by the database, so a critical alert due late is never
    cut off by earlier-due lesser ones."""
    return list(
        Alert.objects.filter(account__in=visible_accounts(user))
        .exclude(status=AlertStatus.RESOLVED)
        .select_related("account", "contact__replaced_by", "owner")
        .annotate(evidence_count=Count("evidence"), urgency=URGENCY, when=Coalesce("due_on", "starts_on"))
        .order_by("urgency", "when", "-created_at")[:limit]
    )


@dataclass(frozen=True)
class ChampionOnTheMove:
    followed: FollowedChampion
    engagements: int
    last_met: object
    introducer: object  # our person who knew them best, to make the introduction at the new company


def champions_on_the_move(*, user, limit: int = 50) -> list[ChampionOnTheMove]:
    """Departed contacts of visible accounts whose new company is known, with their history with us."""
    followed = list(
        FollowedChampion.objects.filter(contact__account__in=visible_accounts(user))
        .select_related("contact__account", "matched_account")
        .annotate(engagements=Count("contact__engagements"), last_met=Max("contact__engagements__occurred_at"))
        .order_by("-detected_at")[:limit]
    )
    introducers = _best_introducers([f.contact_id for f in followed])
    return [ChampionOnTheMove(f, f.engagements, f.last_met, introducers.get(f.contact_id)) for f in followed]


def _best_introducers(contact_ids: list[int]) -> dict:
    """Per contact, our active person who met them most (then by last name): one query for all of them."""
    from execsponsor.engagements.models import EngagementAttendee
    from execsponsor.users.models import User

    times: dict[int, Counter] = defaultdict(Counter)
    for contact_id, user_id in EngagementAttendee.objects.filter(
        engagement__contacts__in=contact_ids, user__is_active=True
    ).values_list("engagement__contacts", "user_id"):
        if contact_id in contact_ids:
            times[contact_id][user_id] += 1
    users = User.objects.in_bulk({u for counts in times.values() for u in counts})
    best = {}
    for contact_id, counts in times.items():
        best[contact_id] = users[min(counts, key=lambda u: (-counts[u], users[u].last_name))]
    return best


def recent_signals(*, user, limit: int = 30):
    return (
        Signal.objects.filter(Q(account__in=visible_accounts(user)))
        .select_related("contact", "account")
        .order_by("-observed_at")[:limit]
    )


@dataclass(frozen=True)
class AlertRow:
    alert: Alert
    successor_email: str = ""
    successor_name: str = ""
    may_record_successor: bool = False

    def __getattr__(self, name):  # the template reads the alert's own fields through the row
        return getattr(self.alert, name)


def alerts_with_successors(alerts, *, user) -> list[AlertRow]:
    """Each alert with the successor its departure reply named (one query for all), and whether `user` may
    record that successor on the map."""

    named: dict[int, dict] = {}
    notices = Signal.objects.filter(alerts__in=[a.pk for a in alerts], kind="departure_notice")
    for alert_id, detail in notices.values_list("alerts", "detail"):
        if (detail or {}).get("successor_email"):
            named.setdefault(alert_id, detail)
    editable: dict[int, bool] = {}
    rows = []
    for alert in alerts:
        detail = named.get(alert.pk)
        if detail is None or alert.contact is None or alert.contact.replaced_by_id:
            rows.append(AlertRow(alert))
            continue
        if alert.account_id not in editable:
            editable[alert.account_id] = can(user, "execsponsor.change_account_records", alert.account)
        rows.append(
            AlertRow(
                alert,
                str(detail["successor_email"]),
                str(detail.get("successor_name") or ""),
                editable[alert.account_id],
            )
        )
    return rows
