"""A small program for the playbook tests: an owner, an account with its AE, CSM and sponsor, on a fixed day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from execsponsor.playbooks.models import Playbook, PlaybookStep, StepRole, Trigger
from execsponsor.users.models import Role
from tests.factories import AccountFactory, ExecutiveFactory, SponsorshipFactory, UserFactory

TODAY = dt.date(2026, 4, 10)


@dataclass
class Team:
    owner: object
    ae: object
    csm: object
    sponsor: object
    account: object
    sponsorship: object
    viewer: object
    outsider: object
    other_account: object


@pytest.fixture
def team(db) -> Team:
    owner = UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER)
    ae = UserFactory(username="alex.ae", role=Role.ACCOUNT_EXECUTIVE)
    csm = UserFactory(username="casey.csm", role=Role.CSM)
    viewer = UserFactory(username="victor.viewer", role=Role.VIEWER)
    outsider = UserFactory(username="oscar.outsider", role=Role.ACCOUNT_EXECUTIVE)
    executive = ExecutiveFactory(user__username="sam.sponsor")
    account = AccountFactory(name="Blue Harbor Bank", owner=ae, csm=csm, renewal_date=TODAY + dt.timedelta(days=200))
    sponsorship = SponsorshipFactory(account=account, executive=executive)
    other = AccountFactory(name="Evergreen Energy", owner=outsider)
    return Team(owner, ae, csm, executive.user, account, sponsorship, viewer, outsider, other)


def make_playbook(trigger=Trigger.MANUAL, steps=(), slug="test-playbook", **settings) -> Playbook:
    """A playbook with steps given as (title, role, offset_days)."""
    playbook = Playbook.objects.create(
        name=slug.replace("-", " ").title(), slug=slug, trigger=trigger, settings=settings
    )
    for position, (title, role, offset) in enumerate(steps, start=1):
        PlaybookStep.objects.create(playbook=playbook, position=position, title=title, role=role, offset_days=offset)
    return playbook


FOUR_ROLES = (
    ("Sponsor prepares", StepRole.SPONSOR, 0),
    ("AE aligns", StepRole.AE, 3),
    ("CSM gathers", StepRole.CSM, 7),
    ("Owner reviews", StepRole.OWNER, 14),
)
