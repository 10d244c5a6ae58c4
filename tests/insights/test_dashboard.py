"""The program dashboard: who may open it, what each part shows for a company built by hand, its empty states,
and a cost that does not grow with the number of accounts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from execsponsor.insights.impact import impact_analysis_store
from execsponsor.signals.models import Alert, AlertStatus, AlertType, Priority
from execsponsor.users.services import system_user
from tests.factories import AccountFactory, EngagementFactory, ExecutiveFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["owner", "viewer", "admin"])
def test_the_owner_the_viewer_and_the_admin_open_it(cast, client, name):
    client.force_login(cast.user(name))
    assert client.get("/program/dashboard/").status_code == 200


@pytest.mark.parametrize("name", ["sponsor", "ae", "csm"])
def test_people_who_see_only_their_own_accounts_may_not(cast, client, name):
    client.force_login(cast.user(name))
    assert client.get("/program/dashboard/").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(cast, client):
    response = client.get("/program/dashboard/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_empty_program_says_what_comes_next(cast, client):
    client.force_login(cast.owner)
    text = client.get("/program/dashboard/").content.decode()
    assert "No measures stored yet" in text
    assert "Not computed yet" in text
    assert "No open alerts." in text


def _company():
    """Three live sponsorships: one met 3 days ago (fine), one silent for 20 days (6 days overdue, the cadence
    being 14), one silent for 12 days (at risk); two open alerts and one resolved."""
    today = timezone.localdate()
    executive = ExecutiveFactory(user__first_name="Ines", user__last_name="Duarte", capacity_min=1, capacity_max=2)
    fine = SponsorshipFactory(
        executive=executive, account__name="Fine Fabrics", started_on=today - dt.timedelta(days=60)
    )
    EngagementFactory(
        account=fine.account, sponsorship=fine, occurred_at=timezone.now() - dt.timedelta(days=3), counts=True
    )
    overdue = SponsorshipFactory(
        executive=executive,
        account__name="Quiet Quarry",
        account__arr=500_000,
        started_on=today - dt.timedelta(days=20),
    )
    at_risk = SponsorshipFactory(
        executive=executive, account__name="Risky Rivers", started_on=today - dt.timedelta(days=12)
    )
    for account, status in ((overdue.account, AlertStatus.OPEN), (at_risk.account, AlertStatus.OPEN)):
        Alert.objects.create(
            type=AlertType.choices[0][0],
            reason=f"Champion may leave {account.name}",
            account=account,
            priority=Priority.HIGH,
            status=status,
        )
    Alert.objects.create(
        type=AlertType.choices[0][0], reason="Old news", account=fine.account, status=AlertStatus.RESOLVED
    )
    return executive


def test_it_shows_what_is_going_cold_the_alerts_and_the_load(cast, client):
    _company()
    client.force_login(cast.owner)
    page = client.get("/program/dashboard/")
    board = page.context["board"]
    names = [row.account.name for row in board.going_cold]
    assert names == ["Quiet Quarry", "Risky Rivers"]  # overdue first
    assert (board.going_cold_count, board.overdue_count, board.at_risk_count) == (2, 1, 1)
    assert board.alerts_count == 2
    assert {alert.account.name for alert in board.alerts} == {"Quiet Quarry", "Risky Rivers"}
    # Ines carries three live sponsorships against a most of two; the cast's sponsor carries one.
    chart = page.context["loads_chart"]
    assert chart["names"][0] == "Ines Duarte" and chart["load"][0] == 3 and chart["capacity_max"][0] == 2
    assert board.over_capacity == 1
    text = page.content.decode()
    assert "Quiet Quarry" in text and "Champion may leave Risky Rivers" in text and "Old news" not in text
    # The cast's own sponsorship (Blue Harbor Bank) has no dates, so its clock has not started.
    assert board.live_count == 4 and board.accounts_in_program == 4


def test_the_impact_headline_is_the_latest_stored_analysis(cast, client):
    impact_analysis_store(
        {"estimate": 4.25, "ci_low": -0.5, "ci_high": 9.0, "naive_estimate": 11.0, "treated": 20, "controls": 80},
        by=system_user(),
    )
    client.force_login(cast.viewer)
    text = client.get("/program/dashboard/").content.decode()
    assert "4.2 pts" in text or "4.3 pts" in text
    assert "-0.5 to 9.0" in text and "includes no effect" in text and "naive 11.0" in text


def test_a_failed_analysis_is_said_so(cast, client):
    impact_analysis_store({"error": "there is no quarterly revenue yet"}, by=system_user())
    client.force_login(cast.owner)
    assert "could not run: there is no quarterly revenue yet" in client.get("/program/dashboard/").content.decode()


def test_its_queries_do_not_grow_with_the_accounts(cast, client):
    client.force_login(cast.owner)
    _company()

    def count() -> int:
        cache.clear()  # the going-cold sweep too, not only its kept result
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/program/dashboard/").status_code == 200
        return len(queries)

    before = count()
    for _ in range(30):
        SponsorshipFactory(account=AccountFactory(), started_on=timezone.localdate() - dt.timedelta(days=30))
    assert count() == before


def test_the_hourly_sweep_keeps_the_list_and_a_meeting_logged_since_drops_it_from_the_first_rows(cast, client):
    """The page reads the kept sweep (counted once an hour), but the rows it shows are checked fresh: a
    sponsorship met since the sweep is not listed as going cold."""
    from execsponsor.jobs.tasks import hourly_cadence_sweep

    _company()
    hourly_cadence_sweep.call_local()
    client.force_login(cast.owner)
    board = client.get("/program/dashboard/").context["board"]
    assert [row.account.name for row in board.going_cold] == ["Quiet Quarry", "Risky Rivers"]
    assert board.going_cold_swept_at is not None
    quiet = board.going_cold[0].sponsorship
    EngagementFactory(account=quiet.account, sponsorship=quiet, occurred_at=timezone.now(), counts=True)
    board = client.get("/program/dashboard/").context["board"]
    assert [row.account.name for row in board.going_cold] == ["Risky Rivers"]
    assert board.going_cold_count == 2  # the count is the sweep's until the next one


def test_the_measures_are_those_the_nightly_job_stored_never_computed_on_the_page(cast, client):
    from execsponsor.insights.models import ProgramKpiSnapshot

    quarter = {
        "label": "2026 Q3", "engagements_per_sponsorship": 2.5, "cadence_adherence": 0.875, "executive_access": 4,
        "nps": 30.0, "nrr": 1.083, "grr": 0.97, "earlier_access": 2, "unexpected_business": 1, "live_sponsorships": 8,
    }  # fmt: skip
    ProgramKpiSnapshot.objects.create(
        taken_on=dt.date(2026, 10, 1), figures={"measures": {"program": {"quarters": [quarter]}, "scorecards": []}}
    )
    client.force_login(cast.owner)
    page = client.get("/program/dashboard/")
    [shown] = page.context["board"].measures
    assert (shown["label"], shown["cadence_adherence"], shown["nrr"], shown["grr"]) == ("2026 Q3", 87.5, 108.3, 97.0)
    assert page.context["measures_chart"]["nrr"] == [108.3]
    text = page.content.decode()
    assert "As computed by the nightly job on 1 Oct 2026" in text and "108.3%" in text
