"""The canvas scene: a mirror of the session's cards, and the edits made on it.

`CanvasScene` builds its items once from the document, then follows
`SessionDocument.changed` card by card: an added, changed or removed card adds,
updates or removes only its own items, so an undo on a canvas of 1,000 cards
touches one item, not the whole scene. Edits go the other way only through
`SessionDocument.apply`, one call per user action; a drag of many cards is one
call, made when the mouse is released.

The background (grid, ladder, key) is drawn in `drawBackground`, so the view can
cache it and an export draws it too.

Speed, for canvases of hundreds of cards (benchmarks/canvas_bench.py): cards paint once
into bitmaps after the first paint; items live in one container per layer; and a drag on
a big canvas shows everything that stays still as one picture taken when the mouse is
pressed, so a frame draws only what moves (`_begin_still_picture`).

A scene made at the canvas's visit (not ahead of it, ui/workshop/warmup.py) makes its items
after its first frame (`later`): that frame sketches the cards as their items will draw them
(`sketch`, pixel for pixel), and they are laid out a few milliseconds per turn of the event
loop after (`lay_out_later`). Whatever reads the cards meanwhile (`_cards`, `_arrows`,
`items()`, a change of a card, a look for hidden cards, a click or key on the view)
has the rest laid out first, so nothing but the first frame ever sees them missing.
"""

from __future__ import annotations

import enum
import gc
import itertools
import math
import time
import weakref
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QLineF, QObject, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QPainter,
    QPen,
    QPixmap,
    QPixmapCache,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSceneHelpEvent,
    QGraphicsSceneMouseEvent,
    QToolTip,
)

from ....domain import canvas as plan
from ....domain.canvas import GRID, SIZE, Layer, Mark
from ....domain.changes import Change
from ....domain.i18n import N_, _, ngettext
from ....domain.ladder import LADDER
from ....domain.model import CanvasBackground, CanvasSettings, Card, CardKind, RoleGroup, new_id, replace
from ...document import SessionDocument
from . import style
from .items import (
    MARK_HIDDEN,
    WORDS_HIDDEN,
    ArrowItem,
    CardItem,
    CardLook,
    arrow_between,
    arrow_pen,
    arrow_shapes,
    card_look,
    draw_arrow,
    draw_card,
    prepared_for,
    words_below,
)

# Where the picture sits around the 0..1000 square: axis words left and above, the key right.
# A projector is wide, so the height is what limits the size of everything: the words go
# beside the grid rather than above it wherever they can.
GUTTER_LEFT = -470.0
LABEL_GAP = 110.0  # between the row words and the grid, so cards near the edge rarely cover them
KEY_LEFT = 1060.0
SCENE_RECT = QRectF(GUTTER_LEFT - 10, -180, 1060 + 400 - GUTTER_LEFT + 10, 1215)
NUDGE = GRID  # one arrow-key press
# From this many cards on, a drag draws the cards that stay still as one picture.
STILL_PICTURE_FROM = 150
# A drag of more cards than this hides their arrows until the drop.
FOLLOW_ARROWS_UP_TO = 200
# A drag of more cards than this moves one picture of them rather than each card.
DRAG_IMAGE_FROM = 50
# From this many cards on, a view's paint skips the cards hidden under others (see `cull`).
CULL_FROM = 150
_NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
CULL_CELL = 8.0  # canvas units
_LEFT, _TOP = SCENE_RECT.left(), SCENE_RECT.top()
_COLS = math.ceil(SCENE_RECT.width() / CULL_CELL)
_ROWS = math.ceil(SCENE_RECT.height() / CULL_CELL)
# An arrow is looked at a band of this many rows of cells at a time (see `_covered`).
BAND_ROWS = 8
# A mend of the last look finds the cards near a change from squares of this size (see
# `CanvasScene._near`), not by walking thousands of cards.
BUCKET = 64.0
PARKED = 100_000.0  # where the cards that stay still wait, out of sight, during a big drag
BIG_NUDGE = 4 * GRID  # with Shift


class LayerChoice(enum.StrEnum):
    """What the canvas shows, and so which layer a drag changes."""

    NOW = "now"
    ASPIRATION = "aspiration"
    BOTH = "both"
    MOVES = "moves"

    @property
    def label(self) -> str:
        return _(
            {"now": N_("Now"), "aspiration": N_("Aspiration"), "both": N_("Both"), "moves": N_("Moves only")}[
                self.value
            ]
        )

    @property
    def caption(self) -> str:
        """What the room is looking at, in words."""
        return _(
            {
                "now": N_("Where things are now"),
                "aspiration": N_("Where we want them to be"),
                "both": N_("Now (solid) and where we want to be (dashed)"),
                "moves": N_("The moves from now to where we want to be"),
            }[self.value]
        )

    @property
    def editing(self) -> Layer | None:
        """The layer a new card or a drag goes on; None when nothing can be edited."""
        return {"now": Layer.NOW, "aspiration": Layer.ASPIRATION, "both": Layer.NOW}.get(self.value)


# Each card keeps a bitmap of itself, so a frame of a drag or a repaint only copies bitmaps.
# The bitmaps live in Qt's shared pixmap cache (10 MB by default). When it holds fewer
# bitmaps than a full repaint draws, every repaint evicts the bitmaps the next one needs
# and redraws them all, dearer than drawing with no bitmaps at all. So each scene counts
# what its cards' bitmaps really take at the view's zoom, gives bitmaps to as many cards as
# fit under the ceiling (the front-most first: those are the ones seen) and draws the rest
# directly, and raises the cache to hold them. A workshop's few dozen cards need a few MB.
CACHE_CEILING_KB = 256 * 1024
_RESERVED_KB: weakref.WeakKeyDictionary[QGraphicsScene, int] = weakref.WeakKeyDictionary()
# Rounds of `CanvasScene.cull`, numbered across every scene, so that no card ever holds a
# round of another scene's (see `CardItem.culling`).
_CULL_ROUNDS = itertools.count(1)
# A change of more cards than this forgets the last look for hidden cards, rather than mending it.
REVEAL_UP_TO = 40
_NO_PARTS = (-1, 0)  # a card none of whose parts is known to be hidden (see `CardItem.parts_hidden`)


def _cover_cells(
    grid: list[int],
    cover: tuple[float, float, float, float, float],
    ax: float,
    ay: float,
    margin: float,
    row_low: int,
    row_end: int,
) -> None:
    """Mark in `grid` (one int of bits a row) the cells wholly inside a card's opaque cover
    (its box less `margin`, as two rectangles round its corners), at `ax, ay`, in rows
    `row_low` to `row_end - 1`."""
    floor, ceil = math.floor, math.ceil
    bl, bt, br, bb, corner = cover
    x0, y0 = ax + bl + margin, ay + bt + margin
    x1, y1 = ax + br - margin, ay + bb - margin
    inside = ((x0 + corner, y0, x1 - corner, y1), (x0, y0 + corner, x1, y1 - corner))
    for ax0, ay0, ax1, ay1 in inside:
        k0 = max(0, ceil((ax0 - _LEFT) / CULL_CELL))
        k1 = min(_COLS, floor((ax1 - _LEFT) / CULL_CELL))  # cells k0 .. k1 - 1 lie inside
        j0 = max(row_low, ceil((ay0 - _TOP) / CULL_CELL))
        j1 = min(row_end, floor((ay1 - _TOP) / CULL_CELL))
        if k1 <= k0 or j1 <= j0:
            continue
        bits = ((1 << (k1 - k0)) - 1) << k0
        for r in range(j0, j1):
            grid[r] |= bits


def _under(grid: list[int], ax: float, ay: float, box: tuple[float, float, float, float], air: float) -> bool:
    """Whether every cell that `box` (of a card at `ax, ay`), widened by `air` and a unit more
    as a card's box is in `cull`, touches is covered in `grid`: every pixel in it is then set
    by the opaque cards that covered it."""
    floor, cell = math.floor, CULL_CELL
    c0 = floor((ax + box[0] - air - 1 - _LEFT) / cell)
    c1 = floor((ax + box[2] + air + 1 - _LEFT) / cell)
    r0 = floor((ay + box[1] - air - 1 - _TOP) / cell)
    r1 = floor((ay + box[3] + air + 1 - _TOP) / cell)
    if c0 < 0 or r0 < 0 or c1 >= _COLS or r1 >= _ROWS:
        return False
    mask = ((1 << (c1 - c0 + 1)) - 1) << c0
    for r in range(r0, r1 + 1):  # noqa: SIM110 - no generator made for each of hundreds of cards
        if grid[r] & mask != mask:
            return False
    return True


def bitmap_kb(item: QGraphicsItem, zoom: float) -> int:
    """What `item`'s device-coordinate bitmap takes at `zoom` (device pixels), in KB."""
    rect = item.boundingRect()
    return max(1, math.ceil(rect.width() * zoom + 2) * math.ceil(rect.height() * zoom + 2) * 4 // 1024)


def reserve_pixmap_cache(scene: QGraphicsScene, kb: int) -> int:
    """Book `kb` of the shared cache for `scene` (no more than the ceiling leaves free);
    returns what was booked. The cache is raised to hold every scene's booking."""
    others = sum(v for k, v in _RESERVED_KB.items() if k is not scene)
    booked = max(0, min(kb, CACHE_CEILING_KB - others))
    _RESERVED_KB[scene] = booked
    wanted = others + booked + 4 * 1024  # and room for the drag's pictures
    if wanted > QPixmapCache.cacheLimit():
        QPixmapCache.setCacheLimit(wanted)
    return booked


def _looks(card: Card) -> tuple[object, ...]:
    """What a card's items look like, whatever their places (a move is `_lay_out`'s)."""
    return (card.text, card.kind, card.role, card.position)


def _said(text: str) -> str:
    """A word of the domain's (marked there, in English) in the app's language; "" stays ""."""
    return _(text) if text else ""


def _quote(text: str) -> str:
    words = " ".join(text.split())
    return _("‘{words}…’").format(words=words[:40]) if len(words) > 40 else _("‘{words}’").format(words=words)


_ACTIVATION = (QEvent.Type.WindowActivate, QEvent.Type.WindowDeactivate)


class _Home(QGraphicsRectItem):
    """A container of cards or arrows (see `CanvasScene._homes`), drawing nothing itself.

    When its view's window first becomes active, Qt hands the activation down to every item
    of the scene; a card or an arrow does nothing with it, but each of thousands made from
    Python is asked first whether Python overrides its handling of events (some microseconds
    an item, as a big canvas opens). None of its items is a panel or a widget, so the
    container keeps the activation to itself."""

    def sceneEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _ACTIVATION:
            return True
        return super().sceneEvent(event)


class CanvasScene(QGraphicsScene):
    """The cards of one session on one background, kept in step with the document."""

    def __init__(
        self,
        document: SessionDocument,
        *,
        audience: bool = False,
        parent: Any = None,
        cards: bool = True,
        later: bool = False,
    ) -> None:
        """`cards`: lay the session's cards out now (else `build_ahead` does, a few at a time).
        `later`: lay them out once a view has shown a sketch of them (`sketch`, `lay_out_later`),
        or as soon as anything asks for them."""
        super().__init__(parent)
        self.document = document
        self.audience = audience
        # While made ahead of the canvas's first visit (see `build_ahead`): the cards still to lay
        # out, from the front of the list; None once it is a canvas's own.
        self._ahead: list[Card] | None = None
        self._ahead_stale = False  # a card changed meanwhile: a fresh scene is made instead
        # The room's cards keep the laptop's size in canvas units: the view scales the whole
        # picture to the projector, so nothing covers what it did not cover on the laptop.
        self.scale = 1.0
        self.show_choice = LayerChoice.BOTH
        self.focus_id: str | None = None
        self._card_items: dict[str, dict[Layer, CardItem]] = {}  # see `_cards`
        self._arrow_items: dict[str, ArrowItem] = {}
        # The cards still to lay out, in order (see `later`): until then a view shows a sketch.
        self._later: list[Card] = []
        self._laying_later = False
        # Whether a sketch draws every card, those laid out already too (then hidden while a view
        # draws the rest of its first frame: see `sketch_hides`): a scene made ahead and taken
        # with its cards laid out in part, where the arrows of the cards still to lay out go
        # under the cards laid out already.
        self._sketch_every = False
        self._drag_start: dict[CardItem, QPointF] = {}
        self._caching = False
        self._cache_budget_left = 0  # KB of the shared pixmap cache booked and not yet used
        self._cache_zoom = 1.0
        # One container per layer, so a big drag can hide everything that is not moving in
        # three calls (see `_begin_still_picture`). Aspiration cards sit above "now" cards;
        # selected cards move into "raised", above all, and the arrows of a big drag's cards
        # into "moving arrows", just below them.
        self._homes: dict[str, QGraphicsRectItem] = {
            name: self._container(z)
            for name, z in (
                ("arrows", -1.0),
                ("now", 0.0),
                ("aspiration", 1.0),
                ("moving arrows", 1.5),
                ("raised", 2.0),
                ("concealed", -1.0),
            )
        }
        # The arrows found wholly under cards wait here, never drawn (see `_conceal`): a paint
        # passes over them at once, and a change of one repaints nothing.
        self._homes["concealed"].setOpacity(0.0)
        self._arrow_order = itertools.count()  # see `_rehome`
        # By layer, for the thousands of new items: an enum's `.value` is a slow lookup.
        self._layer_homes = {layer: self._homes[layer.value] for layer in Layer}
        self._still = False
        # The round of `cull` whose findings still hold (0: none), and the zoom it looked at.
        self.cull_round = 0
        self._cull_zoom = 0.0
        # The cards changed since that round, and the box they were in (see `reveal_under`).
        self._changed_items: set[CardItem] = set()
        # The cards a paint passes over without a call (see `_skip_hidden`).
        self._skipped: set[CardItem] = set()
        self._changed_boxes: list[tuple[float, float, float, float]] = []
        # The arrows changed since, the cells the cards covered at the last look (bits by
        # row, and by band of rows), and the cards by square of the canvas (see `_near`).
        self._changed_arrows: set[ArrowItem] = set()
        self._cover: list[int] = []
        self._cover_bands: list[int] = []
        self._buckets: dict[int, list[CardItem]] = {}
        self._largest = (0.0, 0.0)  # the widest and the tallest card's box at that look
        self._lead: tuple[CardItem, QPointF] | None = None
        self._drag_image: QGraphicsPixmapItem | None = None
        self._image_origin = QPointF()
        self._bare = False
        self._raised: set[CardItem] = set()
        self._settings = document.session.canvas
        self.setSceneRect(SCENE_RECT)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self._fonts = {
            "title": style.font(40, bold=True),
            "corner": style.font(36, bold=True),
            "axis": style.font(30, bold=True),
            "zone": style.font(32, bold=True),
            "small": style.font(22),
            "key": style.font(26),
            "key_title": style.font(32, bold=True),
        }
        # Thousands of small objects are made here and none of them is garbage: a collection
        # in the middle of it would walk the whole session for nothing.
        if not cards:
            self._ahead = list(document.session.cards)
        elif later:
            self._later = list(document.session.cards)
        else:
            self._lay_out_all(document.session.cards)
        document.changed.connect(self._on_changed)
        self.selectionChanged.connect(self._raise_selected)
        _LIVE.add(self)

    def _lay_out_all(self, cards: Iterable[Card]) -> None:
        # Thousands of small objects are made here and none of them is garbage: a collection
        # in the middle of it would walk the whole session for nothing.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for card in cards:
                self._upsert(card)
        finally:
            if collecting:
                gc.enable()

    # --- cards laid out later --------------------------------------------------------

    @property
    def _cards(self) -> dict[str, dict[Layer, CardItem]]:
        """Each card's items by layer: every card's, those `later` left included (laid out now
        if they were not: whatever looks at the cards sees them all)."""
        self._all_laid_out()
        return self._card_items

    @property
    def _arrows(self) -> dict[str, ArrowItem]:
        self._all_laid_out()
        return self._arrow_items

    def items(self, *args: Any, **kwargs: Any) -> list[QGraphicsItem]:
        """As Qt's, every card laid out first (see `later`)."""
        self._all_laid_out()
        return super().items(*args, **kwargs)

    def _all_laid_out(self) -> None:
        if self._later and not self._laying_later:
            self.lay_out_later()

    @property
    def pending(self) -> bool:
        """Whether some cards are not laid out yet (see `later`)."""
        return bool(self._later)

    def lay_out_later(self, budget_s: float | None = None) -> bool:
        """Lay out the cards `later` left: all of them, or (`budget_s`) those that fit in that
        much time, one at least. Returns whether none is left."""
        pending = self._later
        if not pending:
            return True
        self._laying_later = True
        try:
            if budget_s is None:
                self._later = []
                self._lay_out_all(pending)
            else:
                self._lay_out_all(_a_slice(pending, budget_s))
        finally:
            self._laying_later = False
        if not self._later:
            self._sketch_every = False
        return not self._later

    def sketch_hides(self) -> list[QGraphicsItem]:
        """What a view hides while it draws its first frame before the sketch: the layers of
        cards, where the sketch draws every card (see `_sketch_every`)."""
        if not (self._sketch_every and self._later):
            return []
        return [home for home in self._homes.values() if home.isVisible()]

    def sketch(self, painter: QPainter, view: QTransform, *, look: bool) -> None:
        """Draw the cards not laid out yet as their items would be drawn in a paint of a view
        with transform `view` (none of them selected), in the order the scene would draw them:
        the arrows, then the "now" layer, then the aspiration (see `_homes`), each layer by
        the cards' stacking and then as they came; `look`: leaving out what is hidden under
        cards in front, as a paint that looks for it does (`cull`, the same walk).
        A view shows this in its first frame while the cards are laid out in the turns after
        (`CanvasView.paintEvent`): making some thousand items is the most of opening a large
        canvas, and its first frame need not wait for them. The sketch covers a scene with no
        items yet, as `later` makes one, or (`_sketch_every`) every card, its items hidden
        meanwhile (`sketch_hides`)."""
        s = self.scale
        arrows: list[tuple[float, QLineF, QPolygonF]] = []
        layers: dict[Layer, list[_Sketched]] = {Layer.NOW: [], Layer.ASPIRATION: []}
        choice = self.show_choice
        came = 0
        for card in self.document.session.cards if self._sketch_every else self._later:
            plans, now, aim = self._plans(card)
            mark, drawn = prepared_for(card, s)
            for layer, wanted in plans.items():
                if wanted is None:
                    continue
                (x, y), _editable, placeholder, ghost = wanted
                came += 1
                layers[layer].append(
                    _Sketched(
                        drawn,
                        card_look(mark, layer, placeholder, s, drawn.shape.font_px),
                        x,
                        y,
                        self._opacity(card.id, ghost, placeholder),
                        float(card.position),
                        came,
                    )
                )
            if now is None or aim is None or choice is LayerChoice.NOW:
                continue
            body = drawn.shape.body
            half = (body.width() / 2, body.height() / 2)
            found = arrow_between(now, half, aim, half, s)
            if found is not None:
                span, head_line, (ux, uy) = found
                half_width = 13 * s
                line, head = arrow_shapes(span, head_line, (-uy * half_width, ux * half_width))
                arrows.append((self._opacity(card.id, False, False), line, head))
        now_layer = sorted(layers[Layer.NOW], key=_stacking)
        aim_layer = sorted(layers[Layer.ASPIRATION], key=_stacking)
        if look:
            _walk_for_hidden(
                itertools.chain(reversed(aim_layer), reversed(now_layer)), view.m11(), _SKETCH_LOOK
            )
        painter.save()
        try:
            painter.setTransform(view)
            pen = arrow_pen(s)
            for opacity, line, head in arrows:
                painter.setOpacity(opacity)
                draw_arrow(painter, line, head, pen)
            for one in itertools.chain(now_layer, aim_layer):
                if one.hidden_in == _SKETCH_LOOK:
                    continue  # nothing of it would show
                parts = one.parts_hidden
                hidden = parts[1] if parts[0] == _SKETCH_LOOK else 0
                painter.setTransform(QTransform.fromTranslate(one._x, one._y) * view)
                painter.setOpacity(one.opacity)
                draw_card(painter, one._look, one.drawn, hidden, False, s)
        finally:
            painter.restore()

    def _container(self, z: float) -> QGraphicsRectItem:
        container = _Home()
        container.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        container.setZValue(z)
        self.addItem(container)
        return container

    def set_card_scale(self, scale: float) -> None:
        """Make every card again at `scale` times its size (the room's, whose words must reach
        the back row; ui/steps/canvas/widget.py chooses a size that covers nothing new)."""
        if scale == self.scale:
            return
        self.scale = scale
        self.forget_culling()
        focus = self.focus_id
        for card_id in list(self._cards):
            self._drop(card_id)
        for card in self.document.session.cards:
            self._upsert(card)
        self.set_focus_card(focus)

    # --- reading the scene ----------------------------------------------------

    def card_items(self, card_id: str) -> dict[Layer, CardItem]:
        return dict(self._cards.get(card_id, {}))

    def item(self, card_id: str, layer: Layer) -> CardItem | None:
        return self._cards.get(card_id, {}).get(layer)

    def arrow(self, card_id: str) -> ArrowItem | None:
        return self._arrows.get(card_id)

    def card_ids(self) -> list[str]:
        return list(self._cards)

    def selected_card_items(self) -> list[CardItem]:
        return [i for i in self.selectedItems() if isinstance(i, CardItem)]

    def selected_card_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for item in self.selected_card_items():
            seen.setdefault(item.card_id, None)
        return list(seen)

    def card(self, card_id: str) -> Card | None:
        return self.document.session.get(Card, card_id)

    @property
    def background(self) -> CanvasBackground:
        return self._settings.background

    @property
    def snapping(self) -> bool:
        return self._settings.snap

    # --- following the document -----------------------------------------------

    def _on_changed(self, changes: Sequence[Change]) -> None:
        # (A card's change lays out the cards not laid out yet first, through `_cards`: see
        # `later`. Any other change, a move to another step say, leaves them to their turns.)
        if self._ahead is not None or self._ahead_stale:
            # Made ahead and not shown yet: a card changed, added or removed meanwhile would
            # leave it other than a scene made now (items of layers no longer shown, arrows
            # in another order), so it is given up and the visit makes its own.
            if self._ahead is not None and any(change.kind is Card for change in changes):
                self._ahead = None
                self._ahead_stale = True
                self.document.changed.disconnect(self._on_changed)
                if _AHEAD.get(self.document) is self:
                    del _AHEAD[self.document]
                self.deleteLater()  # nothing will take it now
            return
        for change in changes:
            kind = change.kind
            if kind is Card:
                if change.new is None:
                    assert change.old is not None
                    self._drop(change.old.ident[0])
                else:
                    assert isinstance(change.new, Card)
                    self._upsert(change.new)
            elif kind is CanvasSettings:
                self._settings = self.document.session.canvas
                self.invalidate(self.sceneRect(), QGraphicsScene.SceneLayer.BackgroundLayer)

    def _upsert(self, card: Card) -> None:
        items = self._cards.setdefault(card.id, {})
        for item in items.values():
            if item.card != card:
                if _looks(item.card) != _looks(card):
                    self.reveal_under((item,))  # its size, colour or stacking may change
                item.set_card(card)
        arrow = self._arrows.get(card.id)
        if arrow is not None and arrow.card != card:
            arrow.set_card(card)
        self._lay_out(card)

    def _drop(self, card_id: str) -> None:
        dropped = self._cards.pop(card_id, {})
        self.reveal_under(dropped.values())
        for item in dropped.values():
            self._unfile(item)
            self._drag_start.pop(item, None)
            self._raised.discard(item)
            self._skipped.discard(item)
            self.removeItem(item)
        arrow = self._arrows.pop(card_id, None)
        if arrow is not None:
            self._changed_arrows.discard(arrow)
            self.removeItem(arrow)
        if self.focus_id == card_id:
            self.set_focus_card(None)

    def _new_item(
        self,
        card: Card,
        layer: Layer,
        at: tuple[float, float],
        editable: bool,
        placeholder: bool,
        ghost: bool,
        opacity: float,
        prepared: tuple[Mark, Any] | None = None,
    ) -> CardItem:
        # Everything is set before the item joins the scene, which then has nothing to re-index.
        item = CardItem(
            card,
            layer,
            self.scale,
            editable=editable,
            placeholder=placeholder,
            ghost=ghost,
            prepared=prepared,
        )
        x, y = at
        item.setPos(x, y)
        item.at = (x, y)
        if opacity != 1.0:
            item.setOpacity(opacity)
        if self._caching:
            kb = bitmap_kb(item, self._cache_zoom)
            if kb <= self._cache_budget_left:
                self._cache_budget_left -= kb
                item.setCacheMode(CardItem.CacheMode.DeviceCoordinateCache)
        self._cards.setdefault(card.id, {})[layer] = item
        item.setParentItem(self._layer_homes[layer])
        return item

    @property
    def caching(self) -> bool:
        """Whether the cards keep bitmaps of themselves yet (see `start_caching`)."""
        return self._caching

    def start_caching(self) -> None:
        """Give the cards bitmaps of themselves, so a drag or a repaint only copies bitmaps.

        Not done before the first paint: filling 2,000 bitmaps then would make the canvas
        appear later. The view calls this once it has painted, and repaints at idle time,
        which fills them while the facilitator is still looking.
        """
        if self._caching:
            return
        self._caching = True
        self.plan_caching()

    def caching_stale(self, zoom: float) -> bool:
        """Whether the bitmaps were planned for a zoom far from `zoom` (see `plan_caching`)."""
        return abs(zoom - self._cache_zoom) > 0.15 * self._cache_zoom

    def plan_caching(self) -> None:
        """Which cards keep a bitmap at the view's zoom: all, if the cache can hold them, else
        the front-most that fit; the rest are drawn directly (see CACHE_CEILING_KB)."""
        if not self._caching:
            return
        views = self.views()
        zoom = max((v.transform().m11() * v.devicePixelRatioF() for v in views), default=1.0)
        items = [item for layers in self._cards.values() for item in layers.values()]
        plain = CardItem.CacheMode.NoCache
        if self.culls():
            # A card hidden under others is skipped by a paint if it has no bitmap, and
            # copied whole if it has one: give bitmaps to the cards that show. One that
            # comes out later is drawn directly, as the cards past the ceiling are.
            self.cull(max(v.transform().m11() for v in views))
            found = self.cull_round
            for item in items:
                if item.hidden_in == found and item.bitmap:
                    item.setCacheMode(plain)
            items = [item for item in items if item.hidden_in != found]
        items.sort(key=lambda item: item.stacking, reverse=True)
        needs = [bitmap_kb(item, zoom) for item in items]
        left = reserve_pixmap_cache(self, sum(needs))
        cached = CardItem.CacheMode.DeviceCoordinateCache
        full = False
        for item, kb in zip(items, needs, strict=True):
            full = full or kb > left  # from the first that does not fit, all further back are drawn
            left -= 0 if full else kb
            if item.bitmap == full:
                item.setCacheMode(plain if full else cached)
        self._cache_budget_left = left
        self._cache_zoom = zoom

    def culls(self) -> bool:
        """Whether a view's paint should skip hidden cards: on a big canvas, and not in the
        middle of a big drag (whose still picture holds the cards that are not moving). Asks
        nothing of the cards themselves: they need not be laid out (see `later`)."""
        return len(self._card_items) + len(self._later) >= CULL_FROM and not self._still

    def cull_for_paint(self, zoom: float) -> int:
        """The round of `cull` a view's paint at `zoom` can trust: the last one, mended near
        the cards and arrows that changed since (see `reveal_under`, `reveal_arrow`), while
        the zoom is no smaller than the one it looked at; else a new look. A repaint with
        nothing changed (the bitmaps filled, a tooltip) then costs no look at all, and an undo
        of one card's move looks only around that card and at its arrow.

        A look at a smaller zoom holds at a larger one: all it allows for at a zoom is a pixel
        of smoothing round each edge, which is more of the canvas the smaller the zoom, so it
        finds hidden only what is hidden at any larger zoom too. (The laptop's canvas made ahead
        of its first visit is looked at for a view smaller than it gets, see
        `CanvasWidget.look_ahead`, and zooming in keeps the look.)"""
        if not self.cull_round or zoom < self._cull_zoom:
            self.cull(zoom)
        elif self._changed_items or self._changed_arrows:
            self._mend_culling(self._cull_zoom)  # the round's zoom: it holds for all the round does
        return self.cull_round

    def forget_culling(self) -> None:
        """Trust no card or arrow found hidden until the next look (see `cull`)."""
        self.cull_round = 0
        self._unskip_all()
        self._changed_items = set()
        self._changed_boxes = []
        self._changed_arrows = set()
        self._cover = []
        self._cover_bands = []
        self._buckets = {}

    def reveal_under(self, items: Iterable[CardItem]) -> None:
        """Before `items` move, change, leave, lose their opacity or go behind others: what
        they hide may show. They count as shown, and the next paint looks again at the cards
        and arrows where they were (`_mend_culling`); past a few dozen, the last look is
        forgotten."""
        if not self.cull_round:
            return
        changed = self._changed_items
        for item in items:
            if item in changed:
                continue
            if len(changed) >= REVEAL_UP_TO or not self.culls():
                self.forget_culling()
                return
            changed.add(item)
            item.hidden_in = -1
            self._unskip(item)
            item.parts_hidden = _NO_PARTS
            at = item.pos()
            drawn = item.drawn
            reach = drawn.reach
            x, y = at.x(), at.y()
            self._changed_boxes.append((x + reach[0], y + reach[1], x + reach[2], y + reach[3]))

    def reveal_arrow(self, arrow: ArrowItem) -> None:
        """Once `arrow` moved, came back or changed layer: it is drawn until the next paint
        looks at it again (`_mend_culling`)."""
        arrow.hidden_in = -1
        if arrow.parentItem() is self._homes["concealed"]:
            arrow.setParentItem(self._homes["arrows"])  # where a change of it repaints
        if self.cull_round:
            self._changed_arrows.add(arrow)

    def cull(self, zoom: float) -> None:
        """Note which cards are wholly hidden under opaque cards in front of them, and which
        arrows under the cards (every arrow is behind every card), so that a view's paint
        can skip them (see `CardItem.culling`): a thousand cards scattered on the canvas cover
        each spot many times over, and only the front ones show. Each look is a new round
        (`cull_round`); a card or arrow found hidden holds that round in `hidden_in`, until
        a change near it (`reveal_under`, `reveal_arrow`) or the next look.

        The canvas is cut into square cells. Walking the cards from the front, a card is
        hidden if every cell its box (with its selection outline) touches is already wholly
        inside the opaque body of a card in front; an opaque card then covers the cells
        wholly inside its body, less its rounded or cut corners and a pixel of smoothing.
        An arrow is hidden if every cell its shaft and head touch (widened by a pixel of
        smoothing) is covered once every card is walked. Nothing is hidden that shows a
        single pixel: a card or arrow only partly covered is drawn."""
        self.lay_out_later()  # it walks the layers' items
        self._changed_items = set()
        self._changed_boxes = []
        self._changed_arrows = set()
        self._buckets = {}
        self.cull_round = next(_CULL_ROUNDS)
        self._cull_zoom = zoom
        self._cover = self._look_for_hidden(zoom, None, set())
        self._cover_bands = _bands(self._cover)
        self._look_for_hidden_arrows(zoom, None, None)
        self._skip_hidden()

    def _skip_hidden(self) -> None:
        """Mark the cards this round found hidden (and that have no bitmap) as having nothing to
        paint, and unmark the rest: Qt then passes over them without calling their `paint`,
        which is most of what a hidden card cost (two thirds of a crowded canvas's cards are
        hidden). `CardItem.paint` still checks the round, should a mark be missed."""
        found = self.cull_round
        skipped = self._skipped
        hidden = {
            item
            for layers in self._cards.values()
            for item in layers.values()
            if item.hidden_in == found and not item.bitmap
        }
        for item in skipped - hidden:
            item.setFlag(_NO_CONTENTS, False)
        for item in hidden - skipped:
            item.setFlag(_NO_CONTENTS, True)
        self._skipped = hidden

    def _unskip(self, item: CardItem) -> None:
        """`item` may show: painted again (see `_skip_hidden`)."""
        if item in self._skipped:
            self._skipped.discard(item)
            item.setFlag(_NO_CONTENTS, False)

    def _unskip_all(self) -> None:
        for item in self._skipped:
            item.setFlag(_NO_CONTENTS, False)
        self._skipped = set()

    def _mend_culling(self, zoom: float) -> None:
        """After a few cards changed (`reveal_under`): look again only at the cards and arrows
        found hidden that touch the box where the changed cards were, for only there can
        something show; then at the arrows that moved (`reveal_arrow`).

        Elsewhere every cell a hidden card or arrow touches is as covered as it was, since
        only the changed cards stopped covering anything, and only inside their old boxes.
        The changed cards are drawn, and cover nothing until the next whole look (where they
        went is not known to this one): a card or arrow they now hide is still drawn, which
        shows the same."""
        changed, boxes = self._changed_items, self._changed_boxes
        arrows = self._changed_arrows
        self._changed_items = set()
        self._changed_boxes = []
        self._changed_arrows = set()
        for item in changed:
            self._unfile(item)
        if boxes:
            mended = self._look_for_hidden(zoom, boxes, changed)
            # What covers the arrows: as before but in the boxes; there, what the cards that
            # touch them cover now. A changed card covered only cells wholly inside its box.
            # An arrow under them can only come out where a cell lost its cover.
            cover = self._cover
            lost, rows = 0, []
            for row, bits in _box_rows(_box_cells(boxes, inner=True)).items():
                old = cover[row]
                cover[row] = (old & ~bits) | mended[row]
                if old & ~cover[row]:
                    lost |= old & ~cover[row]
                    rows.append(row)
            self._cover_bands = _bands(cover)
            if lost:
                cells = ((lost & -lost).bit_length() - 1, lost.bit_length() - 1, min(rows), max(rows))
                self._look_for_hidden_arrows(zoom, cells, None)
        if arrows:
            self._look_for_hidden_arrows(zoom, None, arrows)

    def _unfile(self, item: CardItem) -> None:
        """Take `item` out of the squares of `_near` (it may hold one of an older look's)."""
        key, item.bucket = item.bucket, None
        bucket = self._buckets.get(key) if key is not None else None
        if bucket is not None and item in bucket:
            bucket.remove(item)

    def _near(self, boxes: list[tuple[float, float, float, float]]) -> list[CardItem]:
        """The cards that may touch `boxes`, in the order of the last whole look (front first),
        from the squares it filed them under: not the thousands of cards elsewhere."""
        buckets = self._buckets
        most_w, most_h = self._largest
        found: set[CardItem] = set()
        floor, cell = math.floor, CULL_CELL
        for x0, y0, x1, y1 in boxes:
            b0 = floor((x0 - most_w - 2 - _LEFT) / cell) >> 3
            b1 = floor((x1 + 1 - _LEFT) / cell) >> 3
            c0 = floor((y0 - most_h - 2 - _TOP) / cell) >> 3
            c1 = floor((y1 + 1 - _TOP) / cell) >> 3
            for bx in range(b0, b1 + 1):
                for by in range(c0, c1 + 1):
                    near = buckets.get(bx * 4096 + by + 2048)
                    if near:
                        found.update(near)
        return sorted(found, key=_walk_order)

    def _look_for_hidden(
        self,
        zoom: float,
        within: list[tuple[float, float, float, float]] | None,
        changed: set[CardItem],
    ) -> list[int]:
        """`cull`'s walk, over the whole canvas (`within` None), or mending the last look in
        the boxes `within` (`_mend_walk`): there a card may only come out, never go under.
        Returns the cells covered, one int of bits a row (for a mend, in the rows of the
        boxes, by the cards that touch them).

        `CardItem.at` is where each card was at the last look: a card moved since is among
        the changed ones (or was, and has left the squares of `_near` until the next whole
        look), so the mending walk can trust it for the others without asking Qt."""
        homes = [self._homes[name] for name in ("raised", "aspiration", "now")]  # front first
        if within is not None:
            # Each box, with the cells wholly inside it (all a changed card covered): a card's
            # cells outside those count as covered still.
            inner = _box_cells(within, inner=True)
            boxes = [(*b, *c) for b, c in zip(within, inner, strict=True)]
            return self._mend_walk(zoom, boxes, changed, homes)
        walked = itertools.chain.from_iterable(
            reversed(home.childItems()) for home in homes if home.isVisible() and home.pos().isNull()
        )
        cards = (item for item in walked if isinstance(item, CardItem) and item.isVisible())
        grid, self._buckets, self._largest = _walk_for_hidden(cards, zoom, self.cull_round)
        return grid

    def _mend_walk(
        self,
        zoom: float,
        boxes: list[tuple[float, float, float, float, int, int, int, int]],
        changed: set[CardItem],
        homes: list[QGraphicsRectItem],
    ) -> list[int]:
        """`_look_for_hidden` mending the last look in `boxes` (each with the cells wholly
        inside it): only the rows of those cells are worked out, the rest count as covered."""
        cell, left, top = CULL_CELL, _LEFT, _TOP
        grid = [0] * _ROWS
        margin = max(2.0, 2.0 / max(zoom, 1e-6))
        floor = math.floor
        found = self.cull_round
        boxes = [b for b in boxes if b[4] <= b[5] and b[6] <= b[7]]
        if not boxes:
            return grid
        ux0, uy0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        ux1, uy1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
        low, high = min(b[6] for b in boxes), max(b[7] for b in boxes)  # rows of the cells
        skipped = {home for home in homes if not home.isVisible() or not home.pos().isNull()}
        walked = self._near([b[:4] for b in boxes])
        if skipped:
            walked = [item for item in walked if item.parentItem() not in skipped]
        for item in walked:
            drawn = item.drawn
            reach = drawn.reach
            ax, ay = item.at
            ix0, iy0, ix1, iy1 = ax + reach[0], ay + reach[1], ax + reach[2], ay + reach[3]
            if ix1 < ux0 or ix0 > ux1 or iy1 < uy0 or iy0 > uy1 or item in changed:
                continue  # outside every box, or drawn whatever is above it
            if item.parts_hidden[0] == found:
                item.parts_hidden = _NO_PARTS  # what hid its mark or words may have gone
            # Cards that are not in `changed` are where, and as visible, as at the last look.
            if item.hidden_in == found:
                c0 = floor((ix0 - 1 - left) / cell)
                c1 = floor((ix1 + 1 - left) / cell)
                r0 = floor((iy0 - 1 - top) / cell)
                r1 = floor((iy1 + 1 - top) / cell)
                hidden = True
                for *_, d0, d1, e0, e1 in boxes:
                    k0, k1 = max(c0, d0), min(c1, d1)
                    if k0 > k1:
                        continue
                    mask = ((1 << (k1 - k0 + 1)) - 1) << k0
                    for r in range(max(r0, e0), min(r1, e1) + 1):
                        if grid[r] & mask != mask:
                            hidden = False
                            break
                    if not hidden:
                        break
                if hidden:
                    continue
                item.hidden_in = -1  # it shows now: drawn, and covering what is behind it
                self._unskip(item)
            if not item._look.opaque or item.effectiveOpacity() < 1.0:
                continue
            _cover_cells(grid, drawn.cover, ax, ay, margin, low, high + 1)
        return grid

    def _look_for_hidden_arrows(
        self,
        zoom: float,
        within: tuple[int, int, int, int] | None,
        only: Iterable[ArrowItem] | None,
    ) -> None:
        """Which arrows lie wholly under the cards (see `cull`): every arrow (`within` and `only`
        None), the arrows in `only`, or (a mend) the hidden arrows that cross the cells
        `within` (first and last column, first and last row), which may only come out."""
        home, hideout = self._homes["arrows"], self._homes["concealed"]
        if not home.isVisible() or not home.pos().isNull() or not self._cover:
            return
        found = self.cull_round
        bands = self._cover_bands
        ext, head_ext = self._arrow_reach(zoom)
        if within is None:
            for arrow in self._arrows.values() if only is None else only:
                parent = arrow.parentItem()
                if parent is not home and parent is not hideout:
                    continue  # above the cards (the focused card's, a dragged card's)
                span = arrow.span
                if (
                    span is not None
                    and arrow.isVisible()
                    and _covered(*span, ext, bands, None)
                    and _covered(*arrow.head_line, head_ext, bands, None)
                ):
                    arrow.hidden_in = found
                    if parent is home:
                        arrow.setParentItem(hideout)
                else:
                    arrow.hidden_in = -1
                    if parent is hideout:
                        arrow.setParentItem(home)
            return
        c0, c1, r0, r1 = within
        cells = [within]
        # The cells' box, widened by the most an arrow reaches.
        left, right = _LEFT + c0 * CULL_CELL - head_ext, _LEFT + (c1 + 1) * CULL_CELL + head_ext
        top, bottom = _TOP + r0 * CULL_CELL - head_ext, _TOP + (r1 + 1) * CULL_CELL + head_ext
        for arrow in self._arrows.values():
            if arrow.hidden_in != found:
                continue
            ax0, ay0, ax1, ay1 = arrow.box
            if ax1 < left or ax0 > right or ay1 < top or ay0 > bottom:
                continue
            span = arrow.span
            if span is None:
                arrow.hidden_in = -1
                continue
            for line, reach in ((span, ext), (arrow.head_line, head_ext)):
                if _passes(*line, left, top, right, bottom) and not _covered(*line, reach, bands, cells):
                    arrow.hidden_in = -1
                    break
            if arrow.hidden_in != found and arrow.parentItem() is hideout:
                arrow.setParentItem(home)  # drawn by this paint, where it now shows

    def _arrow_reach(self, zoom: float) -> tuple[float, float]:
        """How far an arrow's shaft and head reach from their middle lines, with air."""
        air = 1.0 + 1.0 / max(zoom, 1e-6)
        return 5 * self.scale / 2 + air, 13 * self.scale + air  # items._arrow_pen, ArrowItem.set_ends

    def _still_hidden(self, arrow: ArrowItem) -> bool:
        """Whether `arrow`, just moved, lies wholly under cards by the last look, less the cards
        changed since: then it can stay where nothing of it is drawn, and nothing repaints."""
        if not self.cull_round or not self._cover or not self.culls() or arrow.span is None:
            return False
        bands = self._cover_bands
        if self._changed_boxes:
            cover = list(self._cover)
            for row, bits in _box_rows(_box_cells(self._changed_boxes, inner=True)).items():
                cover[row] &= ~bits
            bands = _bands(cover)
        ext, head_ext = self._arrow_reach(self._cull_zoom)
        return _covered(*arrow.span, ext, bands, None) and _covered(*arrow.head_line, head_ext, bands, None)

    def show_concealed(self) -> None:
        """Put every arrow found under cards back among the others: for a paint or a picture
        that does not skip what is hidden (a small canvas, an export)."""
        home = self._homes["arrows"]
        for arrow in self._homes["concealed"].childItems():
            arrow.setParentItem(home)
            if isinstance(arrow, ArrowItem):
                arrow.hidden_in = -1
        self._unskip_all()

    def before_plain_paint(self) -> None:
        """A view is about to paint without skipping hidden cards (see `culls`)."""
        if not self._still:
            self.show_concealed()

    def _lay_out(self, card: Card) -> None:
        """Place and show a card's items for what the canvas shows now. Items of a layer that
        is not shown are made only when first needed, so opening a big canvas is quick."""
        plans, now, aim = self._plans(card)
        choice = self.show_choice
        items = self._cards.setdefault(card.id, {})
        if not items and card.id not in self._arrows:
            self._make_items(card, plans, now, aim)
            return
        for layer, wanted in plans.items():
            if wanted is None:
                existing = items.get(layer)
                if existing is not None and existing.isVisible():
                    self.reveal_under((existing,))
                    existing.setVisible(False)
                continue
            at, can_edit, placeholder, ghost = wanted
            opacity = self._opacity(card.id, ghost, placeholder)
            item = items.get(layer)
            if item is None:
                self._new_item(card, layer, at, can_edit, placeholder, ghost, opacity)
                continue
            here = item.pos()
            moved = here.x() != at[0] or here.y() != at[1]
            if (
                moved
                or not item.isVisible()
                or item.opacity() != opacity
                or item._state != (can_edit, placeholder, ghost)
            ):
                self.reveal_under((item,))
            item.set_state(editable=can_edit, placeholder=placeholder, ghost=ghost)
            if moved:
                item.setPos(at[0], at[1])
            if not item.isVisible():
                item.setVisible(True)
            if item.opacity() != opacity:
                item.setOpacity(opacity)

        arrow_wanted = now is not None and aim is not None and choice is not LayerChoice.NOW
        arrow = self._arrows.get(card.id)
        if arrow_wanted:
            opacity = self._opacity(card.id, False, False)
            if arrow is None:
                arrow = ArrowItem(card, self.scale)
                self._arrows[card.id] = arrow
                if opacity != 1.0:
                    arrow.setOpacity(opacity)
                # Its ends are the card's two places, where _lay_out has just put its items.
                ends = (now, aim) if now is not None and aim is not None else None
                self._update_arrow(card.id, arrow, ends)
                arrow.show_tail(choice is LayerChoice.MOVES)
                self._rehome(arrow, self._homes["arrows"])
                return
            arrow.show_tail(choice is LayerChoice.MOVES)
            if not arrow.isVisible():
                arrow.setVisible(True)
                self.reveal_arrow(arrow)
            if arrow.opacity() != opacity:
                arrow.setOpacity(opacity)
            self._update_arrow(card.id, arrow)
        elif arrow is not None:
            arrow.setVisible(False)

    def _plans(
        self, card: Card
    ) -> tuple[
        dict[Layer, tuple[tuple[float, float], bool, bool, bool] | None],
        tuple[float, float] | None,
        tuple[float, float] | None,
    ]:
        """Where `card` shows on each layer, for what the canvas shows now: its place, whether
        it can be edited there, whether it is a placeholder there, whether a ghost (None: not
        shown on that layer); and its places on the two layers."""
        choice = self.show_choice
        now = plan.position(card, Layer.NOW)
        aim = plan.position(card, Layer.ASPIRATION)
        fallback = now or aim or (SIZE / 2, SIZE / 2)
        editable = not self.audience

        plans: dict[Layer, tuple[tuple[float, float], bool, bool, bool] | None] = {}
        if choice is LayerChoice.NOW:
            plans[Layer.NOW] = (now or fallback, editable, now is None, False)
            plans[Layer.ASPIRATION] = None
        elif choice is LayerChoice.ASPIRATION:
            plans[Layer.ASPIRATION] = (aim or fallback, editable, aim is None, False)
            plans[Layer.NOW] = (now, False, False, True) if now is not None else None
        elif choice is LayerChoice.BOTH:
            plans[Layer.NOW] = (now, editable, False, False) if now is not None else None
            plans[Layer.ASPIRATION] = (aim, editable, False, False) if aim is not None else None
            if now is None and aim is None:
                plans[Layer.NOW] = (fallback, editable, True, False)
        else:
            plans[Layer.NOW] = plans[Layer.ASPIRATION] = None
        return plans, now, aim

    def _make_items(
        self,
        card: Card,
        plans: dict[Layer, tuple[tuple[float, float], bool, bool, bool] | None],
        now: tuple[float, float] | None,
        aim: tuple[float, float] | None,
    ) -> None:
        """`_lay_out` of a card with no items yet (every card, as a canvas opens): what its
        items on both layers and its arrow share is worked out once."""
        prepared = None
        for layer, wanted in plans.items():
            if wanted is None:
                continue
            at, can_edit, placeholder, ghost = wanted
            if prepared is None:
                prepared = prepared_for(card, self.scale)
            opacity = self._opacity(card.id, ghost, placeholder)
            self._new_item(card, layer, at, can_edit, placeholder, ghost, opacity, prepared)
        choice = self.show_choice
        if now is None or aim is None or choice is LayerChoice.NOW:
            return
        arrow = ArrowItem(card, self.scale)
        self._arrows[card.id] = arrow
        opacity = self._opacity(card.id, False, False)
        if opacity != 1.0:
            arrow.setOpacity(opacity)
        if prepared is None:
            prepared = prepared_for(card, self.scale)
        body = prepared[1].shape.body
        # Its ends are the card's two places, where its items have just been put.
        self._update_arrow(card.id, arrow, (now, aim), (body.width() / 2, body.height() / 2))
        if choice is LayerChoice.MOVES:
            arrow.show_tail(True)
        self._rehome(arrow, self._homes["arrows"])

    def _opacity(self, card_id: str, ghost: bool, placeholder: bool) -> float:
        if self.focus_id is not None and card_id != self.focus_id:
            return style.DIM_OPACITY
        if ghost:
            return style.GHOST_OPACITY
        if placeholder:
            return style.PLACEHOLDER_OPACITY
        return 1.0

    def _update_arrow(
        self,
        card_id: str,
        arrow: ArrowItem | None = None,
        known: tuple[tuple[float, float], tuple[float, float]] | None = None,
        half: tuple[float, float] | None = None,
    ) -> None:
        """Draw a card's arrow between its items (or its places), or between `known` ends;
        `half`: the half-size of the card's box, when known."""
        arrow = arrow or self._arrows.get(card_id)
        if arrow is None or not arrow.isVisible():
            return
        card = arrow.card
        ends: list[tuple[float, float]] = []
        if known is not None:
            ends = list(known)
        else:
            items = self._cards.get(card_id, {})
            for layer in Layer:
                item = items.get(layer)
                if item is not None and not item.placeholder and item.isVisible():
                    here = item.pos()
                    ends.append((here.x(), here.y()))
                else:
                    at = plan.position(card, layer)
                    if at is None:
                        return
                    ends.append(at)
        if self.show_choice is LayerChoice.MOVES:
            # No boxes to stop at: from the mark at the tail to the very spot aimed at.
            r = 18 * self.scale
            moved = arrow.set_ends(ends[0], (r, r), ends[1], (0.0, 0.0))
        else:
            if half is None:
                body = style.card_shape(card.text, self.scale).body
                half = (body.width() / 2, body.height() / 2)
            moved = arrow.set_ends(ends[0], half, ends[1], half)
        if moved:
            if arrow.parentItem() is self._homes["concealed"]:
                if self._still_hidden(arrow):
                    arrow.hidden_in = self.cull_round
                    return
                arrow.setParentItem(self._homes["arrows"])
            self.reveal_arrow(arrow)

    # --- what is shown ----------------------------------------------------------

    def set_show(self, choice: LayerChoice) -> None:
        if choice is self.show_choice:
            return
        self.show_choice = choice
        self.forget_culling()
        self.clearSelection()
        for card in self.document.session.cards:
            self._lay_out(card)

    def set_focus_card(self, card_id: str | None) -> None:
        """Dim every card but one (None: none dimmed)."""
        if card_id is not None and card_id not in self._cards:
            card_id = None
        if card_id == self.focus_id:
            return
        self.focus_id = card_id
        self.forget_culling()  # every card's opacity changes
        self._raise_selected()
        for card in self.document.session.cards:
            for item in self._cards.get(card.id, {}).values():
                item.setOpacity(self._opacity(card.id, item.ghost, item.placeholder))
            arrow = self._arrows.get(card.id)
            if arrow is not None:
                arrow.setOpacity(self._opacity(card.id, False, False))

    def focus_rect(self, card_id: str) -> QRectF | None:
        """The boxes of a card on the layers shown, with its arrow."""
        rect = QRectF()
        for item in self._cards.get(card_id, {}).values():
            if item.isVisible():
                rect = rect.united(item.sceneBoundingRect())
        arrow = self._arrows.get(card_id)
        if arrow is not None and arrow.isVisible():
            rect = rect.united(arrow.sceneBoundingRect())
        return rect if not rect.isEmpty() else None

    # --- dragging ----------------------------------------------------------------
    # Qt moves the selected cards itself; the scene notes where they started, keeps their
    # arrows (and the grid) in step on each mouse move, and writes once, on release.

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        super().mousePressEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            # The press has already selected what the drag will move.
            self._drag_start = {item: item.pos() for item in self.selected_card_items()}
            lead = self.mouseGrabberItem()
            if isinstance(lead, CardItem) and lead in self._drag_start:
                self._lead = (lead, lead.pos())
                if len(self._cards) >= STILL_PICTURE_FROM:
                    # Taken now, while the hand is still, so that no frame of the drag waits.
                    self._begin_still_picture()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self._drag_start and event.buttons() & Qt.MouseButton.LeftButton:
            self.reveal_under(self._drag_start)  # Qt is about to move them
        super().mouseMoveEvent(event)
        if not self._drag_start or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        self._follow_drag()

    def _follow_drag(self) -> None:
        snap = self._settings.snap
        image = self._drag_image
        if image is not None and self._lead is not None:
            lead, start = self._lead
            if snap:
                at = lead.pos()
                lead.setPos(plan.snap(at.x()), plan.snap(at.y()))
            image.setPos(self._image_origin + (lead.pos() - start))
        arrows = self.show_choice is not LayerChoice.NOW and self._homes["moving arrows"].isVisible()
        if not snap and not arrows:
            return
        for item, start in self._drag_start.items():
            at = item.pos()
            if at == start:
                continue
            if snap:
                snapped = QPointF(plan.snap(at.x()), plan.snap(at.y()))
                if snapped != at:
                    item.setPos(snapped)
            if arrows:
                self._update_arrow(item.card_id)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self.end_still_picture()
            self.commit_drag()

    def commit_drag(self) -> bool:
        """Write where the dragged cards ended up, as one edit. True if anything was written."""
        started, self._drag_start = self._drag_start, {}
        self._lead = None
        moved = [item for item, start in started.items() if item.scene() is self and item.pos() != start]
        if not moved:
            return False
        placed = [i for i in moved if i.placeholder]
        updates = self._place_all((i.card_id, i.layer, (i.pos().x(), i.pos().y())) for i in moved)
        if not updates:
            return False
        if len(updates) == 1:
            card = next(iter(updates.values()))
            if not placed:
                verb = _("Move {card}").format(card=_quote(card.text))
            elif moved[0].layer is Layer.NOW:
                verb = _("Place {card} on the now layer").format(card=_quote(card.text))
            else:
                verb = _("Place {card} on the aspiration layer").format(card=_quote(card.text))
        else:
            verb = ngettext("Move {n} card", "Move {n} cards", len(updates)).format(n=len(updates))
        return self._apply(updates, verb)

    def _begin_still_picture(self) -> None:
        """For a drag on a big canvas: take one picture of everything that is not moving, show
        it as the view's background, and hide those items until the mouse is released. A
        frame then draws the picture and the few moving cards, not thousands of items."""
        views = self.views()
        if len(views) != 1 or not hasattr(views[0], "set_still_picture"):
            return
        view = views[0]
        raised, arrows = self._homes["raised"], self._homes["moving arrows"]
        for item in self._drag_start:
            arrow = self._arrows.get(item.card_id)
            if arrow is not None and arrow.isVisible():
                self._rehome(arrow, arrows)
                self.reveal_arrow(arrow)
        # Made invisible, not hidden: hiding the card under the mouse would end the drag.
        raised.setOpacity(0.0)
        arrows.setOpacity(0.0)
        picture = view.viewport().grab()
        raised.setOpacity(1.0)
        arrows.setOpacity(1.0)
        # Moved out of sight rather than hidden: showing an item again throws its bitmap away,
        # and a translation keeps it, so the release repaints from bitmaps.
        for name in ("arrows", "now", "aspiration"):
            self._homes[name].setPos(PARKED, PARKED)
            # And made invisible: a paint then passes over the whole layer at once rather
            # than looking at each of its thousands of items (the bitmaps are kept).
            self._homes[name].setOpacity(0.0)
        if len(self._drag_start) > FOLLOW_ARROWS_UP_TO:
            # Too many arrows to redraw on every frame: they come back where the cards land.
            arrows.hide()
        if len(self._drag_start) > DRAG_IMAGE_FROM and self.focus_id is None:  # "raised" holds only them
            self._make_drag_image(view.transform().m11(), view.devicePixelRatioF())
        # The last look for hidden cards holds through the drag for every card but these (the
        # others stay where they are, the parked layers with them), so that the release only
        # mends it (`_mend_culling`) rather than looking at thousands of cards again.
        self.reveal_under(self._drag_start)
        self._still = True
        view.set_still_picture(picture)

    def _make_drag_image(self, zoom: float, ratio: float) -> None:
        """Draw the moving cards once into one bitmap that follows the mouse; the cards
        themselves move too (unseen), so where they land is exact."""
        raised = self._homes["raised"]
        source = QRectF()
        for item in self._drag_start:
            source = source.united(item.sceneBoundingRect())
        scale = zoom * ratio
        if source.isEmpty() or source.width() * scale * source.height() * scale > 64_000_000:
            return
        others = [self._homes[name] for name in ("arrows", "now", "aspiration", "moving arrows")]
        shown = [c.opacity() for c in others]
        for container in others:
            container.setOpacity(0.0)
        pixmap = QPixmap(max(1, round(source.width() * scale)), max(1, round(source.height() * scale)))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self._bare = True  # no background in the picture
        CardItem.words_below = words_below(scale)  # the words as the view draws them
        try:
            self.render(painter, QRectF(pixmap.rect()), source)
        finally:
            CardItem.words_below = 0.0
            self._bare = False
            painter.end()
            for container, opacity in zip(others, shown, strict=True):
                container.setOpacity(opacity)
        pixmap.setDevicePixelRatio(ratio)
        image = QGraphicsPixmapItem(pixmap)
        image.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        image.setScale(1 / zoom)
        image.setZValue(3.0)
        image.setPos(source.topLeft())
        self._image_origin = source.topLeft()
        self.addItem(image)
        self._drag_image = image
        raised.setOpacity(0.0)  # invisible, but still holding the mouse

    def end_still_picture(self) -> None:
        """Put the moving arrows back among the others and show everything again."""
        if not self._still:
            return
        self._still = False  # the look held for all but the dragged cards (see above)
        if self._drag_image is not None:
            self.removeItem(self._drag_image)
            self._drag_image = None
            self._homes["raised"].setOpacity(1.0)
        moving_arrows = self._homes["moving arrows"]
        for item in moving_arrows.childItems():
            if isinstance(item, ArrowItem):
                self._rehome(item, self._homes["arrows"])
                self.reveal_arrow(item)
            if not moving_arrows.isVisible() and isinstance(item, ArrowItem):
                self._update_arrow(item.card_id, item)
        moving_arrows.show()
        for name in ("arrows", "now", "aspiration"):
            self._homes[name].setPos(0.0, 0.0)
            self._homes[name].setOpacity(1.0)
        if self.focus_id is not None:
            self._place_arrows()
        for view in self.views():
            if hasattr(view, "set_still_picture"):
                view.set_still_picture(None)

    def _raise_selected(self) -> None:
        """Selected cards, and the card the room is looking at, come to the front, as a
        visual aid only: their stacking order in the document does not change."""
        wanted = set(self.selected_card_items())
        if self.focus_id is not None:
            wanted.update(self._cards.get(self.focus_id, {}).values())
        lowered, lifted = self._raised - wanted, wanted - self._raised
        self.reveal_under(lowered | lifted)  # in front of others, or behind them, now
        for item in lowered:
            if item.scene() is self:
                item.setParentItem(self._homes[item.layer.value])
        for item in lifted:
            item.setParentItem(self._homes["raised"])
        self._raised = wanted
        self._place_arrows()

    def _place_arrows(self) -> None:
        """The focused card's arrow comes above the dimmed cards; every other arrow stays below."""
        concealed = self._homes["concealed"]
        for card_id, arrow in self._arrows.items():
            home = self._homes["moving arrows" if card_id == self.focus_id else "arrows"]
            if home is not self._homes["moving arrows"] and arrow.parentItem() is concealed:
                continue  # under cards, and staying there
            if arrow.parentItem() is not home:
                self._rehome(arrow, home)
                self.reveal_arrow(arrow)

    def _rehome(self, arrow: ArrowItem, home: QGraphicsRectItem) -> None:
        """Put `arrow` in `home`, drawn after the arrows there, as an arrow added last is.
        Qt draws siblings by z, then in the order they came: an arrow's z is that order, so
        that one hidden and brought back under cards (`_look_for_hidden_arrows`) keeps its
        place among the others."""
        arrow.setZValue(next(self._arrow_order))
        arrow.setParentItem(home)

    def _place_all(self, moves: Iterable[tuple[str, Layer, tuple[float, float]]]) -> dict[str, Card]:
        """New versions of cards, one per card however many of its layers moved."""
        updates: dict[str, Card] = {}
        for card_id, layer, at in moves:
            card = updates.get(card_id) or self.card(card_id)
            if card is not None:
                updates[card_id] = plan.place(card, layer, at)
        return updates

    def _apply(self, updates: dict[str, Card], text: str) -> bool:
        session = self.document.session
        changes = [Change(session.get(Card, card_id), card) for card_id, card in updates.items()]
        if self.document.apply(changes, text):
            return True
        # Not saved: put the items back where the document says they are.
        for card_id in updates:
            current = self.card(card_id)
            if current is not None:
                self._lay_out(current)
        return False

    # --- edits, each one document.apply -----------------------------------------

    def move_selected(self, dx: float, dy: float) -> bool:
        """Move the selected cards by (dx, dy) on their own layers: one undo step."""
        items = self.selected_card_items()
        if not items:
            return False
        moves = []
        for item in items:
            x, y = item.pos().x() + dx, item.pos().y() + dy
            if self._settings.snap:
                x, y = plan.snap(x), plan.snap(y)
            moves.append((item.card_id, item.layer, (x, y)))
        updates = self._place_all(moves)
        text = (
            _("Move {card}").format(card=_quote(next(iter(updates.values())).text))
            if len(updates) == 1
            else ngettext("Move {n} card", "Move {n} cards", len(updates)).format(n=len(updates))
        )
        return self._apply(updates, text)

    def add_card(
        self,
        kind: CardKind,
        text: str,
        at: QPointF,
        *,
        role: RoleGroup | None = None,
        participant_id: str = "",
        layer: Layer | None = None,
    ) -> str | None:
        """Add a card at `at` on the layer being edited; returns its id, or None if not saved."""
        layer = layer or self.show_choice.editing or Layer.NOW
        x, y = at.x(), at.y()
        if self._settings.snap:
            x, y = plan.snap(x), plan.snap(y)
        card = plan.place(
            Card(
                id=new_id(),
                kind=kind,
                text=" ".join(text.split()),
                role=role,
                participant_id=participant_id,
                position=self.document.session.next_position(Card),
            ),
            layer,
            (x, y),
        )
        if not self.document.apply([Change(None, card)], _("Add {card}").format(card=_quote(card.text))):
            return None
        self.select_cards([card.id], layer)
        return card.id

    def delete_selected(self) -> bool:
        ids = self.selected_card_ids()
        cards = [c for c in (self.card(i) for i in ids) if c is not None]
        if not cards:
            return False
        if len(cards) == 1:
            text = _("Delete {card}").format(card=_quote(cards[0].text))
        else:
            text = ngettext("Delete {n} card", "Delete {n} cards", len(cards)).format(n=len(cards))
        return self.document.apply([Change(c, None) for c in cards], text)

    def take_selected_off_layer(self) -> bool:
        """Take the selected cards off the layer they are selected on, keeping the other."""
        moves = [(i.card_id, i.layer) for i in self.selected_card_items() if not i.placeholder]
        updates: dict[str, Card] = {}
        for card_id, layer in moves:
            card = updates.get(card_id) or self.card(card_id)
            if card is not None:
                updates[card_id] = plan.place(card, layer, None)
        if not updates:
            return False
        if len(updates) == 1:
            quoted = _quote(next(iter(updates.values())).text)
            if moves[0][1] is Layer.NOW:
                text = _("Take {card} off the now layer").format(card=quoted)
            else:
                text = _("Take {card} off the aspiration layer").format(card=quoted)
        else:
            text = ngettext("Take {n} card off a layer", "Take {n} cards off a layer", len(updates)).format(
                n=len(updates)
            )
        return self._apply(updates, text)

    def duplicate_selected(self) -> list[str]:
        ids = self.selected_card_ids()
        originals = [c for c in (self.card(i) for i in ids) if c is not None]
        if not originals:
            return []
        layer = self.selected_card_items()[0].layer
        start = self.document.session.next_position(Card)
        copies = [plan.duplicate(card, new_id(), start + n) for n, card in enumerate(originals)]
        if len(copies) == 1:
            text = _("Duplicate {card}").format(card=_quote(originals[0].text))
        else:
            text = ngettext("Duplicate {n} card", "Duplicate {n} cards", len(copies)).format(n=len(copies))
        if not self.document.apply([Change(None, c) for c in copies], text):
            return []
        self.select_cards([c.id for c in copies], layer)
        return [c.id for c in copies]

    def set_card_text(self, card_id: str, text: str) -> bool:
        card = self.card(card_id)
        text = " ".join(text.split())
        if card is None or not text or text == card.text:
            return False
        return self.document.apply(
            [Change(card, replace(card, text=text))], _("Rename {card}").format(card=_quote(card.text))
        )

    def set_role_of_selected(self, role: RoleGroup | None) -> bool:
        cards = [c for c in (self.card(i) for i in self.selected_card_ids()) if c is not None]
        changes = [Change(c, replace(c, role=role)) for c in cards if c.role != role]
        if not changes:
            return False
        name = _(role.label) if role is not None else _("no role group")
        return self.document.apply(changes, _("Set role group to {role}").format(role=name))

    def select_cards(self, card_ids: Iterable[str], layer: Layer | None = None) -> None:
        self.clearSelection()
        for card_id in card_ids:
            for item_layer, item in self._cards.get(card_id, {}).items():
                if (
                    (layer is None or item_layer is layer)
                    and item.isVisible()
                    and item.flags() & item.GraphicsItemFlag.ItemIsSelectable
                ):
                    item.setSelected(True)

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:  # noqa: N802
        """Tooltips of cards and arrows, composed when asked for."""
        for item in self.items(event.scenePos()):
            holder = item.parentItem() if isinstance(item.parentItem(), ArrowItem) else item
            if isinstance(holder, CardItem | ArrowItem) and holder.isVisible() and holder.opacity() > 0.5:
                QToolTip.showText(event.screenPos(), holder.tooltip())
                event.accept()
                return
        QToolTip.hideText()
        event.ignore()

    # --- the background ------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        if self._bare:
            return
        painter.fillRect(rect, style.PAPER)
        background = self._settings.background
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(QRectF(0, 0, SIZE, SIZE), QColor("#ffffff"))
        if self._settings.snap:
            self._draw_snap_grid(painter)
        if background in (CanvasBackground.PLAN_DELIVER, CanvasBackground.POWER_RESPONSIBILITY):
            self._draw_grid(painter, background)
        elif background is CanvasBackground.LADDER:
            self._draw_ladder(painter)
        painter.setPen(QPen(style.INK, 4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(0, 0, SIZE, SIZE))
        self._draw_key(painter)

    def _draw_snap_grid(self, painter: QPainter) -> None:
        painter.setPen(QPen(QColor("#e4e7eb"), 1))
        steps = int(SIZE / GRID)
        for n in range(1, steps):
            v = n * GRID
            painter.drawLine(QPointF(v, 0), QPointF(v, SIZE))
            painter.drawLine(QPointF(0, v), QPointF(SIZE, v))

    def _draw_grid(self, painter: QPainter, background: CanvasBackground) -> None:
        labels = plan.axes(background)
        assert labels is not None
        target = plan.co_production_zone(background)
        assert target is not None
        cell = QRectF(target.left, target.top, target.right - target.left, target.bottom - target.top)
        painter.fillRect(cell, QColor("#e8f1ea"))
        painter.fillRect(cell, QBrush(QColor("#b9d7c1"), Qt.BrushStyle.BDiagPattern))
        painter.setPen(QPen(QColor("#9aa5b1"), 2))
        third = SIZE / 3
        for n in (1, 2):
            painter.drawLine(QPointF(n * third, 0), QPointF(n * third, SIZE))
            painter.drawLine(QPointF(0, n * third), QPointF(SIZE, n * third))
        painter.setPen(QPen(QColor("#006e3c"), 8))
        painter.drawRect(cell.adjusted(4, 4, -4, -4))
        # The cell's name is written in, so it never depends on the colour.
        painter.setFont(self._fonts["zone"])
        painter.setPen(QColor("#00512c"))
        label_box = QRectF(cell.left() + 12, cell.bottom() - 136, cell.width() - 24, 124)
        # Broken at spaces only: "co-" and "production" must not part at the hyphen.
        lines = style.wrap(
            _("★ {zone}").format(zone=_(target.label)),
            QFontMetricsF(self._fonts["zone"]),
            label_box.width(),
            3,
        )
        painter.drawText(
            label_box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, "\n".join(lines)
        )

        # Axis titles and the labels of each third. Nothing is rotated, so it reads from the back.
        painter.setPen(style.NAVY)
        painter.setFont(self._fonts["title"])
        # No-break spaces keep each arrow with its last word.
        painter.drawText(
            QRectF(0, -172, SIZE, 54), Qt.AlignmentFlag.AlignCenter, _said(labels.x_title) + "\u00a0\u00a0→"
        )
        painter.setFont(self._fonts["corner"])
        painter.drawText(
            QRectF(GUTTER_LEFT, -124, -GUTTER_LEFT - 24, 114),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom | Qt.TextFlag.TextWordWrap,
            _said(labels.y_title) + "\u00a0\u00a0↓",
        )
        painter.setFont(self._fonts["axis"])
        painter.setPen(style.INK)
        for n, text in enumerate(_said(label) for label in labels.x_labels):
            # Wider than a third (the neighbours' words are short), so no label needs three lines.
            centre = (n + 0.5) * third
            painter.drawText(
                QRectF(centre - 215, -114, 430, 104),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom | Qt.TextFlag.TextWordWrap,
                text,
            )
        for n, text in enumerate(_said(label) for label in labels.y_labels):
            painter.drawText(
                QRectF(GUTTER_LEFT, n * third + 8, -GUTTER_LEFT - LABEL_GAP, third - 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
                text,
            )

    def _draw_ladder(self, painter: QPainter) -> None:
        top_zone = plan.co_production_zone(CanvasBackground.LADDER)
        for zone, rung in zip(plan.zones(CanvasBackground.LADDER), LADDER, strict=True):
            band = QRectF(0, zone.top, SIZE, zone.bottom - zone.top)
            shade = QColor("#f4f6f8") if LADDER.index(rung) % 2 else QColor("#ffffff")
            painter.fillRect(band, shade)
            if zone == top_zone:
                painter.fillRect(band, QColor("#e8f1ea"))
                painter.fillRect(band, QBrush(QColor("#b9d7c1"), Qt.BrushStyle.BDiagPattern))
            painter.setPen(QPen(QColor("#9aa5b1"), 2))
            painter.drawLine(band.bottomLeft(), band.bottomRight())
            painter.setPen(style.INK)
            painter.setFont(self._fonts["axis"])
            name = _("★ {zone}").format(zone=_(rung.name)) if zone == top_zone else _(rung.name)
            painter.drawText(
                QRectF(GUTTER_LEFT, band.top(), -GUTTER_LEFT - LABEL_GAP, band.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
            painter.setPen(QColor("#4a4a4a"))
            painter.setFont(self._fonts["small"])
            painter.drawText(
                band.adjusted(14, 0, -14, -6),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                _(rung.summary),
            )
        if top_zone is not None:
            painter.setPen(QPen(QColor("#006e3c"), 8))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(4, top_zone.top + 4, SIZE - 8, top_zone.bottom - top_zone.top - 8))
        painter.setPen(style.NAVY)
        painter.setFont(self._fonts["title"])
        painter.drawText(
            QRectF(0, -110, SIZE, 60), Qt.AlignmentFlag.AlignCenter, _("The ladder of co-production  ↑")
        )

    def _draw_key(self, painter: QPainter) -> None:
        """The key: every mark with its words, and how the layers are drawn."""
        left, top, row = KEY_LEFT, 0.0, 52.0
        painter.setFont(self._fonts["key_title"])
        painter.setPen(style.NAVY)
        painter.drawText(
            QRectF(left, top - 56, 400, 44),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            _("Key"),
        )
        marks = [*(plan.ROLE_MARKS[r] for r in RoleGroup), plan.DECISION_MARK]
        painter.setFont(self._fonts["key"])
        for n, mark in enumerate(marks):
            y = top + n * row + row / 2
            painter.setPen(style.mark_pen(mark))
            painter.setBrush(QColor(mark.colour))
            painter.drawPath(style.mark_path(mark.shape, QPointF(left + 18, y), 17))
            painter.setPen(style.INK)
            painter.drawText(
                QRectF(left + 48, y - row / 2, 390, row), Qt.AlignmentFlag.AlignVCenter, _(mark.name)
            )
        y = top + len(marks) * row + 24
        for dashed, words in ((False, _("Now")), (True, _("Aspiration"))):
            pen = QPen(style.INK, 3)
            if dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
                pen.setDashPattern([3.0, 2.0])
            painter.setPen(pen)
            painter.setBrush(style.tint("#999999", 0.55 if not dashed else 0.8))
            painter.drawRoundedRect(QRectF(left, y + 6, 38, row - 12), 6, 6)
            painter.setPen(style.INK)
            painter.drawText(QRectF(left + 48, y, 390, row), Qt.AlignmentFlag.AlignVCenter, words)
            y += row
        painter.setPen(QPen(style.NAVY, 5))
        painter.drawLine(QPointF(left, y + row / 2), QPointF(left + 30, y + row / 2))
        painter.setBrush(style.NAVY)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(left + 42, y + row / 2),
                    QPointF(left + 26, y + row / 2 - 9),
                    QPointF(left + 26, y + row / 2 + 9),
                ]
            )
        )
        painter.setPen(style.INK)
        painter.drawText(QRectF(left + 48, y, 390, row), Qt.AlignmentFlag.AlignVCenter, _("The move we want"))
        target = plan.co_production_zone(self._settings.background)
        if target is not None:
            # Cards gather on the zone of co-production and may cover its name: the key keeps it.
            y += row + 24
            swatch = QRectF(left + 2, y + 6, 36, row - 12)
            painter.fillRect(swatch, QColor("#e8f1ea"))
            painter.fillRect(swatch, QBrush(QColor("#b9d7c1"), Qt.BrushStyle.BDiagPattern))
            painter.setPen(QPen(QColor("#006e3c"), 5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(swatch)
            painter.setPen(QColor("#00512c"))
            painter.drawText(
                QRectF(left + 48, y - row / 2, 390, 2 * row),
                Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
                _("★ {zone}").format(zone=_(target.label)),
            )


# --- made ahead of the canvas's first visit ------------------------------------------------------

# Every scene still alive, for `build_ahead` to know whether a canvas of a document exists.
_LIVE: weakref.WeakSet[CanvasScene] = weakref.WeakSet()
# The scenes made ahead, by document, until a canvas takes its own (`take_ahead`).
_AHEAD: weakref.WeakKeyDictionary[SessionDocument, CanvasScene] = weakref.WeakKeyDictionary()
AHEAD_SLICE_S = 0.0015  # how long one turn of the event loop lays cards out for


def build_ahead(
    document: SessionDocument, owner: QObject, *, budget_s: float = AHEAD_SLICE_S
) -> Iterator[None]:
    """Make the facilitator's scene of `document`'s canvas while the room is on earlier steps
    (ui/workshop/warmup.py): the scene first, then its cards, worked out, then laid out, for
    `budget_s` at a time, yielding between, so that a key pressed meanwhile waits no longer
    than a slice. The scene
    has no view, so nothing of it is shown or announced; `take_ahead` hands it to the canvas's
    first visit, which then shows exactly what a scene made there would have. Nothing is made
    if a canvas of `document` exists already; a card changed meanwhile gives the scene up."""
    if any(scene.document is document and not scene.audience for scene in list(_LIVE) if _alive(scene)):
        return
    scene = CanvasScene(document, parent=owner, cards=False)
    _AHEAD[document] = scene
    yield
    clock = time.perf_counter
    # First what draws each card (its shape, outline and words: the most of the work, and kept
    # per text for the rest of the run), then the items: a visit that comes before the end
    # finds every card worked out, and lays out only the items left.
    cards = list(scene._ahead or ())
    while cards:
        if scene._ahead is None or not _alive(scene):
            return
        ends = clock() + budget_s
        prepared_for(cards.pop(0), scene.scale)
        while cards and clock() < ends:
            prepared_for(cards.pop(0), scene.scale)
        yield
    while scene._ahead:
        if not _alive(scene):
            return
        scene._lay_out_all(_a_slice(scene._ahead, budget_s))
        yield


def take_ahead(document: SessionDocument, parent: QObject) -> CanvasScene | None:
    """The scene `build_ahead` made of `document`'s canvas, as `parent`'s own, its last cards
    laid out after its first frame if it was not done; None if there is none, or a card
    changed meanwhile."""
    scene = _AHEAD.pop(document, None)
    if scene is None or not _alive(scene):
        return None
    if scene._ahead_stale or scene._ahead is None:
        scene.deleteLater()
        return None
    pending, scene._ahead = scene._ahead, None
    if pending:
        # The cards it has not laid out yet are laid out after the first frame, which sketches
        # them (`later`), as for a scene made at the visit; and the cards it has laid out too,
        # if any, so that the arrows to come are drawn under them (see `_sketch_every`).
        scene._later = pending
        scene._sketch_every = bool(scene._card_items)
        # What Qt queued for the items made in the last slice (their polish, their dirty
        # areas) is done now, while no view looks, as it was for the others in earlier turns.
        QCoreApplication.sendPostedEvents(scene, QEvent.Type.MetaCall)
    scene.setParent(parent)
    return scene


def _a_slice(pending: list[Card], budget_s: float) -> Iterator[Card]:
    """The cards at the front of `pending`, taken off it as they are laid out, for `budget_s`:
    one at least."""
    ends = time.perf_counter() + budget_s
    yield pending.pop(0)
    while pending and time.perf_counter() < ends:
        yield pending.pop(0)


def _alive(scene: CanvasScene) -> bool:
    return shiboken6.isValid(scene)


def _walk_for_hidden(
    walked: Iterable[Any], zoom: float, found: int
) -> tuple[list[int], dict[int, list[Any]], tuple[float, float]]:
    """`CanvasScene.cull`'s walk over the whole canvas: `walked`, the cards shown, from the front
    (a `CardItem`, or a card not laid out yet as `CanvasScene.sketch` sees it: anything with
    their `drawn`, `_look`, `bitmap`, `x()`, `y()` and `effectiveOpacity()`). Notes in each
    the look's round `found` where it is hidden (`hidden_in`) or parts of it are
    (`parts_hidden`), and where it was (`at`, `bucket`, `order`). Returns the cells covered
    (one int of bits a row), the cards by square of the canvas (see `_near`), and the widest
    and the tallest card's box."""
    cell = CULL_CELL
    left, top = _LEFT, _TOP
    cols, rows = _COLS, _ROWS
    grid = [0] * rows
    margin = max(2.0, 2.0 / max(zoom, 1e-6))
    air = 1.0 + 1.0 / max(zoom, 1e-6)  # a pixel of smoothing round a mark's edge
    floor = math.floor
    # Filed by square for `_near`, in the order walked.
    buckets: dict[int, list[Any]] = {}
    order = 0
    most_w = most_h = 0.0
    for item in walked:
        drawn = item.drawn
        reach = drawn.reach
        ax, ay = item.x(), item.y()  # two calls into Qt, not a QPointF and two more
        item.at = (ax, ay)
        c0 = floor((ax + reach[0] - 1 - left) / cell)
        c1 = floor((ax + reach[2] + 1 - left) / cell)
        r0 = floor((ay + reach[1] - 1 - top) / cell)
        r1 = floor((ay + reach[3] + 1 - top) / cell)
        key = (c0 >> 3) * 4096 + (r0 >> 3) + 2048
        bucket = buckets.get(key)
        if bucket is None:
            buckets[key] = bucket = []
        bucket.append(item)
        item.bucket = key
        item.order = order
        order += 1
        if reach[2] - reach[0] > most_w:
            most_w = reach[2] - reach[0]
        if reach[3] - reach[1] > most_h:
            most_h = reach[3] - reach[1]
        if c0 >= 0 and r0 >= 0 and c1 < cols and r1 < rows:
            mask = ((1 << (c1 - c0 + 1)) - 1) << c0
            hidden = True
            for r in range(r0, r1 + 1):
                if grid[r] & mask != mask:
                    hidden = False
                    break
            if hidden:
                item.hidden_in = found
                continue  # what it would cover is covered already
            if not item.bitmap:
                # Drawn, but perhaps with its mark or its words under the cards in front.
                parts = MARK_HIDDEN if _under(grid, ax, ay, drawn.mark_box, air) else 0
                if _under(grid, ax, ay, drawn.words_box, 0.0):
                    parts |= WORDS_HIDDEN
                if parts:
                    item.parts_hidden = (found, parts)
        if not item._look.opaque or item.effectiveOpacity() < 1.0:
            continue
        _cover_cells(grid, drawn.cover, ax, ay, margin, 0, rows)
    return grid, buckets, (most_w, most_h)


_SKETCH_LOOK = 1  # the round a sketch's look notes in what it finds (see `_walk_for_hidden`)


class _Sketched:
    """A card on a layer, not laid out yet, as `CanvasScene.sketch` draws it and looks at it
    (with what `_walk_for_hidden` reads of a `CardItem`, and writes)."""

    __slots__ = (
        "drawn",
        "_look",
        "_x",
        "_y",
        "opacity",
        "z",
        "came",
        "at",
        "bucket",
        "order",
        "hidden_in",
        "parts_hidden",
    )
    bitmap = False

    def __init__(
        self, drawn: Any, look: CardLook, x: float, y: float, opacity: float, z: float, came: int
    ) -> None:
        self.drawn = drawn
        self._look = look
        self._x, self._y = x, y
        self.opacity = opacity
        self.z, self.came = z, came
        self.hidden_in = 0
        self.parts_hidden = (0, 0)

    def x(self) -> float:
        return self._x

    def y(self) -> float:
        return self._y

    def effectiveOpacity(self) -> float:  # noqa: N802 - as a QGraphicsItem's
        return self.opacity


def _stacking(card: _Sketched) -> tuple[float, int]:
    return card.z, card.came


# --- the look for hidden cards and arrows: cells ------------------------------------------------


def _box_cells(
    boxes: Iterable[tuple[float, float, float, float]], *, inner: bool = False
) -> list[tuple[int, int, int, int]]:
    """The cells (first and last column, first and last row) each box touches, with a unit of
    air; or (`inner`) those wholly inside it."""
    floor, ceil, cell = math.floor, math.ceil, CULL_CELL
    if inner:
        return [
            (
                max(0, ceil((x0 - _LEFT) / cell)),
                min(_COLS - 1, floor((x1 - _LEFT) / cell) - 1),
                max(0, ceil((y0 - _TOP) / cell)),
                min(_ROWS - 1, floor((y1 - _TOP) / cell) - 1),
            )
            for x0, y0, x1, y1 in boxes
        ]
    return [
        (
            max(0, floor((x0 - 1 - _LEFT) / cell)),
            min(_COLS - 1, floor((x1 + 1 - _LEFT) / cell)),
            max(0, floor((y0 - 1 - _TOP) / cell)),
            min(_ROWS - 1, floor((y1 + 1 - _TOP) / cell)),
        )
        for x0, y0, x1, y1 in boxes
    ]


def _walk_order(item: CardItem) -> int:
    return item.order


def _box_rows(cells: list[tuple[int, int, int, int]]) -> dict[int, int]:
    """The cells of `_box_cells`, as bits for each row they are in."""
    rows: dict[int, int] = {}
    for c0, c1, r0, r1 in cells:
        if c1 < c0:
            continue
        bits = ((1 << (c1 - c0 + 1)) - 1) << c0
        for r in range(r0, r1 + 1):
            rows[r] = rows.get(r, 0) | bits
    return rows


def _bands(grid: list[int]) -> list[int]:
    """The cells covered in every row of each band of `BAND_ROWS` rows."""
    bands = []
    for start in range(0, len(grid), BAND_ROWS):
        bits = -1
        for row in grid[start : start + BAND_ROWS]:
            bits &= row
        bands.append(bits)
    return bands


def _passes(
    x0: float, y0: float, x1: float, y1: float, left: float, top: float, right: float, bottom: float
) -> bool:
    """Whether the line from (x0, y0) to (x1, y1) meets the box."""
    dx, dy = x1 - x0, y1 - y0
    ta, tb = 0.0, 1.0
    for delta, start, low, high in ((dx, x0, left, right), (dy, y0, top, bottom)):
        if delta == 0:
            if start < low or start > high:
                return False
            continue
        t0, t1 = (low - start) / delta, (high - start) / delta
        if t0 > t1:
            t0, t1 = t1, t0
        ta, tb = max(ta, t0), min(tb, t1)
        if ta > tb:
            return False
    return True


def _covered(
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    ext: float,
    bands: list[int],
    cells: list[tuple[int, int, int, int]] | None,
) -> bool:
    """Whether every cell within `ext` of the line from (x0, y0) to (x1, y1) is covered in
    `bands` (see `_bands`), a band at a time over the columns the line crosses in it; with
    `cells`, only the cells among those (first and last column, first and last row)."""
    floor, cell, left, top = math.floor, CULL_CELL, _LEFT, _TOP
    dx, dy = x1 - x0, y1 - y0
    r_lo = floor(((y0 if dy >= 0 else y1) - ext - top) / cell)
    r_hi = floor(((y1 if dy >= 0 else y0) + ext - top) / cell)
    if r_lo < 0 or r_hi >= _ROWS:
        return False
    if cells is not None:  # only the rows of those cells can have changed
        r_lo = max(r_lo, min(c[2] for c in cells))
        r_hi = min(r_hi, max(c[3] for c in cells))
    for band in range(r_lo // BAND_ROWS, r_hi // BAND_ROWS + 1):
        first = band * BAND_ROWS
        last = first + BAND_ROWS - 1
        if first < r_lo:
            first = r_lo
        if last > r_hi:
            last = r_hi
        # The points of the line that reach these rows (with `ext`), and so its columns here.
        if dy == 0:
            xa, xb = x0, x1
        else:
            ta = (top + first * cell - ext - y0) / dy
            tb = (top + (last + 1) * cell + ext - y0) / dy
            if ta > tb:
                ta, tb = tb, ta
            if ta < 0.0:
                ta = 0.0
            if tb > 1.0:
                tb = 1.0
            if ta > tb:
                continue
            xa, xb = x0 + ta * dx, x0 + tb * dx
        if xa > xb:
            xa, xb = xb, xa
        c0, c1 = floor((xa - ext - left) / cell), floor((xb + ext - left) / cell)
        if c0 < 0 or c1 >= _COLS:
            return False
        bits = bands[band]
        if cells is None:
            mask = ((1 << (c1 - c0 + 1)) - 1) << c0
            if bits & mask != mask:
                return False
            continue
        for d0, d1, e0, e1 in cells:
            k0, k1 = max(c0, d0), min(c1, d1)
            if k0 > k1 or e1 < first or e0 > last:
                continue
            mask = ((1 << (k1 - k0 + 1)) - 1) << k0
            if bits & mask != mask:
                return False
    return True
