"""The rows of tools above the canvas (`ToolRow`): where each group goes, on one line or wrapped,
left to right or mirrored, and that each placing asks each group its size hint once (a toolbar
works its hint out anew each time, and the rows are placed as the canvas opens)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QToolBar, QWidget

from coprod_desktop.ui.steps.canvas.widget import ToolRow


class _Group(QWidget):
    """A group of a fixed size hint that counts how often it is asked."""

    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self.hint = QSize(width, height)
        self.asked = 0

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        self.asked += 1
        return self.hint


def _row(qtbot, **options) -> tuple[ToolRow, list[_Group]]:  # type: ignore[no-untyped-def]
    groups = [_Group(200, 30), _Group(150, 24), _Group(120, 36)]
    row = ToolRow(tuple(groups), **options)
    qtbot.addWidget(row)
    return row, groups


def test_groups_sit_side_by_side_where_they_fit(qtbot) -> None:  # type: ignore[no-untyped-def]
    row, groups = _row(qtbot, spacing=10, side=6, fill=False)
    assert row.sizeHint() == QSize(6 + 200 + 10 + 150 + 10 + 120 + 6, 36)
    row.resize(600, 36)
    row._place(600)
    assert row.lines == 1
    assert [g.geometry() for g in groups] == [
        QRect(6, 0, 200, 36),
        QRect(216, 0, 150, 36),
        QRect(376, 0, 120, 36),
    ]
    assert row.height() == 36


def test_a_narrow_row_wraps_whole_groups_and_the_last_reaches_the_end(qtbot) -> None:  # type: ignore[no-untyped-def]
    row, groups = _row(qtbot, spacing=10, line_spacing=4)
    row.resize(370, 100)
    row._place(370)
    assert row.lines == 2
    # The first line holds the first two (200 + 10 + 150 = 360); the last of each line reaches
    # to the row's end; the second line's height is its own group's.
    assert [g.geometry() for g in groups] == [
        QRect(0, 0, 200, 30),
        QRect(210, 0, 160, 30),
        QRect(0, 34, 370, 36),
    ]
    assert row.minimumHeight() == row.maximumHeight() == 30 + 4 + 36
    assert row.minimumSizeHint().width() == 200


def test_a_right_to_left_row_is_placed_from_the_right(qtbot) -> None:  # type: ignore[no-untyped-def]
    row, groups = _row(qtbot, spacing=10, fill=False)
    row.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    row.resize(600, 36)
    row._place(600)
    assert [g.geometry() for g in groups] == [
        QRect(400, 0, 200, 36),
        QRect(240, 0, 150, 36),
        QRect(110, 0, 120, 36),
    ]


def test_each_placing_asks_each_group_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    row, groups = _row(qtbot, spacing=10)
    for group in groups:
        group.asked = 0
    row._place(370)
    assert [g.asked for g in groups] == [1, 1, 1]
    row.sizeHint()
    assert [g.asked for g in groups] == [2, 2, 2]
    row.minimumSizeHint()
    assert [g.asked for g in groups] == [3, 3, 3]


def test_a_toolbars_closing_separator_shows_only_between_groups(qtbot) -> None:  # type: ignore[no-untyped-def]
    first, second = QToolBar(), QToolBar()
    first.addAction("One")
    first.addSeparator()
    second.addAction("Two")
    row = ToolRow((first, second))
    qtbot.addWidget(row)
    wide = first.sizeHint().width() + second.sizeHint().width() + 50
    row.resize(wide, 40)
    row._place(wide)
    assert row.lines == 1
    assert first.actions()[-1].isVisible()  # between the two groups
    narrow = max(first.sizeHint().width(), second.sizeHint().width())
    row._place(narrow)
    assert row.lines == 2
    assert not first.actions()[-1].isVisible()  # at the end of its line


def test_a_narrow_canvas_is_laid_out_whole_before_its_first_paint(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """In a narrow column the tool rows take two lines each, which they learn only as they are
    shown: the canvas is laid out again then, so the board has its final size as it is shown,
    not one that lasts a frame (painted, then painted again)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication, QVBoxLayout

    from coprod_desktop.domain.sample import build_sample
    from coprod_desktop.storage.templates import load_builtin_template
    from coprod_desktop.ui.document import SessionDocument
    from coprod_desktop.ui.steps.canvas import CanvasWidget

    document = SessionDocument.create(tmp_path / "narrow.coprod", build_sample(load_builtin_template()))
    column = QWidget()
    qtbot.addWidget(column)
    column.resize(420, 455)
    column.show()
    qtbot.waitExposed(column)
    canvas = CanvasWidget(document)
    QVBoxLayout(column).addWidget(canvas)
    canvas.show()  # as a step's tool is shown in the workshop, its window already on screen
    assert max(canvas.edit_row.lines, canvas.show_row.lines, canvas.options_row.lines) == 2
    shown = canvas.view.size()
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()
    assert canvas.view.size() == shown
    document.close()
