"""The facilitator's window on a 1366×768 laptop: every step of the default workshop and of
the sample is usable without a sideways scroll, no button or label is cut short, and the
matrix shows several of its rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QLabel, QWidget

from coprod_desktop.domain.model import StepKind
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.shell.mainwindow import MainWindow

MATRIX_ROWS = 3  # the least number of the matrix's rows in view at once


def settle() -> None:
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()


def problems_in(window: MainWindow, where: str) -> list[str]:
    found: list[str] = []
    content = window.workshop
    assert content is not None
    for widget in content.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.width() <= 0:
            continue
        name = widget.objectName() or type(widget).__name__
        if isinstance(widget, QAbstractScrollArea):
            bar = widget.horizontalScrollBar()
            if bar.isVisibleTo(window) and bar.maximum() > 0:
                found.append(f"{where}: {name} scrolls sideways ({bar.maximum()} px hidden)")
        if isinstance(widget, QAbstractButton) and widget.text():
            if widget.sizeHint().width() > widget.width() + 1:
                found.append(
                    f"{where}: button “{widget.text()}” is cut ({widget.width()} of {widget.sizeHint().width()} px)"
                )
        elif isinstance(widget, QLabel) and widget.text() and widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + 2:
                found.append(
                    f"{where}: label “{widget.text()[:40]}” is cut ({widget.height()} of {needed} px high)"
                )
        elif isinstance(widget, QLabel) and widget.text() and not widget.wordWrap():
            pixmap = widget.pixmap()
            if (pixmap is None or pixmap.isNull()) and widget.minimumSizeHint().width() > widget.width() + 1:
                found.append(
                    f"{where}: label “{widget.text()[:40]}” is cut ({widget.width()} of {widget.sizeHint().width()} px)"
                )
    return found


@pytest.mark.parametrize("template", ["default", "sample"])
def test_every_step_is_usable_on_a_1366_laptop(qtbot, tmp_path: Path, template: str) -> None:  # type: ignore[no-untyped-def]
    session = load_builtin_template()
    if template == "sample":
        session = build_sample(session)
    path = tmp_path / f"{template}.coprod"
    SessionFile.create(path, session).close()
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.open_session(path)
    settle()
    assert window.document is not None
    assert window.workshop is not None
    problems: list[str] = []
    for step in window.document.session.visible_steps:
        window.workshop.go_to(step.id)
        settle()
        where = f"{template}, 1366×768, step “{step.title}”"
        problems += problems_in(window, where)
        if step.kind is StepKind.MATRIX:
            tool = window.workshop.step_view.content.tool(StepKind.MATRIX)
            view = tool.view  # type: ignore[attr-defined]
            shown = sum(
                1
                for row in range(view.model().rowCount())
                if view.visualRect(view.model().index(row, 0)).bottom() <= view.viewport().height()
                and view.visualRect(view.model().index(row, 0)).top() >= 0
            )
            if shown < min(MATRIX_ROWS, view.model().rowCount()):
                problems.append(f"{where}: the matrix shows {shown} whole rows (wants {MATRIX_ROWS})")
    window.close_session()
    assert not problems, "\n".join(problems)
