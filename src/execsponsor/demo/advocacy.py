"""Outcomes the customers expect (some delivered with evidence, some success stories) and advocates with what
they agreed to and have done: records people would enter, written as inputs. Nothing here is computed by the
product; the briefing pack and the account page read them as they are.

Who gets them: every running sponsorship's account (the sponsor and AE record what the customer expects at
onboarding) and one in ten other customers. A result is more often delivered where the customer is doing well
(the account's condition), and only a delivered one is a success story; advocates come from satisfied
sponsored accounts, among their supporters and mentors still there.
"""

from __future__ import annotations

import json

import numpy as np

from execsponsor.customers.models import AdvocacyKind
from execsponsor.demo.plan import Company
from execsponsor.demo.storage import insert_rows

# (title, measure, baseline, target, evidence with {target})
OUTCOME_KINDS = (
    ("Close the books faster", "days to close", "9", "4", "Finance closed the quarter in {target} days"),
    ("Cut onboarding time for new staff", "weeks to productivity", "8", "3", "HR survey: {target} weeks on average"),
    ("Reduce manual reporting", "hours a week", "40", "10", "Time tracking shows {target} hours a week"),
    ("Lower the cost to serve", "cost per ticket (USD)", "18", "11", "Support dashboard: ${target} per ticket"),
    ("Raise first-contact resolution", "% resolved first time", "61", "80", "Quarterly report: {target}%"),
    ("Shorten the sales cycle", "days from lead to close", "120", "75", "CRM median for the half year: {target} days"),
    ("Launch in a new market", "markets live", "3", "4", "Live in market {target} since the launch event"),
    ("Consolidate legacy tools", "tools retired", "0", "5", "{target} tools switched off, licences cancelled"),
    ("Improve forecast accuracy", "% forecast error", "22", "8", "The CFO's review showed {target}% error"),
    ("Cut audit findings", "open findings", "14", "2", "External audit closed with {target} findings"),
)
ADVOCACY_NOTES = {
    "reference_call": "Call with a prospect's CFO",
    "case_study": "Case study published on our site",
    "testimonial": "Quote approved for the website",
    "event": "Spoke on our customer panel",
    "peer_introduction": "Introduced us to a peer at another company",
    "analyst_reference": "Briefed an industry analyst",
    "product_feedback": "Joined the product advisory board",
}
ADVOCACY_KINDS = tuple(AdvocacyKind.values)
SUPPORTIVE = (0, 1)  # contacts.SUPPORT: mentor, supporter


def _accounts_with_outcomes(company: Company, rng: np.random.Generator) -> tuple[np.ndarray, dict[int, int]]:
    a = company.arrays
    running = a["running"]
    started = dict(zip(running.tolist(), a["running_started_days_ago"].tolist(), strict=True))
    customers = np.setdiff1d(np.arange(company.size.accounts), running)
    others = customers[rng.random(customers.size) < 0.10]
    return np.concatenate([running, others]), started


def write_outcomes(company: Company) -> dict[str, int]:
    """2–4 outcomes per chosen account; the counts by status go into the demo's truth."""
    a = company.arrays
    rng = company.rng("outcomes")
    accounts, started = _accounts_with_outcomes(company, rng)
    condition = a["condition"][:, -1]
    rows = []
    for account in accounts.tolist():
        recorded_days = started.get(account, int(rng.integers(60, 600)))
        for kind in rng.choice(len(OUTCOME_KINDS), int(rng.integers(2, 5)), replace=False).tolist():
            rows.append(_outcome_row(company, rng, account, kind, recorded_days, float(condition[account])))
    columns = (
        "id", "account_id", "title", "measure", "baseline", "target", "expected_by", "status", "evidence",
        "recorded_on", "delivered_on", "shared_with_customer", "is_success_story", "created_at", "updated_at",
    )  # fmt: skip
    insert_rows("customers_outcome", columns, [(i, *row) for i, row in enumerate(rows, start=1)])
    counts = {status: sum(1 for row in rows if row[6] == status) for status in ("expected", "in_progress", "delivered")}
    counts["missed"] = sum(1 for row in rows if row[6] == "missed")
    counts["success_stories"] = sum(1 for row in rows if row[11])
    return counts


def _outcome_row(company: Company, rng: np.random.Generator, account: int, kind: int, recorded: int, health: float):
    title, measure, baseline, target, evidence = OUTCOME_KINDS[kind]
    expected_in = int(rng.integers(90, 360))  # days after it was recorded
    due = recorded - expected_in  # days ago (negative: still ahead)
    draw = rng.random()
    if due > 0 and draw < 0.25 + 0.6 * health:
        status = "delivered"
    elif due > 0 and draw > 0.9:
        status = "missed"
    else:
        status = "in_progress" if rng.random() < 0.5 else "expected"
    delivered = status == "delivered"
    delivered_days = max(0, due + int(rng.integers(-20, 30))) if delivered else None
    story = delivered and health > 0.6 and rng.random() < 0.45
    created = f"{company.iso(recorded)} 10:00:00"
    return (
        account + 1,
        title,
        measure,
        baseline,
        target,
        company.iso(due),
        status,
        evidence.format(target=target) if delivered else "",
        company.iso(recorded),
        company.iso(delivered_days) if delivered_days is not None else None,
        delivered and rng.random() < 0.7,
        story,
        created,
        created,
    )


def write_advocates(company: Company) -> dict[str, int]:
    """About half the satisfied sponsored accounts have one advocate (a supporter or mentor still there) who
    agreed to 1–3 kinds of advocacy and has done 0–4 things since."""
    a = company.arrays
    rng = company.rng("advocates")
    condition = a["condition"][:, -1]
    advocates, activities = [], []
    for account in a["running"].tolist():
        if condition[account] < 0.6 or rng.random() < 0.5:
            continue
        first = int(a["contact_start"][account])
        rows = np.arange(first, first + int(a["contact_count"][account]))
        fit = rows[(a["contact_status"][rows] == 0) & np.isin(a["contact_support"][rows], SUPPORTIVE)]
        if fit.size == 0:
            continue
        contact = int(rng.choice(fit))
        agreed = sorted(rng.choice(len(ADVOCACY_KINDS), int(rng.integers(1, 4)), replace=False).tolist())
        agreed_days = int(rng.integers(60, 500))
        advocate_id = len(advocates) + 1
        kinds = [ADVOCACY_KINDS[k] for k in agreed]
        created = f"{company.iso(agreed_days)} 11:00:00"
        advocates.append((advocate_id, contact + 1, _json_list(kinds), company.iso(agreed_days), "", created, created))
        for _ in range(int(rng.integers(0, 5))):
            kind = kinds[int(rng.integers(0, len(kinds)))]
            done = int(rng.integers(1, agreed_days))
            note = ADVOCACY_NOTES[kind]
            activities.append((len(activities) + 1, advocate_id, kind, company.iso(done), note, created))
    insert_rows(
        "customers_advocate", ("id", "contact_id", "agreed_to", "agreed_on", "notes", "created_at", "updated_at"),
        advocates,
    )  # fmt: skip
    insert_rows(
        "customers_advocacyactivity", ("id", "advocate_id", "kind", "done_on", "note", "created_at"), activities
    )
    return {"advocates": len(advocates), "advocacy_activities": len(activities)}


def _json_list(values: list[str]) -> str:
    return json.dumps(values)


def write_outcomes_and_advocates(company: Company) -> None:
    company.truth["outcomes"] = {**write_outcomes(company), **write_advocates(company)}
