"""Our executives from a Salesforce User export with extra columns (Level__c, Industries__c …) or a mapped CSV.

Each row names one of our users (by CRM id or email; import the users first) and gives their executive profile.
Rows without a level are other staff (AEs, CSMs) in the same User.csv and are left out.
"""

from __future__ import annotations

import re

from execsponsor.common.errors import InvalidInput
from execsponsor.exchange.importing.kinds.base import Importer, Row
from execsponsor.users.enablement import enablement_sync_keys
from execsponsor.users.models import Executive, ExecutiveFunction, ExecutiveLevel, Role, User
from execsponsor.users.selectors import BASE_LANGUAGES
from execsponsor.users.services import CAPACITY_LIMIT, executive_profile_check

_LIST_SEPARATORS = re.compile(r"\s*[;,|]\s*")
_LEVEL_WORDS = {
    "csuite": ExecutiveLevel.C_SUITE,
    "clevel": ExecutiveLevel.C_SUITE,
    "c": ExecutiveLevel.C_SUITE,
    "evp": ExecutiveLevel.EVP,
    "executivevp": ExecutiveLevel.EVP,
    "executivevicepresident": ExecutiveLevel.EVP,
    "svp": ExecutiveLevel.SVP,
    "seniorvp": ExecutiveLevel.SVP,
    "seniorvicepresident": ExecutiveLevel.SVP,
    "vp": ExecutiveLevel.VP,
    "vicepresident": ExecutiveLevel.VP,
    "director": ExecutiveLevel.DIRECTOR,
}
_LANGUAGE_CODES = {name.casefold(): code for code, name in BASE_LANGUAGES.items()}
PROFILE_FIELDS = (
    "industries",
    "regions",
    "languages",
    "time_zone",
    "capacity_min",
    "capacity_max",
    "customer_facing",
    "working_style",
    "enablement",
)


def _squashed(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def level_from(text: str) -> str | None:
    """'C-suite', 'EVP', 'Senior Vice President', 'vp' → our level; None when it is not one."""
    squashed = _squashed(text)
    if squashed in ExecutiveLevel.values:
        return squashed
    return _LEVEL_WORDS.get(squashed) or next(
        (level for level, label in ExecutiveLevel.choices if _squashed(label) == squashed), None
    )


def function_from(text: str) -> str | None:
    """'CFO', 'cfo', 'Chief Financial Officer' (or a title containing it) → our function."""
    squashed = _squashed(text)
    if squashed in ExecutiveFunction.values:
        return squashed
    for function, label in ExecutiveFunction.choices:
        if _squashed(label) in squashed and squashed:
            return function
    words = set(re.findall(r"[a-z]+", text.lower()))
    return next((function for function in ExecutiveFunction.values if function in words), None)


def _items(text: str) -> list[str]:
    return [item for item in _LIST_SEPARATORS.split(text.strip()) if item]


class ExecutiveImporter(Importer):
    """Creates or updates the executive profile of users already in ExecSponsor; reports-to in a second pass."""

    kind = "executives"
    model = Executive

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.not_executives = 0
        self.pending_managers: list[tuple[int, int, str]] = []  # (line, user id, manager's key)

    def parse(self, row: Row) -> dict | None:
        level_text = row.text("level", max_length=64)
        if not level_text:
            self.not_executives += 1
            return None
        key = row.text("external_id", max_length=64) or row.text("email", max_length=254)
        user_id = self.refs.user(key) if key else None
        if not key:
            row.error("external_id", "give the user's CRM id or email")
        elif user_id is None:
            row.error("external_id", f"user {key} is not in ExecSponsor; import our users first (kind users)")
        values: dict = {"level": level_from(level_text)}
        if values["level"] is None:
            row.error("level", f"{level_text!r} is not a level ({', '.join(ExecutiveLevel.values)})")
        function_text = row.text("function", max_length=100) or row.text("title", max_length=200)
        values["function"] = function_from(function_text)
        if values["function"] is None:
            row.error("function", f"{function_text!r} names no function we know, e.g. cfo, cto, sales")
        self._parse_profile(row, values)
        if row.bad or not self.first_sighting(row, key, field="external_id"):
            return None
        if row.has("reports_to") and (manager := row.text("reports_to", max_length=254)):
            self.pending_managers.append((row.line, user_id, manager))
        return {"user_id": user_id, "values": values}

    def _parse_profile(self, row: Row, values: dict) -> None:
        for field in ("industries", "regions", "enablement"):
            if row.has(field):
                values[field] = _items(row.cells[field])
        if row.has("languages"):
            values["languages"] = [
                _LANGUAGE_CODES.get(item.casefold(), item.lower()) for item in _items(row.cells["languages"])
            ]
        if row.has("time_zone") and (zone := row.text("time_zone", max_length=64)):
            values["time_zone"] = zone
        for field in ("capacity_min", "capacity_max"):
            if row.has(field) and row.cells[field].strip():
                values[field] = row.whole_number(field, maximum=CAPACITY_LIMIT)
        if row.has("customer_facing") and row.cells["customer_facing"].strip():
            values["customer_facing"] = row.boolean("customer_facing")
        if row.has("working_style"):
            values["working_style"] = row.text("working_style", max_length=5000)

    def write(self, rows: list[tuple[Row, dict]]) -> None:
        existing = {e.user_id: e for e in Executive.objects.filter(user_id__in=[p["user_id"] for _r, p in rows])}
        for row, parsed in rows:
            executive = existing.get(parsed["user_id"])
            created = executive is None
            executive = executive or Executive(user_id=parsed["user_id"])
            changed = [name for name, value in parsed["values"].items() if getattr(executive, name) != value]
            if not created and not changed:
                self.report.unchanged += 1
                continue
            for name in changed:
                setattr(executive, name, parsed["values"][name])
            if self._saved(row, executive):
                self._count(created)

    def _saved(self, row: Row, executive: Executive) -> bool:
        try:
            executive_profile_check(executive)
        except InvalidInput as exc:
            field, _, message = exc.message.partition(": ")
            row.error(field if field in PROFILE_FIELDS else None, message or exc.message)
            return False
        executive._history_user = self.by
        executive._change_reason = f"import from {self.source}"
        executive.save()
        enablement_sync_keys(executive=executive, by=self.by)
        User.objects.filter(pk=executive.user_id, role=Role.VIEWER).update(role=Role.EXECUTIVE)
        return True

    def _count(self, created: bool) -> None:
        if created:
            self.report.created += 1
        else:
            self.report.updated += 1

    def finish(self) -> None:
        if self.not_executives:
            self.report.file_warnings.append(
                f"{self.not_executives} row(s) without a level were left out: they are not executives"
            )
        executives = dict(Executive.objects.values_list("user_id", "pk"))
        for line, user_id, manager in self.pending_managers:
            manager_id = executives.get(self.refs.user(manager))
            if manager_id is None:
                self.report.warning(
                    line, self.column("reports_to"), f"{manager} is not an executive; reports-to left blank"
                )
                continue
            executive = Executive.objects.get(user_id=user_id)
            if executive.reports_to_id == manager_id:
                continue
            executive.reports_to_id = manager_id
            try:
                executive_profile_check(executive)
            except InvalidInput as exc:
                self.report.error(line, self.column("reports_to"), exc.message.partition(": ")[2])
                continue
            executive._history_user = self.by
            executive.save(update_fields=["reports_to", "updated_at"])
