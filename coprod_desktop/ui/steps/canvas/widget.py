"""The canvas step: the view, its toolbars and the palette, or the clean audience view.

`CanvasWidget(document)` is the facilitator's canvas; `CanvasWidget(document,
audience=True)` is the projector's: no toolbars, no palette, larger card words, a
caption saying which layer the room sees, and nothing to click. Both follow the
document by themselves: the layer and the card the facilitator chooses are the
document's focus (`LAYER_KEY`, `CARD_KEY`), which the projector's canvas shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QPointF, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QFocusEvent, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QSplitter,
    QStyle,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ....domain import canvas as plan
from ....domain.canvas import SIZE, Layer
from ....domain.errors import KnownError
from ....domain.i18n import N_, _, ngettext, pgettext
from ....domain.model import CanvasBackground, Card, CardKind, RoleGroup, replace
from ...common.plaintext import plain_label
from ...common.widgets import hint_label
from ...document import SessionDocument
from ...presenter.roomstyle import LIGHT, RoomTheme
from .palette import PaletteWidget
from .room import RoomBoard, RoomKeyWidget, room_card_scale, side_sheet, wanted_card_scale
from .scene import CanvasScene, LayerChoice, take_ahead
from .view import CanvasView

BACKGROUND_NAMES = {
    CanvasBackground.PLAN_DELIVER: N_("Who plans × who delivers"),
    CanvasBackground.POWER_RESPONSIBILITY: N_("Power × responsibility"),
    CanvasBackground.LADDER: N_("Ladder of co-production"),
    CanvasBackground.BLANK: N_("Blank"),
}
LAYER_KEYS = {
    LayerChoice.NOW: "Ctrl+1",
    LayerChoice.ASPIRATION: "Ctrl+2",
    LayerChoice.BOTH: "Ctrl+3",
    LayerChoice.MOVES: "Ctrl+4",
}


# How far the facilitator's type scale (Ctrl+plus) enlarges the room's canvas and its key.
CANVAS_MAX_SCALE = 1.2
# The laptop's canvas made ahead is looked at for hidden cards for a view this share of the
# window's width and height (see `CanvasWidget.look_ahead`): the tool's rows, palette and hint,
# the agenda and the notes take the rest (at 1280×760 the view is 420×370, 0.33 and 0.49 of
# it; it only grows as a share in larger windows).
LAPTOP_VIEW_SHARE = (0.25, 0.35)

# The document's focus keys for what the room's canvas shows (see SessionDocument.set_focus).
LAYER_KEY = "canvas-layer"
CARD_KEY = "canvas-card"


class _MenuButton(QToolButton):
    """A toolbar's menu button that Tab stops on. A flat toolbar button draws no focus
    frame, so with the focus it stands raised, as a button: a keyboard user sees where they are."""

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(event)
        self.setAutoRaise(False)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.setAutoRaise(True)


class _HintHolder(QWidget):
    """Holds the hint under the canvas outside any layout, at the height the canvas gives it.

    A word-wrapped label in a layout makes that layout's height follow its width: the step's
    scroll area then sizes the whole canvas by its preferred height (which grows with the
    board's zoom) and, on a short screen, scrolls the hint out of sight. A label re-asserts
    that on each new text, so it is kept out of the layout instead."""

    def __init__(self, label: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        label.setParent(self)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.label.sizeHint().width(), self.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(0, self.minimumHeight())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        self.label.setGeometry(0, 0, event.size().width(), event.size().height())


class ToolRow(QWidget):
    """Groups of tools (toolbars, a label with its list) side by side where the width allows,
    else on as many lines as they need, each group whole: never wider than its widest group, so
    a narrow window (a small laptop with the agenda and the notes, a longer translation) wraps
    the row rather than scrolling the step sideways or hiding tools behind a toolbar's » button,
    where Tab cannot reach them. Laid out by hand, not by a layout: a height that follows the
    width would make the step's scroll area size the canvas by its preferred height."""

    def __init__(
        self,
        groups: tuple[QWidget, ...],
        *,
        spacing: int = 0,
        line_spacing: int = 0,
        side: int = 0,
        fill: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        """`spacing` between groups on a line, `line_spacing` between lines, `side` margins
        left and right; `fill`: the last group of each line reaches to the row's end (a
        toolbar's band across the step)."""
        super().__init__(parent)
        self.groups = groups
        self.spacing = spacing
        self.line_spacing = line_spacing
        self.side = side
        self.fill = fill
        self.lines = 1
        for group in groups:
            group.setParent(self)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._place(self.sizeHint().width())

    def _hints(self) -> list[QSize]:
        """Each group's size hint, asked once: a toolbar works its hint out anew each time
        (a layout of all its buttons), and the rows are placed as the canvas opens."""
        return [group.sizeHint() for group in self.groups]

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hints = self._hints()
        width = sum(hint.width() for hint in hints) + self.spacing * (len(hints) - 1) + 2 * self.side
        return QSize(width, max(hint.height() for hint in hints))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(max(hint.width() for hint in self._hints()) + 2 * self.side, self.minimumHeight())

    def _place(self, width: int) -> None:
        lines: list[list[tuple[QWidget, int, int]]] = [[]]
        used = self.side
        for group, hint in zip(self.groups, self._hints(), strict=True):
            wanted = hint.width()
            if lines[-1] and used + self.spacing + wanted + self.side > width:
                lines.append([])
                used = self.side
            used += (self.spacing if lines[-1] else 0) + wanted
            lines[-1].append((group, wanted, hint.height()))
        y = 0
        area = QRect(0, 0, width, self.height())
        for number, line in enumerate(lines):
            height = max(tall for _group, _wanted, tall in line)
            x = self.side
            for index, (group, wanted, _tall) in enumerate(line):
                last = index == len(line) - 1
                tail = group.actions()[-1] if isinstance(group, QToolBar) and group.actions() else None
                if tail is not None and tail.isSeparator() and tail.isVisible() == last:
                    tail.setVisible(not last)  # a separator only between groups on one line
                reach = width - self.side - x if self.fill and last else wanted
                # Placed from the right in a right-to-left language (Arabic), as a layout would.
                box = QRect(x, y, max(reach, wanted), height)
                group.setGeometry(QStyle.visualRect(self.layoutDirection(), area, box))
                x += wanted + self.spacing
            y += height + (self.line_spacing if number < len(lines) - 1 else 0)
        self.lines = len(lines)
        if self.minimumHeight() != y or self.maximumHeight() != y:
            self.setFixedHeight(y)  # the step lays out again, at this width: the same lines

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place(event.size().width())


class CanvasWidget(QWidget):
    """The power-sharing canvas of one open session."""

    layer_changed = Signal(str)  # a LayerChoice value
    room_laid_out = Signal()  # the room's form sized its column (the room's timer sits under it)
    focus_changed = Signal(object)  # the id of the focused card, or None

    def __init__(
        self, document: SessionDocument, *, audience: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.audience = audience
        self.setObjectName("canvasAudience" if audience else "canvasWidget")
        # The facilitator's scene may have been made while the room was on earlier steps
        # (ui/workshop/warmup.py): the same cards, laid out as they would be here.
        ahead = None if audience else take_ahead(document, self)
        # Else its cards are laid out after its first frame, which sketches them (`later`).
        self.scene_ = ahead or CanvasScene(document, audience=audience, parent=self, later=not audience)
        self.view = CanvasView(self.scene_, audience=audience)
        self.cards_palette: PaletteWidget | None = None
        self.caption = QLabel()
        self.caption.setObjectName("canvasCaption")
        self.caption.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the focused card
        self.caption.setWordWrap(True)
        self.status = hint_label()
        self.status.setAccessibleName(_("Canvas status"))
        layout: QBoxLayout = QHBoxLayout(self) if audience else QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        if audience:
            # The board fills the screen's height; the step's title, the caption and the key
            # stand in a column beside it, sized and coloured by the room's style sheet.
            self.status.hide()
            self._make_room_column(layout)
        else:
            self._make_actions()
            self.caption.hide()
            self.cards_palette = PaletteWidget(document)
            self.cards_palette.entry_chosen.connect(self.add_from_palette)
            palette_label = QLabel(_("Add to the &canvas"))
            palette_label.setObjectName("sectionLabel")
            palette_label.setBuddy(self.cards_palette)
            side = QWidget()
            side_layout = QVBoxLayout(side)
            side_layout.setContentsMargins(8, 0, 0, 0)
            side_layout.addWidget(palette_label)
            side_layout.addWidget(self.cards_palette, 1)
            splitter = QSplitter()
            self.splitter = splitter
            splitter.addWidget(self.view)
            splitter.addWidget(side)
            splitter.setStretchFactor(0, 1)
            splitter.setSizes([1000, 260])
            layout.addWidget(self.edit_row)
            layout.addWidget(self.show_row)
            layout.addWidget(self.options_row)
            layout.addWidget(splitter, 1)
            self._status_holder = _HintHolder(self.status)
            layout.addWidget(self._status_holder)
            # A height of its own that the words never change (see _fit_status): a hint that grew
            # or shrank would move the canvas under the mouse (the fitted view re-centres), and
            # a drag would land off target.
            self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self._fit_status(self.width())
            # Tab: the choices above the canvas, the canvas (card by card), then the palette.
            QWidget.setTabOrder(self.more_button, self.role_combo)
            QWidget.setTabOrder(self.role_combo, self.background_combo)
            QWidget.setTabOrder(self.background_combo, self.view)
            QWidget.setTabOrder(self.view, self.cards_palette)
            self.scene_.selectionChanged.connect(self._selection_changed)
            document.cards_changed.connect(self._sync_settings)
            self._sync_settings()
            self._selection_changed()
        self._update_caption()
        # Not a focus proxy: Tab would jump from whatever precedes this widget straight to the
        # canvas, past the choices above it. Focus given to the widget is handed on instead.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # What the room looks at is the document's, shared like the matrix's box.
        document.focus_changed.connect(self._room_focus_changed)
        if audience:
            for key in (LAYER_KEY, CARD_KEY):
                self._room_focus_changed(key)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.audience:
            self._room_timer.start()
            return
        # The tool rows are placed at their width only as they are shown, just now: one that
        # takes more lines (a narrow window) is taller, and the canvas under it is laid out
        # again here rather than at a later turn of the event loop, after the board would have
        # been painted once at a height it keeps for one frame, and then painted again.
        layout = self.layout()
        if layout is not None:
            layout.activate()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if not self.audience and event.size().width() != event.oldSize().width():
            self._fit_status(event.size().width())

    def _fit_status(self, width: int) -> None:
        """The hint's height at this width: two lines, or as many as the guidance shown when no
        card is chosen needs (the longest it usually says), so the step's instruction is never
        cut. It changes only with the width, never with what the hint says."""
        metrics = self.status.fontMetrics()
        flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft
        words = metrics.boundingRect(QRect(0, 0, max(width, 50), 100_000), flags, self._idle_hint()).height()
        height = max(2 * metrics.lineSpacing(), words) + 6
        holder = self._status_holder
        if holder.minimumHeight() != height or holder.maximumHeight() != height:
            holder.setFixedHeight(height)

    @staticmethod
    def _idle_hint() -> str:
        return _(
            "Double-click empty space (or press Insert) to add a card. Drag cards, or move "
            "them with the arrow keys; Tab walks through them. F2 edits words, F focuses the room "
            "on a card."
        )

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(event)
        self.view.setFocus(event.reason())

    # --- the room's form ----------------------------------------------------------

    # The step content leaves this tool the step's title and opening words: they stand beside
    # the board, not above it, so the board has the whole height of the screen.
    shows_its_heading = True

    def _make_room_column(self, layout: QBoxLayout) -> None:
        self.type_factor = 1.0
        self.room_theme = LIGHT
        self.footer_height = 0
        self.position = plain_label(name="hint")
        self.heading = plain_label(wrap=True, name="stepTitle")
        self.lead = plain_label(wrap=True, name="stepLead")
        self.key = RoomKeyWidget()
        self.side = QWidget()
        self.side.setObjectName("canvasSide")
        # Its height never holds the room's window taller than the screen: the column is fitted
        # to the height it is given (lay_out_room), not the other way round.
        self.side.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Ignored)
        column = self.side_column = QVBoxLayout(self.side)
        column.setContentsMargins(16, 0, 0, 0)
        column.setSpacing(8)
        for widget in (self.position, self.heading, self.caption, self.key, self.lead):
            column.addWidget(widget)
        column.addStretch(1)
        self.footer_space = QWidget()
        self.footer_space.setFixedHeight(0)
        column.addWidget(self.footer_space)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.side, 0)
        self._room_timer = QTimer(self)
        self._room_timer.setSingleShot(True)
        self._room_timer.setInterval(0)
        self._room_timer.timeout.connect(self.lay_out_room)
        self.document.changed.connect(lambda *_args: self._room_timer.start())
        self.view.resized.connect(self._room_timer.start)

    def set_heading(self, position: str, title: str, lead: str) -> None:
        """The step's place, title and opening words (the room's step content hands them over)."""
        self.position.setText(position)
        self.heading.setText(title)
        self.lead.setText(lead)
        self.lead.setVisible(bool(lead))

    def set_type_scale(self, factor: float) -> None:
        self.type_factor = factor
        self._room_timer.start()

    def set_room_theme(self, room: RoomTheme) -> None:
        self.room_theme = room
        self._room_timer.start()

    def set_footer_height(self, height: int) -> None:
        """The room's timer sits over the bottom of this column: keep that much free."""
        self.footer_height = height
        self.footer_space.setFixedHeight(height)

    def lay_out_room(self, *, ahead: bool = False) -> None:
        """Size the board to the view, and the cards as large as the back row needs and as
        the laptop's layout allows (see room.py). `ahead`: unseen, at the size this widget was
        given (see `plan_ahead`)."""
        if not self.audience or not (ahead or self.isVisible()):
            return  # laid out when shown (see showEvent): the room may be on another step
        # Large type (Ctrl+plus) makes the board's words and the key larger too, but only up to
        # a fifth over their design size: beyond that the board itself would have to shrink.
        screen = self.window().height() / 1080
        factor = min(self.type_factor, CANVAS_MAX_SCALE * screen)
        self.key.set_background(self.scene_.background)
        look = (factor, self.room_theme.name)
        if look != getattr(self, "_side_look", None):
            # Only when it changed: setting a sheet polishes the whole column again.
            self._side_look = look
            self.side.setStyleSheet(side_sheet(factor, self.room_theme))
            self.key.set_look(factor, self.room_theme)
        # The column: wide enough for the key. When the screen's height cannot hold it all one
        # under another (large type), the step's number goes, then the key takes two columns;
        # the opening words show only where there is room left for them.
        spacing = self.side_column.spacing()
        margins = 16
        for columns, numbered in ((1, True), (1, False), (2, True), (2, False)):
            key = self.key.needs(columns)
            width = min(max(round(420 * factor), key.width() + margins), self.width() * 3 // 5)
            inner = width - margins
            shown = [self.heading, self.caption] + ([self.position] if numbered else [])
            above = sum(w.heightForWidth(inner) + spacing for w in shown if w.text())
            used = above + key.height() + spacing + self.footer_height
            if used <= self.height():
                break
        self.position.setVisible(numbered)
        self.key.set_columns(columns)
        self.side.setFixedWidth(width)
        lead = self.lead.heightForWidth(inner) + spacing if self.lead.text() else 0
        self.lead.setVisible(bool(self.lead.text()) and used + lead <= self.height())
        view: QWidget | QSize = self.view.viewport()
        if ahead:
            # Unseen, the view's viewport has its size only once shown (or grabbed): the view
            # has its own once this widget's layout is made again, and the room's has no frame
            # and no scroll bars.
            layout = self.layout()
            if layout is not None:
                layout.invalidate()
                layout.activate()
            view = self.view.maximumViewportSize()
        if view.width() < 50 or view.height() < 50:
            return
        # The board's words keep the screen's design size: larger, they would shrink the grid
        # and with it the cards. Large type makes the cards larger where the layout allows.
        board = RoomBoard(view.width(), view.height(), screen, self.scene_.background)
        cards = [(item.card.text, item.pos()) for item in self.view.visible_card_items()]
        wanted = wanted_card_scale(board.scale, factor)
        scale = room_card_scale(cards, wanted)
        if abs(scale - self.scene_.scale) > 0.005:
            self.scene_.set_card_scale(scale)
        self.view.set_board(board, self.room_theme)
        self.room_laid_out.emit()

    def lay_out_room_now(self) -> bool:
        """`lay_out_room` at once, and this widget's layout after it (the room's window settles
        a new step before its first frame: see AudienceWindow._settle_step). Returns whether
        the view's size changed, when the window's layout must be made again and this again."""
        if not self.audience or not self.isVisible():
            return False
        before = self.view.viewport().size()
        self.lay_out_room()
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self._room_timer.stop()  # done: the resizes of the settling asked for it again
        return self.view.viewport().size() != before

    def look_ahead(self) -> bool:
        """The laptop's canvas, made unseen ahead of its first visit (ui/workshop/warmup.py):
        look for its hidden cards now, for a view well short of any the window gives it, which
        the visit's paint trusts at its own, larger zoom (`CanvasScene.cull_for_paint`): a look
        at a crowded canvas is some milliseconds of the visit. Returns whether it looked."""
        window = self.window()
        if self.audience or self.isVisible() or window is self or not self.scene_.culls():
            return False
        rect = self.scene_.sceneRect()
        width, height = window.width() * LAPTOP_VIEW_SHARE[0], window.height() * LAPTOP_VIEW_SHARE[1]
        if rect.isEmpty() or width < 50 or height < 50:
            return False
        self.scene_.cull(min(width / rect.width(), height / rect.height()))
        return True

    def plan_ahead(self, size: QSize) -> bool:
        """This canvas, made unseen ahead of its step's first visit, laid out now at `size`, the
        size its step will give it, and its first frame painted into a picture
        (`CanvasView.take_first_picture`): shown at the visit if nothing it shows has changed by
        then. The room's (made while presenting, ui/presenter/audience.py) lays out its column,
        its board and its cards' size (see `room_card_scale`) as its first show would; the
        facilitator's (ui/workshop/warmup.py, `StepContentWidget.tool_size_ahead`) its rows of
        tools, its hint and its splitter. Returns whether it planned."""
        if self.isVisible() or size.width() < 100 or size.height() < 100:
            return False
        self.resize(size)
        self.ensurePolished()
        if self.audience:
            self.lay_out_room(ahead=True)
            if self.view.board is None:
                return False
        else:
            self._lay_out_unseen(size)
        self.view.take_first_picture()
        return self.view.has_first_picture()

    def _lay_out_unseen(self, size: QSize) -> None:
        """The facilitator's canvas laid out at `size` as a shown one would be: what its parts
        lay out in their own resize, which a hidden widget is sent only when shown, is done now."""
        self._fit_status(size.width())
        layout = self.layout()
        if layout is not None:
            layout.invalidate()
            layout.activate()
            # The rows of tools take their lines at their width: placed, then the layout again.
            rows = self.findChildren(ToolRow)
            for row in rows:
                row._place(row.width())
            if rows:
                layout.activate()
        # The splitter shares its width between the view and the palette.
        splitter = self.splitter
        QCoreApplication.sendEvent(splitter, QResizeEvent(splitter.size(), QSize()))

    def _room_focus_changed(self, key: str) -> None:
        if not self.audience:
            return
        value = self.document.focus(key)
        if key == LAYER_KEY and value:
            self.set_layer(LayerChoice(value))
        elif key == CARD_KEY:
            self.focus_card(value or None)

    # --- toolbars -------------------------------------------------------------

    def _action(
        self, text: str, slot: Any, keys: list[str] | None = None, tip: str = "", *, on_view: bool = False
    ) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        shortcut_words = pgettext("between shortcut keys", " or ").join(
            QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys or []
        )
        said = tip or text
        action.setToolTip(
            _("{tip} ({keys})").format(tip=said, keys=shortcut_words) if shortcut_words else said
        )
        action.triggered.connect(slot)
        # Card keys work while the canvas has the focus; the rest anywhere in this widget.
        if on_view:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.view.addAction(action)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        return action

    def _make_actions(self) -> None:
        self.add_person_action = self._action(
            _("+ Person or group"),
            lambda: self.start_new(CardKind.STAKEHOLDER),
            ["Ins", "Ctrl+Shift+N"],
            _("Add a card for a person or group"),
        )
        self.add_decision_action = self._action(
            _("+ Decision"),
            lambda: self.start_new(CardKind.DECISION),
            ["Shift+Ins"],
            _("Add a card for a decision or activity"),
        )
        self.duplicate_action = self._action(
            _("Duplicate"),
            self.duplicate_selected,
            ["Ctrl+D"],
            _("Duplicate the selected cards"),
            on_view=True,
        )
        self.delete_action = self._action(
            _("Delete"), self.delete_selected, ["Del"], _("Delete the selected cards"), on_view=True
        )
        self.off_layer_action = self._action(
            _("Take off this layer"),
            self.scene_.take_selected_off_layer,
            [],
            _("Take the selected cards off the layer shown, keeping the other"),
        )
        self.edit_action = self._action(
            _("Edit words"),
            self.edit_selected,
            ["F2"],
            _("Edit the words of the selected card"),
            on_view=True,
        )
        self.role_combo = QComboBox()
        self.role_combo.setAccessibleName(_("Role group"))
        self.role_combo.setToolTip(_("The role group of the selected cards, and of new person cards"))
        for role in RoleGroup:
            self.role_combo.addItem(_(role.label), role.value)
        self.role_combo.addItem(_("No role group"), "")
        self.role_combo.setCurrentIndex(self.role_combo.findData(RoleGroup.OTHER.value))
        self.role_combo.activated.connect(self._role_chosen)

        self.layer_group = QActionGroup(self)
        self.layer_group.setExclusive(True)
        self.layer_actions: dict[LayerChoice, QAction] = {}
        for choice in LayerChoice:
            action = self._action(
                choice.label,
                lambda _checked=False, c=choice: self.set_layer(c),
                [LAYER_KEYS[choice]],
                _("Show {what}").format(what=choice.caption.lower()),
            )
            action.setCheckable(True)
            action.setChecked(choice is self.scene_.show_choice)
            self.layer_group.addAction(action)
            self.layer_actions[choice] = action
        self.background_combo = QComboBox()
        self.background_combo.setAccessibleName(_("Background"))
        self.background_combo.setToolTip(_("What the canvas is drawn on; the cards stay where they are"))
        for background, name in BACKGROUND_NAMES.items():
            self.background_combo.addItem(_(name), background.value)
        self.background_combo.activated.connect(self._background_chosen)
        self.snap_action = self._action(
            _("Snap to grid"), self._snap_toggled, [], _("Cards land on a grid of small steps")
        )
        self.snap_action.setCheckable(True)
        self.zoom_out_action = self._action("−", self.view.zoom_out, ["Ctrl+-"], _("Zoom out"))
        self.fit_action = self._action(_("Fit"), self.fit, ["Ctrl+0"], _("Show the whole canvas"))
        self.zoom_in_action = self._action("+", self.view.zoom_in, ["Ctrl++", "Ctrl+="], _("Zoom in"))
        self.focus_action = self._action(
            _("Focus"),
            self.toggle_focus,
            ["F"],
            _("Zoom to the selected card and dim the rest, for the room"),
            on_view=True,
        )
        self.focus_action.setCheckable(True)
        self.export_action = self._action(
            _("Save picture…"), self.save_picture, [], _("Save the canvas as a PNG picture or an SVG drawing")
        )
        for action in (self.zoom_out_action, self.zoom_in_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.removeAction(action)
            self.view.addAction(action)

        self.add_bar = QToolBar(_("New cards"))
        self.add_bar.setAccessibleName(_("New cards"))
        for action in (self.add_person_action, self.add_decision_action):
            self.add_bar.addAction(action)
        self.add_bar.addSeparator()
        self.edit_bar = QToolBar(_("Cards"))
        self.edit_bar.setAccessibleName(_("Card tools"))
        for action in (self.edit_action, self.duplicate_action, self.delete_action):
            self.edit_bar.addAction(action)
        self.edit_bar.addSeparator()
        # The tools used least, in a menu of their own: the rows then fit a small laptop's middle
        # column whole. Toolbar buttons take no Tab stop (each tool has a shortcut key); these
        # have none, so the menu's button does: Tab to it, then Space or Down opens it.
        self.more_menu = QMenu(_("More canvas tools"), self)
        self.more_menu.setAccessibleName(_("More canvas tools"))
        self.more_menu.addAction(self.off_layer_action)
        self.more_menu.addSeparator()
        self.more_menu.addAction(self.snap_action)
        self.more_menu.addSeparator()
        self.more_menu.addAction(self.export_action)
        self.more_menu.setToolTipsVisible(True)
        self.more_button = _MenuButton()
        self.more_button.setText(_("More"))
        self.more_button.setMenu(self.more_menu)
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.more_button.setAutoRaise(True)
        self.more_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.more_button.setAccessibleName(_("More canvas tools"))
        more_words = _(
            "Take cards off the layer shown, snap cards to the grid, or save the canvas as a picture"
        )
        self.more_button.setAccessibleDescription(more_words)
        self.more_button.setToolTip(more_words)
        self.edit_bar.addWidget(self.more_button)
        self.edit_row = ToolRow((self.add_bar, self.edit_bar))

        self.show_bar = QToolBar(_("Show"))
        self.show_bar.setAccessibleName(_("What the canvas shows"))
        self.show_bar.addWidget(QLabel(_(" Show: ")))
        for action in self.layer_actions.values():
            self.show_bar.addAction(action)
        self.show_bar.addSeparator()
        self.zoom_bar = QToolBar(_("Zoom and focus"))
        self.zoom_bar.setAccessibleName(_("Zoom and focus"))
        for action in (self.zoom_out_action, self.fit_action, self.zoom_in_action, self.focus_action):
            self.zoom_bar.addAction(action)
        self.show_row = ToolRow((self.show_bar, self.zoom_bar))
        # The two choices live in a row of their own, not in a toolbar: on a narrow laptop a
        # toolbar hides what does not fit behind its » button, where Tab cannot reach it.
        groups: list[QWidget] = []
        for text, combo in ((_("&Role group:"), self.role_combo), (_("&Background:"), self.background_combo)):
            label = QLabel(text)
            label.setBuddy(combo)
            group = QWidget()
            group_layout = QHBoxLayout(group)
            group_layout.setContentsMargins(0, 0, 0, 0)
            group_layout.addWidget(label)
            group_layout.addWidget(combo)
            groups.append(group)
        # As the row was laid out before it could wrap: 6 px in from each side, 24 between.
        self.options_row = ToolRow(tuple(groups), spacing=24, line_spacing=6, side=6, fill=False)
        self.options_row.setObjectName("canvasOptions")

    # --- what the canvas shows --------------------------------------------------

    @property
    def layer(self) -> LayerChoice:
        return self.scene_.show_choice

    def set_layer(self, choice: LayerChoice | str) -> None:
        choice = LayerChoice(choice)
        if self.view.editor is not None:
            self.view.editor.line.clearFocus()
        changed = choice is not self.scene_.show_choice
        self.scene_.set_show(choice)
        if not self.audience:
            self.layer_actions[choice].setChecked(True)
            editable = choice.editing is not None
            self.add_person_action.setEnabled(editable)
            self.add_decision_action.setEnabled(editable)
            if self.cards_palette is not None:
                self.cards_palette.setEnabled(editable)
            self._selection_changed()
        if self.scene_.focus_id is not None:
            self.view.focus_on(self.scene_.focus_id)
        self._update_caption()
        if self.audience:
            self._room_timer.start()
        if changed:
            self.layer_changed.emit(choice.value)
        if not self.audience:
            self.document.set_focus(LAYER_KEY, choice.value)

    def fit(self) -> None:
        self.focus_card(None)
        self.view.fit()

    def focus_card(self, card_id: str | None) -> bool:
        """Zoom to a card and dim the others, for the room; None shows everything again."""
        before = self.scene_.focus_id
        done = self.view.focus_on(card_id)
        if not self.audience:
            self.focus_action.setChecked(self.scene_.focus_id is not None)
        self._update_caption()
        if self.scene_.focus_id != before:
            self.focus_changed.emit(self.scene_.focus_id)
        if not self.audience:
            self.document.set_focus(CARD_KEY, self.scene_.focus_id or "")
        return done

    def toggle_focus(self) -> None:
        if self.scene_.focus_id is not None:
            self.focus_card(None)
            return
        ids = self.scene_.selected_card_ids()
        if not ids or not self.focus_card(ids[0]):
            self.focus_action.setChecked(False)
            self.status.setText(_("Choose a card first, then press F to focus the room on it."))

    def _update_caption(self) -> None:
        text = self.scene_.show_choice.caption
        if self.scene_.focus_id is not None:
            card = self.document.session.get(Card, self.scene_.focus_id)
            if card is not None:
                text = _("{caption} · Looking at: {card}").format(caption=text, card=card.text)
        self.caption.setText(text)

    # --- editing ------------------------------------------------------------------

    def _free_spot(self) -> QPointF:
        """The middle of what the view shows, moved along until no card sits right there."""
        centre = self.view.mapToScene(self.view.viewport().rect().center())
        x = min(max(centre.x(), 60.0), SIZE - 60.0)
        y = min(max(centre.y(), 60.0), SIZE - 60.0)
        layer = self.scene_.show_choice.editing or Layer.NOW
        taken = {plan.position(c, layer) for c in self.document.session.cards}
        for _round in range(40):
            if not any(p is not None and abs(p[0] - x) < 40 and abs(p[1] - y) < 40 for p in taken):
                break
            x, y = x + 50, y + 50
            if x > SIZE - 60 or y > SIZE - 60:
                x, y = x - 500 + 25, y - 500
        return QPointF(x, y)

    def start_new(self, kind: CardKind) -> None:
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.view.start_new(kind, self._free_spot())

    def add_from_palette(self, payload: dict[str, Any]) -> None:
        if self.scene_.show_choice.editing is None:
            self.status.setText(_("Choose Now, Aspiration or Both to add cards."))
            return
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.view.place_entry(payload, self._free_spot())

    def duplicate_selected(self) -> None:
        self.scene_.duplicate_selected()

    def delete_selected(self) -> None:
        self.scene_.delete_selected()

    def edit_selected(self) -> None:
        items = self.scene_.selected_card_items()
        if items:
            self.view.start_edit(items[0].card_id, items[0].layer)

    def _role_chosen(self, index: int) -> None:
        value = self.role_combo.itemData(index)
        role = RoleGroup(value) if value else None
        self.view.new_role = role
        self.scene_.set_role_of_selected(role)

    def _background_chosen(self, index: int) -> None:
        background = CanvasBackground(self.background_combo.itemData(index))
        settings = self.document.session.canvas
        if background is not settings.background:
            self.document.put(
                replace(settings, background=background),
                _("Show the background: {name}").format(name=_(BACKGROUND_NAMES[background]).lower()),
            )

    def _snap_toggled(self, checked: bool) -> None:
        settings = self.document.session.canvas
        if checked != settings.snap:
            self.document.put(
                replace(settings, snap=checked),
                _("Snap cards to the grid") if checked else _("Stop snapping cards to the grid"),
            )

    def _sync_settings(self) -> None:
        settings = self.document.session.canvas
        self.background_combo.setCurrentIndex(self.background_combo.findData(settings.background.value))
        self.snap_action.setChecked(settings.snap)
        self._selection_changed()

    def _selection_changed(self) -> None:
        items = self.scene_.selected_card_items()
        has = bool(items)
        for action in (self.duplicate_action, self.delete_action, self.edit_action, self.off_layer_action):
            action.setEnabled(has)
        if not has:
            self.status.setText(self._idle_hint())
            return
        first = items[0].card
        if first.role is not None:
            self.role_combo.setCurrentIndex(self.role_combo.findData(first.role.value))
        elif first.kind is CardKind.DECISION:
            self.role_combo.setCurrentIndex(self.role_combo.findData(""))
        if len(items) > 1:
            self.status.setText(
                ngettext(
                    "{n} card selected. Drag it, or move it with the arrow keys.",
                    "{n} cards selected. Drag them, or move them with the arrow keys.",
                    len(items),
                ).format(n=len(items))
            )
            return
        item = items[0]
        zone = plan.zone_of(self.scene_.background, item.pos().x(), item.pos().y())
        if item.placeholder:
            state = _("not placed yet")
        elif item.layer is Layer.NOW:
            state = _("on the now layer")
        else:
            state = _("on the aspiration layer")
        if zone is not None and not item.placeholder:
            state = _("{where} in ‘{zone}’").format(where=state, zone=_(zone.name))
        who = _(plan.mark_of(first).name)
        words = " ".join(first.text.split())
        words = words if len(words) <= 60 else words[:59] + "…"
        self.status.setText(_("Selected: {card} · {who} · {state}.").format(card=words, who=who, state=state))

    # --- pictures ----------------------------------------------------------------

    def save_picture(self) -> Path | None:
        folder = self.document.path
        start = folder.with_suffix(".png") if folder is not None else Path("canvas.png")
        name, chosen = QFileDialog.getSaveFileName(
            self, _("Save the canvas as a picture"), str(start), _("PNG picture (*.png);;SVG drawing (*.svg)")
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() not in (".png", ".svg"):
            path = path.with_suffix(".svg" if "svg" in chosen.lower() else ".png")
        from .export import export_png, export_svg  # only when asked for (QtSvg and all)

        try:
            saved = export_svg(self, path) if path.suffix.lower() == ".svg" else export_png(self, path)
        except KnownError as exc:
            self.status.setText(str(exc))
            return None
        self.status.setText(_("Saved the canvas as {file}.").format(file=saved.name))
        return saved
