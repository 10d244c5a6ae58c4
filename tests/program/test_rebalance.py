"""The quarterly rebalance through its services: propose with reasons, apply as one batch, revert."""

import datetime as dt

import pytest
from django.utils import timezone

from execsponsor.insights.models import HealthSnapshot
from execsponsor.program.models import Objective, ObjectiveStatus, RebalanceProposal, Sponsorship, SponsorshipStatus
from execsponsor.program.rebalance import services as rebalance_services
from tests.factories import AccountFactory, EngagementFactory, ExecutiveFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def program(company):
    """Dana sponsors three accounts against a capacity of two; one account has graduated."""
    dana = company["cfo"]
    graduated = AccountFactory(name="Granite Insurance", industry="Banking")
    for n in (150, 20):
        HealthSnapshot.objects.create(account=graduated, taken_on=days_ago(n), score=88, band="green")
    Objective.objects.create(account=graduated, title="Cut month-end close to 3 days", status=ObjectiveStatus.ACHIEVED)
    accounts = [graduated]
    for n, name in enumerate(["Helios Manufacturing", "Iris University", "Juniper Public Services"]):
        account = AccountFactory(name=name, industry="Banking")
        accounts.append(account)
        SponsorshipFactory(account=account, executive=dana, started_on=days_ago(300 - 100 * n))
        EngagementFactory(account=account, occurred_at=timezone.now() - dt.timedelta(days=20))
    SponsorshipFactory(account=graduated, executive=dana, started_on=days_ago(400))
    dana.capacity_max = 3
    dana.save()
    spare = ExecutiveFactory(
        user__username="spare",
        user__first_name="Priya",
        user__last_name="Okafor",
        industries=["Banking"],
        capacity_min=0,
        capacity_max=5,
    )
    return {**company, "accounts": accounts, "spare": spare}


def test_it_proposes_removals_reassignments_and_additions_with_reasons(program):
    batch = rebalance_services.rebalance_propose(by=program["owner"])
    proposals = {(p.action, p.account.name): p for p in batch.proposals.select_related("account")}
    assert proposals[("remove", "Granite Insurance")].reason.startswith("graduated")
    assert ("add", "Blue Harbor Bank") in proposals
    assert Sponsorship.objects.filter(status=SponsorshipStatus.ENDED).count() == 0  # proposing changes nothing


def test_applying_a_batch_changes_sponsorships_and_reverting_restores_them(program):
    before = set(Sponsorship.objects.live().values_list("account_id", "executive_id"))
    batch = rebalance_services.rebalance_propose(by=program["owner"])
    rebalance_services.rebalance_apply(batch=batch, by=program["owner"])
    after = set(Sponsorship.objects.live().values_list("account_id", "executive_id"))
    assert after != before
    assert not Sponsorship.objects.live().filter(account__name="Granite Insurance").exists()
    assert RebalanceProposal.objects.filter(batch=batch, created_sponsorship__isnull=False).exists()
    rebalance_services.rebalance_revert(batch=batch, by=program["owner"])
    assert set(Sponsorship.objects.live().values_list("account_id", "executive_id")) == before


def test_an_applied_batch_cannot_be_applied_twice(program):
    from execsponsor.common.errors import InvalidInput

    batch = rebalance_services.rebalance_propose(by=program["owner"])
    rebalance_services.rebalance_apply(batch=batch, by=program["owner"])
    with pytest.raises(InvalidInput):
        rebalance_services.rebalance_apply(batch=batch, by=program["owner"])


def test_the_rebalance_pages_propose_apply_and_revert(program):
    from tests.conftest import client_for

    client = client_for(program["owner"])
    response = client.post("/program/rebalance/new/", follow=True)
    assert "graduated: health green for two quarters" in response.content.decode()
    from execsponsor.program.models import RebalanceBatch

    batch = RebalanceBatch.objects.get()
    ids = [str(p.pk) for p in batch.proposals.all()]
    applied = client.post(f"/program/rebalance/{batch.pk}/apply/", {"accept": ids[:1]}, follow=True)
    assert "Applied 1 changes as one batch" in applied.content.decode()
    assert batch.proposals.filter(accepted=True).count() == 1
    reverted = client.post(f"/program/rebalance/{batch.pk}/revert/", follow=True)
    assert "Reverted" in reverted.content.decode()


def test_sponsors_the_rebalance_creates_get_an_introducer_as_in_an_approved_run(program):
    program["spare"].reports_to = program["ceo"]
    program["spare"].save()
    batch = rebalance_services.rebalance_propose(by=program["owner"])
    rebalance_services.rebalance_apply(batch=batch, by=program["owner"])
    created = [p.created_sponsorship for p in batch.proposals.filter(created_sponsorship__isnull=False)]
    assert created
    for sponsorship in created:
        # Everyone in this company reports to the CEO, Maria: she introduces each new sponsor but herself.
        expected = None if sponsorship.executive == program["ceo"] else program["ceo"].user
        assert sponsorship.introducer == expected
        assert sponsorship.approved_by == program["owner"]
