"""The periodic jobs that write (playbook triggers, escalation, health) act as someone: the system user when the
scheduler runs them, recorded as who started what; nobody, or a person without the right, is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from execsponsor.common.errors import NotPermitted
from execsponsor.insights.health import health_recompute
from execsponsor.insights.models import HealthSnapshot
from execsponsor.playbooks.engine import overdue_escalate, triggers_evaluate
from execsponsor.playbooks.models import PlaybookRun
from execsponsor.playbooks.tasks import playbook_triggers
from execsponsor.program.models import SponsorshipStatus
from tests.factories import AccountFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    "job",
    [
        lambda by: triggers_evaluate(TODAY, by=by),
        lambda by: overdue_escalate(TODAY, by=by),
        lambda by: health_recompute(today=TODAY, by=by),
    ],
    ids=["playbook triggers", "task escalation", "health of every account"],
)
def test_a_job_refuses_nobody_and_a_person_who_does_not_run_the_program(cast, job):
    for actor in (None, cast.viewer, cast.csm):
        with pytest.raises(NotPermitted):
            job(actor)
    assert not PlaybookRun.objects.exists() and not HealthSnapshot.objects.exists()


def test_a_csm_may_recompute_the_health_of_an_account_but_a_viewer_may_not(cast):
    account = AccountFactory()
    written = health_recompute(today=TODAY, account_ids=[account.pk], by=cast.csm)
    assert written == HealthSnapshot.objects.filter(account=account, taken_on=TODAY).count()
    with pytest.raises(NotPermitted):
        health_recompute(today=TODAY, account_ids=[account.pk], by=cast.viewer)


def test_the_scheduled_trigger_job_records_the_system_user_as_who_started_each_run(cast):
    SponsorshipFactory(status=SponsorshipStatus.ACTIVE, approved_at=timezone.now() - dt.timedelta(days=1))
    playbook_triggers.call_local()
    runs = list(PlaybookRun.objects.select_related("started_by"))
    assert runs, "an approved sponsorship starts the onboarding playbook"
    assert {run.started_by.username for run in runs} == {"execsponsor-system"}
