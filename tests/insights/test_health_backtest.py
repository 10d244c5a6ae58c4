"""The back-test on a fixture with a known answer: usage a year ago separated the accounts that contracted."""

import datetime as dt

import pytest
from django.utils import timezone

from execsponsor.core.health import HealthPolicy
from execsponsor.customers.models import QuarterlyRevenue, SatisfactionResponse, UsageFigure
from execsponsor.insights.backtest import health_backtest, outcomes, quarter_of
from execsponsor.insights.policy import health_policy
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def next_quarter(year, quarter):
    return (year, quarter + 1) if quarter < 4 else (year + 1, 1)


@pytest.fixture
def year_ago():
    return timezone.localdate() - dt.timedelta(days=365)


def history(as_of, *, active, csat, later_revenue):
    """An account scored on `as_of` (usage and a CSAT) with revenue 100 that quarter, then `later_revenue`."""
    account = AccountFactory()
    UsageFigure.objects.create(account=account, month=as_of.replace(day=1), licensed_seats=100, active_users=active)
    SatisfactionResponse.objects.create(account=account, kind="csat", score=csat, responded_on=as_of)
    year, quarter = quarter_of(as_of)
    QuarterlyRevenue.objects.create(account=account, year=year, quarter=quarter, revenue=100)
    for _ in range(2):
        year, quarter = next_quarter(year, quarter)
        if later_revenue is not None:
            QuarterlyRevenue.objects.create(account=account, year=year, quarter=quarter, revenue=later_revenue)
    return account


@pytest.fixture
def book(year_ago):
    # Three accounts that kept their revenue had high usage and a poor CSAT; three that contracted or churned
    # had low usage and a glowing CSAT: usage predicts perfectly, CSAT perfectly wrongly.
    good = [history(year_ago, active=80, csat=1, later_revenue=100) for _ in range(3)]
    bad = [
        history(year_ago, active=10, csat=5, later_revenue=50),
        history(year_ago, active=15, csat=5, later_revenue=85),
        history(year_ago, active=5, csat=5, later_revenue=None),  # churned: no revenue after
    ]
    return good, bad


def test_outcomes_are_contraction_below_90_percent_or_churn(book, year_ago):
    good, bad = book
    result = outcomes([a.pk for a in good + bad], as_of=year_ago)
    assert result == {**{a.pk: False for a in good}, **{a.pk: True for a in bad}}


def test_usage_alone_ranks_the_accounts_perfectly(book, year_ago):
    report = health_backtest(policy=HealthPolicy(weights={"adoption": 1}))
    assert report.health.auc == 1.0
    assert report.baseline.auc == 1.0
    assert report.scored == 6


def test_weighting_only_csat_ranks_them_backwards(book):
    report = health_backtest(policy=HealthPolicy(weights={"csat_nps": 1}))
    assert report.health.auc == 0.0


def test_the_settings_page_previews_new_weights_before_saving(client, cast, book):
    client.force_login(cast.owner)
    page = client.get("/program/health/").content.decode()
    assert "Usage alone (baseline), AUC" in page
    weights = {"relationship_breadth": 0, "executive_cadence": 0, "sponsor_strength": 0, "csat_nps": 100,
               "adoption": 0, "support_load": 0, "csm_rating": 0}  # fmt: skip
    preview = client.post("/program/health/", {**weights, "version": 0, "action": "preview"}).content.decode()
    assert "These weights (not saved)" in preview
    assert "<strong>0.00</strong>" in preview and "was" in preview
    assert health_policy()[1] == 0  # nothing saved


def test_saving_weights_and_a_stale_save(client, cast):
    client.force_login(cast.owner)
    weights = {"relationship_breadth": 10, "executive_cadence": 10, "sponsor_strength": 10, "csat_nps": 10,
               "adoption": 50, "support_load": 10, "csm_rating": 0}  # fmt: skip
    response = client.post("/program/health/", {**weights, "version": 0, "action": "save"})
    assert response.status_code == 302
    policy, version = health_policy()
    assert version == 1 and policy.weights["adoption"] == 50
    stale = client.post("/program/health/", {**weights, "version": 0, "action": "save"})
    assert stale.status_code == 409
    assert "Someone else saved the health weights" in stale.content.decode()


def test_all_zero_weights_are_refused(client, cast):
    client.force_login(cast.owner)
    zero = dict.fromkeys(
        [
            "relationship_breadth",
            "executive_cadence",
            "sponsor_strength",
            "csat_nps",
            "adoption",
            "support_load",
            "csm_rating",
        ],
        0,
    )
    response = client.post("/program/health/", {**zero, "version": 0, "action": "save"})
    assert response.status_code == 422
    assert "At least one measure needs a weight above zero" in response.content.decode()


@pytest.mark.parametrize("role", ["viewer", "ae", "sponsor", "csm"])
def test_only_the_program_owner_or_an_admin_may_open_it(client, cast, role):
    client.force_login(cast.user(role))
    assert client.get("/program/health/").status_code == 403


def test_an_empty_install_says_what_the_back_test_needs(client, cast):
    client.force_login(cast.admin)
    assert "No back-test yet" in client.get("/program/health/").content.decode()
