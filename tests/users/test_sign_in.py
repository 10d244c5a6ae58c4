import pytest
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_pages_redirect_to_sign_in_when_signed_out(cast):
    response = Client().get("/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/accounts/")


def test_it_signs_in_with_the_right_password(cast):
    response = Client().post("/login/", {"username": "olivia.owner", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_rejects_a_wrong_password(cast):
    response = Client().post("/login/", {"username": "olivia.owner", "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


def test_it_locks_sign_in_after_repeated_failures(cast):
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "olivia.owner", "password": "wrong-password"})
    response = client.post("/login/", {"username": "olivia.owner", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content


def test_passwords_are_hashed_with_argon2_outside_tests(settings):
    from execsponsor import settings as project_settings

    assert "Argon2PasswordHasher" in [h for h in project_settings.PASSWORD_HASHERS if "Argon2" in h][0]


def test_csrf_is_enforced_on_sign_in(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "olivia.owner", "password": PASSWORD})
    assert response.status_code == 403
