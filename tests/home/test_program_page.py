"""The Program page: selection, matching and rebalance side by side, for those who run the program."""

from __future__ import annotations

import pytest

from execsponsor.program.models import MatchingRun, ProgramSetting, RebalanceBatch, RunStatus
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_program_link_in_the_navigation_opens_the_program_page(cast):
    home = client_for(cast.owner).get("/").content.decode()
    assert 'href="/program/">Program</a>' in home
    assert client_for(cast.owner).get("/program/").status_code == 200


def test_the_program_page_links_selection_matching_and_rebalance(cast):
    content = client_for(cast.owner).get("/program/").content.decode()
    for address in ("/program/selection/", "/program/matching/", "/program/rebalance/"):
        assert f'href="{address}"' in content


def test_the_program_page_says_when_nothing_has_been_done_yet(cast):
    content = client_for(cast.owner).get("/program/").content.decode()
    assert "never: the default weights apply" in content
    assert content.count("none yet") == 2


def test_the_program_page_shows_the_last_selection_run_and_batch(cast):
    ProgramSetting.objects.create(key="selection", value={}, updated_by=cast.owner, version=3)
    run = MatchingRun.objects.create(
        created_by=cast.owner,
        label="Q3 proposal",
        status=RunStatus.DRAFT,
        solver_status="optimal",
        result={"pairs": [{"account": "1", "executive": "2"}, {"account": "3", "executive": "4"}]},
    )
    batch = RebalanceBatch.objects.create(quarter_label="2026 Q4", created_by=cast.owner)
    content = client_for(cast.owner).get("/program/").content.decode()
    assert f"by {cast.owner} (version 3)" in content
    assert f'href="/program/matching/runs/{run.pk}/">Q3 proposal #{run.pk}</a>' in content
    assert "solver optimal" in content
    assert "1 waiting for approval" in content
    assert f'href="/program/rebalance/{batch.pk}/">2026 Q4</a>' in content
    assert "Proposed" in content


@pytest.mark.parametrize("role", ["viewer", "sponsor", "ae", "csm"])
def test_the_program_page_is_refused_to_those_who_do_not_run_the_program(cast, role):
    assert client_for(cast.user(role)).get("/program/").status_code == 403


def test_an_admin_opens_the_program_page(cast):
    assert client_for(cast.admin).get("/program/").status_code == 200


def test_the_pair_count_comes_from_the_runs_stored_counts(cast):
    # A run made by the matcher stores its counts; the page reads them, not the (large) result document.
    MatchingRun.objects.create(
        created_by=cast.owner, status=RunStatus.DRAFT, changes={"keep": 4, "add": 3, "pairs": 7}, result={}
    )
    assert "<dt>Pairs</dt><dd>7</dd>" in client_for(cast.owner).get("/program/").content.decode()


def test_an_older_run_without_stored_counts_is_counted_from_its_pairs(cast):
    MatchingRun.objects.create(created_by=cast.owner, status=RunStatus.DRAFT, result={"pairs": [{}, {}]})
    assert "<dt>Pairs</dt><dd>2</dd>" in client_for(cast.owner).get("/program/").content.decode()
