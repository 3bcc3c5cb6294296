"""Getting the canvas step ready while the room is on the steps before it.

The canvas's first visit in a run of the app used to import its code, work out each card's
shape, outline and lines of words, and make its scene: two items and an arrow per card. For a
large session (500 cards) that was most of that first visit, which took it past the 100 ms a
step may take to open. A workshop reaches the canvas only after the definitions and the matrix,
so `CanvasWarmUp` does that work while the app is idle there: it begins a while after the
workshop is on screen (never on the way to the first frame), imports the canvas in one go, then
makes the facilitator's scene of the canvas (`steps/canvas/scene.py`, `build_ahead`), laying
its cards out a couple of milliseconds per turn of the event loop, so a key pressed meanwhile
waits no longer than that. The scene has no view until the canvas's first visit takes it
(`take_ahead`): nothing is shown, stored or announced before. A session with no canvas step or
no cards is left alone.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterator

from PySide6.QtCore import QObject, QTimer, Signal

from ...domain.model import StepKind
from ..document import SessionDocument

DELAY_MS = 500  # after the workshop is made: its first frame and the start-up's tidy-up come first


class CanvasWarmUp(QObject):
    """Makes `document`'s canvas scene in idle moments, starting `delay_ms` from now."""

    finished = Signal()

    def __init__(
        self,
        document: SessionDocument,
        parent: QObject,
        *,
        delay_ms: int = DELAY_MS,
        slice_s: float | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.slices = 0  # how many turns of the loop it took (for tests)
        self.longest_slice_s = 0.0  # the most CPU time one turn took (for tests and probes)
        self._slice_s = slice_s
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
        if not session.cards:
            return
        scene = importlib.import_module("..steps.canvas.scene", __package__)
        budget = {} if self._slice_s is None else {"budget_s": self._slice_s}
        self._work = scene.build_ahead(self.document, self, **budget)
        self._turn.start()

    def _next_slice(self) -> None:
        if self._work is None:
            self._turn.stop()
            return
        began = time.thread_time()
        try:
            next(self._work)
            self.slices += 1
        except StopIteration:
            self._work = None
            self._turn.stop()
            self.finished.emit()
        finally:
            self.longest_slice_s = max(self.longest_slice_s, time.thread_time() - began)
