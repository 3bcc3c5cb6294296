"""The countdown for the current step: start, pause, add a minute; a calm signal at zero.

One `StepTimer` per open session is shared by the facilitator's window and the
audience view, so both always show the same time. It resets to the step's
timebox whenever the step changes.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...domain.i18n import _
from ..document import SessionDocument


def format_seconds(seconds: int) -> str:
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 60}:{seconds % 60:02d}"


class StepTimer(QObject):
    ticked = Signal(int)  # seconds left (negative once over time)
    running_changed = Signal(bool)
    reached_zero = Signal()

    def __init__(self, document: SessionDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._left_ms = 0
        self._clock = QElapsedTimer()
        self._ticker = QTimer(self)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self._tick)
        self._signalled = False
        document.step_changed.connect(self.reset)
        document.steps_changed.connect(self._timebox_maybe_changed)
        self._timebox = -1
        self.reset()

    @property
    def running(self) -> bool:
        return self._ticker.isActive()

    @property
    def seconds_left(self) -> int:
        left = self._left_ms - (self._clock.elapsed() if self.running else 0)
        return -((-left) // 1000)  # whole seconds, rounded up

    @property
    def has_timebox(self) -> bool:
        return self._timebox > 0

    def reset(self) -> None:
        """Back to the current step's timebox, paused."""
        step = self.document.session.current_step
        self._timebox = step.minutes if step else 0
        self._ticker.stop()
        self._left_ms = self._timebox * 60_000
        self._signalled = False
        self.running_changed.emit(False)
        self.ticked.emit(self.seconds_left)

    def _timebox_maybe_changed(self) -> None:
        step = self.document.session.current_step
        if step is not None and step.minutes != self._timebox and not self.running:
            self.reset()

    def start(self) -> None:
        if not self.running:
            self._clock.restart()
            self._ticker.start()
            self.running_changed.emit(True)

    def pause(self) -> None:
        if self.running:
            self._left_ms -= self._clock.elapsed()
            self._ticker.stop()
            self.running_changed.emit(False)
            self.ticked.emit(self.seconds_left)

    def toggle(self) -> None:
        self.pause() if self.running else self.start()

    def add_minute(self) -> None:
        self._left_ms += 60_000
        if self._left_ms - (self._clock.elapsed() if self.running else 0) > 0:
            self._signalled = False
        self.ticked.emit(self.seconds_left)

    def _tick(self) -> None:
        left = self.seconds_left
        self.ticked.emit(left)
        if left <= 0 and not self._signalled:
            self._signalled = True
            self.reached_zero.emit()


class _TimerLabel(QLabel):
    """The time itself. Its text changes every second; it tells its holder to lay out again
    only when its look (font, border) changed, which is what can change its size."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            holder = self.parentWidget()
            if holder is not None:
                holder.updateGeometry()


class _TimerHolder(QWidget):
    """Holds the time label outside any layout, at a fixed size that follows the holder.

    A label whose text changes asks its layout to recompute (and the whole sidebar with it);
    a label of fixed size does not. So the holder takes the place in the layout, sized by
    the label's hints, and gives the label exactly its own size."""

    def __init__(self, label: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        label.setParent(self)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.label.sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.label.minimumSizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        self.label.setFixedSize(event.size())


class TimerWidget(QWidget):
    """The time left, large; with controls in the facilitator's window, without them for the room."""

    def __init__(self, timer: StepTimer, *, controls: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timer = timer
        self.controls = controls
        self.display = _TimerLabel()
        self.display.setObjectName("timerDisplay")
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setAccessibleName(_("Time left for this step"))
        self._state = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_TimerHolder(self.display))
        buttons = QHBoxLayout()
        layout.addLayout(buttons)
        self.start_button: QPushButton | None = None
        self.add_button: QPushButton | None = None
        self.reset_button: QPushButton | None = None
        if controls:
            self.start_button = QPushButton(_("Start"))
            self.start_button.setAccessibleName(_("Start or pause the timer"))
            self.start_button.setToolTip(_("Start or pause the countdown (T)"))
            self.start_button.clicked.connect(timer.toggle)
            self.add_button = QPushButton(_("+1 min"))
            self.add_button.setAccessibleName(_("Add a minute"))
            self.add_button.clicked.connect(timer.add_minute)
            self.reset_button = QPushButton(_("Reset"))
            self.reset_button.setAccessibleName(_("Reset the timer"))
            self.reset_button.clicked.connect(timer.reset)
            for button in (self.start_button, self.add_button, self.reset_button):
                buttons.addWidget(button)
        timer.ticked.connect(self._show)
        timer.running_changed.connect(self._running)
        self._show(timer.seconds_left)
        self._running(timer.running)

    def _show(self, seconds: int) -> None:
        # Called four times a second while running: only a new text repaints the label (once a
        # second), and only a new state restyles it; neither lays anything out again.
        if not self.timer.has_timebox and not self.timer.running:
            text, state = _("No timebox"), "none"
        elif seconds <= 0:
            # Words and a symbol as well as colour: over time is never shown by colour alone.
            text, state = _("Time is up! {time}").format(time=format_seconds(seconds)), "over"
        else:
            if self.timer.running or not self.controls:
                text = _("{time} left").format(time=format_seconds(seconds))
            else:
                text = _("{time} left (paused)").format(time=format_seconds(seconds))
            state = "running" if self.timer.running else "paused"
        if text != self.display.text():
            self.display.setText(text)
            self.display.setAccessibleDescription(text)
            # A longer text ("15:00 left" after "9:59 left", "Time is up!") needs a wider label:
            # only then does the holder ask for a new layout, so the words are never cut.
            holder = self.display.parentWidget()
            hint = self.display.minimumSizeHint()
            if holder is not None and (hint.width() > holder.width() or hint.height() > holder.height()):
                holder.updateGeometry()
        if state != self._state:
            self._state = state
            self.display.setProperty("state", state)
            if self.display.isVisible():  # a hidden label is polished when first shown
                self.display.style().unpolish(self.display)
                self.display.style().polish(self.display)

    def _running(self, running: bool) -> None:
        if self.start_button is not None:
            self.start_button.setText(_("Pause") if running else _("Start"))
        self._show(self.timer.seconds_left)
