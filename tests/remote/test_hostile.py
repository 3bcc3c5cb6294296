"""Hostile and broken requests: each is refused, nothing reaches the room, the server goes on."""

from __future__ import annotations

import json
import socket
import time

import pytest

from coprod_desktop.remote.fake import FakeRoom
from coprod_desktop.remote.server import CSP, PhoneServer

from .conftest import Phone

VOTE = {"question": "cell/c0/s0", "choice": "3"}


def still_serving(phone: Phone, room: FakeRoom) -> None:
    """After the attack: nothing was recorded, and a proper vote still goes through."""
    assert room.recorded.votes == []
    status, answer = phone.post("vote", {**VOTE, "id": "proper-vote-1"})
    assert (status, answer.get("received")) == (200, True)
    assert [v.choice for v in room.recorded.votes] == ["3"]


def test_a_proper_vote_is_received_once_on_record(phone: Phone, room: FakeRoom) -> None:
    status, answer = phone.post("vote", {**VOTE, "id": "first-vote-1"})
    assert status == 200
    assert answer["received"] is True
    assert [(v.question, v.choice) for v in room.recorded.votes] == [("cell/c0/s0", "3")]
    assert phone.state()["view"]["mine"] == {"cell/c0/s0": "3"}


@pytest.mark.parametrize("token", ["", "wrongtoken", "x" * 22])
def test_a_wrong_or_missing_token_finds_nothing(phone: Phone, room: FakeRoom, token: str) -> None:
    status, _ = phone.request("GET", f"/{token}/state")[:2]
    assert status == 404
    status, _ = phone.request(
        "POST",
        f"/{token}/vote",
        json.dumps({**VOTE, "id": "abcdefgh"}).encode(),
        {"Content-Type": "application/json", "Origin": f"http://{phone.server.authority}"},
    )[:2]
    assert status == 404
    still_serving(phone, room)


def test_the_token_of_another_session_finds_nothing(phone: Phone, room: FakeRoom) -> None:
    other = FakeRoom()
    old = PhoneServer(other.feed, other.sink, "127.0.0.1", 0)
    old.start()
    old.stop()
    other.close()
    assert old.token != phone.server.token
    assert len(phone.server.token) >= 22
    status, _h, _d = phone.request("GET", f"/{old.token}/")
    assert status == 404
    still_serving(phone, room)


def test_a_replayed_vote_is_recorded_once(phone: Phone, room: FakeRoom) -> None:
    body = {**VOTE, "id": "replay-me-1"}
    for _ in range(5):
        status, answer = phone.post("vote", body)
        assert status == 200
        assert answer["received"] is True
    assert len(room.recorded.votes) == 1


def test_a_copied_request_without_the_phones_cookie_is_refused(phone: Phone, room: FakeRoom) -> None:
    stranger = Phone(phone.server)  # never opened the page: no cookie
    status, answer = stranger.post("vote", {**VOTE, "id": "stolen-1234"})
    assert status == 403
    assert "open the join address" in answer["error"]
    forged = Phone(phone.server, cookie="0" * 32)  # a well-formed id the server never issued
    assert forged.post("vote", {**VOTE, "id": "forged-1234"})[0] == 403
    still_serving(phone, room)


def test_an_oversized_body_is_refused(phone: Phone, room: FakeRoom) -> None:
    big = {**VOTE, "id": "big-body-1", "padding": "x" * 4000}
    status, answer = phone.post("vote", big)
    assert status == 413
    # Chunked, so the size is not announced up front.
    conn = phone.connection()
    conn.putrequest("POST", f"/{phone.server.token}/vote", skip_host=True)
    for name, value in {
        "Host": phone.server.authority,
        "Cookie": f"coprod_phone={phone.cookie}",
        "Content-Type": "application/json",
        "Origin": f"http://{phone.server.authority}",
        "Transfer-Encoding": "chunked",
    }.items():
        conn.putheader(name, value)
    conn.endheaders()
    for _ in range(5):
        chunk = b"x" * 1000
        conn.send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
    conn.send(b"0\r\n\r\n")
    assert conn.getresponse().status == 413
    conn.close()
    note = phone.post("note", {"text": "n" * 2500, "id": "big-note-1"})
    assert note[0] == 413
    assert room.recorded.notes == []
    still_serving(phone, room)


@pytest.mark.parametrize("host", ["evil.example:80", "localhost", "127.0.0.1", "attacker.test"])
def test_a_wrong_host_is_refused(phone: Phone, room: FakeRoom, host: str) -> None:
    # DNS rebinding: another name that resolves to this address must not reach the session.
    status, answer = phone.post("vote", {**VOTE, "id": "rebind-001"}, headers={"Host": host})
    assert status == 421
    status, _h, _d = phone.request("GET", f"/{phone.server.token}/state", headers={"Host": host})
    assert status == 421
    still_serving(phone, room)


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "application/json", "Origin": "http://evil.example"},
        {"Content-Type": "application/json", "Origin": "null"},
        {"Content-Type": "application/json", "Origin": "http://127.0.0.1:1"},
        {"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"},
        {"Content-Type": "application/json", "Referer": "http://evil.example/page"},
        # What a plain HTML form on another site can send without asking first:
        {"Content-Type": "text/plain"},
        {"Content-Type": "application/x-www-form-urlencoded"},
    ],
)
def test_a_cross_site_post_is_refused(phone: Phone, room: FakeRoom, headers: dict[str, str]) -> None:
    body = json.dumps({**VOTE, "id": "cross-site1"}).encode()
    status, _h, data = phone.request("POST", f"/{phone.server.token}/vote", body, headers)
    assert status in (403, 415), data
    still_serving(phone, room)


@pytest.mark.parametrize(
    "body",
    [
        b"not json at all",
        b'{"question": ',
        b"[1, 2, 3]",
        b"\xff\xfe\x00garbage",
        json.dumps({"question": "cell/c0/s0", "choice": "3"}).encode(),  # no request id
        json.dumps({"question": "cell/c0/s0", "choice": 3, "id": "numbers-1"}).encode(),
        json.dumps({"question": "cell/c0/s0", "choice": "9", "id": "outrange1"}).encode(),
        json.dumps({"question": "cell/nope/none", "choice": "3", "id": "notopen01"}).encode(),
        json.dumps({"question": "'; DROP TABLE vote; --", "choice": "3", "id": "injection"}).encode(),
        json.dumps({"question": "cell/c0/s0", "choice": "<b>3</b>", "id": "markup001"}).encode(),
        json.dumps({"question": ["cell/c0/s0"], "choice": "3", "id": "listqst01"}).encode(),
    ],
)
def test_garbage_json_is_refused(phone: Phone, room: FakeRoom, body: bytes) -> None:
    status, _h, data = phone.request(
        "POST",
        f"/{phone.server.token}/vote",
        body,
        {"Content-Type": "application/json", "Origin": f"http://{phone.server.authority}"},
    )
    assert status in (400, 409), data
    assert "error" in json.loads(data)
    still_serving(phone, room)


def _raw(server: PhoneServer) -> socket.socket:
    sock = socket.create_connection((server.host, server.port), timeout=10)
    return sock


def test_a_client_sending_its_request_slowly_is_cut_off(phone: Phone, room: FakeRoom) -> None:
    slow = _raw(phone.server)
    slow.sendall(f"POST /{phone.server.token}/vote HTTP/1.1\r\nHost: {phone.server.authority}\r\n".encode())
    started = time.monotonic()
    slow.settimeout(10)
    # The rest of the head never comes: the server closes the connection after its header timeout.
    assert slow.recv(100) == b""
    assert time.monotonic() - started < 5
    slow.close()
    still_serving(phone, room)


def test_a_client_sending_its_body_slowly_is_refused(phone: Phone, room: FakeRoom) -> None:
    slow = _raw(phone.server)
    body = json.dumps({**VOTE, "id": "slow-body-1"}).encode()
    head = (
        f"POST /{phone.server.token}/vote HTTP/1.1\r\nHost: {phone.server.authority}\r\n"
        f"Cookie: coprod_phone={phone.cookie}\r\nContent-Type: application/json\r\n"
        f"Origin: http://{phone.server.authority}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    slow.sendall(head.encode() + body[:5])
    slow.settimeout(10)
    answer = slow.recv(200)
    assert answer.startswith(b"HTTP/1.1 408")
    slow.close()
    still_serving(phone, room)


def test_idle_connections_beyond_the_cap_are_turned_away(room: FakeRoom) -> None:
    from coprod_desktop.remote.guard import Limits

    capped = PhoneServer(
        room.feed, room.sink, "127.0.0.1", 0, limits=Limits(max_connections=5, header_timeout=30)
    )
    capped.start()
    try:
        held = [_raw(capped) for _ in range(5)]
        time.sleep(0.2)
        extra = _raw(capped)
        assert extra.recv(100).startswith(b"HTTP/1.1 503")
        extra.close()
        for sock in held:
            sock.close()
        time.sleep(0.3)
        phone = Phone(capped)
        assert phone.open_page() == 200
        still_serving(phone, room)
    finally:
        capped.stop()


def test_a_phone_sending_too_fast_is_slowed_down(phone: Phone, room: FakeRoom) -> None:
    statuses = [phone.request("GET", f"/{phone.server.token}/state")[0] for _ in range(60)]
    assert 429 in statuses
    assert statuses[0] == 200
    time.sleep(1.0)
    still_serving(phone, room)


def test_every_answer_carries_a_strict_content_security_policy(phone: Phone) -> None:
    for path in (f"/{phone.server.token}/", f"/{phone.server.token}/state", "/", "/s/app.js", "/nothing"):
        _status, headers, _data = phone.request("GET", path)
        assert headers["content-security-policy"] == CSP
        assert headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in CSP
    assert "unsafe-inline" not in CSP


def test_the_cookie_is_for_this_page_only(server: PhoneServer) -> None:
    phone = Phone(server)
    _status, headers, _data = phone.request("GET", f"/{server.token}/")
    cookie = headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert f"path=/{server.token.lower()}/" in cookie
    assert len(phone.cookie) == 32


def test_a_second_tab_of_the_same_phone_is_the_same_device(phone: Phone, room: FakeRoom) -> None:
    second_tab = Phone(phone.server, cookie=phone.cookie)
    assert second_tab.open_page() == 200
    assert second_tab.cookie == phone.cookie  # no new id handed out
    phone.post("vote", {**VOTE, "id": "tab-one-01"})
    second_tab.post("vote", {**VOTE, "choice": "1", "id": "tab-two-01"})
    assert len({v.device for v in room.recorded.votes}) == 1
    assert second_tab.state()["view"]["mine"] == {"cell/c0/s0": "1"}


def test_no_ip_address_is_kept_or_logged(
    phone: Phone, room: FakeRoom, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    phone.post("vote", {**VOTE, "id": "logged-001"})
    phone.request("POST", f"/{phone.server.token}/vote", b"garbage", {"Content-Type": "application/json"})
    phone.request("GET", "/../../etc/passwd")
    assert "127.0.0.1" not in caplog.text
    recorded = repr(room.recorded) + repr(vars(phone.server))
    assert "127.0.0.1" not in recorded.replace(f"'host': '{phone.server.host}'", "")
    assert phone.cookie not in recorded  # only the keyed hash of the device id is kept


def test_a_room_code_typed_by_hand_leads_to_the_page(server: PhoneServer) -> None:
    phone = Phone(server)
    form = {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://{server.authority}"}
    status, _h, page = phone.request("GET", "/")
    assert status == 200
    assert b"Room code" in page
    assert server.token.encode() not in page
    status, headers, _d = phone.request("POST", "/code", f"code={server.room_code.lower()}".encode(), form)
    assert status == 303
    assert headers["location"] == f"/{server.token}/"
    status, _h, page = phone.request("POST", "/code", b"code=WRONG1", form)
    assert status == 403
    assert server.token.encode() not in page
    # Guessing is cut short for everyone, so a six-letter code cannot be tried out.
    statuses = [phone.request("POST", "/code", b"code=AAAAAA", form)[0] for _ in range(15)]
    assert statuses[-1] == 429


@pytest.mark.parametrize("everywhere", ["0.0.0.0", "::", ""])
def test_the_server_never_listens_on_every_address(room: FakeRoom, everywhere: str) -> None:
    from coprod_desktop.domain.errors import PhoneServerError

    with pytest.raises(PhoneServerError, match="one address only"):
        PhoneServer(room.feed, room.sink, everywhere, 0).start()


@pytest.mark.parametrize(
    "body",
    [
        {"side": "king"},
        {"side": ["staff"]},
        {"side": "staff" * 40},
        {"side": "lived", "voter": "nobody"},
    ],
)
def test_a_group_not_offered_is_refused(phone: Phone, room: FakeRoom, body: dict[str, object]) -> None:
    room.sides = [{"value": "lived", "label": "Lived"}, {"value": "staff", "label": "Staff"}]
    room.publish()
    status, answer = phone.post("join", {**body, "id": "group-0001"})
    assert status == 400, answer
    assert "error" in answer
    assert [j for j in room.recorded.joins if j.side] == []
    still_serving(phone, room)


def test_a_language_cookie_that_is_not_one_of_the_apps_is_ignored(phone: Phone) -> None:
    for cookie in ("xx", "cy\\u0022", "../../etc", "e" * 200):
        status, _h, data = phone.request(
            "GET", f"/{phone.server.token}/", headers={"Cookie": f"coprod_phone={phone.cookie}; coprod_lang={cookie}"}
        )
        assert status == 200
        assert b'<html lang="en" dir="ltr">' in data
