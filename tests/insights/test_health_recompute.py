"""Health computed from an account's data, against figures worked out by hand from the inputs."""

import datetime as dt

import pytest
from django.utils import timezone

from execsponsor.customers.models import SatisfactionResponse, UsageFigure
from execsponsor.engagements.models import Engagement, EngagementAttendee, EngagementContact
from execsponsor.insights.health import account_measures, health_recompute
from execsponsor.insights.models import HealthSnapshot
from execsponsor.program.models import SponsorshipStatus
from execsponsor.users.services import system_user
from tests.factories import AccountFactory, ContactFactory, ExecutiveFactory, SponsorshipFactory

TODAY = dt.date(2026, 11, 15)
pytestmark = pytest.mark.django_db


def months_back(n):
    year, month = TODAY.year, TODAY.month - n
    while month < 1:
        year, month = year - 1, month + 12
    return dt.date(year, month, 1)


def usage(account, month, seats, active, tickets):
    UsageFigure.objects.create(
        account=account, month=month, licensed_seats=seats, active_users=active, support_tickets=tickets
    )


def answer(account, kind, score, days_ago=10):
    SatisfactionResponse.objects.create(
        account=account, kind=kind, score=score, responded_on=TODAY - dt.timedelta(days=days_ago)
    )


@pytest.fixture
def account():
    account = AccountFactory(name="Harbourline Ports", segment="enterprise")
    ContactFactory(account=account, seniority="vp")
    for n in range(1, 7):
        usage(account, months_back(n), 100, 70, 2)
    usage(account, months_back(0), 100, 60, 6)
    answer(account, "csat", 4)
    answer(account, "csat", 4)
    for score in (10, 9, 5):
        answer(account, "nps", score)
    return account


def test_measures_from_usage_tickets_and_surveys(account):
    measures = account_measures([account.pk], today=TODAY)[account.pk]
    assert measures["adoption"] == pytest.approx(75.0)  # 60 of 100 seats, full marks at 80 %
    assert measures["support_load"] == pytest.approx(25.0)  # 6 tickets against a median of 2: 100 × 2 / (2 + 6)
    # CSAT 4 of 5 → 75; NPS (2 promoters − 1 detractor) / 3 → 33.3 → 66.7; their mean
    assert measures["csat_nps"] == pytest.approx((75 + (100 / 3 + 100) / 2) / 2)
    assert measures["relationship_breadth"] == 0  # a contact nobody has met: no threads
    assert measures["executive_cadence"] is None and measures["sponsor_strength"] is None  # not in the program


def test_the_snapshot_is_the_weighted_average_of_the_measures_with_data(account):
    assert health_recompute(today=TODAY, account_ids=[account.pk], by=system_user()) == 1
    snapshot = HealthSnapshot.objects.get(account=account)
    csat_nps = (75 + (100 / 3 + 100) / 2) / 2
    expected = (20 * 75 + 10 * 25 + 15 * csat_nps + 15 * 0) / (20 + 10 + 15 + 15)
    assert snapshot.score == round(expected)
    assert snapshot.band == "red"
    account.refresh_from_db()
    assert (account.health_score, account.health_band) == (round(expected), "red")


def test_running_twice_on_one_day_keeps_one_snapshot(account):
    health_recompute(today=TODAY, account_ids=[account.pk], by=system_user())
    health_recompute(today=TODAY, account_ids=[account.pk], by=system_user())
    assert HealthSnapshot.objects.filter(account=account).count() == 1


def test_the_next_snapshot_says_what_moved_it(account):
    health_recompute(today=TODAY - dt.timedelta(days=30), account_ids=[account.pk], by=system_user())
    health_recompute(today=TODAY, account_ids=[account.pk], by=system_user())
    latest = HealthSnapshot.objects.filter(account=account).order_by("-taken_on").first()
    # a month earlier: adoption 87.5 (70 of 100 seats), support 50 (2 tickets on a median of 2), no surveys yet,
    # breadth 0 → 50. Now 46.9: each measure's part is measured against that 50, and they add up to −3.1.
    assert latest.drivers == [
        "CSAT / NPS now has data (71): +5.2 points",
        "Product adoption fell from 88 to 75: -4.2 points",
        "Support load fell from 50 to 25: -4.2 points",
    ]


def test_an_account_with_no_data_is_not_scored():
    empty = AccountFactory(name="Quiet Co")
    assert health_recompute(today=TODAY, account_ids=[empty.pk], by=system_user()) == 0
    empty.refresh_from_db()
    assert empty.health_score is None


def test_sponsor_strength_and_cadence_from_the_sponsors_engagements(account):
    executive = ExecutiveFactory()
    sponsorship = SponsorshipFactory(
        account=account, executive=executive, status=SponsorshipStatus.ACTIVE, started_on=TODAY - dt.timedelta(days=60)
    )
    champion = ContactFactory(account=account, seniority="c_level")
    when = timezone.make_aware(dt.datetime.combine(TODAY - dt.timedelta(days=20), dt.time(10)))
    meeting = Engagement.objects.create(
        account=account,
        sponsorship=sponsorship,
        subject="Strategy dinner",
        kind="dinner",
        occurred_at=when,
        discussed_strategy=True,
        next_step_agreed=True,
    )
    EngagementContact.objects.create(engagement=meeting, contact=champion)
    EngagementAttendee.objects.create(engagement=meeting, user=executive.user)
    measures = account_measures([account.pk], today=TODAY)[account.pk]
    # 20 days since the dinner that counts, cadence 14: 100 × (1 − 6 / 28)
    assert measures["executive_cadence"] == pytest.approx(100 * (1 - 6 / 28))
    # the champion: recency 30 × 0.5^(20/30), frequency 25 × 1/6, two-way 15, depth 15 × 1.0, C-level 15
    expected = 30 * 0.5 ** (20 / 30) + 25 / 6 + 15 + 15 + 15
    assert measures["sponsor_strength"] == pytest.approx(expected)
