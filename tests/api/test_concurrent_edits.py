"""Two people save the same account at the same moment from the same version: one wins, the other hears so."""

import threading

import pytest
from django.db import connection, connections

from execsponsor.customers.models import Account
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks need PostgreSQL")
def test_simultaneous_updates_from_the_same_version_let_exactly_one_through(cast):
    clients = [ApiClient(cast.ae), ApiClient(cast.owner)]
    version = clients[0].get(f"/accounts/{cast.owned_account.pk}").json()["updated_at"]
    start = threading.Barrier(len(clients))
    statuses = []

    def save(client, text):
        try:
            start.wait()
            response = client.patch(
                f"/accounts/{cast.owned_account.pk}", {"pain_points": text, "expected_updated_at": version}
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(c, f"Edit {i}")) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    assert Account.objects.get(pk=cast.owned_account.pk).pain_points in {"Edit 0", "Edit 1"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks need PostgreSQL")
def test_simultaneous_sponsorship_updates_from_the_same_version_let_exactly_one_through(cast):
    from execsponsor.program.models import Sponsorship

    sponsorship = cast.sponsored_account.sponsorships.get()
    clients = [ApiClient(cast.owner), ApiClient(cast.admin)]
    version = clients[0].get(f"/sponsorships/{sponsorship.pk}").json()["version"]
    start = threading.Barrier(len(clients))
    statuses = []

    def save(client, days):
        try:
            start.wait()
            response = client.patch(
                f"/sponsorships/{sponsorship.pk}", {"cadence_days": days, "expected_version": version}
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(c, 20 + i)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    stored = Sponsorship.objects.get(pk=sponsorship.pk)
    assert stored.cadence_days in {20, 21} and stored.version == version + 1
