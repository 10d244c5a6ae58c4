"""The measurements docs/demo.md gives for each planted effect, written with the ORM as a reader would."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Max, Q

from execsponsor.customers.models import Contact, QuarterlyRevenue
from execsponsor.engagements.models import EngagementContact
from execsponsor.program.models import LIVE_STATUSES, Sponsorship
from execsponsor.users.models import Executive


def nrr_by_account() -> dict[str, float]:
    """Revenue in the last 4 quarters / revenue in the 4 before, per account external id."""
    rows = QuarterlyRevenue.objects.values_list("account__external_id", "year", "quarter", "revenue")
    by_account = defaultdict(dict)
    for account, year, quarter, revenue in rows:
        by_account[account][(year, quarter)] = float(revenue)
    out = {}
    for account, quarters in by_account.items():
        ordered = [quarters[k] for k in sorted(quarters)][-8:]
        out[account] = sum(ordered[4:]) / sum(ordered[:4])
    return out


def threads_by_account(as_of: dt.date) -> dict[str, int]:
    """Distinct contacts, not left, in counting engagements on or after as_of − 180 days."""
    rows = (
        EngagementContact.objects.filter(
            engagement__counts=True, engagement__occurred_at__date__gte=as_of - dt.timedelta(days=180)
        )
        .exclude(contact__status="left")
        .values("engagement__account__external_id")
        .annotate(threads=Count("contact", distinct=True))
    )
    return {r["engagement__account__external_id"]: r["threads"] for r in rows}


def recent_champion_departures(as_of: dt.date) -> set[str]:
    return set(
        Contact.objects.filter(
            buying_role="champion", status="left", status_changed_on__gte=as_of - dt.timedelta(days=90)
        ).values_list("external_id", flat=True)
    )


def overloaded_executives() -> dict[str, int]:
    rows = Executive.objects.annotate(
        live=Count("sponsorships", filter=Q(sponsorships__status__in=LIVE_STATUSES))
    ).values_list("user__username", "live", "capacity_max")
    return {username: live for username, live, capacity in rows if live > capacity}


def days_since_counting_engagement(as_of: dt.date) -> dict[str, int]:
    """Per active sponsorship (by account external id): days since its last engagement that counts."""
    rows = (
        Sponsorship.objects.filter(status="active")
        .annotate(last=Max("engagements__occurred_at", filter=Q(engagements__counts=True)))
        .values_list("account__external_id", "last")
    )
    return {account: (as_of - last.date()).days for account, last in rows}
