"""Card bitmaps: as many as the shared pixmap cache can hold, the front-most first, never more."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPixmapCache

from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.steps.canvas import CanvasWidget
from coprod_desktop.ui.steps.canvas import scene as scene_module
from coprod_desktop.ui.steps.canvas.items import CardItem

CACHED = CardItem.CacheMode.DeviceCoordinateCache


@pytest.fixture
def document(tmp_path: Path) -> Iterator[SessionDocument]:
    doc = SessionDocument.create(tmp_path / "canvas.coprod", build_sample(load_builtin_template()))
    yield doc
    doc.close()


def shown_canvas(qtbot, document: SessionDocument) -> CanvasWidget:  # type: ignore[no-untyped-def]
    widget = CanvasWidget(document)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: widget.scene_.caching)
    return widget


def card_items(widget: CanvasWidget) -> list[CardItem]:
    return [item for item in widget.scene_.items() if isinstance(item, CardItem)]


def test_every_card_keeps_a_bitmap_when_the_cache_can_hold_them(qtbot, document: SessionDocument) -> None:  # type: ignore[no-untyped-def]
    widget = shown_canvas(qtbot, document)
    items = card_items(widget)
    assert items
    assert all(item.cacheMode() == CACHED for item in items)
    zoom = widget.view.transform().m11() * widget.view.devicePixelRatioF()
    needed = sum(scene_module.bitmap_kb(item, zoom) for item in items)
    assert QPixmapCache.cacheLimit() >= needed


def test_past_the_ceiling_only_the_front_most_cards_keep_bitmaps(
    qtbot, document: SessionDocument, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    widget = CanvasWidget(document)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    items = card_items(widget)
    zoom_guess = 1.0
    one = max(scene_module.bitmap_kb(item, zoom_guess) for item in items)
    monkeypatch.setattr(scene_module, "_RESERVED_KB", type(scene_module._RESERVED_KB)())
    monkeypatch.setattr(scene_module, "CACHE_CEILING_KB", one * 3)  # room for about three bitmaps
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: widget.scene_.caching)
    items = card_items(widget)
    cached = [item for item in items if item.cacheMode() == CACHED]
    drawn = [item for item in items if item.cacheMode() != CACHED]
    assert cached, "the front-most cards keep bitmaps"
    assert drawn, "the rest are drawn directly"
    zoom = widget.view.transform().m11() * widget.view.devicePixelRatioF()
    assert sum(scene_module.bitmap_kb(item, zoom) for item in cached) <= one * 3
    assert min(item.stacking for item in cached) >= max(item.stacking for item in drawn)


def _crowded(*, seed: int, low: float, high: float):  # type: ignore[no-untyped-def]
    """The default workshop with 300 cards at random places between `low` and `high` on both
    layers: many of them hidden under others."""
    import random

    from coprod_desktop.domain.model import Card, CardKind

    session = load_builtin_template()
    rng = random.Random(seed)
    for i in range(300):
        session.put(
            Card(
                id=f"many{i:04d}",
                kind=CardKind.STAKEHOLDER if i % 2 else CardKind.DECISION,
                text=f"Card {i}: a point about the timetable",
                now_x=rng.uniform(low, high),
                now_y=rng.uniform(low, high),
                aspiration_x=rng.uniform(low, high),
                aspiration_y=rng.uniform(low, high),
                position=i,
            )
        )
    return session


def _shown_uncached(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, session):  # type: ignore[no-untyped-def]
    """`session`'s canvas in a shown 1400×900 widget, with no bitmaps, so that every card is
    drawn by its own paint, where the skipping is."""
    document = SessionDocument.create(tmp_path / "many.coprod", session)
    monkeypatch.setattr(scene_module.CanvasScene, "start_caching", lambda self: None)
    widget = CanvasWidget(document)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    # Its first frame sketched the cards, laid out in the turns after; the frame then stands
    # for their first paint once (CanvasView._sketched), a copy drawn by no card. The paints
    # after are the cards' own.
    qtbot.waitUntil(lambda: not widget.scene_.pending)
    if widget.view.has_first_picture():
        widget.view.viewport().grab()
    return document, widget


@pytest.mark.parametrize("choice", list(scene_module.LayerChoice))
def test_skipping_the_cards_hidden_under_others_changes_no_pixel(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, choice: scene_module.LayerChoice
) -> None:  # type: ignore[no-untyped-def]
    document, widget = _shown_uncached(qtbot, tmp_path, monkeypatch, _crowded(seed=3, low=0, high=1000))
    widget.scene_.set_show(choice)
    widget.scene_.select_cards(["many0005", "many0006"])
    for focus in (None, "many0007"):
        widget.scene_.set_focus_card(focus)
        culled = widget.view.viewport().grab().toImage()
        hidden = sum(item.occluded for item in card_items(widget))
        monkeypatch.setattr(scene_module, "CULL_FROM", 10**9)
        whole = widget.view.viewport().grab().toImage()
        monkeypatch.setattr(scene_module, "CULL_FROM", 150)
        assert culled == whole
        if focus is None and choice is not scene_module.LayerChoice.MOVES:
            assert hidden > 50
    document.close()


def test_a_card_moved_away_or_undone_shows_what_it_hid(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The cards found hidden are trusted from one paint to the next only while nothing
    changed: moving the front card away (by keys, then undone) and deleting it show exactly
    what it hid, as a paint that skips nothing would."""

    from coprod_desktop.domain.canvas import Layer
    from coprod_desktop.domain.model import Card, CardKind

    session = _crowded(seed=4, low=300, high=700)
    # A small card wholly under a large one, away from the others: moving the large one
    # shows it.
    for position, (ident, text) in enumerate(
        (("tiny", "A"), ("large", "A card with a great many words, enough for three whole lines")),
        start=300,
    ):
        session.put(
            Card(id=ident, kind=CardKind.STAKEHOLDER, text=text, now_x=120, now_y=880, position=position)
        )
    document, widget = _shown_uncached(qtbot, tmp_path, monkeypatch, session)
    scene = widget.scene_

    def same_as_drawing_everything() -> None:
        culled = widget.view.viewport().grab().toImage()
        monkeypatch.setattr(scene_module, "CULL_FROM", 10**9)
        whole = widget.view.viewport().grab().toImage()
        monkeypatch.setattr(scene_module, "CULL_FROM", 150)
        assert culled == whole

    widget.view.viewport().grab()  # a first look, which finds many cards hidden
    assert sum(item.occluded for item in card_items(widget)) > 50
    tiny = scene.item("tiny", Layer.NOW)
    assert tiny is not None
    assert tiny.occluded
    scene.select_cards(["large"], Layer.NOW)
    same_as_drawing_everything()
    assert scene.move_selected(0, -400)
    same_as_drawing_everything()
    assert not tiny.occluded
    document.undo_stack.undo()
    same_as_drawing_everything()
    front = "many0299"
    scene.select_cards([front], Layer.NOW)
    same_as_drawing_everything()
    assert scene.move_selected(400, 300)
    same_as_drawing_everything()
    document.undo_stack.undo()
    same_as_drawing_everything()
    scene.select_cards([front], Layer.NOW)
    assert scene.delete_selected()
    same_as_drawing_everything()
    document.undo_stack.undo()
    same_as_drawing_everything()
    document.close()


def _same_as_drawing_everything(widget: CanvasWidget, monkeypatch: pytest.MonkeyPatch) -> None:
    culled = widget.view.viewport().grab().toImage()
    monkeypatch.setattr(scene_module, "CULL_FROM", 10**9)
    whole = widget.view.viewport().grab().toImage()
    monkeypatch.setattr(scene_module, "CULL_FROM", 150)
    assert culled == whole


@pytest.mark.parametrize("zoom", [1.0, 3.0])
def test_a_drawn_cards_mark_and_words_under_the_cards_in_front_are_left_out(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zoom: float
) -> None:  # type: ignore[no-untyped-def]
    """Most cards a crowded canvas draws show only an edge or a corner from under the cards in
    front: a look for hidden cards also finds whose mark, and whose words, are wholly under
    them, and their paint leaves those out (`items.MARK_HIDDEN`, `WORDS_HIDDEN`). No pixel
    changes, before or after the front card moves away and back."""
    from coprod_desktop.domain.canvas import Layer
    from coprod_desktop.ui.steps.canvas.items import MARK_HIDDEN, WORDS_HIDDEN

    document, widget = _shown_uncached(qtbot, tmp_path, monkeypatch, _crowded(seed=3, low=0, high=1000))
    scene = widget.scene_
    if zoom != 1.0:
        widget.view.zoom_by(zoom)
    _same_as_drawing_everything(widget, monkeypatch)
    found = scene.cull_round
    drawn = [item for item in card_items(widget) if item.hidden_in != found]
    marks = [item for item in drawn if item.parts_hidden[0] == found and item.parts_hidden[1] & MARK_HIDDEN]
    words = [item for item in drawn if item.parts_hidden[0] == found and item.parts_hidden[1] & WORDS_HIDDEN]
    assert len(marks) > 10
    assert len(words) > 5
    assert not any(item.hidden_in == found for item in marks + words)  # only cards that are drawn
    front = "many0299"
    scene.select_cards([front], Layer.NOW)
    _same_as_drawing_everything(widget, monkeypatch)
    assert scene.move_selected(300, 200)
    _same_as_drawing_everything(widget, monkeypatch)
    document.undo_stack.undo()
    _same_as_drawing_everything(widget, monkeypatch)
    # An export draws every part of every card, whatever a view's last look found.
    from coprod_desktop.ui.steps.canvas import render_image

    before = render_image(widget, 0.5)
    for item in card_items(widget):
        item.parts_hidden = (-1, 0)
    assert render_image(widget, 0.5) == before
    document.close()


def test_arrows_wholly_under_cards_are_skipped_and_come_out_when_a_card_leaves(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Every arrow is behind every card: on a crowded canvas most lie wholly under them and
    draw nothing, with no pixel changed; moving the cards above one away shows it again."""
    from coprod_desktop.domain.canvas import Layer
    from coprod_desktop.ui.steps.canvas.items import ArrowItem

    document, widget = _shown_uncached(qtbot, tmp_path, monkeypatch, _crowded(seed=3, low=0, high=1000))
    scene = widget.scene_
    widget.view.viewport().grab()
    arrows = [item for item in scene.items() if isinstance(item, ArrowItem)]
    assert len(arrows) == 300  # one item an arrow, its head included
    assert not any(item.childItems() for item in arrows)  # no tail until "moves only" is shown
    hidden = [a for a in arrows if a.hidden_in == scene.cull_round]
    assert len(hidden) > 100
    _same_as_drawing_everything(widget, monkeypatch)
    # Move away, by keys, each card whose box touches one hidden arrow's head.
    arrow = hidden[0]
    x0, y0, x1, y1 = arrow.box
    over = [
        item
        for item in card_items(widget)
        if item.isVisible() and item.sceneBoundingRect().intersects(QRectF(x0, y0, x1 - x0, y1 - y0))
    ]
    assert over
    for item in over[:30]:
        scene.select_cards([item.card_id], item.layer)
        assert scene.move_selected(0, 2000 if item.pos().y() < 500 else -2000)
        _same_as_drawing_everything(widget, monkeypatch)
    for _ in over[:30]:
        document.undo_stack.undo()
        _same_as_drawing_everything(widget, monkeypatch)
    assert scene.item(over[0].card_id, Layer.NOW) is not None
    document.close()


def test_an_undo_of_one_move_looks_again_only_near_that_card(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """After the first look, a move and its undo mend the look around the card (a bounded
    number of cards, found from the squares the look filed them under), never walking the
    whole canvas again; and what is drawn is what drawing everything draws."""
    from coprod_desktop.domain.canvas import Layer

    document, widget = _shown_uncached(qtbot, tmp_path, monkeypatch, _crowded(seed=5, low=0, high=1000))
    scene = widget.scene_
    widget.view.viewport().grab()
    looks: list[int] = []
    near: list[int] = []
    whole_look = scene_module.CanvasScene.cull
    find_near = scene_module.CanvasScene._near

    def counted_cull(self, zoom: float) -> None:  # type: ignore[no-untyped-def]
        looks.append(1)
        whole_look(self, zoom)

    def counted_near(self, boxes):  # type: ignore[no-untyped-def]
        found = find_near(self, boxes)
        near.append(len(found))
        return found

    monkeypatch.setattr(scene_module.CanvasScene, "cull", counted_cull)
    monkeypatch.setattr(scene_module.CanvasScene, "_near", counted_near)
    everything = len(card_items(widget))
    for card_id in ("many0010", "many0150", "many0290"):
        scene.select_cards([card_id], Layer.NOW)
        widget.view.viewport().grab()
        assert scene.move_selected(120, -80)
        widget.view.viewport().grab()
        document.undo_stack.undo()
        culled = widget.view.viewport().grab().toImage()
        assert not looks, "a move and its undo mend the last look"
        assert near
        assert max(near) < everything / 3
        monkeypatch.setattr(scene_module, "CULL_FROM", 10**9)
        whole = widget.view.viewport().grab().toImage()
        monkeypatch.setattr(scene_module, "CULL_FROM", 150)
        assert culled == whole
    document.close()


def test_the_release_of_a_big_drag_mends_the_look_rather_than_looking_again(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A drag on a big canvas shows a still picture; on release the last look for hidden
    cards still holds for every card but the dragged one, and the picture is exact."""
    from PySide6.QtCore import QPoint, Qt

    from coprod_desktop.domain.canvas import Layer

    document, widget = _shown_uncached(qtbot, tmp_path, monkeypatch, _crowded(seed=6, low=0, high=1000))
    scene, viewport = widget.scene_, widget.view.viewport()
    widget.view.viewport().grab()
    looks: list[int] = []
    whole_look = scene_module.CanvasScene.cull

    def counted_cull(self, zoom: float) -> None:  # type: ignore[no-untyped-def]
        looks.append(1)
        whole_look(self, zoom)

    monkeypatch.setattr(scene_module.CanvasScene, "cull", counted_cull)
    scene.select_cards(["many0299"], Layer.NOW)
    lead = scene.item("many0299", Layer.NOW)
    assert lead is not None
    start = widget.view.mapFromScene(lead.sceneBoundingRect().center())
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    assert scene._still
    for n in range(1, 8):
        qtbot.mouseMove(viewport, start + QPoint(-12 * n, 9 * n))
    qtbot.mouseRelease(
        viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start + QPoint(-84, 63)
    )
    assert not scene._still
    culled = widget.view.viewport().grab().toImage()
    assert not looks
    monkeypatch.setattr(scene_module, "CULL_FROM", 10**9)
    whole = widget.view.viewport().grab().toImage()
    assert culled == whole
    document.close()


def test_an_undo_of_a_move_repaints_only_near_the_card_when_its_arrow_stays_under_cards(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """An arrow found wholly under cards waits where nothing of it is drawn: when its card is
    nudged and the move undone, and the arrow stays under cards, only the card's own boxes
    are repainted (not the box of its arrow, which may cross the whole canvas)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtGui import QRegion

    from coprod_desktop.domain.canvas import Layer
    from coprod_desktop.ui.steps.canvas.view import CanvasView

    # No repaint of the whole once the view has shown (it fills the bitmaps, kept out here).
    monkeypatch.setattr(CanvasView, "_warm_up", lambda self: None)
    document, widget = _shown_uncached(qtbot, tmp_path, monkeypatch, _crowded(seed=3, low=0, high=1000))
    scene, view = widget.scene_, widget.view
    view.viewport().grab()
    concealed = scene._homes["concealed"]
    assert len(concealed.childItems()) > 100

    class Regions(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.region = QRegion()

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.region = self.region.united(event.region())  # type: ignore[attr-defined]
            return False

    regions = Regions()
    view.viewport().installEventFilter(regions)
    tried = 0
    for arrow in list(concealed.childItems()):
        card_item = scene.item(arrow.card_id, Layer.NOW)  # type: ignore[attr-defined]
        if card_item is None or card_item.isSelected():
            continue
        scene.select_cards([card_item.card_id], Layer.NOW)
        qtbot.wait(1)
        assert scene.move_selected(8, 8)
        qtbot.wait(1)
        if arrow.parentItem() is not concealed:
            document.undo_stack.undo()
            continue
        # Let the move's own repaints land first (a loaded machine can hold them back past a
        # 1 ms wait): until 50 ms pass with no paint, at most 20 times.
        for _ in range(20):
            regions.region = QRegion()
            qtbot.wait(50)
            if regions.region.isEmpty():
                break
        document.undo_stack.undo()
        qtbot.waitUntil(lambda: not regions.region.isEmpty())
        qtbot.wait(20)
        tried += 1
        # The card's box before and after the undo, with a pixel of air, and nothing else.
        near = card_item.sceneBoundingRect().adjusted(-20, -20, 20, 20)
        allowed = view.mapFromScene(near).boundingRect()
        assert allowed.contains(regions.region.boundingRect())
        assert arrow.parentItem() is concealed
        _same_as_drawing_everything(widget, monkeypatch)
        if tried == 3:
            break
    assert tried == 3
    document.close()


def test_a_look_at_a_smaller_zoom_serves_every_larger_one_pixel_for_pixel(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The hidden cards found for a view a little smaller than it gets (a canvas made ahead of
    its visit) are hidden at the view's own zoom and when zoomed in: no new look is made, and
    what is painted is what a paint of every card paints."""
    document, widget = _shown_uncached(qtbot, tmp_path, monkeypatch, _crowded(seed=8, low=0, high=900))
    scene = widget.scene_
    fitted = widget.view.transform().m11()
    scene.cull(fitted * 0.7)
    found = scene.cull_round
    hidden = sum(item.occluded for item in card_items(widget))
    assert hidden > 50
    for factor in (1.0, 1.25, 2.0):
        widget.view.resetTransform()
        widget.view.scale(fitted * factor, fitted * factor)
        culled = widget.view.viewport().grab().toImage()
        assert scene.cull_round == found  # the look ahead still holds
        monkeypatch.setattr(scene_module, "CULL_FROM", 10**9)
        whole = widget.view.viewport().grab().toImage()
        monkeypatch.setattr(scene_module, "CULL_FROM", 150)
        assert culled == whole, factor
    # Smaller than the look's zoom: looked at again.
    widget.view.resetTransform()
    widget.view.scale(fitted * 0.5, fitted * 0.5)
    widget.view.viewport().grab()
    assert scene.cull_round != found
    document.close()


def test_a_paint_passes_over_the_hidden_cards_without_calling_them(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The cards found hidden have nothing to paint for Qt, so a crowded canvas's paint calls
    only the cards that show; a card that may show again, and any paint or picture that does
    not skip (an export), has them all back."""
    document, widget = _shown_uncached(qtbot, tmp_path, monkeypatch, _crowded(seed=5, low=0, high=900))
    scene = widget.scene_
    no_contents = CardItem.GraphicsItemFlag.ItemHasNoContents
    called: list[CardItem] = []
    paint = CardItem.paint

    def counted(item: CardItem, *args: object) -> None:
        called.append(item)
        paint(item, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(CardItem, "paint", counted)
    widget.view.viewport().grab()
    items = card_items(widget)
    skipped = [item for item in items if item.flags() & no_contents]
    assert len(skipped) > 50
    assert all(item.occluded for item in skipped)
    assert not set(called) & set(skipped)  # never called
    assert {item for item in items if item.isVisible() and not item.occluded} <= set(called)
    # One moved out from under the others is painted again at once.
    hidden = skipped[0]
    scene.reveal_under([hidden])
    assert not hidden.flags() & no_contents
    # A picture that skips nothing has every card to paint.
    scene.show_concealed()
    assert not any(item.flags() & no_contents for item in items)
    document.close()
