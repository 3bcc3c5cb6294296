"""What changed since the earlier run, on the laptop and in the room.

Every figure and word is `domain.compare`'s. A change always shows as a signed number
with ▲ or ▼ ("= no change", "too few votes to say"), on a tint from the domain's
colour-blind-safe diverging palette, with black or white text for contrast; so the
direction never rests on colour, and a greyscale projector loses nothing. The room's
view is the laptop's in large type, without the box-by-box grid, readable from the
back row.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ....domain.compare import Comparison, MeanChange, change_colour
from ....domain.matrix import text_colour_for

ROOM_POINT_SIZE = 26
LAPTOP_POINT_SIZE = 11


def _date(text: str) -> str:
    import datetime

    try:
        day = datetime.date.fromisoformat(text.strip())
    except ValueError:
        return text.strip()
    return f"{day.day} {day:%B} {day.year}"


def title_text(comparison: Comparison) -> str:
    day = _date(comparison.before_date)
    return f"What changed since {day}" if day else "What changed since the last run"


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


class ChangeViewWidget(QWidget):
    """The comparison as a grid of plain-text labels. `audience=True` is the room's view."""

    def __init__(
        self, comparison: Comparison, points: int, *, audience: bool = False, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.comparison = comparison
        self.points = points
        self.audience = audience
        self.setObjectName("changeRoom" if audience else "changeLaptop")
        size = ROOM_POINT_SIZE if audience else LAPTOP_POINT_SIZE
        font = self.font()
        font.setPointSize(size)
        self.setFont(font)
        layout = QVBoxLayout(self)
        heading = self._label(title_text(comparison), bold=True, scale=1.5)
        heading.setObjectName("changeTitle")
        layout.addWidget(heading)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(int(size * 1.2))
        self.grid.setVerticalSpacing(int(size * 0.4))
        layout.addLayout(self.grid)
        self.change_labels: list[QLabel] = []
        self._row = 0
        self._header(("", "Then", "Now", "Change"))
        whole = comparison.whole
        self._mean_row("The whole matrix", whole.mean, bold=True)
        for line in comparison.stages:
            self._mean_row(line.title, line.mean)
        if not audience:
            self._spacer()
            for line in comparison.criteria:
                self._mean_row(line.title, line.mean)
        self._spacer()
        self._text_row("Lived experience and staff", whole.gap.text)
        self._text_row("Placement", comparison.placement.text)
        if comparison.readiness:
            self._text_row("Should we co-produce?", comparison.headline_after)
        if not audience:
            moved = [c for c in comparison.cards if c.direction in ("towards", "reached", "away")]
            for card in moved:
                self._text_row(card.text, card.text_of_move)
            for said in comparison.item_sentences:
                self._text_row("", said)
        layout.addStretch(1)

    def _label(self, text: str, *, bold: bool = False, scale: float = 1.0) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)  # titles are typed by people: never markup
        label.setWordWrap(True)
        font = label.font()
        font.setBold(bold)
        font.setPointSizeF(self.font().pointSizeF() * scale)
        label.setFont(font)
        return label

    def _header(self, titles: tuple[str, ...]) -> None:
        for column, title in enumerate(titles):
            label = self._label(title, bold=True)
            if column:
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.grid.addWidget(label, self._row, column)
        self._row += 1

    def _mean_row(self, title: str, mean: MeanChange, *, bold: bool = False) -> None:
        self.grid.addWidget(self._label(title, bold=bold), self._row, 0)
        for column, value in ((1, mean.before), (2, mean.after)):
            label = self._label(_number(value))
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.grid.addWidget(label, self._row, column)
        change = self._label(mean.text, bold=True)
        change.setObjectName("change")
        change.setAlignment(Qt.AlignmentFlag.AlignCenter)
        colour = change_colour(mean.delta, self.points)
        if colour is not None:
            pad = max(2, self.font().pointSize() // 4)
            ink = text_colour_for(colour)
            change.setStyleSheet(f"QLabel#change {{ background: {colour}; color: {ink}; padding: {pad}px; }}")
        self.change_labels.append(change)
        self.grid.addWidget(change, self._row, 3)
        self._row += 1

    def _text_row(self, title: str, text: str) -> None:
        self.grid.addWidget(self._label(title, bold=True), self._row, 0)
        self.grid.addWidget(self._label(text), self._row, 1, 1, 3)
        self._row += 1

    def _spacer(self) -> None:
        self.grid.setRowMinimumHeight(self._row, self.font().pointSize())
        self._row += 1


class ChangeRoomWindow(QWidget):
    """The room's view in a window of its own, for the projector. Esc closes it."""

    def __init__(self, comparison: Comparison, points: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(title_text(comparison))
        self.setObjectName("changeRoomWindow")
        self.view = ChangeViewWidget(comparison, points, audience=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addWidget(self.view)
        self.setStyleSheet("QWidget#changeRoomWindow { background: white; } QLabel { color: black; }")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)


class ChangeDialog(QDialog):
    """The laptop's change view, with a button that puts the room's view on the projector."""

    def __init__(
        self,
        comparison: Comparison,
        points: int,
        parent: QWidget | None = None,
        *,
        room_screen: object = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title_text(comparison))
        self.comparison = comparison
        self.points = points
        self.room_screen = room_screen
        self.room: ChangeRoomWindow | None = None
        self.view = ChangeViewWidget(comparison, points)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.view)
        self.show_room = QPushButton("Show in the &Room")
        self.show_room.setCheckable(True)
        self.show_room.toggled.connect(self._toggle_room)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.show_room)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(row)
        self.resize(900, 640)

    def _toggle_room(self, on: bool) -> None:
        if on:
            self.room = ChangeRoomWindow(self.comparison, self.points)
            screen = self.room_screen
            if screen is not None:
                self.room.setScreen(screen)  # type: ignore[arg-type]
                self.room.setGeometry(screen.geometry())  # type: ignore[attr-defined]
                self.room.showFullScreen()
            else:
                self.room.resize(1280, 720)
                self.room.show()
        elif self.room is not None:
            self.room.close()
            self.room = None

    def done(self, result: int) -> None:
        if self.room is not None:
            self.room.close()
            self.room = None
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.room is not None:
            self.room.close()
        super().closeEvent(event)
