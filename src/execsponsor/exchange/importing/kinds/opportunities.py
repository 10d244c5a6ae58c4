"""Opportunities from Salesforce Opportunity.csv, HubSpot deals or a mapped CSV."""

from __future__ import annotations

from execsponsor.customers.models import Opportunity
from execsponsor.exchange.importing.kinds.base import Importer, Row
from execsponsor.exchange.importing.kinds.contacts import first_external_id


def closed_and_won(stage: str) -> tuple[bool, bool]:
    """Salesforce 'Closed Won' / 'Closed Lost', HubSpot 'closedwon' / 'closedlost'."""
    text = stage.lower().replace(" ", "").replace("-", "").replace("_", "")
    if text.startswith("closedwon") or text == "won":
        return True, True
    if text.startswith("closed") or text == "lost":
        return True, False
    return False, False


class OpportunityImporter(Importer):
    kind = "opportunities"
    model = Opportunity
    date_fields = ("close_date", "opened_on")
    fill_only_blank = ("opened_stage",)  # the stage it was first imported in; later imports move `stage` only

    def parse(self, row: Row) -> dict | None:
        key = row.text("external_id", max_length=64, required=True)
        values: dict = {"name": row.text("name", max_length=255, required=True)}
        if row.has("stage"):
            values["stage"] = values["opened_stage"] = row.text("stage", max_length=64)
            values["is_closed"], values["is_won"] = closed_and_won(values["stage"])
        for flag in ("is_closed", "is_won"):
            if row.has(flag) and row.cells[flag].strip():
                values[flag] = bool(row.boolean(flag))
        if values.get("is_won"):
            values["is_closed"] = True
        if row.has("amount"):
            values["amount"] = row.amount("amount")
        if row.has("currency") and row.cells["currency"].strip():
            values["currency"] = row.text("currency", max_length=3).upper()
        for field in ("close_date", "opened_on"):
            if row.has(field):
                values[field] = row.date(field)
        for field, length in (("kind", 64), ("capability_area", 100)):
            if row.has(field):
                values[field] = row.text(field, max_length=length)
        if row.has("owner"):
            owner = row.cells["owner"].strip()
            values["owner_id"] = self.refs.user(owner) if owner else None
            if owner and values["owner_id"] is None:
                row.warning("owner", f"owner {owner} is not one of our users in ExecSponsor; left blank")
        account_key = first_external_id(row.cells.get("account", ""))
        if not account_key:
            row.error("account", "an opportunity needs an account")
        elif account_key not in self.refs.accounts:
            row.error("account", f"account {account_key} is not in ExecSponsor; import accounts first")
        else:
            values["account_id"] = self.refs.accounts[account_key]
        if row.bad or not self.first_sighting(row, key):
            return None
        return {"key": key, "values": values}

    def write(self, rows: list[tuple[Row, dict]]) -> None:
        self.upsert([(row, parsed["key"], parsed["values"]) for row, parsed in rows])
