"""The nightly recompute of relationship strength and health, against one hand-written SQL query.

    ESP_DATA_DIR=/tmp/esp100k PYTHONPATH=$PWD/src .venv/bin/python bench/health_recompute.py [--repeat 1]

Run it against an existing demo (`esp demo --accounts 100000 --no-serve` for the big one). SQLite only.

  ExecSponsor  health_recompute(by=<the system user>): what the nightly job runs. For every customer account,
               in batches of 2,000: each contact's relationship strength from a year of engagements
               (core.relationships), threads, persona coverage and the multithreading score, the sponsor's own
               strongest relationship, executive cadence, CSAT/NPS, adoption and support load, the CSM's
               rating, the weighted health score with its drivers against the previous snapshot
               (core.health), and the snapshot written (one transaction per batch) with the account's score.
  reference    one SQL statement computing the same aggregates per account from the same rows: every
               contact's strength by the documented formula (recency halving every 30 days since the last
               two-way contact, frequency over 90 days against 6, the two-way share, the mean depth by kind,
               seniority; 0 without two-way contact), threads above 30, the strongest, the sponsor's strongest
               relationship, the worst cadence score of the account's live sponsorships, CSAT mean and NPS over
               180 days, the latest month's adoption and tickets, rows fetched into Python. It writes nothing,
               and does no scoring beyond that, so it is a lower bound for the work.

Before timing, the two are checked against each other on a sample of accounts: every contact's strength and
every account's thread count must agree. Prints both times and the ratio (target: within 3×).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
sys.path.insert(0, str(SRC))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "execsponsor.settings")

DEPTH = {"dinner": 1.0, "qbr": 1.0, "meeting": 0.9, "event": 0.7, "call": 0.6, "email": 0.3, "task": 0.2}
SENIORITY = {"c_level": 1.0, "vp": 0.8, "director": 0.6, "manager": 0.4, "individual": 0.2}


def _case(column: str, values: dict[str, float], default: float) -> str:
    whens = " ".join(f"WHEN '{k}' THEN {v}" for k, v in values.items())
    return f"CASE {column} {whens} ELSE {default} END"


# :today is the day number (days since 1970-01-01, UTC) of the recompute's day; :since and :until bound the year
# of engagements read. `accounts` is replaced by a filter for the cross-check, by nothing for the full run.
STRENGTH_CTE = f"""
touch AS (
    SELECT l.contact_id AS contact,
           CAST(strftime('%s', e.occurred_at) AS INTEGER) / 86400 AS day,
           e.two_way AS two_way,
           {_case("e.kind", DEPTH, 0.2)} AS depth
    FROM engagements_engagementcontact l
    JOIN engagements_engagement e ON e.id = l.engagement_id
    WHERE e.occurred_at >= :since AND e.occurred_at < :until {{engagement_filter}}
),
per_contact AS (
    SELECT contact,
           MAX(CASE WHEN two_way THEN day END) AS last_two_way,
           SUM(day > :today - 90) AS recent,
           SUM(day > :today - 90 AND two_way) AS recent_two_way,
           SUM(CASE WHEN day > :today - 90 THEN depth ELSE 0 END) AS recent_depth
    FROM touch GROUP BY contact
),
strength AS (
    SELECT c.id AS contact, c.account_id AS account,
           CASE WHEN p.last_two_way IS NULL THEN 0.0 ELSE
               30 * pow(0.5, MAX(:today - p.last_two_way, 0) / 30.0)
             + 25 * MIN(1.0, p.recent / 6.0)
             + 15 * (CASE WHEN p.recent > 0 THEN 1.0 * p.recent_two_way / p.recent ELSE 0 END)
             + 15 * (CASE WHEN p.recent > 0 THEN p.recent_depth / p.recent ELSE 0 END)
             + 15 * {_case("c.seniority", SENIORITY, 0.2)}
           END AS score
    FROM customers_contact c LEFT JOIN per_contact p ON p.contact = c.id
    WHERE NOT (c.status = 'left' AND (c.status_changed_on IS NULL OR c.status_changed_on <= :today_date))
          {{contact_filter}}
)"""

REFERENCE_SQL = f"""
WITH {STRENGTH_CTE.format(engagement_filter="", contact_filter="")},
threads AS (
    SELECT account, SUM(score > 30) AS threads, MAX(score) AS strongest FROM strength GROUP BY account
),
live AS (
    SELECT s.id, s.account_id AS account, x.user_id AS sponsor, COALESCE(s.cadence_days, 14) AS cadence,
           COALESCE(s.started_on, date(s.approved_at)) AS began, s.status
    FROM program_sponsorship s JOIN users_executive x ON x.id = s.executive_id
    WHERE s.status IN ('approved', 'introduced', 'active', 'paused')
),
sponsor AS (
    SELECT live.account, MAX(st.score) AS strongest
    FROM live
    JOIN engagements_engagement e ON e.account_id = live.account
    JOIN engagements_engagementattendee a ON a.engagement_id = e.id AND a.user_id = live.sponsor
    JOIN engagements_engagementcontact l ON l.engagement_id = e.id
    JOIN strength st ON st.contact = l.contact_id
    GROUP BY live.account
),
cadence AS (
    SELECT live.account,
           MIN(CASE WHEN gap <= cadence THEN 100.0
                    ELSE MAX(0.0, 100.0 * (1 - (gap - cadence) / (2.0 * cadence))) END) AS score
    FROM (
        SELECT live.*, CAST(julianday(:today_date) - julianday(MAX(live.began, COALESCE(date(MAX(e.occurred_at)),
               live.began))) AS INTEGER) AS gap
        FROM live LEFT JOIN engagements_engagement e
             ON e.sponsorship_id = live.id AND e.counts AND e.occurred_at < :until
        WHERE live.status != 'paused'
        GROUP BY live.id
    ) live
    GROUP BY live.account
),
survey AS (
    SELECT account_id AS account,
           AVG(CASE WHEN kind = 'csat' THEN score END) AS csat,
           100.0 * (SUM(kind = 'nps' AND score >= 9) - SUM(kind = 'nps' AND score <= 6))
               / NULLIF(SUM(kind = 'nps'), 0) AS nps
    FROM customers_satisfactionresponse
    WHERE responded_on > date(:today_date, '-180 days') AND responded_on <= :today_date
    GROUP BY account_id
),
usage AS (
    SELECT account, 1.0 * active_users / NULLIF(licensed_seats, 0) AS adoption, support_tickets AS tickets
    FROM (
        SELECT account_id AS account, active_users, licensed_seats, support_tickets,
               ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY month DESC) AS n
        FROM customers_usagefigure
        WHERE month <= :today_date AND month > date(:today_date, '-217 days')
    ) WHERE n = 1
)
SELECT a.id, t.threads, t.strongest, sp.strongest, ca.score, su.csat, su.nps, u.adoption, u.tickets
FROM customers_account a
LEFT JOIN threads t ON t.account = a.id
LEFT JOIN sponsor sp ON sp.account = a.id
LEFT JOIN cadence ca ON ca.account = a.id
LEFT JOIN survey su ON su.account = a.id
LEFT JOIN usage u ON u.account = a.id
"""


def parameters(today: dt.date) -> dict[str, object]:
    since = dt.datetime.combine(today - dt.timedelta(days=365), dt.time(), tzinfo=dt.UTC)
    until = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    from django.db import connection

    adapt = connection.ops.adapt_datetimefield_value  # the text Django stores datetimes as
    return {
        "today": (today - dt.date(1970, 1, 1)).days,
        "today_date": today.isoformat(),
        "since": adapt(since),
        "until": adapt(until),
    }


def cross_check(cursor, today: dt.date, sample: list[int]) -> int:
    """The product's strengths and thread counts for `sample` against the reference's; returns contacts compared."""
    from execsponsor.insights.health import _contact_strengths

    strength, standing = _contact_strengths(sample, today=today, without=set())
    marks = ", ".join(str(int(a)) for a in sample)
    sql = f"WITH {STRENGTH_CTE.format(engagement_filter=f'AND e.account_id IN ({marks})', contact_filter=f'AND c.account_id IN ({marks})')} SELECT contact, account, score FROM strength"  # noqa: E501, S608
    cursor.execute(sql, parameters(today))
    rows = cursor.fetchall()
    worst = max((abs(strength.get(contact, 0.0) - score) for contact, _, score in rows), default=0.0)
    if worst > 1e-6:
        sys.exit(f"the reference and the product disagree on a contact's strength by {worst:.6f}")
    threads: dict[int, int] = {}
    for _, account, score in rows:
        threads[account] = threads.get(account, 0) + (score > 30)
    for account, people in standing.items():
        ours = sum(p.strength > 30 for p in people)
        if ours != threads.get(account, 0):
            sys.exit(f"account {account}: {ours} threads in the product, {threads.get(account, 0)} in the reference")
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=1, help="time each this often (median); the recompute is long")
    parser.add_argument("--sample", type=int, default=500, help="accounts to cross-check before timing")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from execsponsor.customers.models import Account
    from execsponsor.engagements.models import Engagement, EngagementContact
    from execsponsor.insights.health import health_recompute
    from execsponsor.users.services import system_user

    if connection.vendor != "sqlite":
        sys.exit("the reference query is written for SQLite")
    today = timezone.localdate()
    accounts = Account.objects.count()
    print(
        f"{accounts:,} accounts, {Engagement.objects.count():,} engagements, "
        f"{EngagementContact.objects.count():,} customer-side participants; today {today}",
        flush=True,
    )
    ids = list(Account.objects.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(ids) // args.sample)
    connection.ensure_connection()
    raw = connection.connection  # the sqlite3 connection itself: named parameters, no Django placeholder rewriting
    compared = cross_check(raw.cursor(), today, ids[::step][: args.sample])
    print(f"cross-check: {compared:,} contacts of {min(args.sample, len(ids)):,} accounts agree", flush=True)

    def reference() -> int:
        cursor = raw.cursor()
        cursor.execute(REFERENCE_SQL, parameters(today))
        return len(cursor.fetchall())

    actor = system_user()
    ours_times, reference_times = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        rows = reference()
        reference_times.append(time.perf_counter() - started)
        print(f"reference: {rows:,} accounts in {reference_times[-1]:.1f} s", flush=True)
        started = time.perf_counter()
        written = health_recompute(by=actor, today=today)
        ours_times.append(time.perf_counter() - started)
        print(f"ExecSponsor: {written:,} snapshots in {ours_times[-1]:.1f} s", flush=True)
    ours, ref = statistics.median(ours_times), statistics.median(reference_times)
    print(f"\nExecSponsor health_recompute   {ours:8.1f} s")
    print(f"reference (one SQL query)      {ref:8.1f} s")
    print(f"ratio                          {ours / ref:8.2f}x   (target: within 3x)")


if __name__ == "__main__":
    main()
