"""In a real browser under the Content-Security-Policy: the program owner prepares the review, ticks an item,
records a decision, and ticks an executive's enablement; nothing breaks the policy."""

from __future__ import annotations

import pytest

from execsponsor.program.models import ProgramReview, ReviewDecision
from execsponsor.users.models import EnablementCompletion, Executive
from tests.e2e.test_content_security_policy import _violations, _watch, page  # noqa: F401 — the policy-obeying page

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_owner_runs_a_review_in_the_browser(cast, page, sign_in, live_server):  # noqa: F811
    console = _watch(page)
    sign_in("olivia.owner", then="/program/reviews/")
    page.click("button:has-text('Prepare the next review')")
    page.wait_for_url("**/program/reviews/*/")
    page.locator("text=Sponsorships without objectives").wait_for()
    page.click("button:has-text('Mark discussed') >> nth=0")
    page.locator("button:has-text('Discussed ✓')").wait_for()
    page.fill("#id_new-decision", "Agree objectives with Blue Harbor")
    page.select_option("#id_new-owner", label=str(cast.sponsor))
    page.click("button:has-text('Record the decision')")
    page.locator("#decisions", has_text="Agree objectives with Blue Harbor").wait_for()
    assert _violations(page, console) == []
    review = ProgramReview.objects.get()
    assert review.agenda[0]["discussed"] is True
    assert ReviewDecision.objects.get().owner == cast.sponsor

    executive = Executive.objects.get(user=cast.sponsor)
    page.goto(f"{live_server.url}{executive.get_absolute_url()}")
    page.locator("#enablement input[name=done]").first.check()
    page.locator("#enablement button:has-text('Save')").first.click()
    page.locator("text=recorded as completed").wait_for()
    assert EnablementCompletion.objects.filter(executive=executive).count() == 1
    assert _violations(page, console) == []
