"""The room's change view lives in the projector's window, in the step's place: the clicker
pages it, B blacks it out, Esc leaves presenting and F5 comes back to it, as for every step.

Run on one offscreen screen by default; `test_on_two_screens` runs this file again with a
laptop and a projector (QT_QPA_PLATFORM=offscreen:configfile=...), where the room's view must
be on the projector and the laptop's dialog on the laptop."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from coprod_desktop.domain.followup import start_follow_up
from coprod_desktop.domain.model import Reveal, Vote
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.domain.voting import cell_question
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.shell.mainwindow import MainWindow
from coprod_desktop.ui.steps.compare.changeview import ChangeDialog, ChangeRoomWidget

SHOTS = Path(os.environ.get("COPROD_SHOTS", "/tmp/shots-followups"))
TWO_SCREENS = os.environ.get("COPROD_TEST_TWO_SCREENS") == "1"


@pytest.fixture
def runs(tmp_path: Path) -> tuple[Path, Path]:
    """The sample, and a follow-up of it where the room rated every box a point higher."""
    earlier = build_sample(load_builtin_template())
    first = tmp_path / "spring.coprod"
    SessionFile.create(first, earlier).close()
    later = start_follow_up(earlier, keep_participants=True, date="2027-05-20")
    for criterion in later.criteria:
        for stage in later.stages:
            question = cell_question(criterion.id, stage.id)
            for vote in earlier.on_question(Vote, question):
                later.put(Vote(question, vote.participant_id, str(min(4, int(vote.choice) + 1))))
            later.put(Reveal(question))
    second = tmp_path / "autumn.coprod"
    SessionFile.create(second, later).close()
    return first, second


def _open(window: MainWindow, runs: tuple[Path, Path], qtbot) -> ChangeDialog:  # type: ignore[no-untyped-def]
    assert window.open_session(runs[1])
    assert window.show_changes(runs[0])
    dialog = window.change_dialog
    assert isinstance(dialog, ChangeDialog)
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_the_room_view_is_inside_the_presenter_window(  # type: ignore[no-untyped-def]
    window: MainWindow, runs: tuple[Path, Path], qtbot
) -> None:
    dialog = _open(window, runs, qtbot)
    presenter = window.presenter
    assert presenter is not None
    assert not presenter.presenting
    step = window.document.session.current_step if window.document else None
    # Showing it in the room presents, as F5 does, with the change view in the step's place.
    dialog.show_room.setChecked(True)
    assert presenter.presenting
    audience = presenter.window
    assert audience is not None
    qtbot.waitExposed(audience)
    room = dialog.room
    assert isinstance(room, ChangeRoomWidget)
    assert audience.aside is room
    assert room.window() is audience  # no window of its own
    assert not audience.content.isVisible()
    assert room.isVisible()
    texts = audience.texts_on_every_page() if room.pager.page_count() > 1 else audience.texts()
    assert any(t.startswith("What changed since") for t in audience.texts())
    assert all(label.text() for label in room.change_labels)
    assert any(label.text().startswith("▲ +") for label in room.change_labels)
    assert "The whole matrix" in texts or "The whole matrix" in audience.texts()
    if TWO_SCREENS:
        assert audience.screen().name() == "projector"
        assert dialog.screen().name() == "laptop"
    # The room's type: no line smaller than the room's floor on a 1080-line projector.
    audience.resize(1920, 1080)
    qtbot.wait(50)
    SHOTS.mkdir(parents=True, exist_ok=True)
    audience.grab().save(str(SHOTS / f"change-room-{'two' if TWO_SCREENS else 'one'}-screen.png"))
    if room.pager.page_count() > 1:
        qtbot.keyClick(audience, Qt.Key.Key_PageDown)
        audience.grab().save(str(SHOTS / f"change-room-{'two' if TWO_SCREENS else 'one'}-screen-page2.png"))
        qtbot.keyClick(audience, Qt.Key.Key_PageUp)
        assert room.pager.page == 0
    # H for the room's high contrast, as on every step; the tints keep their own ink.
    qtbot.keyClick(audience, Qt.Key.Key_H)
    assert audience.high_contrast
    assert audience.aside is room
    audience.grab().save(str(SHOTS / f"change-room-{'two' if TWO_SCREENS else 'one'}-screen-contrast.png"))
    qtbot.keyClick(audience, Qt.Key.Key_H)

    # B blacks it out and brings it back, from the projector's window, as for every step.
    qtbot.keyClick(audience, Qt.Key.Key_B)
    assert audience.blacked_out
    qtbot.keyClick(audience, Qt.Key.Key_B)
    assert not audience.blacked_out
    assert audience.aside is room
    # B from the laptop's dialog too (the main window lends it its actions).
    dialog.activateWindow()
    dialog.setFocus()
    window.blackout_action.trigger()
    assert audience.blacked_out
    window.blackout_action.trigger()

    # Esc leaves presenting; F5 comes back to what the room last saw.
    qtbot.keyClick(audience, Qt.Key.Key_Escape)
    assert not presenter.presenting
    assert dialog.show_room.isChecked()
    window.present_action.trigger()
    assert presenter.presenting
    assert audience.aside is room
    assert room.isVisible()

    # The clicker pages it; past the last page the room goes back to its step, never further.
    pages = room.pager.page_count()
    for _ in range(pages - 1):
        qtbot.keyClick(audience, Qt.Key.Key_PageDown)
        assert audience.aside is room
    assert room.pager.page == pages - 1
    qtbot.keyClick(audience, Qt.Key.Key_PageDown)
    assert audience.aside is None
    assert not dialog.show_room.isChecked()
    assert audience.content.isVisible()
    assert window.document is not None
    assert window.document.session.current_step == step
    # The next press is the step's own again: its next page, or the next step.
    pages_of_step = audience.content.page_text()
    qtbot.keyClick(audience, Qt.Key.Key_PageDown)
    assert window.document.session.current_step != step or audience.content.page_text() != pages_of_step

    # Shown again, then the facilitator goes to another step: the room follows them there.
    dialog.show_room.setChecked(True)
    assert audience.aside is dialog.room
    window.next_action.trigger()
    assert audience.aside is None
    assert not dialog.show_room.isChecked()
    # Shown again and the dialog closed: the room goes back to its step.
    dialog.show_room.setChecked(True)
    assert audience.aside is dialog.room
    dialog.close()
    assert audience.aside is None
    window.stop_presenting()


def test_the_clicker_at_the_laptop_pages_the_room_view(  # type: ignore[no-untyped-def]
    window: MainWindow, runs: tuple[Path, Path], qtbot
) -> None:
    dialog = _open(window, runs, qtbot)
    assert window.presenter is not None
    window.presenter.set_scale(2.0)  # large type: the view takes more than one page
    dialog.show_room.setChecked(True)
    audience = window.presenter.window
    assert audience is not None
    qtbot.waitExposed(audience)
    room = dialog.room
    assert room is not None
    qtbot.waitUntil(lambda: room.pager.page_count() > 1)
    assert audience.aside is room
    qtbot.waitUntil(lambda: audience.page_label.text() == f"Page 1 of {room.pager.page_count()}")
    # PageDown pressed while the laptop's dialog has the focus.
    dialog.activateWindow()
    assert dialog.navigator is not None
    dialog.navigator.pressed(Qt.Key.Key_PageDown)
    assert room.pager.page == 1
    assert audience.page_label.text().startswith("Page 2 of")
    dialog.navigator.pressed(Qt.Key.Key_PageUp)
    dialog.navigator.pressed(Qt.Key.Key_PageUp)  # before the first page: back to the step
    assert audience.aside is None
    window.stop_presenting()
    dialog.close()


@pytest.mark.skipif(TWO_SCREENS, reason="this is the run on two screens")
def test_on_two_screens(tmp_path: Path) -> None:
    from tests.ui.presenter.test_presenter import SCREENS

    config = tmp_path / "screens.json"
    config.write_text(json.dumps(SCREENS), encoding="utf-8")
    root = Path(__file__).resolve().parents[4]
    env = dict(os.environ)
    env.update(
        {
            "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
            "COPROD_TEST_TWO_SCREENS": "1",
            "PYTHONPATH": str(root),
        }
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", __file__],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "3 passed, 1 skipped" in done.stdout


def test_two_screens_are_seen_when_asked() -> None:
    if TWO_SCREENS:
        assert [s.name() for s in QGuiApplication.screens()] == ["laptop", "projector"]
