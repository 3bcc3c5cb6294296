"""Horizontal bars with their numbers written beside them, drawn as vectors.

Used for scenario votes and readiness ratings. The highlighted bar is marked by
a word and a pattern as well as by colour, so it reads in greyscale and for
people who do not see colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...domain.i18n import _

BAR = QColor("#1d3557")
HIGHLIGHT = QColor("#e07a00")
TRACK = QColor("#e3e6ea")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    highlight: bool = False
    note: str = ""  # a word that says why the bar is highlighted, e.g. "answer"


class BarChartWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(120)
        self.text_px = 0  # the room sets a type size; 0: follow the row height
        self._drawn: list[tuple[str, float, str, str]] = []

    def set_text_px(self, size: int) -> None:
        """For the room: draw labels at `size` px and ask for rows that hold them."""
        self.text_px = size
        self.setMinimumHeight(0)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.updateGeometry()
        self.update()

    def drawn_texts(self) -> list[tuple[str, float, str, str]]:
        """(text, line height, ink, background) of what the last paint drew."""
        return list(self._drawn)

    def set_bars(self, bars: list[Bar]) -> None:
        self.bars = list(bars)
        summary = "; ".join(
            _("{label}: {value} ({note})").format(label=b.label, value=b.value, note=b.note)
            if b.note
            else _("{label}: {value}").format(label=b.label, value=b.value)
            for b in bars
        )
        self.setAccessibleDescription(summary)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        if self.text_px:
            return QSize(600, round(self.text_px * 1.9) * max(len(self.bars), 1) + 8)
        return QSize(600, max(120, 48 * len(self.bars)))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if not self.bars:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        row = area.height() / len(self.bars)
        font = QFont(self.font())
        font.setPixelSize(self.text_px or int(max(12, min(row * 0.42, 40))))
        self._drawn = []
        ground = self.palette().color(self.backgroundRole()).name()
        painter.setFont(font)
        metrics = painter.fontMetrics()
        label_width = min(
            area.width() * 0.45, max(metrics.horizontalAdvance(b.label) for b in self.bars) + 16
        )
        number_width = metrics.horizontalAdvance("0000 " + _("answer") + " ✓") + 12
        track_width = max(area.width() - label_width - number_width, 20)
        top = max(b.value for b in self.bars) or 1
        # On the high-contrast projector theme (a property of the window), light bars on dark.
        bright = bool(self.window().property("highContrast"))
        bar_colour, track_colour = (QColor("#ffffff"), QColor("#3a3a3a")) if bright else (BAR, TRACK)
        highlight_colour = QColor("#ffd400") if bright else HIGHLIGHT
        for index, bar in enumerate(self.bars):
            y = area.top() + index * row
            text_rect = QRectF(area.left(), y, label_width - 10, row)
            ink = self.palette().windowText().color()
            painter.setPen(QPen(ink))
            self._drawn.append((bar.label, metrics.height(), ink.name(), ground))
            painter.drawText(
                text_rect,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, int(text_rect.width())),
            )
            track = QRectF(area.left() + label_width, y + row * 0.18, track_width, row * 0.64)
            painter.fillRect(track, track_colour)
            filled = QRectF(track.left(), track.top(), track.width() * bar.value / top, track.height())
            colour = highlight_colour if bar.highlight else bar_colour
            painter.fillRect(filled, colour)
            if bar.highlight:
                painter.fillRect(filled, QBrush(QColor(255, 255, 255, 110), Qt.BrushStyle.BDiagPattern))
                painter.setPen(QPen(QColor("#1a1a1a"), 2))
                painter.drawRect(filled)
            number = f"{bar.value}" + (f"  {bar.note} ✓" if bar.note else "")
            painter.setPen(QPen(ink))
            self._drawn.append((number, metrics.height(), ink.name(), ground))
            painter.drawText(
                QRectF(track.right() + 10, y, number_width, row),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                number,
            )
        painter.end()
