"""The agenda column on a small laptop: narrower below a 1366-wide window, so the step in the
middle keeps the width its tools are laid out for; a width the facilitator drags is kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from coprod_desktop.ui.shell.mainwindow import MainWindow
from coprod_desktop.ui.workshop.workshopwidget import AGENDA_WIDTH, COMPACT_AGENDA_WIDTH


def settle() -> None:
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()


def test_the_agenda_narrows_on_a_small_laptop_and_keeps_a_dragged_width(
    window: MainWindow, sample_file: Path
) -> None:
    assert window.open_session(sample_file)
    workshop = window.workshop
    assert workshop is not None
    for width, height, agenda in (
        (1280, 720, COMPACT_AGENDA_WIDTH),
        (1366, 768, AGENDA_WIDTH),
        (1920, 1080, AGENDA_WIDTH),
        (1280, 720, COMPACT_AGENDA_WIDTH),
    ):
        window.resize(width, height)
        settle()
        assert workshop.splitter.sizes()[0] == agenda, (width, height)
    # Agenda and notes hidden, the window made wider, then shown again: the width for that window.
    window.roomy_action.trigger()
    window.resize(1920, 1080)
    settle()
    window.roomy_action.trigger()
    settle()
    assert workshop.sidebar.isVisible()
    assert workshop.splitter.sizes()[0] == AGENDA_WIDTH
    # The facilitator drags the edge: their width stays, whatever the window does.
    workshop.splitter.moveSplitter(300, 1)
    settle()
    window.resize(1280, 720)
    settle()
    assert workshop.splitter.sizes()[0] == 300
