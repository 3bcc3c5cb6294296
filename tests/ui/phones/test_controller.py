"""Phones on the Qt side: inputs cross from the server's thread to the GUI thread and back."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QThread

from coprod_desktop.remote.fake import matrix_screen
from coprod_desktop.remote.interface import PhoneInput, PhoneVote, Receipt
from coprod_desktop.ui.phones.controller import PhonesController
from coprod_desktop.ui.phones.joinwidget import JoinScreenWidget
from coprod_desktop.ui.phones.panel import PhonesPanel


def _phone_votes(url: str, authority: str, votes: list[tuple[str, str]]) -> list[int]:
    host, port = authority.split(":")
    path = "/" + url.split("/")[3] + "/"
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("GET", path, headers={"Host": authority})
    page = conn.getresponse()
    cookie = page.getheader("Set-Cookie", "").split(";")[0]
    page.read()
    statuses = []
    for n, (question, choice) in enumerate(votes):
        body = json.dumps({"question": question, "choice": choice, "id": f"qt-vote-{n:04d}"})
        for _attempt in range(20):
            conn.request(
                "POST",
                path + "vote",
                body=body,
                headers={
                    "Host": authority,
                    "Cookie": cookie,
                    "Content-Type": "application/json",
                    "Origin": f"http://{authority}",
                },
            )
            answer = conn.getresponse()
            answer.read()
            if answer.status != 429:  # too fast for the rate limit: wait as told, as the page does
                break
            time.sleep(float(answer.getheader("Retry-After", "1")))
        statuses.append(answer.status)
    conn.close()
    return statuses


def test_a_phone_vote_is_recorded_on_the_gui_thread_before_the_phone_hears_of_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    recorded: list[tuple[PhoneInput, bool]] = []
    gui = threading.get_ident()
    waiting: list[Callable[[Receipt], None]] = []

    def recorder(item: PhoneInput, done: Callable[[Receipt], None]) -> None:
        recorded.append((item, threading.get_ident() == gui))
        if isinstance(item, PhoneVote):
            waiting.append(done)  # "on disk" only when the test says so
        else:
            done(Receipt.ok())

    def view() -> tuple[dict[str, Any], dict[str, Any]]:
        return {"title": "T", "mode": "anonymous", "notes": False, "screen": matrix_screen(1, 2)}, {}

    controller = PhonesController(recorder, view)
    url = controller.start("127.0.0.1", 0)
    assert controller.running
    assert url.startswith("http://127.0.0.1:")
    authority = url.split("/")[2]
    with ThreadPoolExecutor(1) as pool:
        phone = pool.submit(_phone_votes, url, authority, [("cell/c0/s0", "4")])
        qtbot.waitUntil(lambda: len(waiting) == 1, timeout=5000)
        time.sleep(0.3)
        assert not phone.done()  # not told "received" before it is on disk
        waiting[0](Receipt.ok())
        assert phone.result(timeout=5) == [200]
    votes = [item for item, _on_gui in recorded if isinstance(item, PhoneVote)]
    assert [(v.question, v.choice) for v in votes] == [("cell/c0/s0", "4")]
    assert all(on_gui for _item, on_gui in recorded)
    assert QThread.currentThread() is controller.thread()
    controller.stop()
    assert not controller.running


def test_the_gui_thread_is_never_held_up_by_the_phones(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Each piece of phone work on the GUI thread (taking an input, publishing the view) costs
    under a frame (16 ms) of that thread's own time; waiting for the machine is not counted."""
    spent: list[float] = []

    def recorder(item: PhoneInput, done: Callable[[Receipt], None]) -> None:
        started = time.thread_time()
        done(Receipt.ok())
        spent.append(time.thread_time() - started)

    def view() -> tuple[dict[str, Any], dict[str, Any]]:
        return {"title": "T", "mode": "anonymous", "notes": False, "screen": matrix_screen(5, 10)}, {}

    controller = PhonesController(recorder, view)
    publish = controller.publish

    def timed_publish() -> None:
        started = time.thread_time()
        publish()
        spent.append(time.thread_time() - started)

    controller.publish = timed_publish  # type: ignore[method-assign]
    url = controller.start("127.0.0.1", 0)
    authority = url.split("/")[2]
    boxes = [(f"cell/c{c}/s{s}", str((c + s) % 5)) for c in range(5) for s in range(10)]
    with ThreadPoolExecutor(6) as pool:
        phones = [pool.submit(_phone_votes, url, authority, boxes) for _ in range(6)]
        for _ in range(20):
            controller.schedule_publish()
            qtbot.wait(20)
        qtbot.waitUntil(lambda: all(p.done() for p in phones), timeout=60000)
    controller.stop()
    assert all(p.result() == [200] * len(boxes) for p in phones)
    assert len(spent) >= 6 * len(boxes)
    assert max(spent) < 0.016, max(spent)


def test_the_panel_offers_this_laptops_addresses_and_shows_the_join_address(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = PhonesPanel()
    qtbot.addWidget(panel)
    labels = [panel.address.itemText(i) for i in range(panel.address.count())]
    assert any("127.0.0.1 (lo" in label and "this laptop only" in label for label in labels)
    panel.refresh_addresses(prefer="127.0.0.1")
    assert panel.chosen() == ("127.0.0.1", 8765)
    panel.set_running("http://127.0.0.1:8765/abc/")
    assert panel.state.text() == "Phones join at http://127.0.0.1:8765/abc/"
    assert panel.switch.isChecked()
    assert not panel.address.isEnabled()
    panel.set_running("")
    assert "Phones are off" in panel.state.text()


def test_the_join_screen_shows_code_address_and_count(qtbot) -> None:  # type: ignore[no-untyped-def]
    from coprod_desktop.remote.join import join_screen

    widget = JoinScreenWidget()
    qtbot.addWidget(widget)
    widget.show_join(join_screen("http://10.42.0.1:8765/tok/", "10.42.0.1:8765", "ABCDEF", joined=1))
    texts = widget.texts()
    assert "http://10.42.0.1:8765" in texts
    assert "Room code: ABC-DEF" in texts
    assert "1 phone joined" in texts
    widget.set_joined(12)
    assert "12 phones joined" in widget.texts()
    assert widget.qr.renderer.isValid()


def test_the_small_join_screen_in_the_panel_keeps_its_words(qtbot) -> None:  # type: ignore[no-untyped-def]
    from coprod_desktop.remote.join import join_screen

    widget = JoinScreenWidget(scale=0.35)
    qtbot.addWidget(widget)
    widget.show_join(join_screen("http://10.42.0.1:8765/tok/", "10.42.0.1:8765", "ABCDEF", joined=1))
    widget.resize(698, 240)  # its size in the Phones panel
    widget.show()
    qtbot.waitExposed(widget)
    for label in (widget.heading, widget.steps, widget.address, widget.code, widget.count):
        assert label.height() >= 12, label.objectName()  # was squeezed to 0 px
