"""The canvas step's scene is made while the room is on earlier steps (`ui/workshop/warmup.py`,
`steps/canvas/scene.py` `build_ahead`): after the warm-up, the canvas's first visit takes it and
works out no card afresh, and shows exactly what a scene made then would; the warm-up waits its
delay, goes a slice of a couple of milliseconds at a time, gives the scene up if a card changes
meanwhile, and leaves a session without cards alone."""

from __future__ import annotations

import random
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer
from PySide6.QtWidgets import QWidget

from coprod_desktop.domain.model import Card, CardKind, StepKind
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.shell.mainwindow import MainWindow
from coprod_desktop.ui.steps.canvas import items
from coprod_desktop.ui.steps.canvas import scene as scene_module
from coprod_desktop.ui.steps.canvas.widget import CanvasWidget
from coprod_desktop.ui.workshop import warmup
from coprod_desktop.ui.workshop.warmup import DELAY_MS, CanvasWarmUp
from coprod_desktop.ui.workshop.workshopwidget import WorkshopWidget
from tests.ui.steps.canvas.pictures import differences, first_frames


def _with_cards(tmp_path: Path, count: int, spread: float = 0.0, *, moved: bool = False) -> SessionDocument:
    """`count` cards a pixel apart, or (`spread`) strewn over a square that wide; on the "now"
    layer only, or (`moved`) on the aspiration layer too, elsewhere in that square (an arrow
    each)."""
    session = load_builtin_template()
    rng = random.Random(count)
    tag = uuid.uuid4().hex  # words no other test has prepared in this run
    for i in range(count):
        session.put(
            Card(
                id=f"warm{i:03d}",
                kind=CardKind.DECISION if i % 3 == 0 else CardKind.STAKEHOLDER,
                text=f"Card {i} {tag}: who sets the timetable",
                now_x=100 + (rng.uniform(0, spread) if spread else i),
                now_y=200 + (rng.uniform(0, spread) if spread else i),
                aspiration_x=100 + rng.uniform(0, spread) if moved else None,
                aspiration_y=200 + rng.uniform(0, spread) if moved else None,
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
    assert warm.slices >= 2  # the scene, then its cards a slice at a time
    assert not warm.running
    made = scene_module._AHEAD[document]
    assert len(made.card_ids()) == 40
    assert not made.views()  # nothing shown
    before = items._prepared.cache_info()
    widget = CanvasWidget(document)
    assert widget.scene_ is made
    assert made.parent() is widget
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    after = items._prepared.cache_info()
    assert after.misses == before.misses  # every card was ready
    assert after.hits == before.hits  # and laid out already: the visit looked none up
    document.close()


def test_without_warm_up_the_first_visit_works_the_cards_out(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The counter above is a real one: the same canvas with fresh words misses for each card."""
    document = _with_cards(tmp_path, 40)
    before = items._prepared.cache_info()
    widget = CanvasWidget(document)
    qtbot.addWidget(widget)
    widget.scene_.lay_out_later()  # as its first frame is shown, or anything asks for the cards
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
    workshop = _opened(window, tmp_path, 20)
    qtbot.wait(50)
    assert workshop.warm_up.slices == 0  # nothing on the way to the first frame
    with qtbot.waitSignal(workshop.warm_up.finished, timeout=DELAY_MS + 5000):
        pass
    assert workshop.warm_up.slices >= 2


def _state_of(scene: scene_module.CanvasScene) -> dict[str, object]:
    """Every item of the scene: what it shows and answers, by card and layer."""
    found: dict[str, object] = {}
    for card_id in scene.card_ids():
        for layer, item in scene.card_items(card_id).items():
            found[f"{card_id}/{layer.value}"] = (
                item.pos(),
                item.isVisible(),
                item.opacity(),
                item.zValue(),
                item.flags().value,
                item.parentItem().zValue(),
                item.boundingRect(),
                (item.editable, item.placeholder, item.ghost, item._state),
                item._look,
                item.drawn,
                item.card,
            )
        arrow = scene.arrow(card_id)
        if arrow is not None:
            found[f"{card_id}/arrow"] = (arrow.isVisible(), arrow.zValue(), arrow.span, arrow.boundingRect())
    return found


def _shown(qtbot, document: SessionDocument) -> CanvasWidget:  # type: ignore[no-untyped-def]
    widget = CanvasWidget(document)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_scene_made_ahead_shows_exactly_what_one_made_at_the_visit_would(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document = _with_cards(tmp_path, 40)
    parent = QWidget()
    qtbot.addWidget(parent)
    # One card a slice, taken by the visit half-way: every card worked out (40 slices after
    # the scene's), 19 laid out; the visit lays out the rest itself.
    work = scene_module.build_ahead(document, parent, budget_s=0.0)
    for _ in range(1 + 40 + 19):
        next(work)
    made = scene_module._AHEAD[document]
    assert 0 < len(made.card_ids()) < 40
    before = items._prepared.cache_info()
    ahead = _shown(qtbot, document)
    assert items._prepared.cache_info().misses == before.misses  # every card worked out already
    assert ahead.scene_ is made
    assert list(made.card_ids()) == [card.id for card in document.session.cards]
    assert next(work, "done") == "done"  # the warm-up stops: the canvas has its scene
    fresh = _shown(qtbot, document)  # no scene ahead any more: made here
    assert fresh.scene_ is not made
    assert _state_of(ahead.scene_) == _state_of(fresh.scene_)
    assert ahead.view.viewport().grab().toImage() == fresh.view.viewport().grab().toImage()
    document.close()


def _taken_ahead(qtbot, document: SessionDocument, slices: int):  # type: ignore[no-untyped-def]
    """The scene made ahead of `document`'s canvas after `slices` one-card slices (and the one
    that makes the scene), taken by a shown canvas, and that canvas's first frame."""
    parent = QWidget()
    qtbot.addWidget(parent)
    work = scene_module.build_ahead(document, parent, budget_s=0.0)
    for _ in range(1 + slices):
        next(work)
    made = scene_module._AHEAD[document]
    laid = len(made._card_items)
    widget = CanvasWidget(document)
    qtbot.addWidget(widget)
    assert widget.scene_ is made
    assert made.pending
    widget.resize(1200, 800)
    widget.show()
    return work, made, laid, widget, widget.view.viewport().grab().toImage()


def test_a_scene_made_ahead_with_no_card_laid_out_yet_sketches_them_in_its_first_frame(
    qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Taken by the visit once its cards are worked out but before any is laid out: they are
    laid out after the first frame, which sketches them, as for a scene made at the visit."""
    document = _with_cards(tmp_path, 40, spread=600)
    work, made, laid, _widget, sketch = _taken_ahead(qtbot, document, 40)  # every card worked out
    assert laid == 0
    assert made.pending  # the first frame is the sketch
    qtbot.waitUntil(lambda: not made.pending)
    assert list(made.card_ids()) == [card.id for card in document.session.cards]
    assert next(work, "done") == "done"
    fresh = _shown(qtbot, document)
    assert _state_of(made) == _state_of(fresh.scene_)
    fresh.scene_.lay_out_later()
    assert fresh.view.viewport().grab().toImage() == sketch
    document.close()


def test_a_scene_made_ahead_and_laid_out_in_part_sketches_every_card_in_its_first_frame(
    qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Taken half-way through laying its cards out: the first frame sketches every card (its
    items made so far hidden while it is drawn), as a scene laid out whole would show them,
    the arrows of the cards still to lay out under the cards laid out already."""
    document = _with_cards(tmp_path, 40, spread=500, moved=True)
    _work, made, laid, widget, sketch = _taken_ahead(qtbot, document, 40 + 15)  # 15 laid out
    assert 0 < laid < 40
    assert made.pending
    assert all(home.isVisible() for home in made._homes.values())  # shown again
    made.lay_out_later()
    assert widget.view.viewport().grab().toImage() == sketch
    fresh = _shown(qtbot, document)
    fresh.scene_.lay_out_later()
    assert _state_of(made) == _state_of(fresh.scene_)
    assert fresh.view.viewport().grab().toImage() == sketch
    document.close()


def test_a_card_changed_meanwhile_gives_the_scene_made_ahead_up(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from coprod_desktop.domain.model import replace

    document = _with_cards(tmp_path, 20)
    parent = QWidget()
    qtbot.addWidget(parent)
    for _ in scene_module.build_ahead(document, parent):
        pass
    made = scene_module._AHEAD[document]
    card = document.session.cards[3]
    document.put(replace(card, now_x=900.0, text="Moved while the room was elsewhere"), "Edit")
    assert document not in scene_module._AHEAD  # given up at once
    widget = _shown(qtbot, document)
    assert widget.scene_ is not made
    item = widget.scene_.item(card.id, items.Layer.NOW)
    assert item is not None
    assert item.pos().x() == 900.0
    assert item.card.text == "Moved while the room was elsewhere"
    document.close()


def test_nothing_is_made_ahead_once_the_canvas_exists(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document = _with_cards(tmp_path, 10)
    widget = _shown(qtbot, document)
    parent = QWidget()
    qtbot.addWidget(parent)
    assert list(scene_module.build_ahead(document, parent)) == []
    assert document not in scene_module._AHEAD
    assert widget.scene_.card_ids()
    document.close()


def test_each_slice_of_the_warm_up_is_short(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A couple of milliseconds of laying out per turn of the loop: a vote's key press waits
    no longer (the slow-disk target is no block over 16 ms; the brief asks for 3 ms here)."""
    document = _with_cards(tmp_path, 120)
    parent = QWidget()
    qtbot.addWidget(parent)
    warm = CanvasWarmUp(document, parent, delay_ms=0)
    with qtbot.waitSignal(warm.finished, timeout=10000):
        pass
    assert warm.slices > 3
    assert warm.longest_slice_s < 0.008  # 2 ms of laying out, and the card it was on
    document.close()


def _opened(window: MainWindow, tmp_path: Path, cards: int, spread: float = 0.0) -> WorkshopWidget:
    """A session with `cards` cards opened in `window`, as a facilitator opens one."""
    document = _with_cards(tmp_path, cards, spread)
    path = document.path
    document.close()
    assert window.open_session(path)
    assert window.workshop is not None
    return window.workshop


def test_once_the_session_is_quiet_the_canvas_tool_is_made_unseen(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(warmup, "QUIET_MS", 50)
    workshop = _opened(window, tmp_path, 20)
    content = workshop.step_view.content
    first = workshop.document.session.current_step
    assert first is not None
    assert first.kind is not StepKind.CANVAS
    with qtbot.waitSignal(workshop.warm_up.tool_made, timeout=DELAY_MS + 5000):
        pass
    made = [tool for tool in content.made_tools() if isinstance(tool, CanvasWidget)]
    assert len(made) == 1
    canvas = made[0]
    assert not canvas.isVisible()  # made, not shown
    assert workshop.document.session.current_step == first  # the room is where it was
    assert len(canvas.scene_.card_ids()) == 20  # the scene made ahead, taken by the tool
    assert scene_module._AHEAD.get(workshop.document) is None
    step = next(s for s in workshop.document.session.steps if s.kind is StepKind.CANVAS)
    workshop.go_to(step.id)
    qtbot.waitUntil(canvas.isVisible, timeout=2000)
    assert content.current_tool() is canvas  # the visit shows the one made ahead
    assert [t for t in content.made_tools() if isinstance(t, CanvasWidget)] == [canvas]


def test_a_change_puts_the_tool_off_until_the_session_is_quiet(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(warmup, "QUIET_MS", 300)
    document = _with_cards(tmp_path, 10)
    parent = QWidget()
    qtbot.addWidget(parent)
    asked: list[float] = []
    clock = QElapsedTimer()

    def make() -> bool:
        asked.append(clock.elapsed())
        return True

    warm = CanvasWarmUp(document, parent, delay_ms=0, make_tool=make)
    with qtbot.waitSignal(warm.finished, timeout=5000):
        pass
    clock.start()
    qtbot.wait(150)
    other = next(s for s in document.session.steps if s.id != document.session.current_step.id)  # type: ignore[union-attr]
    document.set_current_step(other.id)  # a change: the quiet spell starts again
    changed_at = clock.elapsed()
    with qtbot.waitSignal(warm.tool_made, timeout=5000):
        pass
    assert len(asked) == 1
    assert asked[0] >= changed_at + 300 - 20  # a whole quiet spell after the change
    qtbot.wait(400)
    assert len(asked) == 1  # once only
    document.close()


def test_no_tool_is_made_ahead_where_the_canvas_is_made_already(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(warmup, "QUIET_MS", 50)
    workshop = _opened(window, tmp_path, 10)
    step = next(s for s in workshop.document.session.steps if s.kind is StepKind.CANVAS)
    workshop.go_to(step.id)  # visited before the warm-up began
    content = workshop.step_view.content
    canvas = content.current_tool()
    assert isinstance(canvas, CanvasWidget)
    assert content.make_canvas_ahead() is False
    qtbot.wait(DELAY_MS + 400)
    assert [t for t in content.made_tools() if isinstance(t, CanvasWidget)] == [canvas]


def test_the_tool_made_ahead_has_its_hidden_cards_found_before_its_first_paint(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    """A crowded canvas made ahead is looked at for hidden cards in the quiet moment too, for
    a view smaller than the window will give it: the visit's first paint trusts that look."""
    from coprod_desktop.ui.steps.canvas.view import CanvasView

    monkeypatch.setattr(warmup, "QUIET_MS", 50)
    window.resize(1280, 760)  # a laptop's screen (in a window much smaller, the look is made again)
    workshop = _opened(window, tmp_path, 300, spread=900)  # many under others
    content = workshop.step_view.content
    with qtbot.waitSignal(workshop.warm_up.tool_made, timeout=DELAY_MS + 5000):
        pass
    canvas = next(tool for tool in content.made_tools() if isinstance(tool, CanvasWidget))
    qtbot.waitUntil(lambda: canvas.scene_.cull_round > 0, timeout=2000)
    assert not canvas.isVisible()
    looked = canvas.scene_.cull_round
    assert sum(item.occluded for item in canvas.scene_.items() if isinstance(item, items.CardItem)) > 30
    rounds: list[int] = []
    paint = CanvasView.paintEvent

    def recorded(view: CanvasView, event: object) -> None:
        paint(view, event)  # type: ignore[arg-type]
        if view is canvas.view:
            rounds.append(view.canvas.cull_round)

    monkeypatch.setattr(CanvasView, "paintEvent", recorded)
    step = next(s for s in workshop.document.session.steps if s.kind is StepKind.CANVAS)
    workshop.go_to(step.id)
    qtbot.waitUntil(lambda: bool(rounds), timeout=2000)
    assert canvas.view.transform().m11() >= canvas.scene_._cull_zoom  # the view is no smaller
    assert rounds[0] == looked  # painted with the look made ahead, none made afresh


def _planned_laptop_canvas(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch, size: tuple[int, int] = (1280, 760)
) -> tuple[WorkshopWidget, CanvasWidget]:
    """A crowded canvas made ahead in a laptop's window, laid out for its step and its first
    frame painted into a picture (`CanvasWidget.plan_ahead`)."""
    monkeypatch.setattr(warmup, "QUIET_MS", 50)
    window.resize(*size)
    workshop = _opened(window, tmp_path, 300, spread=900)
    content = workshop.step_view.content
    with qtbot.waitSignal(workshop.warm_up.tool_made, timeout=DELAY_MS + 5000):
        pass
    canvas = next(tool for tool in content.made_tools() if isinstance(tool, CanvasWidget))
    qtbot.waitUntil(canvas.view.has_first_picture, timeout=2000)
    assert not canvas.isVisible()
    return workshop, canvas


@pytest.mark.parametrize("size", [(1280, 760), (800, 600)])  # a laptop; a small screen, the rows wrapped
def test_the_laptops_canvas_shows_its_first_frame_painted_ahead_as_a_paint_would(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch, size: tuple[int, int]
) -> None:
    """Made ahead, the facilitator's canvas is laid out at the size its step gives it (worked
    out from the window: the step's title and opening words above it) and its first frame
    painted: the visit shows that picture, and it is what a paint then paints."""

    workshop, canvas = _planned_laptop_canvas(qtbot, window, tmp_path, monkeypatch, size)
    ahead = canvas.view._first_picture[0].toImage()  # type: ignore[index]
    shown = first_frames(canvas.view, monkeypatch)
    step = next(s for s in workshop.document.session.steps if s.kind is StepKind.CANVAS)
    workshop.go_to(step.id)
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    assert shown[0]  # the first frame was the picture: the size worked out was the step's
    assert not canvas.view.has_first_picture()  # once only
    assert canvas.view.viewport().size() == ahead.size()
    painted = canvas.view.viewport().grab().toImage()
    differ, worst = differences(ahead, painted)
    assert worst <= 3
    assert differ < ahead.width() * ahead.height() / 9 / 100  # under one pixel in a hundred


def test_a_window_resized_before_the_visit_leaves_the_laptops_picture_unshown(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    """The window changed size between the planning and the visit: the canvas has another size,
    so its first frame is painted afresh, at that size."""
    workshop, canvas = _planned_laptop_canvas(qtbot, window, tmp_path, monkeypatch)
    planned = canvas.view._first_picture[0].deviceIndependentSize().toSize()  # type: ignore[index]
    window.resize(1180, 700)
    qtbot.wait(50)
    shown = first_frames(canvas.view, monkeypatch)
    step = next(s for s in workshop.document.session.steps if s.kind is StepKind.CANVAS)
    workshop.go_to(step.id)
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    assert not shown[0]
    assert canvas.view.viewport().size() != planned
    assert canvas.view._painted


def test_a_quiet_spell_counts_from_when_it_began_to_follow(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The tool made ahead waits for the session to be quiet; the quiet is counted from the
    start of the warm-up (`follow`), so a session left alone while the scene was made gets its
    tool at once, and a change meanwhile still puts it off by a whole spell."""
    document = _with_cards(tmp_path, 1)
    parent = QWidget()
    qtbot.addWidget(parent)
    clock = QElapsedTimer()
    called: list[int] = []
    spell = warmup.QuietSpell(document, 300, lambda: called.append(clock.elapsed()), parent)
    clock.start()
    spell.follow()
    qtbot.wait(350)  # quiet all that while (the scene being made)
    asked = clock.elapsed()
    spell.start()
    qtbot.waitUntil(lambda: bool(called), timeout=2000)
    assert called[0] - asked < 150  # at the next turns, not a whole spell later
    called.clear()
    clock.restart()
    spell.follow()
    qtbot.wait(100)
    document.set_current_step(document.session.visible_steps[1].id)  # a change: the count restarts
    changed_at = clock.elapsed()
    spell.start()
    qtbot.waitUntil(lambda: bool(called), timeout=2000)
    assert called[0] >= changed_at + 300 - 20
    document.close()


def test_the_snap_grid_turned_on_before_the_visit_leaves_the_laptops_picture_unshown(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    """The board the picture shows changed between the planning and the visit (the snap grid is
    drawn on it now): its first frame is painted afresh."""
    from dataclasses import replace

    workshop, canvas = _planned_laptop_canvas(qtbot, window, tmp_path, monkeypatch)
    settings = workshop.document.session.canvas
    assert not settings.snap
    assert workshop.document.put(replace(settings, snap=True), "Snap to the grid")
    shown = first_frames(canvas.view, monkeypatch)
    step = next(s for s in workshop.document.session.steps if s.kind is StepKind.CANVAS)
    workshop.go_to(step.id)
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    assert not shown[0]
    assert canvas.view._painted
