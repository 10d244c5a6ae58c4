"""The People page and its services: roles, deactivation, invitations by real email (aiosmtpd on loopback)."""

import pytest
from django.test import Client

from execsponsor.common.errors import InvalidInput, NotPermitted
from execsponsor.users import services
from execsponsor.users.models import Role, User
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase"


def imported(username: str, **fields) -> User:
    """Someone from a CRM import: no password until they accept an invitation."""
    user = UserFactory(username=username, email=username, source="salesforce", **fields)
    user.set_unusable_password()
    user.save()
    return user


def test_the_people_page_lists_everyone_with_role_and_status(cast):
    ines = imported("imp@ourco.example", first_name="Ines", last_name="Imported")
    response = client_for(cast.admin).get("/people/")
    assert response.status_code == 200
    page = response.content.decode()
    assert cast.owner.get_full_name() in page
    assert "Ines Imported" in page and ines.email in page
    assert "No password yet" in page


@pytest.mark.parametrize("role", ["owner", "viewer", "sponsor", "ae", "csm"])
def test_only_admins_open_the_people_page(cast, role):
    assert client_for(cast.user(role)).get("/people/").status_code == 403


def test_an_admin_changes_a_role_and_history_names_them(cast):
    response = client_for(cast.admin).post(f"/people/{cast.viewer.pk}/role/", {"role": Role.PROGRAM_OWNER})
    assert response.status_code == 302
    cast.viewer.refresh_from_db()
    assert cast.viewer.role == Role.PROGRAM_OWNER
    assert cast.viewer.history.first().history_user == cast.admin


def test_promoting_to_admin_opens_the_django_admin(cast):
    client_for(cast.admin).post(f"/people/{cast.owner.pk}/role/", {"role": Role.ADMIN})
    assert client_for(User.objects.get(pk=cast.owner.pk)).get("/admin/").status_code == 200


def test_nobody_changes_their_own_role(cast):
    with pytest.raises(NotPermitted, match="your own role"):
        services.user_role_change(user=cast.admin, role=Role.VIEWER, by=cast.admin)


def test_nobody_deactivates_themselves(cast):
    with pytest.raises(NotPermitted, match="deactivate yourself"):
        services.user_deactivate(user=cast.admin, by=cast.admin)


def test_the_last_active_admin_stays(cast):
    # A superuser made outside the product (say, a Django shell) is the only one who could try.
    other = UserFactory(username="root", role=Role.PROGRAM_OWNER)
    User.objects.filter(pk=other.pk).update(is_superuser=True)
    other.refresh_from_db()
    with pytest.raises(InvalidInput, match="last active admin"):
        services.user_deactivate(user=cast.admin, by=other)
    with pytest.raises(InvalidInput, match="last active admin"):
        services.user_role_change(user=cast.admin, role=Role.VIEWER, by=other)


def test_a_program_owner_may_not_change_roles(cast):
    with pytest.raises(NotPermitted):
        services.user_role_change(user=cast.viewer, role=Role.ADMIN, by=cast.owner)


def test_a_deactivated_user_cannot_sign_in_and_can_be_reactivated(cast):
    client_for(cast.admin).post(f"/people/{cast.csm.pk}/deactivate/")
    assert Client().post("/login/", {"username": "casey.csm", "password": PASSWORD}).status_code == 200
    client_for(cast.admin).post(f"/people/{cast.csm.pk}/reactivate/")
    assert Client().post("/login/", {"username": "casey.csm", "password": PASSWORD}).status_code == 302


def _set_password_through(client: Client, link: str):
    page = client.get(link, follow=True)
    assert page.status_code == 200
    assert b"new_password1" in page.content
    return client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )


def test_an_invited_person_sets_a_password_from_the_email_and_signs_in(cast, mailbox):
    response = client_for(cast.admin).post(
        "/people/invite/",
        {"email": "Pat.Owner@OurCo.example", "first_name": "Pat", "last_name": "Owner", "role": Role.PROGRAM_OWNER},
    )
    assert response.status_code == 302
    message = mailbox.wait_for(1)[0]
    assert message["To"] == "pat.owner@ourco.example"
    assert "invited" in message["Subject"]
    client = Client()
    done = _set_password_through(client, mailbox.last_link())
    assert b"Your password is set" in done.content
    signed_in = client.post("/login/", {"username": "pat.owner@ourco.example", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert User.objects.get(username="pat.owner@ourco.example").role == Role.PROGRAM_OWNER


def test_an_invitation_link_works_once(cast, mailbox):
    services.user_invite(by=cast.admin, email="once@ourco.example", role=Role.CSM)
    link = mailbox.last_link()
    _set_password_through(Client(), link)
    again = Client().get(link, follow=True)
    assert b"expired or was used already" in again.content


def test_imported_people_get_invitations_in_bulk_and_those_with_a_password_are_skipped(cast, mailbox):
    first, second = imported("a@ourco.example"), imported("b@ourco.example")
    response = client_for(cast.admin).post(
        "/people/invitations/", {"person": [first.pk, second.pk, cast.ae.pk]}, follow=True
    )
    assert b"Sent 2 invitations" in response.content
    assert b"already has a password" in response.content
    assert sorted(m["To"] for m in mailbox.wait_for(2)) == ["a@ourco.example", "b@ourco.example"]


def test_forgot_password_sends_a_reset_link_that_works(cast, mailbox):
    client = Client()
    response = client.post("/password/reset/", {"email": cast.ae.email})
    assert response.status_code == 302
    link = mailbox.last_link()
    assert "/password/reset/" in link
    _set_password_through(client, link)
    assert Client().post("/login/", {"username": "alex.ae", "password": NEW_PASSWORD}).status_code == 302


def test_the_sign_in_page_offers_a_password_reset(cast):
    assert b'href="/password/reset/"' in Client().get("/login/").content


def test_the_people_page_needs_the_same_queries_for_few_and_many(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ExecutiveFactory

    client = client_for(cast.admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/people/").status_code == 200
        return len(captured)

    few = queries()
    for n in range(15):
        imported(f"many{n}@ourco.example")
        ExecutiveFactory()
    assert queries() == few


def test_a_mail_server_that_is_down_gives_a_clear_message_and_keeps_the_person(cast, settings):
    from tests.mail import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there
    client = client_for(cast.admin)
    response = client.post("/people/invite/", {"email": "dana@ourco.example", "role": Role.CSM}, follow=True)
    assert response.status_code == 200
    assert b"dana@ourco.example is added, but the email could not be sent" in response.content
    dana = User.objects.get(username="dana@ourco.example")
    again = client.post("/people/invitations/", {"person": [dana.pk]}, follow=True)
    assert b"Check EMAIL_HOST" in again.content
