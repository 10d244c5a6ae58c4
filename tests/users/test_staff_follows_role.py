"""An admin reaches the Django admin however they were made; nobody else is staff."""

import pytest
from django.test import Client
from typer.testing import CliRunner

from execsponsor.cli import app
from execsponsor.users.models import Role, User
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_an_admin_made_with_the_cli_opens_the_django_admin(db):
    result = CliRunner().invoke(
        app, ["user", "create", "ida", "--role", "admin", "--password"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    client = Client()
    assert client.post("/login/", {"username": "ida", "password": PASSWORD}).status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b"Site administration" in response.content
    assert client.get("/admin/users/executive/add/").status_code == 200


def test_making_someone_admin_gives_staff_status_and_taking_it_away_removes_it(db):
    user = UserFactory(role=Role.PROGRAM_OWNER)
    assert not user.is_staff
    user.role = Role.ADMIN
    user.save()
    assert User.objects.filter(pk=user.pk, is_staff=True, is_superuser=True).exists()
    user.role = Role.VIEWER
    user.save(update_fields=["role"])
    assert User.objects.filter(pk=user.pk, is_staff=False, is_superuser=False).exists()


def test_an_imported_admin_is_staff(db):
    user = User.objects.create(username="imported@ourco.example", role=Role.ADMIN, source="salesforce")
    assert User.objects.get(pk=user.pk).is_staff


def test_createsuperuser_makes_an_admin(db):
    user = User.objects.create_superuser("root", "root@ourco.example", PASSWORD)
    assert user.role == Role.ADMIN and user.is_staff


def test_a_program_owner_cannot_open_the_django_admin(cast):
    response = client_for(cast.owner).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_signing_in_adds_no_history_row(cast):
    before = cast.ae.history.count()
    assert Client().post("/login/", {"username": "alex.ae", "password": PASSWORD}).status_code == 302
    assert cast.ae.history.count() == before
