"""Writes that edit the playbooks themselves (the program owner's), and the task policy."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import F, Max
from django.utils.text import slugify

from execsponsor.access.rules import require
from execsponsor.common.errors import InvalidInput
from execsponsor.playbooks.models import TRIGGER_DEFAULTS, Playbook, PlaybookStep, StepRole, TaskPolicy, Trigger
from execsponsor.users.models import User

# (lowest, highest) for each numeric trigger setting.
SETTING_RANGES = {"days": (1, 730), "within_days": (1, 366), "points": (1, 100)}
ALERT_KIND = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
MAX_STEPS = 50
MAX_OFFSET = 730


def clean_settings(trigger: str, raw: dict) -> dict:
    """The settings `trigger` reads, from `raw` (form or JSON values), checked; unknown names are dropped."""
    cleaned: dict = {}
    for name, default in TRIGGER_DEFAULTS.get(trigger, {}).items():
        value = raw.get(name, default)
        if name == "alert_kinds":
            kinds = value if isinstance(value, list) else re.split(r"[\s,]+", str(value or ""))
            kinds = [str(kind).strip().lower() for kind in kinds if str(kind).strip()]
            bad = [kind for kind in kinds if not ALERT_KIND.match(kind)]
            if bad:
                raise InvalidInput(f"alert kinds: {', '.join(bad)} is not a kind name (letters, digits, _)", field=name)
            cleaned[name] = kinds
            continue
        low, high = SETTING_RANGES[name]
        try:
            number = int(str(value).strip())
        except ValueError:
            raise InvalidInput(f"{name.replace('_', ' ')}: '{value}' is not a whole number", field=name) from None
        if not low <= number <= high:
            raise InvalidInput(f"{name.replace('_', ' ')}: must be between {low} and {high}", field=name)
        cleaned[name] = number
    return cleaned


def _unique_slug(name: str) -> str:
    base = slugify(name)[:40] or "playbook"
    slug, n = base, 1
    while Playbook.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def playbook_create(*, by: User, name: str, trigger: str = Trigger.MANUAL) -> Playbook:
    require(by, "execsponsor.run_program", to="create playbooks")
    name = (name or "").strip()
    if not name:
        raise InvalidInput("A playbook needs a name", field="name")
    if trigger not in Trigger.values:
        raise InvalidInput(f"'{trigger}' is not a trigger", field="trigger")
    return Playbook.objects.create(
        name=name[:200], slug=_unique_slug(name), trigger=trigger, settings=clean_settings(trigger, {})
    )


@transaction.atomic
def playbook_update(
    *, by: User, playbook: Playbook, name: str, description: str, trigger: str, is_active: bool, settings: dict
) -> Playbook:
    require(by, "execsponsor.run_program", to="edit playbooks")
    name = (name or "").strip()
    if not name:
        raise InvalidInput("A playbook needs a name", field="name")
    if trigger not in Trigger.values:
        raise InvalidInput(f"'{trigger}' is not a trigger", field="trigger")
    playbook = Playbook.objects.select_for_update().get(pk=playbook.pk)
    playbook.name = name[:200]
    playbook.description = (description or "").strip()
    playbook.trigger = trigger
    playbook.is_active = is_active
    playbook.settings = clean_settings(trigger, settings)
    playbook.save()
    return playbook


@transaction.atomic
def playbook_set_active(*, by: User, playbook: Playbook, is_active: bool) -> Playbook:
    require(by, "execsponsor.run_program", to="switch playbooks on or off")
    Playbook.objects.filter(pk=playbook.pk).update(is_active=is_active)
    playbook.refresh_from_db()
    return playbook


def _step_fields(*, title: str, role: str, offset_days, instructions: str, checklist) -> dict:
    title = (title or "").strip()
    if not title:
        raise InvalidInput("A step needs a title", field="title")
    if role not in StepRole.values:
        raise InvalidInput(f"'{role}' is not a role (sponsor, AE, CSM or program owner)", field="role")
    try:
        offset = int(str(offset_days).strip())
    except ValueError:
        raise InvalidInput(f"offset: '{offset_days}' is not a whole number of days", field="offset_days") from None
    if not -MAX_OFFSET <= offset <= MAX_OFFSET:
        raise InvalidInput(f"offset: at most {MAX_OFFSET} days either way", field="offset_days")
    items = checklist if isinstance(checklist, list) else str(checklist or "").splitlines()
    items = [str(item).strip()[:200] for item in items if str(item).strip()]
    return {
        "title": title[:200],
        "role": role,
        "offset_days": offset,
        "instructions": (instructions or "").strip(),
        "checklist": items[:30],
    }


@transaction.atomic
def step_add(*, by: User, playbook: Playbook, **fields) -> PlaybookStep:
    require(by, "execsponsor.run_program", to="edit playbooks")
    values = _step_fields(**fields)
    Playbook.objects.select_for_update().get(pk=playbook.pk)
    if playbook.steps.count() >= MAX_STEPS:
        raise InvalidInput(f"A playbook has at most {MAX_STEPS} steps")
    last = playbook.steps.aggregate(last=Max("position"))["last"] or 0
    return PlaybookStep.objects.create(playbook=playbook, position=last + 1, **values)


@transaction.atomic
def step_update(*, by: User, step: PlaybookStep, **fields) -> PlaybookStep:
    require(by, "execsponsor.run_program", to="edit playbooks")
    values = _step_fields(**fields)
    PlaybookStep.objects.filter(pk=step.pk).update(**values)
    step.refresh_from_db()
    return step


@transaction.atomic
def step_remove(*, by: User, step: PlaybookStep) -> None:
    """Remove a step from the template; tasks already made from it stay."""
    require(by, "execsponsor.run_program", to="edit playbooks")
    playbook = Playbook.objects.select_for_update().get(pk=step.playbook_id)
    step.delete()
    _renumber(playbook, list(playbook.steps.order_by("position")))


@transaction.atomic
def step_move(*, by: User, step: PlaybookStep, up: bool) -> None:
    require(by, "execsponsor.run_program", to="edit playbooks")
    playbook = Playbook.objects.select_for_update().get(pk=step.playbook_id)
    steps = list(playbook.steps.order_by("position"))
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(steps):
        steps[index], steps[other] = steps[other], steps[index]
        _renumber(playbook, steps)


def _renumber(playbook: Playbook, steps: list[PlaybookStep]) -> None:
    # Out of the way first: positions are unique per playbook at every moment.
    playbook.steps.update(position=F("position") + 1000)
    for position, step in enumerate(steps, start=1):
        PlaybookStep.objects.filter(pk=step.pk).update(position=position)


@transaction.atomic
def task_policy_update(*, by: User, escalation_grace_days) -> TaskPolicy:
    require(by, "execsponsor.run_program", to="change the task policy")
    try:
        days = int(str(escalation_grace_days).strip())
    except ValueError:
        raise InvalidInput(
            f"grace period: '{escalation_grace_days}' is not a whole number", field="escalation_grace_days"
        ) from None
    if not 0 <= days <= 90:
        raise InvalidInput("grace period: between 0 and 90 days", field="escalation_grace_days")
    policy = TaskPolicy.current()
    policy.escalation_grace_days = days
    policy.updated_by = by
    policy.save()
    return policy
