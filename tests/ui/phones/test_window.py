"""Phones in the app: the toggle in the View menu and toolbar, on and off with the session,
the join screen on the projector, and `coprod-desktop FILE --phones`."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QToolBar

from coprod_desktop.app import EXIT_ERROR, main
from coprod_desktop.ui.document import SessionDocument


def _get(url: str) -> int:
    authority = url.split("/")[2]
    host, port = authority.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        conn.request("GET", "/" + url.split("/")[3] + "/", headers={"Host": authority})
        return conn.getresponse().status
    finally:
        conn.close()


def test_the_phones_toggle_is_in_the_view_menu_and_on_the_toolbar(window) -> None:  # type: ignore[no-untyped-def]
    views = [a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "View"]
    assert window.phones.action in views[0].actions()
    toolbar = window.findChild(QToolBar, "roomToolbar")
    assert window.phones.action in toolbar.actions()
    assert not window.phones.action.isEnabled()  # nothing to vote in before a session is open
    assert toolbar.isHidden()


def test_phones_listen_only_while_on_and_stop_with_the_session(window, sample_file: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert window.open_session(sample_file)
    phones = window.phones
    assert phones.action.isEnabled()
    phones.panel.refresh_addresses(prefer="127.0.0.1")
    url = phones.turn_on("127.0.0.1", 0)
    assert url.startswith("http://127.0.0.1:")
    assert phones.action.isChecked()
    assert phones.panel.state.text() == f"Phones join at {url}"
    assert _get(url) == 200
    phones.check_network()
    assert "The voting page answers on 127.0.0.1" in phones.panel.report.text()
    window.close_session()
    assert not phones.running
    assert not phones.action.isChecked()
    with pytest.raises(ConnectionRefusedError):
        _get(url)


def test_the_controller_is_made_after_the_first_frame_or_when_first_needed(window, sample_file: Path, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert window.open_session(sample_file)
    phones = window.phones
    assert phones._controller is None  # the session's first frame does not wait for it
    assert phones.action.isEnabled()
    assert not phones.running
    qtbot.waitUntil(lambda: phones._controller is not None, timeout=3000)  # made once idle
    made = phones._controller
    window.close_session()
    assert phones._controller is None
    assert not phones.action.isEnabled()
    assert window.open_session(sample_file)
    assert phones.controller is not None  # asked for: made now
    assert phones.controller is not made
    window.close_session()
    assert phones.panel is not None  # once the panel is made, a session's controller comes with it
    assert window.open_session(sample_file)
    assert phones._controller is not None
    window.close_session()
    monkeypatch.setattr(SessionDocument, "read_only", property(lambda _self: True))
    assert window.open_session(sample_file)
    assert not phones.action.isEnabled()  # a read-only session cannot take votes
    assert phones.controller is None
    assert not phones.action.isEnabled()
    window.close_session()


def test_the_join_screen_goes_on_the_projector(window, sample_file: Path, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert window.open_session(sample_file)
    window.start_presenting()
    audience = window.presenter.window
    assert audience is not None
    url = window.phones.turn_on("127.0.0.1", 0)
    window.phones.panel.show_room.setChecked(True)
    join = window.phones.room_join
    assert join is not None
    assert audience.pages.currentWidget() is join
    assert f"http://{url.split('/')[2]}" in join.texts()
    for width, height in ((1280, 720), (1920, 1080)):
        audience.resize(width, height)
        qtbot.wait(20)
        if os.environ.get("COPROD_SHOTS") == "1":
            shots = Path(__file__).resolve().parents[3] / "shots"
            shots.mkdir(exist_ok=True)
            audience.grab().save(str(shots / f"projector-join-{width}x{height}.png"))
    window.phones.panel.show_room.setChecked(False)
    assert window.phones.room_join is None
    assert audience.pages.currentIndex() == 0
    window.stop_presenting()


def test_phones_need_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--phones"]) == EXIT_ERROR
    assert "--phones needs a session FILE" in capsys.readouterr().err
    assert main(["x.coprod", "--port", "8000"]) == EXIT_ERROR
    assert "go with --phones" in capsys.readouterr().err


@pytest.mark.timeout(60)
def test_the_command_line_prints_one_line_once_listening(sample_file: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPROD_")}
    env.update(
        QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "c"), XDG_DATA_HOME=str(tmp_path / "d")
    )
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "coprod_desktop",
            str(sample_file),
            "--phones",
            "--bind",
            "127.0.0.1",
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    ) as app:
        assert app.stdout is not None
        try:
            line = app.stdout.readline()
            assert line.startswith("Phones join at http://127.0.0.1:"), line
            url = line.split(" at ", 1)[1].strip()
            assert _get(url) == 200
        finally:
            app.terminate()  # the app we started, by its own handle
        rest = app.stdout.read()
        app.wait(20)
    assert rest == ""  # exactly one line


def test_an_address_this_laptop_does_not_have_is_one_plain_sentence(
    sample_file: Path, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPROD_")}
    env.update(
        QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "c"), XDG_DATA_HOME=str(tmp_path / "d")
    )
    done = subprocess.run(
        [sys.executable, "-m", "coprod_desktop", str(sample_file), "--phones", "--bind", "203.0.113.77"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == EXIT_ERROR
    assert done.stdout == ""
    # The offscreen platform adds notices of its own; ours is the one sentence.
    ours = [line for line in done.stderr.splitlines() if not line.startswith("This plugin does not support")]
    assert ours == [
        "coprod-desktop: This computer has no address 203.0.113.77 now; choose one from the list."
    ]


def test_a_note_from_a_phone_waits_until_the_facilitator_keeps_it(window, sample_file: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    import json
    from concurrent.futures import ThreadPoolExecutor

    from coprod_desktop.domain.model import Note

    assert window.open_session(sample_file)
    url = window.phones.turn_on("127.0.0.1", 0)
    authority = url.split("/")[2]
    host, port = authority.rsplit(":", 1)

    def phone_sends_a_note() -> int:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            conn.request("GET", "/" + url.split("/")[3] + "/", headers={"Host": authority})
            page = conn.getresponse()
            cookie = page.getheader("Set-Cookie", "").split(";")[0]
            page.read()
            body = json.dumps({"text": "Could we have <b>larger</b> print?", "id": "note-from-phone-1"})
            conn.request(
                "POST",
                "/" + url.split("/")[3] + "/note",
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
            return answer.status
        finally:
            conn.close()

    notes_before = len(window.document.session.notes)
    with ThreadPoolExecutor(1) as pool:
        sent = pool.submit(phone_sends_a_note)
        qtbot.waitUntil(sent.done, timeout=10000)
    assert sent.result() == 200
    panel = window.phones.panel
    assert [panel.notes.item(i).text() for i in range(panel.notes.count())] == [
        "Could we have <b>larger</b> print?"
    ]
    assert len(window.document.session.notes) == notes_before  # waits on the laptop
    assert "1 phone joined" in panel.crowd.text()
    panel.notes.setCurrentRow(0)
    panel.keep_note.click()
    assert panel.notes.count() == 0
    assert "Could we have <b>larger</b> print?" in [n.text for n in window.document.session.items(Note)]
    window.undo_action.trigger()  # Edit > Undo: the note waits on the laptop again
    assert [panel.notes.item(i).text() for i in range(panel.notes.count())] == [
        "Could we have <b>larger</b> print?"
    ]
    assert "Could we have <b>larger</b> print?" not in [n.text for n in window.document.session.items(Note)]
    assert window.statusBar().currentMessage() == "Undone: Keep a note from a phone"
    window.redo_action.trigger()
    assert panel.notes.count() == 0
    assert "Could we have <b>larger</b> print?" in [n.text for n in window.document.session.items(Note)]
    window.close_session()
