"""A follow-up walked as a facilitator would: start it from the sample, review the earlier
actions with the clicker's keys, vote, and open the change view on the laptop and in the room."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from coprod_desktop.domain.changes import Change
from coprod_desktop.domain.model import ActionStatus, Reveal, StepKind, Vote
from coprod_desktop.domain.voting import cell_question
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.ui.shell.mainwindow import MainWindow
from coprod_desktop.ui.steps.compare.changeview import ChangeDialog, ChangeRoomWidget, ChangeViewWidget
from coprod_desktop.ui.steps.review.reviewwidget import ReviewWidget

SHOTS = Path(os.environ.get("COPROD_SHOTS", "/tmp/shots-followups"))


def _texts(widget) -> list[str]:  # type: ignore[no-untyped-def]
    return [label.text() for label in widget.findChildren(QLabel)]


def test_a_follow_up_from_the_sample_reviewed_voted_and_compared(  # type: ignore[no-untyped-def]
    window: MainWindow, sample_file: Path, tmp_path: Path, qtbot
) -> None:
    before_bytes = sample_file.read_bytes()
    assert window.open_session(sample_file)
    assert window.document is not None
    earlier_key = window.document.session.info.session_key
    follow_path = tmp_path / "follow-up.coprod"
    assert window.start_follow_up(follow_path, keep_participants=True)
    document = window.document
    assert document is not None
    assert document.path == follow_path
    assert document.session.info.follows == earlier_key
    assert document.session.count(Vote) == 0

    # The review step, second after the welcome, walked with the clicker's keys.
    review_step = document.session.steps[1]
    assert review_step.kind is StepKind.REVIEW
    assert window.workshop is not None
    window.workshop.go_to(review_step.id)
    tool = window.workshop.step_view.content.tool(StepKind.REVIEW)
    assert isinstance(tool, ReviewWidget)
    assert tool.table is not None
    table = tool.table
    table.setFocus()
    reviews = document.session.action_reviews
    assert len(reviews) == 5
    qtbot.keyClick(table, Qt.Key.Key_1)
    qtbot.keyClick(table, Qt.Key.Key_PageDown)
    qtbot.keyClick(table, Qt.Key.Key_2)
    qtbot.keyClick(table, Qt.Key.Key_Return)  # write what the room said
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "Two meetings paid so far")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits a Return on the next turn of the event loop.
    qtbot.waitUntil(lambda: document.session.action_reviews[1].note == "Two meetings paid so far")
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState)
    qtbot.keyClick(table, Qt.Key.Key_PageDown)
    qtbot.keyClick(table, Qt.Key.Key_3)
    qtbot.keyClick(table, Qt.Key.Key_PageDown)
    qtbot.keyClick(table, Qt.Key.Key_4)
    statuses = [r.status for r in document.session.action_reviews]
    assert statuses == [
        ActionStatus.DONE,
        ActionStatus.PARTLY,
        ActionStatus.NOT_YET,
        ActionStatus.DROPPED,
        None,
    ]
    assert document.session.action_reviews[1].note == "Two meetings paid so far"
    assert tool.summary.text() == "4 of 5 reviewed: 1 done, 1 partly, 1 not yet and 1 dropped."
    # Undo takes back the last status, as every edit.
    document.undo_stack.undo()
    assert document.session.action_reviews[3].status is None
    document.undo_stack.redo()
    # The room's view, on the projector, follows the facilitator's focus: symbols and words.
    assert window.presenter is not None
    audience = window.presenter.start(window)
    qtbot.waitExposed(audience)
    room = audience.content.tool(StepKind.REVIEW)
    assert isinstance(room, ReviewWidget)
    assert room.room is not None
    assert "▶ <b>✗ Dropped · " in room.room.text()
    assert "✓ Done · " in room.room.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    audience.resize(1920, 1080)
    audience.grab().save(str(SHOTS / "review-room-1920.png"))
    window.stop_presenting()
    # Past the last action, PageDown goes on to the next step.
    qtbot.keyClick(table, Qt.Key.Key_PageDown)
    qtbot.keyClick(table, Qt.Key.Key_PageDown)
    assert document.session.current_step == document.session.visible_steps[2]

    # The room votes again: every box rated a point higher than before, and revealed.
    with SessionFile.open(sample_file, read_only=True) as opened:
        earlier = opened.load()
    changes = []
    for criterion in document.session.criteria:
        for stage in document.session.stages:
            question = cell_question(criterion.id, stage.id)
            for vote in earlier.on_question(Vote, question):
                changes.append(
                    Change(None, Vote(question, vote.participant_id, str(min(4, int(vote.choice) + 1))))
                )
            changes.append(Change(None, Reveal(question)))
    assert document.apply(changes, "The room votes")

    # What changed: the laptop's view, then the room's on the projector.
    assert window.show_changes()
    dialog = window.change_dialog
    assert isinstance(dialog, ChangeDialog)
    qtbot.waitExposed(dialog)
    texts = _texts(dialog.view)
    assert "What changed since 19 November 2026" in texts
    assert any(t.startswith("▲ +") for t in texts)
    dialog.show_room.setChecked(True)
    room_view = dialog.room
    assert isinstance(room_view, ChangeRoomWidget)
    assert window.presenter.presenting
    audience = window.presenter.window
    assert audience.aside is room_view  # in the room's own window, in the step's place
    assert room_view.isVisible()
    assert all(label.text() for label in room_view.change_labels)
    SHOTS.mkdir(parents=True, exist_ok=True)
    qtbot.wait(50)
    dialog.grab().save(str(SHOTS / "change-laptop.png"))
    audience.resize(1920, 1080)
    qtbot.wait(100)  # the room's type follows the new height, then the pages are laid out again
    audience.grab().save(str(SHOTS / "change-room-1920.png"))
    tool.grab().save(str(SHOTS / "review-laptop.png"))
    dialog.show_room.setChecked(False)
    assert dialog.room is None
    assert audience.aside is None
    dialog.close()

    # The earlier session was only read.
    assert sample_file.read_bytes() == before_bytes


def test_markup_in_a_title_shows_as_typed_in_the_change_view(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from coprod_desktop.domain.compare import compare
    from coprod_desktop.domain.model import replace
    from tests.domain.workshops import rate, workshop

    before, after = workshop(), workshop()
    first = after.criteria[0]
    after.put(replace(first, title="<b>Who</b> decides"))
    rate(before, "who-decides", "plan", hands=[1] * 5)
    rate(after, "who-decides", "plan", hands=[2] * 5)
    view = ChangeViewWidget(compare(before, after), 5)
    qtbot.addWidget(view)
    labels = [label for label in view.findChildren(QLabel) if label.text() == "<b>Who</b> decides"]
    assert labels
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)


def test_the_handout_of_a_follow_up_exported_from_the_app_opens_with_what_changed(  # type: ignore[no-untyped-def]
    qtbot, sample_file: Path, tmp_path: Path, monkeypatch
) -> None:
    from pypdf import PdfReader

    from coprod_desktop.domain.followup import start_follow_up
    from coprod_desktop.ui.shell import settings
    from coprod_desktop.ui.shell.pdfexport import PdfExportDialog

    with SessionFile.open(sample_file, read_only=True) as opened:
        earlier = opened.load()
    follow_up = start_follow_up(earlier)
    settings.remember_earlier_run(earlier.info.session_key, sample_file)
    monkeypatch.setattr(PdfExportDialog, "open_url", staticmethod(lambda url: None))
    box = PdfExportDialog(follow_up, tmp_path / "handout.pdf")
    qtbot.addWidget(box)
    box.show()
    with qtbot.waitSignal(box.exporter.finished, timeout=60_000):
        box.export_button.click()
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "handout.pdf").pages)
    assert "What changed since 19 November 2026" in text
