"""Two people move the same sponsorship at the same moment from the same version: one wins, the other hears so."""

import threading

import pytest
from django.db import connection, connections

from execsponsor.program.models import Sponsorship, SponsorshipStatus
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks need PostgreSQL")
def test_simultaneous_steps_from_the_same_version_let_exactly_one_through(cast):
    sponsorship = cast.sponsored_account.sponsorships.get()  # active
    version = sponsorship.version
    bodies = [
        (ApiClient(cast.owner), {"step": "end", "reason": "Customer acquired", "expected_version": version}),
        (ApiClient(cast.admin), {"step": "pause", "reason": "Sabbatical", "expected_version": version}),
    ]
    start = threading.Barrier(len(bodies))
    statuses = []

    def move(client, body):
        try:
            start.wait()
            statuses.append(client.post(f"/sponsorships/{sponsorship.pk}/transition", body).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=move, args=pair) for pair in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    stored = Sponsorship.objects.get(pk=sponsorship.pk)
    assert stored.status in {SponsorshipStatus.ENDED, SponsorshipStatus.PAUSED}
    assert stored.version == version + 1
    assert stored.history.filter(history_type="~").count() == 1
