"""The demo writes outcomes and advocates as inputs people would record; they obey the product's rules, and
a briefing pack drawn on real-looking data still fits one page."""

from __future__ import annotations

import pytest
from django.db.models import F, Q

from execsponsor.customers.models import AdvocacyActivity, Advocate, Outcome
from execsponsor.insights.briefing import briefing_pdf_bytes
from execsponsor.program.models import LIVE_STATUSES, Sponsorship
from tests.pdf_support import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


def test_outcomes_of_every_status_with_evidence_where_delivered(demo_company):
    truth = demo_company["outcomes"]
    assert Outcome.objects.count() == sum(truth[s] for s in ("expected", "in_progress", "delivered", "missed"))
    for status in ("expected", "in_progress", "delivered", "missed"):
        assert Outcome.objects.filter(status=status).count() == truth[status] > 0
    delivered = Outcome.objects.filter(status="delivered")
    assert not delivered.filter(Q(evidence="") | Q(delivered_on__isnull=True)).exists()
    assert not delivered.filter(delivered_on__lt=F("recorded_on")).exists()
    stories = Outcome.objects.filter(is_success_story=True)
    assert stories.count() == truth["success_stories"] > 0
    assert not stories.exclude(status="delivered").exists()


def test_every_running_sponsorship_account_has_outcomes(demo_company):
    running = Sponsorship.objects.filter(status__in=("active", "paused")).values_list("account_id", flat=True)
    with_outcomes = set(Outcome.objects.values_list("account_id", flat=True))
    assert set(running) <= with_outcomes


def test_advocates_are_supporters_still_at_sponsored_accounts_and_did_only_what_they_agreed_to(demo_company):
    assert Advocate.objects.count() == demo_company["outcomes"]["advocates"] > 0
    assert AdvocacyActivity.objects.count() == demo_company["outcomes"]["advocacy_activities"] > 0
    live = set(Sponsorship.objects.filter(status__in=LIVE_STATUSES).values_list("account_id", flat=True))
    for advocate in Advocate.objects.select_related("contact").prefetch_related("activities"):
        assert advocate.contact.status == "active" and advocate.contact.support in ("mentor", "supporter")
        assert advocate.contact.account_id in live
        assert advocate.agreed_to
        for activity in advocate.activities.all():
            assert activity.kind in advocate.agreed_to and activity.done_on > advocate.agreed_on


def test_the_briefing_pack_of_the_busiest_demo_account_fits_one_page(demo_company):
    from execsponsor.users.models import User

    sponsorship = (
        Sponsorship.objects.filter(status="active", account__outcomes__is_success_story=False)
        .select_related("executive__user", "account")
        .order_by("-account__arr")
        .first()
    )
    sponsor = User.objects.get(pk=sponsorship.executive.user_id)
    pdf, _ = briefing_pdf_bytes(user=sponsor, account_id=sponsorship.account_id)
    assert pdf_pages(pdf) == 1
    assert sponsorship.account.name in pdf_text(pdf)
