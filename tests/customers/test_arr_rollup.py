"""ARR from won opportunities: the sum of the amounts won in the window, only where ARR is missing unless asked,
previewed before it is written, with history and the author; refused to anyone who does not run the program."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from execsponsor.common.errors import InvalidInput, NotPermitted
from execsponsor.customers.arr_rollup import arr_rollup_apply, arr_rollup_preview
from execsponsor.customers.models import Account
from tests.conftest import client_for
from tests.factories import AccountFactory, OpportunityFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)


def _won(account, amount: str, closed: dt.date) -> None:
    OpportunityFactory(
        account=account, amount=Decimal(amount), close_date=closed, stage="Closed Won", is_closed=True, is_won=True
    )


@pytest.fixture
def accounts():
    fjord = AccountFactory(name="Fjord Freight", arr=None)
    _won(fjord, "310000", dt.date(2026, 3, 27))
    _won(fjord, "90000", dt.date(2026, 11, 30))
    _won(fjord, "500000", dt.date(2025, 12, 1))  # exactly twelve months ago: outside the window
    OpportunityFactory(
        account=fjord, amount=Decimal("999999"), close_date=dt.date(2026, 6, 1), stage="Closed Lost", is_closed=True
    )
    OpportunityFactory(account=fjord, amount=Decimal("777777"), close_date=dt.date(2026, 10, 1))  # still open
    marigold = AccountFactory(name="Marigold Credit Union", arr=Decimal("250000"))
    _won(marigold, "120000", dt.date(2026, 5, 5))
    quiet = AccountFactory(name="Quiet Quarry", arr=None)  # nothing won: stays without ARR
    return fjord, marigold, quiet


def test_the_preview_sums_the_wins_of_the_window_and_writes_nothing(accounts):
    fjord, marigold, quiet = accounts
    preview = arr_rollup_preview(today=TODAY)
    assert (preview.accounts, preview.kept, preview.total) == (1, 1, Decimal("400000"))
    assert [(c.name, c.before, c.after) for c in preview.examples] == [("Fjord Freight", None, Decimal("400000"))]
    assert Account.objects.get(pk=fjord.pk).arr is None


def test_apply_sets_missing_arr_only_and_records_who(accounts, cast):
    fjord, marigold, quiet = accounts
    result = arr_rollup_apply(by=cast.owner, today=TODAY)
    assert result.accounts == 1
    assert Account.objects.get(pk=fjord.pk).arr == Decimal("400000")
    assert Account.objects.get(pk=marigold.pk).arr == Decimal("250000")
    assert Account.objects.get(pk=quiet.pk).arr is None
    latest = Account.objects.get(pk=fjord.pk).history.first()
    assert latest.history_user == cast.owner
    assert "12 months" in latest.history_change_reason


def test_replace_recomputes_an_arr_already_set_and_a_wider_window_counts_more(accounts, cast):
    fjord, marigold, _ = accounts
    arr_rollup_apply(by=cast.owner, today=TODAY, months=24, replace=True)
    assert Account.objects.get(pk=fjord.pk).arr == Decimal("900000")
    assert Account.objects.get(pk=marigold.pk).arr == Decimal("120000")


def test_only_the_program_may_set_arr_and_the_window_is_bounded(accounts, cast):
    for user in (cast.ae, cast.viewer, cast.sponsor.user if hasattr(cast.sponsor, "user") else cast.sponsor):
        with pytest.raises(NotPermitted):
            arr_rollup_apply(by=user, today=TODAY)
    with pytest.raises(InvalidInput):
        arr_rollup_preview(months=0)


def test_the_page_previews_then_applies(accounts, cast):
    fjord, *_ = accounts
    client = client_for(cast.owner)
    page = client.get("/accounts/import/arr/", {"months": "12"})
    assert page.status_code == 200
    assert "Fjord Freight" in page.content.decode()
    assert Account.objects.get(pk=fjord.pk).arr is None
    done = client.post("/accounts/import/arr/", {"months": "12"})
    assert done.status_code == 200
    assert "Set ARR on 1 account" in done.content.decode()
    assert Account.objects.get(pk=fjord.pk).arr is not None


def test_the_page_refuses_bad_windows_and_other_roles(accounts, cast):
    assert client_for(cast.owner).get("/accounts/import/arr/", {"months": "abc"}).status_code == 422
    assert client_for(cast.owner).post("/accounts/import/arr/", {"months": "99"}).status_code == 422
    assert client_for(cast.ae).get("/accounts/import/arr/").status_code == 403
    assert client_for(cast.viewer).post("/accounts/import/arr/", {"months": "12"}).status_code == 403
