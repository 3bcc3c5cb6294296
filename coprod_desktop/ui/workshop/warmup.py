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

Then, once the session has had no change for `QUIET_MS` (no vote, no name typed: the room is
listening, not keying in; a workshop's first steps are minutes of talk), counted from the start
of the warm-up, so that a session left alone while the scene was made need not wait again, it
asks for the canvas's tool itself (`make_tool`, given by the workshop screen): its rows of
choices, palette and view, made around that scene and put in the step's stack of pages unseen.
That is one longer turn (about 10 ms here), so it waits for a quiet moment rather than land
under a key. The workshop screen then lays the tool out at the size its step will give it and
paints its first frame (`CanvasWidget.plan_ahead`), at the turns after: the first visit
then only shows that frame.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterator

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from ...domain.model import StepKind
from ..document import SessionDocument

DELAY_MS = 500  # after the workshop is made: its first frame and the start-up's tidy-up come first
QUIET_MS = 250  # with no change to the session for this long, the canvas's tool is made too


class QuietSpell(QObject):
    """Calls `then` once `document` has had no change for `ms`, counted from `follow()` (or from
    `start()` if it was not following yet): a change meanwhile (a vote, a name, a card: the room
    is working) starts the count again. `start()` asks for the call; a spell already `ms` long
    by then calls it at the next turn of the event loop. It follows the document only from
    `follow()` (or `start()`) to the call."""

    def __init__(self, document: SessionDocument, ms: int, then: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self.document = document
        self._ms = ms
        self._then = then
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._over)
        self._since = QElapsedTimer()  # the last change, or the start of following

    def follow(self) -> None:
        if not self._since.isValid():
            self.document.changed.connect(self._changed)
            self._since.start()

    def start(self) -> None:
        self.follow()
        self._timer.start(max(self._ms - int(self._since.elapsed()), 0))

    def _changed(self) -> None:
        self._since.restart()
        if self._timer.isActive():
            self._timer.start(self._ms)

    def _over(self) -> None:
        self.document.changed.disconnect(self._changed)
        self._since.invalidate()
        self._then()


class CanvasWarmUp(QObject):
    """Makes `document`'s canvas scene in idle moments, starting `delay_ms` from now."""

    finished = Signal()  # the scene is made
    tool_made = Signal()  # and the tool around it (see `make_tool`)

    def __init__(
        self,
        document: SessionDocument,
        parent: QObject,
        *,
        delay_ms: int = DELAY_MS,
        slice_s: float | None = None,
        make_tool: Callable[[], bool] | None = None,
    ) -> None:
        """`make_tool`: makes the canvas step's tool unseen, once the scene is made and the
        session quiet; returns whether it made one (not when the canvas was visited already)."""
        super().__init__(parent)
        self.document = document
        self._make_tool = make_tool
        self._quiet = QuietSpell(document, QUIET_MS, self._tool_now, self)
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
        if self._make_tool is not None:
            # The quiet the tool waits for is counted from now: a session left alone while the
            # scene was made has been quiet all that while.
            self._quiet.follow()
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
            if self._make_tool is not None:
                self._quiet.start()
        finally:
            self.longest_slice_s = max(self.longest_slice_s, time.thread_time() - began)

    def _tool_now(self) -> None:
        if self._make_tool is not None and self._make_tool():
            self.tool_made.emit()
        self._make_tool = None
