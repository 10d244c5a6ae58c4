"""How strong our relationship with each customer contact is, and whether an account hangs on one thread.

Strength is 0–100 per contact from the engagements they took part in, as five parts with default weights
(configurable): recency 30, frequency over the last 90 days 25, two-way exchange 15, depth (a meeting is
worth more than a call, a call more than an email) 15 and the contact's seniority 15. Recency decays with
a half-life, so a relationship left alone fades night by night. One-way contact alone (mail we sent that
nobody answered) is not a relationship: a contact with no two-way engagement scores 0.

Every score explains itself: the points of each part, the engagements behind it, and what would raise it.

An account's coverage counts its *threads* (contacts above 30), which personas they cover, a
multi-threading score, and the single-thread flag: fewer threads than the program's minimum, or one
thread holding most of the strength.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

PARTS = ("recency", "frequency", "two_way", "depth", "seniority")

DEFAULT_WEIGHTS: Mapping[str, float] = {
    "recency": 30,
    "frequency": 25,
    "two_way": 15,
    "depth": 15,
    "seniority": 15,
}

# Depth of one engagement, by kind.
DEPTH_BY_KIND: Mapping[str, float] = {
    "dinner": 1.0,
    "qbr": 1.0,
    "meeting": 0.9,
    "event": 0.7,
    "call": 0.6,
    "email": 0.3,
    "task": 0.2,
}

SENIORITY_VALUE: Mapping[str, float] = {
    "c_level": 1.0,
    "vp": 0.8,
    "director": 0.6,
    "manager": 0.4,
    "individual": 0.2,
}

PERSONAS = ("power_user", "team_manager", "functional_vp", "ceo_coo")
PERSONA_NAMES: Mapping[str, str] = {
    "power_user": "power users",
    "team_manager": "team managers",
    "functional_vp": "functional VPs",
    "ceo_coo": "the CEO/COO",
}


@dataclass(frozen=True)
class StrengthPolicy:
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    recency_half_life_days: float = 30.0  # the recency part halves every 30 days without two-way contact
    frequency_window_days: int = 90
    frequency_target: int = 6  # engagements in the window for full frequency points (one a fortnight)
    thread_threshold: float = 30.0  # a contact above this is a thread
    minimum_threads: int = 3  # the program's minimum number of threads (sponsors) per customer
    dominant_share: float = 0.5  # one thread holding more than this share of the strength is single-threading


@dataclass(frozen=True)
class Touch:
    """One engagement a contact took part in."""

    engagement: str  # id, so the score can name the engagements behind it
    day: dt.date
    kind: str
    two_way: bool = True


@dataclass(frozen=True)
class Strength:
    score: float  # 0–100
    points: Mapping[str, float]  # each part's points; they add up to the score
    engagements: tuple[str, ...]  # the engagements the score rests on, newest first
    raise_by: tuple[str, ...]  # what would raise it, in words

    @property
    def is_relationship(self) -> bool:
        return self.score > 0


@dataclass(frozen=True)
class TouchArrays:
    """Many contacts' engagements at once, one row per (contact, engagement): the nightly recompute's input."""

    contact: np.ndarray  # int64 contact ids
    day: np.ndarray  # int64 date ordinals (dt.date.toordinal())
    depth: np.ndarray  # float64, DEPTH_BY_KIND of the engagement's kind
    two_way: np.ndarray  # bool


@dataclass(frozen=True)
class StrengthTable:
    """Per contact (sorted ids): each part's value in [0, 1], its points, and the score."""

    contact: np.ndarray
    values: Mapping[str, np.ndarray]
    points: Mapping[str, np.ndarray]
    score: np.ndarray
    days_since_two_way: np.ndarray  # −1 where there was never a two-way engagement
    recent: np.ndarray  # engagements inside the frequency window


def strengths(
    touches: TouchArrays, *, seniority: Mapping[int, str], today: dt.date, policy: StrengthPolicy | None = None
) -> StrengthTable:
    """Strength of every contact in `touches` on `today`, vectorised: the one computation behind every score.

    Contacts that appear only in `seniority` (nobody met them) are included with a score of 0."""
    policy = policy or StrengthPolicy()
    today_n = today.toordinal()
    keep = touches.day <= today_n
    contact, day = touches.contact[keep], touches.day[keep]
    depth, two_way = touches.depth[keep], touches.two_way[keep]
    ids = np.union1d(np.unique(contact), np.fromiter(seniority, dtype=np.int64, count=len(seniority)))
    index = np.searchsorted(ids, contact)
    n = ids.size
    last_two_way = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last_two_way, index[two_way], day[two_way])
    has_two_way = last_two_way >= 0
    recent = day > today_n - policy.frequency_window_days
    recent_count = np.bincount(index[recent], minlength=n).astype(float)
    recent_two_way = np.bincount(index[recent & two_way], minlength=n).astype(float)
    recent_depth = np.bincount(index[recent], weights=depth[recent], minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        share_two_way = np.where(recent_count > 0, recent_two_way / recent_count, 0.0)
        mean_depth = np.where(recent_count > 0, recent_depth / recent_count, 0.0)
    days_since = np.where(has_two_way, today_n - last_two_way, -1)
    values = {
        "recency": np.where(has_two_way, 0.5 ** (np.maximum(days_since, 0) / policy.recency_half_life_days), 0.0),
        "frequency": np.minimum(1.0, recent_count / policy.frequency_target),
        "two_way": share_two_way,
        "depth": mean_depth,
        "seniority": np.array([SENIORITY_VALUE.get(seniority.get(int(c), ""), 0.2) for c in ids]),
    }
    total_weight = sum(policy.weights.get(p, 0.0) for p in PARTS) or 1.0
    # One-way contact alone is not a relationship: no two-way engagement, no points at all.
    points = {
        p: np.where(has_two_way, 100.0 * policy.weights.get(p, 0.0) * values[p] / total_weight, 0.0) for p in PARTS
    }
    score = np.sum([points[p] for p in PARTS], axis=0)
    return StrengthTable(ids, values, points, score, days_since, recent_count.astype(np.int64))


def contact_strength(
    touches: Iterable[Touch], *, seniority: str, today: dt.date, policy: StrengthPolicy | None = None
) -> Strength:
    """The strength of our relationship with one contact on `today`, explained: the same computation as
    `strengths`, with the engagements behind it and what would raise it."""
    policy = policy or StrengthPolicy()
    past = sorted((t for t in touches if t.day <= today), key=lambda t: (t.day, t.engagement), reverse=True)
    arrays = TouchArrays(
        contact=np.zeros(len(past), dtype=np.int64),
        day=np.array([t.day.toordinal() for t in past], dtype=np.int64),
        depth=np.array([DEPTH_BY_KIND.get(t.kind, 0.2) for t in past], dtype=float),
        two_way=np.array([t.two_way for t in past], dtype=bool),
    )
    table = strengths(arrays, seniority={0: seniority}, today=today, policy=policy)
    points = {p: float(table.points[p][0]) for p in PARTS}
    engagements = tuple(t.engagement for t in past)
    if table.days_since_two_way[0] < 0:
        advice = ("get a reply or a meeting: one-way contact alone is not a relationship",) if past else _first_step()
        return Strength(0.0, points, engagements, advice)
    values = {p: float(table.values[p][0]) for p in PARTS}
    advice = _advice(values, int(table.days_since_two_way[0]), int(table.recent[0]), policy)
    return Strength(float(table.score[0]), points, engagements, advice)


def _first_step() -> tuple[str, ...]:
    return ("meet them: nobody on our side has engaged with this contact yet",)


def _advice(values: Mapping[str, float], days_since: int, recent: int, policy: StrengthPolicy) -> tuple[str, ...]:
    advice = []
    if values["recency"] < 0.5:
        advice.append(f"meet again: the last two-way contact was {days_since} days ago")
    if values["frequency"] < 1.0:
        more = policy.frequency_target - recent
        advice.append(
            f"{more} more engagement{'s' if more != 1 else ''} in the next {policy.frequency_window_days} days"
        )
    if values["two_way"] < 0.75 and recent:
        advice.append("more two-way exchange: most recent contact went one way")
    if values["depth"] < 0.7 and recent:
        advice.append("go deeper: a meeting or a dinner rather than email")
    return tuple(advice)


class ContactStanding(NamedTuple):
    """A contact as the coverage sees them (a named tuple: the nightly recompute makes one per contact)."""

    contact: str
    name: str
    persona: str
    strength: float


@dataclass(frozen=True)
class Coverage:
    threads: tuple[str, ...]  # contacts above the thread threshold, strongest first
    personas_covered: tuple[str, ...]
    personas_missing: tuple[str, ...]
    multithreading_score: float  # 0–100
    single_threaded: bool
    reasons: tuple[str, ...]  # why the account is single-threaded, in words (empty when it is not)
    strongest_share: float  # share of all strength held by the strongest thread


def account_coverage(
    contacts: Sequence[ContactStanding], *, policy: StrengthPolicy | None = None, without: Iterable[str] = ()
) -> Coverage:
    """Threads, persona coverage, multi-threading score and the single-thread flag for one account.

    `without` leaves contacts out, for the "what if this contact leaves" view.
    """
    policy = policy or StrengthPolicy()
    gone = set(without)
    present = [c for c in contacts if c.contact not in gone]
    threads = sorted(
        (c for c in present if c.strength > policy.thread_threshold), key=lambda c: (-c.strength, c.contact)
    )
    covered = tuple(p for p in PERSONAS if any(c.persona == p for c in threads))
    missing = tuple(p for p in PERSONAS if p not in covered)
    total = sum(c.strength for c in present if c.strength > 0)
    strongest_share = (threads[0].strength / total) if threads and total > 0 else 0.0
    reasons = []
    if len(threads) < policy.minimum_threads:
        reasons.append(
            f"{len(threads)} thread{'s' if len(threads) != 1 else ''} where the program asks for at least "
            f"{policy.minimum_threads}"
        )
    if threads and len(threads) > 1 and strongest_share > policy.dominant_share:
        reasons.append(f"{threads[0].name} holds {round(100 * strongest_share)}% of the relationship strength")
    return Coverage(
        threads=tuple(c.contact for c in threads),
        personas_covered=covered,
        personas_missing=missing,
        multithreading_score=multithreading_score(len(threads), len(covered), strongest_share, policy),
        single_threaded=bool(reasons),
        reasons=tuple(reasons),
        strongest_share=strongest_share,
    )


def multithreading_score(threads: int, personas: int, strongest_share: float, policy: StrengthPolicy) -> float:
    """0–100: half for reaching the minimum number of threads, a quarter for the personas they cover, a
    quarter for how evenly the strength is spread (nothing when one thread holds it all)."""
    if threads == 0:
        return 0.0
    breadth = min(1.0, threads / max(1, policy.minimum_threads))
    spread = 1.0 - strongest_share if threads > 1 else 0.0
    return round(50 * breadth + 25 * personas / len(PERSONAS) + 25 * min(1.0, 2 * spread), 1)
