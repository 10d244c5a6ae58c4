"""Health replayed as of a past day counts the people who were still there on that day."""

import datetime as dt

import pytest
from django.utils import timezone

from execsponsor.customers.models import ContactStatus
from execsponsor.engagements.models import Engagement, EngagementContact
from execsponsor.insights.health import account_measures
from tests.factories import AccountFactory, ContactFactory

TODAY = dt.date(2026, 11, 15)
LEFT_ON = TODAY - dt.timedelta(days=10)
PAST_DAY = TODAY - dt.timedelta(days=30)
pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    """Three VPs (all power users), each met once, two-way, five days before the past day; one left since."""
    account = AccountFactory(name="Kestrel Freight")
    when = timezone.make_aware(dt.datetime.combine(PAST_DAY - dt.timedelta(days=5), dt.time(10)))
    for k in range(3):
        contact = ContactFactory(account=account, seniority="vp", persona="power_user")
        meeting = Engagement.objects.create(account=account, subject=f"Review {k}", kind="meeting", occurred_at=when)
        EngagementContact.objects.create(engagement=meeting, contact=contact)
    contact.status, contact.status_changed_on = ContactStatus.LEFT, LEFT_ON
    contact.save()
    return account


def test_a_contact_who_left_later_still_counts_on_the_day_replayed(account):
    # Three equal threads: 50 for reaching the minimum of 3, 25 × 1/4 personas, 25 for an even spread (each a third).
    then = account_measures([account.pk], today=PAST_DAY)[account.pk]
    assert then["relationship_breadth"] == pytest.approx(50 + 25 / 4 + 25, abs=0.1)


def test_a_contact_who_has_left_no_longer_counts(account):
    # Two equal threads: 50 × 2/3, 25 × 1/4 personas, 25 × min(1, 2 × (1 − 1/2)).
    now = account_measures([account.pk], today=TODAY)[account.pk]
    assert now["relationship_breadth"] == pytest.approx(50 * 2 / 3 + 25 / 4 + 25, abs=0.1)


def test_a_contact_who_left_on_an_unknown_day_never_counts(account):
    account.contacts.filter(status=ContactStatus.LEFT).update(status_changed_on=None)
    then = account_measures([account.pk], today=PAST_DAY)[account.pk]
    assert then["relationship_breadth"] == pytest.approx(50 * 2 / 3 + 25 / 4 + 25, abs=0.1)
