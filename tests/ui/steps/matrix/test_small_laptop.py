"""The matrix step on a 1280×720 laptop with the agenda and the notes showing: at least three of
the grid's rows in view and every voting control whole; only the closing guidance scrolls. On a
1366×768 laptop nothing scrolls."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QRect
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QStackedWidget, QWidget

from coprod_desktop.domain.model import (
    Criterion,
    Participant,
    Reveal,
    RoleGroup,
    Session,
    Stage,
    StepKind,
    Vote,
    VotingMode,
    replace,
)
from coprod_desktop.domain.voting import cell_question
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.shell.mainwindow import MainWindow
from coprod_desktop.ui.steps.matrix.matrixwidget import MIN_GRID_ROWS, MatrixWidget
from tests.ui.workshop.test_laptop_fit import problems_in


def settle() -> None:
    for _ in range(4):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()


def large_session(mode: VotingMode = VotingMode.NAMED) -> Session:
    """60 people, a 10×5 matrix fully voted by name and revealed (as benchmarks/common.py);
    voted on from then on in `mode`."""
    session = load_builtin_template()
    for cls in (Criterion, Stage):
        for entity in session.items(cls):
            session.remove(cls, entity.ident)
    roles = list(RoleGroup)
    people = [
        Participant(id=f"p{i:03d}", name=f"Person {i + 1}", role=roles[i % 4], position=i) for i in range(60)
    ]
    criteria = [
        Criterion(id=f"c{i:02d}", title=f"Criterion {i + 1}: who decides, who does", position=i)
        for i in range(10)
    ]
    stages = [Stage(id=f"s{i}", title=f"Stage {i + 1}", position=i) for i in range(5)]
    for entity in (*people, *criteria, *stages):
        session.put(entity)
    session.put(replace(session.matrix, mode=VotingMode.NAMED))
    rng = random.Random(2026)
    for criterion in criteria:
        for stage in stages:
            question = cell_question(criterion.id, stage.id)
            for person in people:
                session.put(Vote(question, person.id, str(rng.randrange(5))))
            session.put(Reveal(question))
    if mode is not VotingMode.NAMED:
        session.put(replace(session.matrix, mode=mode))
    return session


def large_session_file(folder: Path, mode: VotingMode = VotingMode.NAMED) -> Path:
    session = large_session(mode)
    path = folder / "large.coprod"
    SessionFile.create(path, session).close()
    return path


def whole_rows(tool: MatrixWidget) -> int:
    view, model = tool.view, tool.model
    return sum(
        1
        for row in range(model.rowCount())
        if view.visualRect(model.index(row, 0)).top() >= 0
        and view.visualRect(model.index(row, 0)).bottom() <= view.viewport().height()
    )


def in_view(widget: QWidget, area: QScrollArea) -> bool:
    """Whether `widget` is wholly inside the part of `area` a person sees."""
    top_left = widget.mapTo(area.viewport(), widget.rect().topLeft())
    return area.viewport().rect().contains(QRect(top_left, widget.size()))


def matrix_at(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, width: int, height: int, mode: VotingMode = VotingMode.NAMED
) -> tuple[MainWindow, MatrixWidget]:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    assert window.open_session(large_session_file(tmp_path, mode))
    settle()
    assert window.document is not None
    assert window.workshop is not None
    step = next(s for s in window.document.session.visible_steps if s.kind is StepKind.MATRIX)
    window.workshop.go_to(step.id)
    settle()
    tool = window.workshop.step_view.content.tool(StepKind.MATRIX)
    assert isinstance(tool, MatrixWidget)
    return window, tool


def test_a_1280_laptop_shows_three_rows_and_every_voting_control(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, tool = matrix_at(qtbot, tmp_path, 1280, 720)
    assert window.width() == 1280
    workshop = window.workshop
    assert workshop is not None
    # The panels stay: the agenda on the left, the facilitator's notes on the right.
    assert workshop.agenda.isVisible()
    assert workshop.step_view.notes.isVisible()
    assert workshop.step_view.panel.isVisible()
    assert whole_rows(tool) >= MIN_GRID_ROWS
    area = tool.entry.currentWidget()
    assert isinstance(area, QScrollArea)
    page = area.widget()
    for control in (tool.named_combo, tool.named_progress, *page.findChildren(QWidget)):
        if control.isVisibleTo(page) and not (isinstance(control, QLabel) and control.objectName() == "hint"):
            assert in_view(control, area), control
    # The guidance below the controls is a scroll away, whole.
    hint = next(label for label in page.findChildren(QLabel) if label.objectName() == "hint")
    assert area.verticalScrollBar().maximum() > 0
    area.ensureWidgetVisible(hint)
    assert in_view(hint, area)
    assert hint.height() >= hint.heightForWidth(hint.width())
    assert tool.status.isVisible()  # what just happened is never scrolled away
    assert not problems_in(window, "1280×720, the matrix")
    window.close_session()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_larger_screens_scroll_nothing(qtbot, tmp_path: Path, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
    window, tool = matrix_at(qtbot, tmp_path, width, height)
    assert whole_rows(tool) >= MIN_GRID_ROWS
    area = tool.entry.currentWidget()
    assert isinstance(area, QScrollArea)
    assert area.verticalScrollBar().maximum() == 0
    assert not area.verticalScrollBar().isVisible()
    window.close_session()


def closing_hints(page: QWidget) -> list[QLabel]:
    """The guidance after a page's last control (what may be scrolled to on a short screen)."""
    layout = page.layout()
    assert layout is not None
    found: list[QLabel] = []
    for number in range(layout.count() - 1, -1, -1):
        item = layout.itemAt(number)
        assert item is not None
        if item.spacerItem() is not None:
            continue
        widget = item.widget()
        if not isinstance(widget, QLabel) or widget.objectName() != "hint" or widget.isHidden():
            break
        found.append(widget)
    return found


def shown_page(tool: MatrixWidget) -> tuple[QScrollArea, QWidget]:
    area = tool.entry.currentWidget()
    assert isinstance(area, QScrollArea)
    page = area.widget()
    while isinstance(page, QStackedWidget):
        page = page.currentWidget()
    return area, page


# Show of hands, an anonymous ballot and a secret ballot, between voters and with one open.
MODES = [
    (VotingMode.SHOW_OF_HANDS, False),
    (VotingMode.ANONYMOUS, False),
    (VotingMode.ANONYMOUS, True),
    (VotingMode.SECRET, False),
    (VotingMode.SECRET, True),
]


@pytest.mark.parametrize(("mode", "ballot"), MODES, ids=[f"{m.value}{'-open' if b else ''}" for m, b in MODES])
def test_every_mode_on_a_1280_laptop_shows_three_rows_and_its_controls(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, mode: VotingMode, ballot: bool
) -> None:
    window, tool = matrix_at(qtbot, tmp_path, 1280, 720, mode)
    workshop = window.workshop
    assert workshop is not None
    if ballot:
        assert tool.start_secret_ballot("p000") if mode is VotingMode.SECRET else tool.start_anonymous_ballot()
        settle()
        # A voter at the laptop sees their ballot alone: no agenda, no notes.
        assert not workshop.agenda.isVisible()
    else:
        assert workshop.agenda.isVisible()
        assert workshop.step_view.notes.isVisible()
    assert whole_rows(tool) >= MIN_GRID_ROWS
    area, page = shown_page(tool)
    hints = closing_hints(page)
    for control in page.findChildren(QWidget):
        if control.isVisibleTo(page) and control not in hints:
            assert in_view(control, area), control
    for hint in hints:  # the guidance below the controls: in view, or a scroll away, and whole
        area.ensureWidgetVisible(hint)
        assert in_view(hint, area)
        assert hint.height() >= hint.heightForWidth(hint.width())
    assert tool.status.isVisible()
    assert not problems_in(window, f"1280×720, the matrix voted by {mode.value}")
    if ballot:
        tool.finish_ballot()
    window.close_session()


def test_show_of_hands_on_a_1366_laptop_scrolls_nothing(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, tool = matrix_at(qtbot, tmp_path, 1366, 768, VotingMode.SHOW_OF_HANDS)
    assert whole_rows(tool) >= MIN_GRID_ROWS
    area, page = shown_page(tool)
    for control in page.findChildren(QWidget):
        if control.isVisibleTo(page):
            assert in_view(control, area), control
    window.close_session()
