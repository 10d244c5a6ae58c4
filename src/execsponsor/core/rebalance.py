"""The quarterly rebalance: which accounts to add, remove or reassign, each with its reason.

* remove, graduated: health green for the last two quarters and every objective met;
* remove, not progressing: no engagement that counts in the last quarter and no objective moving;
* reassign: the sponsor has left, or carries more accounts than their capacity (the newest go first), or an
  executive with free capacity fits the account clearly better (by BETTER_FIT_MARGIN points or more);
* add: the best-ranked accounts outside the program, as many as the freed capacity allows.

New sponsors for added and reassigned accounts come from the matcher itself (no minimum capacity in a
rebalance), so "why this executive" is answered the same way as in a full matching run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from execsponsor.core.matching import Candidate, Executive, MatchingProblem, match

BETTER_FIT_MARGIN = 20.0  # fit points a freed-up executive must gain over today's sponsor to move an account


@dataclass(frozen=True)
class SponsorshipState:
    sponsorship: str
    account: str
    account_name: str
    executive: str
    started_on: str  # ISO date; the newest sponsorships move first when an executive is overloaded
    health_bands: tuple[str, ...] = ()  # newest last, one per quarter
    objectives_total: int = 0
    objectives_met: int = 0
    objectives_moving: bool = False
    counting_engagements_last_quarter: int = 0


@dataclass(frozen=True)
class ExecutiveState:
    id: str
    name: str
    capacity_max: int
    active: bool = True


@dataclass(frozen=True)
class Proposal:
    action: str  # "add", "remove" or "reassign"
    account: str
    reason: str
    sponsorship: str | None = None
    from_executive: str | None = None
    to_executive: str | None = None


@dataclass(frozen=True)
class RebalancePlan:
    proposals: tuple[Proposal, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def of(self, action: str) -> list[Proposal]:
        return [p for p in self.proposals if p.action == action]


def graduated(state: SponsorshipState) -> bool:
    green_two_quarters = len(state.health_bands) >= 2 and all(b == "green" for b in state.health_bands[-2:])
    objectives_met = state.objectives_total > 0 and state.objectives_met == state.objectives_total
    return green_two_quarters and objectives_met


def not_progressing(state: SponsorshipState) -> bool:
    return state.counting_engagements_last_quarter == 0 and not state.objectives_moving


def plan_rebalance(
    sponsorships: Sequence[SponsorshipState],
    executives: Sequence[ExecutiveState],
    ranked_outside: Sequence[str],
    candidates: Sequence[Candidate],
    *,
    max_additions: int | None = None,
) -> RebalancePlan:
    """Propose the quarter's changes. `ranked_outside` lists accounts not in the program, best first;
    `candidates` are the eligible (account, executive) pairs with their fit, from sponsor_fit."""
    by_executive = {e.id: e for e in executives}
    proposals: list[Proposal] = []
    staying: dict[str, list[SponsorshipState]] = defaultdict(list)
    needs_sponsor: list[tuple[SponsorshipState, str]] = []

    for state in sorted(sponsorships, key=lambda s: (s.account_name, s.sponsorship)):
        executive = by_executive.get(state.executive)
        if graduated(state):
            proposals.append(_remove(state, "graduated: health green for two quarters and every objective met"))
        elif not_progressing(state):
            proposals.append(
                _remove(state, "not progressing: no engagement that counts last quarter and no objective moving")
            )
        elif executive is None or not executive.active:
            needs_sponsor.append((state, "the sponsor has left the company"))
        else:
            staying[state.executive].append(state)

    for executive_id, states in staying.items():
        executive = by_executive[executive_id]
        overflow = len(states) - executive.capacity_max
        if overflow > 0:
            newest = sorted(states, key=lambda s: (s.started_on, s.sponsorship), reverse=True)[:overflow]
            for state in newest:
                states.remove(state)
                needs_sponsor.append(
                    (
                        state,
                        f"{executive.name} sponsors {overflow + executive.capacity_max} accounts "
                        f"against a capacity of {executive.capacity_max}",
                    )
                )

    # Accounts that must move come first, then clearly better fits, then additions, each taking the room left.
    load = {e.id: len(staying.get(e.id, [])) for e in executives}
    placement = _place([s.account for s, _ in needs_sponsor], executives, load, candidates, needs_sponsor)
    for state, why in needs_sponsor:
        target = placement.get(state.account)
        if target is not None:
            load[target] = load.get(target, 0) + 1
        reason = why + ("" if target else "; no executive with room is eligible, so it waits for the next run")
        proposals.append(Proposal("reassign", state.account, reason, state.sponsorship, state.executive, target))
    proposals.extend(_better_fits(staying, by_executive, load, candidates))

    room = sum(max(0, e.capacity_max - load.get(e.id, 0)) for e in executives if e.active)
    limit = room if max_additions is None else min(room, max_additions)
    in_program = {s.account for s in sponsorships}
    additions = [a for a in ranked_outside if a not in in_program][: max(0, limit)]
    placement = _place(additions, executives, load, candidates, [])
    for rank, account in enumerate(additions, start=1):
        if account in placement:
            proposals.append(
                Proposal(
                    "add",
                    account,
                    f"ranked #{rank} among accounts outside the program",
                    to_executive=placement[account],
                )
            )
    return RebalancePlan(tuple(proposals))


def _better_fits(
    staying: dict[str, list[SponsorshipState]],
    by_executive: dict[str, ExecutiveState],
    load: dict[str, int],
    candidates: Sequence[Candidate],
) -> list[Proposal]:
    """Move an account to an executive with room who fits it clearly better; biggest gains first."""
    fit = {(c.account, c.executive): c.fit for c in candidates}
    by_account: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_account[candidate.account].append(candidate)
    options = []
    for executive_id, states in staying.items():
        for state in states:
            today = fit.get((state.account, executive_id), 0.0)
            for candidate in by_account.get(state.account, ()):
                gain = candidate.fit - today
                if candidate.executive != executive_id and gain >= BETTER_FIT_MARGIN:
                    options.append((-gain, state.account_name, state.sponsorship, state, candidate, today))
    proposals: list[Proposal] = []
    moved: set[str] = set()
    for _, _, _, state, candidate, today in sorted(options, key=lambda o: o[:3]):
        target = by_executive.get(candidate.executive)
        if state.sponsorship in moved or target is None or not target.active:
            continue
        if load.get(target.id, 0) >= target.capacity_max:
            continue
        moved.add(state.sponsorship)
        load[target.id] = load.get(target.id, 0) + 1
        load[state.executive] -= 1
        staying[state.executive].remove(state)
        reason = f"a better fit has room: {target.name} fits {candidate.fit:.0f} against today's {today:.0f}"
        proposals.append(
            Proposal("reassign", state.account, reason, state.sponsorship, state.executive, candidate.executive)
        )
    return proposals


def _remove(state: SponsorshipState, reason: str) -> Proposal:
    return Proposal("remove", state.account, reason, state.sponsorship, state.executive)


def _place(
    accounts: list[str],
    executives: Sequence[ExecutiveState],
    load: dict[str, int],
    candidates: Sequence[Candidate],
    needs_sponsor: list[tuple[SponsorshipState, str]],
) -> dict[str, str]:
    if not accounts:
        return {}
    leaving = {(s.account, s.executive) for s, _ in needs_sponsor}
    wanted = set(accounts)
    usable = [c for c in candidates if c.account in wanted and (c.account, c.executive) not in leaving]
    problem = MatchingProblem(
        accounts=accounts,
        executives=[Executive(e.id, 0, e.capacity_max, load.get(e.id, 0), e.name) for e in executives if e.active],
        candidates=usable,
        enforce_minimum=False,
    )
    return {p.account: p.executive for p in match(problem).pairs}
