"""Two years of engagements with participants on both sides; sponsor engagements keep (or miss) cadence."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import numpy as np

from execsponsor.demo import vocabulary as words
from execsponsor.demo.plan import HISTORY_DAYS, Company
from execsponsor.demo.program import AT_RISK, OVERDUE
from execsponsor.demo.storage import insert_rows
from execsponsor.engagements.models import RUBRIC_ITEMS_THAT_COUNT

KINDS = ("meeting", "call", "dinner", "event", "qbr", "email", "task")
QBR = KINDS.index("qbr")
SMB = 2
GENERAL_KIND_SHARES = (0.30, 0.27, 0.03, 0.05, 0.0, 0.27, 0.08)
SPONSOR_KIND_SHARES = (0.40, 0.35, 0.10, 0.05, 0.10, 0.0, 0.0)
# Chance that each rubric item is ticked, by kind: deeper kinds of contact count more often.
RUBRIC_CHANCE = np.array([0.50, 0.35, 0.60, 0.30, 0.65, 0.12, 0.05])
DURATION_SLOTS = np.array([4, 2, 8, 8, 6, 0, 0])  # quarter hours; e-mails and tasks have no end
SLOTS_PER_DAY = 48  # 08:00 to 20:00 in quarter hours
ACCOUNT_WEIGHT = np.array([3.0, 1.2, 0.5])
RECENT_DAYS = 180  # "recent" for threads, as docs/demo.md defines
OUTCOMES = ("Agreed next steps on {topic}", "Customer shared their {topic} plans", "New scope raised: {topic}",
            "Follow-up workshop on {topic} booked")  # fmt: skip
CHUNK = 250_000
CIRCLE = 3  # the program's minimum number of threads: every account not planted single-threaded has this many
CIRCLE_GAP = (45, 80)  # days between a circle member's meetings: always within the 90 days strength looks at
CHAMPION_GAP = (14, 29)  # the quiet champions were met every two to four weeks before they went quiet
CIRCLE_SHARE = 0.5  # at most this share of the engagements (the days covered shrink above 10,000 accounts)


@dataclass
class Batch:
    """Engagements as parallel arrays, plus participant pairs (engagement position, contact / user id)."""

    account: np.ndarray
    sponsorship: np.ndarray  # 0 = none
    kind: np.ndarray
    day: np.ndarray  # days ago
    slot: np.ndarray
    owner: np.ndarray
    flags: np.ndarray  # (n, 4) bool
    topic: np.ndarray
    contact_pairs: tuple[np.ndarray, np.ndarray]
    user_pairs: tuple[np.ndarray, np.ndarray]


def _general(company: Company, rng: np.random.Generator, budget: int) -> Batch:
    a = company.arrays
    n = company.size.accounts
    weight = ACCOUNT_WEIGHT[a["segment"]] * rng.lognormal(0, 0.4, n)
    per_account = rng.multinomial(max(budget, 0), weight / weight.sum())
    account = np.repeat(np.arange(n), per_account)
    count = account.size
    kind = rng.choice(len(KINDS), count, p=GENERAL_KIND_SHARES)
    day = rng.integers(1, HISTORY_DAYS, count)
    flags = rng.random((count, 4)) < RUBRIC_CHANCE[kind][:, None]
    picks = 1 + (rng.random(count) > 0.6) + (rng.random(count) > 0.9)
    picks[kind >= KINDS.index("email")] = 1
    contact_e, contact_c = _pick_contacts(company, rng, account, picks)
    return _with_owners(company, rng, account, np.zeros(count, np.int64), kind, day, flags, (contact_e, contact_c))


def _qbrs(company: Company, rng: np.random.Generator) -> Batch:
    """A QBR every quarter (SMB: every other quarter) with two or three contacts; the latest one always counts."""
    a = company.arrays
    n = company.size.accounts
    account = np.repeat(np.arange(n), 8)
    quarter = np.tile(np.arange(8), n)
    keep = (a["segment"][account] != SMB) | (quarter % 2 == 0)  # small customers: every other quarter
    account, quarter = account[keep], quarter[keep]
    a["latest_qbr"] = np.flatnonzero(quarter == 0)
    day = 45 + 91 * quarter + rng.integers(-20, 20, account.size)
    kind = np.full(account.size, QBR)
    flags = rng.random((account.size, 4)) < RUBRIC_CHANCE[QBR]
    flags[quarter == 0, 0] = flags[quarter == 0, 2] = True
    size = a["contact_count"][account]
    shift = rng.integers(0, 1 << 30, n)[account]
    picks = np.minimum(2 + (rng.random(account.size) < 0.5), size)
    rows = np.repeat(np.arange(account.size), picks)
    within = np.arange(rows.size) - np.repeat(np.cumsum(picks) - picks, picks)
    contacts = a["contact_start"][account[rows]] + (shift[rows] + within) % size[rows]
    return _with_owners(company, rng, account, np.zeros(account.size, np.int64), kind, day, flags, (rows, contacts))


def _circle_members(company: Company, rng: np.random.Generator) -> np.ndarray:
    """Per account, `CIRCLE` contacts it keeps a regular relationship with (-1 where it has fewer people).

    Contacts who leave, the planted departures and the quiet champions are never members."""
    a = company.arrays
    n = company.size.accounts
    contacts = a["contact_account"].size
    eligible = (a["contact_status"] != 2) & (a["contact_silent_after"] == 0)
    eligible[a["quiet_champions"]] = False
    order = np.lexsort((rng.random(contacts), ~eligible, a["contact_account"]))  # eligible first, random within
    first = np.searchsorted(a["contact_account"][order], np.arange(n))
    members = np.full((n, CIRCLE), -1, dtype=np.int64)
    for k in range(CIRCLE):
        pick = order[np.minimum(first + k, contacts - 1)]
        ok = (k < a["contact_count"]) & (a["contact_account"][pick] == np.arange(n)) & eligible[pick]
        members[ok, k] = pick[ok]
    a["circle"] = members
    return members


def _every(rng: np.random.Generator, person: np.ndarray, first: np.ndarray, gap: tuple[int, int], until: int):
    """Days ago of one engagement per `gap` days for each person, from `first` days ago back to `until`."""
    steps = max(1, until // gap[0] + 1)
    gaps = rng.integers(gap[0], gap[1] + 1, (person.size, steps))
    gaps[:, 0] = 0
    days = first[:, None] + np.cumsum(gaps, 1)
    keep = days < until
    return person[np.nonzero(keep)[0]], days[keep]


def _circle(company: Company, rng: np.random.Generator, budget: int) -> Batch:
    """Regular meetings and calls with each account's circle, so every account not planted single-threaded has
    at least three balanced threads; and the quiet champions' meetings up to the day they went quiet."""
    a = company.arrays
    members = _circle_members(company, rng).reshape(-1)
    members = members[members >= 0]
    span = int(min(HISTORY_DAYS, max(120, budget * sum(CIRCLE_GAP) / 2 / max(1, members.size))))
    contact, day = _every(rng, members, rng.integers(1, CIRCLE_GAP[0] + 1, members.size), CIRCLE_GAP, span)
    champions = a["quiet_champions"]
    quiet, quiet_day = _every(rng, champions, a["contact_silent_after"][champions], CHAMPION_GAP, HISTORY_DAYS)
    contact, day = np.concatenate([contact, quiet]), np.concatenate([day, quiet_day])
    account = a["contact_account"][contact]
    count = contact.size
    kind = np.where(rng.random(count) < 0.55, KINDS.index("meeting"), KINDS.index("call"))
    flags = rng.random((count, 4)) < RUBRIC_CHANCE[kind][:, None]
    return _with_owners(company, rng, account, np.zeros(count, np.int64), kind, day, flags,
                        (np.arange(count), contact))  # fmt: skip


def _pick_contacts(
    company: Company, rng: np.random.Generator, account: np.ndarray, picks: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Contacts per engagement, skewed so that a few people at each account take part most often."""
    a = company.arrays
    rows = np.repeat(np.arange(account.size), picks)
    acc = account[rows]
    size = a["contact_count"][acc]
    shift = rng.integers(0, 1 << 30, company.size.accounts)[acc]
    position = (size * rng.random(rows.size) ** 1.6).astype(np.int64)
    return rows, a["contact_start"][acc] + (position + shift) % size


def _with_owners(company, rng, account, sponsorship, kind, day, flags, contact_pairs) -> Batch:
    a = company.arrays
    owner = np.where(rng.random(account.size) < 0.6, a["owner"][account], a["csm"][account])
    other = np.where(owner == a["owner"][account], a["csm"][account], a["owner"][account])
    both = rng.random(account.size) < 0.3
    user_e = np.concatenate([np.arange(account.size), np.flatnonzero(both)])
    user_u = np.concatenate([owner, other[both]])
    return Batch(
        account=account,
        sponsorship=sponsorship,
        kind=kind,
        day=day,
        slot=rng.integers(0, 40, account.size),
        owner=owner,
        flags=flags,
        topic=rng.integers(0, len(words.TOPICS) * (len(words.TOPICS) + 1), account.size),
        contact_pairs=contact_pairs,
        user_pairs=(user_e, user_u),
    )


def _sponsor_days(company: Company, rng: np.random.Generator, row: dict) -> tuple[list[int], list[bool]]:
    """Days ago of a sponsorship's engagements and whether each counts, following its planned cadence state."""
    a = company.arrays
    if row["started_days_ago"] is None:
        return [int((company.as_of - dt.date.fromisoformat(row["introduced_on"])).days)], [True]
    start = row["started_days_ago"]
    state = a["cadence_state"][row["account"]] if row["status"] == "active" else 0
    end = row["ended_days_ago"] or 0
    if row["status"] == "paused":
        end = int(rng.integers(30, 60))
    if state == OVERDUE:
        last = int(rng.integers(18, 41))
    elif state == AT_RISK:
        last = int(rng.integers(12, 14))
    else:
        last = max(end, 0) + int(rng.integers(1, 10))
    days, counts = [], []
    day = last
    while day < start:
        days.append(day)
        counts.append(bool(rng.random() < 0.85) or day == last)
        day += int(rng.integers(7, 15))
    if state in (OVERDUE, AT_RISK):
        days.append(int(rng.integers(2, 6)))
        counts.append(False)  # a quick e-mail that does not count keeps the cadence late
    return days, counts


def _sponsor(company: Company, rng: np.random.Generator) -> Batch:
    a = company.arrays
    account, sponsorship, day, counts, users = [], [], [], [], []
    for row in company.sponsorships:
        days, count_flags = _sponsor_days(company, rng, row)
        account += [row["account"]] * len(days)
        sponsorship += [row["id"]] * len(days)
        day += days
        counts += count_flags
        users += [int(a["executive_user_id"][row["executive_index"]])] * len(days)
    account, sponsorship, day = np.array(account), np.array(sponsorship), np.array(day)
    counts, executive_user = np.array(counts, dtype=bool), np.array(users)
    count = account.size
    kind = rng.choice(len(KINDS), count, p=SPONSOR_KIND_SHARES)
    kind[~counts & (rng.random(count) < 0.7)] = KINDS.index("email")
    flags = np.zeros((count, 4), dtype=bool)
    flags[counts, 0] = flags[counts, 2] = True
    flags[counts, 1] = rng.random(counts.sum()) < 0.6
    flags[counts, 3] = rng.random(counts.sum()) < 0.3
    flags[~counts, 1] = rng.random((~counts).sum()) < 0.4
    counterpart = a["counterpart_of"][account]
    second = rng.random(count) < 0.3
    second_contact = a["contact_start"][account] + np.minimum(1, a["contact_count"][account] - 1)
    contact_pairs = (
        np.concatenate([np.arange(count), np.flatnonzero(second)]),
        np.concatenate([counterpart, second_contact[second]]),
    )
    user_pairs = (np.tile(np.arange(count), 2), np.concatenate([executive_user, a["owner"][account]]))
    return Batch(account, sponsorship, kind, day, rng.integers(0, 40, count), executive_user, flags,
                 rng.integers(0, len(words.TOPICS) * (len(words.TOPICS) + 1), count), contact_pairs,
                 user_pairs)  # fmt: skip


def _concat(batches: list[Batch]) -> Batch:
    offsets = np.cumsum([0] + [b.account.size for b in batches[:-1]])

    def cat(name):
        return np.concatenate([getattr(b, name) for b in batches])

    def pairs(name):
        return (
            np.concatenate([getattr(b, name)[0] + off for b, off in zip(batches, offsets, strict=True)]),
            np.concatenate([getattr(b, name)[1] for b in batches]),
        )

    return Batch(cat("account"), cat("sponsorship"), cat("kind"), cat("day"), cat("slot"), cat("owner"),
                 cat("flags"), cat("topic"), pairs("contact_pairs"), pairs("user_pairs"))  # fmt: skip


def _redirect_contacts(company: Company, batch: Batch) -> None:
    """Nobody takes part after they went silent (left); single-threaded accounts talk to one person lately."""
    a = company.arrays
    events, contacts = batch.contact_pairs
    day = batch.day[events]
    start, size = a["contact_start"], a["contact_count"]
    account = a["contact_account"][contacts]
    silent_after = a["contact_silent_after"]
    quiet = np.isin(contacts, a["quiet_champions"]) & (day < silent_after[contacts])
    contacts[quiet] = a["circle"][account[quiet], 0]  # whoever we meet instead, not a new CEO/COO thread
    for _ in range(4):
        silent = day < silent_after[contacts]
        contacts[silent] = (
            start[account[silent]] + (contacts[silent] - start[account[silent]] + 1) % size[account[silent]]
        )
    still = day < silent_after[contacts]
    contacts[still] = start[account[still]]
    still = day < silent_after[contacts]  # the account's CEO is one of the quiet champions
    contacts[still] = start[account[still]] + 1
    thread = a["thread_of"][account]
    lonely = (thread >= 0) & (day <= RECENT_DAYS)
    contacts[lonely] = thread[lonely]


def recent_threads(company: Company, batch: Batch) -> np.ndarray:
    """Per account: distinct contacts (not left) in counting engagements of the last 180 days."""
    a = company.arrays
    events, contacts = batch.contact_pairs
    counts = batch.flags.sum(1) >= RUBRIC_ITEMS_THAT_COUNT
    keep = counts[events] & (batch.day[events] <= RECENT_DAYS) & (a["contact_status"][contacts] != 2)
    pairs = _distinct(a["contact_account"][contacts[keep]].astype(np.int64) * (1 << 32) + contacts[keep])
    return np.bincount(pairs >> 32, minlength=company.size.accounts)


def _ensure_threads(company: Company, batch: Batch, latest_qbr: np.ndarray) -> None:
    """Only the planted accounts may end up single-threaded: give any other a second person at its latest QBR."""
    a = company.arrays
    threads = recent_threads(company, batch)
    fix = np.flatnonzero((threads == 1) & (a["thread_of"] < 0))
    events, contacts = batch.contact_pairs
    extra_events, extra_contacts = [], []
    selected = np.isin(events, latest_qbr[fix])
    taken_at: dict[int, set[int]] = {}
    for event, contact in zip(events[selected].tolist(), contacts[selected].tolist(), strict=True):
        taken_at.setdefault(event, set()).add(contact)
    for account in fix.tolist():
        rows = np.arange(a["contact_start"][account], a["contact_start"][account] + a["contact_count"][account])
        active = rows[a["contact_status"][rows] != 2]
        taken = taken_at.get(int(latest_qbr[account]), set())
        extra = [c for c in active.tolist() if c not in taken][:2]
        extra_events += [int(latest_qbr[account])] * len(extra)
        extra_contacts += extra
    batch.contact_pairs = (
        np.concatenate([events, np.array(extra_events, dtype=np.int64)]),
        np.concatenate([contacts, np.array(extra_contacts, dtype=np.int64)]),
    )


def _distinct(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct values; a plain sort is several times faster than np.unique's hashing on millions."""
    keys = np.sort(keys)
    return keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if keys.size else keys


def _unique_pairs(events: np.ndarray, others: np.ndarray, rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keys = _distinct(rank[events].astype(np.int64) * (1 << 32) + others)
    return keys >> 32, keys & ((1 << 32) - 1)


def write_engagements(company: Company) -> None:
    a = company.arrays
    rng = company.rng("engagements")
    general_budget = company.size.engagements
    sponsor = _sponsor(company, rng)
    qbr = _qbrs(company, rng)
    circle = _circle(company, rng, int(CIRCLE_SHARE * general_budget))
    general = _general(company, rng, general_budget - sponsor.account.size - qbr.account.size - circle.account.size)
    batch = _concat([general, qbr, sponsor, circle])
    _redirect_contacts(company, batch)
    latest_qbr = general.account.size + a["latest_qbr"]
    _ensure_threads(company, batch, latest_qbr)
    a["recent_threads"] = recent_threads(company, batch)
    order = np.lexsort((batch.slot, -batch.day))
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    contact_e, contact_c = _unique_pairs(*batch.contact_pairs, rank)
    user_e, user_u = _unique_pairs(*batch.user_pairs, rank)
    _write_engagement_rows(company, batch, order)
    total = order.size
    a["engagement_count"] = np.array([total])
    insert_rows(
        "engagements_engagementcontact",
        ("id", "engagement_id", "contact_id"),
        _chunked_rows(
            lambda s: zip(
                range(s.start + 1, s.stop + 1), (contact_e[s] + 1).tolist(), (contact_c[s] + 1).tolist(), strict=True
            ),
            contact_e.size,
        ),  # fmt: skip
    )
    insert_rows(
        "engagements_engagementattendee",
        ("id", "engagement_id", "user_id"),
        _chunked_rows(
            lambda s: zip(range(s.start + 1, s.stop + 1), (user_e[s] + 1).tolist(), user_u[s].tolist(), strict=True),
            user_e.size,
        ),  # fmt: skip
    )


def _chunked_rows(make, total: int):
    for begin in range(0, total, CHUNK):
        yield from make(slice(begin, min(begin + CHUNK, total)))


ENGAGEMENT_COLUMNS = (
    "id", "account_id", "sponsorship_id", "source", "external_id", "kind", "subject", "occurred_at", "ends_at",
    "owner_id", "topics", "outcome", "notes", "two_way", "discussed_strategy", "learned_something_new",
    "next_step_agreed", "new_scope_raised", "counts", "created_at", "updated_at",
)  # fmt: skip


def _text_tables(company: Company) -> tuple[list[str], list[str], np.ndarray, list[str], list[str]]:
    topics = words.TOPICS
    stamps = [
        f"{company.iso(d)} {8 + s // 4:02d}:{15 * (s % 4):02d}:00"
        for d in range(HISTORY_DAYS + 1)
        for s in range(SLOTS_PER_DAY)
    ]
    topic_json = []
    for code in range(len(topics) * (len(topics) + 1)):
        first, second = divmod(code, len(topics) + 1)
        chosen = [topics[first]] + ([topics[second]] if second < len(topics) and second != first else [])
        topic_json.append(json.dumps(chosen))
    subjects, offsets = [], []
    for kind in KINDS:
        offsets.append(len(subjects))
        subjects += [t.format(topic=topic) for t in words.SUBJECTS[kind] for topic in topics]
    outcomes = [o.format(topic=topic) for o in OUTCOMES for topic in topics]
    return stamps, topic_json, np.array(offsets), subjects, outcomes


def _write_engagement_rows(company: Company, batch: Batch, order: np.ndarray) -> None:
    stamps, topic_json, subject_offset, subjects, outcomes = _text_tables(company)
    templates = np.array([len(words.SUBJECTS[k]) for k in KINDS])
    topics = len(words.TOPICS)

    def rows(s: slice):
        pick = order[s]
        kind, day, slot = batch.kind[pick], batch.day[pick], batch.slot[pick]
        flags = batch.flags[pick]
        counts = flags.sum(1) >= RUBRIC_ITEMS_THAT_COUNT
        topic = batch.topic[pick]
        first_topic = topic // (topics + 1)
        template = (topic * 7 + day) % templates[kind]
        subject = subject_offset[kind] + template * topics + first_topic
        start = day * SLOTS_PER_DAY + slot
        duration = DURATION_SLOTS[kind]
        occurred = [stamps[k] for k in start.tolist()]
        ends = [stamps[k] if d else None for k, d in zip((start + duration).tolist(), duration.tolist(), strict=True)]
        outcome = [outcomes[(k * 3) % len(outcomes)] if c else "" for k, c in zip(topic.tolist(), counts.tolist(),
                                                                                   strict=True)]  # fmt: skip
        sponsorship = [x or None for x in batch.sponsorship[pick].tolist()]
        count = pick.size
        return zip(
            range(s.start + 1, s.stop + 1),
            (batch.account[pick] + 1).tolist(),
            sponsorship,
            ["demo"] * count,
            [""] * count,  # no external id: demo engagements are never re-imported, and it saves an index
            [KINDS[k] for k in kind.tolist()],
            [subjects[k] for k in subject.tolist()],
            occurred,
            ends,
            batch.owner[pick].tolist(),
            [topic_json[k] for k in topic.tolist()],
            outcome,
            [""] * count,
            (kind != KINDS.index("task")).tolist(),
            flags[:, 0].tolist(),
            flags[:, 1].tolist(),
            flags[:, 2].tolist(),
            flags[:, 3].tolist(),
            counts.tolist(),
            occurred,
            occurred,
            strict=True,
        )

    insert_rows("engagements_engagement", ENGAGEMENT_COLUMNS, _chunked_rows(rows, order.size))
