"""The ladder of co-production, drawn as vectors so it is crisp at any size,
with each defined term placed on the rung where it sits."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from ....domain.i18n import _
from ....domain.ladder import LADDER, rung_index
from ....domain.model import Session, Term
from ...document import SessionDocument
from ...presenter.roomstyle import LIGHT, RoomTheme, px_at


@dataclass(frozen=True)
class LadderLook:
    """Colours and type sizes (px) the ladder is drawn with. 0 sizes: follow the rung height."""

    ink: str = LIGHT.shades_ink
    rail: str = LIGHT.rail
    shades: tuple[str, ...] = LIGHT.shades  # light to dark up the ladder; rungs are numbered and named too
    tag_ink: str = LIGHT.ink
    name_px: int = 0
    note_px: int = 0
    tags: bool = True  # the terms beside their rungs (the room lists them on a page when they do not fit)


Drawn = list[tuple[str, float, str, str]]  # text, line height, ink, background


def paint_ladder(
    painter: QPainter,
    area: QRectF,
    session: Session,
    base: QFont,
    look: LadderLook | None = None,
    drawn: Drawn | None = None,
    overflow: list[str] | None = None,
) -> None:
    """Draw the ladder into `area`; used on screen and for exported pictures."""
    look = look or LadderLook()
    drawn = drawn if drawn is not None else []
    overflow = overflow if overflow is not None else []
    ink, rail = QColor(look.ink), QColor(look.rail)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    rungs = len(LADDER)
    side = area.width() * 0.30  # room on the right for the terms
    ladder = QRectF(area.left(), area.top(), area.width() - side, area.height())
    band = ladder.height() / rungs
    name_font = QFont(base)
    name_font.setPixelSize(look.name_px or int(max(12, min(band * 0.34, 34))))
    name_font.setBold(True)
    note_font = QFont(base)
    note_font.setPixelSize(look.note_px or int(max(10, min(band * 0.22, 22))))
    tag_font = QFont(base)
    tag_font.setPixelSize(look.note_px or int(max(11, min(band * 0.28, 28))))
    tag_font.setBold(True)
    name_line = QFontMetrics(name_font).height()
    note_line = QFontMetrics(note_font).height()
    # Too short a rung for its name and its summary at the room's sizes: the name alone
    # (the room's view then lists the summaries on the next page).
    widest = max(QFontMetrics(note_font).horizontalAdvance(r.summary) for r in LADDER)
    with_notes = not look.name_px or (band - 4 >= name_line + note_line and widest <= ladder.width() - 32)
    terms_by_rung: dict[int, list[Term]] = {}
    beside: list[Term] = []
    for term in session.items(Term):
        index = rung_index(term.rung)
        if index < 0:
            beside.append(term)
        else:
            terms_by_rung.setdefault(index, []).append(term)
    ground = look.shades[0] if look.shades else "#ffffff"
    for index, rung in enumerate(LADDER):
        top = ladder.bottom() - (index + 1) * band
        rect = QRectF(ladder.left(), top, ladder.width(), band).adjusted(0, 2, 0, -2)
        shade = look.shades[index]
        painter.setPen(QPen(rail, 2))
        painter.setBrush(QColor(shade))
        painter.drawRoundedRect(rect, 6, 6)
        painter.setPen(ink)
        painter.setFont(name_font)
        # The name above the middle, the summary below it, each a line of its own size.
        lines = name_line + (note_line if with_notes else 0)
        gap = max((rect.height() - lines) / (3 if with_notes else 2), 0)
        name_rect = QRectF(rect.left() + 16, rect.top() + gap, rect.width() - 32, name_line)
        title = _("{number}. {rung}").format(number=index + 1, rung=_(rung.name))
        painter.drawText(name_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), title)
        drawn.append((title, name_line, look.ink, shade))
        if rect.height() < name_line or QFontMetrics(name_font).horizontalAdvance(title) > name_rect.width():
            overflow.append(title)
        if with_notes:
            painter.setFont(note_font)
            note_rect = QRectF(rect.left() + 16, name_rect.bottom() + gap, rect.width() - 32, note_line)
            summary = QFontMetrics(note_font).elidedText(
                _(rung.summary), Qt.TextElideMode.ElideRight, int(note_rect.width())
            )
            painter.drawText(
                note_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), summary
            )
            drawn.append((_(rung.summary), note_line, look.ink, shade))
        names = [t.name for t in terms_by_rung.get(index, [])] if look.tags else []
        if names:
            tag = QRectF(ladder.right() + 14, rect.top(), side - 18, rect.height())
            painter.setPen(QPen(rail, 2))
            y = rect.center().y()
            painter.drawLine(int(ladder.right()), int(y), int(tag.left() - 2), int(y))
            line = _draw_fitted(painter, tag, "\n".join(names), tag_font, QColor(look.tag_ink), look.note_px)
            drawn.append(("\n".join(names), abs(line), look.tag_ink, ground))
            if line < 0:
                overflow.append("\n".join(names))
    if beside and look.tags:
        names_text = ", ".join(t.name for t in beside)
        bottom = QRectF(ladder.right() + 14, ladder.bottom() - 2.6 * band, side - 18, 2.6 * band)
        painter.setPen(QPen(rail, 2, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(bottom.adjusted(0, 4, 0, -4), 6, 6)
        text = _("Beside the ladder:\n{names}\n(people run it themselves; no provider shares power)").format(
            names=names_text
        )
        line = _draw_fitted(
            painter, bottom.adjusted(10, 8, -10, -8), text, note_font, QColor(look.tag_ink), look.note_px
        )
        drawn.append((text, abs(line), look.tag_ink, ground))
        if line < 0:
            overflow.append(text)
    painter.restore()


def _draw_fitted(painter: QPainter, rect: QRectF, text: str, font: QFont, ink: QColor, floor: int = 0) -> int:
    """Draw wrapped text in `rect`, shrinking the type until it fits, never below `floor` px.
    Returns the line height drawn."""
    fitted = QFont(font)
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap)
    size = fitted.pixelSize()
    while size > max(9, floor):
        fitted.setPixelSize(size)
        painter.setFont(fitted)
        needed = painter.boundingRect(rect, flags, text)
        if needed.height() <= rect.height() and needed.width() <= rect.width():
            break
        size -= 1
    fitted.setPixelSize(size)
    painter.setFont(fitted)
    painter.setPen(ink)
    painter.drawText(rect, flags, text)
    needed = painter.boundingRect(rect, flags, text)
    if needed.height() > rect.height() + 1 or needed.width() > rect.width() + 1:
        return -QFontMetrics(fitted).height()  # negative: it did not fit
    return QFontMetrics(fitted).height()


class LadderWidget(QWidget):
    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(280)
        self.setAccessibleName(_("The ladder of co-production"))
        self.setAccessibleDescription(
            _("From the bottom: {rungs}. {placements}").format(
                rungs=", ".join(_(r.name) for r in LADDER), placements=self._placements()
            )
        )
        self.look = LadderLook()
        self._drawn: Drawn = []
        self._overflow: list[str] = []
        document.changed.connect(lambda changes: self.update())

    # --- the room's sizes and colours (set by the audience window) ------------------

    def set_type_scale(self, factor: float) -> None:
        self.look = replace(self.look, name_px=px_at("cell", factor), note_px=px_at("small", factor))
        self.setMinimumHeight(0)
        self.update()

    def set_room_theme(self, room: RoomTheme) -> None:
        self.look = replace(
            self.look, ink=room.shades_ink, rail=room.rail, shades=room.shades, tag_ink=room.ink
        )
        self.update()

    def room_overflow(self) -> list[str]:
        """Texts the last paint could not fit at the room's smallest size."""
        return list(self._overflow)

    def drawn_texts(self) -> Drawn:
        """(text, line height, ink, background) of what the last paint drew."""
        return list(self._drawn)

    def _placements(self) -> str:
        placed = []
        for term in self.document.session.items(Term):
            rung = next((_(r.name) for r in LADDER if r.key == term.rung), _("beside the ladder"))
            placed.append(_("{term}: {rung}").format(term=term.name, rung=rung))
        return "; ".join(placed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(900, 600)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        self._drawn = []
        self._overflow = []
        paint_ladder(
            painter,
            QRectF(self.rect()).adjusted(8, 8, -8, -8),
            self.document.session,
            self.font(),
            self.look,
            self._drawn,
            self._overflow,
        )
        painter.end()


def tags_fit(look: LadderLook, base: QFont, width: float, height: float, session: Session) -> bool:
    """Whether every rung's terms (and those beside the ladder) fit beside it at `look`'s sizes."""
    if not look.name_px:
        return True
    font = QFont(base)
    font.setPixelSize(look.note_px)
    font.setBold(True)
    metrics = QFontMetrics(font)
    side = (width - 16) * 0.30 - 18
    band = (height - 16) / len(LADDER)
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
    by_rung: dict[int, list[str]] = {}
    beside: list[str] = []
    for term in session.items(Term):
        index = rung_index(term.rung)
        (beside if index < 0 else by_rung.setdefault(index, [])).append(term.name)
    for names in by_rung.values():
        needed = metrics.boundingRect(QRect(0, 0, int(side), 10_000), flags, "\n".join(names))
        if needed.height() > band - 4 or needed.width() > side:
            return False
    if beside:
        note = QFont(base)
        note.setPixelSize(look.note_px)
        text = _("Beside the ladder:\n{names}\n(people run it themselves; no provider shares power)").format(
            names=", ".join(beside)
        )
        needed = QFontMetrics(note).boundingRect(QRect(0, 0, int(side - 20), 10_000), flags, text)
        if needed.height() > 2.6 * band - 16:
            return False
    return True


def notes_fit(look: LadderLook, base: QFont, width: float, height: float) -> bool:
    """Whether each rung can show its summary under its name at `look`'s sizes."""
    if not look.name_px:
        return True
    name_font, note_font = QFont(base), QFont(base)
    name_font.setPixelSize(look.name_px)
    name_font.setBold(True)
    note_font.setPixelSize(look.note_px)
    band = (height - 16) / len(LADDER)
    ladder_width = (width - 16) * 0.70
    widest = max(QFontMetrics(note_font).horizontalAdvance(r.summary) for r in LADDER)
    lines = QFontMetrics(name_font).height() + QFontMetrics(note_font).height()
    return band - 4 >= lines and widest <= ladder_width - 32


class LadderPageWidget(LadderWidget):
    """The ladder as the first page of the room's view: it takes the whole page."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        pager = self.parentWidget()
        return pager.height() if pager is not None else 600

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(0, 0)


class LadderRoomWidget(QWidget):
    """The room's ladder: the picture, and when its rungs are too short at the room's type
    for their summaries, those summaries on the next page (the clicker turns to it)."""

    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ...common.roompager import RoomPagerWidget

        self.document = document
        self.ladder = LadderPageWidget(document)
        self.ladder.setMinimumHeight(0)
        self.pager = RoomPagerWidget()
        self.pager.setAccessibleName(_("The ladder of co-production"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pager, 1)
        self._with_list: tuple[bool, bool] | None = None
        self._fill()

    def set_type_scale(self, factor: float) -> None:
        self.ladder.set_type_scale(factor)
        self._fill()

    def set_room_theme(self, room: RoomTheme) -> None:
        self.ladder.set_room_theme(room)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fill()

    def _fill(self) -> None:
        from ...common.roompager import text_block

        look, font = self.ladder.look, self.ladder.font()
        width, height = self.pager.width(), self.pager.height()
        notes = notes_fit(look, font, width, height)
        tags = tags_fit(replace(look, tags=True), font, width, height, self.document.session)
        if (notes, tags) == self._with_list:
            return
        self._with_list = (notes, tags)
        self.ladder.look = replace(look, tags=tags)
        self.ladder.update()
        blocks: list[QWidget] = [self.ladder]
        if not notes:
            blocks.append(text_block(_("The rungs, from the bottom"), "roomHeading", keep_with_next=True))
            blocks += [
                text_block(
                    _("{number}. {rung}: {summary}").format(number=n, rung=_(r.name), summary=_(r.summary))
                )
                for n, r in enumerate(LADDER, start=1)
            ]
        if not tags:
            blocks.append(text_block(_("Where our words sit"), "roomHeading", keep_with_next=True))
            for term in self.document.session.items(Term):
                index = rung_index(term.rung)
                if index >= 0:
                    where = _("rung {number}, {rung}").format(number=index + 1, rung=_(LADDER[index].name))
                else:
                    where = _("beside the ladder")
                blocks.append(text_block(_("{term}: {rung}").format(term=term.name, rung=where)))
            if any(rung_index(t.rung) < 0 for t in self.document.session.items(Term)):
                blocks.append(
                    text_block(_("Beside the ladder: people run it themselves; no provider shares power."))
                )
        self.pager.set_blocks(blocks, keep_page=True)
