"""Keyboard only: on every step, Tab and Shift+Tab reach every control of the facilitator's
window and leave every widget (no trap in the matrix grid or the canvas), and every control
a person can reach has a name for screen readers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QTabBar,
    QWidget,
)

from coprod_desktop.domain.model import StepKind
from coprod_desktop.ui.shell.mainwindow import MainWindow

CONTROLS = (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit, QAbstractItemView, QTabBar)


def tab_cycle(qtbot, window: MainWindow, key: Qt.Key, presses: int = 250) -> list[QWidget]:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.workshop.agenda.setFocus()  # type: ignore[union-attr]
    qtbot.waitUntil(window.workshop.agenda.hasFocus)  # type: ignore[union-attr]
    seen: list[QWidget] = []
    for _ in range(presses):
        focus = QApplication.focusWidget()
        assert focus is not None
        seen.append(focus)
        qtbot.keyClick(focus, key)
        if QApplication.focusWidget() is window.workshop.agenda and len(seen) > 1:  # type: ignore[union-attr]
            return seen
    raise AssertionError(
        f"Tab never came back to the agenda: stuck in {[type(w).__name__ for w in seen[-5:]]}"
    )


def name_of(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QAbstractButton, QLineEdit)) else ""
    return widget.accessibleName() or text.replace("&", "")


def test_tab_reaches_every_control_and_leaves_every_widget(
    window: MainWindow, sample_file: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    assert window.open_session(sample_file)
    document = window.document
    assert document is not None
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for step in document.session.visible_steps:
        document.set_current_step(step.id)
        QApplication.processEvents()
        forwards = tab_cycle(qtbot, window, Qt.Key.Key_Tab)
        backwards = tab_cycle(qtbot, window, Qt.Key.Key_Backtab)
        assert set(forwards) == set(backwards), step.title
        content = window.workshop.step_view.content  # type: ignore[union-attr]
        tool = content.tool(step.kind)
        if tool is None:
            continue
        reachable = [
            w
            for w in tool.findChildren(QWidget)
            if isinstance(w, CONTROLS)
            and w.isVisible()
            and w.isEnabled()
            and w.focusPolicy() & Qt.FocusPolicy.TabFocus
            and not w.focusProxy()
        ]
        missed = [f"{type(w).__name__} {name_of(w)!r}" for w in reachable if w not in forwards]
        assert not missed, f"{step.title}: Tab never reaches {missed}"
        unnamed = [type(w).__name__ for w in reachable if not name_of(w)]
        assert not unnamed, f"{step.title}: controls without a name: {unnamed}"
        if step.kind is StepKind.CANVAS:
            canvas = tool
            for control in (canvas.role_combo, canvas.background_combo, canvas.cards_palette):  # type: ignore[attr-defined]
                assert control in forwards or control.focusProxy() in forwards, step.title
