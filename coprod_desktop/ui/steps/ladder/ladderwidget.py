"""The ladder of co-production, drawn as vectors so it is crisp at any size,
with each defined term placed on the rung where it sits."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ....domain.ladder import LADDER, rung_index
from ....domain.model import Session, Term
from ...document import SessionDocument

INK = QColor("#1a1a1a")
RAIL = QColor("#1d3557")
# Light to dark up the ladder; each rung is also named, so the shade is never the only signal.
SHADES = ("#f1f1ef", "#e6ebf2", "#d9e2ee", "#c8d6e8", "#b3c7e0", "#9bb5d6", "#7f9fc8")


def paint_ladder(painter: QPainter, area: QRectF, session: Session, base: QFont) -> None:
    """Draw the ladder into `area`; used on screen and for exported pictures."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    rungs = len(LADDER)
    side = area.width() * 0.30  # room on the right for the terms
    ladder = QRectF(area.left(), area.top(), area.width() - side, area.height())
    band = ladder.height() / rungs
    name_font = QFont(base)
    name_font.setPixelSize(int(max(12, min(band * 0.34, 34))))
    name_font.setBold(True)
    note_font = QFont(base)
    note_font.setPixelSize(int(max(10, min(band * 0.22, 22))))
    tag_font = QFont(base)
    tag_font.setPixelSize(int(max(11, min(band * 0.28, 28))))
    tag_font.setBold(True)
    terms_by_rung: dict[int, list[Term]] = {}
    beside: list[Term] = []
    for term in session.items(Term):
        index = rung_index(term.rung)
        if index < 0:
            beside.append(term)
        else:
            terms_by_rung.setdefault(index, []).append(term)
    for index, rung in enumerate(LADDER):
        top = ladder.bottom() - (index + 1) * band
        rect = QRectF(ladder.left(), top, ladder.width(), band).adjusted(0, 2, 0, -2)
        painter.setPen(QPen(RAIL, 2))
        painter.setBrush(QColor(SHADES[index]))
        painter.drawRoundedRect(rect, 6, 6)
        painter.setPen(INK)
        painter.setFont(name_font)
        text = rect.adjusted(16, 2, -16, -rect.height() * 0.45)
        painter.drawText(
            text, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom), f"{index + 1}. {rung.name}"
        )
        painter.setFont(note_font)
        painter.drawText(
            rect.adjusted(16, rect.height() * 0.56, -16, -2),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            rung.summary,
        )
        names = [t.name for t in terms_by_rung.get(index, [])]
        if names:
            tag = QRectF(ladder.right() + 14, rect.top(), side - 18, rect.height())
            painter.setPen(QPen(RAIL, 2))
            y = rect.center().y()
            painter.drawLine(int(ladder.right()), int(y), int(tag.left() - 2), int(y))
            _draw_fitted(painter, tag, "\n".join(names), tag_font)
    if beside:
        names_text = ", ".join(t.name for t in beside)
        bottom = QRectF(ladder.right() + 14, ladder.bottom() - 2 * band, side - 18, 2 * band)
        painter.setPen(QPen(RAIL, 2, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(bottom.adjusted(0, 4, 0, -4), 6, 6)
        painter.setPen(INK)
        _draw_fitted(
            painter,
            bottom.adjusted(10, 8, -10, -8),
            f"Beside the ladder:\n{names_text}\n(people run it themselves; no provider shares power)",
            note_font,
        )
    painter.restore()


def _draw_fitted(painter: QPainter, rect: QRectF, text: str, font: QFont) -> None:
    """Draw wrapped text in `rect`, shrinking the type until it fits."""
    fitted = QFont(font)
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap)
    size = fitted.pixelSize()
    while size > 9:
        fitted.setPixelSize(size)
        painter.setFont(fitted)
        needed = painter.boundingRect(rect, flags, text)
        if needed.height() <= rect.height() and needed.width() <= rect.width():
            break
        size -= 1
    painter.setPen(INK)
    painter.drawText(rect, flags, text)


class LadderWidget(QWidget):
    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(280)
        self.setAccessibleName("The ladder of co-production")
        self.setAccessibleDescription(
            "From the bottom: " + ", ".join(r.name for r in LADDER) + ". " + self._placements()
        )
        document.changed.connect(lambda changes: self.update())

    def _placements(self) -> str:
        placed = []
        for term in self.document.session.items(Term):
            rung = next((r.name for r in LADDER if r.key == term.rung), "beside the ladder")
            placed.append(f"{term.name}: {rung}")
        return "; ".join(placed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(900, 600)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        paint_ladder(painter, QRectF(self.rect()).adjusted(8, 8, -8, -8), self.document.session, self.font())
        painter.end()
