"""The impact page in a real browser, under the Content-Security-Policy: the event-study chart draws from the
static script, with no policy violation."""

from __future__ import annotations

import pytest

from tests.e2e.test_content_security_policy import _violations, _watch, page  # noqa: F401 — the policy-obeying page
from tests.insights.test_impact_page import stored_result

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_viewer_sees_the_headline_and_the_event_study_chart(cast, page, sign_in, live_server):  # noqa: F811
    stored = stored_result()
    console = _watch(page)
    sign_in("victor.viewer", then="/program/impact/")
    page.locator("#impact-estimate").wait_for()
    assert f"{stored.result['estimate']:.1f} pts" in page.locator("#impact-estimate").inner_text()
    chart = page.locator("#impact-chart")
    chart.locator("svg").first.wait_for()
    assert chart.bounding_box()["height"] > 100
    assert page.locator("#impact-event-study tbody tr").count() == len(stored.result["event_study"])
    page.wait_for_timeout(300)
    assert _violations(page, console) == []
