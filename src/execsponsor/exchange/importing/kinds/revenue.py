"""Quarterly revenue: account, quarter ('2026 Q1', '2026-Q1', a quarter-start date, or year + quarter), revenue."""

from __future__ import annotations

from decimal import Decimal

from execsponsor.customers.models import QuarterlyRevenue
from execsponsor.exchange.importing import values as parse
from execsponsor.exchange.importing.kinds.base import Importer, Row
from execsponsor.exchange.importing.kinds.contacts import first_external_id


class RevenueImporter(Importer):
    """Upserts by (account, year, quarter): one figure per account and quarter."""

    kind = "revenue"
    model = QuarterlyRevenue
    date_fields = ("period",)

    def parse(self, row: Row) -> dict | None:
        year_quarter = self._quarter(row)
        revenue = row.amount("revenue", minimum=Decimal(0))
        if revenue is None and not row.bad:
            row.error("revenue", "a revenue figure is required")
        values: dict = {"revenue": revenue}
        if row.has("arr_end"):
            values["arr_end"] = row.amount("arr_end", minimum=Decimal(0))
        account_key = first_external_id(row.cells.get("account", ""))
        account_id = self.refs.accounts.get(account_key)
        if not account_key:
            row.error("account", "a revenue figure needs an account")
        elif account_id is None:
            row.error("account", f"account {account_key} is not in ExecSponsor; import accounts first")
        if row.bad or year_quarter is None:
            return None
        key = f"{account_id}:{year_quarter[0]}:{year_quarter[1]}"
        if not self.first_sighting(row, key, field="period" if row.has("period") else "quarter"):
            return None
        return {"account_id": account_id, "year": year_quarter[0], "quarter": year_quarter[1], "values": values}

    def _quarter(self, row: Row) -> tuple[int, int] | None:
        if row.has("period") and row.cells["period"].strip():
            try:
                return parse.parse_quarter(row.cells["period"], order=self.date_orders.get("period"))
            except parse.ValueProblem as problem:
                row.error("period", str(problem))
                return None
        year = row.whole_number("year", minimum=1990, maximum=2200)
        quarter_text = row.cells.get("quarter", "").strip().upper().removeprefix("Q")
        if not quarter_text.isdigit() or not 1 <= int(quarter_text) <= 4:
            row.error("quarter", f"{row.cells.get('quarter', '').strip()!r} is not a quarter (1–4 or Q1–Q4)")
            return None
        if year is None:
            if not row.bad:
                row.error("year", "a year is required")
            return None
        return year, int(quarter_text)

    def write(self, rows: list[tuple[Row, dict]]) -> None:
        account_ids = {parsed["account_id"] for _row, parsed in rows}
        existing = {
            (item.account_id, item.year, item.quarter): item
            for item in QuarterlyRevenue.objects.filter(account_id__in=account_ids)
        }
        new, changed, fields = [], [], set()
        for _row, parsed in rows:
            key = (parsed["account_id"], parsed["year"], parsed["quarter"])
            item = existing.get(key)
            if item is None:
                item = QuarterlyRevenue(
                    account_id=key[0], year=key[1], quarter=key[2], source=self.source, **parsed["values"]
                )
                existing[key] = item
                new.append(item)
                continue
            differences = [name for name, value in parsed["values"].items() if getattr(item, name) != value]
            if differences:
                for name in differences:
                    setattr(item, name, parsed["values"][name])
                changed.append(item)
                fields.update(differences)
            else:
                self.report.unchanged += 1
        self._save(new, changed, fields)
