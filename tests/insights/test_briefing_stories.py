"""Success stories from comparable accounts: which ones, in which order, and what an anonymised one keeps."""

from __future__ import annotations

import datetime as dt

import pytest

from execsponsor.customers.services_outcomes import outcome_create
from execsponsor.insights.briefing import anonymous_description, success_stories
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


def story(by, account, title, delivered_on, measure=""):
    fields = {"title": title, "measure": measure, "status": "delivered", "evidence": "Signed report"}
    fields |= {"is_success_story": True, "delivered_on": delivered_on}
    return outcome_create(by=by, account=account, fields=fields)


def test_comparable_means_same_industry_or_segment_both_alike_first(cast):
    me = cast.sponsored_account  # Banking, Enterprise
    same_both = AccountFactory(name="Alpha Savings", industry="Banking", segment="enterprise")
    same_industry = AccountFactory(name="Beta Credit", industry="Banking", segment="smb")
    same_segment = AccountFactory(name="Gamma Steel", industry="Manufacturing", segment="enterprise")
    unlike = AccountFactory(name="Delta Shop", industry="Retail", segment="smb")
    story(cast.owner, same_industry, "Newest, same industry", dt.date(2026, 9, 1))
    story(cast.owner, same_segment, "Same segment", dt.date(2026, 8, 1))
    story(cast.owner, same_both, "Oldest, both alike", dt.date(2026, 1, 1))
    story(cast.owner, unlike, "Unlike", dt.date(2026, 10, 1))
    stories = success_stories(user=cast.owner, account=me)
    assert [(s.who, s.same) for s in stories] == [
        ("Alpha Savings", "industry and segment"),
        ("Beta Credit", "industry"),
        ("Gamma Steel", "segment"),
    ]


def test_an_expected_outcome_or_one_not_marked_a_story_is_not_told(cast):
    other = AccountFactory(name="Alpha Savings")
    outcome_create(by=cast.owner, account=other, fields={"title": "Still expected"})
    outcome_create(
        by=cast.owner, account=other, fields={"title": "Delivered quietly", "status": "delivered", "evidence": "x"}
    )
    assert success_stories(user=cast.owner, account=cast.sponsored_account) == []


def test_an_anonymised_story_strikes_the_name_domain_distinctive_words_and_people(cast):
    other = AccountFactory(name="Sakura Denki K.K.", domain="sakura-denki.example", industry="Banking")
    ContactFactory(account=other, first_name="Hiroshi", last_name="Tanaka")
    story(
        cast.owner,
        other,
        "SAKURA cut month-end from 9 days to 3 with Tanaka's team at sakura-denki.example",
        dt.date(2026, 5, 17),
        measure="Denki close days",
    )
    [told] = success_stories(user=cast.sponsor, account=cast.sponsored_account)
    assert told.who == "a Banking customer in the Enterprise segment" and not told.named
    assert told.title == "the customer cut month-end from 9 days to 3 with the customer's team at the customer"
    assert told.measure == "the customer close days"
    assert told.evidence == "" and told.delivered_on == dt.date(2026, 5, 1)


def test_a_japanese_name_without_spaces_is_struck_whole(cast):
    other = AccountFactory(name="さくら電機株式会社", industry="Banking")
    story(cast.owner, other, "さくら電機株式会社の決算を3日に短縮", dt.date(2026, 5, 17))
    [told] = success_stories(user=cast.sponsor, account=cast.sponsored_account)
    assert "さくら" not in told.title and told.title.startswith("the customer")


@pytest.mark.parametrize(
    ("industry", "segment", "expected"),
    [
        ("Manufacturing", "enterprise", "a Manufacturing customer in the Enterprise segment"),
        ("Insurance", "mid_market", "an Insurance customer in the Mid-market segment"),
        ("", "smb", "a customer in the SMB segment"),
    ],
)
def test_the_anonymous_description(industry, segment, expected):
    assert anonymous_description(AccountFactory.build(industry=industry, segment=segment)) == expected
