"""Presenter mode: the clean audience view for the projector, driven by a clicker.

`AudienceWindow` shows only what the room may see: the step's title, text and
tool in their audience form, and the timer. It never holds the facilitator's
notes, and tools in audience form never show results before they are revealed.
`PresenterController` puts it on the chosen screen, full screen, and keeps the
facilitator's own window on the other screen as the console; with one screen
the audience view covers it until Esc.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QPixmap, QResizeEvent, QScreen, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QStackedLayout,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain.i18n import _
from ...domain.model import StepKind
from ..document import SessionDocument
from ..workshop.stepcontent import StepContentWidget
from ..workshop.steptimer import StepTimer, TimerWidget
from ..workshop.warmup import QuietSpell
from .clicker import RoomClicker
from .roomstyle import room_style_sheet, theme, timer_style_sheet

NEXT_KEYS = {Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space, Qt.Key.Key_Return}
PREVIOUS_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Backspace}
BLACKOUT_KEYS = {Qt.Key.Key_B, Qt.Key.Key_Period}  # clickers send "." or "b" for a black screen
ROOM_AHEAD_QUIET_MS = 1000  # presenting, with no change for this long: the room's canvas is made

# The room's type never goes below the design size: what no longer fits pages instead.
MIN_SCALE, MAX_SCALE, SCALE_STEP = 1.0, 2.5, 0.1


def audience_style(type_factor: float, high_contrast: bool) -> str:
    """The audience view's style sheet (sizes and colours live in roomstyle)."""
    return room_style_sheet(type_factor, theme(high_contrast))


class AudienceWindow(QWidget):
    """What the projector shows. Keys: next/previous, B blackout, Esc leaves, Ctrl+plus/minus/0 scale."""

    leave_requested = Signal()
    blackout_toggled = Signal(bool)

    def __init__(
        self,
        document: SessionDocument,
        timer: StepTimer,
        parent: QWidget | None = None,
        *,
        clicker: RoomClicker | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("audienceWindow")
        self.setWindowTitle(_("coprod-desktop — audience view"))
        self.setAccessibleName(_("Audience view"))
        self.document = document
        self.timer = timer
        self.scale = 1.0
        self.high_contrast = False
        self.content = StepContentWidget(document, audience=True)
        self.content.tool_created.connect(self._scale_tool)
        self.content.tool_created.connect(self._follow_tool)
        self.clicker = clicker or RoomClicker(document, lambda: self.content)
        self.timer_widget = TimerWidget(timer, controls=False)
        footer = QWidget()
        footer.setObjectName("audienceFooter")
        footer.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        footer_layout = QHBoxLayout(footer)
        footer_layout.setContentsMargins(24, 0, 24, 12)
        self.page_label = QLabel()
        self.page_label.setObjectName("pageNumber")
        self.page_label.setAccessibleName(_("Page of this step"))
        self.content.page_changed.connect(self._show_page_text)
        footer_layout.addWidget(
            self.page_label, 1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        footer_layout.addWidget(self.timer_widget, 0, Qt.AlignmentFlag.AlignRight)
        page = self.page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(40, 24, 40, 12)
        page_layout.addWidget(self.content, 1)
        self.page_layout = page_layout
        self.aside: Any = None  # shown in the step's place: see show_aside
        page_layout.addWidget(footer)
        self.footer, self.page_layout = footer, page_layout
        document.step_changed.connect(self._place_footer)
        document.step_changed.connect(self._settle_step)
        self.blackout = QWidget()
        self.blackout.setObjectName("blackout")
        self.blackout.setAccessibleName(_("Screen blacked out"))
        self.pages = QStackedLayout(self)
        self.pages.addWidget(page)
        self.pages.addWidget(self.blackout)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.apply_style()

    # --- look --------------------------------------------------------------------

    @property
    def fit_factor(self) -> float:
        """Type is designed for a 1080-line projector and follows the projector's height."""
        return round(min(max(self.height() / 1080, 0.4), 2.0), 3)

    @property
    def type_factor(self) -> float:
        """The screen's factor times the facilitator's scale: what every room size is multiplied by."""
        return self.scale * self.fit_factor

    def apply_style(self) -> None:
        self._styled_factor = self.fit_factor
        look = (self.type_factor, self.high_contrast)
        if look == getattr(self, "_styled_look", None):
            return  # nothing to restyle (a new sheet re-polishes every widget of the room)
        self._styled_look = look
        self.setStyleSheet(audience_style(self.type_factor, self.high_contrast))
        room = theme(self.high_contrast)
        self.timer_widget.display.setStyleSheet(timer_style_sheet(self.type_factor, room))
        for tool in self.content.made_tools():
            self._scale_tool(tool)
        self.content.repaginate()
        if self.aside is not None:
            self.aside.repaginate()
        self._show_page_text((self.aside or self.content).page_text())
        if hasattr(self, "footer"):
            self._place_footer()

    def show_aside(self, widget: Any) -> None:
        """Show `widget` in the step's place ("What changed" from ui/steps/compare), or the step
        again with None. It is the room's view as a step is: the clicker turns its pages (it has
        `turn_page`, `show_last_page`, `page_text`, `repaginate` and `page_changed`), B blacks it
        out, Esc leaves presenting, and the timer and page number stay in the footer."""
        if self.aside is not None:
            self.page_layout.removeWidget(self.aside)
            self.aside.hide()
            self.aside.deleteLater()
        self.aside = widget
        self.content.setVisible(widget is None)
        if widget is not None:
            self.page_layout.insertWidget(1, widget, 1)
            widget.show()
            widget.page_changed.connect(lambda: self._show_page_text(widget.page_text()))
        self.apply_style()  # places the footer too: under the aside, never over it

    def _scale_tool(self, tool: object) -> None:
        """Tools that size their own type (in pixels) or colours follow the room's scale and theme."""
        set_theme = getattr(tool, "set_room_theme", None)
        if set_theme is not None:
            set_theme(theme(self.high_contrast))
        scale_type = getattr(tool, "set_type_scale", None)
        if scale_type is not None:
            scale_type(self.type_factor)

    def _follow_tool(self, tool: object) -> None:
        laid_out = getattr(tool, "room_laid_out", None)
        if laid_out is not None:
            laid_out.connect(self._place_footer)

    def _place_footer(self, *_args: object) -> None:
        """Under the step, or over the bottom corner of a tool that fills the screen's height
        and keeps that corner free (the canvas's column)."""
        tool = self.content.current_tool()
        overlay = self.aside is None and callable(getattr(tool, "set_footer_height", None))
        in_layout = self.page_layout.indexOf(self.footer) >= 0
        if overlay and in_layout:
            self.page_layout.removeWidget(self.footer)
        elif not overlay and not in_layout:
            self.page_layout.addWidget(self.footer)
        if overlay:
            height = self.footer.sizeHint().height()
            tool.set_footer_height(height)  # type: ignore[union-attr]
            page = self.page
            margins = self.page_layout.contentsMargins()
            # As wide as the tool's column (the timer's words change with the step).
            column = getattr(tool, "side", None)
            if column is not None:
                # Placed again when the column's width settles: the window's own resize places
                # it first, at the column's old width (a room made smaller kept a footer as
                # wide as the larger room's column, over the corner of the canvas's board).
                column.installEventFilter(self)
            width = max(self.footer.sizeHint().width(), column.width() if column is not None else 0)
            width = min(width, page.width())
            x = page.width() - margins.right() - width + 24  # the timer where it always is
            self.footer.setGeometry(x, page.height() - height - margins.bottom(), width, height)
            self.footer.raise_()

    def _settle_step(self, *_args: object) -> None:
        """A tool that lays itself out for the room (the canvas: its column, its board, its cards'
        size, the footer over its corner) is laid out now, with the window, before the room's
        first frame of the step. Left to the next turns of the event loop, that frame showed it
        at the last step's sizes, with no board, and the next few moved it into place."""
        if not self.isVisible() or self.aside is not None:
            return
        tool = self.content.current_tool()
        settle = getattr(tool, "lay_out_room_now", None)
        if tool is None or settle is None:
            return
        for _pass in range(4):  # the column's width, then the footer beside it, then the step's height
            for widget in (self, self.page, self.content, tool):
                layout = widget.layout()
                if layout is not None:
                    layout.activate()
            if not settle():
                break

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        column = getattr(self.content.current_tool(), "side", None)
        if event.type() == QEvent.Type.Resize and watched is column:
            self._place_footer()
        return super().eventFilter(watched, event)

    def _show_page_text(self, text: str) -> None:
        if getattr(self, "aside", None) is not None:
            # The step under the aside may lay itself out again meanwhile: the room is on the aside.
            text = self.aside.page_text()
        self.page_label.setText(text.capitalize() if text else "")
        self.page_label.setVisible(bool(text))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.fit_factor != getattr(self, "_styled_factor", None):
            self.apply_style()
        self._place_footer()

    def set_scale(self, scale: float) -> None:
        self.scale = round(min(max(scale, MIN_SCALE), MAX_SCALE), 2)
        self.apply_style()

    def set_high_contrast(self, on: bool) -> None:
        self.high_contrast = on
        self.setProperty("highContrast", on)  # read by drawings such as the bar chart
        self.apply_style()
        self.update()

    def set_second_language(self, tag: str | None) -> None:
        """A bilingual room: the workshop's words in `tag` too (None: one language)."""
        self.content.set_second_language(tag)
        self.content.repaginate()

    @property
    def blacked_out(self) -> bool:
        return self.pages.currentWidget() is self.blackout

    def set_blackout(self, on: bool) -> None:
        if on != self.blacked_out:
            self.pages.setCurrentIndex(1 if on else 0)
            self.blackout_toggled.emit(on)

    # --- keys --------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = Qt.Key(event.key())
        control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if control and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.set_scale(self.scale + SCALE_STEP)
        elif control and key == Qt.Key.Key_Minus:
            self.set_scale(self.scale - SCALE_STEP)
        elif control and key == Qt.Key.Key_0:
            self.set_scale(1.0)
        elif key in NEXT_KEYS:
            self.clicker.next()
        elif key in PREVIOUS_KEYS:
            self.clicker.previous()
        elif key in BLACKOUT_KEYS:
            self.set_blackout(not self.blacked_out)
        elif key == Qt.Key.Key_Escape:
            self.leave_requested.emit()
        elif key == Qt.Key.Key_T:
            self.timer.toggle()
        elif key == Qt.Key.Key_H:
            self.set_high_contrast(not self.high_contrast)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def texts_on_every_page(self) -> list[str]:
        """What `texts` gives on each of the current step's pages, the page left as it was."""
        pager = self.content.current_pager()
        if pager is None or pager.page_count() <= 1:
            return self.texts()
        was = pager.page
        found: list[str] = []
        for page in range(pager.page_count()):
            pager.set_page(page)
            found += self.texts()
        pager.set_page(was)
        return found

    def texts(self) -> list[str]:
        """Every piece of text this window shows now (for tests and for screen readers' sake)."""
        found: list[str] = []
        for label in self.findChildren(QLabel):
            if label.isVisibleTo(self) and label.text():
                found.append(label.text())
        for browser in self.findChildren(QTextBrowser):
            if browser.isVisibleTo(self):
                found.append(browser.toPlainText())
        for view in self.findChildren(QAbstractItemView):
            model = view.model()
            if not view.isVisibleTo(self) or model is None:
                continue
            for row in range(model.rowCount()):
                for column in range(model.columnCount()):
                    value = model.data(model.index(row, column))
                    if value:
                        found.append(str(value))
        for widget in self.findChildren(QWidget):
            if widget.isVisibleTo(self) and widget.accessibleDescription():
                found.append(widget.accessibleDescription())
        return found


class ThumbnailLabel(QLabel):
    """A live picture of what the room sees, for the facilitator's screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thumbnail")
        self.setAccessibleName(_("What the room sees"))
        self.setMinimumSize(1, 120)
        # Ignored: the picture follows the label's width, never the other way round.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.shown_width = -1  # the width the picture was last made for

    def show_window(self, window: QWidget | None) -> None:
        self.shown_width = self.width()
        if window is None or not window.isVisible():
            self.setText(_("Not presenting"))
            return
        picture: QPixmap = window.grab()
        width = max(self.width() - 4, 160)
        self.setPixmap(picture.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation))


class RoomChangeWatcher(QObject):
    """Notes that the room's view has something new to show, so the thumbnail is grabbed again
    only then: a grab renders the whole projector-sized window. Watches the one top-level
    widget, whose update requests stand for a repaint of anything inside it."""

    CHANGES = frozenset({QEvent.Type.UpdateRequest, QEvent.Type.Resize, QEvent.Type.Show})

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.changed = True
        # Called once the window has painted its next frame (set when the step changes).
        self.after_frame: Callable[[], None] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind in self.CHANGES:
            self.changed = True
        if kind == QEvent.Type.UpdateRequest and self.after_frame is not None:
            # This event paints the frame; the call comes at the next turn, once it is done.
            QTimer.singleShot(0, self, self.after_frame)
            self.after_frame = None
        return False


class PresenterController(QObject):
    """Starts and stops presenting, and places the audience view on the chosen screen."""

    presenting_changed = Signal(bool)

    def __init__(self, document: SessionDocument, timer: StepTimer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.timer = timer
        self.window: AudienceWindow | None = None
        self.screen_name = ""  # chosen in the app; empty = the screen the laptop is not on
        self.scale = 1.0
        self.high_contrast = False
        self.second_language: str | None = None
        # Next and previous for the room, from either window: pages, then stories, then steps.
        self.clicker = RoomClicker(document, self._room_content)
        self.thumbnail_timer = QTimer(self)
        self.thumbnail_timer.setInterval(1000)
        self.thumbnails: list[ThumbnailLabel] = []
        self.thumbnail_timer.timeout.connect(self.refresh_thumbnails_if_changed)
        self.room_watcher = RoomChangeWatcher(self)
        # A new step: the thumbnail once the room has painted it, not before (a grab renders the
        # whole projector-sized window again: in the middle of the room's first frame of a big
        # canvas it held that frame back by as much again).
        document.step_changed.connect(self._thumbnail_after_frame)
        # While presenting, the room's canvas is made unseen in a quiet moment (no change to the
        # session for ROOM_AHEAD_QUIET_MS), as the laptop's is (ui/workshop/warmup.py): the step
        # that shows it then only shows and paints it, in both windows.
        self._room_ahead = QuietSpell(document, ROOM_AHEAD_QUIET_MS, self._make_room_canvas, self)

    def _thumbnail_after_frame(self, _step: object = None) -> None:
        if self.presenting:
            self.room_watcher.after_frame = self.refresh_thumbnails

    def _make_room_canvas(self) -> None:
        if self.window is not None and self.presenting:
            content = self.window.content
            if content.make_canvas_ahead():
                # Its cards' size and the look for hidden cards, at the next turn: the making
                # and the planning are two waits for a key, not one twice as long.
                tool = content.tool(StepKind.CANVAS)
                plan = getattr(tool, "plan_room_ahead", None)
                if tool is not None and plan is not None:
                    QTimer.singleShot(0, tool, plan)

    def _room_content(self) -> StepContentWidget | None:
        """The room's view while presenting (the clicker turns its pages), else None."""
        if self.window is None or not self.presenting:
            return None
        return self.window.aside or self.window.content  # type: ignore[no-any-return, unused-ignore]

    @property
    def presenting(self) -> bool:
        return self.window is not None and self.window.isVisible()

    @staticmethod
    def screens() -> list[QScreen]:
        return list(QGuiApplication.screens())

    def audience_screen(self, console: QWidget | None) -> QScreen:
        """The chosen screen, else any screen other than the console's, else the only one."""
        screens = self.screens()
        for screen in screens:
            if screen.name() == self.screen_name:
                return screen
        console_screen = console.screen() if console is not None else QGuiApplication.primaryScreen()
        others = [s for s in screens if s is not console_screen]
        return others[0] if others else console_screen

    def start(self, console: QWidget | None = None) -> AudienceWindow:
        if self.window is None:
            self.window = AudienceWindow(self.document, self.timer, clicker=self.clicker)
            self.window.leave_requested.connect(self.stop)
            self.window.set_scale(self.scale)
            self.window.set_high_contrast(self.high_contrast)
            self.window.set_second_language(self.second_language)
            self.window.installEventFilter(self.room_watcher)
        screen = self.audience_screen(console)
        self.window.setScreen(screen)
        self.window.setGeometry(screen.geometry())
        self.window.showFullScreen()
        only_screen = console is None or console.screen() is screen
        if only_screen:
            self.window.raise_()
            self.window.activateWindow()
            self.window.setFocus()
        self.thumbnail_timer.start()
        QTimer.singleShot(100, self.refresh_thumbnails)
        self._room_ahead.start()
        self.presenting_changed.emit(True)
        return self.window

    def stop(self) -> None:
        if self.window is not None:
            self.window.set_blackout(False)
            self.window.hide()
        self.thumbnail_timer.stop()
        self.refresh_thumbnails()
        self.presenting_changed.emit(False)

    def close(self) -> None:
        self.stop()
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None

    def swap(self, console: QWidget) -> None:
        """Put the audience view on the screen the console is on, and the console on the other."""
        if not self.presenting or self.window is None:
            return
        audience = self.window.screen()
        here = console.screen()
        if audience is here:
            return
        self.screen_name = here.name()
        console_window = console.window()
        console_window.setScreen(audience)
        console_window.move(audience.availableGeometry().topLeft())
        self.start(console)

    def choose_screen(self, name: str, console: QWidget | None) -> None:
        self.screen_name = name
        if self.presenting:
            self.start(console)

    def set_scale(self, scale: float) -> None:
        self.scale = round(min(max(scale, MIN_SCALE), MAX_SCALE), 2)
        if self.window is not None:
            self.window.set_scale(self.scale)

    def set_high_contrast(self, on: bool) -> None:
        self.high_contrast = on
        if self.window is not None:
            self.window.set_high_contrast(on)

    def set_second_language(self, tag: str | None) -> None:
        self.second_language = tag or None
        if self.window is not None:
            self.window.set_second_language(self.second_language)

    def toggle_blackout(self) -> None:
        if self.window is not None and self.presenting:
            self.window.set_blackout(not self.window.blacked_out)

    def refresh_thumbnails(self) -> None:
        self.room_watcher.changed = False
        for label in self.thumbnails:
            label.show_window(self.window if self.presenting else None)

    def refresh_thumbnails_if_changed(self) -> None:
        """The timer's refresh: nothing to grab while the room's picture and the labels stay as they are."""
        resized = any(label.shown_width != label.width() for label in self.thumbnails)
        if self.room_watcher.changed or resized:
            self.refresh_thumbnails()


class KeyNavigator(QObject):
    """Lets a clicker drive the facilitator's window too: PageDown/PageUp walk the room
    (pages, stories, steps) from wherever the focus is, even a field just typed in.

    Window shortcuts rather than an event filter on the application: a filter there
    would see, and wrap for Python, every event the app handles.

    The one exception is a multi-line text box, where PageDown pages through the text:
    it gets the key straight into its own handler. Sending it a new key event instead
    would go through the application's shortcut map first, find this very shortcut and
    call `pressed` again, without end (the RecursionError a clicker used to meet after
    typing in a vote box).
    """

    def __init__(
        self, document: SessionDocument, console: QWidget, clicker: RoomClicker | None = None
    ) -> None:
        super().__init__(console)
        self.document = document
        self.clicker = clicker or RoomClicker(document, lambda: None)
        self.shortcuts = []
        for key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            shortcut = QShortcut(QKeySequence(key), console)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda key=key: self.pressed(key))
            self.shortcuts.append(shortcut)

    def detach(self) -> None:
        for shortcut in self.shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self.shortcuts.clear()

    def pressed(self, key: Qt.Key) -> None:
        focus = QApplication.focusWidget()
        multi_line = isinstance(focus, QPlainTextEdit) or (
            isinstance(focus, QTextEdit) and not focus.isReadOnly()
        )
        if multi_line and focus is not None:
            focus.keyPressEvent(QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier))
            return
        if isinstance(focus, (QLineEdit, QAbstractSpinBox, QComboBox)) and focus.window() is not None:
            # Leaving the field finishes its edit (a table cell commits, a spin box settles)
            # before the step it belongs to is replaced.
            focus.clearFocus()
        if key == Qt.Key.Key_PageDown:
            self.clicker.next()
        else:
            self.clicker.previous()
