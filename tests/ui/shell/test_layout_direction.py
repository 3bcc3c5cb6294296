"""In a language written right to left the screens mirror, but the canvas and the matrix grid do not.

The canvas's axes are a shared diagram whose positions are data (professionals on the left,
people who use services on the right, as in Bovaird's table), and the matrix's stages are a
time sequence, planning first: both keep left to right (docs/translating.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication, QWidget

from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.shell.application import apply_layout_direction
from coprod_desktop.ui.steps.canvas import CanvasWidget
from coprod_desktop.ui.steps.matrix.matrixwidget import MatrixWidget

LTR = Qt.LayoutDirection.LeftToRight
RTL = Qt.LayoutDirection.RightToLeft


@pytest.fixture
def arabic() -> Iterator[None]:
    apply_layout_direction("ar")
    yield
    apply_layout_direction("en")


@pytest.fixture
def document(tmp_path: Path) -> Iterator[SessionDocument]:
    doc = SessionDocument.create(tmp_path / "rtl.coprod", build_sample(load_builtin_template(language="ar")))
    yield doc
    doc.close()


def _show(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    qtbot.waitExposed(widget)


def test_the_layout_direction_follows_the_language(qtbot) -> None:  # type: ignore[no-untyped-def]
    for language, direction in (("ar", RTL), ("ur", RTL), ("cy", LTR), ("en-GB", LTR)):
        apply_layout_direction(language)
        assert QApplication.layoutDirection() == direction, language
        assert QWidget().layoutDirection() == direction
    assert QApplication.layoutDirection() == LTR


@pytest.mark.parametrize("audience", [False, True], ids=["laptop", "projector"])
def test_the_matrix_grid_keeps_its_stages_from_the_left(  # type: ignore[no-untyped-def]
    qtbot, arabic: None, document: SessionDocument, audience: bool
) -> None:
    widget = MatrixWidget(document, audience=audience)
    _show(qtbot, widget)
    assert widget.isRightToLeft()  # the step around it mirrors: its panels, its buttons
    view = widget.view
    assert view.layoutDirection() == LTR
    assert widget.legend.layoutDirection() == LTR
    model = view.model()
    positions = [view.columnViewportPosition(column) for column in range(model.columnCount())]
    assert positions == sorted(positions)  # the first stage stands left of the second, and so on
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_the_canvas_keeps_its_axes(qtbot, arabic: None, document: SessionDocument) -> None:  # type: ignore[no-untyped-def]
    widget = CanvasWidget(document)
    _show(qtbot, widget)
    assert widget.isRightToLeft()
    view = widget.view
    assert view.layoutDirection() == LTR
    # Professionals (x = 0) are on the left of the screen, people who use services on the right.
    left = view.mapFromScene(100.0, 500.0)
    right = view.mapFromScene(900.0, 500.0)
    assert left.x() < right.x()


def test_choosing_arabic_in_settings_mirrors_the_window_at_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    from coprod_desktop.ui.shell.mainwindow import MainWindow

    window = MainWindow(start_screen=True)
    _show(qtbot, window)
    try:
        window.set_app_language("ar")
        assert QApplication.layoutDirection() == RTL
        assert window.isRightToLeft()
        window.set_app_language("en")
        assert QApplication.layoutDirection() == LTR
        assert not window.isRightToLeft()
    finally:
        apply_layout_direction("en")
        from coprod_desktop.ui.shell.language import apply_language

        apply_language("en")
