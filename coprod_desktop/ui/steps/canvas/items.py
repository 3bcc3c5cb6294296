"""The things on the canvas: a card on one layer, and the arrow from now to aspiration.

A card is one `CardItem` per layer it shows on, so a drag on the aspiration layer
moves only the aspiration. Items paint themselves once into a device-coordinate
cache; a frame of a drag then only blits pixmaps, which keeps 1,000 cards smooth.
They do not override `itemChange` either: every `setPos`, `setFlag` or `setOpacity`
would otherwise call into Python, for each of thousands of items. The scene does the
drag's bookkeeping instead, in its mouse handlers. Items never write to the
document: the scene turns a whole drag into one undoable edit on release.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
    QStaticText,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from ....domain.canvas import Layer, Mark, Shape, mark_of
from ....domain.i18n import _
from ....domain.model import Card, CardKind
from ...common.plaintext import tooltip
from . import style

Flag = QGraphicsItem.GraphicsItemFlag
_NO_CACHE = QGraphicsItem.CacheMode.NoCache
_EDITABLE = Flag.ItemIsSelectable | Flag.ItemIsMovable
_NO_PEN = QPen(Qt.PenStyle.NoPen)
# Where a view shows a card's words smaller than this (the font's pixel size on the screen),
# each line is drawn as a grey bar instead: no one can read words that small, and a bar of the
# same ink looks the same there, for a fraction of the cost of the glyphs (see `CardItem.paint`).
WORDS_FROM_PX = 2.5
# The bar's ink: a line's glyphs at these sizes cover about half of its x-height band.
GREEK_ALPHA = 128
# The parts of a card that a view's paint can leave out where the opaque cards in front
# cover every pixel they would set, as found by `CanvasScene.cull` (`CardItem.parts_hidden`):
# on a big canvas most cards drawn show only an edge or a corner from under the others.
MARK_HIDDEN = 1
WORDS_HIDDEN = 2


@dataclass(frozen=True)
class CardLook:
    """Pens, brushes and font shared by every card with the same mark, layer and state."""

    dashed: bool
    outline: QPen  # for the dashes
    ink: QBrush  # the solid edge, filled as a ring
    dash_ink: QBrush  # the dashed edge where its dashes are too fine to see (see `CardItem.paint`)
    fill: QBrush
    mark_ink: QBrush
    mark_brush: QBrush
    text: QPen
    font: QFont
    greek: QBrush  # words too small to read, drawn as bars (see WORDS_FROM_PX)
    selection_outer: QPen
    selection_inner: QPen
    opaque: bool  # whether its fill hides what is under it


@lru_cache(maxsize=256)
def card_look(mark: Mark, layer: Layer, placeholder: bool, scale: float, font_px: int) -> CardLook:
    outline = QPen(QColor("#555555") if placeholder else style.INK, 3 * scale)
    if layer is Layer.ASPIRATION or placeholder:
        # Drawn as ready-made dash segments (see `_dashes`): a square end keeps them crisp.
        outline.setCapStyle(Qt.PenCapStyle.FlatCap)
    fill = (
        QBrush(QColor("#ffffff"))
        if placeholder
        else QBrush(style.tint(mark.colour, 0.55 if layer is Layer.NOW else 0.8))
    )
    return CardLook(
        dashed=layer is Layer.ASPIRATION or placeholder,
        outline=outline,
        ink=QBrush(outline.color()),
        dash_ink=QBrush(_spread(outline.color(), DASH_SEEN)),
        fill=fill,
        mark_ink=QBrush(style.INK),
        mark_brush=QBrush(QColor(mark.colour)),
        text=QPen(style.INK),
        font=style.font(font_px, bold=True),
        greek=QBrush(QColor(style.INK.red(), style.INK.green(), style.INK.blue(), GREEK_ALPHA)),
        selection_outer=QPen(QColor("#ffffff"), 9 * scale),
        selection_inner=QPen(style.SELECTION, 5 * scale),
        opaque=fill.isOpaque(),
    )


def _spread(colour: QColor, share: float) -> QColor:
    spread = QColor(colour)
    spread.setAlphaF(colour.alphaF() * share)
    return spread


@lru_cache(maxsize=512)
def _mark_path(shape: Shape, x: float, y: float, radius: float) -> QPainterPath:
    return style.mark_path(shape, QPointF(x, y), radius)


# Edges are drawn as a dark shape with a lighter one on top, a little smaller: two fills
# cost about half of a stroke and a fill, and look the same.
MARK_EDGE = 1.25  # half the width of a mark's edge, in canvas units at scale 1
DASH, GAP = 11.0, 7.0  # an aspiration card's dashed edge
# Its ink where the dashes are too fine to see, drawn as a ring: what looks most like them
# there (compared with grabs of the board at 1016x760, where the words are under 2 px).
DASH_SEEN = 0.4
CARD_EDGE = 1.5  # half the width of a card's edge


@lru_cache(maxsize=512)
def _mark_paths(
    shape: Shape, x: float, y: float, radius: float, scale: float
) -> tuple[QPainterPath, QPainterPath]:
    edge = MARK_EDGE * scale
    return _mark_path(shape, x, y, radius + edge), _mark_path(shape, x, y, radius - edge)


@lru_cache(maxsize=8192)
def _static_lines(text: str, font_px: int) -> tuple[QStaticText, ...]:
    # Not `prepare`d: that lays the words out for drawing at a zoom of 1, and a view, the room
    # and an export draw them at another, where the first paint lays them out again anyway.
    lines = []
    for line in text.split("\n"):
        static = QStaticText(line)
        static.setTextFormat(Qt.TextFormat.PlainText)  # typed words, never HTML
        static.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
        lines.append(static)
    return tuple(lines)


def _body_path(rect: QRectF, decision: bool, scale: float) -> QPainterPath:
    return _body_path_of(rect.x(), rect.y(), rect.width(), rect.height(), decision, scale)


@lru_cache(maxsize=4096)
def _body_path_of(x: float, y: float, w: float, h: float, decision: bool, scale: float) -> QPainterPath:
    rect = QRectF(x, y, w, h)
    path = QPainterPath()
    if decision:
        path.addPolygon(_cut_corners(rect, 16 * scale))
        path.closeSubpath()
    else:
        path.addRoundedRect(rect, 12 * scale, 12 * scale)
    return path


@lru_cache(maxsize=4096)
def _edge_paths(
    x: float, y: float, w: float, h: float, decision: bool, scale: float
) -> tuple[QPainterPath, QPainterPath]:
    """A card body just larger and just smaller than its outline, to be filled in turn."""
    e = CARD_EDGE * scale
    outer, inner = QPainterPath(), QPainterPath()
    if decision:
        cut = 16 * scale
        outer.addPolygon(_cut_corners(QRectF(x - e, y - e, w + 2 * e, h + 2 * e), cut + e * 0.41))
        inner.addPolygon(_cut_corners(QRectF(x + e, y + e, w - 2 * e, h - 2 * e), cut - e * 0.41))
        outer.closeSubpath()
        inner.closeSubpath()
    else:
        radius = 12 * scale
        outer.addRoundedRect(QRectF(x - e, y - e, w + 2 * e, h + 2 * e), radius + e, radius + e)
        inner.addRoundedRect(QRectF(x + e, y + e, w - 2 * e, h - 2 * e), radius - e, radius - e)
    return outer, inner


@lru_cache(maxsize=4096)
def _dashes(x: float, y: float, w: float, h: float, decision: bool, scale: float) -> tuple[QLineF, ...]:
    """The outline of a card body cut into dashes, once per shape.

    Aspiration cards have a dashed edge, so the two layers differ in more than shade. A
    dashed pen is re-dashed by Qt on every paint, about six times the cost of a solid
    one; drawing these segments with a solid pen looks the same and costs no more.
    """
    outline = _body_path_of(x, y, w, h, decision, scale).toFillPolygon()
    points = [outline.at(i) for i in range(outline.size())]
    dash, gap = DASH * scale, GAP * scale
    segments: list[QLineF] = []
    drawing, left = True, dash
    for start, end in zip(points, points[1:], strict=False):
        edge = QLineF(start, end)
        length = edge.length()
        done = 0.0
        while length > 0 and done < length:
            step = min(left, length - done)
            if drawing:
                segments.append(QLineF(edge.pointAt(done / length), edge.pointAt((done + step) / length)))
            done += step
            left -= step
            if left <= 1e-9:
                drawing = not drawing
                left = dash if drawing else gap
    return tuple(segments)


def words_below(zoom: float) -> float:
    """The font size (in canvas units) under which a card's words are drawn as bars, for a
    paint at `zoom` device pixels per canvas unit (see WORDS_FROM_PX)."""
    return WORDS_FROM_PX / zoom if zoom > 0 else 0.0


class _Prepared:
    """Everything a card's look needs that depends only on its words, kind, mark and scale:
    made once and shared by its items on both layers (and by every reopening of the canvas).
    A plain class, not a dataclass: defining one of those compiles code when the canvas is
    first imported."""

    __slots__ = (
        "shape",
        "body",
        "hit",
        "reach",
        "mark_outer",
        "mark_inner",
        "edge_outer",
        "edge_inner",
        "dashes",
        "text",
        "greek",
        "cover",
        "mark_box",
        "words_box",
    )

    shape: style.CardShape
    body: QPainterPath
    # The outline widened by the bounds pen, as Qt would widen it for a path item with that
    # pen: the item's boundingRect and shape, without Qt stroking the outline for each item.
    hit: QPainterPath
    reach: tuple[float, float, float, float]  # the hit path's box (left, top, right, bottom)
    mark_outer: QPainterPath
    mark_inner: QPainterPath
    edge_outer: QPainterPath
    edge_inner: QPainterPath
    dashes: tuple[QLineF, ...]
    text: tuple[tuple[QPointF, QStaticText], ...]
    # Each word as a bar over its x-height, as wide as the word: what is drawn where the
    # words are too small to read (see WORDS_FROM_PX).
    greek: QPainterPath
    # The body's left, top, right and bottom, and how far its rounded or cut corners reach in:
    # what the card covers of the cards behind it (see `CanvasScene.cull`).
    cover: tuple[float, float, float, float, float]
    # Boxes (left, top, right, bottom) holding every pixel its mark, and its words (or their
    # bars), can set: where the cards in front cover one whole, it is not drawn (`MARK_HIDDEN`).
    mark_box: tuple[float, float, float, float]
    words_box: tuple[float, float, float, float]

    def __init__(self, **fields: object) -> None:
        for name, value in fields.items():
            setattr(self, name, value)


@lru_cache(maxsize=8192)
def _prepared(text: str, decision: bool, mark_shape: Shape, scale: float) -> _Prepared:
    shape = style.card_shape(text, scale)
    body = shape.body
    x, y, w, h = body.x(), body.y(), body.width(), body.height()
    path = _body_path_of(x, y, w, h, decision, scale)
    hit = _widened(path, _bounds_pen(scale))
    box = hit.controlPointRect()
    centre = shape.mark_centre
    mark_outer, mark_inner = _mark_paths(mark_shape, centre.x(), centre.y(), shape.mark_radius, scale)
    edge_outer, edge_inner = _edge_paths(x, y, w, h, decision, scale)
    lines = _static_lines(shape.text, shape.font_px)
    height = style.line_height(shape.font_px)
    rect = shape.text_rect
    top = rect.center().y() - height * len(lines) / 2
    placed = tuple((QPointF(rect.left(), top + n * height), line) for n, line in enumerate(lines))
    band_top, band, space = _greek_band(shape.font_px)
    greek = QPainterPath()
    for (at, _line), words in zip(placed, shape.text.split("\n"), strict=True):
        # A bar per word, with the gaps between them: a line of words, as it looks that small
        # (each word's own advance: what kerning moves across a space is far under a pixel there).
        left, bar_top = at.x(), at.y() + band_top
        for word in words.split(" "):
            if word:
                advance = _advance(word, shape.font_px)
                greek.addRect(left, bar_top, advance, band)
                left += advance
            left += space
    # A mark's corners reach 1.1 times its radius (domain.canvas.shape_points), its edge
    # MARK_EDGE beyond; the words, half an em beyond their lines every way (accents stacked
    # over a capital, a glyph's overhang), however they are shaped.
    reach_mark = 1.1 * (shape.mark_radius + MARK_EDGE * scale)
    em = shape.font_px / 2
    return _Prepared(
        shape=shape,
        body=path,
        hit=hit,
        reach=(box.left(), box.top(), box.right(), box.bottom()),
        mark_outer=mark_outer,
        mark_inner=mark_inner,
        edge_outer=edge_outer,
        edge_inner=edge_inner,
        dashes=_dashes(x, y, w, h, decision, scale),
        text=placed,
        greek=greek,
        cover=(x, y, x + w, y + h, (16.0 if decision else 12.0) * scale),
        mark_box=(
            centre.x() - reach_mark,
            centre.y() - reach_mark,
            centre.x() + reach_mark,
            centre.y() + reach_mark,
        ),
        words_box=(rect.left() - em, top - em, rect.right() + em, top + height * len(lines) + em),
    )


def prepared_for(card: Card, scale: float) -> tuple[Mark, _Prepared]:
    """`card`'s mark and what draws it at `scale`: the same for its items on both layers."""
    mark = mark_of(card)
    return mark, _prepared(card.text, card.kind is CardKind.DECISION, mark.shape, scale)


@lru_cache(maxsize=64)
def _greek_band(font_px: int) -> tuple[float, float, float]:
    """Where a word's bar lies in its line (top, height: the x-height), and a space's width."""
    metrics = style.metrics(font_px)
    return metrics.ascent() - metrics.xHeight(), metrics.xHeight(), metrics.horizontalAdvance(" ")


@lru_cache(maxsize=8192)
def _advance(word: str, font_px: int) -> float:
    return style.metrics(font_px).horizontalAdvance(word)


def _widened(path: QPainterPath, pen: QPen) -> QPainterPath:
    """`path` and its stroke with `pen`: what a QGraphicsPathItem with that pen takes as its
    shape (Qt's qt_graphicsItem_shapeFromPath), and so its bounding box."""
    stroker = QPainterPathStroker()
    stroker.setCapStyle(pen.capStyle())
    stroker.setWidth(pen.widthF())
    stroker.setJoinStyle(pen.joinStyle())
    stroker.setMiterLimit(pen.miterLimit())
    widened = stroker.createStroke(path)
    widened.addPath(path)
    return widened


class CardItem(QGraphicsPathItem):
    """One card on one layer. Its position is the card's centre on that layer."""

    # Python's own attribute access, not shiboken's (SbkObject_GenericGetAttr and SetAttr),
    # which first switches the class to the calling module's `__feature__` set (snake_case,
    # true_property); this app selects none, so the lookup finds the same. The scene reads and
    # calls a few things on each of thousands of cards as a canvas opens and is painted.
    __getattribute__ = object.__getattribute__
    __setattr__ = object.__setattr__
    __delattr__ = object.__delattr__

    # Set by a view for the length of its own paint to its scene's round of looking for hidden
    # cards (see `CanvasScene.cull`), 0 otherwise: while it is, a card with no bitmap that was
    # found hidden entirely under cards above it in that round (`hidden_in`) draws nothing.
    culling = 0
    # Set by a view for the length of its own paint, 0 otherwise: a card whose font (in canvas
    # units) is smaller than this draws its words as bars (see WORDS_FROM_PX). Not for an
    # export or a picture of the scene, which draw the words at whatever size.
    words_below = 0.0

    # What most cards keep, on the class: an item sets only what differs, for an attribute set
    # on a Qt item costs about 0.2 µs and a big canvas makes thousands of items at once.
    placeholder = False  # shown where it would go, but not on this layer yet
    ghost = False  # the "now" card faintly behind the aspiration layer
    editable = False
    _state: tuple[bool, bool, bool] = (False, False, False)
    hidden_in = -1  # the round of `CanvasScene.cull` that found it hidden (see `culling`)
    bitmap = False  # whether it keeps a bitmap of itself (see `setCacheMode`)
    at = (0.0, 0.0)  # its position at the scene's last look for hidden cards
    # The square of the canvas it is filed under at that look, and its place in that
    # look's walk from the front (see `CanvasScene._near`).
    bucket: int | None = None
    order = 0
    # The round of `CanvasScene.cull` that found parts of it (a card it does not hide whole)
    # wholly under cards in front, and which (`MARK_HIDDEN`, `WORDS_HIDDEN`): while `culling`
    # is that round, a card with no bitmap leaves them out of its paint.
    parts_hidden = (-1, 0)

    def __init__(
        self,
        card: Card,
        layer: Layer,
        scale: float,
        *,
        editable: bool = False,
        placeholder: bool = False,
        ghost: bool = False,
        prepared: tuple[Mark, _Prepared] | None = None,
    ) -> None:
        """`prepared`: the card's `prepared(card, scale)`, when its other layer's item has it."""
        super().__init__()
        self.card_id = card.id
        self.layer = layer
        self.scale_factor = scale
        if editable or placeholder or ghost:
            self.placeholder = placeholder
            self.ghost = ghost
            self.editable = editable
            self._state = (editable, placeholder, ghost)
        # No pen: the item's path is the card's outline already widened by the width that
        # takes the selection outline (see `_Prepared.hit`), made once per shape of card.
        self.setPen(_NO_PEN)
        if editable:
            self.setFlags(_EDITABLE)
        # Not yet in a scene, with no path and at z 0: nothing to tell one or to compare with.
        drawn = self._take(card, prepared)
        self.setPath(drawn.hit)
        if self.stacking:
            self.setZValue(self.stacking)

    # --- state --------------------------------------------------------------

    def _take(self, card: Card, prepared: tuple[Mark, _Prepared] | None = None) -> _Prepared:
        """Keep what draws `card` (its shape, paths, words and look), ready-made per shape."""
        self.card = card
        self.mark, drawn = prepared or prepared_for(card, self.scale_factor)
        self.drawn = drawn  # shared by the card's items on both layers
        self._look = card_look(
            self.mark, self.layer, self.placeholder, self.scale_factor, drawn.shape.font_px
        )
        self.stacking = float(card.position)
        return drawn

    # What draws it, as its own: read from what it shares (see `_Prepared`).
    @property
    def shape_(self) -> style.CardShape:
        return self.drawn.shape

    @property
    def _body(self) -> QPainterPath:
        return self.drawn.body

    @property
    def reach(self) -> tuple[float, float, float, float]:
        return self.drawn.reach

    @property
    def cover(self) -> tuple[float, float, float, float, float]:
        return self.drawn.cover

    @property
    def _text(self) -> tuple[tuple[QPointF, QStaticText], ...]:
        return self.drawn.text

    def set_card(self, card: Card) -> None:
        looked = (self.card.text, self.card.kind, self.card.role)
        before = self.drawn.hit
        drawn = self._take(card)
        if drawn.hit is not before:
            if self.scene() is not None:
                self.prepareGeometryChange()
            self.setPath(drawn.hit)
        if self.zValue() != self.stacking:
            self.setZValue(self.stacking)
        if self.scene() is not None and looked != (card.text, card.kind, card.role):
            # Only then does it look different: a card moved on the other layer does not.
            self.update()

    def set_state(self, *, editable: bool, placeholder: bool, ghost: bool) -> None:
        if (editable, placeholder, ghost) == self._state:
            return
        self._state = (editable, placeholder, ghost)
        self.editable, self.placeholder, self.ghost = editable, placeholder, ghost
        flags = _EDITABLE if editable else Flag(0)
        if not editable and self.isSelected():
            self.setSelected(False)
        self.setFlags(flags)
        self._look = card_look(
            self.mark, self.layer, placeholder, self.scale_factor, self.drawn.shape.font_px
        )
        self.update()

    def tooltip(self) -> str:
        """Made when asked for (see `CanvasScene.helpEvent`), not for each of 2,000 cards at once."""
        who = _(self.mark.name)
        if self.placeholder:
            if self.layer is Layer.NOW:
                where = _("Not on the now layer yet: drag it to place it.")
            else:
                where = _("Not on the aspiration layer yet: drag it to place it.")
            return tooltip(f"{self.card.text}\n{who}\n{where}")
        return tooltip(
            _("{card}\n{who} · {layer}").format(card=self.card.text, who=who, layer=_(self.layer.label))
        )

    # --- Qt -----------------------------------------------------------------

    def setCacheMode(self, mode: QGraphicsItem.CacheMode, *size: QSize) -> None:  # noqa: N802
        """As Qt's, and noted in `bitmap`: a hidden card's paint asks it thousands of times."""
        super().setCacheMode(mode, *size)
        self.bitmap = mode != _NO_CACHE

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        hidden = 0
        if not self.bitmap:  # a bitmap is drawn whole
            culling = CardItem.culling
            if self.hidden_in == culling:
                return  # nothing of it would show
            parts = self.parts_hidden
            if parts[0] == culling:
                hidden = parts[1]  # what would not show of it (see `MARK_HIDDEN`)
        draw_card(painter, self._look, self.drawn, hidden, self.isSelected(), self.scale_factor)

    @property
    def occluded(self) -> bool:
        """Whether it is wholly under opaque cards, as its scene's last look found and nothing
        moved near it since (see `CanvasScene.cull`)."""
        return self.hidden_in > 0 and self.hidden_in == getattr(self.scene(), "cull_round", 0)

    def scene_body(self) -> QRectF:
        """The card's box in scene coordinates."""
        return self.shape_.body.translated(self.pos())


def draw_card(
    painter: QPainter, look: CardLook, drawn: _Prepared, hidden: int, selected: bool, scale: float
) -> None:
    """A card as its item paints it, in the card's own coordinates (its centre at 0, 0):
    `hidden`, which of its parts would not show (see `MARK_HIDDEN`). Also what a view draws
    of a card whose item is not made yet (`CanvasScene.sketch`)."""
    # Where the words are too small to read, so are the dashes (their period is under two
    # pixels there): the edge is then a ring of the ink the dashes would have spread.
    readable = drawn.shape.font_px >= CardItem.words_below
    if look.dashed and readable:
        painter.fillPath(drawn.body, look.fill)
        painter.setPen(look.outline)
        painter.drawLines(drawn.dashes)
    else:
        painter.fillPath(drawn.edge_outer, look.dash_ink if look.dashed else look.ink)
        painter.fillPath(drawn.edge_inner, look.fill)
    if not hidden & MARK_HIDDEN:
        painter.fillPath(drawn.mark_outer, look.mark_ink)
        painter.fillPath(drawn.mark_inner, look.mark_brush)
    if not hidden & WORDS_HIDDEN:
        if readable:
            painter.setPen(look.text)
            painter.setFont(look.font)
            for at, line in drawn.text:
                painter.drawStaticText(at, line)
        else:
            painter.fillPath(drawn.greek, look.greek)
    if selected:
        s = scale
        box = drawn.shape.body.adjusted(-5 * s, -5 * s, 5 * s, 5 * s)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(look.selection_outer)
        painter.drawRect(box)
        painter.setPen(look.selection_inner)
        painter.drawRect(box)


@lru_cache(maxsize=8)
def _bounds_pen(scale: float) -> QPen:
    # A card's pen is never drawn; it only widens the bounding box to take the selection outline.
    return QPen(Qt.GlobalColor.transparent, 14 * scale)


def _cut_corners(rect: QRectF, cut: float) -> QPolygonF:
    """A box with its corners cut off: the outline of a decision card, unlike any person's."""
    left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
    return QPolygonF(
        [
            QPointF(left + cut, top),
            QPointF(right - cut, top),
            QPointF(right, top + cut),
            QPointF(right, bottom - cut),
            QPointF(right - cut, bottom),
            QPointF(left + cut, bottom),
            QPointF(left, bottom - cut),
            QPointF(left, top + cut),
        ]
    )


@lru_cache(maxsize=8)
def arrow_pen(scale: float) -> QPen:
    pen = QPen(style.NAVY, 5 * scale)
    # Flat, not round: a round cap makes Qt stroke the line as a path, eight times slower,
    # and both ends are hidden anyway (under the card's edge and under the head).
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return pen


_HEAD_BRUSH = QBrush(style.NAVY)


class ArrowItem(QGraphicsPathItem):
    """The move of one card, from the edge of its "now" box to the edge of its aspiration.

    One item per arrow, shaft and head: its path is the outline the two cover (the shaft's
    stroke and the head's triangle), which Qt takes as its bounds and shape without calling
    into Python, and `paint` draws them as a line item and a polygon item would. On a big
    canvas most arrows lie wholly under cards (they are behind every card): the scene finds
    those (`CanvasScene.cull`) and their paint draws nothing, as a hidden card's does. In
    the "moves only" view it also shows the card's mark and name at its tail (made the
    first time that view is shown).
    """

    __getattribute__ = object.__getattribute__  # see CardItem's
    __setattr__ = object.__setattr__
    __delattr__ = object.__delattr__

    # What an arrow starts with, on the class (see `CardItem`'s).
    _line: QLineF | None = None  # the shaft and the head, made when first painted or asked for
    _head: QPolygonF | None = None
    hidden_in = -1  # the round of `CanvasScene.cull` that found it hidden under cards
    # What it covers, for that look: the shaft (from the tail to the base of the head, in
    # scene coordinates) and the line through the middle of the head; None: no arrow.
    span: tuple[float, float, float, float] | None = None
    head_line = (0.0, 0.0, 0.0, 0.0)  # from the middle of its base to its point
    _normal = (0.0, 0.0)  # from that middle to a corner of the head
    box = (0.0, 0.0, 0.0, 0.0)  # what it covers in all (left, top, right, bottom)
    tail_mark: QGraphicsPathItem | None = None
    tail_label: QGraphicsSimpleTextItem | None = None
    _tail = (0.0, 0.0)

    def __init__(self, card: Card, scale: float) -> None:
        super().__init__()
        self.card_id = card.id
        self.card = card
        self.scale_factor = scale
        self._pen = arrow_pen(scale)
        self.setPen(_NO_PEN)

    def tooltip(self) -> str:
        return tooltip(_("{card}: from now to the aspiration").format(card=self.card.text))

    def set_card(self, card: Card) -> None:
        self.card = card
        if self.tail_mark is not None:
            self._style_tail()

    def line(self) -> QLineF:
        """The shaft, from the tail to the base of the head (null when there is no arrow)."""
        return QLineF(self._shapes()[0])

    def head(self) -> QPolygonF:
        return QPolygonF(self._shapes()[1])

    @property
    def drawn(self) -> bool:
        """Whether there is an arrow to see (not when the two boxes touch)."""
        return self.span is not None

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self.hidden_in == CardItem.culling or self.span is None:
            return  # wholly under cards, or no arrow to draw
        line, head = self._shapes()
        draw_arrow(painter, line, head, self._pen)

    def show_tail(self, shown: bool) -> None:
        if shown and self.tail_mark is None:
            self.tail_mark = QGraphicsPathItem(self)
            self.tail_label = QGraphicsSimpleTextItem(self)
            self.tail_label.setFont(style.font(int(20 * self.scale_factor), bold=True))
            self.tail_label.setBrush(QBrush(style.INK))
            self._style_tail()
        if self.tail_mark is not None and self.tail_label is not None:
            self.tail_mark.setVisible(shown)
            self.tail_label.setVisible(shown)

    def _style_tail(self) -> None:
        assert self.tail_mark is not None
        assert self.tail_label is not None
        mark = mark_of(self.card)
        s = self.scale_factor
        self.tail_mark.setBrush(QBrush(QColor(mark.colour)))
        self.tail_mark.setPen(style.mark_pen(mark))
        x, y = self._tail
        self.tail_mark.setPath(_mark_path(mark.shape, x, y, 16 * s))
        self.tail_label.setText(" ".join(self.card.text.split()))
        self.tail_label.setPos(QPointF(x, y) + QPointF(22 * s, -14 * s))

    def set_ends(
        self,
        start: tuple[float, float],
        start_half: tuple[float, float],
        end: tuple[float, float],
        end_half: tuple[float, float],
    ) -> bool:
        """Draw from the edge of a box of half-size `start_half` around `start` to the edge of
        one around `end`; a box of no size means the very point. Plain floats: this runs for
        every arrow when a canvas opens. Returns whether the arrow changed."""
        s = self.scale_factor
        found = arrow_between(start, start_half, end, end_half, s)
        changed = False
        if found is not None:
            span, head_line, (ux, uy) = found
            if span != self.span:
                changed = True
                half_width = 13 * s
                self.span = span
                self.head_line = head_line
                self._normal = (-uy * half_width, ux * half_width)
                self._line = self._head = None  # made when first painted or asked for
                self._set_outline(ux, uy, half_width)
        elif self.span is not None:
            changed = True
            self.span = None
            self._line = self._head = None
            self.setPath(QPainterPath())
        if changed:
            self.hidden_in = -1
        self._tail = start
        if self.tail_mark is not None:
            self._style_tail()
        return changed

    def _set_outline(self, ux: float, uy: float, half_width: float) -> None:
        """The path Qt bounds and hits the arrow by: the shaft as its flat-capped stroke (a
        box along the line, as wide as the pen) with the head's triangle on its end, as one
        outline; and `box`, its bounds."""
        assert self.span is not None
        x0, y0, x1, y1 = self.span
        tip_x, tip_y = self.head_line[2], self.head_line[3]
        half = self._pen.widthF() / 2
        nx, ny = -uy * half, ux * half
        hx, hy = -uy * half_width, ux * half_width
        xs = (x0 + nx, x1 + nx, x1 + hx, tip_x, x1 - hx, x1 - nx, x0 - nx)
        ys = (y0 + ny, y1 + ny, y1 + hy, tip_y, y1 - hy, y1 - ny, y0 - ny)
        outline = QPainterPath()
        outline.moveTo(xs[0], ys[0])
        for x, y in zip(xs[1:], ys[1:], strict=True):
            outline.lineTo(x, y)
        outline.closeSubpath()
        self.box = (min(xs), min(ys), max(xs), max(ys))
        self.setPath(outline)

    def _shapes(self) -> tuple[QLineF, QPolygonF]:
        """The shaft and the head, as painted (null when there is no arrow)."""
        if self.span is None:
            return QLineF(), QPolygonF()
        if self._line is None or self._head is None:
            self._line, self._head = arrow_shapes(self.span, self.head_line, self._normal)
        return self._line, self._head


Span = tuple[float, float, float, float]


def arrow_between(
    start: tuple[float, float],
    start_half: tuple[float, float],
    end: tuple[float, float],
    end_half: tuple[float, float],
    scale: float,
) -> tuple[Span, Span, tuple[float, float]] | None:
    """The arrow from the edge of a box of half-size `start_half` around `start` to the edge
    of one around `end` (see `ArrowItem.set_ends`): its shaft (from the tail to the base of
    the head), the line from the middle of the head's base to its point, and its direction;
    None where the boxes touch or the arrow would be too short to see."""
    tail = _edge_point(start, end, start_half)
    head = _edge_point(end, start, end_half)
    dx, dy = head[0] - tail[0], head[1] - tail[1]
    length = math.hypot(dx, dy)
    overlap = (
        end_half != (0.0, 0.0)
        and abs(end[0] - start[0]) < start_half[0] + end_half[0]
        and abs(end[1] - start[1]) < start_half[1] + end_half[1]
    )
    if length <= 30 * scale or overlap:
        return None
    head_length = 30 * scale
    ux, uy = dx / length, dy / length
    bx, by = head[0] - head_length * ux, head[1] - head_length * uy
    return (tail[0], tail[1], bx, by), (bx, by, head[0], head[1]), (ux, uy)


def arrow_shapes(span: Span, head_line: Span, normal: tuple[float, float]) -> tuple[QLineF, QPolygonF]:
    """An arrow's shaft and head, as painted: `normal`, from the middle of the head's base to
    a corner of it."""
    x0, y0, x1, y1 = span
    bx, by, tip_x, tip_y = head_line
    nx, ny = normal
    line = QLineF(x0, y0, x1, y1)
    head = QPolygonF([QPointF(tip_x, tip_y), QPointF(bx + nx, by + ny), QPointF(bx - nx, by - ny)])
    return line, head


def draw_arrow(painter: QPainter, line: QLineF, head: QPolygonF, pen: QPen) -> None:
    """An arrow as its item paints it (and as a view sketches one whose item is not made yet)."""
    # As QGraphicsLineItem and QGraphicsPolygonItem paint (an arrow is never selected).
    painter.setPen(pen)
    painter.drawLine(line)
    painter.setPen(_NO_PEN)
    painter.setBrush(_HEAD_BRUSH)
    painter.drawPolygon(head)


def _edge_point(
    centre: tuple[float, float], towards: tuple[float, float], half: tuple[float, float]
) -> tuple[float, float]:
    """Where the line from `centre` to `towards` leaves a box of half-size `half` (plus a
    little air) around `centre`."""
    dx, dy = towards[0] - centre[0], towards[1] - centre[1]
    if (dx == 0 and dy == 0) or half == (0.0, 0.0):
        return centre
    half_w, half_h = half[0] + 6, half[1] + 6
    t = min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf, 1.0)
    return (centre[0] + dx * t, centre[1] + dy * t)
