"""Getting the canvas step ready while the room is on the steps before it.

The canvas's first visit in a run of the app imports its code and works out each card's
shape, outline and lines of words (`steps/canvas/items.py`, kept per text for the rest of the
run). For a large session (500 cards) that was over half of that first visit, which took it
past the 100 ms a step may take to open. A workshop reaches the canvas only after the
definitions and the matrix, so `CanvasWarmUp` does that work while the app is idle there: it
begins a while after the workshop is on screen (never on the way to the first frame), imports
the canvas in one go, then prepares a few cards per turn of the event loop, each turn a few
milliseconds, so a key pressed meanwhile waits no longer than that. Nothing is shown or
stored; a session with no canvas step or no cards is left alone.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from PySide6.QtCore import QObject, QTimer, Signal

from ...domain.model import StepKind
from ..document import SessionDocument

DELAY_MS = 500  # after the workshop is made: its first frame and the start-up's tidy-up come first


class CanvasWarmUp(QObject):
    """Prepares `document`'s canvas cards in idle moments, starting `delay_ms` from now."""

    finished = Signal()

    def __init__(self, document: SessionDocument, parent: QObject, *, delay_ms: int = DELAY_MS) -> None:
        super().__init__(parent)
        self.document = document
        self.slices = 0  # how many turns of the loop it took (for tests)
        self._work: Iterator[None] | None = None
        self._turn = QTimer(self)
        self._turn.setInterval(0)
        self._turn.timeout.connect(self._next_slice)
        QTimer.singleShot(delay_ms, self, self._begin)

    @property
    def running(self) -> bool:
        return self._work is not None

    def _begin(self) -> None:
        session = self.document.session
        if not any(step.kind is StepKind.CANVAS for step in session.steps):
            return
        cards = list(session.cards)
        if not cards:
            return
        items = importlib.import_module("..steps.canvas.items", __package__)
        self._work = items.warm_up(cards)
        self._turn.start()

    def _next_slice(self) -> None:
        if self._work is None:
            self._turn.stop()
            return
        try:
            next(self._work)
            self.slices += 1
        except StopIteration:
            self._work = None
            self._turn.stop()
            self.finished.emit()
