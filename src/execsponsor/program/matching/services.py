"""Writes for selection and matching: save settings, run the matcher, approve a run.

A run is a complete target state: for every live sponsorship today it says keep, reassign or end (each
with its reason), and every new pair is an add. Nothing touches sponsorships before
`matching_run_approve`, which applies exactly that state, and only while the run's inputs are unchanged.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db import transaction
from django.utils import timezone

from execsponsor.access.rules import require
from execsponsor.common.errors import ConcurrentEdit, InvalidInput
from execsponsor.core import matching, selection
from execsponsor.core.run_result import END
from execsponsor.program.assignment_services import (
    sponsorship_create_approved,
    sponsorship_end,
    sponsorship_reassign,
)
from execsponsor.program.matching import cohort_services, inputs
from execsponsor.program.matching.explain import explain
from execsponsor.program.matching.problem import matching_problem
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
    result = run.typed_result
    decisions, additions = result.moved, result.add
    wanted = {d.to_executive_id for d in decisions if d.to_executive_id} | {p.executive_id for p in additions}
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
        .filter(pk__in=[d.sponsorship_id for d in decisions])
    }
    changed = []
    for decision in decisions:
        sponsorship = sponsorships[decision.sponsorship_id]
        reason = f"Matching run #{run.pk}: {decision.reason}"
        if decision.change == END:
            changed.append(sponsorship_end(sponsorship=sponsorship, by=by, reason=reason))
        else:
            changed.append(
                sponsorship_reassign(
                    sponsorship=sponsorship,
                    to_executive=executives[decision.to_executive_id],
                    by=by,
                    reason=reason,
                    matching_run=run,
                )
            )
    for pair in additions:
        changed.append(
            sponsorship_create_approved(
                account_id=pair.account_id, executive=executives[pair.executive_id], by=by, matching_run=run
            )
        )
    run.status = RunStatus.APPROVED
    run.approved_by = by
    run.approved_at = timezone.now()
    run.save(update_fields=["status", "approved_by", "approved_at"])
    cohort_services.randomised_cohort_record(run=run, by=by)
    return changed
