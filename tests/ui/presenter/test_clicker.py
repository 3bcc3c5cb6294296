"""The clicker never fails: after typing in any kind of field of the facilitator's window,
PageDown and PageUp walk the room one page, story or step on, and back, with no error."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QWidget

from coprod_desktop.domain.model import StepKind
from coprod_desktop.ui.presenter.audience import AudienceWindow
from coprod_desktop.ui.shell.mainwindow import MainWindow

Position = tuple[str, str, int]  # step id, story id, page


def position(window: MainWindow, audience: AudienceWindow) -> Position:
    document = window.document
    assert document is not None
    step = document.session.current_step
    assert step is not None
    story = document.focus("scenario") if step.kind is StepKind.SCENARIOS else ""
    pager = audience.content.current_pager()
    return (step.id, story, pager.page if pager is not None else 0)


def go(window: MainWindow, audience: AudienceWindow, where: Position) -> None:
    document = window.document
    assert document is not None
    document.set_current_step(where[0])
    if where[1]:
        document.set_focus("scenario", where[1])
    QApplication.processEvents()
    pager = audience.content.current_pager()
    if pager is not None:
        pager.set_page(where[2])


def first_field(widget: QWidget, kind: type) -> QWidget:
    for child in widget.findChildren(kind):
        if child.isVisible() and child.isEnabled() and not getattr(child, "isReadOnly", lambda: False)():
            return child
    raise AssertionError(f"no {kind.__name__} to type in")


@pytest.fixture
def presenting(window: MainWindow, sample_file: Path, qtbot) -> AudienceWindow:  # type: ignore[no-untyped-def]
    assert window.open_session(sample_file)
    window.start_presenting()
    audience = window.presenter.window  # type: ignore[union-attr]
    assert audience is not None
    audience.resize(1280, 720)  # a small projector, so that some steps have pages
    qtbot.waitExposed(audience)
    QApplication.processEvents()
    # The facilitator types at the laptop: its window has the keyboard, the room's the screen.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return audience


def test_clicker_walks_every_story_and_every_page(window: MainWindow, presenting: AudienceWindow) -> None:
    audience = presenting
    document = window.document
    assert document is not None
    go(window, audience, (document.session.visible_steps[0].id, "", 0))
    walk = [position(window, audience)]
    for _ in range(300):
        window.navigator.pressed(Qt.Key.Key_PageDown)  # type: ignore[union-attr]
        QApplication.processEvents()
        here = position(window, audience)
        if here == walk[-1]:
            break
        walk.append(here)
    assert walk[-1][0] == document.session.visible_steps[-1].id
    assert [s for s in dict.fromkeys(w[0] for w in walk)] == [s.id for s in document.session.visible_steps]
    stories = {w[1] for w in walk if w[1]}
    assert stories == {s.id for s in document.session.scenarios}
    paged = [w for w in walk if w[2] > 0]
    assert paged, "at 1280×720 some step should need a second page"
    for step_id, story, page in paged:
        assert (step_id, story, page - 1) in walk  # every page before it was walked too
    # And back again, the same way.
    back = [walk[-1]]
    for _ in range(300):
        window.navigator.pressed(Qt.Key.Key_PageUp)  # type: ignore[union-attr]
        QApplication.processEvents()
        here = position(window, audience)
        if here == back[-1]:
            break
        back.append(here)
    assert back == walk[::-1]


def test_clicker_steps_after_typing_in_every_kind_of_field(  # type: ignore[no-untyped-def]
    window: MainWindow, presenting: AudienceWindow, qtbot, capfd
) -> None:
    audience = presenting
    document = window.document
    assert document is not None
    assert window.workshop is not None
    content = window.workshop.step_view.content
    by_kind = {s.kind: s for s in document.session.visible_steps}

    def field_in(kind: StepKind) -> list[QWidget]:
        go(window, audience, (by_kind[kind].id, document.session.scenarios[0].id, 0))
        tool = content.tool(kind)
        assert tool is not None
        fields = []
        for field_kind in (QAbstractSpinBox, QComboBox, QLineEdit):
            try:
                fields.append(first_field(tool, field_kind))
            except AssertionError:
                continue
        return fields

    checked = 0
    cases: list[tuple[StepKind, QWidget]] = [(StepKind.WELCOME, window.workshop.step_view.room_notes.entry)]
    for kind in (StepKind.SCENARIOS, StepKind.READINESS, StepKind.MATRIX):
        cases += [(kind, field) for field in field_in(kind)]
    for kind, field in cases:
        go(window, audience, (by_kind[kind].id, document.session.scenarios[0].id, 0))
        start = position(window, audience)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        field.setFocus()
        assert field.isVisible(), (kind, type(field).__name__, field.accessibleName())
        qtbot.waitUntil(field.hasFocus)
        if isinstance(field, QComboBox):
            qtbot.keyClick(field, Qt.Key.Key_Down)
        else:
            qtbot.keyClicks(field, "2")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown)
        moved = position(window, audience)
        assert moved != start, f"PageDown after typing in {type(field).__name__} on {kind.name} did nothing"
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_PageUp)
        assert position(window, audience) == start, f"PageUp did not come back to {kind.name}"
        checked += 1
    assert checked >= 5

    # A cell of the actions table being edited: PageDown finishes the edit, then moves on.
    actions = content.tool(StepKind.ACTIONS)
    go(window, audience, (by_kind[StepKind.ACTIONS].id, "", 0))
    table = actions.table  # type: ignore[union-attr]
    start = position(window, audience)
    first = document.session.actions[0]
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 1))
    table.edit(table.currentIndex())
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Sam Okafor")
    qtbot.keyClick(editor, Qt.Key.Key_PageDown)
    assert position(window, audience) != start
    assert document.session.actions[0].who == "Sam Okafor", first
    err = capfd.readouterr().err
    assert "RecursionError" not in err
    assert "Traceback" not in err
