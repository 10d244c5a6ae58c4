"""Writes for selection and matching: save settings, run the matcher, approve a run.

A run is a complete target state: for every live sponsorship today it says keep, reassign or end (each
with its reason), and every new pair is an add. Nothing touches sponsorships before
`matching_run_approve`, which applies exactly that state, and only while the run's inputs are unchanged.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from execsponsor.access.rules import require
from execsponsor.common.errors import ConcurrentEdit, InvalidInput
from execsponsor.core import matching, selection
from execsponsor.core.sponsor_fit import AccountProfile, CandidateSet, FitModel, candidates_for
from execsponsor.program import cohort_services
from execsponsor.program import matching_inputs as inputs
from execsponsor.program.assignment_services import (
    introducer_for,  # noqa: F401  (kept importable from here for older callers)
    sponsorship_create_approved,
    sponsorship_end,
    sponsorship_reassign,
)
from execsponsor.program.executives.policy import executives_excluded_from_matching
from execsponsor.program.models import (
    MatchingRun,
    ProgramSetting,
    RunStatus,
    Sponsorship,
)
from execsponsor.users.models import Executive


def _save_setting(*, key: str, value: dict[str, Any], by, expected_version: int | None) -> int:
    setting, _ = ProgramSetting.objects.select_for_update().get_or_create(key=key, defaults={"version": 0})
    if expected_version is not None and setting.version != expected_version:
        raise ConcurrentEdit(
            f"Someone else saved these settings (version {setting.version}) after you opened them "
            f"(version {expected_version}). Reload the page to see their change."
        )
    setting.value = value
    setting.version += 1
    setting.updated_by = by
    setting.save()
    return setting.version


@transaction.atomic
def selection_settings_save(*, by, settings: inputs.SelectionSettings, expected_version: int | None) -> int:
    require(by, "execsponsor.run_program", to="run selection and matching")
    unknown = set(settings.weights) - set(selection.CRITERIA)
    if unknown:
        raise InvalidInput(f"unknown criteria: {', '.join(sorted(unknown))}", field="weights")
    if any(w < 0 for w in settings.weights.values()) or sum(settings.weights.values()) <= 0:
        raise InvalidInput("weights must be zero or more, and at least one above zero", field="weights")
    if settings.randomise_boundary and settings.draw_seed is None:
        settings = dataclasses.replace(settings, draw_seed=selection.draw_seed())
    try:
        settings.boundary  # noqa: B018  (validates the tolerance and the seed)
    except ValueError as error:
        raise InvalidInput(str(error), field="tie_tolerance") from None
    return _save_setting(key=inputs.SELECTION_KEY, value=settings.as_dict(), by=by, expected_version=expected_version)


@transaction.atomic
def matching_settings_save(*, by, settings: inputs.MatchingSettings, expected_version: int | None) -> int:
    require(by, "execsponsor.run_program", to="run selection and matching")
    return _save_setting(key=inputs.MATCHING_KEY, value=settings.as_dict(), by=by, expected_version=expected_version)


def total_capacity(*, options: inputs.MatchingOptions) -> int:
    executives = Executive.objects.filter(is_active=True, user__is_active=True).exclude(
        pk__in=options.without_executives
    )
    return sum(options.capacity.get(e.pk, (e.capacity_min, e.capacity_max))[1] for e in executives)


def rank_accounts(*, user, settings: inputs.SelectionSettings | None = None, shortlist_size: int | None = None):
    """The selection ranking for what `user` may see (the program owner sees every account)."""
    settings = settings or inputs.selection_settings()
    facts = inputs.selection_facts(user=user)
    size = shortlist_size if shortlist_size is not None else total_capacity(options=inputs.MatchingOptions())
    return selection.rank_accounts(
        facts, weights=settings.weights, rules=settings.rules, shortlist_size=size, boundary=settings.boundary
    )


def selection_document(*, user) -> dict[str, Any]:
    """The ranking as JSON (`esp select --json`, the API): accounts named by their external id where they have one."""
    from execsponsor.customers.models import Account

    result = rank_accounts(user=user)
    ids = [int(s.account) for s in result.ranked] + [int(e.account) for e in result.excluded]
    external = {pk: ext for pk, ext in Account.objects.filter(pk__in=ids).values_list("pk", "external_id") if ext}
    shortlist = set(result.shortlist)
    return {
        "accounts": [
            {
                "account": external.get(int(s.account), s.account),
                "account_id": int(s.account),
                "name": s.name,
                "score": s.score,
                "breakdown": s.breakdown,
                "in_program": s.in_program,
                "shortlisted": s.account in shortlist,
            }
            for s in result.ranked
        ],
        "shortlist_size": len(result.shortlist),
        "draw": cohort_services.draw_document(result.draw),
        "excluded": [
            {"account": external.get(int(e.account), e.account), "name": e.name, "reason": e.reason}
            for e in result.excluded
        ],
    }


def _labels(account_ids: set[int], executive_ids: set[int]) -> tuple[dict[str, dict], dict[str, dict]]:
    from execsponsor.customers.models import Account

    accounts = {
        str(pk): {"id": pk, "name": name, "external_id": ext or str(pk)}
        for pk, name, ext in Account.objects.filter(pk__in=account_ids).values_list("pk", "name", "external_id")
    }
    executives = {
        str(e.pk): {"id": e.pk, "name": str(e.user), "external_id": e.user.external_id or str(e.pk)}
        for e in Executive.objects.filter(pk__in=executive_ids).select_related("user")
    }
    return accounts, executives


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
            return frozenset((str(p["account_id"]), str(p["executive_id"])) for p in start.get("pairs", []))
    return frozenset((str(s.account_id), str(s.executive_id)) for s in live)


CHANGE_ORDER = {"reassign": 0, "add": 1, "keep": 2}


@dataclass
class _Today:
    """What explaining a change from today needs, computed once per run."""

    executives: dict[str, matching.Executive]
    candidate_pairs: set[tuple[str, str]]  # (account, executive) candidates of accounts sponsored today
    loads: dict[str, matching.Load]
    live_load: Counter[str]


def _why_not_today(data: MatchingInputs, today: _Today, account: str, current: str, name: str, to: str | None) -> str:
    """Why the account moves away from (or loses) today's sponsor, in words."""
    executive = today.executives.get(current)
    if executive is None:
        return f"today's sponsor {name} is not available for this run"
    if (account, current) not in today.candidate_pairs:
        if (account, current) in data.forbidden:
            return f"today's sponsor {name} is forbidden for this account (conflict of interest)"
        return f"today's sponsor {name} does not meet the hard rules for this account (enforced on live sponsorships)"
    if today.live_load[current] > executive.capacity_max:
        return (
            f"{name} sponsors {today.live_load[current]} accounts today against a capacity of {executive.capacity_max}"
        )
    new = today.loads.get(to) if to else None
    if new is not None and new.load <= new.capacity_min:
        return f"the new sponsor needs it to reach their minimum capacity of {new.capacity_min}"
    load = today.loads.get(current)
    if load is not None and load.load >= load.capacity_max:
        return f"today's sponsor {name} is at capacity with accounts where they fit better"
    return f"a better total fit across the program than keeping {name}"


def explain(result: matching.MatchingResult, data: MatchingInputs) -> dict[str, Any]:
    """The run as JSON: the pairs with their points and reasons, and a decision for every live sponsorship."""
    live_by_account: dict[str, list[inputs.LiveSponsorship]] = defaultdict(list)
    live_load: Counter[str] = Counter()
    for sponsorship in data.live:
        live_by_account[str(sponsorship.account_id)].append(sponsorship)
        live_load[str(sponsorship.executive_id)] += 1
    account_labels, executive_labels = _labels(
        {int(a) for a in data.accounts},
        {int(e.id) for e in data.problem.executives} | {s.executive_id for s in data.live},
    )
    grandfathered = data.found.grandfathered
    sponsored_today = set(live_by_account)
    known = _Today(
        executives={e.id: e for e in data.problem.executives},
        candidate_pairs={(c.account, c.executive) for c in data.problem.candidates if c.account in sponsored_today},
        loads={load.executive: load for load in result.executives},
        live_load=live_load,
    )
    pairs, decisions = [], []
    paired = {p.account: p for p in result.pairs}
    for pair in result.pairs:
        account = data.accounts[pair.account]
        today = [str(s.executive_id) for s in live_by_account.get(pair.account, [])]
        change = "keep" if pair.executive in today else ("reassign" if today else "add")
        reasons = list(data.fit.reasons(account, pair.executive))
        breaks = grandfathered.get((pair.account, pair.executive), ())
        if breaks:
            reasons.append(f"kept though it breaks a rule introduced since it began: {', '.join(breaks)}")
        pairs.append(
            {
                "account": account_labels[pair.account]["external_id"],
                "account_id": int(pair.account),
                "account_name": account_labels[pair.account]["name"],
                "executive": executive_labels[pair.executive]["external_id"],
                "executive_id": int(pair.executive),
                "executive_name": executive_labels[pair.executive]["name"],
                "score": pair.score,
                "points": data.fit.breakdown(account, pair.executive),
                "reasons": reasons,
                "change": change,
                "grandfathered": list(breaks),
                "current_executive_name": (
                    None if not today or change == "keep" else executive_labels[today[0]]["name"]
                ),
            }
        )
    unassigned = {u.account: u.reason for u in result.unassigned}
    for account_id, sponsorships in sorted(live_by_account.items(), key=lambda item: item[1][0].id):
        pair = paired.get(account_id)
        keeper = next((s for s in sponsorships if pair and str(s.executive_id) == pair.executive), None)
        handed_over = False
        for sponsorship in sponsorships:
            executive_id = str(sponsorship.executive_id)
            name = executive_labels[executive_id]["name"]
            entry: dict[str, Any] = {
                "sponsorship_id": sponsorship.id,
                "account_id": sponsorship.account_id,
                "account_name": account_labels[account_id]["name"],
                "executive_id": sponsorship.executive_id,
                "executive_name": name,
                "to_executive_id": None,
                "to_executive_name": None,
            }
            if sponsorship is keeper:
                breaks = grandfathered.get((account_id, executive_id), ())
                entry["change"] = "keep"
                entry["reason"] = (
                    f"kept: breaks {', '.join(breaks)}, a rule introduced since it began"
                    if breaks
                    else f"{name} sponsors it today and stays the best choice"
                )
            elif pair is not None and keeper is None and not handed_over:
                handed_over = True
                entry["change"] = "reassign"
                entry["to_executive_id"] = int(pair.executive)
                entry["to_executive_name"] = executive_labels[pair.executive]["name"]
                entry["reason"] = _why_not_today(data, known, account_id, executive_id, name, pair.executive)
            elif pair is not None:
                entry["change"] = "end"
                entry["reason"] = (
                    f"an account has one sponsor: {executive_labels[pair.executive]['name']} sponsors it in this run"
                )
            else:
                entry["change"] = "end"
                why = _why_not_today(data, known, account_id, executive_id, name, None)
                entry["reason"] = f"no sponsor in this run: {why}; {unassigned.get(account_id, 'left unassigned')}"
            decisions.append(entry)
    pairs.sort(key=lambda p: (CHANGE_ORDER[p["change"]], -p["score"], p["account_name"]))
    changes = Counter(d["change"] for d in decisions) + Counter(p["change"] for p in pairs if p["change"] == "add")
    return {
        "status": result.status,
        "objective": result.objective,
        "pairs": pairs,
        "unassigned": [
            {
                "account": account_labels[u.account]["external_id"],
                "account_id": int(u.account),
                "account_name": account_labels[u.account]["name"],
                "reason": u.reason,
            }
            for u in result.unassigned
        ],
        "executives": [
            {
                "executive": executive_labels[load.executive]["external_id"],
                "executive_id": int(load.executive),
                "executive_name": executive_labels[load.executive]["name"],
                "capacity_min": load.capacity_min,
                "capacity_max": load.capacity_max,
                "load": load.load,
                "live_today": live_load[load.executive],
            }
            for load in result.executives
        ],
        "below_minimum": [
            {
                "executive": executive_labels[b.executive]["external_id"],
                "executive_id": int(b.executive),
                "executive_name": executive_labels[b.executive]["name"],
                "load": b.load,
                "capacity_min": b.capacity_min,
                "reason": b.reason,
            }
            for b in result.below_minimum
        ],
        "sponsorships": decisions if result.status == "optimal" else [],
        "changes": {kind: changes.get(kind, 0) for kind in ("keep", "reassign", "end", "add")},
        "enforcing": _what_enforcing_would_do(decisions, data) if result.status == "optimal" else [],
        "enforced_on_live": data.enforcing,
        "infeasible_because": list(result.infeasible_because),
        "selection_draw": cohort_services.draw_document(data.draw),
    }


def _what_enforcing_would_do(decisions: list[dict], data: MatchingInputs) -> list[dict[str, Any]]:
    """For each hard rule some kept sponsorships break: how many enforcing it would reassign or end."""
    per_rule: Counter[str] = Counter()
    for decision in decisions:
        if decision["change"] == "keep":
            for rule in data.found.grandfathered.get((str(decision["account_id"]), str(decision["executive_id"])), ()):
                per_rule[rule] += 1
    return [
        {
            "rule": rule,
            "sponsorships": count,
            "text": f"enforcing {rule} would reassign or end {count} sponsorship{'s' if count != 1 else ''}",
        }
        for rule, count in sorted(per_rule.items(), key=lambda item: (-item[1], item[0]))
    ]


def matching_document(*, by, options: inputs.MatchingOptions) -> tuple[dict[str, Any], str]:
    """Run the matcher; the explained result and the fingerprint of the inputs it used."""
    require(by, "execsponsor.run_program", to="run selection and matching")
    data = matching_problem(user=by, options=options)
    return explain(matching.match(data.problem), data), data.fingerprint


def matching_run_preview(*, by, options: inputs.MatchingOptions) -> dict[str, Any]:
    """Run the matcher without saving anything (`esp match --dry-run`)."""
    return matching_document(by=by, options=options)[0]


@transaction.atomic
def matching_run_create(*, by, options: inputs.MatchingOptions, label: str = "") -> MatchingRun:
    """Run the matcher and keep the proposal as a draft run. Sponsorships are not touched."""
    explained, fingerprint = matching_document(by=by, options=options)
    return MatchingRun.objects.create(
        created_by=by,
        label=label[:100],
        options=options.as_dict(),
        result=explained,
        solver_status=explained["status"],
        objective=explained["objective"],
        inputs_fingerprint=fingerprint,
        changes={**explained["changes"], "unassigned": len(explained["unassigned"]), "pairs": len(explained["pairs"])},
    )


def run_is_stale(run: MatchingRun) -> bool:
    """True when the sponsorships, executives, capacities or settings changed since the run was made."""
    return run.inputs_fingerprint != inputs.inputs_fingerprint(live=inputs.live_sponsorships())


STALE_MESSAGE = (
    "This run is out of date: sponsorships, executives, capacities or settings changed since it was made. "
    "Run it again to approve an up-to-date proposal."
)


@transaction.atomic
def matching_run_approve(*, run: MatchingRun, by) -> list[Sponsorship]:
    """Apply the run's target state in one transaction: end, reassign and add exactly as it shows."""
    require(by, "execsponsor.run_program", to="run selection and matching")
    run = MatchingRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.DRAFT:
        raise InvalidInput(f"This run is already {run.get_status_display().lower()}")
    if run.solver_status != "optimal":
        raise InvalidInput("An infeasible run cannot be approved; change the options and run again")
    if run_is_stale(run):
        raise InvalidInput(STALE_MESSAGE)
    decisions = [d for d in run.result.get("sponsorships", []) if d["change"] != "keep"]
    additions = [p for p in run.result["pairs"] if p["change"] == "add"]
    wanted = {d["to_executive_id"] for d in decisions if d["to_executive_id"]} | {p["executive_id"] for p in additions}
    executives = {
        e.pk: e
        for e in Executive.objects.select_related(
            "user", "reports_to__user", "reports_to__reports_to__user", "reports_to__reports_to__reports_to__user"
        ).filter(pk__in=wanted)
    }
    sponsorships = {
        s.pk: s
        for s in Sponsorship.objects.select_for_update()
        .select_related("account", "executive__user")
        .filter(pk__in=[d["sponsorship_id"] for d in decisions])
    }
    changed = []
    for decision in decisions:
        sponsorship = sponsorships[decision["sponsorship_id"]]
        reason = f"Matching run #{run.pk}: {decision['reason']}"
        if decision["change"] == "end":
            changed.append(sponsorship_end(sponsorship=sponsorship, by=by, reason=reason))
        else:
            changed.append(
                sponsorship_reassign(
                    sponsorship=sponsorship,
                    to_executive=executives[decision["to_executive_id"]],
                    by=by,
                    reason=reason,
                    matching_run=run,
                )
            )
    for pair in additions:
        changed.append(
            sponsorship_create_approved(
                account_id=pair["account_id"], executive=executives[pair["executive_id"]], by=by, matching_run=run
            )
        )
    run.status = RunStatus.APPROVED
    run.approved_by = by
    run.approved_at = timezone.now()
    run.save(update_fields=["status", "approved_by", "approved_at"])
    cohort_services.randomised_cohort_record(run=run, by=by)
    return changed
