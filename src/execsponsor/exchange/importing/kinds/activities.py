"""Past activities: Salesforce Event.csv / Task.csv (or HubSpot engagements) become engagements.

Unknown account → error (the row cannot be placed). Unknown contact on a known account → warning, the
engagement is imported without that participant. Unknown owner → warning, imported without an owner.
New engagements are inserted as plain rows (bulk.RowInserter), without a history row each (at a million
rows that would double the work); the import itself is recorded as an ImportBatch. Updates to existing
engagements keep history.
"""

from __future__ import annotations

from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from execsponsor.engagements.models import Engagement, EngagementAttendee, EngagementContact, EngagementKind
from execsponsor.exchange.importing.bulk import RowInserter, allocate_ids, by_external_id, existing_external_ids
from execsponsor.exchange.importing.kinds.base import DATETIME_MEMO_SIZE, Importer, Row
from execsponsor.exchange.importing.kinds.contacts import first_external_id

_ONE_WAY = frozenset({EngagementKind.EMAIL, EngagementKind.TASK})

# A parsed row is (external id, contact id, values): the values in this order, a tuple rather than a dict, so
# that staging (pickling) a batch and building its insert rows costs as little as possible.
FIELDS = ("account_id", "kind", "subject", "occurred_at", "ends_at", "owner_id", "notes", "two_way")


def engagement_kind(*, subject: str, activity_type: str, subtype: str, is_task: bool) -> str:
    """Dinner and QBR from the subject; then TaskSubtype (tasks) or Type (events): email, call, meeting."""
    text = subject.lower()
    if "dinner" in text or "lunch" in text:
        return EngagementKind.DINNER
    if "qbr" in text or "ebr" in text or "business review" in text:
        return EngagementKind.QBR
    label = (subtype if is_task and subtype else activity_type).lower()
    if "email" in label or "e-mail" in label:
        return EngagementKind.EMAIL
    if "call" in label or "phone" in label:
        return EngagementKind.CALL
    if "meeting" in label:
        return EngagementKind.MEETING
    if any(word in text for word in ("conference", "summit", "event", "webinar")):
        return EngagementKind.EVENT
    return EngagementKind.TASK if is_task else EngagementKind.MEETING


class ActivityImporter(Importer):
    kind = "activities"
    model = Engagement
    date_fields = ("occurred_at", "ends_at")
    # Fewer, longer runs per table keep SQLite's page cache on one table's indexes at a time.
    batch_size = 20_000

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        occurred_column = self.positions["occurred_at"][1].lower()
        self.is_task = "subtype" in self.positions or occurred_column == "activitydate"
        self.accounts = self.refs.accounts
        self.contacts = self.refs.contacts
        self.engagements = RowInserter(Engagement, ("id", *FIELDS, "external_id", "source", "created_at", "updated_at"))
        self.contact_links = RowInserter(EngagementContact, ("engagement_id", "contact_id"))
        self.attendee_links = RowInserter(EngagementAttendee, ("engagement_id", "user_id"))
        self.moments: dict[str, dict[str, tuple]] = {}

    def parse(self, row: Row) -> tuple | None:
        cells = row.cells
        key = cells["external_id"].strip()
        if not key or len(key) > 64:
            row.text("external_id", max_length=64, required=True)
        subject = cells["subject"].strip()
        if not subject or len(subject) > 255:
            row.text("subject", max_length=255, required=True)
            subject = subject[:255]
        occurred_at, occurred_stored = self._moment(row, "occurred_at")
        if occurred_at is None and not row.bad:
            row.error("occurred_at", "a date is required")
        ends_at, ends_stored = self._moment(row, "ends_at") if "ends_at" in cells else (None, None)
        if ends_at is not None and occurred_at is not None and ends_at < occurred_at:
            row.error("ends_at", "the activity ends before it starts")
        account_id, contact_id = self._account_and_contact(row)
        kind = engagement_kind(
            subject=subject,
            activity_type=cells.get("type", ""),
            subtype=cells.get("subtype", ""),
            is_task=self.is_task,
        )
        owner_id = self._owner(row)
        if row.bad or not self.first_sighting(row, key):
            return None
        notes = cells.get("notes", "").strip()
        two_way = kind not in _ONE_WAY
        return key, contact_id, (account_id, kind, subject, occurred_stored, ends_stored, owner_id, notes, two_way)

    def _moment(self, row: Row, field: str) -> tuple:
        """The cell's time, and the same as the database stores it; each distinct text converted once."""
        text = row.cells[field]
        memo = self.moments.setdefault(field, {})
        found = memo.get(text)
        if found is None:
            value = row.datetime(field)
            found = (value, self.engagements.datetime(value))
            if not row.bad and len(memo) < DATETIME_MEMO_SIZE:
                memo[text] = found
        return found

    def _account_and_contact(self, row: Row) -> tuple[int | None, int | None]:
        cells = row.cells
        account_key = first_external_id(cells.get("account", ""))
        what_key = cells.get("what", "").strip()
        contact_key = first_external_id(cells.get("contact", ""))
        account_id = self.accounts.get(account_key) if account_key else self.accounts.get(what_key)
        contact = self.contacts.get(contact_key) if contact_key else None
        if account_id is None and not account_key and contact is not None:
            account_id = contact[1]
        if account_id is None:
            named = account_key or what_key
            if named:
                row.error(
                    "account" if account_key else "what",
                    f"account {named} is not in ExecSponsor; import accounts first",
                )
            else:
                row.error("account", "an activity needs an account (AccountId, WhatId or a known contact)")
            return None, None
        if contact_key and contact is None:
            row.warning("contact", f"contact {contact_key} is not in ExecSponsor; imported without this participant")
        return account_id, contact[0] if contact else None

    def _owner(self, row: Row) -> int | None:
        owner = row.cells.get("owner", "").strip()
        if not owner:
            return None
        owner_id = self.refs.user(owner)
        if owner_id is None:
            row.warning("owner", f"owner {owner} is not one of our users in ExecSponsor; imported without an owner")
        return owner_id

    def write(self, rows: list[tuple[Row, tuple]]) -> None:
        found = existing_external_ids(Engagement, source=self.source, keys=[parsed[0] for _row, parsed in rows])
        if found:
            existing = {e.external_id: e for e in by_external_id(Engagement, source=self.source, keys=list(found))}
            self._update(rows, existing)
            rows = [(row, parsed) for row, parsed in rows if parsed[0] not in existing]
        if rows:
            self._create(rows)

    def _create(self, rows: list[tuple[Row, tuple]]) -> None:
        now = self.engagements.datetime(timezone.now())
        tail = (self.source, now, now)
        ids = allocate_ids(Engagement, len(rows))
        engagements, contact_links, owner_links = [], [], []
        for engagement_id, (_row, (key, contact_id, values)) in zip(ids, rows, strict=True):
            engagements.append((engagement_id, *values, key, *tail))
            if contact_id is not None:
                contact_links.append((engagement_id, contact_id))
            if values[5] is not None:  # owner_id
                owner_links.append((engagement_id, values[5]))
        self.engagements.insert(engagements)
        self.contact_links.insert(contact_links)
        self.attendee_links.insert(owner_links)
        self.report.created += len(rows)

    def _update(self, rows: list[tuple[Row, tuple]], existing: dict[str, Engagement]) -> None:
        engagement_ids = [e.pk for e in existing.values()]
        contact_links = set(
            EngagementContact.objects.filter(engagement_id__in=engagement_ids).values_list(
                "engagement_id", "contact_id"
            )
        )
        attendee_links = set(
            EngagementAttendee.objects.filter(engagement_id__in=engagement_ids).values_list("engagement_id", "user_id")
        )
        now = timezone.now()
        changed, changed_fields, new_contacts, new_attendees = [], set(), [], []
        for _row, (key, contact_id, row_values) in rows:
            engagement = existing.get(key)
            if engagement is None:
                continue
            values = dict(zip(FIELDS, row_values, strict=True))
            for name in ("occurred_at", "ends_at"):
                values[name] = self.engagements.from_stored_datetime(values[name])
            owner_id = values["owner_id"]
            missing_contact = contact_id is not None and (engagement.pk, contact_id) not in contact_links
            missing_owner = owner_id is not None and (engagement.pk, owner_id) not in attendee_links
            if missing_contact:
                new_contacts.append((engagement.pk, contact_id))
            if missing_owner:
                new_attendees.append((engagement.pk, owner_id))
            differences = [name for name, value in values.items() if getattr(engagement, name) != value]
            if differences:
                for name in differences:
                    setattr(engagement, name, values[name])
                engagement.updated_at = now
                changed.append(engagement)
                changed_fields.update(differences)
            elif missing_contact or missing_owner:
                self.report.updated += 1
            else:
                self.report.unchanged += 1
        if changed:
            bulk_update_with_history(
                changed,
                Engagement,
                sorted(changed_fields | {"updated_at"}),
                batch_size=1000,
                default_user=self.by,
                default_change_reason=f"import from {self.source}",
            )
            self.report.updated += len(changed)
        self.contact_links.insert(new_contacts)
        self.attendee_links.insert(new_attendees)
