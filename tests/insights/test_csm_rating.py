"""The CSM's rating: who may set it, how it is validated, and how it counts in health (green 90, yellow 60,
red 25 — docs/health.md — and only while it is at most 180 days old)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from execsponsor.insights.csm_ratings import latest_ratings
from execsponsor.insights.health import account_measures
from execsponsor.insights.models import CsmRating, HealthSnapshot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/accounts/{}/csm-rating/"


def post(client, account, **data):
    return client.post(URL.format(account.pk), data, HTTP_HX_REQUEST="true")


def test_the_account_s_csm_rates_it_and_health_counts_it_at_once(cast, client):
    client.force_login(cast.csm)
    response = post(client, cast.csm_account, rating="red", note="Champion quiet since the reorg")
    assert response.status_code == 200
    assert "Saved; health recomputed." in response.content.decode()
    rating = CsmRating.objects.get()
    assert (rating.rating, rating.rated_by, rating.rated_on) == ("red", cast.csm, timezone.localdate())
    snapshot = HealthSnapshot.objects.get(account=cast.csm_account, taken_on=timezone.localdate())
    # The only measure with data: the score is that measure's value, red = 25.
    assert snapshot.measures["csm_rating"] == 25.0 and snapshot.score == 25 and snapshot.band == "red"
    cast.csm_account.refresh_from_db()
    assert cast.csm_account.health_score == 25


@pytest.mark.parametrize(("value", "score"), [("green", 90.0), ("yellow", 60.0), ("red", 25.0)])
def test_each_rating_maps_to_its_documented_score(cast, value, score):
    CsmRating.objects.create(account=cast.csm_account, rating=value, rated_by=cast.csm)
    measures = account_measures([cast.csm_account.pk], today=timezone.localdate())
    assert measures[cast.csm_account.pk]["csm_rating"] == score


def test_a_rating_older_than_180_days_is_left_out_and_the_newest_counts(cast):
    today = timezone.localdate()
    account = cast.csm_account
    CsmRating.objects.create(account=account, rating="green", rated_on=today - dt.timedelta(days=181))
    assert account_measures([account.pk], today=today)[account.pk]["csm_rating"] is None
    CsmRating.objects.create(account=account, rating="yellow", rated_on=today - dt.timedelta(days=180))
    assert account_measures([account.pk], today=today)[account.pk]["csm_rating"] == 60.0
    # As of a day before the yellow call, only the (then fresh) green one existed.
    earlier = today - dt.timedelta(days=181)
    assert latest_ratings([account.pk], today=earlier) == {account.pk: ("green", 0)}


@pytest.mark.parametrize("name", ["owner", "admin"])
def test_the_program_owner_and_admins_may_rate_any_account(cast, client, name):
    client.force_login(cast.user(name))
    assert post(client, cast.other_account, rating="green").status_code == 200


@pytest.mark.parametrize("name", ["ae", "viewer", "sponsor"])
def test_others_who_see_the_account_read_the_rating_but_may_not_set_it(cast, client, name):
    account = {"ae": cast.owned_account, "viewer": cast.csm_account, "sponsor": cast.sponsored_account}[name]
    CsmRating.objects.create(account=account, rating="yellow", note="Budget review pending", rated_by=cast.owner)
    client.force_login(cast.user(name))
    card = client.get(URL.format(account.pk), HTTP_HX_REQUEST="true").content.decode()
    assert "Budget review pending" in card and "Rate this account" not in card
    assert post(client, account, rating="red").status_code == 403
    assert CsmRating.objects.count() == 1


def test_a_csm_of_another_account_may_not_rate_this_one(cast, client):
    other_csm = UserFactory(username="cora.csm", role="csm")
    cast.other_account.csm = other_csm
    cast.other_account.save()
    client.force_login(cast.csm)
    assert client.get(URL.format(cast.other_account.pk)).status_code == 404  # not theirs to see
    client.force_login(other_csm)
    assert post(client, cast.csm_account, rating="red").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rating": "purple"}, "green, yellow or red"),
        ({"rating": ""}, "green, yellow or red"),
        ({"rating": "red", "rated_on": "2999-01-01"}, "in the future"),
        ({"rating": "red", "rated_on": "23/11/2026"}, "A date looks like"),
        ({"rating": "red", "rated_on": "2020-01-01"}, "more than a year old"),
        ({"rating": "red", "note": "x" * 501}, "under 500 characters"),
    ],
)
def test_bad_input_is_a_422_with_the_reason_and_nothing_is_kept(cast, client, data, message):
    client.force_login(cast.csm)
    response = post(client, cast.csm_account, **data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not CsmRating.objects.exists()


def test_without_javascript_it_is_a_page_of_its_own(cast, client):
    client.force_login(cast.csm)
    page = client.get(URL.format(cast.csm_account.pk))
    assert page.status_code == 200 and "<html" in page.content.decode() and "Rate this account" in page.content.decode()
