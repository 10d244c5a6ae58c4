"""Who sees and changes which account, by page URL and by API, including ids guessed for children (IDOR).

The expectations come from the explicit tables below, not from `visible_accounts`, so that a wrong rule fails here.
A record of an account the user may not see is 404 (its id must not leak); one they see but may not change is 403.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from execsponsor.customers.models import Account, Contact
from execsponsor.engagements.models import Engagement
from execsponsor.program.models import Sponsorship
from tests.api.conftest import ApiClient
from tests.conftest import client_for
from tests.factories import ContactFactory, EngagementFactory, ExecutiveFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db

ROLES = ["admin", "owner", "viewer", "sponsor", "ae", "csm", "outsider_ae"]
ACCOUNTS = ["sponsored_account", "owned_account", "csm_account", "other_account"]
EVERY = frozenset(ACCOUNTS)
NONE: frozenset[str] = frozenset()

SEES = {
    "admin": EVERY,
    "owner": EVERY,
    "viewer": EVERY,
    "sponsor": {"sponsored_account"},
    "ae": {"owned_account"},
    "csm": {"csm_account"},
    "outsider_ae": {"other_account"},
}
# Account details and contacts.
EDITS_RECORDS = {
    "admin": EVERY,
    "owner": EVERY,
    "viewer": NONE,
    "sponsor": NONE,
    "ae": {"owned_account"},
    "csm": {"csm_account"},
    "outsider_ae": {"other_account"},
}
LOGS_ENGAGEMENTS = {**EDITS_RECORDS, "sponsor": {"sponsored_account"}}
# The sponsorship charter: the program owner and admin, the sponsor, and the account's AE and CSM (issue 9, item 4).
EDITS_CHARTER = dict.fromkeys(ROLES, NONE) | {
    "admin": EVERY,
    "owner": EVERY,
    "sponsor": {"sponsored_account"},
    "ae": {"owned_account"},
    "csm": {"csm_account"},
    "outsider_ae": {"other_account"},
}

PAIRS = [(role, account) for role in ROLES for account in ACCOUNTS]
WHEN = "2026-10-06T15:00:00+00:00"


def expected(role: str, account: str, may: dict, *, success: int = 200) -> int:
    if account not in SEES[role]:
        return 404
    return success if account in may[role] else 403


@dataclass
class Records:
    """One contact, engagement and sponsorship on each account of the cast."""

    account: Account
    contact: Contact
    engagement: Engagement
    sponsorship: Sponsorship


@pytest.fixture
def world(cast) -> dict[str, Records]:
    # Another sponsor on the other accounts, so that every account has a sponsorship to guess the id of.
    nora = ExecutiveFactory(user__username="nora.sponsor")
    records = {}
    for name in ACCOUNTS:
        account = getattr(cast, name)
        sponsorship = account.sponsorships.first() or SponsorshipFactory(account=account, executive=nora)
        contact = ContactFactory(account=account, last_name=f"Contact of {account.name}")
        engagement = EngagementFactory(account=account, subject=f"Meeting at {account.name}", sponsorship=sponsorship)
        records[name] = Records(account, contact, engagement, sponsorship)
    return records


@pytest.mark.parametrize(("role", "account"), PAIRS)
def test_the_account_page(cast, world, role, account):
    response = client_for(cast.user(role)).get(f"/accounts/{world[account].account.pk}/")
    assert response.status_code == expected(role, account, SEES)


@pytest.mark.parametrize(("role", "account"), PAIRS)
def test_reading_the_account_and_its_records_by_id(cast, world, role, account):
    api, records = ApiClient(cast.user(role)), world[account]
    want = expected(role, account, SEES)
    assert api.get(f"/accounts/{records.account.pk}").status_code == want
    assert api.get(f"/contacts/{records.contact.pk}").status_code == want
    assert api.get(f"/engagements/{records.engagement.pk}").status_code == want
    assert api.get(f"/sponsorships/{records.sponsorship.pk}").status_code == want


@pytest.mark.parametrize(("role", "account"), PAIRS)
def test_changing_the_account(cast, world, role, account):
    records = world[account]
    response = ApiClient(cast.user(role)).patch(f"/accounts/{records.account.pk}", {"pain_points": "Changed"})
    assert response.status_code == expected(role, account, EDITS_RECORDS)
    assert "message" in response.json() or response.status_code == 200
    changed = Account.objects.get(pk=records.account.pk).pain_points == "Changed"
    assert changed == (response.status_code == 200)


@pytest.mark.parametrize(("role", "account"), PAIRS)
def test_changing_a_contact_by_its_id(cast, world, role, account):
    records = world[account]
    response = ApiClient(cast.user(role)).patch(f"/contacts/{records.contact.pk}", {"title": "Changed"})
    assert response.status_code == expected(role, account, EDITS_RECORDS)
    assert (Contact.objects.get(pk=records.contact.pk).title == "Changed") == (response.status_code == 200)


@pytest.mark.parametrize(("role", "account"), PAIRS)
def test_adding_a_contact(cast, world, role, account):
    response = ApiClient(cast.user(role)).post(
        "/contacts", {"account_id": world[account].account.pk, "last_name": "Newcomer"}
    )
    assert response.status_code == expected(role, account, EDITS_RECORDS, success=201)
    assert Contact.objects.filter(last_name="Newcomer").exists() == (response.status_code == 201)


@pytest.mark.parametrize(("role", "account"), PAIRS)
def test_logging_an_engagement(cast, world, role, account):
    response = ApiClient(cast.user(role)).post(
        "/engagements",
        {"account_id": world[account].account.pk, "subject": "Logged in the matrix", "occurred_at": WHEN},
    )
    assert response.status_code == expected(role, account, LOGS_ENGAGEMENTS, success=201)
    assert Engagement.objects.filter(subject="Logged in the matrix").exists() == (response.status_code == 201)


@pytest.mark.parametrize(("role", "account"), PAIRS)
def test_changing_an_engagement_by_its_id(cast, world, role, account):
    records = world[account]
    response = ApiClient(cast.user(role)).patch(f"/engagements/{records.engagement.pk}", {"outcome": "Changed"})
    assert response.status_code == expected(role, account, LOGS_ENGAGEMENTS)
    assert (Engagement.objects.get(pk=records.engagement.pk).outcome == "Changed") == (response.status_code == 200)


@pytest.mark.parametrize(("role", "account"), PAIRS)
def test_editing_a_sponsorship_charter(cast, world, role, account):
    records = world[account]
    response = ApiClient(cast.user(role)).patch(
        f"/sponsorships/{records.sponsorship.pk}",
        {"charter_objectives": "Changed", "expected_version": records.sponsorship.version},
    )
    assert response.status_code == expected(role, account, EDITS_CHARTER)
    changed = Sponsorship.objects.get(pk=records.sponsorship.pk).charter_objectives == "Changed"
    assert changed == (response.status_code == 200)


@pytest.mark.parametrize(("role", "account"), [(r, a) for r, a in PAIRS if a in LOGS_ENGAGEMENTS[r]])
def test_naming_a_contact_of_another_account_as_a_participant(cast, world, role, account):
    """Even where a user may log, a contact id from another account is refused and nothing is written."""
    elsewhere = next(name for name in ACCOUNTS if name != account)
    response = ApiClient(cast.user(role)).post(
        "/engagements",
        {
            "account_id": world[account].account.pk,
            "subject": "Cross-account participant",
            "occurred_at": WHEN,
            "contact_ids": [world[elsewhere].contact.pk],
        },
    )
    assert response.status_code == 422
    assert not Engagement.objects.filter(subject="Cross-account participant").exists()


LISTS = {
    "/accounts": lambda item: item["id"],
    "/contacts": lambda item: item["account_id"],
    "/engagements": lambda item: item["account_id"],
    "/sponsorships": lambda item: item["account_id"],
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", list(LISTS))
def test_lists_hold_only_rows_of_visible_accounts(cast, world, role, path):
    body = ApiClient(cast.user(role)).get(path, limit=200).json()
    account_ids = {LISTS[path](item) for item in body["items"]}
    assert account_ids == {world[name].account.pk for name in SEES[role]}


@pytest.mark.parametrize("role", ROLES)
def test_the_accounts_page_lists_only_visible_accounts(cast, world, role):
    content = client_for(cast.user(role)).get("/accounts/").content.decode()
    for name in ACCOUNTS:
        assert (world[name].account.name in content) == (name in SEES[role]), name


@pytest.mark.parametrize("role", ROLES)
def test_a_crm_id_lookup_finds_only_visible_accounts(cast, world, role):
    for index, name in enumerate(ACCOUNTS):
        Account.objects.filter(pk=world[name].account.pk).update(source="salesforce", external_id=f"001X{index}")
    api = ApiClient(cast.user(role))
    found = {
        name
        for index, name in enumerate(ACCOUNTS)
        if api.get("/accounts", external_id=f"001X{index}", source="salesforce").json()["items"]
    }
    assert found == set(SEES[role])
