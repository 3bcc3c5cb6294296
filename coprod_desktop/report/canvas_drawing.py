"""The power-sharing canvas as a vector drawing, made from the domain data alone.

Cards sit in a square 0..1000 on each axis, y counted downwards from the top,
as in the app. Every card appears twice when it has both layers: hollow where
it is now, filled where the group wants it to be, with an arrow between. Each
role group has its own shape as well as its own colour, so the drawing reads in
greyscale and for colour-blind readers; the number in each shape leads to the
report's table of cards. What the axes, zones and marks mean comes from
`canvas_look`, which follows `domain.canvas`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from . import rlsetup  # noqa: F401 - first: it sets reportlab up before reportlab loads

# isort: split

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import FILL_EVEN_ODD, PATH_OPS
from reportlab.rl_config import _unset_

from ..domain.i18n import _
from ..domain.matrix import relative_luminance
from ..domain.model import CanvasBackground, Card
from . import styles
from .canvas_look import SPAN, CanvasLook, MarkLook, canvas_look
from .fonts import BOLD, REGULAR, register_fonts
from .rlsetup import written
from .shaping import pieces, simple


def _string(
    x: float,
    y: float,
    text: str,
    *,
    fontName: str,  # noqa: N803 - reportlab's names, as String takes them
    fontSize: float,  # noqa: N803
    fillColor: Color | None = None,  # noqa: N803
    textAnchor: str = "start",  # noqa: N803
) -> String | Group:
    """A String of the picture; text in another script (Arabic on the axes of an Arabic
    handout) shaped, ordered and in its own fonts, as a group of runs."""
    if simple(text):
        return String(
            x, y, text, fontName=fontName, fontSize=fontSize, fillColor=fillColor, textAnchor=textAnchor
        )
    found = pieces(text, fontName, fontSize)
    total = sum(width for _font, _run, width in found)
    start = x - total if textAnchor == "end" else x - total / 2 if textAnchor == "middle" else x
    group = Group()
    for font, run, width in found:
        if run.strip():
            group.add(String(start, y, run, fontName=font, fontSize=fontSize, fillColor=fillColor))
        start += width
    return group


__all__ = ["canvas_drawing"]


# --- drawing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    left: float
    bottom: float
    side: float

    @property
    def top(self) -> float:
        return self.bottom + self.side

    def point(self, x: float, y: float) -> tuple[float, float]:
        """Canvas units (0..1000, y down) to drawing points (y up); off-canvas points sit on the edge."""
        cx = max(0.0, min(SPAN, x))
        cy = max(0.0, min(SPAN, y))
        return self.left + cx / SPAN * self.side, self.top - cy / SPAN * self.side


def canvas_drawing(
    cards: Sequence[Card],
    background: CanvasBackground,
    width: float,
    max_height: float,
    *,
    font_size: float = 8.0,
    look: CanvasLook | None = None,
) -> Drawing:
    """The canvas with both layers, `width` points wide and no taller than `max_height`.

    Cards are numbered from 1 in the order given; the report's table of cards uses
    the same numbers.
    """
    register_fonts()
    look = look or canvas_look(background)
    size = font_size
    line = size * 1.15
    marks = _legend_items(_legend_marks(cards, look))
    # A first guess of the square's side, to know how wide each axis label may be.
    guess = min(width, max_height) * 0.8
    x_lines = _label_lines(look.x_labels, guess, size)
    y_lines = _label_lines(look.y_labels, guess, size)
    x_depth = (max((len(lines) for lines in x_lines), default=0) * line) + (size * 1.5 if look.x_title else 0)
    y_depth = (max((len(lines) for lines in y_lines), default=0) * line) + (size * 1.5 if look.y_title else 0)
    axis_room = y_depth + size * 0.8
    columns = _legend_columns(marks, width - axis_room, size)
    legend_height = math.ceil(len(marks) / columns) * size * 2.0
    bottom_room = x_depth + size * 1.2 + legend_height
    side = max(min(width - axis_room - 2, max_height - bottom_room - 2), 120.0)
    drawing = _Picture(width, side + bottom_room + 2)
    # The drawing's starting font is ours: reportlab's default, a Helvetica it does not embed,
    # was otherwise named in every PDF with a canvas, though nothing is written in it.
    drawing.initialFontName = REGULAR
    frame = _Frame(axis_room, bottom_room, side)

    _background(drawing, frame, look, size)
    _axes(
        drawing,
        frame,
        look,
        size,
        _label_lines(look.x_labels, side, size),
        _label_lines(look.y_labels, side, size),
    )
    _legend(drawing, frame, width, size, marks, look, columns, top=frame.bottom - x_depth - size * 0.6)

    radius = max(5.0, min(size * 0.95, side / 40))  # big enough for its number in the body's size
    arrows, hollow, filled = Group(), Group(), Group()
    for number, card in enumerate(cards, start=1):
        mark = look.mark(card)
        now = (
            frame.point(card.now_x, card.now_y) if card.now_x is not None and card.now_y is not None else None
        )
        aim = (
            frame.point(card.aspiration_x, card.aspiration_y)
            if card.aspiration_x is not None and card.aspiration_y is not None
            else None
        )
        if now is not None and aim is not None:
            _arrow(arrows, now, aim, radius, _darker(mark.colour))
        if now is not None:
            _marker(hollow, look, mark, now, radius, filled=False, label=str(number))
        if aim is not None:
            _marker(filled, look, mark, aim, radius, filled=True, label=str(number))
    drawing.add(arrows)
    drawing.add(hollow)
    drawing.add(filled)
    drawing.layers = 3
    return drawing


class _Picture(Drawing):  # type: ignore[misc]
    """The canvas drawing, whose last `layers` groups (the cards' arrows and marks) are written
    onto the page directly.

    reportlab's renderer draws a shape by saving the page's state in Python, working out which
    of its settings differ, setting each through the canvas and restoring it again: for 5,000
    cards (some 35,000 shapes) a sixth of the report's time. The marks are lines, polygons,
    circles, rectangles and strings of plain numbers, each written here as the renderer writes
    it (the same operators and numbers, each shape in its own saved state), straight into the
    page, after the rest of the drawing; a layer holding anything else is left to the renderer."""

    layers = 0
    contents: list[Any]  # the Group's, for mypy

    def draw(self, showBoundary: Any = _unset_) -> None:  # noqa: N803 - reportlab's name
        count = self.layers
        layers = self.contents[-count:] if count else []
        quick = getattr(self.canv, "_enforceColorSpace", None) is None
        if not layers or not quick or not all(_quick(layer) for layer in layers):
            super().draw(showBoundary)
            return
        self.contents = self.contents[:-count]
        try:
            super().draw(showBoundary)  # the board, axes and key, as before
        finally:
            self.contents = self.contents + layers
        # The renderer has put the page back as it found it: its origin is the drawing's.
        canvas = self.canv
        for layer in layers:
            _write(canvas, layer.contents)


_QUICK_SHAPES = (Line, Polygon, Circle, Rect, String)


def _quick(layer: Any) -> bool:
    if not isinstance(layer, Group) or tuple(layer.transform) != (1, 0, 0, 1, 0, 0):
        return False
    for node in layer.contents:
        if type(node) not in _QUICK_SHAPES:
            return False
        if type(node) is String:
            if not simple(node.text) or node.textAnchor not in ("start", "middle"):
                return False
        elif getattr(node, "strokeDashArray", None) or node.strokeLineCap or node.strokeLineJoin:
            return False
        if getattr(node, "fillOpacity", None) is not None or getattr(node, "strokeOpacity", None) is not None:
            return False
        if type(node) is Rect and (node.rx or node.ry):
            return False
        for colour in (getattr(node, "fillColor", None), getattr(node, "strokeColor", None)):
            if colour is not None and (type(colour) is not Color or getattr(colour, "alpha", 1) != 1):
                return False  # a CMYK colour or a transparent one: the renderer's own
    return True


def _write(canvas: Any, nodes: Sequence[Any]) -> None:
    """The operators reportlab's renderer writes for `nodes`, each in its own saved state."""
    code = canvas._code
    colour = _colour_op
    for node in nodes:
        kind = type(node)
        if kind is String:
            fill = node.fillColor
            if fill is None:
                continue
            x = node.x
            if node.textAnchor == "middle":
                x -= stringWidth(node.text, node.fontName, node.fontSize) * 0.5
            # What a text object at (x, y) in the node's font writes for one line of it.
            shown = written(canvas, node.text, node.fontName, node.fontSize, node.fontSize * 1.2)
            code.append("q")
            code.append(colour(fill, "rg"))
            code.append(f"BT 1 0 0 1 {fp_str(x, node.y)} Tm {shown} T* ET")
            code.append("Q")
            continue
        fill = getattr(node, "fillColor", None)
        stroke = node.strokeColor
        code.append("q")
        if fill is not None:
            code.append(colour(fill, "rg"))
        if stroke is not None:
            code.append(colour(stroke, "RG"))
        code.append(f"{fp_str(node.strokeWidth)} w")
        code.append("0 J")
        code.append("0 j")
        code.append("[] 0 d")
        painted = PATH_OPS[stroke is not None, fill is not None, FILL_EVEN_ODD]
        if kind is Polygon:
            numbers = fp_str(node.points).split(" ")  # each written as alone, in one call
            corners = " l ".join(map(" ".join, zip(numbers[2::2], numbers[3::2], strict=True)))
            start = f"{numbers[0]} {numbers[1]}"
            code.append(f"n {start} m {corners} l h" if corners else f"n {start} m h")
            code.append(painted)
        elif kind is Line:
            if stroke is not None:
                code.append(f"n {fp_str(node.x1, node.y1)} m {fp_str(node.x2, node.y2)} l S")
        elif kind is Rect:
            code.append(f"n {fp_str(node.x, node.y, node.width, node.height)} re {painted}")
        else:  # a circle: the canvas's own curves
            canvas.circle(node.cx, node.cy, node.r, stroke=stroke is not None, fill=fill is not None)
        code.append("Q")


@lru_cache(maxsize=256)
def _colour_op(colour: Color, operator: str) -> str:
    return f"{fp_str(colour.rgb())} {operator}"


def _legend_marks(cards: Sequence[Card], look: CanvasLook) -> list[MarkLook]:
    seen: dict[tuple[str, str], MarkLook] = {}
    for card in cards:
        mark = look.mark(card)
        seen.setdefault((mark.shape, mark.name), mark)
    return list(seen.values())


def _background(drawing: Drawing, frame: _Frame, look: CanvasLook, size: float) -> None:
    grid = HexColor(styles.GRID_LINE)
    muted = HexColor(styles.MUTED_INK)
    scale = frame.side / SPAN
    drawing.add(
        Rect(
            frame.left, frame.bottom, frame.side, frame.side, fillColor=white, strokeColor=grid, strokeWidth=1
        )
    )
    label_size = max(5.0, size * 0.9)
    for index, zone in enumerate(look.zones):
        x = frame.left + zone.left * scale
        y = frame.top - zone.bottom * scale
        w = (zone.right - zone.left) * scale
        h = (zone.bottom - zone.top) * scale
        tinted = zone.co_production or (look.ladder_bands and index % 2 == 0)
        drawing.add(
            Rect(
                x,
                y,
                w,
                h,
                fillColor=HexColor(styles.PAPER_TINT) if tinted else None,
                strokeColor=grid,
                strokeWidth=0.8,
            )
        )
        if zone.label:
            font = BOLD if zone.co_production else REGULAR
            if look.ladder_bands:
                drawing.add(
                    _string(
                        x + 4,
                        y + h / 2 - label_size / 3,
                        zone.label,
                        fontName=font,
                        fontSize=label_size,
                        fillColor=muted,
                    )
                )
            else:
                lines = _wrap(zone.label, font, label_size, w - 8)
                for line_index, line in enumerate(lines):
                    drawing.add(
                        _string(
                            x + 4,
                            y + h - label_size - 3 - line_index * label_size * 1.2,
                            line,
                            fontName=font,
                            fontSize=label_size,
                            fillColor=muted,
                        )
                    )


def _label_lines(labels: Sequence[str], side: float, size: float) -> list[list[str]]:
    """Each axis label wrapped to the part of the axis it names."""
    room = side / max(len(labels), 1) - 4
    return [_wrap(text, REGULAR, size, room) for text in labels]


def _axes(
    drawing: Drawing,
    frame: _Frame,
    look: CanvasLook,
    size: float,
    x_lines: list[list[str]],
    y_lines: list[list[str]],
) -> None:
    ink = HexColor(styles.INK)
    line = size * 1.15
    below = frame.bottom - size * 1.2
    for index, lines in enumerate(x_lines):
        anchor, x = _spot(index, len(x_lines), frame.left, frame.side)
        for number, text in enumerate(lines):
            drawing.add(
                _string(
                    x,
                    below - number * line,
                    text,
                    fontName=REGULAR,
                    fontSize=size,
                    fillColor=ink,
                    textAnchor=anchor,
                )
            )
    deepest = max((len(lines) for lines in x_lines), default=0)
    if look.x_title:
        drawing.add(
            _string(
                frame.left + frame.side / 2,
                below - deepest * line - size * 0.4,
                look.x_title,
                fontName=BOLD,
                fontSize=size,
                fillColor=ink,
                textAnchor="middle",
            )
        )
    # The y axis: text turned a quarter left, so it reads from the bottom up; further
    # lines of a label and then the title stand further out from the square.
    turned = Group()
    turned.transform = (0, 1, -1, 0, frame.left - size * 0.5, frame.bottom)
    along = list(reversed(y_lines))  # bottom first, along the turned axis
    for index, lines in enumerate(along):
        anchor, u = _spot(index, len(along), 0.0, frame.side)
        for number, text in enumerate(reversed(lines)):
            turned.add(
                _string(
                    u, number * line, text, fontName=REGULAR, fontSize=size, fillColor=ink, textAnchor=anchor
                )
            )
    widest = max((len(lines) for lines in y_lines), default=0)
    if look.y_title:
        turned.add(
            _string(
                frame.side / 2,
                widest * line + size * 0.4,
                look.y_title,
                fontName=BOLD,
                fontSize=size,
                fillColor=ink,
                textAnchor="middle",
            )
        )
    drawing.add(turned)


def _spot(index: int, count: int, start: float, length: float) -> tuple[str, float]:
    """Where the index-th of `count` labels goes along an axis: ends flush, others centred in their part."""
    if count == 3:
        return (("start", start), ("middle", start + length / 2), ("end", start + length))[index]
    return "middle", start + length * (index + 0.5) / count


def _legend_items(marks: list[MarkLook]) -> list[tuple[MarkLook, bool, str]]:
    grey = MarkLook(styles.MUTED_INK, "circle", "", "#FFFFFF")
    items: list[tuple[MarkLook, bool, str]] = [(m, True, m.name) for m in marks]
    items.append((grey, False, _("Hollow: where it is now")))
    items.append((grey, True, _("Filled: where we want it")))
    return items


def _legend_columns(items: list[tuple[MarkLook, bool, str]], width: float, size: float) -> int:
    """As many columns as let every label fit whole."""
    widest = max(stringWidth(text, REGULAR, size) for _mark, _filled, text in items) + size * 2.5
    return max(1, min(3, int(width // widest)))


def _legend(
    drawing: Drawing,
    frame: _Frame,
    width: float,
    size: float,
    items: list[tuple[MarkLook, bool, str]],
    look: CanvasLook,
    columns: int,
    top: float,
) -> None:
    ink = HexColor(styles.INK)
    radius = size * 0.6
    row_height = size * 2.0
    column_width = (width - frame.left) / columns
    for index, (mark, filled, text) in enumerate(items):
        column, row = index % columns, index // columns
        x = frame.left + column * column_width + radius
        y = top - size * 0.8 - row * row_height
        _marker(drawing, look, mark, (x, y), radius, filled=filled, label="")
        line = _fit(text, REGULAR, size, column_width - radius * 3.5)
        drawing.add(
            _string(x + radius * 2, y - size / 3, line, fontName=REGULAR, fontSize=size, fillColor=ink)
        )


def _marker(
    group: Group | Drawing,
    look: CanvasLook,
    mark: MarkLook,
    centre: tuple[float, float],
    radius: float,
    *,
    filled: bool,
    label: str,
) -> None:
    x, y = centre
    colour = _colour(mark.colour)
    # A hollow mark is drawn in a darker shade of its colour: pale yellow on white would vanish.
    edge = _darker(mark.colour) if not filled else HexColor(styles.INK)
    fill = colour if filled else white
    stroke_width = 0.6 if filled else 1.6
    points = look.corners(mark.shape, 0.0, 0.0, radius)
    if points:
        flat: list[float] = []
        for px, py in points:
            flat.extend((x + px, y - py))  # the domain's corners are y-down
        group.add(Polygon(flat, fillColor=fill, strokeColor=edge, strokeWidth=stroke_width))
    else:
        group.add(Circle(x, y, radius, fillColor=fill, strokeColor=edge, strokeWidth=stroke_width))
    if not label:
        return
    text_size = radius * (1.05 if len(label) < 3 else 0.8)
    if mark.shape in _NARROW_SHAPES:
        # Too little room inside a star or a cross: the number sits beside it, on a white patch.
        width = stringWidth(label, BOLD, text_size)
        left = x + radius * 1.05
        group.add(
            Rect(
                left - 1, y - text_size * 0.45, width + 2, text_size * 1.05, fillColor=white, strokeColor=None
            )
        )
        group.add(
            _string(
                left,
                y - text_size * 0.36,
                label,
                fontName=BOLD,
                fontSize=text_size,
                fillColor=_darker(mark.colour),
            )
        )
        return
    text_colour = _colour(mark.ink) if filled else edge
    group.add(
        _string(
            x,
            y - text_size * 0.36,
            label,
            fontName=BOLD,
            fontSize=text_size,
            fillColor=text_colour,
            textAnchor="middle",
        )
    )


_NARROW_SHAPES = frozenset({"star", "cross"})


@lru_cache(maxsize=256)
def _colour(colour: str) -> Color:
    """reportlab's colour for "#rrggbb", made once per colour (a canvas has few, and thousands of marks)."""
    return HexColor(colour)


@lru_cache(maxsize=256)
def _darker(colour: str) -> Color:
    """A shade of `colour` dark enough to read as a line or a number on white paper."""
    shade = colour
    for _attempt in range(8):
        if relative_luminance(shade) <= 0.18:
            break
        shade = styles.mix(shade, "#000000", 0.2)
    return _colour(shade)


def _arrow(
    group: Group, start: tuple[float, float], end: tuple[float, float], radius: float, colour: Color
) -> None:
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1)
    gap = radius * 1.4
    if length <= gap * 2 + 2:
        return  # the two marks touch: no room for an arrow, and none needed
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    sx, sy = x1 + ux * gap, y1 + uy * gap
    ex, ey = x2 - ux * gap, y2 - uy * gap
    head = radius * 0.9
    group.add(Line(sx, sy, ex - ux * head * 0.6, ey - uy * head * 0.6, strokeColor=colour, strokeWidth=0.9))
    left = (ex - ux * head - uy * head * 0.5, ey - uy * head + ux * head * 0.5)
    right = (ex - ux * head + uy * head * 0.5, ey - uy * head - ux * head * 0.5)
    group.add(Polygon([ex, ey, *left, *right], fillColor=colour, strokeColor=colour, strokeWidth=0.5))


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap for labels drawn in the picture."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return [_fit(line, font, size, width) for line in lines]


def _fit(text: str, font: str, size: float, width: float) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"
