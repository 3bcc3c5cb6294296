"""How long a vote in the assessment matrix takes, from key press to on disk and on screen.

    build/bench-venv/bin/python benchmarks/matrix_vote.py               # 200 named votes
    build/bench-venv/bin/python benchmarks/matrix_vote.py --all-cases   # and the other modes
    LD_PRELOAD=... benchmarks/matrix_vote.py --slow-disk 8              # run.py sets this up

With --slow-disk, run.py has loaded benchmarks/slowfsync.c, which makes every fsync wait that
many ms, as a cheap laptop's eMMC does; the rows are then labelled with the delay. The rows
are: key to disk (the document's `saved` signal: committed and fsynced), key to disk and
screen (both views repainted), and the longest time the GUI thread was blocked in one go
(the key's handling, or one turn of the event loop after it) over all key presses.

Target (issue 4): a vote, from key press to on screen and on disk, <= 5 ms at p95
in a 10 x 5 matrix with 60 participants.

What is timed, for each vote: a key press sent to the grid (QTest.keyClick), which
runs the whole chain synchronously (the undo command, the SQLite commit, the session
in memory, the change signals, the model's dataChanged for the box and its averages;
the commit's fsync runs on the file's sync thread, and `saved` waits for it), then the
event loop until the grid has repainted (the GUI thread's CPU time for that is the
row's `own CPU`; once both views have repainted and only the disk is awaited, the loop naps
0.2 ms between turns, as an idle event loop sleeps, so its spinning is not counted). The
box is chosen before the clock starts (an arrow key is a separate key press). The
placement panel and the progress lines are redrawn 40 ms after the last change
(coalesced, so a quick run of keys costs one relayout); that work is timed apart,
in its own row. Both
windows are open, the facilitator's and the projected audience view, as in a
workshop, so both repaint. The matrix starts fully voted by 59 of the 60 people
and revealed, so every box the 60th person rates has 59 other ratings, a spread,
a role split, and feeds the placement on the ladder.

Session files are written in a temporary folder (or --dir): put it on the kind of
disk users have, since fsync on tmpfs costs nothing and flatters the result.
Prints the machine, then a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emit, isolate, quiet_qt, sample  # noqa: E402

TARGET_MS = 5.0
FRAME_MS = 16.0
PAUSE_SECONDS = 0.3
PEOPLE = 60
CRITERIA = 10
STAGES = 5


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * (len(ordered) - 1))))
    return ordered[rank]


def mount_of(path: Path) -> str:
    """The file system type under `path`, from /proc/mounts (Linux), else "unknown"."""
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return "unknown"
    best, kind = "", "unknown"
    resolved = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) > 2 and resolved.startswith(parts[1]) and len(parts[1]) > len(best):
            best, kind = parts[1], parts[2]
    return kind


def build_session() -> Any:
    from coprod_desktop.domain.model import (
        Criterion,
        Participant,
        Reveal,
        RoleGroup,
        Session,
        Stage,
        Vote,
        VotingMode,
        replace,
    )
    from coprod_desktop.domain.voting import cell_question

    rng = random.Random(2026)
    session = Session()
    roles = list(RoleGroup)
    for i in range(PEOPLE):
        session.put(
            Participant(id=f"p{i:03d}", name=f"Person {i + 1}", role=roles[i % len(roles)], position=i)
        )
    for i in range(CRITERIA):
        session.put(Criterion(id=f"c{i:02d}", title=f"Criterion {i + 1}: who decides, who does", position=i))
    for i in range(STAGES):
        session.put(Stage(id=f"s{i}", title=f"Stage {i + 1}", position=i))
    session.put(replace(session.matrix, mode=VotingMode.NAMED))
    points = len(session.matrix.scale)
    for criterion in session.criteria:
        for stage in session.stages:
            question = cell_question(criterion.id, stage.id)
            for person in session.participants[:-1]:
                session.put(Vote(question, person.id, str(rng.randrange(points))))
            session.put(Reveal(question))
    return session


class ThreadClock:
    """One thread's time on a core and time waiting in the run queue for one, in ms, from
    Linux's /proc/self/task/<tid>/schedstat (0.5 µs a read); zeros where there is none. A block
    of the GUI thread is then split three ways: on a core (the app working), waiting for a core
    (the machine busy), and neither (asleep: on a lock, the GIL, or the disk)."""

    def __init__(self, native_id: int | None) -> None:
        self._fd: int | None = None
        if native_id is not None:
            try:
                self._fd = os.open(f"/proc/self/task/{native_id}/schedstat", os.O_RDONLY)
            except OSError:
                self._fd = None

    def read(self) -> tuple[float, float]:
        if self._fd is None:
            return 0.0, 0.0
        try:
            os.lseek(self._fd, 0, os.SEEK_SET)
            fields = os.read(self._fd, 128).split()
            return int(fields[0]) / 1e6, int(fields[1]) / 1e6
        except (OSError, ValueError, IndexError):
            return 0.0, 0.0

    @property
    def works(self) -> bool:
        return self._fd is not None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def sync_thread_id(document: Any) -> int | None:
    """The native id of the document's file sync thread (None in a tree without one)."""
    syncer = getattr(document, "_syncer", None)
    thread = getattr(syncer, "_thread", None)
    return getattr(thread, "native_id", None)


class BlockWatch:
    """Times one stretch of the GUI thread (a key's handling, a turn of the event loop) and,
    for the longest of each key, what it was made of: the GUI thread's own time on a core,
    its wait for a core, its voluntary and forced context switches, and the sync thread's
    time on a core and in the run queue meanwhile (is it holding the GIL while it waits?)."""

    def __init__(self, sync_id: int | None) -> None:
        self.gui = ThreadClock(threading.get_native_id())
        self.sync = ThreadClock(sync_id)
        self.reset()

    def reset(self) -> None:
        self.longest: dict[str, float] = {"wall": -1.0}

    def begin(self) -> None:
        # The GUI thread's own clocks last, next to the start: a preemption between two reads
        # would otherwise count as waiting for a core inside a block that had not begun.
        self._sync = self.sync.read()
        usage = resource.getrusage(resource.RUSAGE_THREAD) if hasattr(resource, "RUSAGE_THREAD") else None
        self._usage = (usage.ru_nvcsw, usage.ru_nivcsw) if usage else (0, 0)
        self._gui = self.gui.read()
        self._cpu = time.thread_time()
        self._start = time.perf_counter()

    def end(self) -> float:
        wall = (time.perf_counter() - self._start) * 1000
        if wall > self.longest["wall"]:
            cpu = (time.thread_time() - self._cpu) * 1000
            gui = self.gui.read()
            sync = self.sync.read()
            usage = resource.getrusage(resource.RUSAGE_THREAD) if hasattr(resource, "RUSAGE_THREAD") else None
            voluntary, forced = (usage.ru_nvcsw, usage.ru_nivcsw) if usage else self._usage
            queued = gui[1] - self._gui[1]
            self.longest = {
                "wall": wall,
                "cpu": cpu,
                "queued": queued,
                # schedstat's time on a core moves at the scheduler's ticks; the thread's
                # CPU clock is exact, and a running thread's own run-queue wait is up to date.
                "asleep": max(0.0, wall - cpu - queued) if self.gui.works else 0.0,
                "voluntary": float(voluntary - self._usage[0]),
                "forced": float(forced - self._usage[1]),
                "sync_cpu": sync[0] - self._sync[0],
                "sync_queued": sync[1] - self._sync[1],
            }
        return wall


def _forced_switches() -> int:
    """The calling thread's forced context switches so far (0 where there is no count)."""
    if not hasattr(resource, "RUSAGE_THREAD"):
        return 0
    return int(resource.getrusage(resource.RUSAGE_THREAD).ru_nivcsw)


class Chain:
    """With --blocks: when each hand-off of a key's chain happened, in ms from the key press
    (the key handled, each view's repaint seen, the sync thread's news sent and the GUI thread's
    `saved`), and the GUI and sync threads' time on a core and waiting for one over the whole
    key. The fsyncs themselves come from slowfsync.c's log (run with it preloaded, any delay,
    0 included), matched to the keys at the end (`log_fsyncs`). Only the news's send time adds
    work to what is timed: a call on the sync thread at the signal's emit (about 2 µs)."""

    def __init__(self, document: Any, watch: BlockWatch) -> None:
        from PySide6.QtCore import Qt

        self._watch = watch
        self._sent: list[float] = []
        self.keys: list[tuple[float, float]] = []  # (start, shown) per key, perf_counter s
        self._document = document
        self._asked: list[float] = []
        self._asking: list[tuple[float, int]] = []  # how long each request took, and forced switches in it
        signal = getattr(document, "_disk_done", None)
        if signal is not None:
            signal.connect(
                lambda *_: self._sent.append(time.perf_counter()), Qt.ConnectionType.DirectConnection
            )
        syncer = getattr(document, "_syncer", None)
        if syncer is not None:
            request = syncer.request

            def asked(number: int) -> None:
                began = time.perf_counter()
                switches = _forced_switches()
                self._asked.append(began)
                request(number)
                self._asking.append((time.perf_counter() - began, _forced_switches() - switches))

            syncer.request = asked  # the document's calls find it on the instance

    def begin(self, start: float) -> None:
        if not self._watch.sync.works:  # the sync thread starts at the first commit
            self._watch.sync = ThreadClock(sync_thread_id(self._document))
        self._start = start
        self._sent.clear()
        self._asked.clear()
        self._asking.clear()
        self._steps: dict[str, float] = {}
        self._gui = self._watch.gui.read()
        self._sync = self._watch.sync.read()

    def _at(self) -> float:
        return (time.perf_counter() - self._start) * 1000

    def pressed(self) -> None:
        self._steps["t.pressed"] = self._at()

    def turned(self, audience: bool, console: bool) -> None:
        now = self._at()
        if audience:
            self._steps.setdefault("t.audience", now)
        if console:
            self._steps.setdefault("t.console", now)

    def finish(self, saved: float, shown: float) -> dict[str, float]:
        gui, sync = self._watch.gui.read(), self._watch.sync.read()
        self.keys.append((self._start, shown))
        sent = [t for t in self._sent if t >= self._start]
        return {
            **self._steps,
            **({"t.sent": (sent[0] - self._start) * 1000} if sent else {}),
            **({"t.asked": (self._asked[0] - self._start) * 1000} if self._asked else {}),
            "asking": sum(took for took, _ in self._asking) * 1000,
            "asking.forced": float(sum(forced for _, forced in self._asking)),
            "t.saved": (saved - self._start) * 1000,
            "gui.cpu": gui[0] - self._gui[0],
            "gui.queued": gui[1] - self._gui[1],
            "sync.cpu_all": sync[0] - self._sync[0],
            "sync.queued_all": sync[1] - self._sync[1],
        }

    def log_fsyncs(self, name: str, log: Any) -> None:
        """Each key's fsyncs (from slowfsync.c's log), as ms from its key press: one JSON line a key."""
        fsyncs = fsyncs_logged()
        for i, (start, shown) in enumerate(self.keys):
            mine = [
                (round((a - start) * 1000, 3), round((b - start) * 1000, 3), thread)
                for thread, a, b in fsyncs
                if start <= b and a <= shown
            ]
            print(json.dumps({"case": name, "key": i, "fsyncs": mine}), file=log, flush=True)


class PaintCounter:
    """Counts the paints of a widget, to know the vote reached the screen."""

    def __init__(self, widget: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        class Filter(QObject):
            def __init__(self) -> None:
                super().__init__()
                self.paints = 0

            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
                if event.type() == QEvent.Type.Paint:
                    self.paints += 1
                return False

        self.filter = Filter()
        widget.installEventFilter(self.filter)

    @property
    def paints(self) -> int:
        return int(self.filter.paints)


def run_case(
    name: str,
    votes: int,
    work: Path,
    setup: Any,
    prepare: Any,
    press: Any,
    blocks_log: Any = None,
    pause_every: int = 0,
) -> dict[str, Any]:
    """Times `press(widget, i)` then the repaint, `votes` times, each after an untimed
    `prepare(widget, i)` (choosing the box)."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from coprod_desktop.storage.sessionfile import SessionFile
    from coprod_desktop.ui.document import SessionDocument
    from coprod_desktop.ui.steps.matrix.matrixwidget import MatrixWidget

    path = work / f"{name.split()[0].lower()}.coprod"
    SessionFile.create(path, build_session()).close()
    document = SessionDocument.open(path)
    console = MatrixWidget(document)
    audience = MatrixWidget(document, audience=True)
    console.resize(1280, 720)
    audience.resize(1920, 1080)
    console.show()
    audience.show()
    setup(console, document)
    for _ in range(5):
        QApplication.processEvents()
    painted = PaintCounter(audience.view.viewport())
    console_painted = PaintCounter(console.view.viewport())
    saved_at: list[float] = []
    document.saved.connect(lambda: saved_at.append(time.perf_counter()))
    found: dict[str, Any] = {
        "disk": [],
        "screen": [],
        "block": [],
        "after": [],
        "cpu": [],
        "block.cpu": [],
        "block.queued": [],
        "block.asleep": [],
    }
    watch = BlockWatch(sync_thread_id(document))
    chain = Chain(document, watch) if blocks_log is not None else None
    worst: dict[str, float] = {}
    began_voting = time.perf_counter()
    for i in range(votes):
        if pause_every and i and i % pause_every == 0:
            # The facilitator pauses between rounds (untimed): the event loop sleeps, and the
            # file's sync thread copies the log into the file and empties it.
            pause_end = time.perf_counter() + PAUSE_SECONDS
            while time.perf_counter() < pause_end:
                QApplication.processEvents()
                time.sleep(0.005)
        prepare(console, i)
        QApplication.processEvents()
        before = painted.paints, console_painted.paints
        saved_at.clear()
        watch.reset()
        start, cpu = time.perf_counter(), time.thread_time()
        if chain is not None:
            chain.begin(start)
        watch.begin()
        press(console, i)
        watch.end()
        if chain is not None:
            chain.pressed()
        deadline = start + 5
        # The event loop, a turn at a time, until both views have repainted and the vote is saved.
        while painted.paints == before[0] or console_painted.paints == before[1] or not saved_at:
            if painted.paints != before[0] and console_painted.paints != before[1]:
                # Only the disk is left, and an app would sleep in its event loop meanwhile:
                # a short nap between turns keeps this loop's own spinning out of `own CPU`.
                time.sleep(0.0002)
            watch.begin()
            QApplication.processEvents()
            watch.end()
            if chain is not None:
                chain.turned(painted.paints != before[0], console_painted.paints != before[1])
            if time.perf_counter() > deadline:
                raise SystemExit(f"{name}: key press {i} was not shown and saved within 5 s")
        shown = time.perf_counter()
        found["cpu"].append((time.thread_time() - cpu) * 1000)
        found["disk"].append((saved_at[0] - start) * 1000)
        found["screen"].append((shown - start) * 1000)
        longest = watch.longest
        found["block"].append(longest["wall"])
        found["block.cpu"].append(longest["cpu"])
        found["block.queued"].append(longest["queued"])
        found["block.asleep"].append(longest["asleep"])
        if longest["wall"] > worst.get("wall", -1.0):
            worst = dict(longest)
        if blocks_log is not None:
            steps = chain.finish(saved_at[0], shown) if chain is not None else {}
            row = {**longest, **steps}
            print(
                json.dumps({"case": name, "key": i, **{k: round(v, 3) for k, v in row.items()}}),
                file=blocks_log,
                flush=True,
            )
        # The text around the grid (placement, progress) follows 40 ms after the last key;
        # a person pauses longer than that between votes, so it runs here, timed apart.
        began = time.perf_counter()
        console.settle()
        audience.settle()
        for _ in range(3):  # the relayout, then the repaints it asks for
            QApplication.processEvents()
        found["after"].append((time.perf_counter() - began) * 1000)
    ended_voting = time.perf_counter()
    watch.gui.close()
    watch.sync.close()
    if chain is not None and blocks_log is not None:
        chain.log_fsyncs(name, blocks_log)
    in_memory = (set(document.session.votes), set(document.session.tallies), set(document.session.reveals))
    console.close()
    audience.close()
    document.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    with SessionFile.open(path, read_only=True) as check:
        loaded = check.load()
    if (set(loaded.votes), set(loaded.tallies), set(loaded.reveals)) != in_memory:
        raise SystemExit(f"{name}: the file does not hold what the window showed")
    # The GUI thread's own fsyncs while the keys were pressed (slowfsync.c's log, if kept).
    gui = threading.get_native_id()
    found["gui fsyncs"] = [
        (end - start) * 1000
        for thread, start, end in fsyncs_logged()
        if thread == gui and start >= began_voting and end <= ended_voting
    ]
    found["worst"] = worst
    return found


def fsyncs_logged() -> list[tuple[int, float, float]]:
    """The fsyncs slowfsync.c logged so far (COPROD_BENCH_FSYNC_LOG): (thread id, start, end)
    in perf_counter seconds (both CLOCK_MONOTONIC)."""
    path = os.environ.get("COPROD_BENCH_FSYNC_LOG")
    if not path or not os.path.exists(path):
        return []
    found = []
    with open(path, encoding="ascii") as log:
        for line in log:
            parts = line.split()
            if len(parts) == 3:
                found.append((int(parts[0]), int(parts[1]) / 1e6, int(parts[2]) / 1e6))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--votes", type=int, default=0, help="votes per case (default 200, 60 with --quick)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--all-cases", action="store_true", help="also the anonymous, show-of-hands and reveal cases"
    )
    parser.add_argument("--slow-disk", type=float, default=0.0, metavar="MS", help="label the rows as slowed")
    parser.add_argument(
        "--pause-every",
        type=int,
        default=0,
        metavar="N",
        help=f"an untimed pause of {PAUSE_SECONDS:g} s before every Nth key, as between rounds",
    )
    parser.add_argument(
        "--blocks",
        type=Path,
        metavar="FILE",
        help="also write each key's longest block, with what it was made of, as JSON lines",
    )
    options = parser.parse_args(argv)
    votes = options.votes or (60 if options.quick else 200)
    work = isolate("coprod-matrix-bench-")
    if options.slow_disk or options.blocks:
        # slowfsync.c notes each fsync's thread and times here (read at its first fsync).
        os.environ["COPROD_BENCH_FSYNC_LOG"] = str(work / "fsyncs.log")

    from PySide6.QtCore import QStandardPaths, Qt
    from PySide6.QtTest import QTest

    QStandardPaths.setTestModeEnabled(True)
    from coprod_desktop.domain.model import VotingMode, replace
    from coprod_desktop.ui.shell.application import make_application

    make_application()
    quiet_qt()
    digits = [Qt.Key.Key_0, Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4]
    boxes = CRITERIA * STAGES

    def at_box(console: Any, i: int) -> None:
        # Each pass over the matrix uses another rating, so every press is a real change.
        box = i % boxes
        console.view.setCurrentIndex(console.model.index(box // STAGES, box % STAGES + 1))

    def named_setup(console: Any, _document: Any) -> None:
        console.choose_person(f"p{PEOPLE - 1:03d}")

    def digit_press(console: Any, i: int) -> None:
        QTest.keyClick(console.view, digits[(i // boxes) % len(digits)])

    def anonymous_setup(console: Any, document: Any) -> None:
        document.put(replace(document.session.matrix, mode=VotingMode.ANONYMOUS), "Anonymous")
        console.start_anonymous_ballot()

    def hands_setup(console: Any, document: Any) -> None:
        document.put(replace(document.session.matrix, mode=VotingMode.SHOW_OF_HANDS), "Hands")

    def hands_prepare(console: Any, i: int) -> None:
        at_box(console, i)
        console.hands.spins[2].setValue(1 + (i // boxes) % 9)  # the count, typed before Enter

    def hands_press(console: Any, _i: int) -> None:
        QTest.keyClick(console.hands.spins[2], Qt.Key.Key_Return)

    def reveal_press(console: Any, _i: int) -> None:
        QTest.keyClick(console.view, Qt.Key.Key_R)

    cases = [("named", "Named vote (number key)", named_setup, at_box, digit_press)]
    if options.all_cases:
        cases += [
            ("anonymous", "Anonymous ballot vote (number key)", anonymous_setup, at_box, digit_press),
            ("hands", "Show of hands (Enter after the counts)", hands_setup, hands_prepare, hands_press),
            ("reveal", "Reveal or hide a box (R)", named_setup, at_box, reveal_press),
        ]
    slow = options.slow_disk
    tag = f", slow disk ({slow:g} ms per fsync)" if slow else ""
    prefix = "vote.slow" if slow else "vote"
    found: dict[str, Any] = {}
    blocks_log = options.blocks.open("a", encoding="utf-8") if options.blocks else None
    for key, name, setup, prepare, press in cases:
        times = run_case(name, votes, work, setup, prepare, press, blocks_log, options.pause_every)
        quiet_target = TARGET_MS if not slow else None
        found[f"{prefix}.{key}.disk"] = sample(f"{name}{tag}: key to disk", times["disk"])
        found[f"{prefix}.{key}.screen"] = sample(
            f"{name}{tag}: key to disk and screen",
            times["screen"],
            cpu=times["cpu"],
            **(
                {"target": {"stat": "p95", "limit": quiet_target, "text": f"≤ {quiet_target:g} ms p95"}}
                if quiet_target
                else {}
            ),
        )
        found[f"{prefix}.{key}.block"] = sample(
            f"{name}{tag}: longest block of the GUI thread per key",
            times["block"],
            **(
                {"target": {"stat": "max", "limit": FRAME_MS, "text": f"max ≤ {FRAME_MS:g} ms"}}
                if slow
                else {}
            ),
        )
        # What the longest block was made of (the same block as the row above, key by key):
        # the app working, the machine's other work holding the core, or a wait on a lock.
        found[f"{prefix}.{key}.block.cpu"] = sample(
            f"{name}{tag}: longest block: the GUI thread on a core (own CPU)", times["block.cpu"]
        )
        found[f"{prefix}.{key}.block.queued"] = sample(
            f"{name}{tag}: longest block: the GUI thread waiting for a core (run queue)",
            times["block.queued"],
        )
        found[f"{prefix}.{key}.block.asleep"] = sample(
            f"{name}{tag}: longest block: the GUI thread asleep (a lock, the GIL or the disk)",
            times["block.asleep"],
        )
        worst = times["worst"]
        found[f"{prefix}.{key}.worst"] = {
            "label": f"{name}{tag}: the run's longest block, made of",
            "unit": "text",
            "text": (
                f"{worst['wall']:.1f} ms: {worst['cpu']:.1f} on a core, {worst['queued']:.1f} waiting "
                f"for one, {worst['asleep']:.1f} asleep; {worst['forced']:g} forced and "
                f"{worst['voluntary']:g} own switches"
            ),
        }
        if slow:
            fsyncs = times["gui fsyncs"]
            found[f"{prefix}.{key}.gui_fsyncs"] = {
                "label": f"{name}{tag}: fsyncs on the GUI thread over the {votes} keys (their ms)",
                "unit": "text",
                "text": f"{len(fsyncs)}" + (f" ({', '.join(f'{t:.1f}' for t in fsyncs)})" if fsyncs else ""),
            }
        if not slow:
            found[f"{prefix}.{key}.after"] = sample(
                f"{name}: then placement and progress text (40 ms later)", times["after"]
            )
    if blocks_log is not None:
        blocks_log.close()
    emit(found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
