"""The enablement policy of matching: whether an executive who has not completed what is required of them may
still be given new accounts. It is a program setting (kept in `ProgramSetting`), so it lives in `program`;
the catalogue and the completions it reads are the executives' own, in users/enablement.py.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from execsponsor.access.rules import require
from execsponsor.common.errors import ConcurrentEdit, InvalidInput
from execsponsor.program.models import ProgramSetting
from execsponsor.users.enablement import EXCLUDE, POLICY_KEY, POLICY_MODES, WARN, enablement_summaries
from execsponsor.users.models import Executive, User


def enablement_policy() -> tuple[str, int]:
    """The matching mode (warn or exclude) and the setting's version (0 before it is first saved)."""
    setting = ProgramSetting.objects.filter(key=POLICY_KEY).first()
    if setting is None:
        return WARN, 0
    mode = setting.value.get("matching", WARN)
    return (mode if mode in POLICY_MODES else WARN), setting.version


def executives_excluded_from_matching(executives: Iterable[Executive]) -> set[int]:
    """The executives a matching run may give no new account: none when the policy only warns."""
    mode, _ = enablement_policy()
    if mode != EXCLUDE:
        return set()
    return {pk for pk, summary in enablement_summaries(executives).items() if not summary.complete}


@transaction.atomic
def enablement_policy_save(*, by: User, mode: str, expected_version: int | None) -> int:
    require(by, "execsponsor.run_program", to="change the enablement policy")
    if mode not in POLICY_MODES:
        raise InvalidInput(f"matching: {mode!r} is not one of {', '.join(POLICY_MODES)}", field="matching")
    setting, _ = ProgramSetting.objects.select_for_update().get_or_create(key=POLICY_KEY, defaults={"version": 0})
    if expected_version is not None and setting.version != expected_version:
        raise ConcurrentEdit(
            f"Concurrent edits detected: someone saved the enablement policy (version {setting.version}) after you "
            f"opened it (version {expected_version}). Reload the page to see their change."
        )
    setting.value = {"matching": mode}
    setting.version += 1
    setting.updated_by = by
    setting.save()
    return setting.version
