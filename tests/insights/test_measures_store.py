"""The nightly measures kept apart: each account's, executive's and scorecard's figures are rows of the snapshot,
pages read a page of them, and a job that fails half way leaves the snapshot before it whole."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from execsponsor.insights import measures_store
from execsponsor.insights.dashboard import stored_quarters
from execsponsor.insights.measures import program_measures, scorecards, snapshot_record
from execsponsor.insights.models import MeasureSnapshotRow, ProgramKpiSnapshot
from execsponsor.insights.quarterly import Quarter, quarterly_review
from execsponsor.program.models import SponsorshipStatus
from execsponsor.users.models import Role
from tests.conftest import client_for
from tests.factories import AccountFactory, ExecutiveFactory, SponsorshipFactory, UserFactory

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def owner(db, settings):
    settings.ESP_CADENCE_AS_OF = AS_OF
    return UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER)


def sponsor(count: int, *, first: int = 0) -> list[str]:
    """`count` accounts named "Account 000"…, each sponsored by its own executive since 1 Sep; their names."""
    names = []
    for i in range(first, first + count):
        account = AccountFactory(name=f"Account {i:03d}")
        executive = ExecutiveFactory(user__first_name="Exec", user__last_name=f"{i:03d}")
        SponsorshipFactory(
            account=account,
            executive=executive,
            status=SponsorshipStatus.ACTIVE,
            started_on=dt.date(2026, 9, 1),
            approved_at=timezone.make_aware(dt.datetime(2026, 8, 25, 10)),
        )
        names.append(account.name)
    return names


def test_the_job_keeps_each_account_and_executive_as_a_row_and_the_document_holds_the_program_only(owner):
    names = sponsor(3)
    snapshot = snapshot_record(by=owner, as_of=AS_OF)
    rows = MeasureSnapshotRow.objects.filter(snapshot=snapshot)
    assert sorted(rows.filter(kind="account").values_list("name", flat=True)) == names
    assert rows.filter(kind="executive").count() == 3 and rows.filter(kind="scorecard").count() == 3
    stored = ProgramKpiSnapshot.objects.get(taken_on=AS_OF).figures["measures"]
    assert "accounts" not in stored["program"] and "executives" not in stored["program"]
    assert "scorecards" not in stored and stored["scorecard_count"] == 3
    assert stored["program"]["quarters"][-1]["live_sponsorships"] == 3
    # Each account had one live sponsorship this quarter (2026 Q4), as a sortable column too.
    assert set(rows.filter(kind="account").values_list("live_sponsorships", flat=True)) == {1}


def test_the_measures_read_back_from_the_rows_are_those_computed(owner):
    sponsor(4)
    computed = program_measures(by=owner, as_of=AS_OF)
    cards = scorecards(by=owner, as_of=AS_OF)
    snapshot_record(by=owner, as_of=AS_OF)
    stored = program_measures(by=owner)
    assert stored.from_snapshot and len(stored.accounts) == 4
    assert [r.as_dict() for r in stored.accounts] == [r.as_dict() for r in computed.accounts]
    assert [r.as_dict() for r in stored.executives] == [r.as_dict() for r in computed.executives]
    assert stored.accounts[-1].name == "Account 003" and stored.accounts[1:3][0].name == "Account 001"
    assert [c.as_dict() for c in scorecards(by=owner)] == [c.as_dict() for c in cards]


def test_the_measures_page_lists_one_page_of_accounts_from_the_rows(owner):
    names = sponsor(27)
    snapshot_record(by=owner, as_of=AS_OF)
    client = client_for(owner)
    first = client.get("/program/measures/").context["accounts"]
    assert [r.name for r in first.object_list] == names[:25]
    second = client.get("/program/measures/?apage=2").context["accounts"]
    assert [r.name for r in second.object_list] == names[25:]
    html = client.get("/program/measures/?apage=2").content.decode()
    assert "Page 2 of 2 (27)" in html and "Account 026" in html and "Account 000" not in html


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def test_the_measures_page_and_the_dashboard_cost_the_same_whatever_the_number_of_accounts(owner):
    client = client_for(owner)

    def pages() -> tuple[int, int]:
        cache.clear()
        client.get("/program/dashboard/")  # the first one after a new snapshot keeps its quarters
        return queries(lambda: client.get("/program/measures/")), queries(lambda: client.get("/program/dashboard/"))

    sponsor(3)
    snapshot_record(by=owner, as_of=AS_OF)
    few = pages()
    sponsor(30, first=3)
    snapshot_record(by=owner, as_of=AS_OF)
    assert pages() == few


def test_the_quarterly_review_reads_the_scorecards_headlines_in_a_fixed_number_of_queries(owner):
    def review_queries() -> int:
        cache.clear()
        quarterly_review(by=owner, quarter=Quarter(2026, 4))  # keeps the stored quarters, as the dashboard does
        return queries(lambda: quarterly_review(by=owner, quarter=Quarter(2026, 4)))

    sponsor(2)
    snapshot_record(by=owner, as_of=AS_OF)
    few = review_queries()
    sponsor(12, first=2)
    snapshot_record(by=owner, as_of=AS_OF)
    assert review_queries() == few
    review = quarterly_review(by=owner, quarter=Quarter(2026, 4))
    assert len(review.scorecards) == 14 and {c["accounts"] for c in review.scorecards} == {1}


def test_a_job_that_fails_half_way_leaves_yesterdays_snapshot_whole(owner, settings):
    yesterday = AS_OF - dt.timedelta(days=1)
    settings.ESP_CADENCE_AS_OF = yesterday
    sponsor(5)
    snapshot_record(by=owner, as_of=yesterday)
    sponsor(5, first=5)
    settings.ESP_CADENCE_AS_OF = AS_OF
    real = MeasureSnapshotRow.objects.bulk_create
    calls = []

    def second_batch_fails(rows, **kwargs):
        calls.append(len(rows))
        if len(calls) == 2:
            raise OSError("disk full")
        return real(rows, **kwargs)

    with (
        mock.patch.object(measures_store, "BATCH", 4),
        mock.patch.object(MeasureSnapshotRow.objects, "bulk_create", side_effect=second_batch_fails),
        pytest.raises(OSError),
    ):
        snapshot_record(by=owner, as_of=AS_OF)
    assert calls == [4, 4]  # it failed with the first batch written
    assert not ProgramKpiSnapshot.objects.filter(taken_on=AS_OF).exists()
    kept = ProgramKpiSnapshot.objects.get(taken_on=yesterday)
    assert kept.measure_rows.filter(kind="account").count() == 5
    quarters, taken_on = stored_quarters()
    assert taken_on == yesterday and quarters[-1]["live_sponsorships"] == 5


def test_a_second_run_on_the_same_day_that_fails_keeps_the_first(owner):
    sponsor(3)
    snapshot_record(by=owner, as_of=AS_OF)
    sponsor(3, first=3)
    with (
        mock.patch.object(MeasureSnapshotRow.objects, "bulk_create", side_effect=OSError("disk full")),
        pytest.raises(OSError),
    ):
        snapshot_record(by=owner, as_of=AS_OF)
    stored = program_measures(by=owner)
    assert stored.from_snapshot and len(stored.accounts) == 3 and stored.current.live_sponsorships == 3


def test_the_rows_of_snapshots_older_than_a_week_are_deleted_their_program_figures_kept(owner, settings):
    sponsor(2)
    old = AS_OF - dt.timedelta(days=8)
    snapshot_record(by=owner, as_of=old)
    snapshot_record(by=owner, as_of=AS_OF)
    assert not MeasureSnapshotRow.objects.filter(snapshot__taken_on=old).exists()
    assert ProgramKpiSnapshot.objects.get(taken_on=old).figures["measures"]["program"]["quarters"]
    assert MeasureSnapshotRow.objects.filter(snapshot__taken_on=AS_OF, kind="account").count() == 2


def test_the_api_pages_through_the_accounts(owner):
    names = sponsor(3)
    snapshot_record(by=owner, as_of=AS_OF)
    client = client_for(owner)
    first = client.get("/api/v1/program/measures/accounts?limit=2").json()
    assert [row["name"] for row in first["items"]] == names[:2]
    assert (first["count"], first["limit"], first["offset"], first["next_offset"]) == (3, 2, 0, 2)
    assert first["items"][0]["series"][-1]["label"] == "2026 Q4"
    last = client.get("/api/v1/program/measures/accounts?limit=2&offset=2").json()
    assert [row["name"] for row in last["items"]] == names[2:] and last["next_offset"] is None
    assert client.get("/api/v1/program/measures/accounts?as_of=2026-11-20&limit=1").json()["count"] == 3
    assert "accounts" not in client.get("/api/v1/program/measures").json()
    assert client.get("/api/v1/program/measures?with_accounts=true").status_code == 422


def test_the_accounts_api_is_for_those_who_see_the_program(owner):
    sponsor(1)
    assert (
        client_for(UserFactory(role=Role.ACCOUNT_EXECUTIVE)).get("/api/v1/program/measures/accounts").status_code == 403
    )
