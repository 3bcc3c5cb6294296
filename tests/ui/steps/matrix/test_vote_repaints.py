"""A vote repaints what it changed on both screens, and only that: an average box whose words,
figure and colour stay the same is neither repainted nor announced, and one that changes always is."""

from __future__ import annotations

import random

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from coprod_desktop.domain.changes import Change
from coprod_desktop.domain.model import Reveal, Vote, VotingMode, replace
from coprod_desktop.ui.steps.matrix.matrixmodel import VIEW_ROLE, MatrixModel
from coprod_desktop.ui.steps.matrix.matrixwidget import MatrixWidget

from .test_matrixwidget import document, make, path, question, select, set_mode  # noqa: F401 - fixtures


class PaintCounter(QObject):
    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.paints = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def fully_voted(document) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Every box rated by the four people and revealed, so every average has a figure."""
    set_mode(document, VotingMode.NAMED)
    session = document.session
    rng = random.Random(13)
    rows, columns = len(session.criteria), len(session.stages)
    changes = [
        Change(None, Vote(question(session, r, c), person.id, str(rng.randrange(5))))
        for r in range(rows)
        for c in range(columns)
        for person in session.participants
    ]
    changes += [Change(None, Reveal(question(session, r, c))) for r in range(rows) for c in range(columns)]
    assert document.apply(changes, "Votes")


def shown(model: MatrixModel) -> dict[tuple[int, int], object]:
    return {
        (row, column): model.data(model.index(row, column), VIEW_ROLE)
        for row in range(model.rowCount())
        for column in range(model.columnCount())
    }


def test_every_box_that_shows_something_new_is_announced_and_none_is_stale(qtbot, document) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fully_voted(document)
    console = make(qtbot, document)
    room = make(qtbot, document, audience=True)
    console.choose_person("p1")
    select(console, 0, 0)
    models = (console.model, room.model)
    announced: dict[int, set[tuple[int, int]]] = {id(m): set() for m in models}
    for model in models:
        model.dataChanged.connect(
            lambda first, _last, *_, m=model: announced[id(m)].add((first.row(), first.column()))
        )
    skipped = 0
    for key in [Qt.Key.Key_4, Qt.Key.Key_0, Qt.Key.Key_1, Qt.Key.Key_3] * 6:
        before = {id(m): shown(m) for m in models}
        for found in announced.values():
            found.clear()
        qtbot.keyClick(console.view, key)
        for model in models:
            # What a model built from scratch shows now: the truth every box must match.
            fresh = MatrixModel(document, audience=model.audience)
            fresh.mine = dict(model.mine)
            fresh.display = model.display
            truth = shown(fresh)
            assert shown(model) == truth
            for where, view in truth.items():
                if view != before[id(model)][where]:
                    assert where in announced[id(model)], where  # changed: repainted and announced
            averages = {
                (r, c) for r, c in truth if (r == model.average_row or c == model.average_column) and c > 0
            }
            skipped += len({w for w in averages if truth[w] == before[id(model)][w]} - announced[id(model)])
            fresh.deleteLater()
    assert skipped > 0  # some votes left some averages as they were: those were not repainted


def test_moving_between_boxes_repaints_the_boxes_and_not_the_stage_names(qtbot, document) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fully_voted(document)
    console = make(qtbot, document)
    select(console, 0, 0)
    for _ in range(3):
        QApplication.processEvents()
    names = PaintCounter(console.view.horizontalHeader().viewport())
    grid = PaintCounter(console.view.viewport())
    qtbot.keyClick(console.view, Qt.Key.Key_Right)
    qtbot.keyClick(console.view, Qt.Key.Key_Down)
    for _ in range(3):
        QApplication.processEvents()
    assert console.view.currentIndex().row() == 1
    assert grid.paints >= 1
    assert names.paints == 0
    # The names themselves still follow a change to them.
    document.put(replace(document.session.stages[0], title="Renamed stage"), "Rename")
    for _ in range(3):
        QApplication.processEvents()
    assert names.paints >= 1
    assert console.model.headerData(1, Qt.Orientation.Horizontal) == "Renamed stage"


def test_a_vote_in_a_hidden_box_leaves_the_averages_alone(qtbot, document) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    set_mode(document, VotingMode.NAMED)
    console = make(qtbot, document)
    room = MatrixWidget(document, audience=True)
    qtbot.addWidget(room)
    room.show()
    console.choose_person("p2")
    select(console, 3, 2)
    for model in (console.model, room.model):
        shown(model)
    announced: list[tuple[int, int]] = []
    room.model.dataChanged.connect(lambda first, _last, *_: announced.append((first.row(), first.column())))
    qtbot.keyClick(console.view, Qt.Key.Key_2)
    model = room.model
    assert (3, 3) in announced  # the box's count of voters
    # (and the box the room looks at, which moved on); no average shows a hidden box
    assert not [(r, c) for r, c in announced if r == model.average_row or c == model.average_column]
