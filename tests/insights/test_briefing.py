"""The briefing pack: the page and the one-page PDF, what they hold, and that a sponsor sees only what they may."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from execsponsor.customers.services_outcomes import advocacy_activity_record, advocate_create, outcome_create
from execsponsor.engagements.models import Commitment
from execsponsor.program.models import AlignmentChecklist
from tests.conftest import client_for
from tests.factories import ContactFactory, EngagementFactory, HealthSnapshotFactory, OpportunityFactory
from tests.pdf_support import page_png, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

NAMES = ("山田 太郎", "Søren Ærø Jørgensen", "João Conceição")
SCREENSHOT_DIR = Path("/tmp/outcomes")


def pack_url(account, pdf=False):
    return reverse("insights:briefing_pdf" if pdf else "insights:briefing", args=[account.pk])


@pytest.fixture
def full_pack(cast):
    """Blue Harbor Bank (Banking, Enterprise), sponsored by Sam, with as much as one page holds; Evergreen Energy
    (also Banking, Enterprise; not Sam's) has a delivered success story naming itself and its COO."""
    account = cast.sponsored_account
    account.account_strategy = "Expand from payments into treasury; land the CFO as our executive sponsor's peer."
    account.customer_goals = "Cut the cost to serve by 15% and open two new markets by 2027."
    account.save()
    sponsorship = account.sponsorships.get()
    AlignmentChecklist.objects.create(sponsorship=sponsorship, ae_promises="A treasury pilot at no cost until March.")
    today = timezone.localdate()
    for weeks, score in ((12, 70), (8, 66), (4, 61), (0, 58)):
        HealthSnapshotFactory(
            account=account,
            taken_on=today - dt.timedelta(weeks=weeks),
            score=score,
            band="yellow",
            measures={"cadence": 40, "satisfaction": 72},
            drivers=["Cadence fell 12 points: no meeting that counts for 41 days"],
        )
    account.health_score, account.health_band = 58, "yellow"
    account.save()
    people = [("太郎", "山田", "c_level"), ("Søren Ærø", "Jørgensen", "c_level"), ("João", "Conceição", "vp")]
    people += [(f"Person{i}", f"Contact{i}", "director") for i in range(8)]
    contacts = [
        ContactFactory(account=account, first_name=first, last_name=last, seniority=seniority, support="supporter")
        for first, last, seniority in people
    ]
    contacts[0].first_name, contacts[0].last_name = "", "山田 太郎"
    contacts[0].save()
    meeting = EngagementFactory(account=account, sponsorship=sponsorship, subject="EBR with the CFO")
    for i in range(8):
        Commitment.objects.create(engagement=meeting, description=f"Send the treasury proposal part {i}", due_on=today)
    for i in range(7):
        OpportunityFactory(account=account, name=f"Treasury expansion {i}")
    EngagementFactory(
        account=account, sponsorship=sponsorship, subject="Quarterly review in Tokyo",
        occurred_at=timezone.now() + dt.timedelta(days=2),
    )  # fmt: skip
    for i in range(6):
        outcome_create(
            by=cast.owner, account=account, fields={"title": f"Expected result {i}", "measure": "days", "target": "3"}
        )
    outcome_create(
        by=cast.owner,
        account=account,
        fields={"title": "Close the books in 3 days", "status": "delivered", "evidence": "Q2 close took 3 days"},
    )
    advocate = advocate_create(by=cast.sponsor, contact=contacts[1], fields={"agreed_to": ["reference_call"]})
    advocacy_activity_record(by=cast.sponsor, advocate=advocate, kind="reference_call", done_on=today)
    ContactFactory(account=cast.other_account, first_name="Mark", last_name="Okonkwo")
    outcome_create(
        by=cast.owner,
        account=cast.other_account,
        fields={
            "title": "Evergreen Energy cut loan approvals from 9 days to 2",
            "measure": "days to approve at evergreen",
            "status": "delivered",
            "evidence": "Mark Okonkwo, COO of Evergreen Energy: 'two days, every time'",
            "is_success_story": True,
        },
    )
    return account


def test_a_sponsor_sees_the_pack_of_their_account_with_the_story_of_another_told_anonymously(cast, full_pack):
    page = client_for(cast.sponsor).get(pack_url(full_pack))
    assert page.status_code == 200
    content = page.content.decode()
    for expected in (
        "Blue Harbor Bank",
        "Cadence fell 12 points",
        "Send the treasury proposal part 7",
        "Treasury expansion 0",
        "Expand from payments into treasury",
        "A treasury pilot at no cost until March.",
        "Expected result 0",
        "Q2 close took 3 days",
        "A Banking customer in the Enterprise segment",
        "cut loan approvals from 9 days to 2",
        "Reference calls".lower(),
        "Quarterly review in Tokyo",
        *NAMES,
    ):
        assert expected in content, expected
    for identifying in ("Evergreen", "evergreen", "Okonkwo", "two days, every time"):
        assert identifying not in content


def test_the_owner_sees_the_same_story_with_its_account_named(cast, full_pack):
    content = client_for(cast.owner).get(pack_url(full_pack)).content.decode()
    assert "Evergreen Energy" in content and "two days, every time" in content


def test_the_pdf_is_one_a4_page_that_names_the_account_and_its_people(cast, full_pack):
    response = client_for(cast.sponsor).get(pack_url(full_pack, pdf=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="briefing-blue-harbor-bank-' in response["Content-Disposition"]
    pdf = response.content
    assert pdf_pages(pdf) == 1
    text = pdf_text(pdf)
    for expected in ("Blue Harbor Bank", "HEALTH", "LAST COMMITMENTS", "OPEN OPPORTUNITIES", "ADVOCATES", *NAMES):
        assert expected in text, expected
    assert "Banking customer in the Enterprise segment" in text
    assert "Evergreen" not in text and "Okonkwo" not in text
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    assert page_png(pdf, SCREENSHOT_DIR / "briefing-sponsor.png").stat().st_size > 10_000


@pytest.mark.parametrize("pdf", [False, True])
def test_a_sponsor_cannot_open_the_pack_of_another_account(cast, full_pack, pdf):
    for account in (cast.other_account, cast.owned_account):
        assert client_for(cast.sponsor).get(pack_url(account, pdf=pdf)).status_code == 404


@pytest.mark.parametrize(
    ("role", "account", "status"),
    [
        ("admin", "other_account", 200),
        ("owner", "other_account", 200),
        ("viewer", "other_account", 200),
        ("ae", "owned_account", 200),
        ("ae", "sponsored_account", 404),
        ("csm", "csm_account", 200),
        ("csm", "owned_account", 404),
        ("outsider_ae", "sponsored_account", 404),
    ],
)
def test_who_may_open_which_pack(cast, role, account, status):
    client = client_for(cast.user(role))
    assert client.get(pack_url(getattr(cast, account))).status_code == status


def test_an_empty_account_says_what_to_do_next(cast):
    content = client_for(cast.ae).get(pack_url(cast.owned_account)).content.decode()
    assert "No outcomes recorded: ask which business result they expect from us." in content
    assert "No contacts recorded" in content
    assert "Not scored yet." in content


def test_an_anonymous_visitor_is_sent_to_sign_in(cast, client):
    response = client.get(pack_url(cast.sponsored_account, pdf=True))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_account_page_and_the_engagement_page_link_to_the_pack(cast, full_pack):
    sponsor = client_for(cast.sponsor)
    assert pack_url(full_pack) in sponsor.get(full_pack.get_absolute_url()).content.decode()
    meeting = full_pack.engagements.first()
    detail = sponsor.get(reverse("engagements:engagement_detail", args=[meeting.pk])).content.decode()
    assert pack_url(full_pack, pdf=True) in detail


def test_the_sponsor_home_links_each_upcoming_meeting_to_its_pack(cast, full_pack):
    home = client_for(cast.sponsor).get("/").content.decode()
    assert "Quarterly review in Tokyo" in home
    assert pack_url(full_pack) in home and pack_url(full_pack, pdf=True) in home


def fill(account, by, count: int) -> None:
    """`count` contacts (each an advocate with two activities), outcomes and commitments."""
    meeting = EngagementFactory(account=account)
    for i in range(count):
        contact = ContactFactory(account=account, seniority="vp", reports_to=None)
        advocate = advocate_create(by=by, contact=contact, fields={"agreed_to": ["reference_call", "event"]})
        for day in (1, 2):
            advocacy_activity_record(
                by=by, advocate=advocate, kind="event", done_on=timezone.localdate() - dt.timedelta(days=day)
            )
        outcome_create(by=by, account=account, fields={"title": f"Result {i}"})
        Commitment.objects.create(engagement=meeting, description=f"Promise {i}")
        OpportunityFactory(account=account)


@pytest.mark.parametrize("path", ["briefing", "account"])
def test_the_number_of_queries_does_not_grow_with_what_the_account_holds(cast, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, large = cast.owned_account, cast.csm_account
    fill(small, cast.owner, 2)
    fill(large, cast.owner, 9)
    client = client_for(cast.owner)

    def queries(account) -> int:
        url = pack_url(account) if path == "briefing" else account.get_absolute_url()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries(small)  # warm the session and caches
    assert queries(large) == queries(small)
