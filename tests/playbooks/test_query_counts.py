"""The task lists read a fixed number of queries, however many tasks there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from execsponsor.playbooks import services
from execsponsor.playbooks.models import Task
from tests.playbooks.conftest import FOUR_ROLES, TODAY, make_playbook

pytestmark = pytest.mark.django_db


def queries_for(user, path: str) -> int:
    client = Client()
    client.force_login(user)
    client.get(path)  # warm the session and the caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/", "/tasks/", "/playbooks/"])
def test_task_lists_do_not_grow_with_the_number_of_tasks(team, path):
    playbook = make_playbook(steps=FOUR_ROLES)
    services.playbook_start(by=team.owner, playbook=playbook, account=team.account, anchor_date=TODAY)
    few = queries_for(team.owner, path)
    for _ in range(5):
        services.playbook_start(by=team.owner, playbook=playbook, account=team.account, anchor_date=TODAY)
    Task.objects.bulk_create(Task(title=f"Extra {n}", owner=team.owner, account=team.account) for n in range(10))
    assert queries_for(team.owner, path) == few
