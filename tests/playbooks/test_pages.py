"""The playbook, run and task pages through the test client."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from execsponsor.playbooks import services
from execsponsor.playbooks.builtins import ensure_built_in_playbooks
from execsponsor.playbooks.models import Playbook, PlaybookRun, Task, TaskComment, TaskPolicy
from tests.playbooks.conftest import FOUR_ROLES, TODAY, make_playbook

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def run(team):
    return services.playbook_start(
        by=team.owner, playbook=make_playbook(steps=FOUR_ROLES), account=team.account, anchor_date=TODAY
    )


def test_the_playbooks_page_lists_the_built_ins_and_lets_the_owner_switch_one_off(team):
    client = client_for(team.owner)
    page = client.get("/playbooks/")
    assert page.status_code == 200
    for name in ("Program launch", "Sponsorship onboarding", "Cadence nudge", "Health drop", "Renewal within 90 days"):
        assert name in page.content.decode()
    onboarding = Playbook.objects.get(slug="sponsorship-onboarding")
    assert client.post(f"/playbooks/{onboarding.pk}/active/").status_code == 302
    onboarding.refresh_from_db()
    assert not onboarding.is_active


def test_the_owner_edits_a_playbook_and_its_trigger_setting(team):
    ensure_built_in_playbooks()
    playbook = Playbook.objects.get(slug="proactive-multi-threading")
    response = client_for(team.owner).post(
        f"/playbooks/{playbook.pk}/",
        {"name": "Before the renewal", "trigger": "renewal_near", "is_active": "on", "days": "120", "description": ""},
    )
    assert response.status_code == 302
    playbook.refresh_from_db()
    assert playbook.name == "Before the renewal" and playbook.setting("days") == 120 and playbook.built_in


def test_a_bad_setting_is_refused_with_a_message(team):
    ensure_built_in_playbooks()
    playbook = Playbook.objects.get(slug="proactive-multi-threading")
    response = client_for(team.owner).post(
        f"/playbooks/{playbook.pk}/", {"name": "X", "trigger": "renewal_near", "days": "5000"}, follow=True
    )
    assert "must be between 1 and 730" in response.content.decode()
    playbook.refresh_from_db()
    assert playbook.setting("days") == 90


def test_steps_are_added_reordered_and_removed(team):
    playbook = make_playbook(steps=FOUR_ROLES[:2])
    client = client_for(team.owner)
    client.post(
        f"/playbooks/{playbook.pk}/steps/",
        {"title": "Check in", "role": "csm", "offset_days": "9", "instructions": "", "checklist": "One\nTwo\n"},
    )
    added = playbook.steps.get(title="Check in")
    assert added.position == 3 and added.checklist == ["One", "Two"]
    client.post(f"/playbooks/steps/{added.pk}/move/", {"direction": "up"})
    assert list(playbook.steps.order_by("position").values_list("title", flat=True)) == [
        "Sponsor prepares",
        "Check in",
        "AE aligns",
    ]
    client.post(f"/playbooks/steps/{playbook.steps.get(title='Sponsor prepares').pk}/remove/")
    assert list(playbook.steps.order_by("position").values_list("title", "position")) == [
        ("Check in", 1),
        ("AE aligns", 2),
    ]


def test_an_ae_can_read_playbooks_but_not_edit_them(team):
    playbook = make_playbook(steps=FOUR_ROLES)
    client = client_for(team.ae)
    assert client.get(f"/playbooks/{playbook.pk}/").status_code == 200
    assert client.post(f"/playbooks/{playbook.pk}/", {"name": "Mine", "trigger": "manual"}).status_code == 403
    assert (
        client.post(f"/playbooks/{playbook.pk}/steps/", {"title": "x", "role": "ae", "offset_days": 1}).status_code
        == 403
    )


def test_start_playbook_from_the_account_page(team):
    make_playbook(steps=FOUR_ROLES)
    client = client_for(team.ae)
    account_page = client.get(team.account.get_absolute_url()).content.decode()
    assert "Start playbook" in account_page
    playbook = Playbook.objects.get()
    response = client.post(
        "/playbooks/start/", {"playbook": playbook.pk, "account": team.account.pk, "anchor_date": "2026-04-10"}
    )
    run = PlaybookRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run.started_by == team.ae and run.tasks.count() == 4


def test_an_ae_cannot_start_a_playbook_on_an_account_they_cannot_see(team):
    playbook = make_playbook(steps=FOUR_ROLES)
    response = client_for(team.ae).post(
        "/playbooks/start/", {"playbook": playbook.pk, "account": team.other_account.pk}
    )
    assert response.status_code == 404
    assert not PlaybookRun.objects.exists()


def test_the_run_page_moves_the_start_date_and_the_open_tasks(team, run):
    client = client_for(team.owner)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Also move the 4 open tasks" in page
    response = client.post(run.get_absolute_url(), {"anchor_date": "2026-04-20", "move_open_tasks": "on"})
    assert response.status_code == 302
    assert run.tasks.get(title="AE aligns").due_on == dt.date(2026, 4, 23)


def test_a_bad_date_on_the_run_page_is_a_400_not_a_500(team, run):
    response = client_for(team.owner).post(run.get_absolute_url(), {"anchor_date": "the twelfth"})
    assert response.status_code == 400
    assert "Enter a valid date" in response.content.decode()


def test_my_tasks_on_the_home_page_are_grouped_and_hide_snoozed(team, run, settings):
    settings.ESP_CADENCE_AS_OF = "2026-04-13"  # a Monday
    Task.objects.create(title="Old promise", owner=team.ae, account=team.account, due_on=dt.date(2026, 4, 1))
    Task.objects.create(
        title="Sleeping",
        owner=team.ae,
        account=team.account,
        due_on=dt.date(2026, 4, 1),
        snoozed_until=dt.date(2026, 4, 20),
    )
    Task.objects.create(title="Next month", owner=team.ae, account=team.account, due_on=dt.date(2026, 5, 20))
    Task.objects.create(title="Friday", owner=team.ae, account=team.account, due_on=dt.date(2026, 4, 17))
    page = client_for(team.ae).get("/").content.decode()
    overdue = page.index('data-group="overdue"')
    today = page.index('data-group="today"')
    week = page.index('data-group="week"')
    later = page.index('data-group="later"')
    assert overdue < page.index("Old promise") < today < page.index("AE aligns") < week < page.index("Friday")
    assert later < page.index("Next month")
    assert "Sleeping" not in page and "1 snoozed task" in page


def test_every_role_has_my_tasks_on_its_home(team):
    for user in (team.owner, team.ae, team.csm, team.sponsor, team.viewer):
        assert "My tasks" in client_for(user).get("/").content.decode(), user.username


def test_complete_with_checklist_ticks_from_the_task_page(team):
    task = Task.objects.create(
        title="Align",
        owner=team.ae,
        account=team.account,
        checklist=[{"item": "Strategy", "done": False}, {"item": "Promises", "done": False}],
    )
    client = client_for(team.ae)
    assert "Strategy" in client.get(task.get_absolute_url()).content.decode()
    client.post(f"/tasks/{task.pk}/complete/", {"checklist": "1", "ticked": ["1"]})
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert task.checklist == [{"item": "Strategy", "done": False}, {"item": "Promises", "done": True}]


def test_a_ticked_item_that_is_not_on_the_list_is_refused(team):
    task = Task.objects.create(
        title="Align", owner=team.ae, account=team.account, checklist=[{"item": "A", "done": False}]
    )
    response = client_for(team.ae).post(f"/tasks/{task.pk}/complete/", {"checklist": "1", "ticked": ["9"]}, follow=True)
    assert "is not on this task" in response.content.decode()
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


def test_snooze_reassign_and_comment_from_the_task_page(team, settings):
    settings.ESP_CADENCE_AS_OF = "2026-04-10"
    task = Task.objects.create(title="Call", owner=team.ae, account=team.account, due_on=TODAY)
    client = client_for(team.ae)
    client.post(f"/tasks/{task.pk}/snooze/", {"until": "2026-04-15"})
    client.post(f"/tasks/{task.pk}/comments/", {"body": "Waiting for their CFO"})
    before = Task.objects.get(pk=task.pk).assigned_at
    client.post(f"/tasks/{task.pk}/reassign/", {"owner": team.csm.pk})
    task.refresh_from_db()
    assert task.snoozed_until == dt.date(2026, 4, 15)
    assert task.owner == team.csm and task.assigned_at > before
    assert TaskComment.objects.get().body == "Waiting for their CFO"
    assert "Waiting for their CFO" in client_for(team.csm).get(task.get_absolute_url()).content.decode()


def test_a_task_cannot_go_to_someone_who_cannot_see_its_account(team):
    task = Task.objects.create(title="Call", owner=team.ae, account=team.account)
    response = client_for(team.ae).post(f"/tasks/{task.pk}/reassign/", {"owner": team.outsider.pk}, follow=True)
    assert "cannot see Blue Harbor Bank" in response.content.decode()
    task.refresh_from_db()
    assert task.owner == team.ae


def test_snoozing_into_the_past_is_refused(team, settings):
    settings.ESP_CADENCE_AS_OF = "2026-04-10"
    task = Task.objects.create(title="Call", owner=team.ae, account=team.account)
    response = client_for(team.ae).post(f"/tasks/{task.pk}/snooze/", {"until": "2026-04-01"}, follow=True)
    assert "after today" in response.content.decode()


def test_an_ae_cannot_see_or_complete_a_task_on_an_account_they_cannot_see(team):
    task = Task.objects.create(title="Theirs", owner=team.outsider, account=team.other_account)
    client = client_for(team.ae)
    assert client.get(task.get_absolute_url()).status_code == 404
    assert client.post(f"/tasks/{task.pk}/complete/").status_code == 404
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


def test_the_viewer_reads_a_task_but_cannot_change_it(team):
    task = Task.objects.create(title="Call", owner=team.ae, account=team.account)
    client = client_for(team.viewer)
    page = client.get(task.get_absolute_url()).content.decode()
    assert "Call" in page and "Complete the task" not in page
    assert client.post(f"/tasks/{task.pk}/complete/").status_code == 403
    assert client.post(f"/tasks/{task.pk}/comments/", {"body": "hi"}).status_code == 403
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


def test_the_owner_sets_the_escalation_grace_period(team):
    client = client_for(team.owner)
    client.post("/playbooks/policy/", {"escalation_grace_days": "5"})
    assert TaskPolicy.current().escalation_grace_days == 5
    assert client_for(team.ae).post("/playbooks/policy/", {"escalation_grace_days": "1"}).status_code == 403
    assert TaskPolicy.current().escalation_grace_days == 5


def test_the_task_list_page_says_what_to_do_when_empty(team):
    page = client_for(team.csm).get("/tasks/").content.decode()
    assert "You have no open tasks" in page


@pytest.mark.parametrize(
    "path", ["/tasks/999999/", "/playbooks/999999/", "/playbooks/runs/999999/", "/tasks/99999999999999999999999/"]
)
def test_unknown_ids_are_404(team, path):
    assert client_for(team.owner).get(path).status_code == 404
