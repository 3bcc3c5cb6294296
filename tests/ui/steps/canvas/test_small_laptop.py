"""The canvas step on a small laptop (1280×720), with the agenda and the notes beside it and
with them hidden: nothing scrolls, every tool is whole and in view, the less-used tools are one
Tab away in a menu, and the hint under the canvas is never cut. Larger screens keep all that."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QToolBar, QToolButton, QWidget

from coprod_desktop.domain.model import Card, CardKind, RoleGroup, StepKind
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.shell.mainwindow import MainWindow
from coprod_desktop.ui.steps.canvas import CanvasWidget
from tests.ui.steps.matrix.test_small_laptop import large_session
from tests.ui.workshop.test_laptop_fit import problems_in

SIZES = [(1280, 720), (1366, 768), (1920, 1080)]


def settle() -> None:
    for _ in range(4):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()


def session_file(folder: Path, which: str) -> Path:
    if which == "sample":
        session = build_sample(load_builtin_template())
    else:
        # The benchmarks' large session (benchmarks/common.py): 60 people and 500 cards.
        session = large_session()
        rng = random.Random(5)
        roles = list(RoleGroup)
        for i in range(500):
            person = i % 2 == 0
            session.put(
                Card(
                    id=f"card{i:05d}",
                    kind=CardKind.STAKEHOLDER if person else CardKind.DECISION,
                    text=f"Card {i + 1}: a point about the timetable",
                    role=roles[i % len(roles)] if person else None,
                    now_x=rng.uniform(0, 1000),
                    now_y=rng.uniform(0, 1000),
                    aspiration_x=rng.uniform(0, 1000),
                    aspiration_y=rng.uniform(0, 1000),
                    position=i,
                )
            )
    path = folder / f"{which}.coprod"
    SessionFile.create(path, session).close()
    return path


def canvas_at(  # type: ignore[no-untyped-def]
    qtbot, folder: Path, which: str, width: int, height: int, *, roomy: bool
) -> tuple[MainWindow, CanvasWidget, QScrollArea]:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    assert window.open_session(session_file(folder, which))
    settle()
    assert window.document is not None
    assert window.workshop is not None
    if roomy:
        window.roomy_action.trigger()
    step = next(s for s in window.document.session.visible_steps if s.kind is StepKind.CANVAS)
    window.workshop.go_to(step.id)
    settle()
    assert window.width() == width
    assert window.workshop.sidebar.isVisible() is not roomy
    assert window.workshop.step_view.panel.isVisible() is not roomy
    tool = window.workshop.step_view.content.tool(StepKind.CANVAS)
    assert isinstance(tool, CanvasWidget)
    area = tool.parentWidget().parentWidget()  # the step's own scroll area (stepcontent.py)
    assert isinstance(area, QScrollArea)
    return window, tool, area


def seen(widget: QWidget, area: QScrollArea) -> bool:
    """Whether `widget` is wholly inside the part of `area` a person sees."""
    top_left = widget.mapTo(area.viewport(), widget.rect().topLeft())
    # (A pixel of slack: Qt's splitter, right to left, puts its first pane one pixel past its end.)
    return area.viewport().rect().adjusted(-1, 0, 1, 0).contains(QRect(top_left, widget.size()))


def cut_tools(tool: CanvasWidget, area: QScrollArea) -> list[str]:
    found: list[str] = []
    for bar in tool.findChildren(QToolBar):
        extension = bar.findChild(QToolButton, "qt_toolbar_ext_button")
        if extension is not None and extension.isVisible():
            found.append(f"{bar.windowTitle()}: tools hidden behind »")
        for action in bar.actions():
            if action.isSeparator():
                continue
            button = bar.widgetForAction(action)
            if button is None or not button.isVisible() or not seen(button, area):
                found.append(f"{bar.windowTitle()}: “{action.text()}” out of view")
            elif button.sizeHint().width() > button.width():
                found.append(f"{bar.windowTitle()}: “{action.text()}” cut short")
    for widget in (tool.role_combo, tool.background_combo, tool.more_button, tool.view, tool.status):
        if not widget.isVisible() or not seen(widget, area):
            found.append(f"{widget.accessibleName() or type(widget).__name__} out of view")
    for combo in (tool.role_combo, tool.background_combo):
        if combo.width() < combo.sizeHint().width():
            found.append(f"{combo.accessibleName()} cut short ({combo.width()} of {combo.sizeHint().width()} px)")
    # The hint is the step's instruction: every line of it shows, never elided or clipped.
    if tool.status.height() < tool.status.heightForWidth(tool.status.width()):
        found.append(f"the hint is cut ({tool.status.height()} of {tool.status.heightForWidth(tool.status.width())} px)")
    return found


@pytest.mark.parametrize("which", ["sample", "large"])
@pytest.mark.parametrize("roomy", [False, True], ids=["panels", "roomy"])
@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_canvas_tool_in_view_without_scrolling(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, which: str, roomy: bool, width: int, height: int
) -> None:
    window, tool, area = canvas_at(qtbot, tmp_path, which, width, height, roomy=roomy)
    assert area.horizontalScrollBar().maximum() == 0, "the canvas step scrolls sideways"
    assert area.verticalScrollBar().maximum() == 0, "the canvas step scrolls up and down"
    assert not cut_tools(tool, area)
    assert not problems_in(window, f"{width}×{height}, the canvas")
    # The board keeps a useful size: at least as tall as on the 1280×720 laptop before.
    assert tool.view.viewport().height() >= 250
    window.close_session()


def test_the_hint_takes_the_lines_its_words_need(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Narrower than its words on two lines (a translation, a narrow window), the hint is given
    a third line rather than losing its end; a longer message does not move the canvas."""
    window, tool, area = canvas_at(qtbot, tmp_path, "sample", 1280, 720, roomy=False)
    window.resize(1100, 720)
    settle()
    status = tool.status
    assert status.height() >= status.heightForWidth(status.width())
    assert status.height() >= 3 * status.fontMetrics().lineSpacing()
    before = tool.view.geometry()
    guidance = status.text()
    status.setText(guidance + " More words.")
    settle()
    assert tool.view.geometry() == before
    status.setText(guidance)
    window.resize(1280, 720)
    settle()
    assert status.height() >= status.heightForWidth(status.width())
    window.close_session()


def test_the_more_menu_is_reached_by_tab_and_named(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, tool, _area = canvas_at(qtbot, tmp_path, "sample", 1280, 720, roomy=False)
    more = tool.more_button
    assert more.accessibleName()
    assert more.focusPolicy() & Qt.FocusPolicy.TabFocus
    menu = more.menu()
    assert menu is not None
    assert menu.accessibleName()
    actions = [a for a in menu.actions() if not a.isSeparator()]
    for action in (tool.off_layer_action, tool.snap_action, tool.export_action):
        assert action in actions
    # In the order a person reads the rows: the More button on the first, then the choices
    # under it, then the canvas.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    more.setFocus()
    qtbot.waitUntil(more.hasFocus)
    assert not more.autoRaise()  # with the focus it stands raised: a flat toolbar button shows none
    order: list[QWidget] = []
    for key in (Qt.Key.Key_Tab, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Backtab):
        qtbot.keyClick(QApplication.focusWidget(), key)
        order.append(QApplication.focusWidget())
    assert order == [tool.role_combo, tool.background_combo, tool.role_combo, more]
    tool.background_combo.setFocus()
    qtbot.keyClick(tool.background_combo, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is tool.view
    # Space opens the menu from the keyboard, and Snap to grid can be chosen there.
    more.setFocus()
    qtbot.waitUntil(more.hasFocus)
    snapping = tool.snap_action.isChecked()

    def choose_snap() -> None:
        qtbot.waitUntil(menu.isVisible)
        menu.setActiveAction(tool.snap_action)
        qtbot.keyClick(menu, Qt.Key.Key_Return)

    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, choose_snap)
    qtbot.keyClick(more, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: tool.snap_action.isChecked() is not snapping)
    assert window.document is not None
    assert window.document.session.canvas.snap is not snapping
    window.close_session()


@pytest.mark.parametrize("language", ["cy", "ar"])
def test_longer_words_wrap_the_rows_rather_than_hide_tools(qtbot, tmp_path: Path, language: str) -> None:  # type: ignore[no-untyped-def]
    """Welsh words are longer: at 1280×720 a row of tools that no longer fits goes on to a second
    line, whole, never behind a toolbar's » button. Arabic rows run from the right."""
    from coprod_desktop.ui.shell.language import apply_language

    apply_language(language)
    window, tool, area = canvas_at(qtbot, tmp_path, "sample", 1280, 720, roomy=False)
    assert area.horizontalScrollBar().maximum() == 0
    assert area.verticalScrollBar().maximum() == 0
    assert not cut_tools(tool, area)
    if language == "cy":
        assert tool.show_row.lines == 2  # the zoom tools under the layers
    else:
        for row in (tool.edit_row, tool.show_row, tool.options_row):
            first, second = row.groups
            assert first.geometry().right() > second.geometry().right(), row
    window.close_session()
