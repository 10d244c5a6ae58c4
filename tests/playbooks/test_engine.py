"""Starting a run: a task per step for the person in that role, due on the anchor date plus the step's offset."""

from __future__ import annotations

import datetime as dt

import pytest

from execsponsor.common.errors import InvalidInput, NotPermitted
from execsponsor.playbooks import services
from execsponsor.playbooks.models import PlaybookRun, Task
from tests.playbooks.conftest import FOUR_ROLES, TODAY, make_playbook

pytestmark = pytest.mark.django_db


def test_each_step_goes_to_the_person_in_its_role_due_on_anchor_plus_offset(team):
    playbook = make_playbook(steps=FOUR_ROLES)
    run = services.playbook_start(by=team.owner, playbook=playbook, account=team.account, anchor_date=TODAY)
    tasks = {t.title: (t.owner, t.due_on) for t in run.tasks.all()}
    assert tasks == {
        "Sponsor prepares": (team.sponsor, dt.date(2026, 4, 10)),
        "AE aligns": (team.ae, dt.date(2026, 4, 13)),
        "CSM gathers": (team.csm, dt.date(2026, 4, 17)),
        "Owner reviews": (team.owner, dt.date(2026, 4, 24)),
    }
    assert all(t.account_id == team.account.pk and t.run_id == run.pk for t in run.tasks.all())


def test_a_step_whose_role_has_nobody_goes_to_the_program_owner_saying_so(team):
    team.account.csm = None
    team.account.save()
    playbook = make_playbook(steps=FOUR_ROLES)
    run = services.playbook_start(by=team.owner, playbook=playbook, account=team.account, anchor_date=TODAY)
    csm_task = run.tasks.get(title="CSM gathers")
    assert csm_task.owner == team.owner
    assert "no active CSM on Blue Harbor Bank" in csm_task.instructions
    assert "no active" not in run.tasks.get(title="AE aligns").instructions


def test_an_inactive_ae_counts_as_nobody(team):
    team.ae.is_active = False
    team.ae.save()
    run = services.playbook_start(
        by=team.owner, playbook=make_playbook(steps=FOUR_ROLES), account=team.account, anchor_date=TODAY
    )
    assert run.tasks.get(title="AE aligns").owner == team.owner


def test_checklists_are_copied_unticked(team):
    playbook = make_playbook(steps=[("Align", "ae", 1)])
    playbook.steps.update(checklist=["Account strategy", "Open opportunities"])
    run = services.playbook_start(by=team.ae, playbook=playbook, account=team.account, anchor_date=TODAY)
    assert run.tasks.get().checklist == [
        {"item": "Account strategy", "done": False},
        {"item": "Open opportunities", "done": False},
    ]


def test_the_ae_may_start_a_playbook_on_their_account_but_not_on_another(team):
    playbook = make_playbook(steps=FOUR_ROLES)
    services.playbook_start(by=team.ae, playbook=playbook, account=team.account)
    with pytest.raises(NotPermitted):
        services.playbook_start(by=team.ae, playbook=playbook, account=team.other_account)


def test_a_viewer_may_not_start_a_playbook(team):
    with pytest.raises(NotPermitted):
        services.playbook_start(by=team.viewer, playbook=make_playbook(steps=FOUR_ROLES), account=team.account)


def test_a_cause_starts_one_run_and_a_second_start_is_refused(team):
    playbook = make_playbook(steps=FOUR_ROLES)
    services.playbook_start(by=team.owner, playbook=playbook, account=team.account, cause_key="manual:once")
    with pytest.raises(InvalidInput):
        services.playbook_start(by=team.owner, playbook=playbook, account=team.account, cause_key="manual:once")
    assert PlaybookRun.objects.count() == 1
    assert Task.objects.count() == 4


def test_manual_starts_without_a_cause_may_repeat(team):
    playbook = make_playbook(steps=FOUR_ROLES)
    services.playbook_start(by=team.owner, playbook=playbook, account=team.account)
    services.playbook_start(by=team.owner, playbook=playbook, account=team.account)
    assert PlaybookRun.objects.count() == 2


def test_moving_the_start_date_moves_open_tasks_only(team):
    run = services.playbook_start(
        by=team.owner, playbook=make_playbook(steps=FOUR_ROLES), account=team.account, anchor_date=TODAY
    )
    done = run.tasks.get(title="Sponsor prepares")
    services.task_complete(by=team.sponsor, task=done)
    moved = services.run_move(by=team.owner, run=run, anchor_date=TODAY + dt.timedelta(days=5), move_open_tasks=True)
    assert moved == 3
    due = {t.title: t.due_on for t in run.tasks.all()}
    assert due == {
        "Sponsor prepares": dt.date(2026, 4, 10),
        "AE aligns": dt.date(2026, 4, 18),
        "CSM gathers": dt.date(2026, 4, 22),
        "Owner reviews": dt.date(2026, 4, 29),
    }
    run.refresh_from_db()
    assert run.anchor_date == dt.date(2026, 4, 15)


def test_moving_the_start_date_without_the_tasks_leaves_them(team):
    run = services.playbook_start(
        by=team.owner, playbook=make_playbook(steps=FOUR_ROLES), account=team.account, anchor_date=TODAY
    )
    services.run_move(by=team.owner, run=run, anchor_date=TODAY - dt.timedelta(days=2), move_open_tasks=False)
    assert run.tasks.get(title="AE aligns").due_on == dt.date(2026, 4, 13)


def test_a_run_is_done_when_its_last_task_is(team):
    run = services.playbook_start(
        by=team.owner, playbook=make_playbook(steps=FOUR_ROLES[:2]), account=team.account, anchor_date=TODAY
    )
    for task in run.tasks.all():
        services.task_complete(by=team.owner, task=task)
    run.refresh_from_db()
    assert run.status == PlaybookRun.Status.DONE


def test_the_program_launch_runs_on_no_account_and_its_steps_go_to_the_program_owner(team):
    from execsponsor.playbooks.builtins import ensure_built_in_playbooks
    from execsponsor.playbooks.models import Playbook

    ensure_built_in_playbooks()
    launch = Playbook.objects.get(slug="program-launch")
    run = services.playbook_start(by=team.owner, playbook=launch, anchor_date=TODAY)
    assert run.account is None
    assert [(t.owner, t.due_on) for t in run.tasks.order_by("due_on")] == [
        (team.owner, dt.date(2026, 4, 10)),
        (team.owner, dt.date(2026, 4, 13)),
        (team.owner, dt.date(2026, 4, 17)),
        (team.owner, dt.date(2026, 4, 20)),
    ]
    with pytest.raises(NotPermitted):
        services.playbook_start(by=team.ae, playbook=launch)


def test_with_two_program_owners_each_run_s_owner_steps_go_to_the_less_busy_one(team):
    """Olivia has two open tasks, Priya none: the next run's owner steps (and stand-ins) all go to Priya; after
    that Priya has more, so the run after goes to Olivia."""
    from execsponsor.users.models import Role
    from tests.factories import UserFactory

    priya = UserFactory(username="priya.owner", role=Role.PROGRAM_OWNER)
    for title in ("Old one", "Old two"):
        Task.objects.create(owner=team.owner, title=title, due_on=TODAY)
    team.account.csm = None
    team.account.save()
    playbook = make_playbook(steps=FOUR_ROLES)
    first = services.playbook_start(by=team.owner, playbook=playbook, account=team.account, anchor_date=TODAY)
    assert first.tasks.get(title="Owner reviews").owner == priya
    assert first.tasks.get(title="CSM gathers").owner == priya  # the stand-in too: one person per run
    second = services.playbook_start(
        by=team.owner, playbook=playbook, account=team.other_account, anchor_date=TODAY + dt.timedelta(days=1)
    )
    assert second.tasks.get(title="Owner reviews").owner == team.owner
