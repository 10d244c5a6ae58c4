"""The lifecycle of a sponsorship: approved → introduced → active ⇄ paused → ended, through gates.

Every change of a sponsorship's status goes through `enter` (which checks the gate of the step and sets the
fields that go with it), so the pages, the API's transition endpoint, a PATCH of `status`, matching approval and
the quarterly rebalance refuse the same things with the same messages. Each step is saved with its user and a
change reason in the sponsorship's history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from execsponsor.access.rules import why_not
from execsponsor.common.errors import InvalidInput, NotPermitted
from execsponsor.program.models import AlignmentChecklist, Sponsorship, SponsorshipStatus

S = SponsorshipStatus
END_REASON_LENGTH = 255


class Step(models.TextChoices):
    APPROVE = "approve", "Approve"
    INTRODUCE = "introduce", "Mark introduced"
    ACTIVATE = "activate", "Activate"
    PAUSE = "pause", "Pause"
    RESUME = "resume", "Resume"
    END = "end", "End"


# step: (the statuses it leaves from, the status it reaches)
STEPS: dict[Step, tuple[frozenset[str], str]] = {
    Step.APPROVE: (frozenset({S.PROPOSED}), S.APPROVED),
    Step.INTRODUCE: (frozenset({S.APPROVED}), S.INTRODUCED),
    Step.ACTIVATE: (frozenset({S.INTRODUCED}), S.ACTIVE),
    Step.PAUSE: (frozenset({S.ACTIVE}), S.PAUSED),
    Step.RESUME: (frozenset({S.PAUSED}), S.ACTIVE),
    Step.END: (frozenset({S.PROPOSED, S.APPROVED, S.INTRODUCED, S.ACTIVE, S.PAUSED}), S.ENDED),
}


def step_between(current: str, target: str) -> Step | None:
    """The one step that moves a sponsorship from `current` to `target`, if there is one."""
    return next((step for step, (sources, to) in STEPS.items() if current in sources and to == target), None)


# Who may take each step: the permissions are in access/rules.py.
STEP_PERMISSIONS: dict[Step, str] = {
    Step.APPROVE: "execsponsor.decide_sponsorship",
    Step.END: "execsponsor.decide_sponsorship",
    Step.PAUSE: "execsponsor.pause_sponsorship",
    Step.RESUME: "execsponsor.pause_sponsorship",
    Step.INTRODUCE: "execsponsor.advance_sponsorship",
    Step.ACTIVATE: "execsponsor.advance_sponsorship",
}


def permission_problem(step: Step, sponsorship: Sponsorship, user) -> str:
    """Why `user` may not take `step` on `sponsorship` ("" when they may)."""
    return why_not(user, STEP_PERMISSIONS[step], sponsorship, to=step.label.lower())


def _alignment_of(sponsorship: Sponsorship) -> AlignmentChecklist | None:
    return AlignmentChecklist.objects.filter(sponsorship=sponsorship).first()


def alignment_problem(sponsorship: Sponsorship) -> str:
    """Why the alignment checklist does not yet allow the sponsorship to be active ("" when it does)."""
    alignment = _alignment_of(sponsorship)
    missing = []
    if alignment is None or not alignment.ae_complete:
        missing.append("the AE")
    if alignment is None or not alignment.sponsor_complete:
        missing.append("the sponsor")
    if not missing:
        return ""
    return (
        f"The AE–sponsor alignment checklist is not complete: {' and '.join(missing)} "
        f"{'have' if len(missing) > 1 else 'has'} not ticked every item of their side yet"
    )


def gate_problem(
    step: Step,
    sponsorship: Sponsorship,
    *,
    introduced_on: dt.date | None = None,
    reason: str = "",
    today: dt.date | None = None,
    for_display: bool = False,
) -> str:
    """Why `step` cannot be taken now ("" when it can). `for_display` skips what the form itself will ask for."""
    today = today or timezone.localdate()
    sources, _target = STEPS[step]
    if sponsorship.status not in sources:
        return f"A sponsorship that is {sponsorship.get_status_display().lower()} cannot be {_done(step)}"
    if step == Step.INTRODUCE and not for_display:
        day = introduced_on or sponsorship.introduced_on
        if day is None:
            return "introduced_on: give the date the sponsor was introduced to the customer"
        if day > today:
            return f"introduced_on: {day.isoformat()} is in the future; record the introduction once it happened"
    if step == Step.ACTIVATE:
        return alignment_problem(sponsorship)
    if step == Step.RESUME and sponsorship.alignment_checked_on is None:
        # Aligned when it became active (or, for sponsorships older than the checklist, when that was recorded).
        return alignment_problem(sponsorship)
    if step == Step.END and not for_display:
        if not reason.strip():
            return "reason: say why the sponsorship ends"
        if len(reason) > END_REASON_LENGTH:
            return f"reason: at most {END_REASON_LENGTH} characters"
    return ""


def _done(step: Step) -> str:
    return {
        Step.APPROVE: "approved",
        Step.INTRODUCE: "marked introduced",
        Step.ACTIVATE: "activated",
        Step.PAUSE: "paused",
        Step.RESUME: "resumed",
        Step.END: "ended",
    }[step]


def enter(
    sponsorship: Sponsorship,
    step: Step,
    *,
    by,
    introduced_on: dt.date | None = None,
    reason: str = "",
    today: dt.date | None = None,
) -> None:
    """Check the gate of `step` and set the status and the fields that go with it; the caller saves.

    Raises InvalidInput with the gate's message when the step is not possible."""
    today = today or timezone.localdate()
    problem = gate_problem(step, sponsorship, introduced_on=introduced_on, reason=reason, today=today)
    if problem:
        field = problem.split(":", 1)[0] if problem.startswith(("introduced_on:", "reason:")) else None
        raise InvalidInput(problem, field=field)
    sponsorship.status = STEPS[step][1]
    reason = reason.strip()
    if step == Step.APPROVE:
        from execsponsor.program.assignment_services import introducer_for

        sponsorship.approved_at = timezone.now()
        sponsorship.approved_by = by
        sponsorship.introducer = sponsorship.introducer or introducer_for(sponsorship.executive)
    elif step == Step.INTRODUCE:
        sponsorship.introduced_on = introduced_on or sponsorship.introduced_on
    elif step == Step.ACTIVATE:
        sponsorship.started_on = sponsorship.started_on or today
        alignment = _alignment_of(sponsorship)
        completed = max(alignment.ae_completed_at, alignment.sponsor_completed_at)  # type: ignore[union-attr]
        sponsorship.alignment_checked_on = timezone.localdate(completed)
    elif step == Step.END:
        sponsorship.ended_on = today
        sponsorship.end_reason = reason
    sponsorship._history_user = by
    sponsorship._change_reason = f"{step.label}: {reason}"[:100] if reason else step.label


@transaction.atomic
def sponsorship_transition(
    *,
    sponsorship: Sponsorship,
    step: Step | str,
    by,
    expected_version: int | None,
    introduced_on: dt.date | None = None,
    reason: str = "",
    today: dt.date | None = None,
) -> Sponsorship:
    """Move a sponsorship read at `expected_version` one step on (a missing or stale version: ConcurrentEdit)."""
    from execsponsor.program.services import check_sponsorship_version

    try:
        step = Step(step)
    except ValueError:
        raise InvalidInput(f"step: {step!r} is not one of {', '.join(s.value for s in Step)}", field="step") from None
    locked = Sponsorship.objects.select_for_update().select_related("account", "executive__user").get(pk=sponsorship.pk)
    if problem := permission_problem(step, locked, by):
        raise NotPermitted(problem)
    check_sponsorship_version(locked, expected_version)
    enter(locked, step, by=by, introduced_on=introduced_on, reason=reason, today=today)
    locked.save()
    return locked


@dataclass(frozen=True)
class StepOption:
    """A step the page offers from the current status, and why it cannot be taken yet."""

    step: Step
    target: str
    why_not: str

    @property
    def possible(self) -> bool:
        return not self.why_not

    @property
    def label(self) -> str:
        return self.step.label


def steps_from_here(sponsorship: Sponsorship, *, user) -> list[StepOption]:
    """Every step that leaves the current status, each with the reason it is not possible for `user` now."""
    options = []
    for step, (sources, target) in STEPS.items():
        if sponsorship.status not in sources:
            continue
        why_not = permission_problem(step, sponsorship, user) or gate_problem(step, sponsorship, for_display=True)
        options.append(StepOption(step, target, why_not))
    return options
