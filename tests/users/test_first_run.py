"""First run: on an empty database every page leads to the setup page, which makes the first admin once."""

import pytest
from django.test import Client
from typer.testing import CliRunner

from execsponsor.cli import app
from execsponsor.users.models import Role, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

FIRST_ADMIN = {
    "username": "ada",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@ourco.example",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


@pytest.mark.parametrize("path", ["/", "/accounts/", "/login/", "/executives/"])
def test_an_empty_install_sends_every_page_to_setup(path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"] == "/setup/"


def test_setup_creates_the_first_admin_and_signs_them_in():
    client = Client()
    response = client.post("/setup/", FIRST_ADMIN)
    assert response.status_code == 302
    ada = User.objects.get(username="ada")
    assert (ada.role, ada.is_staff, ada.email) == (Role.ADMIN, True, "ada@ourco.example")
    assert ada.check_password(PASSWORD)
    assert client.get("/people/").status_code == 200


def test_setup_checks_the_password_with_the_validators():
    response = Client().post("/setup/", {**FIRST_ADMIN, "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 422
    assert b"too short" in response.content or b"too common" in response.content
    assert not User.objects.exists()


def test_setup_is_closed_once_anyone_exists():
    UserFactory(username="someone")
    client = Client()
    assert client.get("/setup/")["Location"] == "/login/"
    response = client.post("/setup/", FIRST_ADMIN)
    assert response.status_code == 302
    assert not User.objects.filter(username="ada").exists()


def test_setup_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/setup/", FIRST_ADMIN).status_code == 403
    assert not User.objects.exists()


def test_esp_init_prints_the_setup_link_while_nobody_exists(monkeypatch, tmp_path):
    monkeypatch.setenv("ESP_ENV_FILE", str(tmp_path / ".env"))
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert "/setup/" in result.output
    UserFactory(username="someone")
    assert "/setup/" not in CliRunner().invoke(app, ["init"]).output
