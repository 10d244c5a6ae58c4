"""The address a request really comes from, for sign-in lockout (django-axes) behind a load balancer.

`X-Forwarded-For` is believed only when the connection comes from a proxy named in ESP_TRUSTED_PROXIES:
anyone else could write any address there and so escape a lockout, or lock someone else out.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_networks(entries) -> tuple[Network, ...]:
    """ESP_TRUSTED_PROXIES entries (addresses or CIDR ranges) as networks; raises ValueError on a bad one."""
    return _networks(tuple(entries))


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str | None:
    """REMOTE_ADDR; behind trusted proxies, the right-most X-Forwarded-For entry that is not a trusted proxy
    (each proxy appends the address it received the request from, so entries to the left are the client's
    own claims)."""
    remote = request.META.get("REMOTE_ADDR")
    networks = trusted_networks(getattr(settings, "ESP_TRUSTED_PROXIES", ()))
    if not networks or not remote or not _is_trusted(remote, networks):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if not _is_trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # a garbled header: fall back to the proxy, never to a made-up value
    return remote
