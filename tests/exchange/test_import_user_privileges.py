"""Importing "Our users" may create people and update names and titles, but an existing user's role, active flag
and email change only when someone who may manage users imports, and an admin only when an admin imports;
the preview lists every such change before anything is written."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from execsponsor.exchange.importing import services as imports
from execsponsor.exchange.importing.columns import ColumnMapping
from execsponsor.exchange.models import ImportBatch
from execsponsor.users.models import Role, User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HEADER = "Id,Name,Email,Title,IsActive\n"


def _preview(client, text: str) -> ImportBatch:
    data = {"source": "salesforce", "kind": "users", "file": SimpleUploadedFile("User.csv", text.encode())}
    response = client.post("/accounts/import/", data)
    assert response.status_code == 302, response.content[:500]
    return ImportBatch.objects.latest("pk")


def _commit(client, batch: ImportBatch) -> None:
    assert client.post(f"/accounts/import/{batch.pk}/commit/", {"action": "commit"}).status_code == 302


def _messages(batch: ImportBatch) -> str:
    return " | ".join(warning["message"] for warning in batch.report["warnings"])


def test_a_program_owner_cannot_deactivate_or_rename_the_admin(cast):
    client = client_for(cast.owner)
    admin_name = cast.admin.get_full_name()
    csv = HEADER + f"0055gEVIL000000001,Harper Adams (renamed),{cast.admin.email},Account Executive,false\n"

    batch = _preview(client, csv)
    page = client.get(f"/accounts/import/{batch.pk}/").content.decode()
    _commit(client, batch)

    cast.admin.refresh_from_db()
    assert cast.admin.is_active is True
    assert cast.admin.get_full_name() == admin_name
    assert cast.admin.title == "" and cast.admin.external_id == ""
    assert "is an admin" in _messages(batch) and cast.admin.email in page


def test_a_program_owner_cannot_deactivate_an_existing_user_but_may_update_their_title(cast):
    client = client_for(cast.owner)
    who = f"{cast.ae.get_full_name()} ({cast.ae.email})"
    csv = HEADER + f"005A,Alex Ae,{cast.ae.email},Senior Account Executive,false\n"

    batch = _preview(client, csv)
    page = client.get(f"/accounts/import/{batch.pk}/").content.decode()
    _commit(client, batch)

    cast.ae.refresh_from_db()
    assert cast.ae.is_active is True
    assert cast.ae.title == "Senior Account Executive"
    assert f"not changed: only an admin may deactivate the account of {who}" in page


def test_an_admin_may_deactivate_a_user_and_the_preview_says_so_first(cast):
    client = client_for(cast.admin)
    who = f"{cast.ae.get_full_name()} ({cast.ae.email})"
    csv = HEADER + f"005A,Alex Ae,{cast.ae.email},Account Executive,false\n"

    batch = _preview(client, csv)
    cast.ae.refresh_from_db()
    assert cast.ae.is_active is True  # the preview wrote nothing
    assert f"will deactivate the account of {who}" in _messages(batch)
    assert "will deactivate the account" in client.get(f"/accounts/import/{batch.pk}/").content.decode()
    _commit(client, batch)

    cast.ae.refresh_from_db()
    assert cast.ae.is_active is False


def test_a_program_owner_cannot_move_a_user_to_another_email(cast):
    client = client_for(cast.owner)
    _commit(client, _preview(client, HEADER + f"005A,Alex Ae,{cast.ae.email},Account Executive,\n"))

    batch = _preview(client, HEADER + "005A,Alex Ae,attacker@elsewhere.example,Account Executive,\n")
    _commit(client, batch)

    cast.ae.refresh_from_db()
    assert cast.ae.email == "alex.ae@ourco.example"
    assert "only an admin may change the email" in _messages(batch)


def test_a_program_owner_still_creates_new_people(cast):
    client = client_for(cast.owner)

    _commit(client, _preview(client, HEADER + "005N,Nia New,nia.new@ourco.example,Customer Success Manager,true\n"))

    nia = User.objects.get(email="nia.new@ourco.example")
    assert nia.role == Role.CSM and nia.is_active and not nia.is_staff and not nia.is_superuser


def _role_mapping() -> ColumnMapping:
    columns = {"external_id": "Id", "name": "Name", "email": "Email", "title": "Title", "role": "Role"}
    return ColumnMapping.from_json({"kind": "users", "columns": columns, "date_format": ""})


def _run(by, text: str):
    return imports.import_run(
        stream=io.BytesIO(text.encode()), source="csv", kind="users", file_name="u.csv", mapping=_role_mapping(), by=by
    )


def test_only_an_admin_imports_a_new_admin_or_changes_a_role(cast):
    text = "Id,Name,Email,Title,Role\nU1,Max Mallory,max@ourco.example,Analyst,admin\n"

    report = _run(cast.owner, text)

    assert User.objects.get(email="max@ourco.example").role == Role.VIEWER
    assert any("only an admin may import a new admin" in w["message"] for w in report.warnings)

    promoted = _run(cast.admin, "Id,Name,Email,Title,Role\nU1,Max Mallory,max@ourco.example,Analyst,csm\n")
    assert User.objects.get(email="max@ourco.example").role == Role.CSM
    assert any("will change the role from viewer to csm" in w["message"] for w in promoted.warnings)

    _run(cast.owner, "Id,Name,Email,Title,Role\nU1,Max Mallory,max@ourco.example,Analyst,viewer\n")
    assert User.objects.get(email="max@ourco.example").role == Role.CSM
