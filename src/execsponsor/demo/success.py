"""The program's two measures of success, planted as inputs: opportunities that began after a sponsor's meeting
with the customer's C-level (earlier access), and opportunities outside the account plan (unexpected business).

Only opportunities are written, as a CRM would hold them; the product derives both flags (insights/measures.py).
Runs after the engagements, because an earlier-access opportunity is opened a few days after a real one.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db import connection
from django.utils import timezone

from execsponsor.demo import vocabulary as words
from execsponsor.demo.plan import Company
from execsponsor.demo.revenue import account_plans
from execsponsor.demo.storage import insert_rows
from execsponsor.engagements.models import Engagement

EARLIER_ACCESS_SHARE = 0.25  # of the running sponsorships
UNEXPECTED_SHARE = 0.2
OPENED_AFTER_MEETING = (0, 21)  # days after the meeting, inside the product's default 30-day window
COLUMNS = (
    "id", "account_id", "source", "external_id", "name", "stage", "is_closed", "is_won", "amount", "currency",
    "close_date", "opened_on", "kind", "capability_area", "opened_stage", "began_in_executive_conversation",
    "owner_id", "created_at", "updated_at",
)  # fmt: skip


def write_success_opportunities(company: Company) -> None:
    rng = company.rng("success measures")
    running = [r for r in company.sponsorships if r["status"] in ("active", "paused") and r["started_days_ago"]]
    running.sort(key=lambda r: r["id"])
    meetings = _counting_meetings([r["id"] for r in running])
    with_meeting = [r for r in running if meetings.get(r["id"])]
    earlier = _choose(rng, with_meeting, EARLIER_ACCESS_SHARE)
    unexpected = _choose(rng, running, UNEXPECTED_SHARE)
    plans = account_plans(company)
    rows: list[tuple] = []
    truth_earlier, truth_unexpected = [], []
    next_id = _next_id()
    for row in earlier:
        meeting = meetings[row["id"]][int(rng.integers(0, len(meetings[row["id"]])))]
        opened = min(meeting + dt.timedelta(days=int(rng.integers(*OPENED_AFTER_MEETING))), company.as_of)
        plan = plans[row["account"]]
        area = plan[int(rng.integers(0, len(plan)))]
        key = f"DEMO-OPP-EA-{row['id']:05d}"
        rows.append(_row(company, rng, next_id, row["account"], key, area, opened, "Prospecting", "New business"))
        truth_earlier.append({"opportunity": key, "meeting_on": meeting.isoformat(), "opened_on": opened.isoformat()})
        next_id += 1
    for row in unexpected:
        plan = set(plans[row["account"]])
        outside = [area for area in words.CAPABILITY_AREAS if area not in plan]
        area = outside[int(rng.integers(0, len(outside)))]
        started_days_ago = int(row["started_days_ago"])
        opened_days_ago = int(rng.integers(0, max(1, started_days_ago - 5)))
        opened = company.day(opened_days_ago)
        key = f"DEMO-OPP-UB-{row['id']:05d}"
        rows.append(_row(company, rng, next_id, row["account"], key, area, opened, "Proposal", "Expansion"))
        truth_unexpected.append({"opportunity": key, "capability_area": area, "plan": sorted(plan)})
        next_id += 1
    insert_rows("customers_opportunity", COLUMNS, rows)
    company.truth["earlier_access"] = {
        "planted": truth_earlier,
        "rule": "opened 0–20 days after a counting sponsor meeting with a C-level counterpart, first at Prospecting",
    }
    company.truth["unexpected_business"] = {
        "planted": truth_unexpected,
        "rule": "opened during a running sponsorship in a capability area outside the account's plan",
    }


def _choose(rng: np.random.Generator, rows: list[dict], share: float) -> list[dict]:
    if not rows:
        return []
    count = max(1, round(share * len(rows)))
    picks = sorted(rng.choice(len(rows), min(count, len(rows)), replace=False).tolist())
    return [rows[k] for k in picks]


def _counting_meetings(ids: list[int]) -> dict[int, list[dt.date]]:
    """The days of each sponsorship's engagements that count, as the demo wrote them (all with the sponsor and
    the C-level counterpart), oldest first."""
    days: dict[int, list[dt.date]] = {}
    for sponsorship, occurred in (
        Engagement.objects.filter(sponsorship_id__in=ids, counts=True)
        .order_by("sponsorship_id", "occurred_at")
        .values_list("sponsorship_id", "occurred_at")
    ):
        days.setdefault(sponsorship, []).append(timezone.localdate(occurred))
    return days


def _next_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM customers_opportunity")
        return int(cursor.fetchone()[0]) + 1


def _row(company, rng, pk, account, key, area, opened: dt.date, opened_stage, kind) -> tuple:
    a = company.arrays
    name = f"{company.lists['account_short_name'][account]} – {area} {kind}"
    amount = float(np.round(a["arr"][account] * rng.lognormal(-1.2, 0.6), -2))
    stamp = f"{opened.isoformat()} 11:00:00"
    stage = words.OPPORTUNITY_STAGES[int(rng.integers(0, 3))]
    close = (opened + dt.timedelta(days=int(rng.integers(60, 180)))).isoformat()
    owner = int(a["owner"][account])
    return (pk, account + 1, "demo", key, name, stage, False, False, amount, "USD", close, opened.isoformat(), kind,
            area, opened_stage, False, owner, stamp, stamp)  # fmt: skip
