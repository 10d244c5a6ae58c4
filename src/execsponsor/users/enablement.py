"""Executive enablement: the catalogue of briefings and skills and each executive's dated completions. The policy
that says whether an executive who has not completed what is required of them may still be matched is a program
setting, in program/executives/policy.py; its modes are named here.

`EnablementCompletion` rows are the record; `Executive.enablement` keeps the completed keys (in catalogue order)
in step with them, for the API, the import and the exports that read that list. Every write goes through here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from execsponsor.access.rules import require
from execsponsor.common.errors import ConcurrentEdit, InvalidInput
from execsponsor.users.models import EnablementAudience, EnablementCompletion, EnablementItem, Executive, User

POLICY_KEY = "enablement"
WARN, EXCLUDE = "warn", "exclude"
POLICY_MODES = {WARN: "Warn only: flag them, still match them", EXCLUDE: "Exclude them from new matches"}


class EnablementSummary(NamedTuple):
    """How far an executive is with what is required of them; unpacks as (done, required, missing labels)."""

    done: int
    required: int
    missing: list[str]

    @property
    def complete(self) -> bool:
        return self.done >= self.required

    @property
    def percent(self) -> int:
        return 100 if not self.required else round(100 * self.done / self.required)


# The catalogue a new installation starts with (the migration that introduced it wrote the same items).
STARTING_ITEMS = (
    ("sponsor-101", "Sponsor 101", "What a sponsor does and does not do; the cadence; engagements that count.",
     EnablementAudience.EVERYONE),
    ("executive-briefing", "Executive briefing", "The program's goals, the accounts and how they were chosen.",
     EnablementAudience.EVERYONE),
    ("account-planning", "Account planning", "Reading and shaping the AE's account plan with them.",
     EnablementAudience.EVERYONE),
    ("escalation-handling", "Escalation handling", "What to do when the customer escalates to you.",
     EnablementAudience.OPTIONAL),
    ("customer-facing-skills", "Customer-facing skills for non-customer-facing executives",
     "For a CTO, CFO or other leader who rarely meets customers: preparing, listening, not selling.",
     EnablementAudience.NOT_CUSTOMER_FACING),
)  # fmt: skip


def catalogue_ensure() -> None:
    """Write the starting items when the catalogue is empty (items are retired, never deleted, so an empty
    catalogue was never filled: a database flushed by a test, or restored without it)."""
    if EnablementItem.objects.exists():
        return
    for position, (key, label, description, audience) in enumerate(STARTING_ITEMS):
        EnablementItem.objects.get_or_create(
            key=key, defaults={"label": label, "description": description, "audience": audience, "position": position}
        )


def catalogue(*, include_retired: bool = False) -> list[EnablementItem]:
    items = EnablementItem.objects.all()
    found = list(items if include_retired else items.filter(is_active=True))
    if not found and not EnablementItem.objects.exists():
        catalogue_ensure()
        found = list(items.all() if include_retired else items.filter(is_active=True))
    return found


def _summary(executive: Executive, items: Iterable[EnablementItem], done_ids: set[int]) -> EnablementSummary:
    required = [item for item in items if item.required_of(executive)]
    missing = [item.label for item in required if item.pk not in done_ids]
    return EnablementSummary(len(required) - len(missing), len(required), missing)


def enablement_summary(executive: Executive) -> EnablementSummary:
    """(done, required, missing labels) of the items required of `executive` (the active catalogue: every
    executive's items, plus the non-customer-facing ones when they are not customer-facing)."""
    done = set(EnablementCompletion.objects.filter(executive=executive).values_list("item_id", flat=True))
    return _summary(executive, catalogue(), done)


def enablement_summaries(executives: Iterable[Executive]) -> dict[int, EnablementSummary]:
    """The summary of each executive, by id, in two queries whatever their number."""
    executives = list(executives)
    done: dict[int, set[int]] = defaultdict(set)
    for executive_id, item_id in EnablementCompletion.objects.filter(
        executive_id__in=[e.pk for e in executives]
    ).values_list("executive_id", "item_id"):
        done[executive_id].add(item_id)
    items = catalogue()
    return {e.pk: _summary(e, items, done[e.pk]) for e in executives}


def executive_checklist(executive: Executive) -> list[dict[str, Any]]:
    """Every active item, with whether it is required of `executive` and its completion (or None)."""
    completions = {
        c.item_id: c for c in EnablementCompletion.objects.filter(executive=executive).select_related("recorded_by")
    }
    rows = []
    for item in catalogue(include_retired=True):
        completion = completions.get(item.pk)
        if not item.is_active and completion is None:
            continue
        rows.append({"item": item, "required": item.required_of(executive), "completion": completion})
    return rows


# The catalogue

ITEM_FIELDS = frozenset({"label", "description", "audience", "position", "is_active"})


def _item_changes(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(fields.keys() - ITEM_FIELDS)
    if unknown:
        raise InvalidInput(f"{unknown[0]}: not a field of an enablement item", field=unknown[0])
    changes = dict(fields)
    if "label" in changes:
        changes["label"] = (changes["label"] or "").strip()
        if not changes["label"]:
            raise InvalidInput("label: name the briefing or skill", field="label")
        if len(changes["label"]) > 120:
            raise InvalidInput("label: at most 120 characters", field="label")
    if "description" in changes:
        changes["description"] = (changes["description"] or "").strip()[:2000]
    if "audience" in changes and changes["audience"] not in EnablementAudience.values:
        raise InvalidInput(
            f"audience: {changes['audience']!r} is not one of {', '.join(EnablementAudience.values)}", field="audience"
        )
    if "position" in changes and not (isinstance(changes["position"], int) and 0 <= changes["position"] <= 999):
        raise InvalidInput("position: a whole number from 0 to 999", field="position")
    return changes


def _free_key(label: str) -> str:
    base = slugify(label)[:56] or "item"
    key, n = base, 1
    while EnablementItem.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


@transaction.atomic
def enablement_item_create(*, by: User, fields: dict[str, Any]) -> EnablementItem:
    require(by, "execsponsor.run_program", to="edit the enablement catalogue")
    changes = _item_changes(fields)
    if not changes.get("label"):
        raise InvalidInput("label: name the briefing or skill", field="label")
    if "position" not in changes:
        last = EnablementItem.objects.order_by("-position").values_list("position", flat=True).first()
        changes["position"] = min((last or 0) + 1, 999)
    item = EnablementItem(key=_free_key(changes["label"]), **changes)
    item._history_user = by
    item.save()
    return item


@transaction.atomic
def enablement_item_update(
    *, item: EnablementItem, by: User, changes: dict[str, Any], expected_version: int | None
) -> EnablementItem:
    require(by, "execsponsor.run_program", to="edit the enablement catalogue")
    item = EnablementItem.objects.select_for_update().get(pk=item.pk)
    if expected_version is None or expected_version != item.version:
        raise ConcurrentEdit(
            f"Concurrent edits detected: someone changed “{item.label}” since you opened it (version "
            f"{item.version}, you read {expected_version}). Reload the page and save again."
        )
    changed = False
    for name, value in _item_changes(changes).items():
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed = True
    if changed:
        item.version += 1
        item._history_user = by
        item.save()
    return item


# Completions


def _keep_keys_in_step(executive: Executive, *, by: User) -> None:
    """Write the completed keys, in catalogue order, to `Executive.enablement` (with history) if they changed."""
    keys = list(
        EnablementCompletion.objects.filter(executive=executive)
        .order_by("item__position", "item__label")
        .values_list("item__key", flat=True)
    )
    current = Executive.objects.filter(pk=executive.pk).values_list("enablement", flat=True).first()
    if current == keys:
        executive.enablement = keys
        return
    fresh = Executive.objects.get(pk=executive.pk)
    fresh.enablement = keys
    fresh._history_user = by
    fresh.save(update_fields=["enablement", "updated_at"])
    executive.enablement, executive.updated_at = keys, fresh.updated_at


@transaction.atomic
def enablement_complete(
    *, executive: Executive, item: EnablementItem, by: User, completed_on: dt.date | None = None
) -> EnablementCompletion:
    """Record that `executive` completed `item` (on `completed_on`, today by default); again moves the date."""
    require(by, "execsponsor.run_program", to="record enablement")
    today = timezone.localdate()
    completed_on = completed_on or today
    if completed_on > today:
        raise InvalidInput("completed_on: a completion cannot be in the future", field="completed_on")
    completion = EnablementCompletion.objects.select_for_update().filter(executive=executive, item=item).first()
    if completion is None:
        completion = EnablementCompletion(executive=executive, item=item)
    completion.completed_on, completion.recorded_by, completion.recorded_at = completed_on, by, timezone.now()
    completion._history_user = by
    completion.save()
    _keep_keys_in_step(executive, by=by)
    return completion


@transaction.atomic
def enablement_uncomplete(*, executive: Executive, item: EnablementItem, by: User) -> None:
    """Take a completion back (recorded by mistake); the history keeps that it was there."""
    require(by, "execsponsor.run_program", to="record enablement")
    for completion in EnablementCompletion.objects.filter(executive=executive, item=item):
        completion._history_user = by
        completion.delete()
    _keep_keys_in_step(executive, by=by)


def enablement_sync_keys(*, executive: Executive, by: User, completed_on: dt.date | None = None) -> None:
    """Make the completions follow `executive.enablement` as the form, the API or an import just wrote it:
    new keys are completed today (a key the catalogue lacks becomes an optional item), missing ones removed.
    The caller has checked `by` may change the executive and holds the transaction."""
    catalogue_ensure()
    wanted = [key for key in dict.fromkeys(executive.enablement or ()) if isinstance(key, str) and key]
    items = {item.key: item for item in EnablementItem.objects.filter(key__in=wanted)}
    for key in wanted:
        if key not in items:
            items[key] = EnablementItem(key=key[:64], label=key[:120], audience=EnablementAudience.OPTIONAL)
            items[key]._history_user = by
            items[key].save()
    done = {c.item_id: c for c in EnablementCompletion.objects.filter(executive=executive)}
    on = completed_on or timezone.localdate()
    for key in wanted:
        if items[key].pk not in done:
            completion = EnablementCompletion(executive=executive, item=items[key], completed_on=on, recorded_by=by)
            completion._history_user = by
            completion.save()
    keep = {items[key].pk for key in wanted}
    for item_id, completion in done.items():
        if item_id not in keep:
            completion._history_user = by
            completion.delete()
    _keep_keys_in_step(executive, by=by)
