"""The sponsor program in the demo: which accounts are sponsored, by whom, since when, in which state."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import numpy as np

from execsponsor.core.sponsor_fit import DEFAULT_SENIORITY_BY_SEGMENT, hour_gap
from execsponsor.demo import experiment
from execsponsor.demo import vocabulary as words
from execsponsor.demo.plan import Company, quarter_start, quarters_before
from execsponsor.demo.storage import insert_rows
from execsponsor.users.models import Role

SEGMENT_PULL = np.array([3.0, 1.5, 0.3])  # enterprise accounts are far likelier to be sponsored
# As real programs do, the demo's program favours accounts that grew fast in the year before it started: the chance of
# being chosen is multiplied by exp(GROWTH_PULL × z), z that year's growth in standard deviations of the segment.
GROWTH_PULL = 1.5
ON_TRACK, AT_RISK, OVERDUE = 0, 1, 2
END_REASONS = ("Account moved to a regional sponsor at the quarterly rebalance", "Customer's CIO left; restarted")


def plan_program(company: Company) -> None:
    """Choose sponsored accounts, their executives, start dates, states and matched control accounts."""
    a, size = company.arrays, company.size
    rng = company.rng("program")
    n = size.accounts
    quarters = quarters_before(company.as_of, 8)
    company.truth["quarters"] = [f"{y} Q{q}" for y, q in quarters]
    program_start = quarter_start(*quarters[4])
    company.truth["program_started_on"] = program_start.isoformat()

    live = rng.choice(n, size.sponsored, replace=False, p=_selection_chance(company))
    rest = np.setdiff1d(np.arange(n), live)
    ended_only = rng.choice(rest, max(2, round(0.05 * size.sponsored)), replace=False)
    introduced = live[: max(1, round(0.06 * live.size))]
    running = live[introduced.size :]
    paused = running[: max(1, round(0.05 * running.size))]

    # Starts spread over the program's first three quarters; the revenue lift begins at the first start.
    start_quarter = rng.choice([4, 5, 6], running.size, p=[0.5, 0.3, 0.2])
    first_days = np.array([(quarter_start(*quarters[q]) - company.as_of).days for q in start_quarter])
    started_days_ago = -first_days - rng.integers(0, 80, running.size)
    reassigned = running[rng.random(running.size) < 0.08]
    # The randomised cohort (demo/experiment.py) joins on top, from its own random stream, so that the accounts
    # and starts chosen above stay what they were.
    chosen_running = running
    drawn_in, drawn_started_days_ago = experiment.plan_draw(company, exclude=np.concatenate([live, ended_only]))
    live, running = np.concatenate([live, drawn_in]), np.concatenate([running, drawn_in])
    start_quarter = np.concatenate([start_quarter, np.full(drawn_in.size, experiment.DRAW_QUARTER)])
    started_days_ago = np.concatenate([started_days_ago, drawn_started_days_ago])
    a["sponsorship_start_quarter"] = np.full(n, -1)
    a["sponsorship_start_quarter"][running] = start_quarter

    exclude = np.concatenate([live, ended_only, a["experiment_band"]])
    controls = _matched_controls(company, rng, chosen_running, exclude=exclude)
    if drawn_in.size:  # the drawn-in get their matched controls too, from the cohort's own stream
        extra = _matched_controls(company, company.rng("experiment controls"), drawn_in, exclude=[*exclude, *controls])
        controls = np.concatenate([controls, extra])
    company.arrays.update(
        live=live,
        introduced=introduced,
        running=running,
        paused=paused,
        ended_only=ended_only,
        reassigned=reassigned,
        controls=controls,
        running_started_days_ago=started_days_ago,
    )
    _assign_executives(company, rng)
    _plan_cadence(company, rng)


def _selection_chance(company: Company) -> np.ndarray:
    """Each account's chance of being chosen, from what the program could see when it started: segment, revenue
    in the year before (its ARR) and that year's growth."""
    a = company.arrays
    growth, segment = a["pre_growth"], a["segment"]
    z = np.zeros_like(growth)
    for k in range(3):
        members = segment == k
        if members.sum() > 1:
            z[members] = (growth[members] - growth[members].mean()) / max(float(growth[members].std()), 1e-9)
    pull = SEGMENT_PULL[segment] * np.sqrt(a["pre_arr"]) * np.exp(GROWTH_PULL * z)
    return pull / pull.sum()


def _matched_controls(
    company: Company, rng: np.random.Generator, treated: np.ndarray, *, exclude: np.ndarray
) -> np.ndarray:
    """For each treated account, the unsponsored account of the same segment with the nearest log ARR (revenue in
    the year before the program). Nearest ARR, not growth: these controls grew more slowly."""
    a = company.arrays
    free = np.ones(company.size.accounts, dtype=bool)
    free[exclude] = False
    log_arr = np.log(a["pre_arr"])
    pools = {}
    for segment in (*range(3), None):
        members = np.flatnonzero(free & ((a["segment"] == segment) if segment is not None else True))
        members = members[np.argsort(log_arr[members], kind="stable")]
        pools[segment] = (members, log_arr[members])
    left = {segment: members.size for segment, (members, _) in pools.items()}
    controls = np.empty(treated.size, dtype=np.int64)
    for k in rng.permutation(treated.size):
        account = treated[k]
        segment = int(a["segment"][account])
        if not left[segment]:  # only in very small companies: the nearest ARR in any segment
            segment = None
        members, values = pools[segment]
        best = members[_nearest_free(values, members, free, log_arr[account])]
        controls[k] = best
        free[best] = False
        left[int(a["segment"][best])] -= 1
    return controls


def _nearest_free(values: np.ndarray, members: np.ndarray, free: np.ndarray, target: float) -> int:
    """Position of the free member whose (sorted) value is nearest to target."""
    right = int(np.searchsorted(values, target))
    left = right - 1
    while right < values.size and not free[members[right]]:
        right += 1
    while left >= 0 and not free[members[left]]:
        left -= 1
    if right >= values.size or (left >= 0 and target - values[left] <= values[right] - target):
        return left
    return right


# The matcher's default hard rules (core/sponsor_fit.py), which the demo's live sponsorships respect.
TIME_ZONE_WINDOW_HOURS = 8.0
SEGMENT_NAMES = ("enterprise", "mid_market", "smb")
RANK_OF_LEVEL = np.array([5, 4, 3, 2, 1])  # level index (0 C-suite … 4 director) to the rules' rank


def _offset_hours(zone: str, at: dt.datetime) -> float:
    offset = at.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else 0.0


def _allowed_sponsors(company: Company) -> np.ndarray:
    """allowed[account, executive]: the pair meets seniority by segment, the required language and the
    time-zone window, as the matcher checks them by default."""
    a = company.arrays
    at = dt.datetime.combine(company.as_of, dt.time(12), tzinfo=dt.UTC)
    zones = {zone: _offset_hours(zone, at) for zone in {c[3] for c in words.COUNTRIES}}
    zones |= {zone: _offset_hours(zone, at) for zone in company.lists["executive_time_zone"]}
    executive_offset = np.array([zones[z] for z in company.lists["executive_time_zone"]])
    account_offset = np.array([zones[words.COUNTRIES[k][3]] for k in a["country"]])
    needed = np.array([DEFAULT_SENIORITY_BY_SEGMENT.get(SEGMENT_NAMES[k], 0) for k in a["segment"]])
    allowed = RANK_OF_LEVEL[a["executive_level"]][None, :] >= needed[:, None]
    for k, offset in enumerate(account_offset):
        allowed[k] &= hour_gap(executive_offset, offset) <= TIME_ZONE_WINDOW_HOURS
    speakers: dict[str, np.ndarray] = {}
    for i, languages in enumerate(company.lists["executive_languages"]):
        for language in languages:
            speakers.setdefault(language, np.zeros(executive_offset.size, dtype=bool))[i] = True
    for k, language in enumerate(company.lists["required_language"]):
        if language:
            allowed[k] &= speakers.get(language, np.zeros(executive_offset.size, dtype=bool))
    return allowed


def _assign_executives(company: Company, rng: np.random.Generator) -> None:
    """Overloaded executives get 7–8 live accounts; everyone else stays within capacity_max. Every live
    sponsor meets the matcher's default hard rules for their account, so a first matching run keeps them."""
    a, size = company.arrays, company.size
    levels, capacity = a["executive_level"], a["executive_capacity_max"]
    allowed = _allowed_sponsors(company)
    eligible = np.flatnonzero(a["executive_customer_facing"] & (levels >= 1))
    overloaded = rng.choice(eligible[(levels[eligible] >= 2)], size.overloaded_executives, replace=False)
    load = np.zeros(levels.size, dtype=np.int64)
    live = [int(x) for x in rng.permutation(a["live"])]
    sponsor = {}
    others = np.setdiff1d(np.flatnonzero(a["executive_customer_facing"]), overloaded)
    choices = {account: int(allowed[account, others].sum()) for account in live}
    for k, executive in enumerate(overloaded):
        take = 7 + k % 2
        # The overloaded take accounts many others could sponsor, leaving the hard-to-place ones free.
        mine = sorted((account for account in live if allowed[account, executive]), key=lambda x: -choices[x])[:take]
        for account in mine:
            sponsor[account] = int(executive)
            live.remove(account)
        load[executive] += len(mine)
    # The accounts with the fewest possible sponsors (a required language, a far time zone) choose first.
    live.sort(key=lambda account: choices[account])
    for account in live:
        room = capacity[others] - load[others]
        if room.max() <= 0:
            raise ValueError("not enough executive capacity for the sponsored accounts")
        fits = allowed[account, others] & (room > 0)
        if fits.any():  # the roomiest executive who meets the rules; else the roomiest of all
            room = np.where(fits, room, -1)
        best = others[np.flatnonzero(room == room.max())]
        executive = int(best[int(rng.integers(best.size))])
        sponsor[account] = executive
        load[executive] += 1
    company.arrays["sponsor_of"] = np.array([sponsor.get(i, -1) for i in range(size.accounts)])
    company.arrays["overloaded"] = overloaded
    company.arrays["executive_load"] = load
    normal = [e for e in others if 2 <= load[e] <= capacity[e]]
    company.sign_in[Role.EXECUTIVE] = company.lists["executive_usernames"][int(normal[0]) if normal else 0]


def _plan_cadence(company: Company, rng: np.random.Generator) -> None:
    """A few active sponsorships are overdue (>14 days since a counting engagement), a few at risk (12–14)."""
    a, size = company.arrays, company.size
    active = np.setdiff1d(a["running"], a["paused"])
    # Only sponsorships that started long enough ago can be behind on cadence.
    started = dict(zip(a["running"].tolist(), a["running_started_days_ago"].tolist(), strict=True))
    reassigned = set(a["reassigned"].tolist())
    old_enough = np.array([x for x in active.tolist() if started[x] > 60 and x not in reassigned])
    picks = rng.choice(old_enough, size.cadence_overdue + size.cadence_at_risk, replace=False)
    state = np.full(size.accounts, ON_TRACK)
    state[picks[: size.cadence_overdue]] = OVERDUE
    state[picks[size.cadence_overdue :]] = AT_RISK
    a["cadence_state"] = state


SPONSORSHIP_COLUMNS = (
    "id", "account_id", "executive_id", "status", "introducer_id", "charter_objectives", "charter_expectations",
    "customer_commitment", "cadence_days", "proposed_at", "approved_at", "approved_by_id", "introduced_on",
    "started_on", "ended_on", "end_reason", "alignment_checked_on",
)  # fmt: skip


def sponsorship_rows(company: Company) -> list[dict[str, object]]:
    """Every sponsorship (live and ended) as plain dicts; ids are positions + 1."""
    a = company.arrays
    rng = company.rng("sponsorships")
    owner_id = company.users[Role.PROGRAM_OWNER][0]
    started = dict(zip(a["running"].tolist(), a["running_started_days_ago"].tolist(), strict=True))
    paused, reassigned = set(a["paused"].tolist()), set(a["reassigned"].tolist())
    executive_ids = a["executive_id"]
    rows: list[dict[str, object]] = []

    def add(account: int, executive: int, status: str, start: int | None, end: int | None, intro: int) -> None:
        area = words.CAPABILITY_AREAS[int(rng.integers(len(words.CAPABILITY_AREAS)))]
        rows.append(
            {
                "id": len(rows) + 1,
                "account": account,
                "executive_index": executive,
                "account_id": account + 1,
                "executive_id": int(executive_ids[executive]),
                "status": status,
                "introducer_id": int(a["owner"][account]),
                "charter_objectives": words.CHARTER_OBJECTIVES[len(rows) % 3].format(
                    counterpart=company.lists["contact_name"][int(a["counterpart_of"][account])], area=area
                ),
                "charter_expectations": words.CHARTER_EXPECTATIONS[len(rows) % 2],
                "customer_commitment": words.CUSTOMER_COMMITMENTS[len(rows) % 3],
                "cadence_days": 14,
                "proposed_at": f"{company.iso(intro + 30)} 10:00:00",
                "approved_at": f"{company.iso(intro + 21)} 10:00:00",
                "approved_by_id": owner_id,
                "introduced_on": company.iso(intro),
                "started_on": company.iso(start) if start is not None else None,
                "ended_on": company.iso(end) if end is not None else None,
                "end_reason": END_REASONS[len(rows) % 2] if end is not None else "",
                "alignment_checked_on": company.iso(intro + 7),
                "started_days_ago": start,
                "ended_days_ago": end,
            }
        )

    sponsor_of = a["sponsor_of"]
    candidates = np.flatnonzero(a["executive_customer_facing"])
    for account in a["running"].tolist():
        start = started[account]
        if account in reassigned:
            earlier = int(rng.choice(candidates[candidates != sponsor_of[account]]))
            handover = int(rng.integers(20, max(21, start - 30)))
            add(account, earlier, "ended", start, handover, start + 5)
            start = handover
        add(account, int(sponsor_of[account]), "paused" if account in paused else "active", start, None, start + 5)
    for account in a["introduced"].tolist():
        intro = int(rng.integers(2, 10))
        add(account, int(sponsor_of[account]), "introduced", None, None, intro)
    for account in a["ended_only"].tolist():
        start = int(rng.integers(200, 330))
        add(account, int(rng.choice(candidates)), "ended", start, int(rng.integers(30, 150)), start + 5)
    return rows


def write_sponsorships(company: Company) -> None:
    rows = sponsorship_rows(company)
    company.sponsorships = rows
    insert_rows(
        "program_sponsorship",
        SPONSORSHIP_COLUMNS,
        ([row[c] for c in SPONSORSHIP_COLUMNS] for row in rows),
    )
    counterparts = company.arrays["counterpart_of"]
    insert_rows(
        "program_sponsorship_counterparts",
        ("id", "sponsorship_id", "contact_id"),
        ((row["id"], row["id"], int(counterparts[row["account"]]) + 1) for row in rows),
    )
    _write_objectives(company, rows)


def _write_objectives(company: Company, rows: list[dict[str, object]]) -> None:
    rng = company.rng("objectives")
    statuses = ("not_started", "on_track", "at_risk", "achieved", "missed")
    objective_rows = []
    executive_user = company.arrays["executive_user_id"]
    for row in rows:
        if row["status"] not in ("active", "paused", "introduced"):
            continue
        for title_index in rng.choice(len(words.OBJECTIVE_TITLES), int(rng.integers(1, 4)), replace=False):
            status = statuses[int(rng.choice(5, p=[0.15, 0.45, 0.15, 0.2, 0.05]))]
            objective_rows.append(
                (
                    len(objective_rows) + 1,
                    row["account_id"],
                    row["id"],
                    words.OBJECTIVE_TITLES[title_index],
                    "Agreed with the customer executive",
                    "Done" if status != "missed" else "Done by renewal",
                    "Done" if status == "achieved" else "In progress",
                    int(executive_user[row["executive_index"]]),
                    company.iso(-int(rng.integers(30, 270))),
                    status,
                    company.iso(int(rng.integers(1, 90))),
                )
            )
    insert_rows(
        "program_objective",
        (
            "id",
            "account_id",
            "sponsorship_id",
            "title",
            "measure",
            "target_value",
            "current_value",
            "owner_id",
            "target_date",
            "status",
            "status_changed_on",
        ),  # fmt: skip
        objective_rows,
    )
