"""The tasks API: your tasks, complete, snooze, reassign, comment; starting a playbook."""

from __future__ import annotations

import datetime as dt

import pytest

from execsponsor.playbooks.models import Task
from tests.api.conftest import ApiClient
from tests.playbooks.conftest import FOUR_ROLES, make_playbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(team):
    mine = Task.objects.create(title="Mine", owner=team.ae, account=team.account, due_on=dt.date(2026, 4, 12))
    theirs = Task.objects.create(title="Theirs", owner=team.outsider, account=team.other_account)
    csm = Task.objects.create(
        title="CSM's",
        owner=team.csm,
        account=team.account,
        checklist=[{"item": "A", "done": False}, {"item": "B", "done": False}],
    )
    return mine, theirs, csm


def test_get_tasks_mine_lists_only_my_open_tasks(team, tasks):
    body = ApiClient(team.ae).get("/tasks", mine="true").json()
    assert [t["title"] for t in body["items"]] == ["Mine"] and body["count"] == 1
    assert body["items"][0]["account_name"] == "Blue Harbor Bank"


def test_get_tasks_not_mine_lists_the_tasks_on_accounts_i_see(team, tasks):
    body = ApiClient(team.ae).get("/tasks", mine="false").json()
    assert sorted(t["title"] for t in body["items"]) == ["CSM's", "Mine"]


def test_complete_a_task_with_ticks(team, tasks):
    _, _, csm = tasks
    response = ApiClient(team.csm).post(f"/tasks/{csm.pk}/complete", {"ticked": [0]})
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    assert response.json()["checklist"] == [{"item": "A", "done": True}, {"item": "B", "done": False}]


def test_completing_a_task_twice_is_a_422(team, tasks):
    mine, _, _ = tasks
    client = ApiClient(team.ae)
    client.post(f"/tasks/{mine.pk}/complete", {})
    assert client.post(f"/tasks/{mine.pk}/complete", {}).status_code == 422


def test_an_ae_cannot_complete_a_task_on_an_account_they_cannot_see(team, tasks):
    _, theirs, _ = tasks
    assert ApiClient(team.ae).post(f"/tasks/{theirs.pk}/complete", {}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_the_viewer_cannot_complete_a_task(team, tasks):
    mine, _, _ = tasks
    assert ApiClient(team.viewer).get(f"/tasks/{mine.pk}").status_code == 200
    assert ApiClient(team.viewer).post(f"/tasks/{mine.pk}/complete", {}).status_code == 403


def test_snooze_reassign_and_comment(team, tasks):
    mine, _, _ = tasks
    client = ApiClient(team.ae)
    future = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    assert client.post(f"/tasks/{mine.pk}/snooze", {"until": future}).json()["snoozed_until"] == future
    reassigned = client.post(f"/tasks/{mine.pk}/reassign", {"owner_id": team.csm.pk}).json()
    assert reassigned["owner"]["username"] == "casey.csm"
    assert client.post(f"/tasks/{mine.pk}/reassign", {"owner_id": team.outsider.pk}).status_code in (403, 422)
    assert ApiClient(team.csm).post(f"/tasks/{mine.pk}/comments", {"body": "On it"}).status_code == 201
    assert ApiClient(team.csm).post(f"/tasks/{mine.pk}/comments", {"body": ""}).status_code == 422


def test_start_a_playbook_through_the_api(team):
    playbook = make_playbook(steps=FOUR_ROLES)
    response = ApiClient(team.ae).post(
        f"/playbooks/{playbook.pk}/start", {"account_id": team.account.pk, "anchor_date": "2026-04-10"}
    )
    assert response.status_code == 201
    assert [(t["title"], t["due_on"]) for t in response.json()["tasks"]] == [
        ("Sponsor prepares", "2026-04-10"),
        ("AE aligns", "2026-04-13"),
        ("CSM gathers", "2026-04-17"),
        ("Owner reviews", "2026-04-24"),
    ]
    assert (
        ApiClient(team.viewer).post(f"/playbooks/{playbook.pk}/start", {"account_id": team.account.pk}).status_code
        == 403
    )
