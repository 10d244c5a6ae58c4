"""The impact analysis on a generated demo company recovers the planted +6 NRR points inside its interval, its
placebo shows nothing, and the naive comparison beside it overstates the lift by 3 points or more (the demo's
program chose larger, faster-growing accounts). The demo's randomised cohort (docs/demo.md, effect 8): the
experiment recovers the effect planted on its outcome inside its interval. Runs on SQLite and, with
DATABASE_URL, on PostgreSQL; the company is generated once for the module (one test process runs it all)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import transaction
from typer.testing import CliRunner

from execsponsor.cli import app
from execsponsor.demo.generator import generate_demo
from execsponsor.demo.storage import wipe_company
from execsponsor.insights.impact import analyse, impact_analysis_record
from execsponsor.insights.impact_experiment import experiment_document
from execsponsor.insights.models import ImpactAnalysis
from execsponsor.program.models import RandomisedCohort, Sponsorship
from execsponsor.users.models import Role, User

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 11, 23)
LIFT = 6.0  # docs/demo.md: the planted causal lift, NRR points


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A 1,500-account demo company (seed 7) and the analysis of it, computed once for the module."""
    with django_db_blocker.unblock():
        truth = generate_demo(accounts=1500, seed=7, as_of=AS_OF)
        yield truth, analyse(today=AS_OF)
        with transaction.atomic():
            wipe_company()
            from execsponsor.playbooks.models import Playbook
            from execsponsor.program.models import ProgramSetting

            ProgramSetting.objects.filter(key="demo_truth").delete()
            Playbook.objects.all().delete()  # the built-ins the demo seeded; tests seed their own
            ImpactAnalysis.objects.all().delete()


def test_it_recovers_the_planted_lift_inside_its_interval(demo):
    _, result = demo
    assert result.ci_low <= LIFT <= result.ci_high
    assert result.ci_high - result.ci_low < 3  # an interval that says something


def test_the_placebo_start_four_quarters_early_shows_nothing(demo):
    _, result = demo
    assert result.placebo.estimate is not None
    assert result.placebo.ci_low <= 0 <= result.placebo.ci_high


def test_the_naive_comparison_overstates_the_lift_by_three_points_or_more(demo):
    _, result = demo
    assert result.naive_estimate >= LIFT + 3
    assert not result.ci_low <= result.naive_estimate <= result.ci_high


def test_the_sponsored_are_exactly_the_demo_accounts_whose_sponsorship_runs(demo):
    truth, result = demo
    assert result.treated == len(truth["nrr"]["sponsored"])
    assert {c.start_quarter: c.accounts for c in result.cohorts} == truth["nrr"]["start_quarters"]
    ended = result.excluded["every sponsorship started has ended"]
    assert ended >= 1
    assert result.treated + result.controls + sum(result.excluded.values()) == truth["accounts"]


def test_leads_before_the_start_are_small_and_the_lags_carry_the_lift(demo):
    _, result = demo
    leads = [row for row in result.event_study if row.relative_quarter < 0]
    lags = [row for row in result.event_study if row.relative_quarter >= 0]
    assert leads and all(abs(row.estimate) < 1 for row in leads)
    assert [row.relative_quarter for row in lags] == [0, 1, 2, 3]
    assert all(row.ci_low > 0 for row in lags)


def test_it_says_what_it_estimates_and_what_it_cannot_prove(demo):
    _, result = demo
    assert "net revenue retention" in result.summary and f"{result.treated} accounts" in result.summary
    assert any(line.startswith("Sponsored accounts were chosen; this estimate assumes") for line in result.assumptions)
    assert result.cannot_prove
    assert result.sensitivity and all(s.ci_low < s.ci_high for s in result.sensitivity)
    assert result.balance and result.max_smd_after == max(abs(b.smd_after) for b in result.balance)


@pytest.fixture
def cli_env(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-only-secret")


def test_the_cli_prints_one_json_document_with_the_contract_keys(demo, cli_env):
    result = CliRunner().invoke(app, ["report", "impact", "--json", "--as-of", AS_OF.isoformat(), "--bootstrap", "99"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    for key in ("outcome", "estimate", "ci_low", "ci_high", "naive_estimate", "placebo", "event_study",
                "max_smd_after", "treated", "controls", "cohorts", "method"):  # fmt: skip
        assert key in document
    assert set(document["placebo"]) >= {"estimate", "ci_low", "ci_high"}
    assert set(document["event_study"][0]) >= {"relative_quarter", "estimate", "ci_low", "ci_high"}
    assert document["ci_low"] <= LIFT <= document["ci_high"]


def test_the_cli_refuses_an_unknown_control_group(cli_env):
    result = CliRunner().invoke(app, ["report", "impact", "--controls", "everyone"])
    assert result.exit_code == 2
    assert "not_yet_treated or never_treated" in result.output


def test_never_treated_controls_recover_the_lift_too(demo):
    from execsponsor.core.impact import ImpactOptions

    result = analyse(today=AS_OF, options=ImpactOptions(control_group="never_treated", bootstrap=199))
    assert result.ci_low <= LIFT <= result.ci_high


def test_the_owner_runs_it_and_the_viewer_reads_it_on_the_page(demo, client):
    owner = User.objects.filter(role=Role.PROGRAM_OWNER, is_active=True).first()
    viewer = User.objects.filter(role=Role.VIEWER, is_active=True).first()
    run = impact_analysis_record(by=owner, today=AS_OF)
    assert "error" not in run.result
    client.force_login(viewer)
    page = client.get("/program/impact/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Impact on net revenue retention" in text and "What it assumes, and cannot prove" in text
    assert f"{run.result['estimate']:.1f} pts" in text
    assert "Run the analysis now" not in text  # the viewer reads; only the owner runs
    assert client.post("/program/impact/run/").status_code == 403


@pytest.fixture(scope="module")
def experiment(demo, django_db_blocker):
    with django_db_blocker.unblock():
        return experiment_document(today=AS_OF), RandomisedCohort.objects.get()


def test_the_experiment_recovers_the_planted_effect_inside_its_interval(demo, experiment):
    truth, _ = demo
    found, _ = experiment
    planted = truth["experiment"]["effect_points"]
    assert 5 < planted < 11  # the +6 NRR lift, measured over the quarters after the draw
    assert found["ci_low"] <= planted <= found["ci_high"]
    assert found["ci_low"] > 0  # and it tells the lift from nothing
    assert found["drawn_in"] == found["drawn_out"] == truth["experiment"]["drawn_in"]


def test_the_cohort_is_recorded_as_the_product_records_it(demo, experiment):
    truth, _ = demo
    _, cohort = experiment
    assert cohort.drawn_on.isoformat() == truth["experiment"]["drawn_on"] == "2026-01-01"  # 2026 Q1
    assert cohort.seed == truth["experiment"]["seed"]
    assert len(cohort.band) == truth["experiment"]["band"] == len(cohort.drawn_in) + len(cohort.drawn_out)
    started = dict(Sponsorship.objects.filter(started_on__isnull=False).values_list("account_id", "started_on"))
    assert all(cohort.drawn_on <= started[a] for a in cohort.drawn_in)  # sponsored after the draw
    assert not set(cohort.drawn_out) & set(started)  # the drawn-out were never sponsored


def test_the_stored_nightly_run_carries_it(demo, experiment):
    found, _ = experiment
    assert ImpactAnalysis.objects.get().result["experiment"]["estimate"] == found["estimate"]
