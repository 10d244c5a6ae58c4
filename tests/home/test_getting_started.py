"""The getting-started checklist ticks itself off from the data."""

import pytest

from execsponsor.home.getting_started import getting_started_steps
from execsponsor.program.models import MatchingRun
from tests.conftest import client_for
from tests.factories import AccountFactory, ContactFactory, ExecutiveFactory, UserFactory

pytestmark = pytest.mark.django_db


def _done() -> dict[str, bool]:
    return {step.key: step.done for step in getting_started_steps()}


def test_a_new_install_has_every_step_to_do(db):
    UserFactory(username="ada")
    assert _done() == dict.fromkeys(
        (
            "users",
            "accounts",
            "contacts",
            "opportunities",
            "activities",
            "executives",
            "selection",
            "matching",
            "approve",
        ),
        False,
    )


def test_steps_tick_off_as_the_data_arrives(db):
    UserFactory(username="imported@ourco.example", source="salesforce")
    ContactFactory(account=AccountFactory())
    ExecutiveFactory()
    MatchingRun.objects.create(solver_status="optimal")
    done = _done()
    assert [key for key, value in done.items() if value] == ["users", "accounts", "contacts", "executives", "matching"]


def test_each_open_step_links_to_where_to_do_it(cast):
    page = client_for(cast.admin).get("/people/").content.decode()
    assert "Getting started" in page
    assert 'href="/executives/new/"' not in page  # the cast has an executive already
    assert 'href="/program/selection/"' in page and 'href="/accounts/import/"' in page


def test_sponsorships_on_record_tick_matching_and_approval_together(db):
    """A program already running (or imported sponsorships) has been matched: the checklist does not ask to
    run matching after saying the approval is done."""
    from tests.factories import SponsorshipFactory

    SponsorshipFactory()
    done = _done()
    assert done["matching"] and done["approve"]
