"""The demo's randomised cohort (docs/demo.md): the experiment recovers the effect planted on its outcome
inside its interval. Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from execsponsor.demo.generator import generate_demo
from execsponsor.demo.storage import wipe_company
from execsponsor.insights.impact_experiment import experiment_document
from execsponsor.insights.models import ImpactAnalysis
from execsponsor.program.models import RandomisedCohort, Sponsorship

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        truth = generate_demo(accounts=800, seed=7, as_of=AS_OF)
        yield truth, experiment_document(today=AS_OF), RandomisedCohort.objects.get()
        with transaction.atomic():
            wipe_company()
            from execsponsor.playbooks.models import Playbook
            from execsponsor.program.models import ProgramSetting

            ProgramSetting.objects.filter(key="demo_truth").delete()
            Playbook.objects.all().delete()
            ImpactAnalysis.objects.all().delete()


def test_the_experiment_recovers_the_planted_effect_inside_its_interval(demo):
    truth, experiment, _ = demo
    planted = truth["experiment"]["effect_points"]
    assert 5 < planted < 11  # the +6 NRR lift, measured over the quarters after the draw
    assert experiment["ci_low"] <= planted <= experiment["ci_high"]
    assert experiment["ci_low"] > 0  # and it tells the lift from nothing
    assert experiment["drawn_in"] == experiment["drawn_out"] == truth["experiment"]["drawn_in"]


def test_the_cohort_is_recorded_as_the_product_records_it(demo):
    truth, _, cohort = demo
    assert cohort.drawn_on.isoformat() == truth["experiment"]["drawn_on"] == "2026-01-01"  # 2026 Q1
    assert cohort.seed == truth["experiment"]["seed"]
    assert len(cohort.band) == truth["experiment"]["band"] == len(cohort.drawn_in) + len(cohort.drawn_out)
    started = dict(Sponsorship.objects.filter(started_on__isnull=False).values_list("account_id", "started_on"))
    assert all(cohort.drawn_on <= started[a] for a in cohort.drawn_in)  # sponsored after the draw
    assert not set(cohort.drawn_out) & set(started)  # the drawn-out were never sponsored


def test_the_stored_nightly_run_carries_it(demo):
    _, experiment, _ = demo
    assert ImpactAnalysis.objects.get().result["experiment"]["estimate"] == experiment["estimate"]
