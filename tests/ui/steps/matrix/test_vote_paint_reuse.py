"""What a vote's repaint reuses gives what a fresh one would: the average boxes' views, shared by
the console's and the room's models and by votes with the same figures, and the colours, pens
and frame keys every box is painted with, made once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QApplication

from coprod_desktop.domain.changes import Change
from coprod_desktop.domain.model import Reveal
from coprod_desktop.ui.steps.matrix import matrixmodel
from coprod_desktop.ui.steps.matrix.matrixmodel import MatrixModel, frame_picture

from .test_matrixwidget import document, make, path, select  # noqa: F401 - fixtures
from .test_vote_repaints import fully_voted, shown


def averages(model: MatrixModel) -> dict[tuple[int, int], Any]:
    return {
        where: view
        for where, view in shown(model).items()
        if (where[0] == model.average_row or where[1] == model.average_column) and where[1] > 0
    }


def test_the_average_boxes_are_worked_out_once_for_both_screens_and_as_afresh(qtbot, document) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fully_voted(document)
    console = make(qtbot, document)
    room = make(qtbot, document, audience=True)
    console.choose_person("p1")
    select(console, 0, 0)
    for key in [Qt.Key.Key_4, Qt.Key.Key_0, Qt.Key.Key_1, Qt.Key.Key_3, Qt.Key.Key_2] * 4:
        qtbot.keyClick(console.view, key)
        mine, theirs = averages(console.model), averages(room.model)
        assert mine.keys() == theirs.keys()
        for where, view in mine.items():
            assert theirs[where] is view  # one view of the box for both screens
        # Worked out afresh, with nothing remembered, each average box says the same.
        matrixmodel._AVERAGE_VIEWS.clear()
        fresh = MatrixModel(document)
        assert averages(fresh) == mine
        fresh.deleteLater()


def test_an_average_box_remembered_is_one_of_its_language_and_scale(qtbot, document) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fully_voted(document)
    console = make(qtbot, document)
    model = console.model
    where = (model.average_row, model.average_column)
    before = averages(model)[where]
    key = next(k for k, v in matrixmodel._AVERAGE_VIEWS.items() if v is before)
    # The same figures on another scale, or in another language, are looked up apart.
    assert key[0]
    assert key[-1] == model.points
    assert model._made_average_view(key[1], key[2], key[3], key[4]) == before


def painted_boxes(qtbot, document) -> list[QImage]:  # type: ignore[no-untyped-def]  # noqa: F811
    console = make(qtbot, document)
    room = make(qtbot, document, audience=True)
    console.choose_person("p1")
    select(console, 1, 1)
    for key in [Qt.Key.Key_4, Qt.Key.Key_0, Qt.Key.Key_1]:
        qtbot.keyClick(console.view, key)
    console.show_display("roles")  # the role split's pairs and gaps too
    for _ in range(3):
        QApplication.processEvents()
    shots = []
    for widget in (console, room):
        widget.view.viewport().repaint()
        shots.append(widget.view.viewport().grab().toImage())
    console.close()
    room.close()
    return shots


def test_boxes_painted_with_colours_and_pens_made_once_have_the_pixels_of_fresh_ones(  # noqa: F811
    qtbot,  # type: ignore[no-untyped-def]
    document,  # noqa: F811
    monkeypatch,
) -> None:
    fully_voted(document)
    hidden = document.session.items(Reveal)[3]
    assert document.apply([Change(hidden, None)], "Hide a box")  # (hatched, and averages "of n")
    shared = painted_boxes(qtbot, document)
    assert shared[0].size() != shared[1].size()
    assert len({shared[1].pixel(x, 40) for x in range(0, shared[1].width(), 7)}) > 3  # boxes drawn
    # Every colour, pen, hatch and frame key made afresh each time it is asked for.
    monkeypatch.setattr(matrixmodel, "_qcolor", QColor)

    def fresh_pen(colour: str, width: float, dashed: bool = False) -> tuple[QPen, None]:
        style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
        return QPen(QColor(colour), width, style), None

    monkeypatch.setattr(matrixmodel, "_frame_pen", fresh_pen)
    monkeypatch.setattr(matrixmodel, "_hatch", lambda: QBrush(QColor("#d6d2c8"), Qt.BrushStyle.BDiagPattern))
    assert painted_boxes(qtbot, document) == shared


def test_a_frame_with_its_pen_key_is_the_frame_of_its_pen(qapp) -> None:  # type: ignore[no-untyped-def]
    image = QImage(300, 200, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    frame = QRect(10, 10, 100, 50)
    for colour, width, dashed in (("#1a1a1a", 2, False), ("#ffffff", 4.05, True), ("#e07a00", 5.4, False)):
        pen, key = matrixmodel._frame_pen(colour, width, dashed)
        assert pen.style() == (Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
        assert pen.widthF() == width
        assert pen.color() == QColor(colour)
        assert frame_picture(painter, frame, pen, key) is frame_picture(painter, frame, QPen(pen))
    painter.end()
