"""Cadence per live sponsorship from the database, and the program's going-cold list."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from execsponsor.core.cadence import CadenceState
from execsponsor.engagements.cadence import cadence_by_sponsorship, cadence_for_sponsorships, going_cold
from execsponsor.program.models import ProgramSetting, Sponsorship, SponsorshipStatus
from tests.factories import AccountFactory, EngagementFactory, ExecutiveFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


def at(days_ago: int) -> dt.datetime:
    day = TODAY - dt.timedelta(days=days_ago)
    return dt.datetime(day.year, day.month, day.day, 15, tzinfo=dt.UTC)


def sponsorship(name: str, *, arr=500_000, status=SponsorshipStatus.ACTIVE, approved_days_ago=100, **kwargs):
    return SponsorshipFactory(
        account=AccountFactory(name=name, arr=arr),
        status=status,
        approved_at=at(approved_days_ago),
        ended_on=TODAY if status == SponsorshipStatus.ENDED else None,
        **kwargs,
    )


def met(s: Sponsorship, days_ago: int, *, counts: bool = True):
    return EngagementFactory(
        account=s.account,
        sponsorship=s,
        occurred_at=at(days_ago),
        discussed_strategy=counts,
        next_step_agreed=counts,
    )


def test_only_the_latest_counting_engagement_resets_the_clock():
    s = sponsorship("Blue Harbor Bank")
    met(s, 20)
    met(s, 13)
    met(s, 3, counts=False)  # a quick e-mail that does not count
    [row] = cadence_for_sponsorships(Sponsorship.objects.all(), TODAY)
    assert row.cadence.state == CadenceState.AT_RISK
    assert row.cadence.days_since == 13
    assert row.cadence.last_counting_on == TODAY - dt.timedelta(days=13)
    assert row.cadence.next_due_on == TODAY + dt.timedelta(days=1)


def test_the_clock_starts_at_approval_before_any_counting_engagement():
    fresh = sponsorship("Fresh Co", approved_days_ago=5)
    late = sponsorship("Late Co", approved_days_ago=16)
    rows = {row.account.name: row.cadence for row in cadence_for_sponsorships(Sponsorship.objects.all(), TODAY)}
    assert rows["Fresh Co"].state == CadenceState.OK
    assert rows["Late Co"].state == CadenceState.OVERDUE
    assert rows["Late Co"].days_overdue == 2
    assert fresh.pk and late.pk


def test_the_sponsorships_own_interval_is_used():
    monthly = sponsorship("Monthly Co", cadence_days=30)
    met(monthly, 20)
    [row] = cadence_for_sponsorships(Sponsorship.objects.all(), TODAY)
    assert row.cadence.state == CadenceState.OK  # day 20 of 30; at risk only from day 25


def test_the_at_risk_fraction_is_a_program_setting():
    s = sponsorship("Blue Harbor Bank")
    met(s, 7)
    ProgramSetting.objects.create(key="cadence", value={"at_risk_fraction": 0.5})
    [row] = cadence_for_sponsorships(Sponsorship.objects.all(), TODAY)
    assert row.cadence.state == CadenceState.AT_RISK  # at risk from day 7 of 14


def test_one_query_for_any_number_of_sponsorships():
    for n in range(6):
        s = sponsorship(f"Account {n}")
        met(s, n * 4)
        met(s, n * 4 + 1)
    with CaptureQueriesContext(connection) as queries:
        rows = cadence_for_sponsorships(Sponsorship.objects.all(), TODAY)
        [row.account.name for row in rows]
    # One for the sponsorships with their latest counting engagement; the ProgramSetting read is the other.
    assert len(queries) == 2


def test_going_cold_sorts_by_days_overdue_then_arr_and_leaves_out_paused_ended_and_on_track(cast):
    small_late = sponsorship("Small Late", arr=100_000)
    met(small_late, 20)  # 6 days overdue
    big_late = sponsorship("Big Late", arr=900_000)
    met(big_late, 20)  # 6 days overdue, bigger
    latest = sponsorship("Latest", arr=50_000)
    met(latest, 30)  # 16 days overdue
    at_risk = sponsorship("At Risk", arr=2_000_000)
    met(at_risk, 12)
    fine = sponsorship("Fine")
    met(fine, 2)
    paused = sponsorship("Paused Co", status=SponsorshipStatus.PAUSED)
    met(paused, 60)
    sponsorship("Ended Co", status=SponsorshipStatus.ENDED)
    rows = going_cold(user=cast.owner, today=TODAY)
    assert [row.account.name for row in rows] == ["Latest", "Big Late", "Small Late", "At Risk"]
    assert [row.cadence.days_overdue for row in rows] == [16, 6, 6, 0]


def test_going_cold_shows_each_user_only_their_own_accounts(cast):
    mine = SponsorshipFactory(
        account=AccountFactory(name="Mine", owner=cast.ae), approved_at=at(40), executive=ExecutiveFactory()
    )
    sponsorship("Someone else's", approved_days_ago=40)
    names = [row.account.name for row in going_cold(user=cast.ae, today=TODAY)]
    assert names == ["Mine"]
    viewer_names = {row.account.name for row in going_cold(user=cast.viewer, today=TODAY)}
    assert {"Mine", "Someone else's"} <= viewer_names
    assert mine.pk


def test_days_count_as_calendar_dates_in_the_installation_time_zone():
    s = sponsorship("Late night Co")
    late_evening = timezone.make_aware(dt.datetime(2026, 11, 15, 23, 30), dt.UTC)
    EngagementFactory(account=s.account, sponsorship=s, occurred_at=late_evening)
    [row] = cadence_for_sponsorships(Sponsorship.objects.all(), TODAY)
    assert row.cadence.days_since == 15


def test_cadence_by_sponsorship_for_one_account_and_only_when_visible(cast):
    s = sponsorship("Blue Lagoon", approved_days_ago=13)
    rows = cadence_by_sponsorship(user=cast.owner, account_id=s.account_id, today=TODAY)
    assert list(rows) == [s.pk]
    assert rows[s.pk].cadence.state == CadenceState.AT_RISK
    assert cadence_by_sponsorship(user=cast.ae, account_id=s.account_id, today=TODAY) == {}
