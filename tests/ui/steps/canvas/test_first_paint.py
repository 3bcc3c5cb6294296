"""The canvas's first paint made cheaper without changing what can be seen: words too small to
read are drawn as bars of the same ink (`items.WORDS_FROM_PX`), words that can be read exactly
as before, on the laptop, zoomed in, in the room and in an export."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.steps.canvas import CanvasWidget, render_image
from coprod_desktop.ui.steps.canvas import items as items_module
from coprod_desktop.ui.steps.canvas import scene as scene_module
from coprod_desktop.ui.steps.canvas.items import CardItem


@pytest.fixture
def document(tmp_path: Path) -> Iterator[SessionDocument]:
    doc = SessionDocument.create(tmp_path / "canvas.coprod", build_sample(load_builtin_template()))
    yield doc
    doc.close()


def _shown(
    qtbot, document: SessionDocument, width: int, height: int, *, audience: bool = False
) -> CanvasWidget:  # type: ignore[no-untyped-def]
    widget = CanvasWidget(document, audience=audience)
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _words_on_screen(widget: CanvasWidget) -> float:
    """The pixel size of the cards' words on the screen."""
    scale = widget.scene_.scale
    return style_px(scale) * widget.view.transform().m11() * widget.view.devicePixelRatioF()


def style_px(scale: float) -> int:
    from coprod_desktop.ui.steps.canvas import style

    return int(round(style.CARD_FONT_PX * scale))


def _grab_with_and_without_bars(
    widget: CanvasWidget, monkeypatch: pytest.MonkeyPatch
) -> tuple[QImage, QImage]:
    """The view as painted, and as painted with every card's words drawn as words (by the cards'
    items: not a first frame's sketch of them, which stands until they are laid out)."""
    widget.scene_.lay_out_later()
    painted = widget.view.viewport().grab().toImage()
    monkeypatch.setattr(items_module, "WORDS_FROM_PX", 0.0)
    words = widget.view.viewport().grab().toImage()
    monkeypatch.setattr(items_module, "WORDS_FROM_PX", 2.5)
    return painted, words


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080), (1400, 900)])
def test_words_that_can_be_read_are_drawn_exactly_as_before(
    qtbot, document: SessionDocument, monkeypatch: pytest.MonkeyPatch, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    widget = _shown(qtbot, document, width, height)
    assert _words_on_screen(widget) >= items_module.WORDS_FROM_PX
    painted, words = _grab_with_and_without_bars(widget, monkeypatch)
    assert painted == words
    # Zoomed in to edit: the words are larger still, and drawn as words.
    widget.view.zoom_by(4.0)
    painted, words = _grab_with_and_without_bars(widget, monkeypatch)
    assert painted == words


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_the_rooms_view_draws_its_words_as_before(
    qtbot, document: SessionDocument, monkeypatch: pytest.MonkeyPatch, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    room = _shown(qtbot, document, width, height, audience=True)
    assert _words_on_screen(room) >= 4 * items_module.WORDS_FROM_PX
    painted, words = _grab_with_and_without_bars(room, monkeypatch)
    assert painted == words


def test_words_too_small_to_read_are_bars_of_the_same_ink(
    qtbot, document: SessionDocument, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A board squeezed to a thumbnail (a narrow window beside the palette): its words are under
    2.5 px, which no one reads, and its dashes under two pixels apart; drawn as bars and rings,
    the picture differs only there, and its ink is the same."""
    widget = _shown(qtbot, document, 1400, 900)
    widget.view.zoom_by(0.4)  # as small as the view goes
    widget.view.resize(160, 120)
    widget.view.fit()
    assert _words_on_screen(widget) < items_module.WORDS_FROM_PX
    painted, words = _grab_with_and_without_bars(widget, monkeypatch)
    assert painted != words  # the bars are what was drawn

    def ink(image: QImage) -> list[float]:
        totals = [0.0, 0.0, 0.0]
        for y in range(image.height()):
            for x in range(image.width()):
                colour = image.pixelColor(x, y)
                totals[0] += colour.red()
                totals[1] += colour.green()
                totals[2] += colour.blue()
        count = image.width() * image.height()
        return [t / count for t in totals]

    # The same darkness over the board, to within one level in 255 on average.
    for bars, glyphs in zip(ink(painted), ink(words), strict=True):
        assert abs(bars - glyphs) < 1.0
    assert CardItem.words_below == 0.0  # only for the length of a view's paint


def test_an_export_draws_every_word_whatever_its_size(
    qtbot, document: SessionDocument, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    widget = _shown(qtbot, document, 1400, 900)
    small = render_image(widget, 0.05)  # words of about 1 px
    monkeypatch.setattr(items_module, "WORDS_FROM_PX", 10**6)  # a view would draw only bars
    assert render_image(widget, 0.05) == small


def _state_of(scene) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Everything a card's shown items and arrow show or answer, by card and layer (the items of
    a layer shown before stay, hidden, for when it is shown again)."""
    found: dict[str, object] = {}
    for card_id in scene.card_ids():
        for layer, item in scene.card_items(card_id).items():
            if not item.isVisible():
                continue
            found[f"{card_id}/{layer.value}"] = (
                item.pos(),
                item.isVisible(),
                item.opacity(),
                item.zValue(),
                item.flags().value,
                item.parentItem().zValue(),
                item.boundingRect(),
                item.shape().boundingRect(),
                (item.editable, item.placeholder, item.ghost, item._state),
                item._look,
                item.drawn,
                item.mark,
                item.card,
            )
        arrow = scene.arrow(card_id)
        if arrow is not None and arrow.isVisible():
            found[f"{card_id}/arrow"] = (
                arrow.isVisible(),
                arrow.opacity(),
                arrow.span,
                arrow.head_line,
                arrow.box,
                arrow.boundingRect(),
                arrow.line(),
                arrow.head(),
                arrow.parentItem().zValue(),
            )
    return found


@pytest.mark.parametrize("choice", list(scene_module.LayerChoice))
def test_the_items_made_as_a_canvas_opens_are_those_a_change_of_layer_makes(
    qtbot, tmp_path: Path, choice: scene_module.LayerChoice
) -> None:  # type: ignore[no-untyped-def]
    """A canvas opening makes each card's items in one go (`CanvasScene._make_items`, sharing
    what the two layers share); showing another layer makes the missing ones one by one. Both
    end with the same items, in every state: placed, not yet placed, ghosts, arrows."""
    from coprod_desktop.domain.model import Card, CardKind

    session = build_sample(load_builtin_template())
    session.put(
        Card(id="only-now", kind=CardKind.STAKEHOLDER, text="Only now", now_x=100, now_y=100, position=90)
    )
    session.put(
        Card(
            id="only-aim",
            kind=CardKind.DECISION,
            text="Only hoped for",
            aspiration_x=800,
            aspiration_y=300,
            position=91,
        )
    )
    session.put(Card(id="nowhere", kind=CardKind.STAKEHOLDER, text="Not placed", position=92))
    document = SessionDocument.create(tmp_path / "layers.coprod", session)

    def opened_on(shown: scene_module.LayerChoice) -> scene_module.CanvasScene:
        scene = scene_module.CanvasScene(document)
        for card in document.session.cards:
            scene._drop(card.id)
        scene.show_choice = shown  # as a canvas opened on this layer
        for card in document.session.cards:
            scene._upsert(card)
        return scene

    opened = opened_on(choice)
    # Opened on a layer that makes other items (or only arrows), then shown this one: the
    # items missing are made one at a time, as `_lay_out` finds them missing.
    changed = opened_on(
        scene_module.LayerChoice.MOVES
        if choice is not scene_module.LayerChoice.MOVES
        else scene_module.LayerChoice.NOW
    )
    changed.set_show(choice)
    default = scene_module.CanvasScene(document)
    default.set_show(choice)
    assert _state_of(opened) == _state_of(changed) == _state_of(default)
    document.close()


def test_what_a_card_shares_lies_on_its_body(qtbot, document: SessionDocument) -> None:  # type: ignore[no-untyped-def]
    """The outline's dashes, the cover the look for hidden cards counts and the bars of its words
    are all worked out from the card's box (`items._prepared`), and lie where it is."""
    for card in document.session.cards:
        for decision in (False, True):
            drawn = items_module._prepared(card.text, decision, items_module.mark_of(card).shape, 1.0)
            body = drawn.shape.body
            left, top, right, bottom = body.left(), body.top(), body.right(), body.bottom()
            assert drawn.cover[:4] == (left, top, right, bottom)
            for line in drawn.dashes:
                for point in (line.p1(), line.p2()):
                    assert left - 0.01 <= point.x() <= right + 0.01
                    assert top - 0.01 <= point.y() <= bottom + 0.01
            assert body.contains(drawn.greek.boundingRect().adjusted(1, 1, -1, -1))


def test_the_windows_activation_stops_at_the_cards_containers(qtbot, document: SessionDocument) -> None:  # type: ignore[no-untyped-def]
    """Qt hands a window's activation down to every item of its scenes; cards and arrows do
    nothing with it, and each would first be asked whether Python handles it: the containers
    keep it (`scene._Home`). The scene, its cards and the editor are active all the same."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem

    from coprod_desktop.domain.canvas import Layer

    class Watcher(QGraphicsRectItem):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[QEvent.Type] = []

        def sceneEventFilter(self, watched: QGraphicsItem, event: QEvent) -> bool:  # noqa: N802
            self.seen.append(event.type())
            return False

    widget = CanvasWidget(document)
    qtbot.addWidget(widget)
    scene = widget.scene_
    card_id = document.session.cards[0].id
    card = scene.item(card_id, Layer.NOW) or scene.item(card_id, Layer.ASPIRATION)
    assert card is not None
    watcher = Watcher()
    scene.addItem(watcher)
    card.installSceneEventFilter(watcher)
    arrow = next(a for a in (scene.arrow(c.id) for c in document.session.cards) if a is not None)
    arrow.installSceneEventFilter(watcher)
    widget.resize(1400, 900)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(lambda: scene.isActive())
    assert QEvent.Type.WindowActivate not in watcher.seen
    assert card.isActive()
    assert arrow.isActive()
    widget.view.start_edit(card_id, card.layer)
    assert widget.view.editor is not None
    assert widget.view.editor.isActive()
