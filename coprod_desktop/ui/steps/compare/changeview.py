"""What changed since the earlier run, on the laptop and in the room.

Every figure and word is `domain.compare`'s. A change always shows as a signed number
with ▲ or ▼ ("= no change", "too few votes to say"), on a tint from the domain's
colour-blind-safe diverging palette, with black or white text for contrast; so the
direction never rests on colour, and a greyscale projector loses nothing.

The room's view (`ChangeRoomWidget`) is shown inside the projector's window, in the
step's place (`AudienceWindow.show_aside`), in the room's own type and theme: the
clicker turns its pages like any step's, B blacks it out, Esc leaves presenting, F5
presents again. Past its last page (or before its first) the room goes back to the
step it covered, so a clicker never skips a step by accident.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
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

from ....domain.compare import MIN_GROUP, MIN_VOTES, Comparison, MeanChange, change_colour
from ....domain.i18n import _, long_date
from ....domain.matrix import text_colour_for
from ...common.look import FOR_THE_ROOM
from ...common.roompager import KEEP_WITH_NEXT, RoomPagerWidget, text_block
from ...common.roomrow import room_row

ROOM_POINT_SIZE = 26
LAPTOP_POINT_SIZE = 11


def _date(text: str) -> str:
    import datetime

    try:
        day = datetime.date.fromisoformat(text.strip())
    except ValueError:
        return text.strip()
    return long_date(day)


def title_text(comparison: Comparison) -> str:
    day = _date(comparison.before_date)
    return _("What changed since {day}").format(day=day) if day else _("What changed since the last run")


def legend_text() -> str:
    return _(
        "▲ up · ▼ down · = no change. A change is shown only when each side has {votes} ratings or more, "
        "and the gap between lived experience and staff when each group has {people} people or more."
    ).format(votes=MIN_VOTES, people=MIN_GROUP)


def _tint(label: QLabel, delta: float | None, points: int, pad: int) -> None:
    """The change's tint and an ink that reads on it; none when there is no change to show."""
    colour = change_colour(delta, points)
    if colour is not None:
        ink = text_colour_for(colour)
        label.setStyleSheet(
            f"QLabel#{label.objectName()} {{ background: {colour}; color: {ink}; padding: {pad}px; }}"
        )


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


class ChangeViewWidget(QWidget):
    """The comparison as a grid of plain-text labels, for the laptop (`audience=True` makes its
    type large; the projector shows `ChangeRoomWidget`)."""

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
        self.grid.setColumnStretch(0, 3)  # titles take what is left; the numbers keep their width
        self.grid.setColumnStretch(3, 1)
        self.grid.setVerticalSpacing(int(size * 0.4))
        layout.addLayout(self.grid)
        self.change_labels: list[QLabel] = []
        self._row = 0
        self._header(("", _("Then"), _("Now"), _("Change")))
        whole = comparison.whole
        self._mean_row(_("The whole matrix"), whole.mean, bold=True)
        for line in comparison.stages:
            self._mean_row(line.title, line.mean)
        if not audience:
            self._spacer()
            for line in comparison.criteria:
                self._mean_row(line.title, line.mean)
        self._spacer()
        self._text_row(_("Lived experience and staff"), whole.gap.text)
        self._text_row(_("Placement"), comparison.placement.text)
        if comparison.readiness:
            self._text_row(_("Should we co-produce?"), comparison.headline_after)
        if not audience:
            moved = [c for c in comparison.cards if c.direction in ("towards", "reached", "away")]
            for card in moved:
                self._text_row(card.text, card.text_of_move)
            for said in comparison.item_sentences:
                self._text_row("", said)
        legend = self._label(legend_text())
        legend.setObjectName("changeLegend")
        layout.addWidget(legend)
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
        _tint(change, mean.delta, self.points, max(2, self.font().pointSize() // 4))
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


SECTION_ROWS = 8  # up to this many rows, a section of the room's view is kept on one page


def _together(widgets: list[QWidget]) -> QWidget:
    """One block of the room's pager made of several, which then always share a page."""
    block = QWidget()
    block.setProperty(FOR_THE_ROOM, True)
    layout = QVBoxLayout(block)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(14)  # as the pager's own spacing between blocks
    for widget in widgets:
        layout.addWidget(widget)
    return block


class ChangeRoomWidget(QWidget):
    """The room's change view: whole blocks on pages that fit the projector, in the room's type."""

    page_changed = Signal()
    finished = Signal()  # the clicker went past either end: the room goes back to its step

    def __init__(self, comparison: Comparison, points: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changeRoom")
        self.setAccessibleName(title_text(comparison))
        self.comparison = comparison
        self.points = points
        self.change_labels: list[QLabel] = []
        self.pager = RoomPagerWidget(self)
        self.pager.page_changed.connect(self.page_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pager)
        # The whole picture first (page 1 on any projector), then stage by stage and sign by
        # sign, each under its heading and the columns' names, which never end a page alone.
        whole = comparison.whole
        blocks: list[QWidget] = [text_block(title_text(comparison), "stepTitle")]
        blocks.append(self._header(""))
        blocks.append(self._mean_row(_("The whole matrix"), whole.mean))
        blocks.append(self._text_row(_("Lived experience and staff"), whole.gap.text))
        blocks.append(self._text_row(_("Placement"), comparison.placement.text))
        if comparison.readiness:
            blocks.append(self._text_row(_("Should we co-produce?"), comparison.headline_after))
        for heading, lines in (
            (_("Stage by stage"), comparison.stages),
            (_("Criteria"), comparison.criteria),
        ):
            if not lines:
                continue
            section = [text_block(heading, "roomHeading", keep_with_next=True), self._header("")]
            section += [self._mean_row(line.title, line.mean) for line in lines]
            # A short section moves to the next page whole, so a page never starts mid-table;
            # a long one pages row by row.
            if len(lines) <= SECTION_ROWS:
                blocks.append(_together(section))
            else:
                blocks.extend(section)
        blocks.append(text_block(legend_text(), "hint"))
        self.pager.set_blocks(blocks)

    def _header(self, first: str) -> QWidget:
        header = room_row([(first, 5), (_("Then"), 2), (_("Now"), 2), (_("Change"), 4)], header=True)
        header.setProperty(KEEP_WITH_NEXT, True)
        return header

    def _mean_row(self, title: str, mean: MeanChange) -> QWidget:
        row = room_row([(title, 5), (_number(mean.before), 2), (_number(mean.after), 2), (mean.text, 4)])
        change = row.findChildren(QLabel)[3]
        change.setObjectName("roomChange")
        change.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = change.font()
        font.setBold(True)
        change.setFont(font)
        _tint(change, mean.delta, self.points, 6)
        self.change_labels.append(change)
        return row

    def _text_row(self, title: str, text: str) -> QWidget:
        return room_row([(title, 5), (text, 8)])

    # --- paging as a step does (see AudienceWindow.show_aside) --------------------------

    def turn_page(self, offset: int) -> bool:
        if not self.pager.turn(offset):
            self.finished.emit()
        return True

    def show_last_page(self) -> None:
        self.pager.show_last_page()

    def page_text(self) -> str:
        return self.pager.page_text()

    def repaginate(self) -> None:
        self.pager.repaginate(force=True)


class ChangeDialog(QDialog):
    """The laptop's change view, with a button that puts the room's view on the projector.

    While the dialog has the focus, the presenting keys (F5, Esc, B, PageDown and PageUp)
    do what they do in the main window: `console` lends its actions."""

    def __init__(
        self,
        comparison: Comparison,
        points: int,
        parent: QWidget | None = None,
        *,
        presenter: Any = None,
        console: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title_text(comparison))
        self.comparison = comparison
        self.points = points
        self.presenter = presenter  # a PresenterController; None where there is no room
        self.console = console
        self.room: ChangeRoomWidget | None = None
        self.view = ChangeViewWidget(comparison, points)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # Wrapped text needs no sideways scrolling: the view is always the viewport's width.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.view)
        self.show_room = QPushButton(_("Show in the &Room"))
        self.show_room.setCheckable(True)
        self.show_room.setEnabled(presenter is not None)
        self.show_room.setToolTip(_("Put this on the projector in place of the step; the clicker pages it"))
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
        self.resize(1000, 700)
        self.navigator = None
        if presenter is not None:
            from ...presenter.presenterwindow import KeyNavigator

            self.navigator = KeyNavigator(presenter.document, self, presenter.clicker)
            presenter.document.step_changed.connect(self._step_changed)
        for name in ("present_action", "stop_present_action", "blackout_action"):
            action = getattr(console, name, None)
            if action is not None:
                self.addAction(action)

    def _toggle_room(self, on: bool) -> None:
        presenter = self.presenter
        if presenter is None:
            return
        if on:
            if not presenter.presenting:
                presenter.start(self.console)
            self.room = ChangeRoomWidget(self.comparison, self.points)
            self.room.finished.connect(lambda: self.show_room.setChecked(False))
            presenter.window.show_aside(self.room)
        elif self.room is not None:
            self.room = None
            if presenter.window is not None and presenter.window.aside is not None:
                presenter.window.show_aside(None)

    def _step_changed(self, *_args: object) -> None:
        # The facilitator chose another step: the room follows them there.
        self.show_room.setChecked(False)

    def done(self, result: int) -> None:
        self.show_room.setChecked(False)
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.show_room.setChecked(False)
        if self.presenter is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self.presenter.document.step_changed.disconnect(self._step_changed)
        if self.navigator is not None:
            self.navigator.detach()
        super().closeEvent(event)
