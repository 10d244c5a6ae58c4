"""Two workers at the same moment: each digest is queued once and each message sent once (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from execsponsor.notify import composing, delivery
from execsponsor.notify.models import Notification
from tests.notify.people import busy_sponsor

pytestmark = pytest.mark.django_db(transaction=True)


def side_by_side(work, count: int = 2) -> list:
    start = threading.Barrier(count)
    results: list = []

    def run():
        try:
            start.wait()
            results.append(work())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers at once need PostgreSQL")
def test_two_workers_queue_and_send_each_digest_once(mailbox):
    people = [busy_sponsor(f"sponsor{n}", account_name=f"Account {n}") for n in range(6)]

    queued = side_by_side(composing.digests_queue)
    assert sum(result["queued"] for result in queued) == len(people)
    assert Notification.objects.count() == len(people)

    sent = side_by_side(delivery.notifications_deliver)
    assert sum(result["sent"] for result in sent) == len(people)
    mailbox.wait_for(len(people))
    assert sorted(message["To"] for message in mailbox.messages) == sorted(person.email for person in people)
