"""The relationship map: strengths that explain themselves, threads, and what if a contact leaves."""

import datetime as dt

import pytest
from django.utils import timezone

from execsponsor.engagements.models import Engagement, EngagementAttendee, EngagementContact
from tests.factories import ContactFactory, UserFactory


def meet(account, contact, user, days_ago, kind="meeting"):
    when = timezone.now() - dt.timedelta(days=days_ago)
    engagement = Engagement.objects.create(account=account, subject="Review", kind=kind, occurred_at=when)
    EngagementContact.objects.create(engagement=engagement, contact=contact)
    EngagementAttendee.objects.create(engagement=engagement, user=user)


@pytest.fixture
def mapped(cast):
    account = cast.owned_account
    rep = UserFactory(username="rita.rep", first_name="Rita", last_name="Rep")
    ceo = ContactFactory(account=account, first_name="Ana", last_name="Alves", seniority="c_level", persona="ceo_coo")
    vp = ContactFactory(
        account=account, first_name="Ben", last_name="Brook", seniority="vp", persona="functional_vp", reports_to=ceo
    )
    ContactFactory(account=account, first_name="Cy", last_name="Cole", seniority="manager", reports_to=vp)
    for days in (3, 17, 31, 45):
        meet(account, ceo, rep, days)
    for days in (5, 40):
        meet(account, vp, rep, days)
    return account, ceo, vp


def test_the_map_lists_people_strongest_first_with_who_knows_them(client, cast, mapped):
    account, ceo, vp = mapped
    client.force_login(cast.ae)
    page = client.get(f"/accounts/{account.pk}/relationships/").content.decode()
    assert page.index("Ana Alves") < page.index("Ben Brook") < page.index("Cy Cole")
    assert "Known by Rita Rep (4)" in page
    assert 'id="org-data"' in page


def test_two_threads_are_single_threaded_and_say_why(client, cast, mapped):
    account, _, _ = mapped
    client.force_login(cast.ae)
    page = client.get(f"/accounts/{account.pk}/relationships/").content.decode()
    assert 'id="single-thread"' in page
    assert "2 threads where the program asks for at least 3" in page


def test_what_if_the_ceo_leaves(client, cast, mapped):
    account, ceo, _ = mapped
    client.force_login(cast.ae)
    page = client.get(f"/accounts/{account.pk}/relationships/?without={ceo.pk}").content.decode()
    assert "What if Ana Alves leaves?" in page
    assert "Threads: 2 → <strong>1</strong>" in page


def test_someone_who_may_not_see_the_account_gets_404(client, cast, mapped):
    account, _, _ = mapped
    client.force_login(cast.outsider_ae)
    assert client.get(f"/accounts/{account.pk}/relationships/").status_code == 404


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999", ""])
def test_a_bad_without_is_ignored(client, cast, mapped, value):
    account, _, _ = mapped
    client.force_login(cast.ae)
    response = client.get(f"/accounts/{account.pk}/relationships/?without={value}")
    assert response.status_code == 200
    assert "What if" not in response.content.decode().split("People, strongest")[0]


def test_an_account_without_contacts_says_what_to_do(client, cast):
    client.force_login(cast.owner)
    page = client.get(f"/accounts/{cast.other_account.pk}/relationships/").content.decode()
    assert "No contacts at" in page
