"""A real HTTP server on loopback that records what webhooks post to it, and a resolver tests control."""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from execsponsor.notify import outbound
from tests.mail import mailbox  # noqa: F401 - a fixture


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    payload: dict


@dataclass
class ChatServer:
    """Answers every POST with `status` (and `location` for a redirect) and keeps what it got."""

    port: int = 0
    status: int = 200
    location: str = ""
    received: list[Received] = field(default_factory=list)
    connections: int = 0


def _handler_for(server: ChatServer):
    class Handler(BaseHTTPRequestHandler):
        def setup(self):
            server.connections += 1
            super().setup()

        def do_POST(self):  # noqa: N802 - http.server's hook name
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            server.received.append(Received(self.path, dict(self.headers.items()), json.loads(body or b"{}")))
            self.send_response(server.status)
            if server.location:
                self.send_header("Location", server.location)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    return Handler


def start_server(chat: ChatServer, *, tls_context=None) -> ThreadingHTTPServer:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(chat))
    if tls_context is not None:
        httpd.socket = tls_context.wrap_socket(httpd.socket, server_side=True)
    chat.port = httpd.server_address[1]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture
def chat_server():
    chat = ChatServer()
    httpd = start_server(chat)
    yield chat
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def resolver(monkeypatch):
    """Names the test decides (answers in order, the last one repeated); other names resolve as usual.
    `resolver.calls` counts the look-ups per name."""
    real = socket.getaddrinfo
    answers: dict[str, list[str]] = {}
    calls: dict[str, int] = {}

    def fake(host, port, *args, **kwargs):
        if host in answers:
            calls[host] = calls.get(host, 0) + 1
            queue = answers[host]
            address = queue.pop(0) if len(queue) > 1 else queue[0]
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(outbound.socket, "getaddrinfo", fake)

    class Resolver:
        def answer(self, host: str, *addresses: str) -> None:
            answers[host] = list(addresses)

    found = Resolver()
    found.calls = calls  # type: ignore[attr-defined]
    return found


@pytest.fixture
def connections(monkeypatch):
    """Every address the code tries to connect to (the real connection still happens)."""
    real = socket.create_connection
    tried: list[tuple] = []

    def recording(address, *args, **kwargs):
        tried.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(outbound.socket, "create_connection", recording)
    return tried
