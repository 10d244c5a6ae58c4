"""Outbound webhook checks: https only, no private or metadata addresses, one look-up, pinned, no redirects."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest

from execsponsor.notify import outbound
from execsponsor.notify.outbound import BlockedURL, DeliveryFailed, check_url, send_chat_message
from tests.notify.conftest import ChatServer, start_server


def test_a_public_https_url_passes_and_is_pinned_to_its_address(resolver):
    resolver.answer("hooks.chat.example", "93.184.216.34")
    target = check_url("https://hooks.chat.example/services/T1/B2?x=1")
    assert (target.scheme, target.host, target.port, target.address) == (
        "https",
        "hooks.chat.example",
        443,
        "93.184.216.34",
    )
    assert target.path == "/services/T1/B2?x=1"


def test_plain_http_is_refused_unless_allowed(resolver, settings):
    resolver.answer("hooks.chat.example", "93.184.216.34")
    with pytest.raises(BlockedURL, match="http://"):
        check_url("http://hooks.chat.example/x")
    assert check_url("http://hooks.chat.example/x", allow_http=True).port == 80
    settings.ESP_WEBHOOK_ALLOW_HTTP = True
    assert check_url("http://hooks.chat.example/x").scheme == "http"


@pytest.mark.parametrize("url", ["ftp://hooks.chat.example/", "file:///etc/passwd", "javascript:alert(1)", "https://"])
def test_other_schemes_and_hostless_urls_are_refused(url):
    with pytest.raises(BlockedURL):
        check_url(url)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.10.10",
        "100.64.0.1",
        "::1",
        "fe80::1",
        "fc00::5",
        "::ffff:10.0.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "169.254.169.254",
        "fd00:ec2::254",
    ],
)
def test_private_and_special_addresses_are_refused(address):
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(BlockedURL, match="does not send webhooks there"):
        check_url(f"https://{host}/hook")


def test_an_admin_may_allow_private_addresses_but_never_metadata_multicast_or_unspecified():
    assert check_url("https://10.1.2.3/hook", allow_private=True).address == "10.1.2.3"
    assert check_url("https://127.0.0.1/hook", allow_private=True).address == "127.0.0.1"
    for address in ("169.254.169.254", "[fd00:ec2::254]", "224.0.0.1", "0.0.0.0"):
        with pytest.raises(BlockedURL):
            check_url(f"https://{address}/latest/meta-data", allow_private=True)


def test_a_name_with_one_private_address_among_public_ones_is_refused(resolver, monkeypatch):
    real = outbound.socket.getaddrinfo

    def two(host, port, *args, **kwargs):
        if host == "mixed.chat.example":
            return [
                (outbound.socket.AF_INET, outbound.socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
                (outbound.socket.AF_INET, outbound.socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(outbound.socket, "getaddrinfo", two)
    with pytest.raises(BlockedURL, match="10.0.0.7"):
        check_url("https://mixed.chat.example/hook")


def test_an_unresolvable_name_is_refused():
    with pytest.raises(BlockedURL, match="does not resolve"):
        check_url("https://no-such-host.invalid/hook")


@pytest.mark.parametrize("url", ["https://10.20.30.40/hook", "https://169.254.169.254/latest/meta-data/"])
def test_a_blocked_address_is_never_connected_to(url, connections):
    with pytest.raises(BlockedURL):
        send_chat_message(url, "hello")
    assert connections == []


def test_loopback_without_the_allowance_is_never_connected_to(chat_server, connections, settings):
    settings.ESP_WEBHOOK_ALLOW_HTTP = True
    with pytest.raises(BlockedURL, match="loopback"):
        send_chat_message(f"http://127.0.0.1:{chat_server.port}/hook", "hello")
    assert connections == []
    assert chat_server.connections == 0 and chat_server.received == []


def test_a_name_resolving_to_a_private_address_is_never_connected_to(resolver, connections):
    resolver.answer("chat.internal.example", "10.0.0.5")
    with pytest.raises(BlockedURL, match="10.0.0.5"):
        send_chat_message("https://chat.internal.example/hook", "hello")
    assert connections == []


def test_the_name_is_resolved_once_and_the_request_goes_to_that_address(chat_server, resolver, connections):
    # Were the name looked up again for the connection, the second answer (where nothing listens) would be used.
    resolver.answer("hooks.example.test", "127.0.0.1", "127.0.0.9")
    status = send_chat_message(
        f"http://hooks.example.test:{chat_server.port}/services/abc", "hello", allow_http=True, allow_private=True
    )
    assert status == 200
    assert resolver.calls["hooks.example.test"] == 1
    assert connections == [("127.0.0.1", chat_server.port)]
    got = chat_server.received[0]
    assert got.path == "/services/abc"
    assert got.headers["Host"] == f"hooks.example.test:{chat_server.port}"
    assert got.payload == {"text": "hello"}


def test_a_redirect_is_not_followed(chat_server, settings):
    settings.ESP_WEBHOOK_ALLOW_HTTP = settings.ESP_WEBHOOK_ALLOW_PRIVATE = True
    chat_server.status = 302
    chat_server.location = "http://169.254.169.254/latest/meta-data/"
    with pytest.raises(DeliveryFailed, match="redirect"):
        send_chat_message(f"http://127.0.0.1:{chat_server.port}/hook", "hello")
    assert len(chat_server.received) == 1


def test_a_server_that_does_not_answer_times_out(settings):
    import socket

    settings.ESP_WEBHOOK_ALLOW_HTTP = settings.ESP_WEBHOOK_ALLOW_PRIVATE = True
    settings.ESP_WEBHOOK_TIMEOUT = 1
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    try:
        with pytest.raises(DeliveryFailed, match="timed out"):
            send_chat_message(f"http://127.0.0.1:{silent.getsockname()[1]}/hook", "hello")
    finally:
        silent.close()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a certificate")
def test_https_is_pinned_with_sni_and_the_certificate_checked(tmp_path, resolver, monkeypatch, connections):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=hooks.example.test", "-addext", "subjectAltName=DNS:hooks.example.test"],
        check=True, capture_output=True,
    )  # fmt: skip
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    seen_names: list[str] = []
    server_context.sni_callback = lambda sock, name, ctx: seen_names.append(name)
    chat = ChatServer()
    httpd = start_server(chat, tls_context=server_context)
    client_context = ssl.create_default_context(cafile=str(cert))
    monkeypatch.setattr(outbound, "tls_context", lambda: client_context)
    resolver.answer("hooks.example.test", "127.0.0.1")
    resolver.answer("wrong-name.example.test", "127.0.0.1")
    try:
        send_chat_message(f"https://hooks.example.test:{chat.port}/hook", "over TLS", allow_private=True)
        assert seen_names == ["hooks.example.test"]
        assert connections == [("127.0.0.1", chat.port)]
        assert chat.received[0].payload == {"text": "over TLS"}
        with pytest.raises(DeliveryFailed, match="certificate"):
            send_chat_message(f"https://wrong-name.example.test:{chat.port}/hook", "x", allow_private=True)
    finally:
        httpd.shutdown()
        httpd.server_close()
