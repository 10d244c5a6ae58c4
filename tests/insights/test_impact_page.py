"""The impact page: who may read it and run it, what it says before the first run, and the nightly job."""

from __future__ import annotations

import pytest

from execsponsor.core.impact import ImpactOptions, estimate_impact
from execsponsor.insights.impact import impact_analysis_store
from execsponsor.insights.models import ImpactAnalysis
from execsponsor.insights.tasks import nightly_impact_analysis
from execsponsor.jobs.models import JobRun
from execsponsor.users.services import system_user
from tests.core.test_impact import _fixture

pytestmark = pytest.mark.django_db


def stored_result():
    revenue, accounts = _fixture()
    result = estimate_impact(revenue, accounts, options=ImpactOptions(bootstrap=0))
    return impact_analysis_store(result.as_dict(), by=system_user())


@pytest.mark.parametrize("name", ["owner", "viewer", "admin"])
def test_the_owner_the_viewer_and_the_admin_read_it(cast, client, name):
    stored = stored_result()
    client.force_login(cast.user(name))
    page = client.get("/program/impact/")
    assert page.status_code == 200
    assert stored.result["summary"] in page.content.decode()


@pytest.mark.parametrize("name", ["sponsor", "ae", "csm"])
def test_people_who_see_only_their_own_accounts_may_not(cast, client, name):
    client.force_login(cast.user(name))
    assert client.get("/program/impact/").status_code == 403
    assert client.post("/program/impact/run/").status_code == 403


def test_before_the_first_run_it_says_what_to_do(cast, client):
    client.force_login(cast.owner)
    text = client.get("/program/impact/").content.decode()
    assert "has not run yet" in text and "esp report impact --save" in text


def test_running_it_without_eight_quarters_of_revenue_says_why(cast, client):
    client.force_login(cast.owner)
    response = client.post("/program/impact/run/", follow=True)  # the worker runs at once in tests
    assert response.status_code == 200
    text = response.content.decode()
    assert "running on the worker" in text
    assert "could not estimate anything: there is no quarterly revenue yet" in text
    assert "error" in ImpactAnalysis.objects.get().result
    assert JobRun.objects.get(name="impact-analysis").outcome == JobRun.Outcome.OK


def test_the_nightly_job_records_its_run_and_keeps_the_result(cast):
    nightly_impact_analysis()
    run = JobRun.objects.get(name="impact-analysis")
    assert run.outcome == JobRun.Outcome.OK
    assert ImpactAnalysis.objects.get().computed_by.username == "execsponsor-system"  # the job names its actor


def test_the_api_gives_the_viewer_the_latest_result(cast, client):
    stored = stored_result()
    client.force_login(cast.viewer)
    response = client.get("/api/v1/program/impact")
    assert response.status_code == 200
    assert response.json()["result"]["estimate"] == stored.result["estimate"]


def test_the_api_says_when_it_has_not_run_and_refuses_others(cast, client):
    client.force_login(cast.owner)
    assert client.get("/api/v1/program/impact").status_code == 404
    client.force_login(cast.ae)
    assert client.get("/api/v1/program/impact").status_code == 403
    assert client.post("/api/v1/program/impact/runs").status_code == 403
    client.force_login(cast.viewer)
    assert client.post("/api/v1/program/impact/runs").status_code == 403


def test_the_owner_runs_it_through_the_api(cast, client):
    client.force_login(cast.owner)
    response = client.post("/api/v1/program/impact/runs")
    assert response.status_code == 202
    latest = client.get("/api/v1/program/impact").json()  # the worker runs at once in tests
    assert "error" in latest["result"]  # no revenue in this company: it says why
