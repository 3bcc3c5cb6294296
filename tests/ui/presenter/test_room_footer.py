"""The room's footer (the timer) sits over the canvas's column only, never over its board:
when the room changes size on the canvas step, the footer follows the column's new width
(it once stayed as wide as an earlier layout's column and hid the board's lower-right corner
at 1280×720)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QRectF

from coprod_desktop.domain.canvas import SIZE
from coprod_desktop.domain.model import StepKind
from coprod_desktop.ui.shell.mainwindow import MainWindow
from coprod_desktop.ui.steps.canvas.view import CanvasView


def test_the_footer_keeps_off_the_board_as_the_room_changes_size(
    window: MainWindow, sample_file: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    assert window.open_session(sample_file)
    document = window.document
    assert document is not None
    assert window.workshop is not None
    steps = {step.kind: step for step in document.session.steps}
    window.start_presenting()
    assert window.presenter is not None
    audience = window.presenter.window
    audience.showNormal()
    checked = 0
    # The room through the steps at two projector sizes each, as docs/make_screenshots.py goes.
    for kind in (StepKind.WELCOME, StepKind.DEFINITION, StepKind.SCENARIOS, StepKind.MATRIX, StepKind.CANVAS):
        window.workshop.go_to(steps[kind].id)
        for size in ((1280, 720), (1920, 1080)):
            audience.setFixedSize(*size)
            qtbot.wait(300)  # the board is made again for a new size on a short timer
            if kind is not StepKind.CANVAS:
                continue
            tool = audience.content.current_tool()
            (view,) = [view for view in audience.findChildren(CanvasView) if view.board is not None]
            corner = view.viewport().mapTo(audience, QPoint(0, 0))
            board = view.mapFromScene(QRectF(0, 0, SIZE, SIZE)).boundingRect().translated(corner)
            footer = QRect(audience.footer.mapTo(audience, QPoint(0, 0)), audience.footer.size())
            assert audience.footer.isVisible()
            assert not footer.intersects(board), (size, footer.getRect(), board.getRect())
            assert audience.footer.width() == max(audience.footer.sizeHint().width(), tool.side.width())
            checked += 1
    assert checked == 2
    window.stop_presenting()
