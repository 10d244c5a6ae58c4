"""List endpoints cost the same number of queries for 5 rows as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import client_for
from tests.factories import (
    AccountFactory,
    ContactFactory,
    EngagementFactory,
    ExecutiveFactory,
    SponsorshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Session, user, the page, the count where there is one, and one per prefetch: never one per row.
MAX_QUERIES = 8
# A token's first request of the minute records its last use: on SQLite the UPDATE in its savepoint, between
# reading, shortening and restoring the busy timeout, so a busy database never blocks the read: six statements.
TOKEN_LAST_USE_QUERIES = 6
LISTS = ["/api/v1/accounts", "/api/v1/contacts", "/api/v1/engagements", "/api/v1/sponsorships", "/api/v1/executives"]


def add_accounts(count: int, *, prefix: str, ae) -> None:
    """Accounts with an owner and a CSM, a contact, an engagement with participants, and a sponsor."""
    for i in range(count):
        account = AccountFactory(name=f"{prefix} {i:03}", owner=ae, csm=UserFactory(username=f"{prefix}.csm{i}"))
        contact = ContactFactory(account=account)
        engagement = EngagementFactory(account=account)
        engagement.contacts.add(contact)
        engagement.attendees.add(ae)
        executive = ExecutiveFactory(user__username=f"{prefix}.exec{i}")
        SponsorshipFactory(account=account, executive=executive).counterparts.add(contact)


def list_queries(client, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"limit": 100})
    assert response.status_code == 200
    return len(captured), len(response.json()["items"])


@pytest.mark.parametrize("path", LISTS)
def test_a_list_does_not_query_once_per_row(cast, path, django_assert_max_num_queries):
    client = client_for(cast.owner)
    add_accounts(5, prefix="few", ae=cast.ae)
    with django_assert_max_num_queries(MAX_QUERIES):
        few_queries, few_rows = list_queries(client, path)
    add_accounts(45, prefix="many", ae=cast.ae)
    with django_assert_max_num_queries(MAX_QUERIES):
        many_queries, many_rows = list_queries(client, path)
    assert many_rows >= few_rows + 45
    assert many_queries == few_queries


@pytest.mark.parametrize("path", ["/api/v1/accounts", "/api/v1/engagements"])
def test_a_token_client_also_lists_in_a_fixed_number_of_queries(cast, path, django_assert_max_num_queries):
    from tests.api.conftest import ApiClient

    add_accounts(50, prefix="acct", ae=cast.ae)
    api = ApiClient(cast.ae)
    with django_assert_max_num_queries(MAX_QUERIES + TOKEN_LAST_USE_QUERIES):
        response = api.get(path.removeprefix("/api/v1"), limit=100)
    assert len(response.json()["items"]) >= 50
