"""The canvas step's cards are prepared while the room is on earlier steps (`ui/workshop/warmup.py`):
after the warm-up, the canvas's first visit works out no card afresh; the warm-up waits its
delay, goes a slice at a time, and leaves a session without cards alone."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtWidgets import QWidget

from coprod_desktop.domain.model import Card, CardKind, StepKind
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.shell.mainwindow import MainWindow
from coprod_desktop.ui.steps.canvas import items
from coprod_desktop.ui.steps.canvas.widget import CanvasWidget
from coprod_desktop.ui.workshop.warmup import DELAY_MS, CanvasWarmUp


def _with_cards(tmp_path: Path, count: int) -> SessionDocument:
    session = load_builtin_template()
    tag = uuid.uuid4().hex  # words no other test has prepared in this run
    for i in range(count):
        session.put(
            Card(
                id=f"warm{i:03d}",
                kind=CardKind.DECISION if i % 3 == 0 else CardKind.STAKEHOLDER,
                text=f"Card {i} {tag}: who sets the timetable",
                now_x=100 + i,
                now_y=200 + i,
                position=i,
            )
        )
    return SessionDocument.create(tmp_path / "warm.coprod", session)


def test_after_the_warm_up_the_canvas_works_out_no_card_afresh(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document = _with_cards(tmp_path, 40)
    parent = QWidget()
    qtbot.addWidget(parent)
    warm = CanvasWarmUp(document, parent, delay_ms=0)
    with qtbot.waitSignal(warm.finished, timeout=5000):
        pass
    assert warm.slices == 3  # 40 cards, 16 a turn of the loop
    assert not warm.running
    before = items._prepared.cache_info()
    widget = CanvasWidget(document)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    after = items._prepared.cache_info()
    assert after.misses == before.misses  # every card was ready
    assert after.hits > before.hits
    document.close()


def test_without_warm_up_the_first_visit_works_the_cards_out(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The counter above is a real one: the same canvas with fresh words misses for each card."""
    document = _with_cards(tmp_path, 40)
    before = items._prepared.cache_info()
    widget = CanvasWidget(document)
    qtbot.addWidget(widget)
    after = items._prepared.cache_info()
    assert after.misses - before.misses >= 40
    document.close()


def test_a_session_with_no_cards_is_left_alone(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    session = load_builtin_template()
    assert any(step.kind is StepKind.CANVAS for step in session.steps)
    assert not session.cards
    document = SessionDocument.create(tmp_path / "empty.coprod", session)
    parent = QWidget()
    qtbot.addWidget(parent)
    warm = CanvasWarmUp(document, parent, delay_ms=0)
    qtbot.wait(50)
    assert not warm.running
    assert warm.slices == 0
    document.close()


def test_the_workshop_waits_before_warming_up(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document = _with_cards(tmp_path, 20)
    path = document.path
    document.close()
    assert window.open_session(path)
    workshop = window.workshop
    assert workshop is not None
    qtbot.wait(50)
    assert workshop.warm_up.slices == 0  # nothing on the way to the first frame
    with qtbot.waitSignal(workshop.warm_up.finished, timeout=DELAY_MS + 5000):
        pass
    assert workshop.warm_up.slices == 2
