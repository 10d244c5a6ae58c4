"""The relationship map of one account: who is who, how strong our ties are, and what if someone leaves."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils import timezone

from execsponsor.access.visibility import visible_accounts
from execsponsor.core import health as core_health
from execsponsor.core import relationships
from execsponsor.customers.models import Account, Contact, ContactStatus, RelationshipLevel
from execsponsor.engagements.models import EngagementAttendee, EngagementContact
from execsponsor.insights.health import TOUCH_WINDOW_DAYS, account_measures
from execsponsor.insights.map_history import ChangeEntry, map_history

SUPPORT_COLOURS = {
    "mentor": "#15803d",
    "supporter": "#4ade80",
    "neutral": "#94a3b8",
    "non_supporter": "#f59e0b",
    "opponent": "#dc2626",
}
INFLUENCE_SIZES = {"high": 30, "medium": 20, "low": 13}


@dataclass(frozen=True)
class MapContact:
    contact: Contact
    strength: relationships.Strength
    known_by: tuple[tuple[str, int], ...]  # our people who met them, with how often, most first
    levels: tuple[RelationshipLevel, ...] = ()  # where each of our people stands with them
    history: tuple[ChangeEntry, ...] = ()  # the latest changes to their place in the map, newest first

    @property
    def is_thread(self) -> bool:
        return self.strength.score > relationships.StrengthPolicy().thread_threshold


@dataclass(frozen=True)
class RelationshipMap:
    account: Account
    contacts: tuple[MapContact, ...]
    coverage: relationships.Coverage
    health: core_health.Health
    without: MapContact | None  # the contact imagined gone, if any
    coverage_without: relationships.Coverage | None
    health_without: core_health.Health | None

    @property
    def personas_covered(self) -> list[str]:
        return [relationships.PERSONA_NAMES[p] for p in self.coverage.personas_covered]

    @property
    def personas_missing(self) -> list[str]:
        return [relationships.PERSONA_NAMES[p] for p in self.coverage.personas_missing]

    def chart(self) -> dict:
        """The org chart by reports-to for ECharts: one tree under the account, colours and sizes by attribute."""
        people = {m.contact.pk: m for m in self.contacts}
        children: dict[int | None, list[int]] = defaultdict(list)
        for member in self.contacts:
            boss = member.contact.reports_to_id
            children[boss if boss in people else None].append(member.contact.pk)

        def node(pk: int, seen: frozenset[int]) -> dict:
            member = people[pk]
            contact = member.contact
            return {
                "name": contact.full_name,
                "id": pk,
                "title": contact.title,
                "buying_role": contact.get_buying_role_display() if contact.buying_role else "",
                "support": contact.get_support_display(),
                "strength": round(member.strength.score),
                "known_by": [name for name, _ in member.known_by[:3]],
                "left": contact.status == ContactStatus.LEFT,
                "replaced_by": contact.replaced_by.full_name if contact.replaced_by else "",
                "levels": [f"{level.user}: {level.get_current_display()}" for level in member.levels],
                "gone": self.without is not None and self.without.contact.pk == pk,
                "symbolSize": INFLUENCE_SIZES.get(contact.influence, 20),
                "itemStyle": {"color": SUPPORT_COLOURS.get(contact.support, "#94a3b8")},
                "children": [node(c, seen | {pk}) for c in children.get(pk, []) if c not in seen],
            }

        return {
            "name": self.account.name,
            "itemStyle": {"color": "#1e3a8a"},
            "symbolSize": 12,
            "children": [node(pk, frozenset()) for pk in children.get(None, [])],
        }


def relationship_map(*, user, account_id: int, today: dt.date | None = None, without: int | None = None):
    """The map of an account `user` may see; `without` imagines that contact gone."""
    today = today or timezone.localdate()
    account = visible_accounts(user).select_related("owner", "csm").get(pk=account_id)
    contacts = list(account.contacts.select_related("reports_to", "replaced_by").order_by("last_name", "first_name"))
    touches, known_by = _touches_and_people(contacts, today=today)
    levels: dict[int, list[RelationshipLevel]] = defaultdict(list)
    for level in (
        RelationshipLevel.objects.filter(contact__in=contacts).select_related("user").order_by("user__last_name")
    ):
        levels[level.contact_id].append(level)
    history = map_history(contacts)
    members = tuple(
        MapContact(
            c,
            relationships.contact_strength(touches.get(c.pk, []), seniority=c.seniority, today=today),
            tuple(known_by.get(c.pk, Counter()).most_common()),
            tuple(levels.get(c.pk, [])),
            tuple(history.get(c.pk, [])),
        )
        for c in contacts
    )
    members = tuple(sorted(members, key=lambda m: (-m.strength.score, m.contact.last_name)))
    present = [m for m in members if m.contact.status != ContactStatus.LEFT]
    standing = [
        relationships.ContactStanding(str(m.contact.pk), m.contact.full_name, m.contact.persona, m.strength.score)
        for m in present
    ]
    coverage = relationships.account_coverage(standing)
    health = _health(account, today=today)
    gone = next((m for m in members if m.contact.pk == without), None)
    if gone is None:
        return RelationshipMap(account, members, coverage, health, None, None, None)
    return RelationshipMap(
        account,
        members,
        coverage,
        health,
        gone,
        relationships.account_coverage(standing, without=[str(gone.contact.pk)]),
        _health(account, today=today, without=gone.contact.pk),
    )


def _health(account: Account, *, today: dt.date, without: int | None = None) -> core_health.Health:
    measures = account_measures([account.pk], today=today, without_contacts=[without] if without else [])
    return core_health.health_score(measures[account.pk], segment=account.segment)


def contact_strengths(contacts: list[Contact], *, today: dt.date | None = None) -> dict[int, float]:
    """Contact id -> 0–100 strength of our relationship, as the map computes it (the briefing pack shows it)."""
    today = today or timezone.localdate()
    touches, _ = _touches_and_people(contacts, today=today)
    return {
        c.pk: relationships.contact_strength(touches.get(c.pk, []), seniority=c.seniority, today=today).score
        for c in contacts
    }


def _touches_and_people(contacts: list[Contact], *, today: dt.date):
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=TOUCH_WINDOW_DAYS), dt.time()))
    rows = (
        EngagementContact.objects.filter(contact__in=contacts, engagement__occurred_at__gte=since)
        .values_list(
            "contact_id", "engagement_id", "engagement__occurred_at", "engagement__kind", "engagement__two_way"
        )
        .order_by()
    )
    touches: dict[int, list[relationships.Touch]] = defaultdict(list)
    engagements_of: dict[int, list[int]] = defaultdict(list)
    for contact_id, engagement_id, occurred_at, kind, two_way in rows:
        touches[contact_id].append(
            relationships.Touch(str(engagement_id), timezone.localdate(occurred_at), kind, two_way)
        )
        engagements_of[engagement_id].append(contact_id)
    known_by: dict[int, Counter] = defaultdict(Counter)
    for engagement_id, first, last in EngagementAttendee.objects.filter(
        engagement_id__in=list(engagements_of)
    ).values_list("engagement_id", "user__first_name", "user__last_name"):
        for contact_id in engagements_of[engagement_id]:
            known_by[contact_id][f"{first} {last}".strip()] += 1
    return touches, known_by


def our_people_for(account: Account) -> list:
    """Our people a relationship level can be recorded for: who met the account's contacts, its AE and CSM,
    and its sponsors; active ones only, by name."""
    from execsponsor.program.models import LIVE_STATUSES, Sponsorship
    from execsponsor.users.models import User

    met = EngagementAttendee.objects.filter(engagement__contacts__account=account).values_list("user_id", flat=True)
    sponsors = Sponsorship.objects.filter(account=account, status__in=LIVE_STATUSES).values_list(
        "executive__user_id", flat=True
    )
    ids = {*met, *sponsors, account.owner_id, account.csm_id} - {None}
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("first_name", "last_name"))
