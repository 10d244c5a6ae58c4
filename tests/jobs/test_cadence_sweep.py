"""The hourly cadence sweep: counts of live sponsorships per cadence state, recorded as a job run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from execsponsor.jobs.models import JobRun
from execsponsor.jobs.tasks import hourly_cadence_sweep
from execsponsor.program.models import SponsorshipStatus
from tests.factories import EngagementFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def test_the_sweep_records_how_many_sponsorships_are_in_each_state():
    on_track = SponsorshipFactory(approved_at=days_ago(60))
    EngagementFactory(account=on_track.account, sponsorship=on_track, occurred_at=days_ago(2))
    SponsorshipFactory(approved_at=days_ago(12))  # day 12 of 14: at risk
    SponsorshipFactory(approved_at=days_ago(20))  # overdue
    SponsorshipFactory(approved_at=days_ago(40))  # overdue
    SponsorshipFactory(approved_at=days_ago(40), status=SponsorshipStatus.PAUSED)
    SponsorshipFactory(approved_at=days_ago(40), status=SponsorshipStatus.ENDED, ended_on=timezone.localdate())

    hourly_cadence_sweep.call_local()

    run = JobRun.objects.get(name="cadence-sweep")
    assert run.outcome == "ok"
    assert run.summary == {"sponsorships": 5, "ok": 1, "at_risk": 1, "overdue": 2, "paused": 1}
