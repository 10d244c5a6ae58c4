"""Compute every account's health from its data, as of a day, and keep the snapshot.

The measures come from what the database holds — engagements (relationship breadth, the sponsor's own
relationship, executive cadence), CSAT/NPS answers, monthly product usage and support tickets — read in a
few bulk queries, scored by `core.relationships` and `core.health`. A measure without data is left out.
Each snapshot keeps its measures and the drivers of the change from the previous snapshot, in words.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from execsponsor.access.rules import require
from execsponsor.common.batches import among, among_sql, collector_paused, span_of
from execsponsor.core import health as core_health
from execsponsor.core import relationships
from execsponsor.customers.models import Account, Contact, ContactStatus, SatisfactionResponse, UsageFigure
from execsponsor.engagements.models import Engagement, EngagementAttendee, EngagementContact
from execsponsor.insights.models import HealthSnapshot
from execsponsor.insights.policy import health_policy
from execsponsor.program.models import LIVE_STATUSES, Sponsorship, SponsorshipStatus
from execsponsor.users.models import User

SURVEY_WINDOW_DAYS = 180
TOUCH_WINDOW_DAYS = 365  # older engagements add nothing: recency has decayed and frequency looks back 90 days
BATCH = 5000
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class AccountHealth:
    account: int
    health: core_health.Health
    drivers: tuple[core_health.Driver, ...]


def account_measures(
    account_ids: list[int],
    *,
    today: dt.date,
    without_contacts: Iterable[int] = (),
    policy: core_health.HealthPolicy | None = None,
) -> dict[int, dict[str, float | None]]:
    """Each account's measure scores (0–100, None without data) as of `today`.

    `without_contacts` leaves people out, as if they had left: the "what if this contact leaves" view."""
    measures: dict[int, dict[str, float | None]] = {a: dict.fromkeys(core_health.MEASURES) for a in account_ids}
    strength, contacts = _contact_strengths(account_ids, today=today, without=set(without_contacts))
    for account_id, standing in contacts.items():
        coverage = relationships.account_coverage(standing)
        measures[account_id]["relationship_breadth"] = coverage.multithreading_score if standing else None
    for account_id, value in _sponsor_strength(account_ids, strength, today=today).items():
        measures[account_id]["sponsor_strength"] = value
    for account_id, value in _cadence(account_ids, today=today).items():
        measures[account_id]["executive_cadence"] = value
    for account_id, value in _satisfaction(account_ids, today=today).items():
        measures[account_id]["csat_nps"] = value
    for account_id, (adoption, support) in _usage(account_ids, today=today).items():
        measures[account_id]["adoption"] = adoption
        measures[account_id]["support_load"] = support
    from execsponsor.insights.csm_ratings import rating_scores

    for account_id, value in rating_scores(account_ids, today=today, policy=policy).items():
        measures[account_id]["csm_rating"] = value
    return measures


def _touches(account_ids: list[int], *, today: dt.date) -> relationships.TouchArrays:
    """Every (contact, engagement) of the accounts in the year up to `today`, as arrays.

    One plain SQL query per batch of accounts, the day computed by the database: reading 100,000 rows through
    the ORM's datetime converters took ten times longer than the strength computation itself."""
    since = dt.datetime.combine(today - dt.timedelta(days=TOUCH_WINDOW_DAYS), dt.time(), tzinfo=dt.UTC)
    until = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    link, engagement = EngagementContact._meta.db_table, Engagement._meta.db_table
    epoch_day = (
        "CAST(strftime('%%s', e.occurred_at) AS INTEGER) / 86400"
        if connection.vendor == "sqlite"
        else "CAST(FLOOR(EXTRACT(EPOCH FROM e.occurred_at) / 86400) AS INTEGER)"
    )
    depth = " ".join(f"WHEN '{kind}' THEN {value}" for kind, value in relationships.DEPTH_BY_KIND.items())
    rows: list[tuple] = []
    # A dense batch is one range; other lists go in slices that stay under every database's parameter limit.
    chunks = (
        [account_ids] if span_of(account_ids) else [account_ids[i : i + 900] for i in range(0, len(account_ids), 900)]
    )
    with connection.cursor() as cursor:
        for chunk in chunks:
            where, params = among_sql("e.account_id", chunk)
            cursor.execute(
                f"SELECT l.contact_id, {epoch_day}, CASE e.kind {depth} ELSE 0.2 END, e.two_way "  # noqa: S608 — ours
                f"FROM {link} l JOIN {engagement} e ON e.id = l.engagement_id "
                f"WHERE {where} AND e.occurred_at >= %s AND e.occurred_at < %s",
                [*params, since, until],
            )
            rows.extend(cursor.fetchall())
    table = np.array(rows, dtype=float).reshape(-1, 4)
    return relationships.TouchArrays(
        contact=table[:, 0].astype(np.int64),
        day=table[:, 1].astype(np.int64) + EPOCH_ORDINAL,
        depth=table[:, 2],
        two_way=table[:, 3].astype(bool),
    )


def _contact_strengths(
    account_ids: list[int], *, today: dt.date, without: set[int]
) -> tuple[dict[int, float], dict[int, list[relationships.ContactStanding]]]:
    people = [p for p in _people(account_ids, today=today) if p[0] not in without]
    table = relationships.strengths(
        _touches(account_ids, today=today), seniority={p[0]: p[2] for p in people}, today=today
    )
    present = {p[0] for p in people}  # people who left, or are imagined gone, hold no strength
    strength = {c: v for c, v in zip(table.contact.tolist(), table.score.tolist(), strict=True) if c in present}
    by_account: dict[int, list[relationships.ContactStanding]] = defaultdict(list)
    for pk, account_id, _, persona, first, last in people:
        name = f"{first} {last}".strip()
        by_account[account_id].append(relationships.ContactStanding(str(pk), name, persona, strength.get(pk, 0.0)))
    return strength, {a: by_account.get(a, []) for a in account_ids}


def _people(account_ids: list[int], *, today: dt.date) -> list[tuple[int, int, str, str, str, str]]:
    """(id, account, seniority, persona, first name, last name) of the accounts' contacts still there on
    `today`: someone who left after `today` was still there on that day, so a replay of an earlier day counts
    them. Plain SQL: a million contacts through the ORM's row converters cost more than the scoring."""
    table = Contact._meta.db_table
    rows: list[tuple[int, int, str, str, str, str]] = []
    chunks = (
        [account_ids] if span_of(account_ids) else [account_ids[i : i + 900] for i in range(0, len(account_ids), 900)]
    )
    with connection.cursor() as cursor:
        for chunk in chunks:
            where, params = among_sql("account_id", chunk)
            cursor.execute(
                f"SELECT id, account_id, seniority, persona, first_name, last_name FROM {table} "  # noqa: S608 — ours
                f"WHERE {where} AND NOT (status = %s AND (status_changed_on IS NULL OR status_changed_on <= %s))",
                [*params, ContactStatus.LEFT.value, connection.ops.adapt_datefield_value(today)],
            )
            rows.extend(cursor.fetchall())
    return rows


@dataclass(frozen=True)
class LiveSponsorship:
    id: int
    account: int
    sponsor_user: int
    cadence_days: int
    began_on: dt.date
    paused: bool


def _live_on(account_ids: list[int], *, today: dt.date) -> list[LiveSponsorship]:
    """Sponsorships that were live on `today`: begun by then and not ended before (so history can be replayed)."""
    rows = Sponsorship.objects.filter(
        among("account_id", account_ids), status__in=[*LIVE_STATUSES, SponsorshipStatus.ENDED]
    ).values_list(
        "pk", "account_id", "executive__user_id", "cadence_days", "started_on", "approved_at", "ended_on", "status"
    )
    live = []
    for pk, account_id, user_id, cadence, started_on, approved_at, ended_on, status in rows:
        began = started_on or (timezone.localdate(approved_at) if approved_at else None)
        if began is None or began > today or (ended_on is not None and ended_on <= today):
            continue
        paused = status == SponsorshipStatus.PAUSED
        live.append(LiveSponsorship(pk, account_id, user_id, cadence or 14, began, paused))
    return live


def _sponsor_strength(account_ids: list[int], strength: dict[int, float], *, today: dt.date) -> dict[int, float]:
    """The strongest relationship a live sponsor has with someone at the account."""
    sponsors: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for live in _live_on(account_ids, today=today):
        sponsors[live.account].append((live.id, live.sponsor_user))
    sponsor_users = sorted({user for pairs in sponsors.values() for _, user in pairs})
    if not sponsor_users:
        return {}
    # Which contacts each live sponsor has met at the account: one query, the pairs kept in Python.
    accounts_where, account_params = among_sql("e.account_id", sorted(sponsors))  # the sponsored few, not the batch
    attendee, engagement, link = (
        EngagementAttendee._meta.db_table,
        Engagement._meta.db_table,
        EngagementContact._meta.db_table,
    )
    wanted = {(account_id, user_id) for account_id, pairs in sponsors.items() for _, user_id in pairs}
    best: dict[int, float] = dict.fromkeys(sponsors, 0.0)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT e.account_id, a.user_id, l.contact_id FROM {attendee} a "  # noqa: S608 — names are ours
            f"JOIN {engagement} e ON e.id = a.engagement_id JOIN {link} l ON l.engagement_id = e.id "
            f"WHERE {accounts_where}",  # not also by user: an IN list there is probed for every engagement
            account_params,
        )
        for account_id, user_id, contact_id in cursor.fetchall():
            if (account_id, user_id) in wanted:
                best[account_id] = max(best[account_id], strength.get(contact_id, 0.0))
    return best


def cadence_score(days_since: int, interval: int) -> float:
    """100 while the last engagement that counts is within the cadence, falling to 0 at three intervals."""
    if days_since <= interval:
        return 100.0
    return max(0.0, 100.0 * (1 - (days_since - interval) / (2 * interval)))


def _cadence(account_ids: list[int], *, today: dt.date) -> dict[int, float]:
    """Per account with a live sponsorship: how well its sponsors keep their cadence (the worst of them)."""
    live = [s for s in _live_on(account_ids, today=today) if not s.paused]  # a paused sponsorship is not due
    until = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time()))
    last = dict(
        Engagement.objects.filter(sponsorship_id__in=[s.id for s in live], counts=True, occurred_at__lt=until)
        .values("sponsorship_id")
        .annotate(latest=Max("occurred_at"))
        .values_list("sponsorship_id", "latest")
    )
    result: dict[int, float] = {}
    for sponsorship in live:
        clock = last.get(sponsorship.id)
        start = max(sponsorship.began_on, timezone.localdate(clock)) if clock else sponsorship.began_on
        score = cadence_score((today - start).days, sponsorship.cadence_days)
        result[sponsorship.account] = min(score, result.get(sponsorship.account, 100.0))
    return result


def _satisfaction(account_ids: list[int], *, today: dt.date) -> dict[int, float]:
    answers: dict[int, dict[str, list[int]]] = defaultdict(lambda: {"csat": [], "nps": []})
    for account_id, kind, score in SatisfactionResponse.objects.filter(
        among("account_id", account_ids),
        responded_on__gt=today - dt.timedelta(days=SURVEY_WINDOW_DAYS),
        responded_on__lte=today,
    ).values_list("account_id", "kind", "score"):
        answers[account_id][kind].append(score)
    result = {}
    for account_id, by_kind in answers.items():
        csat = statistics.fmean(by_kind["csat"]) if by_kind["csat"] else None
        nps = net_promoter_score(by_kind["nps"]) if by_kind["nps"] else None
        value = core_health.csat_nps_score(csat=csat, nps=nps)
        if value is not None:
            result[account_id] = value
    return result


def net_promoter_score(answers: list[int]) -> float:
    """% promoters (9–10) minus % detractors (0–6), from −100 to 100."""
    promoters = sum(a >= 9 for a in answers)
    detractors = sum(a <= 6 for a in answers)
    return 100.0 * (promoters - detractors) / len(answers)


def _usage(account_ids: list[int], *, today: dt.date) -> dict[int, tuple[float | None, float | None]]:
    """Adoption from the latest month's seats in use; support load from its tickets against the account's own
    median of the six months before, so a spike shows whatever the account's size."""
    months: dict[int, list[tuple[int | None, int | None, int | None]]] = defaultdict(list)
    for account_id, seats, active, tickets in (
        UsageFigure.objects.filter(
            among("account_id", account_ids), month__lte=today, month__gt=today - dt.timedelta(days=7 * 31)
        )
        .order_by("account_id", "month")
        .values_list("account_id", "licensed_seats", "active_users", "support_tickets")
    ):
        months[account_id].append((seats, active, tickets))
    result = {}
    for account_id, rows in months.items():
        seats, active, tickets = rows[-1]  # the latest month: rows come in month order
        adoption = core_health.adoption_score(active_users=active, licensed_users=seats)
        earlier = [r[2] for r in rows[:-1] if r[2] is not None]
        baseline = max(1.0, statistics.median(earlier)) if earlier else 4.0
        support = core_health.support_load_score(tickets_per_month=tickets, baseline=baseline)
        result[account_id] = (adoption, support)
    return result


def health_for(
    account_ids: list[int], *, today: dt.date, policy: core_health.HealthPolicy | None = None
) -> list[AccountHealth]:
    """Health of the accounts as of `today`, with the drivers of the change since their previous snapshot."""
    segments = dict(Account.objects.filter(among("pk", account_ids)).values_list("pk", "segment"))
    previous = _previous_snapshots(account_ids, before=today)
    result = []
    for account_id, measures in account_measures(account_ids, today=today, policy=policy).items():
        now = core_health.health_score(measures, segment=segments.get(account_id, ""), policy=policy)
        before = previous.get(account_id)
        drivers: tuple[core_health.Driver, ...] = ()
        if before is not None:
            then = core_health.health_score(before, segment=segments.get(account_id, ""), policy=policy)
            drivers = core_health.explain_change(then, now)
        result.append(AccountHealth(account_id, now, drivers))
    return result


def _previous_snapshots(account_ids: list[int], *, before: dt.date) -> dict[int, dict[str, float | None]]:
    latest = (
        HealthSnapshot.objects.filter(among("account_id", account_ids), taken_on__lt=before)
        .values("account_id")
        .annotate(day=Max("taken_on"))
    )
    wanted = {(row["account_id"], row["day"]) for row in latest}
    found = {}
    for account_id, day, measures in HealthSnapshot.objects.filter(
        account_id__in={a for a, _ in wanted}, taken_on__in={d for _, d in wanted}
    ).values_list("account_id", "taken_on", "measures"):
        if (account_id, day) in wanted and isinstance(measures, dict):
            found[account_id] = measures
    return found


def health_recompute(
    *, by: User, today: dt.date | None = None, account_ids: list[int] | None = None, update_accounts: bool = True
) -> int:
    """Compute and keep today's snapshot for the accounts (all customers by default); returns how many.

    `by`: the nightly job's system user, the program owner who saved new weights, or whoever's change to some
    accounts (a CSM's rating) moves their health. Runs in batches, each in its own short transaction, so the
    web app keeps answering; running it twice on one day replaces that day's snapshot (idempotent)."""
    if account_ids is None:
        require(by, "execsponsor.run_program", to="recompute every account's health")
    else:
        require(by, "execsponsor.write", to="recompute an account's health")
    today = today or timezone.localdate()
    policy, _ = health_policy()
    ids = account_ids if account_ids is not None else list(Account.objects.order_by("pk").values_list("pk", flat=True))
    written = 0
    with collector_paused():
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            results = health_for(batch, today=today, policy=policy)
            with transaction.atomic():
                HealthSnapshot.objects.filter(among("account_id", batch), taken_on=today).delete()
                _insert_snapshots([r for r in results if r.health.score is not None], today=today)
                if update_accounts:
                    _update_accounts(results)
            written += sum(r.health.score is not None for r in results)
    return written


def _insert_snapshots(results: list[AccountHealth], *, today: dt.date) -> None:
    """The day's snapshots, in one prepared INSERT run for every row: the values are prepared by the model's
    own fields (JSON, dates) for the database in use, without building a model instance per account."""
    fields = {f.name: f for f in HealthSnapshot._meta.concrete_fields}
    measures, drivers = fields["measures"], fields["drivers"]
    as_json = connection.ops.adapt_json_value  # what the JSON fields do for this database, called directly
    day = fields["taken_on"].get_db_prep_save(today, connection)
    rows = [
        (
            r.account,
            day,
            r.health.score,
            r.health.band,
            as_json({m: round(v, 1) for m, v in r.health.measures.items()}, measures.encoder),
            as_json([d.sentence for d in r.drivers[:5]], drivers.encoder),
        )
        for r in results
    ]
    columns = ", ".join(
        connection.ops.quote_name(fields[n].column)
        for n in ("account", "taken_on", "score", "band", "measures", "drivers")
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {HealthSnapshot._meta.db_table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)",  # noqa: S608
            rows,
        )


def _update_accounts(results: list[AccountHealth]) -> None:
    """Each account's current score and band, in one prepared UPDATE run for every row (Django's bulk_update
    compiles a CASE expression per row, which took half of the recompute)."""
    table = Account._meta.db_table
    rows = [(r.health.score, r.health.band or "", r.account) for r in results]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET health_score = %s, health_band = %s WHERE id = %s",  # noqa: S608 — our table name
            rows,
        )
