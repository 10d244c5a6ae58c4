"""Each role lands on its own home after signing in, on a laptop and on a 390 px phone."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(
    ("username", "heading"),
    [
        ("olivia.owner", "The program at a glance"),
        ("sam.sponsor", "My accounts"),
        ("alex.ae", "My accounts and their sponsors"),
        ("victor.viewer", "The program at a glance"),
    ],
)
def test_each_role_lands_on_its_home_and_it_fits_a_phone(cast, sign_in, username, heading):
    page = sign_in(username, then=None)
    assert page.locator("h1").inner_text() == heading
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert fits_the_screen(page)


def test_the_program_owner_reaches_the_rebalance_from_the_navigation(cast, sign_in):
    page = sign_in("olivia.owner", then=None)
    page.click("nav >> text=Program")
    page.click("text=Open rebalance")
    page.wait_for_url("**/program/rebalance/")
