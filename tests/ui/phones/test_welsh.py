"""Phones on the laptop in Welsh: the panel, the network check, the join screen on the projector
and the menus show no English sentence the phone catalogue has Welsh for, and follow a change
of the app's language made in Settings while Phones is on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from coprod_desktop.domain.i18n import using
from coprod_desktop.remote.network import FIREWALLS, NetworkCheck
from coprod_desktop.ui.shell.mainwindow import MainWindow

from ..welsh import EnglishLeft, visible_texts, welsh_sample


def _feature_texts(window: MainWindow) -> Iterator[tuple[str, str]]:
    phones = window.phones
    for label, action in (("Phones action", phones.action), ("Phones panel action", phones.panel_action)):
        yield f"{label} (text)", action.text()
        yield f"{label} (tooltip)", action.toolTip()
        yield f"{label} (status tip)", action.statusTip()
    yield "room toolbar (title)", phones.toolbar.windowTitle()
    yield "status bar", window.statusBar().currentMessage()


@pytest.fixture
def welsh_window(qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    from coprod_desktop.ui.shell.language import apply_language

    apply_language("cy")  # set_language, and Qt's standard buttons in Welsh too
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close_session()


def test_the_phones_panel_network_check_and_join_screen_speak_welsh(  # type: ignore[no-untyped-def]
    welsh_window: MainWindow, tmp_path: Path, qtbot
) -> None:
    window = welsh_window
    english = EnglishLeft("phone", min_letters=3)
    assert len(english.texts) > 30, "the phone catalogue has Welsh to check against"
    assert window.open_session(welsh_sample(tmp_path))
    phones, panel = window.phones, window.phones.panel
    seen: list[tuple[str, str]] = []

    panel.show()
    qtbot.waitExposed(panel)
    seen += [(f"panel, off: {w}", t) for w, t in visible_texts(panel)]
    assert panel.switch.text() == "Troi Ffonau ymlaen"
    phones.show_join_to_room(True)  # nothing on the projector yet: a problem, said in Welsh
    seen += [("panel, not presenting: state", panel.state.text())]
    assert panel.state.text().startswith("Dechreuwch gyflwyno")

    window.start_presenting()
    assert window.presenter is not None
    url = phones.turn_on("127.0.0.1", 0)
    assert url
    panel.show_room.setChecked(True)
    assert phones.room_join is not None
    phones.check_network()
    qtbot.wait(20)
    seen += [(f"panel, on: {w}", t) for w, t in visible_texts(panel)]
    seen += [(f"join screen on the projector: {w}", t) for w, t in visible_texts(phones.room_join)]
    seen += list(_feature_texts(window))
    assert panel.state.text() == f"Mae ffonau'n ymuno yn {url}"
    assert "Cod yr ystafell: " in phones.room_join.code.text()
    assert phones.room_join.count.text() == "0 ffôn wedi ymuno"
    assert panel.report.text().startswith("Rhaid i ffonau gyrraedd y gliniadur hwn")
    assert panel.crowd.text().startswith("0 ffôn wedi ymuno. Mae ")

    # Every sentence a network check can say: answering or not, loopback or not, each firewall.
    for listening in (True, False):
        for host in ("127.0.0.1", "192.168.1.20"):
            for firewall in ("", *FIREWALLS):
                check = NetworkCheck(f"{host}:8765", "", listening, 3, 2, host, 8765, firewall)
                seen.append((f"network check ({listening=}, {host=}, {firewall=})", check.text))
    phones.turn_off()
    seen += [(f"panel, off again: {w}", t) for w, t in visible_texts(panel)]
    window.stop_presenting()

    assert len(seen) > 100
    english.look("Phones", seen)
    assert not english.left, "English left on the Welsh Phones screens:\n" + "\n".join(english.left)


def test_a_server_that_cannot_start_says_why_in_the_language_of_the_app(qtbot) -> None:  # type: ignore[no-untyped-def]
    from coprod_desktop.domain.errors import PhoneServerError
    from coprod_desktop.remote.fake import WAITING, FakeRoom
    from coprod_desktop.remote.server import PhoneServer

    room = FakeRoom(WAITING)
    try:
        with using("cy"):
            server = PhoneServer(room.feed, room.sink, "203.0.113.77", 0)  # not this laptop's address
            with pytest.raises(PhoneServerError) as raised:
                server.start()
            server.stop()
    finally:
        room.close()
    assert str(raised.value) == (
        "Nid oes gan y cyfrifiadur hwn y cyfeiriad 203.0.113.77 bellach; dewiswch un o'r rhestr."
    )


def test_phones_follow_a_change_of_language_while_on_and_on_the_projector(  # type: ignore[no-untyped-def]
    window: MainWindow, sample_file: Path, qtbot
) -> None:
    english = EnglishLeft("phone", min_letters=3)
    assert window.open_session(sample_file)
    phones, panel = window.phones, window.phones.panel
    window.start_presenting()
    url = phones.turn_on("127.0.0.1", 0)
    panel.show_room.setChecked(True)
    phones.check_network()
    phones.show_panel()
    assert phones.action.text() == "&Phones"
    assert panel.state.text() == f"Phones join at {url}"
    assert phones.room_join is not None
    assert phones.room_join.heading.text() == "Vote from your phone"

    window.set_app_language("cy")
    QApplication.processEvents()
    assert phones.running  # nothing stopped: the same server, the same address
    assert phones.controller is not None
    assert phones.controller.url == url
    assert phones.action.text() == "&Ffonau"
    assert phones.action.isChecked()
    assert panel.windowTitle() == "Ffonau"
    assert panel.switch.text() == "Diffodd Ffonau"
    assert panel.state.text() == f"Mae ffonau'n ymuno yn {url}"
    assert panel.report.text().startswith("Rhaid i ffonau gyrraedd")
    assert panel.join.heading.text() == "Pleidleisiwch o'ch ffôn"
    # The room's window was made again in Welsh; the join screen is back on it, in Welsh.
    assert window.presenter is not None
    audience = window.presenter.window
    assert audience is not None
    join = phones.room_join
    assert join is not None
    assert join.window() is audience
    assert audience.pages.currentWidget() is join
    assert join.heading.text() == "Pleidleisiwch o'ch ffôn"
    assert f"http://{url.split('/')[2]}" in join.texts()
    seen = [(f"panel: {w}", t) for w, t in visible_texts(panel)]
    seen += [(f"join screen on the projector: {w}", t) for w, t in visible_texts(join)]
    seen += list(_feature_texts(window))
    english.look("Phones", seen)
    assert not english.left, "English left after switching to Welsh:\n" + "\n".join(english.left)

    window.set_app_language("en")
    QApplication.processEvents()
    assert phones.action.text() == "&Phones"
    assert panel.switch.text() == "Turn Phones off"
    assert phones.room_join is not None
    assert phones.room_join.heading.text() == "Vote from your phone"
    panel.show_room.setChecked(False)
    assert phones.room_join is None
    window.stop_presenting()
