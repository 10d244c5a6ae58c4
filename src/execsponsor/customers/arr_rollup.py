"""ARR from closed-won opportunities, for CRMs whose account export carries no ARR (Salesforce, HubSpot).

An account's ARR is taken as the sum of the amounts of its opportunities won in the last N months (12 by
default): a subscription sold once a year shows up once per year. It is an estimate the program owner chooses
on the import page, previewed before anything is written, and it leaves alone an ARR already set unless asked
to replace it. Each change goes into the account's history with the author, like an edit on the account page.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from execsponsor.access.rules import require
from execsponsor.common.errors import InvalidInput
from execsponsor.customers.models import Account, Opportunity
from execsponsor.users.models import User

DEFAULT_MONTHS = 12
EXAMPLES = 10
BATCH = 2_000


@dataclass(frozen=True)
class ArrChange:
    account_id: int
    name: str
    before: Decimal | None
    after: Decimal


@dataclass
class ArrRollup:
    """What setting ARR from won opportunities would do (or did)."""

    months: int
    since: dt.date
    replace: bool
    accounts: int = 0
    total: Decimal = Decimal(0)
    kept: int = 0
    examples: list[ArrChange] = field(default_factory=list)


def _window_start(today: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the month's last day where it is shorter): the window is after it."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    return dt.date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def _check(months: int) -> None:
    if not 1 <= months <= 36:
        raise InvalidInput("Choose a window of 1 to 36 months", field="months")


def _won_sums(*, since: dt.date, today: dt.date) -> dict[int, Decimal]:
    rows = (
        Opportunity.objects.filter(is_won=True, close_date__gt=since, close_date__lte=today, amount__gt=0)
        .values("account_id")
        .annotate(total=Sum("amount"))
    )
    return {row["account_id"]: row["total"] for row in rows}


def arr_rollup_preview(
    *, months: int = DEFAULT_MONTHS, replace: bool = False, today: dt.date | None = None
) -> ArrRollup:
    """What `arr_rollup_apply` would change, without writing anything."""
    _check(months)
    today = today or timezone.localdate()
    since = _window_start(today, months)
    sums = _won_sums(since=since, today=today)
    result = ArrRollup(months=months, since=since, replace=replace)
    current = Account.objects.filter(pk__in=sums).values_list("pk", "name", "arr")
    for pk, name, arr in current.order_by("-arr", "name"):
        after = sums[pk]
        if arr is not None and not replace:
            result.kept += 1
            continue
        if arr == after:
            continue
        result.accounts += 1
        result.total += after
        if len(result.examples) < EXAMPLES:
            result.examples.append(ArrChange(account_id=pk, name=name, before=arr, after=after))
    return result


def arr_rollup_apply(
    *, by: User, months: int = DEFAULT_MONTHS, replace: bool = False, today: dt.date | None = None
) -> ArrRollup:
    """Set ARR to the won amount of the last `months` on accounts without ARR (or on all, with `replace`)."""
    require(by, "execsponsor.run_program", to="set ARR from opportunities")
    _check(months)
    today = today or timezone.localdate()
    since = _window_start(today, months)
    result = ArrRollup(months=months, since=since, replace=replace)
    with transaction.atomic():
        sums = _won_sums(since=since, today=today)
        wanted = Account.objects.filter(pk__in=sums)
        if not replace:
            result.kept = wanted.filter(arr__isnull=False).count()
            wanted = wanted.filter(arr__isnull=True)
        changed: list[Account] = []
        for account in wanted.select_for_update().only("pk", "name", "arr"):
            after = sums[account.pk]
            if account.arr == after:
                continue
            if len(result.examples) < EXAMPLES:
                result.examples.append(
                    ArrChange(account_id=account.pk, name=account.name, before=account.arr, after=after)
                )
            account.arr = after
            account.updated_at = timezone.now()
            changed.append(account)
            result.total += after
        result.accounts = len(changed)
        if changed:
            bulk_update_with_history(
                changed,
                Account,
                ["arr", "updated_at"],
                batch_size=BATCH,
                default_user=by,
                default_change_reason=(f"ARR from opportunities won in the {months} months to {today:%Y-%m-%d}"),
            )
    return result


def accounts_missing_arr_with_wins(*, months: int = DEFAULT_MONTHS, today: dt.date | None = None) -> int:
    """How many accounts have no ARR but won opportunities in the window: when above 0, offer the roll-up."""
    today = today or timezone.localdate()
    since = _window_start(today, months)
    won = Q(opportunities__is_won=True, opportunities__close_date__gt=since, opportunities__close_date__lte=today)
    return Account.objects.filter(won, arr__isnull=True).values("pk").distinct().count()
