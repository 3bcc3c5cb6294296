"""Presenter mode: the clean audience view for the projector, driven by a clicker.

`PresenterController` puts the room's window (`AudienceWindow`, in audience.py, imported
when presenting first starts) on the chosen screen, full screen, and keeps the
facilitator's own window on the other screen as the console; with one screen the
audience view covers it until Esc. `ThumbnailLabel` shows the facilitator what the room
sees, and `KeyNavigator` gives the clicker's keys to the facilitator's window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QPixmap, QScreen, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QTextEdit,
    QWidget,
)

from ...domain.i18n import _
from ...domain.model import StepKind
from ..document import SessionDocument
from ..workshop.stepcontent import StepContentWidget
from ..workshop.steptimer import StepTimer
from ..workshop.warmup import QuietSpell
from .clicker import RoomClicker

if TYPE_CHECKING:
    from .audience import AudienceWindow

NEXT_KEYS = {Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space, Qt.Key.Key_Return}
PREVIOUS_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Backspace}
BLACKOUT_KEYS = {Qt.Key.Key_B, Qt.Key.Key_Period}  # clickers send "." or "b" for a black screen
ROOM_AHEAD_QUIET_MS = 1000  # presenting, with no change for this long: the room's canvas is made

# The room's type never goes below the design size: what no longer fits pages instead.
MIN_SCALE, MAX_SCALE, SCALE_STEP = 1.0, 2.5, 0.1


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
            window, content = self.window, self.window.content
            if content.make_canvas_ahead():
                # Laid out and painted at the next turn: the making and the planning are two
                # waits for a key, not one twice as long.
                tool = content.tool(StepKind.CANVAS)
                if tool is not None and hasattr(tool, "plan_ahead"):
                    QTimer.singleShot(0, tool, lambda: window.plan_canvas_ahead(tool))

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
            from .audience import AudienceWindow  # the room's window: not before presenting

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
