"""Across a real network: a phone in its own network namespace, joined to this one by a veth pair.

The namespace, the pair and their addresses (from the documentation range 203.0.113.0/24) are
made by the test and removed after it; no traffic leaves this machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest

from coprod_desktop.remote.fake import FakeRoom, scenario_screen
from coprod_desktop.remote.server import PhoneServer

LAPTOP = "203.0.113.1"
NOT_SERVED = "203.0.113.5"  # also this laptop's, on the same link, but not the address asked for
PHONE = "203.0.113.2"

PHONE_SCRIPT = textwrap.dedent(
    """
    import http.client, json, sys
    host, port, authority, token = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    try:
        conn = http.client.HTTPConnection(host, port, timeout=5)
        conn.request("GET", "/" + token + "/", headers={"Host": authority})
        page = conn.getresponse()
        cookie = page.getheader("Set-Cookie", "").split(";")[0]
        page.read()
        body = json.dumps({"question": "scenario/library", "choice": "co-design", "id": "netns-vote-1"})
        conn.request("POST", "/" + token + "/vote", body=body, headers={
            "Host": authority, "Cookie": cookie, "Content-Type": "application/json",
            "Origin": "http://" + authority})
        answer = conn.getresponse()
        print(page.status, answer.status, answer.read().decode())
    except OSError as exc:
        print("unreachable", type(exc).__name__)
    """
)


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=check, timeout=20)


@pytest.fixture
def namespace() -> Iterator[str]:
    if shutil.which("ip") is None:
        pytest.skip("the `ip` tool (Debian package iproute2) is not installed")
    if os.geteuid() != 0:
        pytest.skip("network namespaces need root; run the tests as root to include this one")
    name = f"coprod-phone-{os.getpid()}"
    laptop_end, phone_end = f"cpl{os.getpid() % 100000}", f"cpp{os.getpid() % 100000}"
    made = _ip("netns", "add", name, check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot make a network namespace here: {made.stderr.strip()}")
    try:
        _ip("link", "add", laptop_end, "type", "veth", "peer", "name", phone_end)
        _ip("link", "set", phone_end, "netns", name)
        _ip("addr", "add", f"{LAPTOP}/24", "dev", laptop_end)
        _ip("addr", "add", f"{NOT_SERVED}/24", "dev", laptop_end)
        _ip("link", "set", laptop_end, "up")
        _ip("-n", name, "addr", "add", f"{PHONE}/24", "dev", phone_end)
        _ip("-n", name, "link", "set", phone_end, "up")
        _ip("-n", name, "link", "set", "lo", "up")
        yield name
    finally:
        _ip("link", "del", laptop_end, check=False)
        _ip("netns", "del", name, check=False)
        assert name not in _ip("netns", "list", check=False).stdout


def _phone_in(namespace: str, host: str, server: PhoneServer) -> str:
    done = subprocess.run(
        [
            "ip",
            "netns",
            "exec",
            namespace,
            sys.executable,
            "-c",
            PHONE_SCRIPT,
            host,
            str(server.port),
            server.authority,
            server.token,
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done.stdout.strip() + done.stderr.strip()


def test_a_phone_on_another_network_reaches_the_bound_address_only(namespace: str) -> None:
    room = FakeRoom(scenario_screen())
    server = PhoneServer(room.feed, room.sink, LAPTOP, 0)
    server.start()
    try:
        reached = _phone_in(namespace, LAPTOP, server)
        assert reached.startswith("200 200"), reached
        assert [v.choice for v in room.recorded.votes] == ["co-design"]
        # The same laptop on an address it was not asked to serve: nothing listens there.
        assert _phone_in(namespace, NOT_SERVED, server) == "unreachable ConnectionRefusedError"
        # Nor on this laptop's loopback, from this laptop.
        import socket

        with (
            pytest.raises(ConnectionRefusedError),
            socket.create_connection(("127.0.0.1", server.port), timeout=2),
        ):
            pass
        assert len(room.recorded.votes) == 1
    finally:
        server.stop()
        room.close()
