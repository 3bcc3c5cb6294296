"""Every step of the large session, opened one by one (issue 13: each ≤ 100 ms; opened on it ≤ 150 ms).

    build/bench-venv/bin/python benchmarks/steps_bench.py [--quick]

The large session: 60 people, a 10×5 matrix voted by all of them and revealed, 500 cards.
The main window (as the app opens it on Qt's offscreen screen: 1016×760, its canvas step's
board small enough that the cards' words are drawn as bars) is shown once. Two measures per step:

- **switch**: the session is open on its first step; the clock starts before
  `WorkshopWidget.go_to(step)` and stops when the event loop has painted the window once
  with that step on show (the window's first UpdateRequest after the call has been handled).
  Every step is visited for the first time in the session, so its tool is built then: the
  cost a facilitator meets the first time they move to it. The canvas's first frame sketches
  its cards (steps/canvas/scene.py, `later`), laid out in the turns after: an info row times
  the canvas's switch on until they are (any click or key meanwhile has them laid out first).
  Another row times the canvas's switch (from the step before it, in a freshly opened session)
  with the window at 1280×800, a laptop's, where the cards' words can be read.
- **open on it** (the first step, the matrix, the canvas): the file's current step is set to
  the step, then the clock runs from `MainWindow.open_session(path)` to the same first paint:
  reading the file, the workshop screen and that step's tool.

Each row also carries the CPU time this process's GUI thread spent (time.thread_time): on a
shared machine the wall time is that plus the waits for a core.

The session is closed between visits (outside the clock); each visit is done `--visits`
times (the median and p95 of those are the row's samples). Only the first of them is the
first in the process: what a step works out once per run of the app (its code imported, the
canvas's cards laid out, `steps/canvas/items.py`) is ready for the later ones. So the canvas
step is also measured as a facilitator meets it, in fresh processes of this script
(`--first-visit SECONDS`, 2 a round each): **first visit of the run**, the session opened
on its first step, the event loop left running on its own for 1 s (the room on the earlier
steps, when the idle warm-up of `ui/workshop/warmup.py` prepares the cards), for 3 s (time for
its second stage too, the canvas's tool made unseen) or for none (a facilitator who jumps
straight to the canvas), then `go_to(canvas)` to the first paint.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emit, isolate, quiet_qt, sample, write_large_session  # noqa: E402

TARGET_MS = 100.0  # a step opens (issue 13, point 3)
# The large session opened straight on a step (the file read, the workshop screen made and
# that step's tool): the issue's table sets 150 ms for it ("large session opened on its matrix
# step"); until 3 December these rows were judged against the 100 ms of a step's switch.
OPEN_TARGET_MS = 150.0
IDLE_BEFORE_CANVAS_S = 1.0  # the room on earlier steps before the canvas's first visit
# Long enough for the warm-up's second stage too (the canvas's tool made in a quiet moment, 250 ms
# after its scene: ui/workshop/warmup.py), which the 1 s above does not always leave room for
# here (this loop sleeps 2 ms a turn, so the scene's slices take about 0.4 s): still far less
# than a workshop's first steps take.
SETTLED_BEFORE_CANVAS_S = 3.0
LAPTOP = (1280, 800)  # a laptop's window, for the canvas's switch where its words can be read
FIRST_VISITS = 2  # fresh processes per round for each first-visit row
# A laptop and a projector beside it, for the presenting row (Qt's offscreen platform reads it).
SCREENS = {
    "synthesizedScreens": False,
    "screens": [
        {"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 800, "logicalDpi": 96, "dpr": 1},
        {"name": "projector", "x": 1280, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96, "dpr": 1},
    ],
}


def first_visits(idle_s: float, count: int, *, presenting: bool = False) -> tuple[list[float], list[float]]:
    """The canvas step's first visit of the run, in `count` fresh processes of this script
    (`presenting`: with the room's window open on a projector, both windows repainted)."""
    wall: list[float] = []
    cpu: list[float] = []
    env = dict(os.environ)
    extra: list[str] = []
    if presenting:
        screens = Path(tempfile.mkdtemp(prefix="coprod-screens-")) / "screens.json"
        screens.write_text(json.dumps(SCREENS), encoding="utf-8")
        env["QT_QPA_PLATFORM"] = f"offscreen:configfile={screens}"
        extra = ["--presenting"]
    for _ in range(count):
        done = subprocess.run(
            [sys.executable, __file__, "--first-visit", str(idle_s), *extra],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
            env=env,
        )
        line = next(line for line in done.stdout.splitlines() if line.startswith("FIRST "))
        got = json.loads(line[len("FIRST ") :])
        wall.append(got["wall"])
        cpu.append(got["cpu"])
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--visits", type=int, default=0)
    parser.add_argument("--first-visit", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--presenting", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    visits = options.visits or (2 if options.quick else 3)
    work = isolate("coprod-steps-")

    from PySide6.QtCore import QCoreApplication, QEvent, QObject

    from coprod_desktop.storage.sessionfile import SessionFile
    from coprod_desktop.ui.document import SessionDocument
    from coprod_desktop.ui.shell.application import make_application
    from coprod_desktop.ui.shell.mainwindow import MainWindow

    app = make_application([sys.argv[0]])
    quiet_qt()
    path = write_large_session(work / "large.coprod")
    with SessionFile.open(path, read_only=True) as file:
        session = file.load()
    steps = [(step.id, step.kind.value, step.title) for step in session.steps]

    class Frames(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.requests = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.UpdateRequest:
                self.requests += 1
            return False

    window = MainWindow()
    window.show()
    frames = Frames()
    window.installEventFilter(frames)

    def settle() -> None:
        for _ in range(3):
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()

    def until_painted(began: float) -> float:
        seen = frames.requests
        deadline = began + 10
        while frames.requests == seen:
            app.processEvents()
            if time.perf_counter() > deadline:
                raise SystemExit("the window never painted")
        return (time.perf_counter() - began) * 1000

    def until_laid_out(began: float) -> float:
        """From `began` until the canvas's cards are all laid out: its first frame sketches them
        and they are laid out in the turns after (steps/canvas/scene.py, `later`)."""
        from coprod_desktop.ui.steps.canvas.widget import CanvasWidget

        tool = window.findChild(CanvasWidget)
        deadline = began + 10
        while tool is not None and getattr(tool.scene_, "pending", False):  # (not before 4 December)
            app.processEvents()
            if time.perf_counter() > deadline:
                raise SystemExit("the canvas's cards were never laid out")
        return (time.perf_counter() - began) * 1000

    def set_current(step_id: str) -> None:
        document = SessionDocument.open(path)
        document.set_current_step(step_id)
        document.close()

    settle()
    first = steps[0][0]
    canvas = next(s for s, kind, _ in steps if kind == "canvas")
    if options.first_visit is not None:
        # A child: the canvas's first visit of this run, after `first_visit` s on step 1.
        set_current(first)
        window.open_session(path)
        room_frames = Frames()
        if options.presenting:
            room = window.presenter.start(window)  # type: ignore[union-attr]
            room.installEventFilter(room_frames)
        settle()
        idle_until = time.perf_counter() + options.first_visit
        while time.perf_counter() < idle_until:
            app.processEvents()
            time.sleep(0.002)
        began, cpu = time.perf_counter(), time.thread_time()
        seen_room = room_frames.requests
        window.workshop.go_to(canvas)  # type: ignore[union-attr]
        wall = until_painted(began)
        while options.presenting and room_frames.requests == seen_room:
            app.processEvents()  # and the room's window too
            if time.perf_counter() > began + 10:
                raise SystemExit("the room's window never painted")
        wall = (time.perf_counter() - began) * 1000
        print("FIRST " + json.dumps({"wall": wall, "cpu": (time.thread_time() - cpu) * 1000}), flush=True)
        return 0
    heavy = [first] + [s for s, kind, _ in steps if kind in ("matrix", "canvas")]
    laid_out: list[float] = []
    laid_out_cpu: list[float] = []
    laptop: list[float] = []
    laptop_cpu: list[float] = []
    before_canvas = steps[[s for s, *_ in steps].index(canvas) - 1][0]
    switch: dict[str, list[float]] = {s: [] for s, *_ in steps[1:]}
    switch_cpu: dict[str, list[float]] = {s: [] for s, *_ in steps[1:]}
    opened: dict[str, list[float]] = {s: [] for s in heavy}
    opened_cpu: dict[str, list[float]] = {s: [] for s in heavy}
    for _ in range(visits):
        # Each step's first visit in a freshly opened session: its tool is built then.
        set_current(first)
        window.open_session(path)
        settle()
        workshop: Any = window.workshop
        for step_id, *_ in steps[1:]:
            began, cpu = time.perf_counter(), time.thread_time()
            workshop.go_to(step_id)
            switch[step_id].append(until_painted(began))
            switch_cpu[step_id].append((time.thread_time() - cpu) * 1000)
            if step_id == canvas:
                laid_out.append(until_laid_out(began))
                laid_out_cpu.append((time.thread_time() - cpu) * 1000)
            settle()
        window.close_session()
        settle()
        for step_id in heavy:
            set_current(step_id)
            settle()
            began, cpu = time.perf_counter(), time.thread_time()
            if not window.open_session(path):
                raise SystemExit("the large session did not open")
            opened[step_id].append(until_painted(began))
            opened_cpu[step_id].append((time.thread_time() - cpu) * 1000)
            window.close_session()
            settle()
        # The canvas's switch in a laptop's window (1280×800), where its words can be read and
        # its first paint looks for the cards hidden under others: from the step before it.
        size = window.size()
        window.resize(*LAPTOP)
        set_current(before_canvas)
        window.open_session(path)
        settle()
        began, cpu = time.perf_counter(), time.thread_time()
        window.workshop.go_to(canvas)  # type: ignore[union-attr]
        laptop.append(until_painted(began))
        laptop_cpu.append((time.thread_time() - cpu) * 1000)
        window.close_session()
        window.resize(size)
        settle()
    target = {"stat": "median", "limit": TARGET_MS, "text": f"≤ {TARGET_MS:.0f} ms"}
    open_target = {"stat": "median", "limit": OPEN_TARGET_MS, "text": f"≤ {OPEN_TARGET_MS:.0f} ms"}
    found: dict[str, Any] = {}
    for number, (step_id, kind, title) in enumerate(steps, 1):
        name = f"{number}. {title} ({kind})"
        if step_id in switch:
            found[f"steps.switch.{number:02d}"] = sample(
                f"Step {name} opens (large session)", switch[step_id], target=target, cpu=switch_cpu[step_id]
            )
    number = next(n for n, (s, *_) in enumerate(steps, 1) if s == canvas)
    found["steps.switch.laid_out"] = sample(
        f"Step {number} (canvas) opened as above, until its cards are laid out"
        " (the turns after its first frame)",
        laid_out,
        cpu=laid_out_cpu,
    )
    found["steps.switch.laptop"] = sample(
        f"Step {number} (canvas) opens from step {number - 1} in a 1280×800 window (its words readable)",
        laptop,
        target=target,
        cpu=laptop_cpu,
    )
    for number, (step_id, kind, _title) in enumerate(steps, 1):
        if step_id in opened:
            found[f"steps.open.{number:02d}"] = sample(
                f"Large session opened on step {number} ({kind})",
                opened[step_id],
                target=open_target,
                cpu=opened_cpu[step_id],
            )
    number = next(n for n, (s, *_) in enumerate(steps, 1) if s == canvas)
    idle = f"{IDLE_BEFORE_CANVAS_S:.0f} s on step 1 first"
    settled = f"{SETTLED_BEFORE_CANVAS_S:.0f} s on step 1 first"
    for idle_s, key, label, row_target, presenting in (
        (IDLE_BEFORE_CANVAS_S, "steps.first.idle", idle, target, False),
        (SETTLED_BEFORE_CANVAS_S, "steps.first.settled", settled, target, False),
        (0.0, "steps.first.straight", "straight after opening", None, False),
        (
            SETTLED_BEFORE_CANVAS_S,
            "steps.first.presenting",
            f"{settled}, presenting (the room's window on a 1920×1080 projector repainted too)",
            target,
            True,
        ),
    ):
        wall, cpu_ms = first_visits(idle_s, 1 if options.quick else FIRST_VISITS, presenting=presenting)
        extra: dict[str, Any] = {"target": row_target} if row_target else {}
        found[key] = sample(
            f"Step {number} (canvas): its first visit of the run, {label} (large session)",
            wall,
            cpu=cpu_ms,
            **extra,
        )
    emit(found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
