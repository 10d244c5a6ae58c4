"""Accounts from Salesforce Account.csv, HubSpot companies.csv or a mapped CSV."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from zoneinfo import available_timezones

from execsponsor.customers.models import Account, Lifecycle, Segment, search_key
from execsponsor.exchange.importing.kinds.base import Importer, Row

_SEGMENTS = {
    "enterprise": Segment.ENTERPRISE,
    "ent": Segment.ENTERPRISE,
    "strategic": Segment.ENTERPRISE,
    "midmarket": Segment.MID_MARKET,
    "mm": Segment.MID_MARKET,
    "commercial": Segment.MID_MARKET,
    "smb": Segment.SMB,
    "smallbusiness": Segment.SMB,
    "small": Segment.SMB,
}


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def segment_from(text: str) -> str | None:
    """'Mid-Market', 'mid market', 'SMB' → our segment; None when unknown."""
    return _SEGMENTS.get(re.sub(r"[^a-z]", "", text.lower()))


def lifecycle_from(text: str) -> str | None:
    """Salesforce account Type ('Customer - Direct') or HubSpot lifecycle stage → customer/prospect/churned."""
    value = text.strip().lower()
    if "former" in value or "churn" in value or "lost" in value:
        return Lifecycle.CHURNED
    if "customer" in value or value in ("evangelist", "client"):
        return Lifecycle.CUSTOMER
    if any(word in value for word in ("prospect", "lead", "subscriber", "opportunity")):
        return Lifecycle.PROSPECT
    return None


def domain_from(text: str) -> str:
    """'https://www.acme.example/about' → 'acme.example'."""
    value = re.sub(r"^[a-z]+://", "", text.strip().lower()).split("/")[0]
    return value.removeprefix("www.")


def industry_from(text: str) -> str:
    """HubSpot's 'FINANCIAL_SERVICES' → 'Financial Services'; other spellings are kept."""
    value = text.strip()
    if value.isupper() or "_" in value:
        return value.replace("_", " ").title()
    return value


class AccountImporter(Importer):
    kind = "accounts"
    model = Account
    date_fields = ("renewal_date", "created_at")
    history = True

    def parse(self, row: Row) -> dict | None:
        key = row.text("external_id", max_length=64, required=True)
        values: dict = {"name": row.text("name", max_length=255, required=True)}
        # Bulk writes skip Account.save(), so the search key is set here.
        values["search_name"] = search_key(values["name"])
        if row.has("domain"):
            values["domain"] = domain_from(row.text("domain", max_length=255))
        if row.has("industry"):
            values["industry"] = industry_from(row.text("industry", max_length=100))
        if row.has("segment"):
            values["segment"] = self._segment(row)
        for field, length in (("region", 64), ("country", 100)):
            if row.has(field):
                values[field] = row.text(field, max_length=length)
        if row.has("lifecycle") and row.cells["lifecycle"].strip():
            lifecycle = lifecycle_from(row.cells["lifecycle"])
            if lifecycle:
                values["lifecycle"] = lifecycle
        if row.has("arr"):
            values["arr"] = row.amount("arr", minimum=Decimal(0))
        if row.has("company_revenue"):
            values["company_revenue"] = row.amount("company_revenue")
        if row.has("employees"):
            values["employees"] = row.whole_number("employees")
        if row.has("renewal_date"):
            values["renewal_date"] = row.date("renewal_date")
        if row.has("strategic_value"):
            values["strategic_value"] = row.whole_number("strategic_value", maximum=100)
        if row.has("growth_potential"):
            values["growth_potential"] = row.amount("growth_potential", minimum=Decimal(0))
        if row.has("in_churn"):
            values["in_churn"] = bool(row.boolean("in_churn"))
        if row.has("time_zone"):
            values["time_zone"] = self._time_zone(row)
        if row.has("required_language"):
            values["required_language"] = self._language(row)
        if row.has("created_at"):
            created = row.datetime("created_at")
            if created:
                values["created_at"] = created
        for field in ("owner", "csm"):
            if row.has(field):
                values[f"{field}_id"] = self._user(row, field)
        if row.bad or not self.first_sighting(row, key):
            return None
        return {"key": key, "values": values}

    def _segment(self, row: Row) -> str:
        text = row.text("segment", max_length=64)
        if not text:
            return ""
        segment = segment_from(text)
        if segment is None:
            row.error("segment", f"{text!r} is not a segment (Enterprise, Mid-market or SMB)")
            return ""
        return segment

    def _time_zone(self, row: Row) -> str:
        text = row.text("time_zone", max_length=64)
        if text and text not in time_zone_names():
            row.error("time_zone", f"{text!r} is not a time zone name such as Europe/Berlin or Asia/Tokyo")
            return ""
        return text

    def _language(self, row: Row) -> str:
        text = row.text("required_language", max_length=8).lower()
        if text and not re.fullmatch(r"[a-z]{2}", text):
            row.error("required_language", f"{text!r} is not a two-letter language code such as ja or de")
            return ""
        return text

    def _user(self, row: Row, field: str) -> int | None:
        text = row.cells[field].strip()
        if not text:
            return None
        user = self.refs.user(text)
        if user is None:
            row.warning(
                field, f"{field} {text} is not one of our users in ExecSponsor (import users first); left blank"
            )
        return user

    def write(self, rows: list[tuple[Row, dict]]) -> None:
        saved = self.upsert([(row, parsed["key"], parsed["values"]) for row, parsed in rows])
        accounts = self.refs.accounts
        for key, account in saved.items():
            accounts[key] = account.pk
