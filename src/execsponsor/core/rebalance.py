"""The quarterly rebalance: which accounts to add, remove or reassign, each with its reason.

* remove, graduated: health green for the last two quarters and every objective met;
* remove, not progressing: no engagement that counts in the last quarter and no objective moving;
* reassign: the sponsor has left, or carries more accounts than their capacity (the newest go first);
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

    load = {e.id: len(staying.get(e.id, [])) for e in executives}
    room = sum(max(0, e.capacity_max - load[e.id]) for e in executives if e.active) - len(needs_sponsor)
    limit = room if max_additions is None else min(room, max_additions)
    in_program = {s.account for s in sponsorships}
    additions = [a for a in ranked_outside if a not in in_program][: max(0, limit)]

    to_place = [s.account for s, _ in needs_sponsor] + additions
    placement = _place(to_place, executives, load, candidates, needs_sponsor)
    for state, why in needs_sponsor:
        target = placement.get(state.account)
        reason = why + ("" if target else "; no executive with room is eligible, so it waits for the next run")
        proposals.append(Proposal("reassign", state.account, reason, state.sponsorship, state.executive, target))
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
