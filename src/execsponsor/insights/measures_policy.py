"""The measures' settings (earlier-access window, formal evaluation stages) and the earlier-access override."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from execsponsor.access.rules import require
from execsponsor.access.visibility import visible_accounts
from execsponsor.common.errors import ConcurrentEdit, InvalidInput
from execsponsor.core.measures import DEFAULT_FORMAL_STAGES, DEFAULT_WINDOW_DAYS, MeasurePolicy
from execsponsor.customers.models import Opportunity
from execsponsor.program.models import ProgramSetting

MEASURES_KEY = "measures"
MAX_WINDOW_DAYS = 365


def measure_policy() -> tuple[MeasurePolicy, int]:
    """The settings in force and their version (0 before anyone saved them)."""
    setting = ProgramSetting.objects.filter(key=MEASURES_KEY).first()
    if setting is None:
        return MeasurePolicy(), 0
    value = setting.value or {}
    return (
        MeasurePolicy(
            window_days=int(value.get("window_days", DEFAULT_WINDOW_DAYS)),
            formal_stages=tuple(value.get("formal_stages", DEFAULT_FORMAL_STAGES)),
        ),
        setting.version,
    )


def clean_stages(text_or_list: str | list[str]) -> tuple[str, ...]:
    """One stage a line (or comma-separated), blanks and repeats dropped, in the order given."""
    items = text_or_list.replace(",", "\n").splitlines() if isinstance(text_or_list, str) else text_or_list
    seen: dict[str, str] = {}
    for item in items:
        stage = str(item).strip()
        if len(stage) > 64:
            raise InvalidInput(f"'{stage[:20]}…' is longer than a stage can be (64 characters)", field="formal_stages")
        if stage and stage.casefold() not in seen:
            seen[stage.casefold()] = stage
    return tuple(seen.values())


@transaction.atomic
def measure_policy_save(*, by, window_days: int, formal_stages: list[str] | str, expected_version: int) -> int:
    """Save the window and the formal stages; refuses if someone else saved since `expected_version`."""
    require(by, "execsponsor.run_program", to="change the measures' settings")
    if not 1 <= int(window_days) <= MAX_WINDOW_DAYS:
        raise InvalidInput(f"the window must be between 1 and {MAX_WINDOW_DAYS} days", field="window_days")
    stages = clean_stages(formal_stages)
    setting, _ = ProgramSetting.objects.select_for_update().get_or_create(key=MEASURES_KEY, defaults={"version": 0})
    if setting.version != expected_version:
        raise ConcurrentEdit(
            f"Someone else saved the measures' settings (version {setting.version}) after you opened them "
            f"(version {expected_version}). Reload the page to see their change."
        )
    setting.value = {"window_days": int(window_days), "formal_stages": list(stages)}
    setting.version += 1
    setting.updated_by = by
    setting.save()
    return setting.version


OVERRIDE_CHOICES = {"yes": True, "no": False, "derived": None}


@transaction.atomic
def earlier_access_override_set(*, by, opportunity: int | str, value: bool | None, reason: str) -> Opportunity:
    """Overrule the derived earlier access of one opportunity (yes or no, with a reason), or go back to the
    derived answer (`value=None`). `opportunity`: "id:<its id>", or its external (CRM) id. Program owners and admins
    only; the opportunity must be visible to them."""
    require(by, "execsponsor.run_program", to="overrule earlier access")
    reference = str(opportunity).strip()
    visible = Opportunity.objects.select_for_update().filter(account__in=visible_accounts(by).values("pk"))
    if reference.startswith("id:") and reference[3:].isdigit():  # the pages' own rows name it so
        matches = list(visible.filter(pk=int(reference[3:])))
    else:
        matches = list(visible.filter(external_id=reference)[:2]) if reference else []
    if len(matches) != 1:
        why = "is not an opportunity you can see" if not matches else "names more than one opportunity"
        raise InvalidInput(f"'{reference}' {why}", field="opportunity")
    opportunity = matches[0]
    reason = reason.strip()
    if value is not None and not reason:
        raise InvalidInput("say why you overrule the derived answer", field="reason")
    opportunity.earlier_access_override = value
    opportunity.earlier_access_override_reason = reason[:500] if value is not None else ""
    opportunity.earlier_access_override_by = by if value is not None else None
    opportunity.earlier_access_override_at = timezone.now() if value is not None else None
    opportunity.save(
        update_fields=[
            "earlier_access_override",
            "earlier_access_override_reason",
            "earlier_access_override_by",
            "earlier_access_override_at",
            "updated_at",
        ]
    )
    return opportunity
