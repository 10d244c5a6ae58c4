"""A newcomer's first run, in the browser only: setup page → invite a program owner by email → the owner adds
an executive. The email goes through a real SMTP server on loopback."""

import pytest

from execsponsor.users.models import Executive, Role, User
from tests.e2e.steps import set_up_the_first_admin
from tests.mail import mailbox  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db(transaction=True)

OWNER_PASSWORD = "program-owner-passphrase-2026"


def _invite(page, base: str, *, email: str, first: str, last: str, role: str) -> None:
    page.goto(f"{base}/people/invite/")
    page.fill("#id_email", email)
    page.fill("#id_first_name", first)
    page.fill("#id_last_name", last)
    page.select_option("#id_role", role)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/people/")


def test_from_an_empty_install_to_the_first_executive(page, live_server, mailbox):  # noqa: F811
    base = live_server.url
    page.set_default_timeout(30_000)  # a long walk on a shared machine
    set_up_the_first_admin(page, base, first_page="/accounts/")
    assert "Getting started" in page.inner_text("main")

    _invite(page, base, email="pat@ourco.example", first="Pat", last="Owner", role=Role.PROGRAM_OWNER)
    assert "Invited pat@ourco.example" in page.inner_text("main")
    _invite(page, base, email="kenji@ourco.example", first="Kenji", last="Watanabe", role=Role.VIEWER)
    invitation = next(m for m in mailbox.wait_for(2) if m["To"] == "pat@ourco.example")
    link = next(word for word in invitation.get_body().get_content().split() if word.startswith(base))
    page.click("nav button[type=submit]")  # sign out

    page.goto(link)
    page.fill("#id_new_password1", OWNER_PASSWORD)
    page.fill("#id_new_password2", OWNER_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/login/")
    assert "Your password is set" in page.inner_text("main")
    page.fill("#id_username", "pat@ourco.example")
    page.fill("#id_password", OWNER_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    page.click("nav >> text=Executives")
    page.click("main >> text=Add an executive")
    page.wait_for_url(f"{base}/executives/new/")
    kenji = User.objects.get(username="kenji@ourco.example")
    page.select_option("#id_user", str(kenji.pk))
    page.select_option("#id_function", "cto")
    page.select_option("#id_level", "c_suite")
    page.check("input[name=industries][value=Manufacturing]")
    page.check("input[name=languages][value=ja]")
    page.check("input[name=languages][value=en]")
    page.select_option("#id_time_zone", "Asia/Tokyo")
    page.fill("#id_capacity_min", "1")
    page.fill("#id_capacity_max", "3")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/executives/*/")
    assert "Kenji Watanabe is an executive now" in page.inner_text("main")

    executive = Executive.objects.get(user=kenji)
    assert (executive.function, executive.languages, executive.time_zone) == ("cto", ["en", "ja"], "Asia/Tokyo")
    assert executive.history.first().history_user.username == "pat@ourco.example"
