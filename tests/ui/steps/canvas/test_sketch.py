"""A canvas made at its visit shows its first frame before its cards' items are made: the cards
are sketched as their items draw them (`CanvasScene.sketch`), then laid out in the turns after
(`CanvasScene.lay_out_later`). Whatever needs the cards meanwhile lays the rest out first."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from coprod_desktop.domain.canvas import Layer
from coprod_desktop.domain.model import CanvasBackground, Card, CardKind, RoleGroup, replace
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.steps.canvas import export, items, style
from coprod_desktop.ui.steps.canvas import scene as scene_module
from coprod_desktop.ui.steps.canvas import view as view_module
from coprod_desktop.ui.steps.canvas.scene import CULL_FROM
from coprod_desktop.ui.steps.canvas.widget import CanvasWidget


def _session(count: int = 240):  # type: ignore[no-untyped-def]
    """The default workshop with `count` cards of every kind and role, crowded (many overlap),
    some on one layer only and some on none (shown as placeholders), in a stacking order that
    is not the order they came in."""
    session = load_builtin_template()
    rng = random.Random(11)
    roles = [None, *RoleGroup]
    for i in range(count):
        now = (rng.uniform(150, 850), rng.uniform(150, 850)) if i % 7 != 3 else (None, None)
        aim = (rng.uniform(150, 850), rng.uniform(150, 850)) if i % 5 != 1 else (None, None)
        if i % 29 == 0:
            now = aim = (None, None)
        session.put(
            Card(
                id=f"card{i:04d}",
                kind=CardKind.DECISION if i % 3 == 0 else CardKind.STAKEHOLDER,
                text=f"Card {i}: " + "a point about the timetable " * (i % 3 + 1),
                role=roles[i % len(roles)],
                now_x=now[0],
                now_y=now[1],
                aspiration_x=aim[0],
                aspiration_y=aim[1],
                position=rng.randrange(count),
            )
        )
    return session


@pytest.fixture
def document(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Fewer cards than a first paint looks for hidden ones on (`scene.CULL_FROM`)."""
    doc = SessionDocument.create(tmp_path / "some.coprod", _session(CULL_FROM - 30))
    yield doc
    doc.close()


@pytest.fixture
def crowded(tmp_path: Path):  # type: ignore[no-untyped-def]
    """As many as the benchmark's large session has (500)."""
    doc = SessionDocument.create(tmp_path / "crowded.coprod", _session(500))
    yield doc
    doc.close()


def _first_frame(qtbot, document: SessionDocument, width: int, height: int) -> CanvasWidget:  # type: ignore[no-untyped-def]
    """A canvas shown at `width`×`height` and painted once: its first frame, the cards sketched."""
    widget = CanvasWidget(document)
    qtbot.addWidget(widget)
    widget.resize(width, height)
    assert widget.scene_.pending  # made here: nothing laid out yet
    widget.show()
    widget.view.viewport().grab()  # its first paint
    assert widget.view._sketch is not None
    return widget


def _plain(image: QImage) -> QImage:
    return image.convertToFormat(QImage.Format.Format_RGB32)


@pytest.mark.parametrize(
    ("width", "height", "bars", "many"),
    [(420, 400, True, True), (420, 400, True, False), (1400, 900, False, False)],
)
def test_the_first_frame_is_what_the_cards_items_paint(
    qtbot, request: pytest.FixtureRequest, width: int, height: int, bars: bool, many: bool
) -> None:  # type: ignore[no-untyped-def]
    """Pixel for pixel: on a board so small the words are bars (420×400) and on one where they
    are words, with many cards (where the first paint looks for hidden ones) or some; overlapping in their stacking order,
    placeholders, decisions and every role, both layers and the arrows between."""
    document = request.getfixturevalue("crowded" if many else "document")
    widget = _first_frame(qtbot, document, width, height)
    view, scene = widget.view, widget.scene_
    assert scene.pending  # the frame is painted, the cards not laid out yet
    words_px = style.CARD_FONT_PX * scene.scale * view.transform().m11() * view.devicePixelRatioF()
    assert (words_px < items.WORDS_FROM_PX) is bars
    sketch = _plain(view.viewport().grab().toImage())
    scene.lay_out_later()
    assert not scene.pending
    assert len(scene.card_ids()) == len(document.session.cards)
    painted = _plain(view.viewport().grab().toImage())  # the items' own paint now
    assert painted == sketch


def test_a_crowded_board_of_readable_words_is_sketched_without_the_cards_hidden_under_others(
    qtbot, crowded: SessionDocument, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """As a first paint of the items would (it looks for hidden cards where the words can be
    read on a big canvas): the same walk, over the cards as they will be laid out. The picture
    is the items' own, and every card is drawn once laid out with no look."""
    drawn: list[object] = []
    draw = scene_module.draw_card

    def counted(*args: object) -> None:
        drawn.append(args[2])
        draw(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(scene_module, "draw_card", counted)
    widget = _first_frame(qtbot, crowded, 1400, 900)
    view, scene = widget.view, widget.scene_
    shown = sum(
        1 for card in crowded.session.cards for at in (card.now_x, card.aspiration_x) if at is not None
    )
    assert 0 < len(drawn) < shown * 0.8  # a good part of them hidden: not drawn
    sketch = _plain(view.viewport().grab().toImage())
    scene.lay_out_later()
    monkeypatch.setattr(scene_module, "CULL_FROM", 10**9)  # a paint that looks for nothing
    assert _plain(view.viewport().grab().toImage()) == sketch


def test_the_cards_are_laid_out_in_the_turns_after_and_the_frame_stands_for_their_paint(
    qtbot, document: SessionDocument, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # (The bitmaps' warm-up, later, paints afresh: see the next test.)
    monkeypatch.setattr(view_module, "WARM_UP_AFTER_MS", 60_000)
    widget = _first_frame(qtbot, document, 1400, 900)
    view, scene = widget.view, widget.scene_
    sketch = _plain(view.viewport().grab().toImage())
    qtbot.waitUntil(lambda: not scene.pending, timeout=5000)
    # The sketch is shown once more for the items' first paint, which it matches.
    assert view.has_first_picture()
    again = _plain(view.viewport().grab().toImage())
    assert again == sketch
    assert not view.has_first_picture()
    view.resetCachedContent()
    assert _plain(view.viewport().grab().toImage()) == sketch


def test_the_bitmaps_warm_up_paints_afresh_not_the_sketch(
    qtbot, crowded: SessionDocument, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The paint after the warm-up fills the cards' bitmaps, so the first drag is as smooth as
    the rest: the sketch, standing for the items' first paint until then, does not stand in
    for that one."""
    held: list[tuple[bool, bool]] = []  # whether the sketch stood, before and after
    warm_up = view_module.CanvasView._warm_up

    def warming(view: view_module.CanvasView) -> None:
        before = view.has_first_picture()
        warm_up(view)
        held.append((before, view.has_first_picture()))

    monkeypatch.setattr(view_module.CanvasView, "_warm_up", warming)
    widget = _first_frame(qtbot, crowded, 1400, 900)
    scene = widget.scene_
    qtbot.waitUntil(lambda: bool(held), timeout=10_000)
    assert scene.caching
    assert not scene.pending
    assert len(held) == 1
    assert not held[0][1]  # whether or not it stood until then (here it does), it is gone


def test_a_click_before_the_cards_are_laid_out_selects_the_card_under_it(
    qtbot, document: SessionDocument
) -> None:  # type: ignore[no-untyped-def]
    widget = _first_frame(qtbot, document, 1400, 900)
    view, scene = widget.view, widget.scene_
    assert scene.pending
    # The front-most card (the highest in the stacking order, on the aspiration layer).
    front = max(
        (c for c in document.session.cards if c.aspiration_x is not None and c.aspiration_y is not None),
        key=lambda c: c.position,
    )
    assert front.aspiration_x is not None
    assert front.aspiration_y is not None
    at = view.mapFromScene(front.aspiration_x, front.aspiration_y)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert not scene.pending
    assert scene.selected_card_ids() == [front.id]


def test_tab_before_the_cards_are_laid_out_walks_to_the_first_card(qtbot, document: SessionDocument) -> None:  # type: ignore[no-untyped-def]
    widget = _first_frame(qtbot, document, 1400, 900)
    view, scene = widget.view, widget.scene_
    view.setFocus()
    assert scene.pending
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert not scene.pending
    assert len(scene.selected_card_ids()) == 1


def test_a_change_before_the_cards_are_laid_out_is_shown(qtbot, document: SessionDocument) -> None:  # type: ignore[no-untyped-def]
    """A card added (by another window, a phone, an undo) while the frame stands: the scene
    lays everything out and the next paint is the items', the new card in it."""
    widget = _first_frame(qtbot, document, 1400, 900)
    view, scene = widget.view, widget.scene_
    sketch = _plain(view.viewport().grab().toImage())
    late = Card(id="late", kind=CardKind.DECISION, text="Added late", now_x=60, now_y=60, position=999)
    assert document.put(late, "Add a card")
    assert not scene.pending
    assert scene.item("late", Layer.NOW) is not None
    assert _plain(view.viewport().grab().toImage()) != sketch


def test_a_move_to_another_step_leaves_the_cards_to_their_turns(qtbot, document: SessionDocument) -> None:  # type: ignore[no-untyped-def]
    """Moving on past the canvas before its cards are laid out does not lay them out on the
    way: the next step opens without that work, and the cards are laid out in later turns."""
    widget = _first_frame(qtbot, document, 1400, 900)
    scene = widget.scene_
    steps = [step.id for step in document.session.steps]
    document.set_current_step(steps[-1])
    assert document.session.progress.current_step_id == steps[-1]
    assert scene.pending
    qtbot.waitUntil(lambda: not scene.pending, timeout=5000)
    assert len(scene.card_ids()) == len(document.session.cards)


def test_a_background_chosen_before_the_cards_are_laid_out_is_painted(
    qtbot, document: SessionDocument
) -> None:  # type: ignore[no-untyped-def]
    widget = _first_frame(qtbot, document, 1400, 900)
    view, scene = widget.view, widget.scene_
    sketch = _plain(view.viewport().grab().toImage())
    settings = document.session.canvas
    other = next(b for b in CanvasBackground if b is not settings.background)
    assert document.put(replace(settings, background=other), "Another background")
    painted = _plain(view.viewport().grab().toImage())
    assert not scene.pending  # the sketch showed the old background: laid out for the paint
    assert painted != sketch
    scene.lay_out_later()
    view.resetCachedContent()
    assert _plain(view.viewport().grab().toImage()) == painted


def test_a_resize_before_the_cards_are_laid_out_paints_the_items(qtbot, document: SessionDocument) -> None:  # type: ignore[no-untyped-def]
    widget = _first_frame(qtbot, document, 1400, 900)
    view, scene = widget.view, widget.scene_
    widget.resize(1100, 800)
    widget.layout().activate()  # type: ignore[union-attr]
    picture = view.viewport().grab()
    assert not scene.pending  # the sketch no longer fits: the cards were laid out for the paint
    assert picture.size() == view.viewport().size()
    assert not view.has_first_picture()


def test_an_export_before_the_cards_are_laid_out_has_every_card(qtbot, document: SessionDocument) -> None:  # type: ignore[no-untyped-def]
    widget = _first_frame(qtbot, document, 1400, 900)
    early = export.render_image(widget, 0.5)
    assert not widget.scene_.pending
    laid = CanvasWidget(document)  # a second canvas of the same session, laid out at once
    qtbot.addWidget(laid)
    laid.scene_.lay_out_later()
    assert export.render_image(laid, 0.5) == early
    blank = QImage(early.size(), early.format())
    blank.fill(Qt.GlobalColor.white)
    assert early != blank
