"""CSV export of every object, limited to what the user may see, with spreadsheet formula injection neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from execsponsor.access.rules import can
from execsponsor.access.visibility import visible_accounts
from execsponsor.common.errors import NotPermitted
from execsponsor.customers.models import Account, Contact, Opportunity, QuarterlyRevenue
from execsponsor.engagements.models import Engagement
from execsponsor.program.models import Sponsorship
from execsponsor.users.models import Executive, User

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet that splits on ';' (most of Europe), tabs or pipes reads `;=1+1` as an empty cell and the
# formula `=1+1`, and some skip leading blanks; so a formula character after leading separators or blanks,
# or right after a separator inside the value, is neutralised as well. Commas need no care inside a value:
# the CSV writer quotes any value that holds one.
_FORMULA_AFTER_LEADING = re.compile(r"[\s;,|]*[=+\-@]")
_FORMULA_AFTER_SEPARATOR = re.compile(r"([;\t|]\s*)(?=[=+\-@])")


def safe_cell(value) -> str | int | float | Decimal:
    """Numbers and dates we write stay as they are; text a spreadsheet would run as a formula gets a leading '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = _FORMULA_AFTER_SEPARATOR.sub(r"\1'", str(value))
    return "'" + text if text.startswith(_FORMULA_STARTS) or _FORMULA_AFTER_LEADING.match(text) else text


@dataclass(frozen=True)
class Export:
    columns: tuple[str, ...]
    rows: Callable[[QuerySet | None], QuerySet]
    needs_perm: str | None = None


def _accounts(accounts: QuerySet | None) -> QuerySet:
    return accounts if accounts is not None else Account.objects.all()


def _children(model, accounts: QuerySet | None) -> QuerySet:
    queryset = model.objects.all()
    return queryset if accounts is None else queryset.filter(account__in=accounts.values("pk"))


EXPORTS: dict[str, Export] = {
    "accounts": Export(
        (
            "id",
            "source",
            "external_id",
            "name",
            "domain",
            "industry",
            "segment",
            "region",
            "country",
            "lifecycle",
            "in_churn",
            "arr",
            "company_revenue",
            "employees",
            "renewal_date",
            "growth_potential",
            "strategic_value",
            "owner__username",
            "csm__username",
            "health_score",
            "health_band",
            "created_at",
        ),
        lambda accounts: _accounts(accounts).order_by("pk"),
    ),
    "contacts": Export(
        (
            "id",
            "source",
            "external_id",
            "account_id",
            "account__name",
            "first_name",
            "last_name",
            "title",
            "department",
            "email",
            "phone",
            "seniority",
            "persona",
            "buying_role",
            "support",
            "influence",
            "decision_orientation",
            "reports_to_id",
            "status",
            "status_changed_on",
        ),
        lambda accounts: _children(Contact, accounts).order_by("pk"),
    ),
    "opportunities": Export(
        (
            "id",
            "source",
            "external_id",
            "account_id",
            "account__name",
            "name",
            "stage",
            "is_closed",
            "is_won",
            "amount",
            "currency",
            "close_date",
            "opened_on",
            "kind",
            "capability_area",
            "began_in_executive_conversation",
            "owner__username",
        ),
        lambda accounts: _children(Opportunity, accounts).order_by("pk"),
    ),
    "revenue": Export(
        ("account_id", "account__external_id", "account__name", "year", "quarter", "revenue", "arr_end", "source"),
        lambda accounts: _children(QuarterlyRevenue, accounts).order_by("account_id", "year", "quarter"),
    ),
    "engagements": Export(
        (
            "id",
            "source",
            "external_id",
            "account_id",
            "account__name",
            "sponsorship_id",
            "kind",
            "subject",
            "occurred_at",
            "ends_at",
            "owner__username",
            "two_way",
            "discussed_strategy",
            "learned_something_new",
            "next_step_agreed",
            "new_scope_raised",
            "counts",
            "outcome",
        ),
        lambda accounts: _children(Engagement, accounts).order_by("pk"),
    ),
    "sponsorships": Export(
        (
            "id",
            "account_id",
            "account__name",
            "executive_id",
            "executive__user__username",
            "status",
            "cadence_days",
            "introduced_on",
            "started_on",
            "ended_on",
            "end_reason",
        ),
        lambda accounts: _children(Sponsorship, accounts).order_by("pk"),
    ),
    "executives": Export(
        (
            "id",
            "user__username",
            "user__first_name",
            "user__last_name",
            "user__title",
            "function",
            "level",
            "time_zone",
            "capacity_min",
            "capacity_max",
            "customer_facing",
            "is_active",
            "departed_on",
        ),
        lambda _accounts: Executive.objects.order_by("pk"),
    ),
    "users": Export(
        ("id", "username", "first_name", "last_name", "email", "title", "role", "is_active", "source", "external_id"),
        lambda _accounts: User.objects.order_by("pk"),
        needs_perm="execsponsor.manage_users",
    ),
}


def may_export(*, user, kind: str) -> bool:
    export = EXPORTS.get(kind)
    if export is None:
        return False
    if user is None:
        return False
    return export.needs_perm is None or can(user, export.needs_perm)


def export_rows(*, kind: str, user) -> Iterable[list]:
    """The header, then one row per object of `kind` that `user` may see (the system user: everything)."""
    export = EXPORTS[kind]
    if not may_export(user=user, kind=kind):
        raise NotPermitted(f"You may not export {kind}")
    accounts = visible_accounts(user)
    yield list(export.columns)
    for values in export.rows(accounts).values_list(*export.columns).iterator(chunk_size=2000):
        yield [safe_cell(value) for value in values]


def write_export(stream, *, kind: str, user) -> int:
    """Write the CSV to a text stream; returns the number of objects written."""
    writer = csv.writer(stream)
    count = -1
    for row in export_rows(kind=kind, user=user):
        writer.writerow(row)
        count += 1
    return count
