"""Writes for the program review: prepare a review and its agenda, notes, ticks, decisions.

The program owner and admins write (NotPermitted otherwise). Each write runs in one transaction and leaves a
history row with its user; edits name the version they read and are refused as concurrent edits otherwise.

A decision with an owner is followed up as a task of theirs (playbooks.Task): it is on their home and their
tasks page, and reminded and escalated like every task. The task follows the decision (owner, due date,
status); completing the task on the tasks page marks the decision done (`decision_follow_task`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from execsponsor.access.rules import require
from execsponsor.access.visibility import can_see_account
from execsponsor.common.errors import ConcurrentEdit, InvalidInput
from execsponsor.customers.models import Account
from execsponsor.engagements.cadence import cadence_today
from execsponsor.playbooks.models import Task
from execsponsor.program import review_agenda
from execsponsor.program.models import DecisionStatus, ProgramReview, ReviewDecision
from execsponsor.users.models import User

NOTES_LENGTH = 20_000
DECISION_LENGTH = 2_000
DECISION_FIELDS = frozenset({"decision", "owner_id", "due_on", "account_id", "status"})
TASK_STATUS = {DecisionStatus.OPEN: Task.Status.OPEN, DecisionStatus.DONE: Task.Status.DONE}


def _check_version(*, current: int, expected: int | None, what: str) -> None:
    if expected is None:
        raise ConcurrentEdit(f"Send the version of the {what} you read (now {current}) so no change is overwritten.")
    if expected != current:
        raise ConcurrentEdit(
            f"Concurrent edits detected: someone changed the {what} since you opened it (version {current}, you "
            f"read {expected}). Reload it, reapply your change and save again."
        )


# Reviews


def previous_review(held_on: dt.date, *, excluding: ProgramReview | None = None) -> ProgramReview | None:
    reviews = ProgramReview.objects.filter(held_on__lt=held_on)
    if excluding is not None:
        reviews = reviews.exclude(pk=excluding.pk)
    return reviews.order_by("-held_on", "-pk").first()


def upcoming_review(today: dt.date | None = None) -> ProgramReview | None:
    """The prepared review that has not been held yet (today's counts as not held)."""
    today = today or cadence_today()
    return ProgramReview.objects.filter(held_on__gte=today).order_by("held_on", "pk").first()


def next_review_on(today: dt.date | None = None) -> dt.date:
    """The date of the next review: the prepared one, else one interval after the last (today if that passed)."""
    today = today or cadence_today()
    upcoming = upcoming_review(today)
    if upcoming is not None:
        return upcoming.held_on
    last = ProgramReview.objects.order_by("-held_on").first()
    if last is None:
        return today
    return max(today, last.held_on + dt.timedelta(days=review_agenda.review_every_days()))


@transaction.atomic
def review_prepare(*, by: User, held_on: dt.date | None = None, today: dt.date | None = None) -> ProgramReview:
    """Prepare the next review: its date (the cadence's by default) and the agenda of what needs attention."""
    require(by, "execsponsor.run_program", to="prepare the program review")
    today = today or cadence_today()
    upcoming = upcoming_review(today)
    if upcoming is not None:
        raise InvalidInput(
            f"held_on: the review of {upcoming.held_on:%d %b %Y} is already prepared; refresh its agenda instead",
            field="held_on",
        )
    held_on = held_on or next_review_on(today)
    if held_on < today:
        raise InvalidInput("held_on: the next review cannot be in the past", field="held_on")
    agenda = review_agenda.agenda_for(by=by, previous=previous_review(held_on), today=today)
    review = ProgramReview(
        held_on=held_on, agenda=agenda.items, agenda_counts=agenda.counts, created_by=by, prepared_at=timezone.now()
    )
    review._history_user = by
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        raise InvalidInput(f"held_on: there is already a review on {held_on:%d %b %Y}", field="held_on") from None
    return review


def _locked(review: ProgramReview) -> ProgramReview:
    return ProgramReview.objects.select_for_update().get(pk=review.pk)


@transaction.atomic
def review_refresh_agenda(
    *, review: ProgramReview, by: User, expected_version: int | None, today: dt.date | None = None
) -> ProgramReview:
    """Compute the agenda again (before or during the meeting), keeping the items already ticked."""
    require(by, "execsponsor.run_program", to="prepare the program review")
    review = _locked(review)
    _check_version(current=review.version, expected=expected_version, what="review")
    today = today or cadence_today()
    agenda = review_agenda.agenda_for(
        by=by, previous=previous_review(review.held_on, excluding=review), today=today, current=review
    )
    review.agenda, review.agenda_counts, review.prepared_at = agenda.items, agenda.counts, timezone.now()
    review._history_user = by
    review.save()
    return review


@transaction.atomic
def review_notes_update(*, review: ProgramReview, by: User, notes: str, expected_version: int | None) -> ProgramReview:
    require(by, "execsponsor.run_program", to="write the review's notes")
    review = _locked(review)
    _check_version(current=review.version, expected=expected_version, what="review")
    notes = (notes or "").replace("\x00", "").strip()
    if len(notes) > NOTES_LENGTH:
        raise InvalidInput(f"notes: at most {NOTES_LENGTH:,} characters ({len(notes):,} given)", field="notes")
    if notes != review.notes:
        review.notes = notes
        review._history_user = by
        review.save()
    return review


@transaction.atomic
def review_item_tick(*, review: ProgramReview, by: User, key: str, discussed: bool) -> ProgramReview:
    """Mark one agenda item discussed (or not). A tick says what it sets, so two people ticking different items
    at once both win; no version is needed."""
    require(by, "execsponsor.run_program", to="tick the review's agenda")
    review = _locked(review)
    for item in review.agenda:
        if item.get("key") == key:
            if item.get("discussed") != discussed:
                item["discussed"] = discussed
                review._history_user = by
                review.save()
            return review
    raise InvalidInput(f"key: {key!r} is not on this review's agenda; reload the page", field="key")


# Decisions


def _decision_changes(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(fields.keys() - DECISION_FIELDS)
    if unknown:
        raise InvalidInput(f"{unknown[0]}: not a field of a decision", field=unknown[0])
    changes = dict(fields)
    if "decision" in changes:
        changes["decision"] = (changes["decision"] or "").replace("\x00", "").strip()
        if not changes["decision"]:
            raise InvalidInput("decision: say what was decided", field="decision")
        if len(changes["decision"]) > DECISION_LENGTH:
            raise InvalidInput(f"decision: at most {DECISION_LENGTH:,} characters", field="decision")
    if "status" in changes and changes["status"] not in DecisionStatus.values:
        raise InvalidInput(
            f"status: {changes['status']!r} is not one of {', '.join(DecisionStatus.values)}", field="status"
        )
    if changes.get("owner_id") is not None and not User.objects.filter(pk=changes["owner_id"], is_active=True).exists():
        raise InvalidInput(f"owner_id: there is no active user with id {changes['owner_id']}", field="owner_id")
    if changes.get("account_id") is not None and not Account.objects.filter(pk=changes["account_id"]).exists():
        raise InvalidInput(f"account_id: there is no account with id {changes['account_id']}", field="account_id")
    if changes.get("due_on") is not None and not isinstance(changes["due_on"], dt.date):
        raise InvalidInput("due_on: give a date, e.g. 2026-12-31", field="due_on")
    return changes


def _check_owner_sees_account(decision: ReviewDecision) -> None:
    """As for tasks: whoever follows a decision up must be able to open its account."""
    if decision.owner_id and decision.account_id and not can_see_account(decision.owner, decision.account_id):
        raise InvalidInput(
            f"owner_id: {decision.owner} cannot see {decision.account} and so cannot follow this decision up",
            field="owner_id",
        )


def _task_title(decision: ReviewDecision) -> str:
    return f"Review decision: {decision.decision}"[:255]


def _follow_up_task(decision: ReviewDecision) -> None:
    """Create or align the owner's task with the decision (writes on Task are queryset updates: no signal loop)."""
    status = TASK_STATUS.get(decision.status, Task.Status.SKIPPED)
    if decision.task_id is None:
        if decision.owner_id is None or decision.status != DecisionStatus.OPEN:
            return
        task = Task.objects.create(
            title=_task_title(decision),
            owner_id=decision.owner_id,
            due_on=decision.due_on,
            account_id=decision.account_id,
            instructions=f"Decided in the program review of {decision.review.held_on:%d %b %Y}. "
            "Completing this task marks the decision done.",
        )
        ReviewDecision.objects.filter(pk=decision.pk).update(task=task)
        decision.task = task
        return
    if decision.owner_id is None:
        status = Task.Status.SKIPPED
    values: dict[str, Any] = {
        "title": _task_title(decision),
        "due_on": decision.due_on,
        "account_id": decision.account_id,
        "status": status,
        "completed_at": timezone.now() if status != Task.Status.OPEN else None,
    }
    if decision.owner_id is not None:
        values["owner_id"] = decision.owner_id
    task = Task.objects.filter(pk=decision.task_id).values("owner_id", "status").first()
    if task and task["owner_id"] != decision.owner_id and decision.owner_id is not None:
        values["assigned_at"] = timezone.now()
    if task and task["status"] == status:
        values.pop("completed_at")
    Task.objects.filter(pk=decision.task_id).update(**values)


@transaction.atomic
def decision_create(*, review: ProgramReview, by: User, fields: dict[str, Any]) -> ReviewDecision:
    """Record a decision of `review`, with an owner and a due date (both optional) and an account (optional)."""
    require(by, "execsponsor.run_program", to="record review decisions")
    changes = _decision_changes({"status": DecisionStatus.OPEN, **fields})
    if not changes.get("decision"):
        raise InvalidInput("decision: say what was decided", field="decision")
    decision = ReviewDecision(review=review, **changes)
    _check_owner_sees_account(decision)
    if decision.status != DecisionStatus.OPEN:
        decision.closed_on = timezone.localdate()
    decision._history_user = by
    decision.save()
    _follow_up_task(decision)
    return decision


@transaction.atomic
def decision_update(
    *, decision: ReviewDecision, by: User, changes: dict[str, Any], expected_version: int | None
) -> ReviewDecision:
    require(by, "execsponsor.run_program", to="change review decisions")
    decision = ReviewDecision.objects.select_for_update().select_related("review").get(pk=decision.pk)
    _check_version(current=decision.version, expected=expected_version, what="decision")
    changed = False
    for name, value in _decision_changes(changes).items():
        if getattr(decision, name) != value:
            setattr(decision, name, value)
            changed = True
    if not changed:
        return decision
    _check_owner_sees_account(decision)
    decision.closed_on = (
        None if decision.status == DecisionStatus.OPEN else (decision.closed_on or timezone.localdate())
    )
    decision._history_user = by
    decision.save()
    _follow_up_task(decision)
    return decision


@transaction.atomic
def decision_delete(*, decision: ReviewDecision, by: User, expected_version: int | None) -> None:
    """Remove a decision recorded by mistake (history keeps it); its open task is skipped, not lost."""
    require(by, "execsponsor.run_program", to="remove review decisions")
    decision = ReviewDecision.objects.select_for_update().get(pk=decision.pk)
    _check_version(current=decision.version, expected=expected_version, what="decision")
    if decision.task_id:
        Task.objects.filter(pk=decision.task_id, status=Task.Status.OPEN).update(status=Task.Status.SKIPPED)
    decision._history_user = by
    decision.delete()


def decision_follow_task(task: Task) -> None:
    """The owner completed, skipped or reopened the decision's task on the tasks page: the decision follows.
    The acting user of the history row is the request's (simple_history's middleware)."""
    decision = ReviewDecision.objects.filter(task_id=task.pk).first()
    if decision is None:
        return
    wanted = {
        Task.Status.DONE: DecisionStatus.DONE,
        Task.Status.SKIPPED: DecisionStatus.DROPPED,
        Task.Status.OPEN: DecisionStatus.OPEN,
    }[Task.Status(task.status)]
    if decision.status == wanted and decision.owner_id == (task.owner_id or decision.owner_id):
        return
    if decision.status != wanted:
        decision.status = wanted
        decision.closed_on = None if wanted == DecisionStatus.OPEN else timezone.localdate()
        decision._change_reason = f"its task was marked {task.get_status_display().lower()}"
    if task.owner_id and task.owner_id != decision.owner_id:
        decision.owner_id = task.owner_id
        decision._change_reason = "its task was reassigned"
    decision.save()
