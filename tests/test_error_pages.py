import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_an_unknown_page_says_not_found_in_the_app_layout(cast):
    response = client_for(cast.ae).get("/accounts/999999/")
    assert response.status_code == 404
    assert "belongs to an account you cannot see" in response.content.decode()


def test_a_forbidden_page_says_so_in_words(cast):
    response = client_for(cast.viewer).get("/program/matching/")
    assert response.status_code == 403
    assert "Your role does not allow this page" in response.content.decode()
