"""Each role's home at `/`, through the page as that role sees it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from execsponsor.program.models import SponsorshipStatus
from execsponsor.users.models import Role
from tests.conftest import client_for
from tests.factories import AccountFactory, EngagementFactory, ExecutiveFactory, SponsorshipFactory, UserFactory

pytestmark = pytest.mark.django_db


def main_of(response) -> str:
    """The page's main content, without the navigation bar."""
    content = response.content.decode()
    return content[content.index('<main id="main"') :]


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


# The program owner's and the admin's home


def test_the_program_owner_sees_what_the_program_covers(cast):
    main = main_of(client_for(cast.owner).get("/"))
    assert "The program at a glance" in main
    # Four accounts of $480K each; one of them (Blue Harbor Bank) has a live sponsor.
    assert "of 4 accounts" in main
    assert "$480K" in main
    assert "25% of $1.92M" in main


def test_the_program_owner_sees_shortlisted_accounts_without_a_sponsor(cast):
    main = main_of(client_for(cast.owner).get("/"))
    assert "3 shortlisted accounts without a sponsor" in main
    for name in ("Cobalt Health Systems", "Delta Retail Group", "Evergreen Energy"):
        assert name in main


def test_the_program_owner_sees_executives_over_capacity(cast):
    busy = ExecutiveFactory(user__first_name="Otto", user__last_name="Overbooked", capacity_min=1, capacity_max=1)
    SponsorshipFactory(account=cast.owned_account, executive=busy)
    SponsorshipFactory(account=cast.csm_account, executive=busy)
    main = main_of(client_for(cast.owner).get("/"))
    assert "1 executive over capacity" in main
    assert "Otto Overbooked" in main
    assert "2 accounts, at most 1" in main


def test_the_program_owner_sees_sponsorships_gone_quiet(cast):
    # Blue Harbor Bank's sponsorship has never had an engagement that counts; Cobalt's met 5 days ago.
    met = SponsorshipFactory(account=cast.owned_account, cadence_days=14)
    EngagementFactory(account=cast.owned_account, sponsorship=met, occurred_at=days_ago(5))
    main = main_of(client_for(cast.owner).get("/"))
    assert "1 sponsorship gone quiet" in main
    quiet = main[main.index("gone quiet</h3>") :]
    assert "Blue Harbor Bank" in quiet
    assert "never met" in quiet
    assert "Cobalt Health Systems" not in quiet


def test_a_sponsorship_past_its_cadence_is_quiet_with_its_silence_in_days(cast):
    late = SponsorshipFactory(account=cast.owned_account, cadence_days=14)
    EngagementFactory(account=cast.owned_account, sponsorship=late, occurred_at=days_ago(30))
    main = main_of(client_for(cast.owner).get("/"))
    assert "last counted 30 days ago, cadence 14" in main


def test_the_program_owner_has_the_actions_and_the_empty_sections(cast):
    main = main_of(client_for(cast.owner).get("/"))
    assert 'href="/program/"' in main
    assert 'href="/accounts/import/"' in main
    assert "My tasks" in main and "No tasks yet." in main
    assert "Alerts" in main and "No open alerts on your accounts" in main


def test_an_admin_lands_on_the_program_at_a_glance(cast):
    main = main_of(client_for(cast.admin).get("/"))
    assert "The program at a glance" in main
    assert 'href="/program/"' in main


# The viewer's home


def test_the_viewer_sees_the_program_at_a_glance(cast):
    main = main_of(client_for(cast.viewer).get("/"))
    assert "The program at a glance" in main
    assert "of 4 accounts" in main
    assert "3 shortlisted accounts without a sponsor" in main


def test_the_viewer_sees_no_action_buttons(cast):
    busy = ExecutiveFactory(capacity_min=1, capacity_max=1)
    SponsorshipFactory(account=cast.owned_account, executive=busy)
    SponsorshipFactory(account=cast.csm_account, executive=busy)
    main = main_of(client_for(cast.viewer).get("/"))
    assert "btn" not in main
    assert "/program/" not in main
    assert "/accounts/import/" not in main
    assert "Run matching" not in main


def test_the_viewer_has_no_program_link_in_the_navigation(cast):
    content = client_for(cast.viewer).get("/").content.decode()
    assert 'href="/program/"' not in content


# The executive sponsor's home


def test_a_sponsor_sees_their_accounts_and_not_the_others(cast):
    main = main_of(client_for(cast.sponsor).get("/"))
    assert "My accounts" in main
    assert "Blue Harbor Bank" in main
    for name in ("Cobalt Health Systems", "Delta Retail Group", "Evergreen Energy"):
        assert name not in main


def test_a_sponsor_logs_an_engagement_from_each_account_on_their_home(cast):
    second = AccountFactory(name="Fjord Shipping")
    SponsorshipFactory(account=second, executive=cast.sponsor.executive)
    client = client_for(cast.sponsor)
    main = main_of(client.get("/"))
    for account in (cast.sponsored_account, second):
        link = f'href="/accounts/{account.pk}/engagements/new/"'
        assert main.count(link) == 1
    assert client.get(f"/accounts/{second.pk}/engagements/new/").status_code == 200


def test_a_sponsor_who_never_met_is_asked_to_log_the_first_meeting(cast):
    main = main_of(client_for(cast.sponsor).get("/"))
    assert "Log your first meeting" in main


def test_an_engagement_that_does_not_count_is_not_a_first_meeting(cast):
    sponsorship = cast.sponsored_account.sponsorships.get()
    EngagementFactory(
        account=cast.sponsored_account,
        sponsorship=sponsorship,
        discussed_strategy=False,
        next_step_agreed=False,
        occurred_at=days_ago(3),
    )
    main = main_of(client_for(cast.sponsor).get("/"))
    assert "Log your first meeting" in main


def test_a_sponsor_sees_when_the_next_meeting_is_due(cast):
    sponsorship = cast.sponsored_account.sponsorships.get()
    sponsorship.cadence_days = 14
    sponsorship.save()
    EngagementFactory(account=cast.sponsored_account, sponsorship=sponsorship, occurred_at=days_ago(10))
    main = main_of(client_for(cast.sponsor).get("/"))
    assert "Meet within 4 days" in main
    assert "Log your first meeting" not in main


def test_a_sponsor_past_the_cadence_is_told_to_meet_now(cast):
    sponsorship = cast.sponsored_account.sponsorships.get()
    sponsorship.cadence_days = 14
    sponsorship.save()
    EngagementFactory(account=cast.sponsored_account, sponsorship=sponsorship, occurred_at=days_ago(20))
    main = main_of(client_for(cast.sponsor).get("/"))
    assert "Meet now: 6 days past your 14-day cadence" in main


def test_a_sponsor_approved_but_not_introduced_is_told_who_introduces_them(cast):
    sponsorship = cast.sponsored_account.sponsorships.get()
    sponsorship.status = SponsorshipStatus.APPROVED
    sponsorship.introducer = UserFactory(first_name="Irene", last_name="Introducer", role=Role.ACCOUNT_EXECUTIVE)
    sponsorship.save()
    main = main_of(client_for(cast.sponsor).get("/"))
    assert "Ask Irene Introducer for the introduction" in main


def test_a_sponsor_without_accounts_is_told_what_will_appear(db):
    newcomer = ExecutiveFactory()
    main = main_of(client_for(newcomer.user).get("/"))
    assert "You do not sponsor any account yet" in main


# The AE's and the CSM's home


def test_an_account_executive_sees_their_accounts_and_their_sponsors(cast):
    priya = ExecutiveFactory(user__first_name="Priya", user__last_name="Raman")
    SponsorshipFactory(account=cast.owned_account, executive=priya)
    main = main_of(client_for(cast.ae).get("/"))
    assert "Cobalt Health Systems" in main
    sponsors = main[main.index("Their sponsors") :]
    assert "Priya Raman" in sponsors
    for name in ("Blue Harbor Bank", "Delta Retail Group", "Evergreen Energy"):
        assert name not in main


def test_a_csm_sees_the_accounts_they_look_after(cast):
    main = main_of(client_for(cast.csm).get("/"))
    assert "Delta Retail Group" in main
    assert "None of your accounts has an executive sponsor yet." in main
    for name in ("Blue Harbor Bank", "Cobalt Health Systems", "Evergreen Energy"):
        assert name not in main


def test_an_account_team_home_has_no_program_actions(cast):
    main = main_of(client_for(cast.ae).get("/"))
    assert "/program/" not in main
    assert "/accounts/import/" not in main


# Queries do not grow with the number of rows


def _program_with(accounts: int) -> None:
    for number in range(accounts):
        account = AccountFactory(name=f"Account {number:03}", arr=Decimal("100000"))
        sponsorship = SponsorshipFactory(account=account, executive=ExecutiveFactory(capacity_min=1, capacity_max=1))
        EngagementFactory(account=account, sponsorship=sponsorship, occurred_at=days_ago(40))


def _queries_for(user) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_program_home_reads_as_many_queries_for_20_accounts_as_for_2(db):
    owner = UserFactory(role=Role.PROGRAM_OWNER)
    _program_with(2)
    few = _queries_for(owner)
    _program_with(18)
    assert _queries_for(owner) == few


def test_the_sponsor_home_reads_as_many_queries_for_20_accounts_as_for_2(db):
    sponsor = ExecutiveFactory(capacity_max=25)
    for number in range(20):
        account = AccountFactory(name=f"Account {number:03}", owner=UserFactory(role=Role.ACCOUNT_EXECUTIVE))
        sponsorship = SponsorshipFactory(account=account, executive=sponsor)
        EngagementFactory(account=account, sponsorship=sponsorship, occurred_at=days_ago(3))
        if number == 1:
            few = _queries_for(sponsor.user)
    assert _queries_for(sponsor.user) == few


def test_the_account_team_home_reads_as_many_queries_for_20_accounts_as_for_2(db):
    ae = UserFactory(role=Role.ACCOUNT_EXECUTIVE)
    for number in range(20):
        account = AccountFactory(name=f"Account {number:03}", owner=ae, csm=UserFactory(role=Role.CSM))
        SponsorshipFactory(account=account)
        EngagementFactory(account=account, occurred_at=days_ago(3))
        if number == 1:
            few = _queries_for(ae)
    assert _queries_for(ae) == few


def test_every_home_lists_the_open_alerts_on_the_accounts_its_user_sees_and_no_others(cast):
    from execsponsor.signals.models import Alert, AlertStatus, AlertType

    Alert.objects.create(type=AlertType.RISK, account=cast.sponsored_account, reason="Blue Harbor CFO has left")
    Alert.objects.create(type=AlertType.RISK, account=cast.other_account, reason="Evergreen champion bounced")
    Alert.objects.create(
        type=AlertType.RISK, account=cast.sponsored_account, reason="An old worry", status=AlertStatus.RESOLVED
    )
    owner = main_of(client_for(cast.owner).get("/"))
    assert "Blue Harbor CFO has left" in owner and "Evergreen champion bounced" in owner
    sponsor = main_of(client_for(cast.sponsor).get("/"))
    assert "Blue Harbor CFO has left" in sponsor and "Evergreen champion bounced" not in sponsor
    outsider = main_of(client_for(cast.outsider_ae).get("/"))
    assert "Evergreen champion bounced" in outsider and "Blue Harbor CFO has left" not in outsider
    for home in (owner, sponsor, outsider):
        assert "An old worry" not in home  # resolved


def test_a_home_without_alerts_says_what_would_raise_one(cast):
    assert "No open alerts on your accounts" in main_of(client_for(cast.csm).get("/"))
