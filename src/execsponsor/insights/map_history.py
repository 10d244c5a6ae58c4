"""The history of each contact's place in the relationship map: who changed their support, buying role,
influence, reports-to, status or successor, and each of our people's relationship level with them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from execsponsor.customers.models import Contact, RelationshipLevel

MAP_FIELDS = (
    "support",
    "buying_role",
    "influence",
    "reports_to",
    "replaced_by",
    "status",
    "seniority",
    "persona",
    "decision_orientation",
    "title",
)
ENTRIES_PER_CONTACT = 6
ROWS_READ = 2000  # newest history rows of the account read at most, for the page to stay fast


@dataclass(frozen=True)
class ChangeEntry:
    when: dt.datetime
    who: str
    changes: tuple[str, ...]  # "Support: Neutral → Mentor"


def map_history(contacts: list[Contact]) -> dict[int, list[ChangeEntry]]:
    """Per contact, their latest map changes, newest first (creation is not a change)."""
    names = {c.pk: c.full_name for c in contacts}
    found: dict[int, list[ChangeEntry]] = defaultdict(list)
    for contact_id, entry in [*_contact_changes(list(names), names), *_level_changes(list(names))]:
        found[contact_id].append(entry)
    return {
        pk: sorted(entries, key=lambda e: e.when, reverse=True)[:ENTRIES_PER_CONTACT] for pk, entries in found.items()
    }


def _by_record(rows, key):
    grouped = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    for records in grouped.values():
        records.sort(key=lambda r: (r.history_date, r.history_id))
    return grouped


def _contact_changes(ids: list[int], names: dict[int, str]):
    rows = list(Contact.history.filter(id__in=ids).select_related("history_user").order_by("-history_date")[:ROWS_READ])
    for contact_id, records in _by_record(rows, lambda r: r.id).items():
        for older, newer in zip(records, records[1:], strict=False):
            delta = newer.diff_against(older, included_fields=list(MAP_FIELDS))
            changes = tuple(
                f"{_label(c.field)}: {_shown(c.field, c.old, names)} → {_shown(c.field, c.new, names)}"
                for c in sorted(delta.changes, key=lambda c: MAP_FIELDS.index(c.field))
            )
            if changes:
                yield contact_id, ChangeEntry(newer.history_date, _who(newer), changes)


def _level_changes(ids: list[int]):
    rows = list(
        RelationshipLevel.history.filter(contact_id__in=ids)
        .select_related("history_user", "user")
        .order_by("-history_date")[:ROWS_READ]
    )
    labels = dict(RelationshipLevel._meta.get_field("current").flatchoices)
    for _, records in _by_record(rows, lambda r: r.id).items():
        previous = None
        for record in records:
            ours = str(record.user) if record.user else "someone"
            aim = labels.get(record.desired, record.desired)
            now = f"{labels.get(record.current, record.current)} (aiming for {aim})"
            if record.history_type == "-":
                text = f"Level of {ours}: removed"
            elif previous is None:
                text = f"Level of {ours}: {now}"
            elif (previous.current, previous.desired) == (record.current, record.desired):
                previous = record
                continue
            else:
                before = labels.get(previous.current, previous.current)
                text = f"Level of {ours}: {before} → {now}"
            previous = record
            yield record.contact_id, ChangeEntry(record.history_date, _who(record), (text,))


def _who(record) -> str:
    return str(record.history_user) if record.history_user else "System or import"


def _label(name: str) -> str:
    return str(Contact._meta.get_field(name).verbose_name).capitalize().replace("_", " ")


def _shown(name: str, value, names: dict[int, str]) -> str:
    if value in (None, ""):
        return "—"
    field = Contact._meta.get_field(name)
    if field.is_relation:
        return names.get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)
