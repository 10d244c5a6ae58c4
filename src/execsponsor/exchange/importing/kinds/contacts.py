"""Contacts from Salesforce Contact.csv, HubSpot contacts.csv or a mapped CSV; reports-to in a second pass."""

from __future__ import annotations

import re

from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from execsponsor.customers.models import Contact, Persona, Seniority
from execsponsor.exchange.importing.bulk import by_external_id
from execsponsor.exchange.importing.kinds.base import Importer, Row

_C_LEVEL = re.compile(r"\bchief\b|\bc[a-z]{1,3}o\b|\bcxo\b")
_VP = re.compile(r"\bvice[- ]president\b|\b[se]?vp\b")
_TOP = re.compile(r"\bpresident\b|\bfounder\b|\bmanaging director\b|\bgeneral manager\b")
_DIRECTOR = re.compile(r"\bdirector\b|\bhead of\b|\bhead\b")
_MANAGER = re.compile(r"\bmanager\b|\blead\b|\bsupervisor\b")
_CEO_COO = re.compile(r"\bchief (executive|operating) officer\b|\bceo\b|\bcoo\b|\bpresident\b|\bfounder\b")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def seniority_from(title: str) -> str:
    """'Chief Information Officer' → C-level, 'VP Sales' → VP, 'Head of Data' → Director, … else individual."""
    text = title.lower()
    if _C_LEVEL.search(text):
        return Seniority.C_LEVEL
    if _VP.search(text):
        return Seniority.VP
    if _TOP.search(text):
        return Seniority.C_LEVEL
    if _DIRECTOR.search(text):
        return Seniority.DIRECTOR
    if _MANAGER.search(text):
        return Seniority.MANAGER
    return Seniority.INDIVIDUAL


def persona_from(title: str, seniority: str) -> str:
    if seniority == Seniority.C_LEVEL and _CEO_COO.search(title.lower()):
        return Persona.CEO_COO
    if seniority in (Seniority.C_LEVEL, Seniority.VP):
        return Persona.FUNCTIONAL_VP
    if seniority in (Seniority.DIRECTOR, Seniority.MANAGER):
        return Persona.TEAM_MANAGER
    return Persona.POWER_USER


def first_external_id(text: str) -> str:
    """HubSpot lists several associated ids separated by ';' — the first is the primary one."""
    if ";" not in text and "," not in text:  # nearly always: one id
        return text.strip()
    return re.split(r"[;,]", text.strip(), maxsplit=1)[0].strip()


class ContactImporter(Importer):
    kind = "contacts"
    model = Contact
    history = True
    fill_only_blank = ("persona",)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.pending_managers: list[tuple[int, str, str]] = []
        self.file_accounts: dict[str, int] = {}  # contact key -> account id, for every good row of the file
        self.file_managers: list[tuple[int, str, str]] = []  # (line, contact key, manager key)

    def parse(self, row: Row) -> dict | None:
        key = row.text("external_id", max_length=64, required=True)
        account_key = first_external_id(row.cells.get("account", ""))
        values = self._names(row)
        for field, length in (("title", 200), ("department", 100), ("phone", 50)):
            if row.has(field):
                values[field] = row.text(field, max_length=length)
        if row.has("notes"):
            values["notes"] = row.cells["notes"].strip()
        if row.has("email"):
            values["email"] = self._email(row)
        self._seniority_and_persona(row, values)
        if not account_key:
            row.error("account", "a contact needs an account")
        elif account_key not in self.refs.accounts:
            row.error("account", f"account {account_key} is not in ExecSponsor; import accounts first")
        else:
            values["account_id"] = self.refs.accounts[account_key]
        if row.bad or not self.first_sighting(row, key):
            return None
        manager = row.cells.get("reports_to", "").strip() if row.has("reports_to") else None
        self.file_accounts[key] = values["account_id"]
        if manager:
            self.file_managers.append((row.line, key, manager))
        return {"key": key, "values": values, "manager": manager}

    def check_parsed(self) -> set[int]:
        """A reports-to at another account (or oneself) is refused before anything is written."""
        elsewhere = {m for _, _, m in self.file_managers if m not in self.file_accounts}
        known = dict(
            Contact.objects.filter(source=self.source, external_id__in=elsewhere).values_list(
                "external_id", "account_id"
            )
        )
        rejected = set()
        for line, key, manager in self.file_managers:
            account = self.file_accounts.get(manager, known.get(manager))
            if manager == key:
                self.report.error(line, self.column("reports_to"), f"{key} cannot report to themselves")
            elif account is not None and account != self.file_accounts[key]:
                self.report.error(
                    line,
                    self.column("reports_to"),
                    f"manager {manager} is a contact of another account; a contact reports to a colleague at their "
                    "account",
                )
            else:
                continue
            rejected.add(line)
        return rejected

    def _names(self, row: Row) -> dict:
        if row.has("last_name"):
            return {
                "first_name": row.text("first_name", max_length=100),
                "last_name": row.text("last_name", max_length=100, required=True),
            }
        full = row.text("name", max_length=201, required=True)
        first, _, last = full.rpartition(" ")
        return {"first_name": first[:100], "last_name": (last or first)[:100]}

    def _email(self, row: Row) -> str:
        email = row.text("email", max_length=254)
        if email and not _EMAIL.match(email):
            row.error("email", f"{email!r} is not an email address")
        return email

    def _seniority_and_persona(self, row: Row, values: dict) -> None:
        title = values.get("title", "")
        seniority = row.text("seniority", max_length=16).lower() if row.has("seniority") else ""
        if seniority and seniority not in Seniority.values:
            row.error("seniority", f"{seniority!r} is not one of {', '.join(Seniority.values)}")
        if not seniority and row.has("title"):
            seniority = seniority_from(title)
        if seniority:
            values["seniority"] = seniority
        persona = row.text("persona", max_length=16).lower() if row.has("persona") else ""
        if persona and persona not in Persona.values:
            row.error("persona", f"{persona!r} is not one of {', '.join(Persona.values)}")
        if not persona and seniority:
            persona = persona_from(title, seniority)
        if persona:
            values["persona"] = persona

    def write(self, rows: list[tuple[Row, dict]]) -> None:
        contacts = self.refs.contacts
        batch = []
        for row, parsed in rows:
            manager = parsed["manager"]
            if manager is not None:
                if not manager:
                    parsed["values"]["reports_to_id"] = None
                elif manager in contacts:
                    if not self._colleagues(row.line, parsed["key"], manager, parsed["values"]["account_id"]):
                        row.bad = True
                        continue
                    parsed["values"]["reports_to_id"] = contacts[manager][0]
                else:
                    self.pending_managers.append((row.line, parsed["key"], manager))
            batch.append((row, parsed["key"], parsed["values"]))
        saved = self.upsert(batch)
        for key, contact in saved.items():
            contacts[key] = (contact.pk, contact.account_id)

    def _colleagues(self, line: int, key: str, manager: str, account_id: int) -> bool:
        """A contact reports to someone at their own account (as the API requires), never to themselves;
        otherwise the account page would show another account's person to whoever may see only this one."""
        if manager == key:
            self.report.error(line, self.column("reports_to"), f"{key} cannot report to themselves")
            return False
        if self.refs.contacts[manager][1] != account_id:
            self.report.error(
                line,
                self.column("reports_to"),
                f"manager {manager} is a contact of another account; a contact reports to a colleague at their account",
            )
            return False
        return True

    def finish(self) -> None:
        """Managers who appear later in the file than their reports."""
        if not self.pending_managers:
            return
        contacts = self.refs.contacts
        wanted: dict[str, int] = {}
        for line, key, manager in self.pending_managers:
            if manager not in contacts:
                self.report.warning(
                    line, self.column("reports_to"), f"manager {manager} is not in ExecSponsor; reports-to left as is"
                )
            elif self._colleagues(line, key, manager, contacts[key][1]):
                wanted[key] = contacts[manager][0]
        changed = []
        for contact in by_external_id(Contact, source=self.source, keys=list(wanted)):
            if contact.reports_to_id != wanted[contact.external_id]:
                contact.reports_to_id = wanted[contact.external_id]
                contact.updated_at = timezone.now()
                changed.append(contact)
                if contact.external_id in self.unchanged_keys:
                    self.unchanged_keys.discard(contact.external_id)
                    self.report.unchanged -= 1
                    self.report.updated += 1
        if changed:
            bulk_update_with_history(
                changed,
                Contact,
                ["reports_to", "updated_at"],
                batch_size=1000,
                default_user=self.by,
                default_change_reason=f"import from {self.source}",
            )
