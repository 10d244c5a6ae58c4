import pytest

from execsponsor.access.visibility import editable_accounts, visible_accounts
from execsponsor.program.models import SponsorshipStatus

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(a.name for a in qs)


def test_program_owner_admin_and_viewer_see_every_account(cast):
    everything = ["Blue Harbor Bank", "Cobalt Health Systems", "Delta Retail Group", "Evergreen Energy"]
    for user in (cast.owner, cast.admin, cast.viewer):
        assert names(visible_accounts(user)) == everything


def test_sponsor_sees_only_the_accounts_they_sponsor(cast):
    assert names(visible_accounts(cast.sponsor)) == ["Blue Harbor Bank"]


def test_sponsor_loses_sight_of_an_ended_sponsorship(cast):
    cast.sponsored_account.sponsorships.update(status=SponsorshipStatus.ENDED)
    assert names(visible_accounts(cast.sponsor)) == []


def test_ae_sees_owned_accounts_and_csm_sees_theirs(cast):
    assert names(visible_accounts(cast.ae)) == ["Cobalt Health Systems"]
    assert names(visible_accounts(cast.csm)) == ["Delta Retail Group"]


def test_viewer_changes_nothing(cast):
    assert names(editable_accounts(cast.viewer)) == []
    assert names(editable_accounts(cast.ae)) == ["Cobalt Health Systems"]


def test_inactive_user_sees_nothing(cast):
    cast.owner.is_active = False
    cast.owner.save()
    assert names(visible_accounts(cast.owner)) == []
