"""A box's frames (focus ring, average, "views differ") are drawn from pictures where that gives
the very same pixels, and stroked afresh where it would not."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem

from coprod_desktop.ui.steps.matrix import matrixmodel
from coprod_desktop.ui.steps.matrix.matrixmodel import draw_frame, frame_picture

from .test_matrixwidget import document, make, path, select  # noqa: F401 - fixtures
from .test_vote_repaints import fully_voted

PENS = [
    QPen(QColor("#000000"), 3.0, Qt.PenStyle.DashLine),
    QPen(QColor("#ffffff"), 4.05, Qt.PenStyle.DashLine),
    QPen(QColor("#e07a00"), 5.4),
    QPen(QColor("#1a1a1a"), 2),
]


def painted(background: str, frame: QRect, pen: QPen, *, ratio: float, pictures: bool) -> QImage:
    image = QImage(int(420 * ratio), int(260 * ratio), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(QColor(background))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if pictures:
        draw_frame(painter, frame, pen)
    else:
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(frame)
    painter.end()
    return image


@pytest.mark.parametrize("ratio", [1.0, 2.0])
def test_a_frame_from_its_picture_has_the_same_pixels(qapp, ratio: float) -> None:  # type: ignore[no-untyped-def]
    for background in ("#fee838", "#00224e", "#6a6970"):
        for pen in PENS:
            for frame in (QRect(13, 7, 231, 84), QRect(40, 41, 180, 61), QRect(3, 100, 401, 121)):
                direct = painted(background, frame, pen, ratio=ratio, pictures=False)
                assert painted(background, frame, pen, ratio=ratio, pictures=True) == direct


def test_no_picture_where_the_pixels_could_differ(qapp) -> None:  # type: ignore[no-untyped-def]
    frame, pen = QRect(10, 10, 100, 50), PENS[0]
    image = QImage(300, 200, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(1.5)  # a fractional scale: frames fall between device pixels
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    assert frame_picture(painter, frame, pen) is None
    painter.end()
    image.setDevicePixelRatio(1.0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    assert frame_picture(painter, frame, pen) is not None
    painter.translate(0.5, 0)
    assert frame_picture(painter, frame, pen) is None
    painter.resetTransform()
    painter.setOpacity(0.5)
    assert frame_picture(painter, frame, pen) is None
    painter.setOpacity(1.0)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    assert frame_picture(painter, frame, pen) is None
    painter.end()


def test_both_screens_look_the_same_with_and_without_pictures(qtbot, document, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fully_voted(document)
    console = make(qtbot, document)
    room = make(qtbot, document, audience=True)
    room.resize(1920, 1080)
    console.choose_person("p1")
    select(console, 1, 2)  # a selected box on the laptop, the box under discussion on the projector
    for _ in range(3):
        QApplication.processEvents()
    assert any(cell.disagreement for line in console.model.cells for cell in line)
    matrixmodel._FRAMES.clear()
    with_pictures = [console.grab().toImage(), room.grab().toImage()]
    assert len(matrixmodel._FRAMES) >= 4  # flags and rings on both screens, averages' frames
    monkeypatch.setattr(matrixmodel, "frame_picture", lambda *_: None)
    assert [console.grab().toImage(), room.grab().toImage()] == with_pictures


def test_a_selected_box_with_a_flag_at_twice_the_pixels(qtbot, document, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fully_voted(document)
    console = make(qtbot, document)
    view, model = console.view, console.model
    flagged = next(
        (r, c) for r, line in enumerate(model.cells) for c, cell in enumerate(line) if cell.disagreement
    )
    index = model.index(flagged[0], flagged[1] + 1)

    def draw() -> QImage:
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        option.rect = view.visualRect(index)
        option.state |= QStyle.StateFlag.State_Selected
        image = QImage(view.viewport().size() * 2, QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(2)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        view.itemDelegate().paint(painter, option, index)
        painter.end()
        return image

    with_pictures = draw()
    monkeypatch.setattr(matrixmodel, "frame_picture", lambda *_: None)
    assert draw() == with_pictures


def test_a_remembered_badge_is_the_badge_measured_afresh(qtbot, document) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fully_voted(document)
    console = make(qtbot, document)
    console.choose_person("p1")
    view, model = console.view, console.model
    boxes = [model.index(r, c + 1) for r in range(len(model.cells)) for c in range(len(model.cells[0]))]

    def draw(index) -> QImage:  # type: ignore[no-untyped-def]
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        option.rect = view.visualRect(index)
        image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        view.itemDelegate().paint(painter, option, index)
        painter.end()
        return image

    afresh = []
    for index in boxes:
        matrixmodel._BADGES.clear()
        afresh.append(draw(index))
    assert matrixmodel._BADGES  # the voter's own ratings are shown: badges were measured
    assert [draw(index) for index in boxes] == afresh  # each from what the others left behind
