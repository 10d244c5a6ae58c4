"""What one matching run reads, once: the problem for core/matching.py and what explaining it needs."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from execsponsor.core import matching, selection
from execsponsor.core.run_result import RunResult
from execsponsor.core.sponsor_fit import AccountProfile, CandidateSet, FitModel, candidates_for
from execsponsor.program.executives.policy import executives_excluded_from_matching
from execsponsor.program.matching import inputs
from execsponsor.program.matching.selectors import rank_accounts, total_capacity
from execsponsor.program.models import MatchingRun
from execsponsor.users.models import Executive


@dataclass
class MatchingInputs:
    """Everything one run reads, once: the problem for core/, the fit model and today's sponsorships."""

    problem: matching.MatchingProblem
    accounts: dict[str, AccountProfile]
    fit: FitModel
    found: CandidateSet
    live: list[inputs.LiveSponsorship]
    settings: inputs.MatchingSettings
    enforcing: bool
    fingerprint: str
    forbidden: frozenset[tuple[str, str]]
    draw: selection.BoundaryDraw | None = None


def matching_problem(*, user, options: inputs.MatchingOptions) -> MatchingInputs:
    """Everything the matcher needs, read once. Every account sponsored today is in the problem, so the
    run decides about each live sponsorship and nothing is carried outside it."""
    settings = inputs.matching_settings()
    live = inputs.live_sponsorships()
    size = options.shortlist_size or total_capacity(options=options)
    ranking = rank_accounts(user=user, shortlist_size=size)
    wanted = list(dict.fromkeys([int(a) for a in ranking.shortlist] + [s.account_id for s in live]))
    wanted += [a for a in options.extra_accounts if a not in wanted]
    wanted += [a for a, _ in options.locked if a not in wanted]
    account_profiles = inputs.account_profiles(wanted)
    executive_profiles, capacities = inputs.executive_profiles(options=options, live=live)
    in_problem = {p.id for p in account_profiles}
    rules = inputs.hard_rules(settings=settings, options=options)
    rules = _without_new_accounts_for_unenabled(rules, live=live, accounts=in_problem)
    enforcing = (
        settings.enforce_rules_on_live if options.enforce_rules_on_live is None else options.enforce_rules_on_live
    )
    fit = FitModel(executive_profiles, settings.fit_weights)
    found = candidates_for(
        account_profiles,
        executive_profiles,
        rules=rules,
        max_per_account=settings.candidates_per_account,
        keep_live=not enforcing,
        model=fit,
    )
    problem = matching.MatchingProblem(
        accounts=[p.id for p in account_profiles],
        executives=capacities,
        candidates=found.candidates,
        locked=sorted(rules.locked & {(a, e) for a in in_problem for e in (c.id for c in capacities)}),
        load_balance=settings.load_balance,
        hard_minimum=settings.hard_minimum if options.hard_minimum is None else options.hard_minimum,
        preferred=_preferred_pairs(options, live),
        exclusions=found.exclusions,
        account_names={p.id: p.name for p in account_profiles},
    )
    return MatchingInputs(
        problem=problem,
        accounts={p.id: p for p in account_profiles},
        fit=fit,
        found=found,
        live=live,
        settings=settings,
        enforcing=enforcing,
        fingerprint=inputs.inputs_fingerprint(live=live),
        forbidden=rules.forbidden,
        draw=ranking.draw,
    )


def _without_new_accounts_for_unenabled(rules, *, live: list[inputs.LiveSponsorship], accounts: set[str]):
    """When the enablement policy excludes, an executive who has not completed the required items gets no new
    account: every pair but their live ones is forbidden (a forbidden live pair would be ended, and the policy
    is about who may take on more, not about taking accounts away)."""
    executives = Executive.objects.filter(is_active=True, user__is_active=True)
    excluded = executives_excluded_from_matching(executives)
    if not excluded:
        return rules
    theirs = {(str(s.account_id), str(s.executive_id)) for s in live if s.executive_id in excluded}
    # A pair the program owner locked stays locked: that is an explicit decision about that executive.
    barred = {(a, str(e)) for e in excluded for a in accounts} - theirs - rules.locked
    return dataclasses.replace(rules, forbidden=rules.forbidden | frozenset(barred))


def _preferred_pairs(options: inputs.MatchingOptions, live: list[inputs.LiveSponsorship]) -> frozenset:
    """The pairs a run keeps when that costs no fit: those of the run a what-if starts from, else today's."""
    if options.start_from is not None:
        start = MatchingRun.objects.filter(pk=options.start_from).values_list("result", flat=True).first()
        if start:
            return frozenset((str(p.account_id), str(p.executive_id)) for p in RunResult.from_dict(start).pairs)
    return frozenset((str(s.account_id), str(s.executive_id)) for s in live)
