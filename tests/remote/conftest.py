"""A phone server on loopback with a fake room, and a small HTTP phone to talk to it."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from coprod_desktop.remote.fake import FakeRoom, matrix_screen
from coprod_desktop.remote.guard import Limits
from coprod_desktop.remote.server import COOKIE, PhoneServer

# Short timeouts so the slow-client tests take seconds, not minutes.
TEST_LIMITS = Limits(header_timeout=1.0, body_timeout=1.0, write_timeout=2.0, sink_timeout=3.0, heartbeat=2.0)


@dataclass
class Phone:
    """One phone: keeps its cookie, speaks plain HTTP/1.1 to the server."""

    server: PhoneServer
    cookie: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        conn = self.connection()
        sent = {"Host": self.server.authority}
        if self.cookie:
            sent["Cookie"] = f"{COOKIE}={self.cookie}"
        sent.update(self.headers)
        sent.update(headers or {})
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read()
        got = {k.lower(): v for k, v in response.getheaders()}
        conn.close()
        if "set-cookie" in got and got["set-cookie"].startswith(COOKIE + "="):
            self.cookie = got["set-cookie"].split(";")[0].split("=", 1)[1]
        return response.status, got, data

    def open_page(self) -> int:
        status, _headers, _data = self.request("GET", f"/{self.server.token}/")
        return status

    def state(self) -> dict[str, Any]:
        status, _headers, data = self.request("GET", f"/{self.server.token}/state")
        assert status == 200, data
        return json.loads(data)

    def post(
        self, what: str, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, Any]]:
        sent = {"Content-Type": "application/json", "Origin": f"http://{self.server.authority}"}
        sent.update(headers or {})
        status, _headers, data = self.request(
            "POST", f"/{self.server.token}/{what}", json.dumps(body).encode(), sent
        )
        try:
            return status, json.loads(data)
        except ValueError:
            return status, {"raw": data.decode("utf-8", "replace")}


@pytest.fixture
def room() -> Iterator[FakeRoom]:
    fake = FakeRoom(matrix_screen(criteria=2, stages=2))
    yield fake
    fake.close()


@pytest.fixture
def server(room: FakeRoom) -> Iterator[PhoneServer]:
    phone_server = PhoneServer(room.feed, room.sink, "127.0.0.1", 0, limits=TEST_LIMITS)
    phone_server.start()
    yield phone_server
    phone_server.stop()
    assert not phone_server.running


@pytest.fixture
def phone(server: PhoneServer) -> Phone:
    new = Phone(server)
    assert new.open_page() == 200
    return new
