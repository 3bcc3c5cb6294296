"""How the canvas looks: fonts, pens, the role marks as paths, and the size of a card.

Every length is in canvas units (the domain's 0..1000 square), so the view's zoom
scales text and lines together, and a PNG, an SVG and the projector all show the
same picture. The audience view multiplies card text by `AUDIENCE_SCALE`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QApplication

from ....domain.canvas import Mark, Shape, shape_points

AUDIENCE_SCALE = 1.3

# Card text and its box, in canvas units at scale 1.
CARD_FONT_PX = 24
CARD_TEXT_WIDTH = 210.0  # text wraps at this width
CARD_MAX_LINES = 3
CARD_PAD = 12.0
MARK_RADIUS = 14.0
MARK_GAP = 10.0
CARD_MIN_WIDTH = 150.0

INK = QColor("#1a1a1a")
NAVY = QColor("#1d3557")
PAPER = QColor("#fbfaf7")
SELECTION = QColor("#1d3557")
GHOST_OPACITY = 0.3
DIM_OPACITY = 0.18
PLACEHOLDER_OPACITY = 0.6


def font(px: int, *, bold: bool = False, italic: bool = False) -> QFont:
    """The app's font at a pixel size in canvas units."""
    chosen = QFont(QApplication.font())
    chosen.setPixelSize(max(1, int(round(px))))
    chosen.setBold(bold)
    chosen.setItalic(italic)
    return chosen


def tint(colour: str, amount: float) -> QColor:
    """`colour` mixed with white: 0 keeps it, 1 is white."""
    base = QColor(colour)
    return QColor(
        round(base.red() + (255 - base.red()) * amount),
        round(base.green() + (255 - base.green()) * amount),
        round(base.blue() + (255 - base.blue()) * amount),
    )


def mark_path(shape: Shape, centre: QPointF, radius: float) -> QPainterPath:
    path = QPainterPath()
    points = shape_points(shape, centre.x(), centre.y(), radius)
    if not points:
        path.addEllipse(centre, radius, radius)
        return path
    path.addPolygon(QPolygonF([QPointF(x, y) for x, y in points]))
    path.closeSubpath()
    return path


def mark_pen(mark: Mark) -> QPen:
    pen = QPen(INK, 2.5)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return pen


@lru_cache(maxsize=64)
def line_height(px: int) -> float:
    """The distance between lines of card text at a pixel size."""
    return QFontMetricsF(font(px, bold=True)).lineSpacing()


@dataclass(frozen=True)
class CardShape:
    """A card's outline and where its mark and text go, centred on (0, 0)."""

    body: QRectF
    text_rect: QRectF
    mark_centre: QPointF
    mark_radius: float
    text: str  # wrapped into lines
    font_px: int


@lru_cache(maxsize=8192)
def card_shape(text: str, scale: float = 1.0) -> CardShape:
    """The wrapped text and the box of a card; cached, since 1,000 cards share few sizes."""
    px = int(round(CARD_FONT_PX * scale))
    font_metrics = metrics(px)
    limit = CARD_TEXT_WIDTH * scale
    lines = wrap(" ".join(text.split()) or "…", font_metrics, limit, CARD_MAX_LINES)
    width = max((font_metrics.horizontalAdvance(line) for line in lines), default=0.0)
    spacing = line_height(px)
    pad = CARD_PAD * scale
    radius = MARK_RADIUS * scale
    gap = MARK_GAP * scale
    inner_w = max(width, CARD_MIN_WIDTH * scale - 2 * pad - 2 * radius - gap)
    inner_h = max(spacing * len(lines), 2 * radius)
    total_w = pad + 2 * radius + gap + inner_w + pad
    total_h = pad + inner_h + pad
    body = QRectF(-total_w / 2, -total_h / 2, total_w, total_h)
    mark_centre = QPointF(body.left() + pad + radius, 0.0)
    text_rect = QRectF(body.left() + pad + 2 * radius + gap, -inner_h / 2, inner_w + 1.0, inner_h)
    return CardShape(body, text_rect, mark_centre, radius, "\n".join(lines), px)


@lru_cache(maxsize=64)
def metrics(px: int) -> QFontMetricsF:
    """The metrics of card words at a pixel size."""
    return QFontMetricsF(font(px, bold=True))


def wrap(text: str, metrics: QFontMetricsF, limit: float, max_lines: int) -> list[str]:
    """Words into at most `max_lines` lines no wider than `limit`; the last one elided if need be."""
    lines: list[str] = []
    current = ""
    words = text.split(" ")
    for index, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if metrics.horizontalAdvance(candidate) <= limit or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines - 1:
            current = " ".join(words[index:])
            break
    lines.append(current)
    elide = Qt.TextElideMode.ElideRight
    return [metrics.elidedText(line, elide, limit) for line in lines[:max_lines]]
