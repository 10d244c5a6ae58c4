"""An AE changes a contact's support on the relationship map in the browser; the chart and history follow,
under the Content-Security-Policy (no bypass) and without one violation."""

import pytest

from execsponsor.customers.models import Contact
from tests.e2e.test_content_security_policy import _violations, _watch
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)

RED_NODE = '.relationship-chart svg [fill="#dc2626"]'  # an opponent's colour


@pytest.fixture
def page(browser):
    """A page that obeys the policy (the shared fixture bypasses it)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_ae_changes_a_contacts_support_on_the_map(cast, page, sign_in, live_server):
    account = cast.owned_account
    ana = ContactFactory(account=account, first_name="Ana", last_name="Alves", title="CEO")
    ben = ContactFactory(account=account, first_name="Ben", last_name="Brook", reports_to=ana)
    errors: list[str] = []
    console = _watch(page)
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in("alex.ae", then=f"/accounts/{account.pk}/relationships/")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(".relationship-chart svg")
    assert page.locator(RED_NODE).count() == 0
    page.click(f"#person-{ben.pk} .edit-button")
    page.wait_for_selector(f"#person-{ben.pk} select[name=support]")
    page.select_option(f"#person-{ben.pk} select[name=support]", "opponent")
    page.click(f"#person-{ben.pk} >> text=Save")
    page.wait_for_selector(f"#person-{ben.pk} .support-opponent")
    assert Contact.objects.get(pk=ben.pk).support == "opponent"
    page.click(f"#person-{ben.pk} .person-history summary")
    assert "Support: Neutral → Opponent" in page.locator(f"#person-{ben.pk} .person-history").inner_text()
    # The chart was drawn again from the new data, in the new colour.
    page.wait_for_selector(".relationship-chart svg")
    page.wait_for_selector(RED_NODE)
    assert errors == []
    assert _violations(page, console) == []
