"""Sign-in lockout behind a load balancer: the client's address comes from X-Forwarded-For only when the
request arrives from a proxy named in ESP_TRUSTED_PROXIES."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

BALANCER = "10.0.3.7"


def _fail_five_times(client: Client, **meta) -> None:
    for _ in range(5):
        client.post("/login/", {"username": "olivia.owner", "password": "wrong-password"}, **meta)


def _sign_in(**meta) -> int:
    return Client().post("/login/", {"username": "olivia.owner", "password": PASSWORD}, **meta).status_code


def test_behind_a_trusted_proxy_two_clients_are_locked_separately(cast, settings):
    settings.ESP_TRUSTED_PROXIES = ["10.0.0.0/16"]
    attacker = {"REMOTE_ADDR": BALANCER, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    colleague = {"REMOTE_ADDR": BALANCER, "HTTP_X_FORWARDED_FOR": "198.51.100.10"}

    _fail_five_times(Client(), **attacker)

    assert _sign_in(**attacker) == 429
    assert _sign_in(**colleague) == 302


def test_the_right_most_untrusted_hop_is_the_client_so_a_forged_left_entry_does_not_help(cast, settings):
    settings.ESP_TRUSTED_PROXIES = ["10.0.0.0/16"]
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
        meta = {"REMOTE_ADDR": BALANCER, "HTTP_X_FORWARDED_FOR": f"{forged}, 203.0.113.66"}
        Client().post("/login/", {"username": "olivia.owner", "password": "wrong"}, **meta)

    assert _sign_in(REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.66") == 429


def test_from_an_untrusted_source_x_forwarded_for_is_ignored(cast, settings):
    settings.ESP_TRUSTED_PROXIES = ["10.0.0.0/16"]
    source = "192.0.2.44"
    for number in range(5):  # a new made-up address on every try does not escape the lockout
        meta = {"REMOTE_ADDR": source, "HTTP_X_FORWARDED_FOR": f"203.0.113.{number}"}
        Client().post("/login/", {"username": "olivia.owner", "password": "wrong"}, **meta)

    assert _sign_in(REMOTE_ADDR=source, HTTP_X_FORWARDED_FOR="198.51.100.99") == 429


def test_without_trusted_proxies_x_forwarded_for_is_ignored(cast, settings):
    settings.ESP_TRUSTED_PROXIES = []
    _fail_five_times(Client(), REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="203.0.113.66")

    assert _sign_in(REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="198.51.100.10") == 429
