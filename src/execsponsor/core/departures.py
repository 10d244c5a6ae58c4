"""Has a customer contact left? Evidence from bounces, replies, enrichment feeds, unsubscribes and product
logins, combined into one verdict with a confidence and the evidence it rests on.

Each kind of evidence has a weight: the probability that it alone means the person left. Weights combine
as independent pieces of evidence do (1 − Π(1 − w)), so one strong signal (a hard bounce after which the
contact sends nothing more, a "has left the company" reply, an enrichment record at a new company) or two
weak ones (an unsubscribe, a drop in product logins) reach the *probable departure* threshold, and one
weak signal alone stays *possible*. A delayed (4.x.x) bounce and an ordinary out-of-office weigh nothing.
A job change inside the same customer is a role change, its own case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

DEFAULT_WEIGHTS: Mapping[str, float] = {
    "hard_bounce": 0.85,
    "departure_notice": 0.95,
    "job_change": 0.9,
    "unsubscribe": 0.5,
    "login_drop": 0.5,
    "soft_bounce": 0.0,
    "out_of_office": 0.0,
}

EVIDENCE_NAMES: Mapping[str, str] = {
    "hard_bounce": "a hard bounce",
    "departure_notice": "a reply saying they have left",
    "job_change": "an enrichment record at a new company",
    "unsubscribe": "an unsubscribe",
    "login_drop": "a drop in their product logins",
    "soft_bounce": "a delayed bounce",
    "out_of_office": "an out-of-office reply",
}


@dataclass(frozen=True)
class DeparturePolicy:
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    probable_at: float = 0.7  # one strong or two weak signals
    window_days: int = 120  # evidence older than this no longer combines


@dataclass(frozen=True)
class Evidence:
    kind: str
    observed_on: dt.date
    detail: str = ""
    new_company: str = ""  # job changes and departure notices that name where they went
    new_title: str = ""
    same_company: bool = False  # a job change inside the same customer


@dataclass(frozen=True)
class Assessment:
    verdict: str  # "none", "possible", "probable_departure" or "role_change"
    confidence: float  # 0–1, that the contact has left
    evidence: tuple[Evidence, ...]  # what the verdict rests on
    reasons: tuple[str, ...]  # the evidence in words, and what was set aside
    new_company: str = ""
    new_title: str = ""

    @property
    def departed(self) -> bool:
        return self.verdict == "probable_departure"


def assess_contact(
    evidence: Sequence[Evidence],
    *,
    today: dt.date,
    last_heard_from: dt.date | None = None,
    policy: DeparturePolicy | None = None,
) -> Assessment:
    """The verdict on one contact from all the evidence about them.

    `last_heard_from` is the last day the contact themselves wrote or took part in an engagement: a hard
    bounce before that day is a mailbox hiccup, not a departure."""
    policy = policy or DeparturePolicy()
    since = today - dt.timedelta(days=policy.window_days)
    recent = sorted((e for e in evidence if since <= e.observed_on <= today), key=lambda e: (e.observed_on, e.kind))
    used: list[Evidence] = []
    reasons: list[str] = []
    role_changes = [e for e in recent if e.kind == "job_change" and e.same_company]
    for item in recent:
        if item.kind == "job_change" and item.same_company:
            continue
        weight = policy.weights.get(item.kind, 0.0)
        if item.kind == "hard_bounce" and last_heard_from is not None and last_heard_from >= item.observed_on:
            reasons.append(f"set aside {_described(item)}: they wrote on {last_heard_from.isoformat()}")
            continue
        if weight <= 0:
            reasons.append(f"{_described(item)} is not a sign of leaving")
            continue
        used.append(item)
    confidence = _combined(used, policy)
    verdict = "none"
    if confidence >= policy.probable_at:
        verdict = "probable_departure"
    elif role_changes:
        verdict = "role_change"
        used = [*used, role_changes[-1]]
    elif used:
        verdict = "possible"
    named = next((e for e in reversed(used) if e.new_company and not e.same_company), None)
    moved = role_changes[-1] if verdict == "role_change" else named
    return Assessment(
        verdict=verdict,
        confidence=round(confidence, 3),
        evidence=tuple(used),
        reasons=tuple(_described(e) for e in used) + tuple(reasons),
        new_company=named.new_company if named and verdict == "probable_departure" else "",
        new_title=moved.new_title if moved else "",
    )


def _combined(evidence: Sequence[Evidence], policy: DeparturePolicy) -> float:
    """Independent evidence: the chance that none of it means they left is the product of each one's doubt.
    Several signals of one kind (three bounces of one address) count once, at that kind's weight."""
    doubt = 1.0
    for kind in {e.kind for e in evidence}:
        doubt *= 1.0 - policy.weights.get(kind, 0.0)
    return 1.0 - doubt


def _described(item: Evidence) -> str:
    text = f"{EVIDENCE_NAMES.get(item.kind, item.kind)} on {item.observed_on.isoformat()}"
    if item.new_company:
        text += f" ({'now ' + item.new_title + ' at ' if item.new_title else 'now at '}{item.new_company})"
    elif item.same_company and item.new_title:
        text = f"a new role inside the customer on {item.observed_on.isoformat()} ({item.new_title})"
    if item.detail:
        text += f": {item.detail}"
    return text
