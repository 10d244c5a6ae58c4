import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_program_owner_signs_in_and_lands_on_accounts(cast, sign_in):
    page = sign_in("olivia.owner")
    assert page.locator("nav").inner_text().count("Accounts") >= 1
