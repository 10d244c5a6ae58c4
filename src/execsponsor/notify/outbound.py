"""Outbound webhook requests that cannot be turned against the server's own network.

A chat webhook's URL is checked when it is saved and again at every send: https only (unless an admin allows
http), a host name that resolves only to public addresses (unless an admin allows private ones), and the
name resolved once per send, the connection then made to that very address while the request still names
the host (Host header, TLS SNI and certificate check). So a name that resolves to a public address when
checked and to 127.0.0.1 a moment later (DNS rebinding) still reaches the address that was checked.
Redirects are never followed: a 3xx is a failure.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from execsponsor.common.errors import InvalidInput

# Cloud instance-metadata services: never a chat server, always refused.
METADATA_ADDRESSES = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")})
# Shared address space (RFC 6598): Python calls it neither private nor global.
CGNAT = ipaddress.ip_network("100.64.0.0/10")
MAX_RESPONSE_BYTES = 64 * 1024

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class BlockedURL(InvalidInput):
    """The URL may not be called: wrong scheme, unresolvable, or an address the server must not reach."""


@dataclass(frozen=True)
class Target:
    """A checked URL and the one address it resolved to, which the request will connect to."""

    scheme: str
    host: str
    port: int
    path: str
    address: str

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"


def allows_http(webhook_allows: bool = False) -> bool:
    return webhook_allows or bool(getattr(settings, "ESP_WEBHOOK_ALLOW_HTTP", False))


def allows_private(webhook_allows: bool = False) -> bool:
    return webhook_allows or bool(getattr(settings, "ESP_WEBHOOK_ALLOW_PRIVATE", False))


def why_blocked(address: Address, *, allow_private: bool) -> str | None:
    """Why the server must not connect to `address`, or None when it may."""
    if address.version == 6 and address.ipv4_mapped is not None:  # type: ignore[union-attr]
        return why_blocked(address.ipv4_mapped, allow_private=allow_private)  # type: ignore[union-attr]
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if allow_private:
        return None
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.version == 4 and address in CGNAT:
        return "a carrier-grade NAT (100.64.0.0/10) address"
    if address.is_private or address.is_reserved or not address.is_global:
        return "a private or reserved address"
    return None


def resolve(host: str, port: int) -> list[Address]:
    """Every address the name resolves to, once (an IP literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise BlockedURL(f"The host name {host!r} does not resolve ({error}).", field="url") from None
    addresses: list[Address] = []
    for info in infos:
        text = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 zone id
        address = ipaddress.ip_address(text)
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise BlockedURL(f"The host name {host!r} does not resolve.", field="url")
    return addresses


def check_url(url: str, *, allow_http: bool = False, allow_private: bool = False) -> Target:
    """The URL as a Target pinned to its address, or BlockedURL saying why it may not be called.

    `allow_http` / `allow_private` are the webhook's own switches; the ESP_WEBHOOK_ALLOW_* settings add to them.
    Every address the name resolves to must be allowed: one private address among public ones is refused."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise BlockedURL(f"That is not a valid URL ({error}).", field="url") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise BlockedURL("A webhook URL starts with https://.", field="url")
    if scheme == "http" and not allows_http(allow_http):
        raise BlockedURL(
            "Plain http:// is not allowed: use https://, or an admin allows http for this webhook.", field="url"
        )
    if parts.username or parts.password:
        raise BlockedURL("Put no user name or password in the URL.", field="url")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise BlockedURL("The URL has no host name.", field="url")
    port = port or (443 if scheme == "https" else 80)
    permit_private = allows_private(allow_private)
    addresses = resolve(host, port)
    for address in addresses:
        reason = why_blocked(address, allow_private=permit_private)
        if reason:
            raise BlockedURL(
                f"{host} resolves to {address}, {reason}: the server does not send webhooks there"
                + ("." if permit_private else " unless an admin allows private addresses."),
                field="url",
            )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme=scheme, host=host, port=port, path=path, address=str(addresses[0]))


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address; the Host header still names the host."""

    def __init__(self, target: Target, *, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._pinned_address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._pinned_address, self.port), self.timeout)


def tls_context() -> ssl.SSLContext:
    """The system's trust store, certificate and host name checked (tests swap in their own authority)."""
    return ssl.create_default_context()


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the checked address, then speaks TLS with SNI and certificate check for the host name."""

    def __init__(self, target: Target, *, timeout: float, context: ssl.SSLContext | None = None):
        super().__init__(target.host, target.port, timeout=timeout, context=context or tls_context())
        self._pinned_address = target.address

    def connect(self) -> None:
        raw = socket.create_connection((self._pinned_address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


class DeliveryFailed(Exception):
    """The webhook did not accept the message (no connection, a timeout, or a non-2xx answer)."""


def post_json(target: Target, payload: dict[str, object], *, timeout: float | None = None) -> int:
    """POST the payload as JSON to the pinned target; the HTTP status, or DeliveryFailed with why."""
    timeout = timeout if timeout is not None else float(getattr(settings, "ESP_WEBHOOK_TIMEOUT", 10))
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target, timeout=timeout)
    else:
        connection = _PinnedHTTPConnection(target, timeout=timeout)
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "ExecSponsor", "Host": target.host_header}
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(MAX_RESPONSE_BYTES)
        status = response.status
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryFailed(f"{target.host} ({target.address}): {error or type(error).__name__}") from None
    finally:
        connection.close()
    if 300 <= status < 400:
        raise DeliveryFailed(f"{target.host} answered {status}, a redirect: redirects are not followed")
    if not 200 <= status < 300:
        raise DeliveryFailed(f"{target.host} answered {status}")
    return status


def send_chat_message(url: str, text: str, *, allow_http: bool = False, allow_private: bool = False) -> int:
    """Check the URL now (resolving once), then POST {"text": …} to the address just checked."""
    target = check_url(url, allow_http=allow_http, allow_private=allow_private)
    return post_json(target, {"text": text})
