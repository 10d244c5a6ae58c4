"""A sponsorship with its whole account team, for the charter, alignment and lifecycle tests."""

from __future__ import annotations

import pytest

from execsponsor.program.models import Sponsorship, SponsorshipStatus


@pytest.fixture
def team_sponsorship(cast) -> Sponsorship:
    """Blue Harbor Bank: AE Alex, CSM Casey, sponsor Sam; approved, not introduced yet."""
    account = cast.sponsored_account
    account.owner, account.csm = cast.ae, cast.csm
    account.account_strategy = "Expand from payments into treasury"
    account.save()
    sponsorship = account.sponsorships.get()
    Sponsorship.objects.filter(pk=sponsorship.pk).update(status=SponsorshipStatus.APPROVED)
    return Sponsorship.objects.select_related("account", "executive__user").get(pk=sponsorship.pk)
