"""The parts around the matrix grid: the scale's legend, the placement on the ladder,
and the entry of counted hands."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ....domain import words
from ....domain.i18n import _, current, ngettext
from ....domain.ladder import RUNG_BY_KEY
from ....domain.matrix import (
    CellResult,
    Classification,
    heat_colour,
    overall_role_split,
    placement_note,
    rung_names,
    text_colour_for,
    turnout_sentence,
)
from ...common.plaintext import mnemonic_safe, plain_label
from ...common.widgets import hint_label
from .matrixmodel import HIDDEN_BACKGROUND, TITLE_TEXT


def scroll_page(page: QWidget) -> QScrollArea:
    """`page` in a frameless scroll area that looks like the page alone: it scrolls only where a
    short laptop screen leaves the grid fewer than MIN_GRID_ROWS rows, and then only the page's
    closing guidance goes out of sight (`MatrixWidget._fit_tools`). One area a page, so each
    scrolls by its own height (a stack of pages is as tall as its tallest).

    Called while `page` is still empty, before its fields and labels are made: a scroll area
    sizes the widget it is given to its size hint and shows it, which for a filled page meant
    laying all of it out (and polishing it) away from the window, only to do it all again once
    the page was in place."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no extra stop for Tab
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(page)
    area.viewport().setAutoFillBackground(False)  # the tab's own background shows through
    page.setAutoFillBackground(False)
    return area


class ScaleLegendWidget(QWidget):
    """The scale as coloured chips with their numbers and labels, then what a hatched
    box and the warning sign mean. Doubles as the key to the heat map."""

    def __init__(self, *, audience: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.audience = audience
        self.scale: tuple[str, ...] = ()
        self.roles = False  # the boxes show the role split
        self.type_scale = 1.0  # the projector's size against a 1080-line one
        self._laid: dict[tuple[object, ...], list[tuple[QRect, tuple[str, str, str, bool]]]] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(_("Key to the matrix"))

    def _font(self) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(10, round((22 * self.type_scale) if self.audience else 14)))
        font.setBold(True)
        return font

    def set_type_scale(self, factor: float) -> None:
        self.type_scale = factor
        self.setFixedHeight(self.sizeHint().height())
        self.updateGeometry()
        self.update()

    def set_scale(self, scale: tuple[str, ...], *, roles: bool = False) -> None:
        self.scale = tuple(scale)
        self.roles = roles
        points = ", ".join(
            _("{number} {label}").format(number=number, label=label)
            for number, label in enumerate(self.scale)
        )
        self.setAccessibleDescription(
            _(
                "Ratings: {points}. A hatched grey box is not revealed yet. "
                "A dashed border and a warning sign mark boxes where views differ strongly."
            ).format(points=points)
        )
        self.setFixedHeight(self.sizeHint().height())
        self.updateGeometry()
        self.update()

    def _items(self) -> list[tuple[str, str, str, bool]]:
        """(text, background, foreground, hatched) for each chip."""
        width = max(len(self.scale) - 1, 1)
        items = []
        for number, label in enumerate(self.scale):
            background = heat_colour(number / width)
            items.append(
                (
                    _("{number} {label}").format(number=number, label=label),
                    background,
                    text_colour_for(background),
                    False,
                )
            )
        items.append((_("Not revealed yet"), HIDDEN_BACKGROUND, "#1a1a1a", True))
        if self.roles:
            lived = _("{side}: use services, carers, community").format(side=_(words.LIVED))
            items.append((lived, "#ffffff", "#1a1a1a", False))
            staff = _("{side}: {who}").format(side=_(words.STAFF), who=_(words.STAFF_LONG))
            items.append((staff, "#ffffff", "#1a1a1a", False))
        else:
            items.append((_(words.VIEWS_DIFFER), "#ffffff", "#1a1a1a", False))
        return items

    def _layout(self, width: int) -> list[tuple[QRect, tuple[str, str, str, bool]]]:
        # Asked for again and again by every layout pass of the grid around it (the room's
        # pages ask each block its height): the same answer until the key or its type changes.
        key = (width, self.font().key(), self.type_scale, self.scale, self.roles, current())
        found = self._laid.get(key)
        if found is None:
            if len(self._laid) > 8:
                self._laid.clear()
            found = self._laid[key] = self._place(width)
        return found

    def _place(self, width: int) -> list[tuple[QRect, tuple[str, str, str, bool]]]:
        metrics = QFontMetrics(self._font())
        height = metrics.height() + 12
        x = y = 0
        placed = []
        for item in self._items():
            chip = metrics.horizontalAdvance(item[0]) + 24
            if x and x + chip > width:
                x, y = 0, y + height + 6
            placed.append((QRect(x, y, chip, height), item))
            x += chip + 8
        return placed

    def sizeHint(self) -> QSize:  # noqa: N802
        width = max(self.width(), 400)
        placed = self._layout(width)
        bottom = max((rect.bottom() for rect, _other in placed), default=0)
        return QSize(width, bottom + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        # The chips wrap: the key never asks for more width than its widest chip (the size hint
        # follows the present width, and as a minimum it kept a laptop's window too wide).
        metrics = QFontMetrics(self._font())
        widest = max((metrics.horizontalAdvance(item[0]) + 24 for item in self._items()), default=200)
        return QSize(widest, self.sizeHint().height())

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        placed = self._layout(max(width, 1))
        return max((rect.bottom() for rect, _other in placed), default=0) + 4

    def resizeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.sizeHint().height() != self.height():
            self.setFixedHeight(self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = self._font()
        for rect, (text, background, foreground, hatched) in self._layout(self.width()):
            painter.setPen(QPen(QColor("#5a5a5a"), 1))
            painter.setBrush(QColor(background))
            painter.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 5, 5)
            if hatched:
                painter.fillRect(
                    rect.adjusted(1, 1, -1, -1), QBrush(QColor("#c9c4b8"), Qt.BrushStyle.BDiagPattern)
                )
            if text.startswith("⚠"):
                painter.setPen(QPen(QColor("#1a1a1a"), 2, Qt.PenStyle.DashLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rect.adjusted(3, 3, -4, -4))
            painter.setFont(font)
            painter.setPen(QColor(foreground))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.end()


def rules_html(classification: Classification, *, large: bool, factor: float = 1.0) -> str:
    """The rules as a list, each starting with whether it holds (a sign and a word, not a
    colour), the one that places the work in bold."""
    size = f"{max(8, round(17 * factor))}pt" if large else "11pt"
    items = []
    for rule in classification.rules:
        mark = html.escape(_("{mark}:").format(mark=_(words.HOLDS if rule.held else words.DOES_NOT_HOLD)))
        name, _sep, rest = rule.text.partition(": ")
        text = f"{mark} <b>{html.escape(name)}</b>: {html.escape(rest)}"
        if rule.rung == classification.rung:
            places = html.escape(_(words.PLACES_THE_WORK))
            items.append(f"<li><b>▶ {mark} {html.escape(rule.text)} {places}</b></li>")
        else:
            items.append(f"<li>{text}</li>")
    return f"<ul style='font-size:{size}; margin-left:0'>{''.join(items)}</ul>"


class PlacementPanel(QWidget):
    """Where the ratings place the work on the ladder, with the rules, the room's answer
    and the position the group agreed. In the audience view it appears once every box
    with votes is revealed, and has no controls."""

    agree_changed = Signal(int, int)  # agree, disagree
    agreed_recorded = Signal(str, str)  # rung key ("" clears), reason

    def __init__(self, *, audience: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.audience = audience
        self.setObjectName("matrixPlacement")
        self.classification: Classification | None = None
        large = audience
        self.heading = QLabel(_("Where the ratings place us"))
        self.heading.setObjectName("placementHeading")
        self.rung = QLabel()
        self.rung.setObjectName("placementRung")
        self.rung.setTextFormat(Qt.TextFormat.PlainText)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setTextFormat(Qt.TextFormat.PlainText)
        self.rules = QLabel()
        self.rules.setWordWrap(True)
        self.rules.setTextFormat(Qt.TextFormat.RichText)
        self.rules.setAccessibleName(_("The rules and which of them hold"))
        self.note = hint_label()
        self.split = QLabel()
        self.split.setWordWrap(True)
        self.split.setTextFormat(Qt.TextFormat.PlainText)
        self.room = QLabel()
        self.room.setWordWrap(True)
        self.room.setTextFormat(Qt.TextFormat.PlainText)
        self.agreed = QLabel()
        self.agreed.setWordWrap(True)
        self.agreed.setTextFormat(Qt.TextFormat.PlainText)
        self.agreed.setObjectName("agreedPosition")
        self.waiting = QLabel()
        self.waiting.setWordWrap(True)
        self.waiting.setTextFormat(Qt.TextFormat.PlainText)
        self.turnout = QLabel()
        self.turnout.setObjectName("matrixTurnout")
        self.turnout.setWordWrap(True)
        self.turnout.setTextFormat(Qt.TextFormat.PlainText)
        for label in (self.rung, self.reason, self.split, self.room, self.agreed, self.waiting, self.turnout):
            label.setAccessibleName(label.objectName() or _("Placement"))
        self.rung.setAccessibleName(_("The rung the ratings point to"))
        self.reason.setAccessibleName(_("Why"))
        self.split.setAccessibleName(_("Lived experience and staff"))
        self.room.setAccessibleName(_("The room's answer"))
        self.agreed.setAccessibleName(_("The position the group agreed"))
        self.turnout.setAccessibleName(_("How many have voted over every box"))

        self._large = large
        self.set_type_scale(1.0)
        self.rung.setWordWrap(True)  # a narrow projector wraps the words rather than cutting them
        self.heading.setWordWrap(True)
        self.rung.setStyleSheet(f"color: {TITLE_TEXT};")
        self.heading.setStyleSheet(f"color: {TITLE_TEXT};")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.turnout)
        layout.addWidget(self.waiting)
        layout.addWidget(self.rung)
        layout.addWidget(self.reason)
        layout.addWidget(self.rules)
        layout.addWidget(self.note)
        layout.addWidget(self.split)
        layout.addWidget(self.room)
        layout.addWidget(self.agreed)
        if not audience:
            layout.addWidget(self._make_controls())
        layout.addStretch(1)

    def set_type_scale(self, factor: float) -> None:
        """Type in proportion to the projector (1.0 for 1080 lines)."""
        self.type_scale = factor
        large = self._large

        def px(big: int, small: int) -> int:
            return max(9, round(big * factor)) if large else small

        rung_font = QFont(self.font())
        rung_font.setBold(True)
        rung_font.setPixelSize(px(44, 26))
        self.rung.setFont(rung_font)
        body = QFont(self.font())
        body.setPixelSize(px(24, 15))
        for label in (self.reason, self.split, self.room, self.agreed, self.waiting, self.turnout):
            label.setFont(body)
        note_font = QFont(self.font())
        note_font.setPixelSize(px(19, 13))
        self.note.setFont(note_font)
        heading_font = QFont(self.font())
        heading_font.setBold(True)
        heading_font.setPixelSize(px(26, 16))
        self.heading.setFont(heading_font)

    def _make_controls(self) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        form.setContentsMargins(0, 8, 0, 0)
        room = QHBoxLayout()
        self.agree_spin = QSpinBox()
        self.agree_spin.setRange(0, 999)
        self.agree_spin.setAccessibleName(_("How many agree with this placement"))
        self.disagree_spin = QSpinBox()
        self.disagree_spin.setRange(0, 999)
        self.disagree_spin.setAccessibleName(_("How many disagree with this placement"))
        agree_label = QLabel(_("A&gree:"))
        agree_label.setBuddy(self.agree_spin)
        disagree_label = QLabel(_("D&isagree:"))
        disagree_label.setBuddy(self.disagree_spin)
        room.addWidget(agree_label)
        room.addWidget(self.agree_spin)
        room.addWidget(disagree_label)
        room.addWidget(self.disagree_spin)
        room.addStretch(1)
        self.agree_spin.editingFinished.connect(self._room_edited)
        self.disagree_spin.editingFinished.connect(self._room_edited)
        form.addRow(_("Does the room agree?"), room)

        self.agreed_combo = QComboBox()
        self.agreed_combo.setAccessibleName(_("The position the group agreed on the ladder"))
        self.agreed_combo.addItem(_("Not agreed yet"), "")
        for key, name in rung_names():
            self.agreed_combo.addItem(name, key)
        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName(_("Why the group agreed on this position"))
        self.reason_edit.setPlaceholderText(_("Why the group placed itself there, in a sentence"))
        self.reason_edit.returnPressed.connect(self._record)
        self.record_button = QPushButton(_("Record agreed &position"))
        self.record_button.setAccessibleName(_("Record the agreed position and the reason"))
        self.record_button.clicked.connect(self._record)
        position_label = QLabel(_("Agreed &position:"))
        position_label.setBuddy(self.agreed_combo)
        reason_label = QLabel(_("&Because:"))
        reason_label.setBuddy(self.reason_edit)
        form.addRow(position_label, self.agreed_combo)
        form.addRow(reason_label, self.reason_edit)
        form.addRow("", self.record_button)
        return box

    # --- filling ------------------------------------------------------------

    def show_placement(
        self,
        classification: Classification | None,
        cells: list[CellResult],
        room: tuple[int, int],
        agreed_rung: str,
        agreed_reason: str,
        scale: tuple[str, ...],
    ) -> None:
        self.classification = classification
        voted = [cell for cell in cells if cell.voters]
        hidden = [cell for cell in voted if not cell.revealed]
        ready = classification is not None and (not self.audience or not hidden)
        for widget in (self.rung, self.reason, self.rules, self.note, self.room):
            widget.setVisible(ready)
        self.waiting.setVisible(not ready)
        if not ready or classification is None:
            if self.audience:
                self.waiting.setText(_("The placement appears once every box with votes is revealed."))
            else:
                self.waiting.setText(_("Reveal some boxes to see where the ratings place the work."))
        else:
            self.rung.setText(_("Reads as: {rung}").format(rung=_(classification.name)))
            self.reason.setText(classification.reason)
            self.rules.setText(rules_html(classification, large=self.audience, factor=self.type_scale))
            self.note.setText(placement_note(cells, scale))
            agree, disagree = room
            if agree or disagree:
                self.room.setText(
                    _("The room: {agree} agree, {disagree} disagree.").format(agree=agree, disagree=disagree)
                )
            else:
                self.room.setText("" if self.audience else _("The room has not been asked yet."))
            self.room.setVisible(bool(self.room.text()))
        self.turnout.setText(turnout_sentence(cells) if cells else "")
        self.turnout.setVisible(bool(cells))
        split = overall_role_split(cells)
        sentence = words.split_sentence(split.lived_experience, split.professional)
        self.split.setText(sentence)
        self.split.setVisible(bool(sentence))
        if agreed_rung in RUNG_BY_KEY:
            rung = _(RUNG_BY_KEY[agreed_rung].name)
            if agreed_reason:
                agreed = _("Agreed by the group: {rung}. Because: {reason}").format(
                    rung=rung, reason=agreed_reason
                )
            else:
                agreed = _("Agreed by the group: {rung}.").format(rung=rung)
            self.agreed.setText(agreed)
            self.agreed.show()
        else:
            self.agreed.setText("")
            self.agreed.hide()
        if not self.audience:
            self.agree_spin.setEnabled(classification is not None)
            self.disagree_spin.setEnabled(classification is not None)
            if not self.agree_spin.hasFocus():
                self.agree_spin.setValue(room[0])
            if not self.disagree_spin.hasFocus():
                self.disagree_spin.setValue(room[1])

    def load_agreed(self, rung: str, reason: str) -> None:
        if self.audience:
            return
        self.agreed_combo.setCurrentIndex(max(0, self.agreed_combo.findData(rung)))
        if not self.reason_edit.hasFocus():
            self.reason_edit.setText(reason)

    def _room_edited(self) -> None:
        self.agree_spin.interpretText()
        self.disagree_spin.interpretText()
        self.agree_changed.emit(self.agree_spin.value(), self.disagree_spin.value())

    def _record(self) -> None:
        self.agreed_recorded.emit(str(self.agreed_combo.currentData() or ""), self.reason_edit.text())


class TextLine(QLineEdit):
    """One line of text that changes often: read-only, never focused, and, unlike a
    QLabel, changing it never asks the layout to run again (a QLabel does, on every
    change, and the relayout repaints the whole panel)."""

    def __init__(self, text: str = "", *, bold: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setReadOnly(True)
        self.setFrame(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet("background: transparent; border: none;")
        if bold:
            font = QFont(self.font())
            font.setBold(True)
            self.setFont(font)

    def setText(self, text: str | None) -> None:  # noqa: N802 - Qt override
        text = text or ""
        if text != self.text():
            super().setText(text)
            self.setCursorPosition(0)
            self.setAccessibleDescription(text)


class HandsEditor(QWidget):
    """Counts of hands for the selected box, one field per point of the scale.

    Type a count, Tab to the next, Enter saves and moves to the next box;
    Escape goes back to the grid."""

    committed = Signal(list)  # the counts, index = rating
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None, *, scrolled: bool = False) -> None:
        super().__init__(parent)
        # `scrolled`: in a scroll area of its own (`scroll_page`, made while this is still empty).
        self.scroll_area = scroll_page(self) if scrolled else None
        self.where = TextLine(_("Select a box, then type the counts."), bold=True)
        self.where.setAccessibleName(_("The box whose hands you are counting"))
        self.total = TextLine()
        self.total.setAccessibleName(_("Total hands counted"))
        self.save_button = QPushButton(_("Save and next box (Enter)"))
        self.save_button.setAccessibleName(_("Save these counts and move to the next box"))
        self.save_button.clicked.connect(self.commit)
        self.clear_button = QPushButton(_("Clear this box"))
        self.clear_button.setAccessibleName(_("Set every count for this box to zero"))
        self.clear_button.clicked.connect(self._clear)
        self.grid = QGridLayout()
        self.spins: list[QSpinBox] = []
        self.eligible = 0
        hint = hint_label(
            _(
                "In the grid, type the first count (or press Enter); Tab to the next point; "
                "Enter saves, and the next box is selected: type its first count."
            )
        )
        # Each count's caption close over its field, so they read as one.
        self.grid.setVerticalSpacing(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.where)
        layout.addLayout(self.grid)
        footer = QHBoxLayout()
        footer.addWidget(self.total, 1)
        footer.addWidget(self.clear_button)
        footer.addWidget(self.save_button)
        layout.addLayout(footer)
        # The guidance last, under the fields and buttons it explains: on a short laptop screen
        # it is what scrolls out of sight, never a count or a button (MatrixWidget._fit_tools).
        layout.addWidget(hint)

    def set_scale(self, scale: tuple[str, ...]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        self.spins = []
        for number, label in enumerate(scale):
            spin = QSpinBox()
            spin.setRange(0, 999)
            spin.setAccessibleName(_("Hands for {number}, {label}").format(number=number, label=label))
            spin.installEventFilter(self)
            # Opaque: a count changing repaints the field, not the whole panel behind it.
            spin.setAutoFillBackground(True)
            spin.valueChanged.connect(self._update_total)
            caption = plain_label(
                _("{number} {label}").format(number=number, label=mnemonic_safe(label))
            )  # a typed label, with a buddy
            caption.setWordWrap(True)
            caption.setBuddy(spin)
            self.grid.addWidget(caption, 0, number)
            self.grid.addWidget(spin, 1, number)
            self.spins.append(spin)
        self._update_total()

    def load(self, title: str, counts: tuple[int, ...], eligible: int) -> None:
        # Only what differs is touched: each change repaints a styled widget, and this runs
        # on every Enter while the facilitator works through the boxes.
        self.where.setText(
            _("Hands for: {box}").format(box=title) if title else _("Select a box, then type the counts.")
        )
        self.eligible = eligible
        for spin, count in zip(self.spins, counts, strict=False):
            if spin.value() != count:
                spin.blockSignals(True)
                spin.setValue(count)
                spin.blockSignals(False)
        self._update_total()
        enabled = bool(title)
        for widget in (*self.spins, self.save_button, self.clear_button):
            if widget.isEnabled() != enabled:
                widget.setEnabled(enabled)

    def counts(self) -> list[int]:
        for spin in self.spins:
            if spin.cleanText() != str(spin.value()):
                spin.interpretText()  # a count typed but not yet taken in; costs a repaint otherwise
        return [spin.value() for spin in self.spins]

    def start_typing(self, digit: str) -> None:
        if not self.spins or not self.spins[0].isEnabled():
            return
        first = self.spins[0]
        first.setFocus(Qt.FocusReason.OtherFocusReason)
        first.selectAll()
        first.lineEdit().insert(digit)

    def focus_first(self) -> None:
        if self.spins and self.spins[0].isEnabled():
            self.spins[0].setFocus(Qt.FocusReason.OtherFocusReason)
            self.spins[0].selectAll()

    def commit(self) -> None:
        self.committed.emit(self.counts())

    def _clear(self) -> None:
        for spin in self.spins:
            spin.setValue(0)
        self.commit()

    def _update_total(self) -> None:
        total = sum(spin.value() for spin in self.spins)
        if not self.eligible:
            text = _("Total: {n}").format(n=total)
        elif total > self.eligible:
            text = ngettext(
                "Total: {n} of {people} person ⚠ more hands than people",
                "Total: {n} of {people} people ⚠ more hands than people",
                self.eligible,
            ).format(n=total, people=self.eligible)
        else:
            text = ngettext(
                "Total: {n} of {people} person", "Total: {n} of {people} people", self.eligible
            ).format(n=total, people=self.eligible)
        self.total.setText(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.commit()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.cancelled.emit()
                return True
        return super().eventFilter(watched, event)
