"""The step timer while it runs: only its text is repainted, nothing is laid out again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from coprod_desktop.ui.shell.mainwindow import MainWindow


class EventCount(QObject):
    def __init__(self, *kinds: QEvent.Type) -> None:
        super().__init__()
        self.kinds = kinds
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in self.kinds:
            self.count += 1
        return False


def test_a_running_timer_repaints_its_text_only_when_it_changes_and_never_relayouts(
    window: MainWindow, sample_file: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    assert window.open_session(sample_file)
    assert window.workshop is not None
    document = window.document
    assert document is not None
    document.set_current_step(document.session.visible_steps[0].id)
    view = window.workshop.step_view
    timer = window.workshop.timer
    label = view.timer_widget.display
    assert timer.has_timebox
    timer.start()
    qtbot.waitUntil(lambda: "left" in label.text())
    for _ in range(5):
        QApplication.processEvents()
    paints = EventCount(QEvent.Type.Paint)
    layouts = EventCount(QEvent.Type.LayoutRequest)
    label.installEventFilter(paints)
    for watched in (view.timer_widget, view.panel, view):
        watched.installEventFilter(layouts)

    shown = label.text()
    for _ in range(4):  # ticks within the same second: nothing to show
        timer._tick()
        QApplication.processEvents()
    assert label.text() == shown
    assert paints.count == 0

    timer.add_minute()  # the text changes, as at each new second
    qtbot.waitUntil(lambda: paints.count > 0)
    for _ in range(5):
        QApplication.processEvents()
    assert label.text() != shown
    assert label.accessibleDescription() == label.text()
    assert layouts.count == 0
    timer.pause()


def test_the_timer_still_restyles_when_time_is_up(window: MainWindow, sample_file: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert window.open_session(sample_file)
    assert window.workshop is not None
    timer = window.workshop.timer
    label = window.workshop.step_view.timer_widget.display
    timer._left_ms = 0  # as if the timebox had run out
    timer.start()
    timer._tick()
    qtbot.waitUntil(lambda: label.text().startswith("Time is up!"))
    assert label.property("state") == "over"
    timer.pause()
