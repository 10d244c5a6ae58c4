"""The going-cold page and the cadence badge, through the client."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import AccountFactory, EngagementFactory, ExecutiveFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db


def late_sponsorship(name, *, days_ago, owner=None, arr=500_000):
    s = SponsorshipFactory(
        account=AccountFactory(name=name, owner=owner, arr=arr),
        executive=ExecutiveFactory(),
        approved_at=timezone.now() - dt.timedelta(days=200),
    )
    EngagementFactory(account=s.account, sponsorship=s, occurred_at=timezone.now() - dt.timedelta(days=days_ago))
    return s


def test_the_program_owner_sees_overdue_first_with_days_late(cast):
    late_sponsorship("Quiet Bank", days_ago=30)
    late_sponsorship("Nearly Due Ltd", days_ago=12)
    late_sponsorship("Fine Corp", days_ago=3)
    text = client_for(cast.owner).get("/engagements/going-cold/").content.decode()
    assert text.index("Quiet Bank") < text.index("Nearly Due Ltd")
    assert "Cadence overdue · 16 days late" in text
    assert "Cadence at risk · day 12" in text
    assert "Fine Corp" not in text


def test_an_account_executive_sees_only_their_accounts(cast):
    late_sponsorship("Mine Inc", days_ago=30, owner=cast.ae)
    late_sponsorship("Theirs Inc", days_ago=30)
    text = client_for(cast.ae).get("/engagements/going-cold/").content.decode()
    assert "Mine Inc" in text
    assert "Theirs Inc" not in text
    assert "Theirs Inc" in client_for(cast.viewer).get("/engagements/going-cold/").content.decode()


def test_the_empty_state_says_what_to_do(cast):
    response = client_for(cast.owner).get("/engagements/going-cold/")
    assert response.status_code == 200
    assert "Nothing is going cold" in response.content.decode()
    assert "Log an engagement" in response.content.decode()


def test_pages_of_25_and_a_bad_page_number_is_not_an_error(cast):
    for n in range(27):
        late_sponsorship(f"Late {n:02}", days_ago=20, arr=1_000 * (n + 1))
    client = client_for(cast.owner)
    first = client.get("/engagements/going-cold/").content.decode()
    assert "Late 26" in first  # the largest ARR first among equally late
    assert "Late 00" not in first
    assert "Late 00" in client.get("/engagements/going-cold/?page=2").content.decode()
    assert client.get("/engagements/going-cold/?page=banana").status_code == 200


def test_the_cadence_badge_tag(cast):
    s = late_sponsorship("Quiet Bank", days_ago=20)
    html = Template("{% load cadence_tags %}{% cadence_badge s %}").render(Context({"s": s}))
    assert "Cadence overdue · 6 days late" in html


@pytest.mark.parametrize(
    ("who", "may"), [("sponsor", True), ("owner", True), ("viewer", False), ("outsider_ae", False)]
)
def test_who_sees_the_log_button(cast, who, may):
    html = Template("{% load cadence_tags %}{% if u|may_log_engagements:a %}yes{% else %}no{% endif %}").render(
        Context({"u": cast.user(who), "a": cast.sponsored_account})
    )
    assert html == ("yes" if may else "no")


def test_the_api_lists_what_is_going_cold(cast):
    from tests.api.conftest import ApiClient

    s = late_sponsorship("Quiet Bank", days_ago=20)
    body = ApiClient(cast.viewer).get("/engagements/going-cold").json()
    assert body["count"] == 1
    [row] = body["items"]
    assert (row["account_name"], row["state"], row["days_since"], row["days_overdue"]) == (
        "Quiet Bank",
        "overdue",
        20,
        6,
    )
    assert row["sponsorship_id"] == s.pk
    assert ApiClient(cast.outsider_ae).get("/engagements/going-cold").json()["items"] == []
