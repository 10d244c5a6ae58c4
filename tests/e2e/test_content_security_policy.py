"""In a real browser under the Content-Security-Policy: the accounts list (htmx), an account page with its
ECharts chart, the API docs (Swagger UI) and the admin run without a single policy violation."""

from __future__ import annotations

import pytest

from tests.e2e.test_accounts import customers  # noqa: F401 — the fixture: an account with revenue and contacts

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def page(browser):
    """A page that obeys the policy (the shared fixture bypasses it for wait_for_function)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# Record every violation the page reports, from the first script on (before any of ours runs).
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI + " " + (event.sample || ""));
});
"""


def _watch(page) -> list[str]:
    console = []
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: console.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return console


def _violations(page, console: list[str]) -> list[str]:
    return page.evaluate("window.__violations") + console


def test_the_accounts_pages_and_the_chart_run_under_the_policy(cast, customers, page, sign_in, live_server):  # noqa: F811
    console = _watch(page)
    assert "script-src 'self'" in page.goto(f"{live_server.url}/login/").headers["content-security-policy"]
    sign_in("olivia.owner")
    page.fill("#id_q", "harbor")  # an htmx request and swap
    page.wait_for_url("**/accounts/?*q=harbor*")
    page.locator("#account-results tbody td.account-name > a", has_text="Blue Harbor Bank").wait_for()
    assert _violations(page, console) == []

    page.click("text=Blue Harbor Bank")
    page.wait_for_url(f"**/accounts/{customers.pk}/")
    chart = page.locator("#revenue-chart")
    chart.locator("svg").first.wait_for()
    assert chart.bounding_box()["height"] > 100
    bar = page.locator(".health-measures .progress-bar").first
    if bar.count():
        assert bar.evaluate("element => element.style.width") != ""
    page.wait_for_timeout(300)
    assert _violations(page, console) == []


def test_the_api_docs_and_the_admin_run_under_the_policy(cast, page, live_server):
    console = _watch(page)
    docs = page.goto(f"{live_server.url}/api/v1/docs")
    assert "style-src 'self'" in docs.headers["content-security-policy"]
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert _violations(page, console) == []

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "ada.admin")
    from tests.factories import PASSWORD

    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/customers/account/add/")
    page.locator("#account_form").wait_for()
    assert _violations(page, console) == []
