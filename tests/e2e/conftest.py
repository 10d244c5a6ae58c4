"""Browser tests: Playwright drives Debian's Chromium against the live test server."""

from __future__ import annotations

import os

import pytest

CHROMIUM = os.environ.get("ESP_CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # Playwright's wait_for_function evaluates its text with eval, which the CSP forbids; the policy itself
    # is checked without this bypass in test_content_security_policy.py.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(page, live_server):
    from tests.factories import PASSWORD

    def _sign_in(username: str, then: str | None = "/accounts/"):
        """Sign in, land on the home page, then open `then` (None: stay on the home page)."""
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        if then:
            page.goto(f"{live_server.url}{then}")
        return page

    return _sign_in
