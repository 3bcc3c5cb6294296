"""The canvas as the room sees it: the board fills the projector, its words at the room's sizes.

The laptop's scene draws its grid, its words and its key in canvas units, sized for the
laptop. On the projector that picture, fitted whole, used about a third of the screen and
its words were 13 to 16 px. So the room's view draws its own board (`RoomBoard`): the grid
as tall as the screen allows, the axis words at the room's type sizes around it, and the key
moved out of the picture into a column of real labels beside it (`RoomKeyWidget`).

Cards keep the laptop's positions on the grid (the same place in the same cell, in
proportion), and are drawn larger only as far as that covers nothing new: `room_card_scale`
finds the largest size, up to what the back row needs, at which no card covers another it
did not cover on the laptop. The zone's name ("Full co-production") is written where no card
sits; when cards fill the zone, the key's swatch names it.

Colours: the board itself stays a light panel in both themes (its cards and arrows are drawn
for a light ground, at 7:1 or better); what sits on the page around it (the axis words, the
key, the caption) takes the room's theme. Every text drawn is listed by `drawn_texts` with
its line height and colours, so the projector-fit test checks them as drawn.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QVBoxLayout, QWidget

from ....domain import canvas as plan
from ....domain.canvas import SIZE
from ....domain.i18n import _
from ....domain.ladder import LADDER
from ....domain.model import CanvasBackground, RoleGroup
from ...presenter.roomstyle import LIGHT, MIN_LINE_PX, RoomTheme, px_at
from . import style

# The board's own colours (light in both themes, see the module's note).
BOARD = "#ffffff"
BOARD_INK = "#111111"
BOARD_RAIL = "#5b6673"
BAND_SHADE = "#f1f3f5"
ZONE_FILL = "#e8f1ea"
ZONE_HATCH = "#b9d7c1"
ZONE_FRAME = "#006e3c"
ZONE_INK = "#00512c"

# (text, line height in px, ink, background): what the projector-fit test reads.
Drawn = list[tuple[str, float, str, str]]


def _said(text: str) -> str:
    """A word of the domain's (marked there, in English) in the app's language; "" stays ""."""
    return _(text) if text else ""


def room_font(role: str, factor: float, *, bold: bool = True) -> QFont:
    font = QFont(QApplication.font())
    font.setPixelSize(px_at(role, factor))
    font.setBold(bold)
    return font


def line_px(font: QFont) -> float:
    return QFontMetricsF(font).lineSpacing()


def wrapped_lines(text: str, font: QFont, width: float) -> list[str]:
    """`text` broken at spaces into lines no wider than `width` (a long word keeps its line)."""
    metrics = QFontMetricsF(font)
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and metrics.horizontalAdvance(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


@dataclass
class RoomBoard:
    """Where the board goes in a view of `width`×`height` px at type factor `factor`.

    Lengths ending in _px are viewport pixels; `scale` is pixels per canvas unit."""

    width: int
    height: int
    factor: float
    background: CanvasBackground
    scale: float = 1.0
    left_px: float = 0.0  # the row words' gutter
    top_px: float = 0.0  # the column words above the grid
    texts: Drawn = field(default_factory=list)
    zone_box: QRectF | None = None  # where the zone's name was written (scene units), if it was

    def __post_init__(self) -> None:
        f = self.factor
        self.axis_font = room_font("cell", f)
        self.title_font = room_font("cell", f)
        self.zone_font = room_font("cell", f)
        self.small_font = room_font("small", f, bold=False)
        line = line_px(self.axis_font)
        margin = 12 * f
        labels = plan.axes(self.background)
        self.left_px = 340 * f if labels is not None else margin
        top_lines = 0
        if labels is not None and labels.x_labels:
            # Guess the grid's size to see how many lines the column words need at that width.
            guess = min(self.height - 4 * line, self.width - self.left_px) / 3 * 1.25
            top_lines = 1 + max(len(wrapped_lines(_said(t), self.axis_font, guess)) for t in labels.x_labels)
        elif labels is not None:
            top_lines = 1  # the ladder's title
        self.top_px = top_lines * line + (margin if top_lines else margin)
        side = min(self.height - self.top_px - margin, self.width - self.left_px - margin)
        self.scale = max(side, 10.0) / SIZE

    def scene_rect(self) -> QRectF:
        """The part of the scene the view shows: the grid at (left_px, top_px)."""
        s = self.scale
        return QRectF(-self.left_px / s, -self.top_px / s, self.width / s, self.height / s)


def _units(font: QFont, scale: float) -> QFont:
    """`font` (sized in px) sized in canvas units for a painter that scales by `scale`."""
    sized = QFont(font)
    sized.setPixelSize(max(1, round(font.pixelSize() / scale)))
    return sized


def draw_board(
    painter: QPainter,
    board: RoomBoard,
    room: RoomTheme,
    card_rects: list[QRectF],
    view_scale: float,
) -> Drawn:
    """Draw the board in scene units (the painter maps them with `view_scale` px per unit).
    Returns what it wrote, for the fit test."""
    drawn: Drawn = []
    s = view_scale
    background = board.background
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.fillRect(QRectF(0, 0, SIZE, SIZE), QColor(BOARD))

    def text(rect: QRectF, flags: Qt.AlignmentFlag, words: str, font: QFont, ink: str, back: str) -> None:
        sized = _units(font, s)
        painter.setFont(sized)
        painter.setPen(QColor(ink))
        painter.drawText(rect, int(flags) | int(Qt.TextFlag.TextWordWrap), words)
        drawn.append((words, line_px(font), ink, back))

    labels = plan.axes(background)
    target = plan.co_production_zone(background)
    gap = 16 * board.factor / s  # px to units
    line_units = line_px(board.axis_font) / s
    if background in (CanvasBackground.PLAN_DELIVER, CanvasBackground.POWER_RESPONSIBILITY):
        assert labels is not None
        assert target is not None
        cell = QRectF(target.left, target.top, target.right - target.left, target.bottom - target.top)
        painter.fillRect(cell, QColor(ZONE_FILL))
        painter.fillRect(cell, QBrush(QColor(ZONE_HATCH), Qt.BrushStyle.BDiagPattern))
        painter.setPen(QPen(QColor(BOARD_RAIL), 2 / s))
        third = SIZE / 3
        for n in (1, 2):
            painter.drawLine(QPointF(n * third, 0), QPointF(n * third, SIZE))
            painter.drawLine(QPointF(0, n * third), QPointF(SIZE, n * third))
        painter.setPen(QPen(QColor(ZONE_FRAME), 6 / s))
        painter.drawRect(cell.adjusted(3 / s, 3 / s, -3 / s, -3 / s))
        top = -board.top_px / s
        text(
            QRectF(0, top, SIZE, line_units),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            _said(labels.x_title) + "\u00a0\u00a0→",
            board.title_font,
            room.accent_ink,
            room.ground,
        )
        for n, words in enumerate(_said(label) for label in labels.x_labels):
            centre = (n + 0.5) * third
            width = third * 1.25
            text(
                QRectF(centre - width / 2, top + line_units, width, -top - line_units - gap / 2),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                words,
                board.axis_font,
                room.ink,
                room.ground,
            )
        left = -board.left_px / s
        text(
            QRectF(left, top + line_units, -left - gap, -top - line_units - gap / 2),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
            _said(labels.y_title) + "\u00a0\u00a0↓",
            board.title_font,
            room.accent_ink,
            room.ground,
        )
        for n, words in enumerate(_said(label) for label in labels.y_labels):
            text(
                QRectF(left, n * third, -left - gap, third),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                words,
                board.axis_font,
                room.ink,
                room.ground,
            )
        _zone_label(
            painter, board, cell, _("★ {zone}").format(zone=_said(target.label)), card_rects, s, drawn
        )
    elif background is CanvasBackground.LADDER:
        left = -board.left_px / s
        for zone, rung in zip(plan.zones(background), LADDER, strict=True):
            band = QRectF(0, zone.top, SIZE, zone.bottom - zone.top)
            painter.fillRect(band, QColor(BAND_SHADE if LADDER.index(rung) % 2 else BOARD))
            if zone == target:
                painter.fillRect(band, QColor(ZONE_FILL))
                painter.fillRect(band, QBrush(QColor(ZONE_HATCH), Qt.BrushStyle.BDiagPattern))
            painter.setPen(QPen(QColor(BOARD_RAIL), 2 / s))
            painter.drawLine(band.bottomLeft(), band.bottomRight())
            name = _("★ {zone}").format(zone=_said(rung.name)) if zone == target else _said(rung.name)
            text(
                QRectF(left, band.top(), -left - gap, band.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
                board.axis_font,
                room.ink,
                room.ground,
            )
            # The rung's summary where no card sits (the room's ladder step shows them all).
            _free_text(painter, band, _said(rung.summary), board.small_font, card_rects, s, drawn, BOARD_INK)
        if target is not None:
            painter.setPen(QPen(QColor(ZONE_FRAME), 6 / s))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(
                QRectF(3 / s, target.top + 3 / s, SIZE - 6 / s, target.bottom - target.top - 6 / s)
            )
        top = -board.top_px / s
        text(
            QRectF(0, top, SIZE, line_units),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            _("The ladder of co-production  ↑"),
            board.title_font,
            room.accent_ink,
            room.ground,
        )
    painter.setPen(QPen(QColor(BOARD_INK), 3 / s))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(QRectF(0, 0, SIZE, SIZE))
    return drawn


def _zone_label(
    painter: QPainter,
    board: RoomBoard,
    cell: QRectF,
    words: str,
    card_rects: list[QRectF],
    s: float,
    drawn: Drawn,
) -> None:
    font = _units(board.zone_font, s)
    metrics = QFontMetricsF(font)
    pad = 10 / s
    width = cell.width() - 2 * pad
    lines = wrapped_lines(words, font, width)
    height = metrics.lineSpacing() * len(lines)
    # Bottom of the zone first (where the laptop writes it), then its top, then its middle.
    for top in (cell.bottom() - pad - height, cell.top() + pad, cell.center().y() - height / 2):
        box = QRectF(cell.left() + pad, top, width, height)
        if any(box.intersects(r) for r in card_rects):
            continue
        painter.setFont(font)
        painter.setPen(QColor(ZONE_INK))
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), "\n".join(lines))
        drawn.append((words, line_px(board.zone_font), ZONE_INK, ZONE_FILL))
        board.zone_box = box
        return
    board.zone_box = None  # every spot taken: the key's swatch names the zone


def _free_text(
    painter: QPainter,
    band: QRectF,
    words: str,
    font_px: QFont,
    card_rects: list[QRectF],
    s: float,
    drawn: Drawn,
    ink: str,
) -> None:
    font = _units(font_px, s)
    metrics = QFontMetricsF(font)
    pad = 12 / s
    width = metrics.horizontalAdvance(words)
    if width > band.width() - 2 * pad:
        return
    box = QRectF(
        band.right() - pad - width,
        band.bottom() - pad / 2 - metrics.lineSpacing(),
        width,
        metrics.lineSpacing(),
    )
    if any(box.intersects(r) for r in card_rects):
        return
    painter.setFont(font)
    painter.setPen(QColor(ink))
    painter.drawText(box, int(Qt.AlignmentFlag.AlignRight), words)
    drawn.append((words, line_px(font_px), ink, BAND_SHADE))


# --- the size of the room's cards ----------------------------------------------------


def _touching(rects: list[QRectF]) -> Iterator[tuple[int, int]]:
    """Each pair of `rects` that intersect, smaller index first (a sweep along x: a big canvas
    stays quick)."""
    order = sorted(range(len(rects)), key=lambda i: rects[i].left())
    for position, i in enumerate(order):
        rect = rects[i]
        right = rect.right()
        for j in order[position + 1 :]:
            other = rects[j]
            if other.left() >= right:
                break
            if rect.intersects(other):
                yield (min(i, j), max(i, j))


def _overlaps(rects: list[QRectF]) -> set[tuple[int, int]]:
    """The pairs of `rects` that intersect."""
    return set(_touching(rects))


def card_rects(cards: list[tuple[str, QPointF]], scale: float) -> list[QRectF]:
    return [style.card_shape(text, scale).body.translated(at) for text, at in cards]


def _new_covers(rects: list[QRectF], laptop: list[QRectF], most: int) -> list[tuple[int, int]]:
    """Up to `most` pairs of `rects` that intersect whose cards do not at the laptop's size
    (`laptop`, the same cards' boxes there), the sweep stopping once it has them. The laptop's
    boxes are asked about the pairs found only: a dense canvas has tens of thousands of pairs
    that touch there."""
    new = ((i, j) for i, j in _touching(rects) if not laptop[i].intersects(laptop[j]))
    return list(itertools.islice(new, most))


WITNESSES = 24  # pairs a look at every card keeps, to try the sizes below it on first
LARGEST_CARD_SCALE = plan.SIZE / style.CARD_MIN_WIDTH  # a card of the least width as wide as the canvas


@dataclass
class _Sizes:
    """What `room_card_scale` found for one layout of the cards: each size tried (by its number
    on the grid) and whether it fits, and the pairs found covering anew on the way."""

    cards: tuple[tuple[str, float, float], ...]
    step: float
    fits: dict[int, bool] = field(default_factory=dict)
    covering: list[tuple[int, int]] = field(default_factory=list)
    laptop: list[QRectF] = field(default_factory=list)


# What `room_card_scale` found for the last layout it was asked about: the room lays its canvas
# out again after every change to the session (a vote, a note), most of which move no card,
# and a size found to fit or not holds for any size of view and type.
_LAST_SIZES: list[_Sizes] = []


def room_card_scale(cards: list[tuple[str, QPointF]], wanted: float, *, step: float = 0.02) -> float:
    """The largest card scale up to `wanted` (and never below 1, the laptop's size) at which no
    card covers another that it does not cover at the laptop's size, on a grid of `step`s (the
    cards' shapes at those sizes are cached), tried from the top down.

    A size is first tried on the pairs of cards found covering each other anew at the sizes
    above it, nearest first (two cards' shapes each), then on pairs whose laptop boxes grown in
    proportion would cover: on a dense canvas one of them nearly always covers at the cards'
    real shapes too, and the size is out without the whole canvas worked out at it. Only
    where none does is every card's box worked out and looked at, and that look ends once it
    has found a few new coverings (`WITNESSES`), which join the pairs. (At first each size was
    looked at in full: a hundred sizes of a dense canvas of a few hundred cards took seconds,
    after every change to the session.)

    Whether a size fits depends on the cards alone, not on what is wanted: each answer is kept
    while no card moves, so a room whose view or type changed only tries the sizes not tried
    yet, and one asked for less than before usually tries none."""
    if not cards:
        return max(wanted, 1.0)
    if wanted <= 1.0:
        return 1.0
    # Past this a card is wider than the whole canvas, covering everything: a tiny view (the
    # room's window before it has its size) would otherwise ask for scales of 70 and more.
    wanted = min(wanted, LARGEST_CARD_SCALE)
    layout = tuple((text, at.x(), at.y()) for text, at in cards)
    if _LAST_SIZES and _LAST_SIZES[0].cards == layout and _LAST_SIZES[0].step == step:
        sizes = _LAST_SIZES[0]
    else:
        sizes = _Sizes(layout, step, laptop=card_rects(cards, 1.0))
        _LAST_SIZES[:] = [sizes]
    steps = math.ceil((wanted - 1.0) / step - 1e-9)  # the first size on the grid that is enough
    for n in range(steps, 0, -1):
        scale = round(1.0 + n * step, 3)
        fits = sizes.fits.get(n)
        if fits is None:
            fits = sizes.fits[n] = _fits(cards, scale, sizes)
        if fits:
            return scale
    return 1.0


def _fits(cards: list[tuple[str, QPointF]], scale: float, sizes: _Sizes) -> bool:
    """Whether no card covers another at `scale` that it does not at the laptop's size
    (see `room_card_scale`); the pairs found covering join `sizes.covering`."""
    covering, laptop = sizes.covering, sizes.laptop
    if any(_covers_at(cards, pair, scale) for pair in reversed(covering)):
        return False
    # Pairs proposed by the laptop's boxes grown in proportion (no words wrapped), kept
    # where the cards' real shapes at this size cover too: on a dense canvas one does.
    grown = [_grown(rect, scale) for rect in laptop]
    proposed = _new_covers(grown, laptop, WITNESSES)
    pairs = [pair for pair in proposed if _covers_at(cards, pair, scale)]
    if not pairs:
        pairs = _new_covers(card_rects(cards, scale), laptop, WITNESSES)
    covering += pairs
    return not pairs


def _grown(rect: QRectF, scale: float) -> QRectF:
    """`rect` made `scale` times as large about its centre."""
    width, height = rect.width() * scale, rect.height() * scale
    centre = rect.center()
    return QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)


def _covers_at(cards: list[tuple[str, QPointF]], pair: tuple[int, int], scale: float) -> bool:
    """Whether the two cards of `pair` intersect at `scale`."""
    (text, at), (other_text, other_at) = cards[pair[0]], cards[pair[1]]
    return (
        style.card_shape(text, scale)
        .body.translated(at)
        .intersects(style.card_shape(other_text, scale).body.translated(other_at))
    )


def wanted_card_scale(view_scale: float, factor: float) -> float:
    """The card scale at which card words reach the room's line height at type factor `factor`
    (the projector's height over 1080, times the facilitator's scale), seen at `view_scale` px
    per canvas unit."""
    floor = MIN_LINE_PX * factor
    base = style.line_height(style.CARD_FONT_PX) * view_scale  # px of a line at scale 1
    return max(1.0, floor / max(base, 0.01) + 0.01)


def side_sheet(factor: float, room: RoomTheme) -> str:
    """The sheet of the column beside the board. Its own (it wins over the window's), so that
    its type follows the board's factor, which large type enlarges less than the rest."""

    def size(role: str) -> str:
        return f"{px_at(role, factor)}px"

    t = room
    return f"""
    #stepTitle {{ font-size: {size("title")}; font-weight: 700; color: {t.accent_ink}; }}
    #hint {{ font-size: {size("small")}; color: {t.muted_ink}; }}
    #stepLead {{ font-size: {size("body")}; color: {t.ink}; }}
    #canvasCaption {{ font-size: {size("cell")}; font-weight: 600; color: {t.accent_ink}; }}
    #roomHeading {{ font-size: {size("cell")}; font-weight: 700; color: {t.accent_ink}; }}
    #roomKey {{ font-size: {size("cell")}; color: {t.ink}; }}
    """


# --- the key, beside the board ---------------------------------------------------------


def _swatch(draw: str, size: int, colour: str = "", ink: str = "#111111") -> QPixmap:
    """A small picture for a key row: a role's mark, a layer's card edge or the zone's hatch."""
    ratio = 2.0
    picture = QPixmap(QSize(round(size * ratio * 1.4), round(size * ratio)))
    picture.setDevicePixelRatio(ratio)
    picture.fill(Qt.GlobalColor.transparent)
    painter = QPainter(picture)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    r = size * 0.42
    centre = QPointF(size * 0.7, size / 2)
    if draw.startswith("mark:"):
        shape = plan.Shape(draw.split(":", 1)[1])
        painter.setPen(QPen(QColor("#111111"), max(1.5, size / 14)))
        painter.setBrush(QColor(colour))
        painter.drawPath(style.mark_path(shape, centre, r))
    elif draw in ("now", "aspiration"):
        pen = QPen(QColor(ink), max(2.0, size / 12))
        if draw == "aspiration":
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QColor("#d6d6d6" if draw == "now" else "#ebebeb"))
        painter.drawRoundedRect(QRectF(size * 0.1, size * 0.18, size * 1.2, size * 0.64), size / 8, size / 8)
    elif draw == "move":
        painter.setPen(QPen(QColor(ink), max(2.5, size / 9)))
        painter.drawLine(QPointF(size * 0.1, size / 2), QPointF(size * 0.95, size / 2))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(ink))
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(size * 1.3, size / 2),
                    QPointF(size * 0.9, size * 0.28),
                    QPointF(size * 0.9, size * 0.72),
                ]
            )
        )
    elif draw == "zone":
        box = QRectF(size * 0.1, size * 0.12, size * 1.2, size * 0.76)
        painter.fillRect(box, QColor(ZONE_FILL))
        painter.fillRect(box, QBrush(QColor(ZONE_HATCH), Qt.BrushStyle.BDiagPattern))
        painter.setPen(QPen(QColor(ZONE_FRAME), max(2.5, size / 10)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(box)
    painter.end()
    return picture


class RoomKeyWidget(QWidget):
    """The canvas's key for the room: every mark, the two layers, the move and the zone, each
    with its words in a label the room's style sheet sizes and colours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvasKey")
        self.setAccessibleName(_("Key"))
        self.room = LIGHT
        self.factor = 1.0
        self.background = CanvasBackground.PLAN_DELIVER
        self.rows: list[tuple[QLabel, QLabel, str, str]] = []
        layout = self.column = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.heading = QLabel(_("Key"))
        self.heading.setObjectName("roomHeading")
        layout.addWidget(self.heading)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(2)
        layout.addLayout(self.grid)
        self.columns = 1
        entries: list[tuple[str, str, str]] = [
            (
                _said(plan.ROLE_MARKS[r].name),
                f"mark:{plan.ROLE_MARKS[r].shape.value}",
                plan.ROLE_MARKS[r].colour,
            )
            for r in RoleGroup
        ]
        entries.append(
            (
                _said(plan.DECISION_MARK.name),
                f"mark:{plan.DECISION_MARK.shape.value}",
                plan.DECISION_MARK.colour,
            )
        )
        entries += [
            (_("Now"), "now", ""),
            (_("Aspiration"), "aspiration", ""),
            (_("The move we want"), "move", ""),
        ]
        entries.append(("", "zone", ""))
        for words, draw, colour in entries:
            swatch = QLabel()
            swatch.setObjectName("keySwatch")
            label = QLabel(words)
            label.setObjectName("roomKey")  # one line each: the column is made wide enough
            self.rows.append((swatch, label, draw, colour))
        self.set_columns(1)
        self.zone_row = self.rows[-1]
        self.set_background(self.background)

    def set_background(self, background: CanvasBackground) -> None:
        self.background = background
        target = plan.co_production_zone(background)
        swatch, label, _draw, _colour = self.zone_row
        label.setText(_("★ {zone}").format(zone=_said(target.label)) if target is not None else "")
        swatch.setVisible(target is not None)
        label.setVisible(target is not None)

    def set_columns(self, columns: int) -> None:
        """The key in one column, or two when one would not fit the screen's height."""
        self.columns = columns
        for swatch, label, _draw, _colour in self.rows:
            self.grid.removeWidget(swatch)
            self.grid.removeWidget(label)
        per_column = -(-len(self.rows) // columns)
        for index, (swatch, label, _draw, _colour) in enumerate(self.rows):
            row, column = index % per_column, index // per_column
            self.grid.addWidget(swatch, row, 2 * column, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(label, row, 2 * column + 1)
            self.grid.setColumnStretch(2 * column + 1, 1)

    def needs(self, columns: int) -> QSize:
        """The key's size in `columns` columns (its words are never wrapped)."""
        per_column = -(-len(self.rows) // columns)
        widths = [0] * columns
        heights = [0] * per_column
        for index, (swatch, label, _draw, _colour) in enumerate(self.rows):
            if label.isHidden():
                continue
            hint = label.sizeHint()
            column, row = index // per_column, index % per_column
            swatch_width = (
                swatch.pixmap().deviceIndependentSize().width() if not swatch.pixmap().isNull() else 0
            )
            widths[column] = max(widths[column], round(swatch_width) + 10 + hint.width())
            heights[row] = max(heights[row], hint.height(), swatch.sizeHint().height())
        spacing = self.grid.verticalSpacing()
        width = sum(widths) + 10 * (columns - 1)
        height = (
            self.heading.sizeHint().height() + self.column.spacing() + sum(heights) + spacing * per_column
        )
        return QSize(width, height)

    def set_look(self, factor: float, room: RoomTheme) -> None:
        self.factor, self.room = factor, room
        size = round(line_px(room_font("cell", factor, bold=False)))
        for swatch, _label, draw, colour in self.rows:
            swatch.setPixmap(_swatch(draw, size, colour, room.ink))
