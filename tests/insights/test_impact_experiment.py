"""The experiment beside the observational estimate, over the database: the cohort the selection recorded,
NRR measured from the draw, and where it shows (the page, `esp report impact --json`, the API)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from execsponsor.cli import app
from execsponsor.customers.models import QuarterlyRevenue
from execsponsor.insights.impact import impact_analysis_record
from execsponsor.insights.impact_experiment import experiment_document
from execsponsor.program.models import RandomisedCohort, SelectionRun
from execsponsor.users.services import system_user
from tests.factories import AccountFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db
DRAWN_ON = dt.date(2026, 2, 10)  # 2026 Q1: baseline 2025 Q1–Q4, outcome from 2026 Q2
QUARTERS_BEFORE = [(2025, 1), (2025, 2), (2025, 3), (2025, 4)]


def account_with_revenue(name, after, *, draw_quarter=999.0):
    """100 a quarter in 2025, `draw_quarter` in 2026 Q1 (ignored by the outcome), then `after` quarter by quarter."""
    account = AccountFactory(name=name)
    rows = [(y, q, 100.0) for y, q in QUARTERS_BEFORE] + [(2026, 1, draw_quarter)]
    rows += [(2026, 2 + i, value) for i, value in enumerate(after)]
    QuarterlyRevenue.objects.bulk_create(
        QuarterlyRevenue(account=account, year=y, quarter=q, revenue=v) for y, q, v in rows
    )
    return account


@pytest.fixture
def cohort(db):
    """Drawn in: NRR 110 and 106 after the draw; drawn out: 100 and 98 (2026 Q2 and Q3 averaged)."""
    drawn_in = [account_with_revenue("In A", [108, 112]), account_with_revenue("In B", [106, 106])]
    drawn_out = [account_with_revenue("Out C", [100, 100]), account_with_revenue("Out D", [97, 99])]
    SponsorshipFactory(account=drawn_in[0], started_on=dt.date(2026, 3, 1))
    band = [
        {"account_id": a.pk, "name": a.name, "score": 61.0, "drawn_in": a in drawn_in} for a in drawn_in + drawn_out
    ]
    return RandomisedCohort.objects.create(
        selection_run=SelectionRun.objects.create(result={}),
        drawn_on=DRAWN_ON,
        seed=42,
        tolerance=2.0,
        cut_off_score=61.0,
        slots=2,
        band=band,
        drawn_in=[a.pk for a in drawn_in],
        drawn_out=[a.pk for a in drawn_out],
    )


def test_no_cohort_means_no_experiment():
    assert experiment_document(today=dt.date(2026, 11, 23)) is None


def test_the_estimate_matches_the_hand_computation(cohort):
    # 2026 Q4 not complete on 23 Nov: outcomes over Q2–Q3; (110 + 106)/2 − (100 + 98)/2 = 9; p = 2 of 6 re-draws
    document = experiment_document(today=dt.date(2026, 11, 23))
    assert document["estimate"] == 9
    assert document["p_value"] == pytest.approx(1 / 3, abs=1e-4)
    assert (document["drawn_in"], document["drawn_out"]) == (2, 2)
    assert document["ci_low"] is None and document["ci_high"] is None  # 4 accounts cannot reach 5%
    (row,) = document["cohorts"]
    assert row["ready"] and row["quarter"] == "2026 Q1"
    assert (row["drawn_in_sponsored"], row["drawn_out_sponsored"]) == (1, 0)


def test_before_a_full_quarter_after_the_draw_it_waits_and_says_until_when(cohort):
    document = experiment_document(today=dt.date(2026, 5, 20))  # 2026 Q2 not complete yet
    assert document["estimate"] is None
    assert "ready after 30 June 2026" in document["reason"]
    assert document["cohorts"][0]["ready"] is False


def test_the_json_report_has_an_experiment_key_null_without_a_cohort(cast):
    result = CliRunner().invoke(app, ["report", "impact", "--json", "--as-of", "2026-11-23"])
    assert json.loads(result.stdout)["experiment"] is None


def test_the_json_report_carries_the_experiment(cohort, cast):
    result = CliRunner().invoke(app, ["report", "impact", "--json", "--as-of", "2026-11-23"])
    experiment = json.loads(result.stdout)["experiment"]
    assert experiment["estimate"] == 9 and experiment["exact"] is True


def test_the_stored_run_the_page_and_the_api_show_it(cohort, cast, client):
    impact_analysis_record(by=system_user(), today=dt.date(2026, 11, 23))
    client.force_login(cast.viewer)
    page = client.get("/program/impact/").content.decode()
    assert "Experiment: the randomised boundary cohort" in page
    assert "9.0 pts" in page and "No 95% interval: too few accounts" in page
    assert "near-tied at the shortlist boundary" in page
    api = client.get("/api/v1/program/impact").json()
    assert api["result"]["experiment"]["estimate"] == 9


def test_without_a_cohort_the_page_says_how_to_get_one(cast, client):
    impact_analysis_record(by=system_user(), today=dt.date(2026, 11, 23))
    client.force_login(cast.owner)
    page = client.get("/program/impact/").content.decode()
    assert "No randomised cohort yet" in page and "/program/selection/" in page
    client.force_login(cast.viewer)
    assert "a program owner can turn on the boundary draw" in client.get("/program/impact/").content.decode()
    assert client.get("/api/v1/program/impact").json()["result"]["experiment"] is None
