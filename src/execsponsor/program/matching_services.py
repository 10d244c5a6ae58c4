"""Writes for selection and matching: save settings, run the matcher, approve a run.

Nothing touches sponsorships before `matching_run_approve`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction
from django.utils import timezone

from execsponsor.common.errors import ConcurrentEdit, InvalidInput
from execsponsor.core import matching, selection
from execsponsor.core.sponsor_fit import candidates_for, reasons_for
from execsponsor.program import matching_inputs as inputs
from execsponsor.program.models import (
    LIVE_STATUSES,
    MatchingRun,
    ProgramSetting,
    RunStatus,
    Sponsorship,
    SponsorshipStatus,
)
from execsponsor.users.models import LEVEL_RANK, Executive, ExecutiveLevel
from execsponsor.users.permissions import require_program_owner


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
    require_program_owner(by, to="run selection and matching")
    unknown = set(settings.weights) - set(selection.CRITERIA)
    if unknown:
        raise InvalidInput(f"unknown criteria: {', '.join(sorted(unknown))}", field="weights")
    if any(w < 0 for w in settings.weights.values()) or sum(settings.weights.values()) <= 0:
        raise InvalidInput("weights must be zero or more, and at least one above zero", field="weights")
    return _save_setting(key=inputs.SELECTION_KEY, value=settings.as_dict(), by=by, expected_version=expected_version)


@transaction.atomic
def matching_settings_save(*, by, settings: inputs.MatchingSettings, expected_version: int | None) -> int:
    require_program_owner(by, to="run selection and matching")
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
    return selection.rank_accounts(facts, weights=settings.weights, rules=settings.rules, shortlist_size=size)


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


def matching_problem(*, user, options: inputs.MatchingOptions):
    """Everything the matcher needs, read once: the problem, fit profiles and the selection behind it."""
    settings = inputs.matching_settings()
    size = options.shortlist_size or total_capacity(options=options)
    ranking = rank_accounts(user=user, shortlist_size=size)
    wanted = [int(a) for a in ranking.shortlist]
    wanted += [a for a in options.extra_accounts if a not in wanted]
    wanted += [a for a, _ in options.locked if a not in wanted]
    account_profiles = inputs.account_profiles(wanted)
    executive_profiles, capacities = inputs.executive_profiles(options=options)
    in_problem = {str(a) for a in wanted}
    kept = Counter(
        str(executive_id)
        for executive_id, account_id in Sponsorship.objects.filter(status__in=LIVE_STATUSES).values_list(
            "executive_id", "account_id"
        )
        if str(account_id) not in in_problem
    )
    capacities = [matching.Executive(c.id, c.capacity_min, c.capacity_max, kept[c.id], c.name) for c in capacities]
    rules = inputs.hard_rules(settings=settings, options=options)
    found = candidates_for(
        account_profiles,
        executive_profiles,
        rules=rules,
        weights=settings.fit_weights,
        max_per_account=settings.candidates_per_account,
    )
    problem = matching.MatchingProblem(
        accounts=[p.id for p in account_profiles],
        executives=capacities,
        candidates=found.candidates,
        locked=sorted(rules.locked & {(a, e) for a in in_problem for e in (c.id for c in capacities)}),
        load_balance=settings.load_balance,
        exclusions=found.exclusions,
        account_names={p.id: p.name for p in account_profiles},
    )
    return problem, account_profiles, executive_profiles, ranking, settings


def _why_not_today(problem, result, account: str, current: str, name: str) -> str:
    """Why a reassignment moves the account away from today's sponsor."""
    if current not in {e.id for e in problem.executives}:
        return f"today's sponsor {name} is not available for this run"
    if not any(c.account == account and c.executive == current for c in problem.candidates):
        return f"today's sponsor {name} does not meet the hard constraints for this account"
    load = next((item for item in result.executives if item.executive == current), None)
    if load is not None and load.load >= load.capacity_max:
        return f"today's sponsor {name} is at capacity with accounts where they fit better"
    return f"a better total fit across the program than keeping {name}"


def explain(
    result: matching.MatchingResult, account_profiles, executive_profiles, weights, problem=None
) -> dict[str, Any]:
    """The result as JSON, every pair with its reasons in words and the change from today."""
    accounts = {p.id: p for p in account_profiles}
    executives = {p.id: p for p in executive_profiles}
    today = {
        str(a): str(e)
        for a, e in Sponsorship.objects.filter(
            status__in=LIVE_STATUSES, account_id__in=[int(a) for a in accounts]
        ).values_list("account_id", "executive_id")
    }
    account_labels, executive_labels = _labels(
        {int(a) for a in accounts}, {int(e) for e in executives} | {int(e) for e in today.values()}
    )
    pairs = []
    for pair in result.pairs:
        reasons = reasons_for(accounts[pair.account], executives[pair.executive], weights)
        current = today.get(pair.account)
        change = "keep" if current == pair.executive else ("reassign" if current else "new")
        if change == "reassign" and problem is not None:
            why = _why_not_today(problem, result, pair.account, current, executive_labels[current]["name"])
            reasons = (*reasons, why)
        pairs.append(
            {
                "account": account_labels[pair.account]["external_id"],
                "account_id": int(pair.account),
                "account_name": account_labels[pair.account]["name"],
                "executive": executive_labels[pair.executive]["external_id"],
                "executive_id": int(pair.executive),
                "executive_name": executive_labels[pair.executive]["name"],
                "score": pair.score,
                "reasons": list(reasons),
                "change": change,
                "current_executive_name": executive_labels[current]["name"] if current else None,
            }
        )
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
            }
            for load in result.executives
        ],
        "infeasible_because": list(result.infeasible_because),
    }


def matching_run_preview(*, by, options: inputs.MatchingOptions) -> dict[str, Any]:
    """Run the matcher without saving anything (`esp match --dry-run`)."""
    require_program_owner(by, to="run selection and matching")
    problem, account_profiles, executive_profiles, _ranking, settings = matching_problem(user=by, options=options)
    result = matching.match(problem)
    return explain(result, account_profiles, executive_profiles, settings.fit_weights, problem)


@transaction.atomic
def matching_run_create(*, by, options: inputs.MatchingOptions, label: str = "") -> MatchingRun:
    """Run the matcher and keep the proposal as a draft run. Sponsorships are not touched."""
    explained = matching_run_preview(by=by, options=options)
    return MatchingRun.objects.create(
        created_by=by,
        label=label[:100],
        options=options.as_dict(),
        result=explained,
        solver_status=explained["status"],
        objective=explained["objective"],
    )


def introducer_for(executive: Executive):
    """The most senior available person above the sponsor; None when the sponsor is at the top."""
    best, seen, boss = None, set(), executive.reports_to
    while boss is not None and boss.pk not in seen:
        seen.add(boss.pk)
        if (
            boss.is_active
            and boss.user.is_active
            and (best is None or LEVEL_RANK[ExecutiveLevel(boss.level)] >= LEVEL_RANK[ExecutiveLevel(best.level)])
        ):
            best = boss
        boss = boss.reports_to
    return best.user if best else None


@transaction.atomic
def matching_run_approve(*, run: MatchingRun, by) -> list[Sponsorship]:
    """Write the run's pairs as approved sponsorships, end the ones it replaces, and plan introductions."""
    require_program_owner(by, to="run selection and matching")
    run = MatchingRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.DRAFT:
        raise InvalidInput(f"This run is already {run.get_status_display().lower()}")
    if run.solver_status != "optimal":
        raise InvalidInput("An infeasible run cannot be approved; change the options and run again")
    now = timezone.now()
    created = []
    executives = {
        e.pk: e
        for e in Executive.objects.select_related("user", "reports_to__user", "reports_to__reports_to__user").filter(
            pk__in=[p["executive_id"] for p in run.result["pairs"]]
        )
    }
    for pair in run.result["pairs"]:
        if pair["change"] == "keep":
            continue
        for old in Sponsorship.objects.filter(account_id=pair["account_id"], status__in=LIVE_STATUSES):
            if old.executive_id != pair["executive_id"]:
                old.status = SponsorshipStatus.ENDED
                old.ended_on = now.date()
                old.end_reason = f"Reassigned by matching run #{run.pk}"
                old._history_user = by
                old.save()
        executive = executives[pair["executive_id"]]
        sponsorship, _ = Sponsorship.objects.update_or_create(
            account_id=pair["account_id"],
            executive=executive,
            status__in=[SponsorshipStatus.PROPOSED],
            defaults={"status": SponsorshipStatus.APPROVED},
            create_defaults={
                "account_id": pair["account_id"],
                "executive": executive,
                "status": SponsorshipStatus.APPROVED,
            },
        )
        sponsorship.approved_at = now
        sponsorship.approved_by = by
        sponsorship.matching_run = run
        sponsorship.introducer = introducer_for(executive)
        sponsorship._history_user = by
        sponsorship.save()
        created.append(sponsorship)
    run.status = RunStatus.APPROVED
    run.approved_by = by
    run.approved_at = now
    run.save(update_fields=["status", "approved_by", "approved_at"])
    return created
