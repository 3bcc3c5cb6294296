"""The performance suite of coprod-desktop: measures the targets of issue 2.

    .venv/bin/python benchmarks/run.py            # the full run, about 20 s here (limit 90 s)
    .venv/bin/python benchmarks/run.py --quick    # fewer repeats, about 10 s (limit 30 s)
    .venv/bin/python benchmarks/run.py --json results.json

Prints the machine, then a Markdown table (benchmark, measure, result, target,
verdict). What each benchmark measures, and why that way, is in README.md.

Everything runs with QT_QPA_PLATFORM=offscreen and with XDG_CONFIG_HOME and
XDG_DATA_HOME pointing into a temporary folder, so the user's own settings and
recent sessions are never read or touched. Session files are written in the
same temporary folder: put it on the kind of disk users have (`--dir`), since
fsync on tmpfs costs nothing and would flatter the edit benchmark.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BARE_WINDOW = HERE / "bare_window.py"

# Targets of issue 2.
STARTUP_RATIO_TARGET = 1.5
OPEN_TARGET_MS = 150.0
EDIT_P95_TARGET_MS = 3.0

LARGE_PARTICIPANTS = 60
LARGE_CRITERIA = 10
LARGE_STAGES = 5
LARGE_CARDS = 500


# Facts one benchmark learns and another reports.
STATE: dict[str, Any] = {}

# References to True, held only to keep the run alive on PySide6 6.12.0 (see emit_leak).
_TRUE_BALLAST: list[bool] = []


@dataclass
class Row:
    benchmark: str
    measure: str
    result: str
    target: str
    met: bool | None  # None: reported for information, no target

    @property
    def verdict(self) -> str:
        if self.met is None:
            return "info"
        return "met" if self.met else "**MISSED**"


@dataclass
class Settings:
    quick: bool
    startup_runs: int
    startup_warmups: int
    open_runs: int
    edits: int


# --- helpers ---------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 500 values is the 475th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil without importing math
    return ordered[int(rank) - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds >= 0.01 else f"{seconds * 1000:.2f} ms"


def mount_of(path: Path) -> str:
    """The filesystem type and mount point holding `path` (Linux), else 'unknown'."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return "unknown"
    best = ("", "unknown")
    resolved = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = resolved == point or resolved.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best[0]):
            best = (point, parts[2])
    return f"{best[1]} (mounted at {best[0]})" if best[0] else "unknown"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def pyside_version() -> str:
    found = package_version("PySide6-Essentials")
    return found if found != "not installed" else package_version("PySide6")


def machine(work: Path) -> list[tuple[str, str]]:
    return [
        ("Platform", platform.platform()),
        ("CPU", cpu_model()),
        ("Cores", str(os.cpu_count())),
        ("Python", f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})"),
        ("PySide6", pyside_version()),
        ("SQLite", sqlite3.sqlite_version),
        ("sqlite-utils", package_version("sqlite-utils")),
        ("Session files on", mount_of(work)),
        ("Load average at start (1, 5, 15 min)", load_average()),
    ]


def load_average() -> str:
    """Other work on the machine skews every figure here; say how busy it was."""
    try:
        return ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except (AttributeError, OSError):
        return "unknown"


# --- 1. start-up -------------------------------------------------------------------


def child_env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_CONFIG_HOME"] = str(work / "config")
    env["XDG_DATA_HOME"] = str(work / "data")
    # The app must be found as installed (editable or wheel), not through PYTHONPATH tricks.
    env.pop("PYTHONPATH", None)
    return env


def timed_process(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    """Wall time from starting the process until it has exited, in seconds."""
    start = time.perf_counter()
    done = subprocess.run(
        argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"benchmark process failed with status {done.returncode}: {' '.join(argv)}\n"
            + done.stderr.decode("utf-8", "replace")
        )
    return elapsed


def make_sample(work: Path, env: dict[str, str]) -> Path:
    sample = work / "sample.coprod"
    subprocess.run(
        [sys.executable, "-m", "coprod_desktop", "demo", str(sample), "--force"],
        env=env,
        cwd=work,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return sample


def bench_startup(settings: Settings, work: Path, env: dict[str, str]) -> list[Row]:
    sample = STATE["sample"] = make_sample(work, env)
    # Same interpreter, same environment, same working folder (a neutral one, so the
    # app is imported as installed, as a user's would be).
    app_argv = [sys.executable, "-m", "coprod_desktop", str(sample), "--quit-after-startup"]
    bare_argv = [sys.executable, str(BARE_WINDOW)]
    runs: dict[str, list[float]] = {"app": [], "bare": []}
    for number in range(settings.startup_warmups + settings.startup_runs):
        # Interleaved (a, b, a, b, ...), so drift and other load on the machine hit both alike.
        measured = {
            "app": timed_process(app_argv, env, work),
            "bare": timed_process(bare_argv, env, work),
        }
        if number >= settings.startup_warmups:
            for key, seconds in measured.items():
                runs[key].append(seconds)
    median = {key: statistics.median(values) for key, values in runs.items()}
    ratio = median["app"] / median["bare"]
    n = settings.startup_runs
    rows = [
        Row(
            "Start-up, app with the sample session",
            f"median of {n}, process start to exit",
            ms(median["app"]),
            "",
            None,
        ),
        Row(
            "Start-up, bare QMainWindow",
            f"median of {n}, process start to exit",
            ms(median["bare"]),
            "",
            None,
        ),
        Row(
            "Start-up ratio",
            "app / bare (medians, process start to exit)",
            f"{ratio:.2f}×",
            f"≤ {STARTUP_RATIO_TARGET}×",
            ratio <= STARTUP_RATIO_TARGET,
        ),
    ]
    rows.append(check_reportlab(sample, work, env))
    return rows


REPORTLAB_PROBE = textwrap.dedent(
    """
    import json, os, sys
    from coprod_desktop.app import main

    real_exit = os._exit

    def report(status):
        print(json.dumps({
            "status": status,
            "reportlab": sorted(m for m in sys.modules if m == "reportlab" or m.startswith("reportlab.")),
            "modules": len(sys.modules),
        }), flush=True)
        real_exit(0)

    # The app ends its process as soon as the loop is done (ui/shell/application.py, _leave):
    # report what was imported just before it does.
    os._exit = report
    # The real command line: builds the QApplication and the MainWindow, opens the
    # session, shows it and quits once the event loop is idle.
    report(main([sys.argv[1], "--quit-after-startup"]))
    """
)


def check_reportlab(sample: Path, work: Path, env: dict[str, str]) -> Row:
    done = subprocess.run(
        [sys.executable, "-c", REPORTLAB_PROBE, str(sample)],
        env=env,
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"reportlab probe failed:\n{done.stdout}\n{done.stderr}")
    found = json.loads(lines[-1])
    if found["status"] != 0:
        raise SystemExit(f"the app could not open the sample session:\n{done.stderr}")
    imported = bool(found["reportlab"])
    result = f"yes ({len(found['reportlab'])} modules)" if imported else "no"
    return Row(
        "reportlab imported at start-up",
        f"sys.modules after start-up ({found['modules']} modules)",
        result,
        "no",
        not imported,
    )


# --- the large session ----------------------------------------------------------------

NAMES = (
    "Agnieszka Wójcik",
    "Νίκος Παπαδόπουλος",
    "Nguyễn Thị Hương",
    "Ольга Смирнова",
    "Siobhán Ní Bhriain",
    "Kwame Mensah",
    "Fatima Al-Sayed",
    "José Martínez",
    "Priya Raman",
    "Jürgen Müller",
    "陈美玲",
    "Aroha Ngata",
)


def build_large_session() -> Any:
    """60 participants, a fully voted and revealed 10×5 matrix (3000 named votes), 500 cards."""
    from coprod_desktop.domain.model import (
        Card,
        CardKind,
        Criterion,
        Participant,
        Reveal,
        RoleGroup,
        Stage,
        Vote,
        VotingMode,
        replace,
    )
    from coprod_desktop.domain.voting import cell_question
    from coprod_desktop.storage.templates import load_builtin_template

    rng = random.Random(2026)
    session = load_builtin_template()
    for cls in (Criterion, Stage):
        for entity in session.items(cls):
            session.remove(cls, entity.ident)
    roles = list(RoleGroup)
    people = [
        Participant(
            id=f"p{i:03d}",
            name=f"{NAMES[i % len(NAMES)]} {i // len(NAMES) + 1}",
            role=roles[i % len(roles)],
            position=i,
        )
        for i in range(LARGE_PARTICIPANTS)
    ]
    criteria = [
        Criterion(
            id=f"crit{i:02d}",
            title=f"Criterion {i + 1}: who decides, who does",
            description="How far people who use services share power here.",
            position=i,
        )
        for i in range(LARGE_CRITERIA)
    ]
    stages = [
        Stage(
            id=f"stage{i}", title=f"Stage {i + 1}", description="A stage of the service's life.", position=i
        )
        for i in range(LARGE_STAGES)
    ]
    for entity in (*people, *criteria, *stages):
        session.put(entity)
    session.put(replace(session.matrix, mode=VotingMode.NAMED))
    points = len(session.matrix.scale)
    for criterion in criteria:
        for stage in stages:
            question = cell_question(criterion.id, stage.id)
            for person in people:
                session.put(Vote(question, person.id, str(rng.randrange(points))))
            session.put(Reveal(question))
    for i in range(LARGE_CARDS):
        stakeholder = i % 2 == 0
        session.put(
            Card(
                id=f"card{i:03d}",
                kind=CardKind.STAKEHOLDER if stakeholder else CardKind.DECISION,
                text=f"Card {i + 1}: {NAMES[i % len(NAMES)]}'s point about the timetable",
                role=roles[i % len(roles)] if stakeholder else None,
                participant_id=people[i % len(people)].id,
                now_x=rng.uniform(0, 1000),
                now_y=rng.uniform(0, 1000),
                aspiration_x=rng.uniform(0, 1000),
                aspiration_y=rng.uniform(0, 1000),
                position=i,
            )
        )
    return session


def write_large_session(work: Path) -> Path:
    from coprod_desktop.domain.model import Card, Criterion, Participant, Stage, Vote
    from coprod_desktop.storage.sessionfile import SessionFile

    path = work / "large.coprod"
    SessionFile.create(path, build_large_session()).close()
    with SessionFile.open(path, read_only=True) as check:
        loaded = check.load()
    cell_votes = sum(1 for v in loaded.votes if v.question.startswith("cell/"))
    counts = (
        loaded.count(Participant),
        loaded.count(Criterion),
        loaded.count(Stage),
        cell_votes,
        loaded.count(Card),
    )
    expected = (
        LARGE_PARTICIPANTS,
        LARGE_CRITERIA,
        LARGE_STAGES,
        LARGE_PARTICIPANTS * LARGE_CRITERIA * LARGE_STAGES,
        LARGE_CARDS,
    )
    if counts != expected:
        raise SystemExit(f"the large session came out wrong: {counts} instead of {expected}")
    assert loaded.count(Vote) >= cell_votes
    return path


# --- 2. opening the large session --------------------------------------------------------


def quiet_qt_warnings() -> None:
    """Drop the offscreen platform's note that it cannot propagate size hints; pass the rest on."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_kind: Any, _context: Any, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    STATE["qt_handler"] = handler  # kept alive for as long as Qt may call it
    qInstallMessageHandler(handler)


def wait_until(app: Any, done: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    while not done():
        app.processEvents()
        if time.perf_counter() > deadline:
            raise SystemExit("timed out waiting for the window to paint")


def settle(app: Any) -> None:
    """Let deferred deletes and pending paints run, so the next run starts from idle."""
    from PySide6.QtCore import QCoreApplication, QEvent

    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()


def bench_open(settings: Settings, app: Any, path: Path) -> tuple[list[Row], Any]:
    from PySide6.QtCore import QEvent, QObject

    from coprod_desktop.ui.shell.mainwindow import MainWindow

    class PaintWatcher(QObject):
        """Notes the first paint of the workshop screen after a session opens."""

        def __init__(self) -> None:
            super().__init__()
            self.painted_at: float | None = None

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint and self.painted_at is None:
                self.painted_at = time.perf_counter()
            return False

    window = MainWindow()
    window.show()
    watcher = PaintWatcher()
    # Installed on the workshop screen as soon as it exists (document_opened fires at the
    # end of open_session), so only its own paints are watched and nothing else slows down.
    window.document_opened.connect(lambda: window.workshop.installEventFilter(watcher))
    settle(app)

    times: list[float] = []
    for _ in range(settings.open_runs):
        watcher.painted_at = None
        start = time.perf_counter()
        if not window.open_session(path):
            raise SystemExit(f"the window could not open the large session: {window.banner.text}")
        wait_until(app, lambda: watcher.painted_at is not None)
        times.append(time.perf_counter() - start)
        window.close_session()
        settle(app)
    n = settings.open_runs
    median = statistics.median(times)
    worst = max(times)
    rows = [
        Row(
            "Large session opens and shows",
            f"median of {n} (first open included)",
            ms(median),
            f"≤ {OPEN_TARGET_MS:.0f} ms",
            median <= OPEN_TARGET_MS / 1000,
        ),
        Row(
            "Large session opens and shows",
            f"max of {n}",
            ms(worst),
            f"≤ {OPEN_TARGET_MS:.0f} ms",
            worst <= OPEN_TARGET_MS / 1000,
        ),
    ]
    return rows, window


# --- 3. one edit to disk ------------------------------------------------------------------


def edit_rows(label: str, times: list[float], target: bool) -> list[Row]:
    n = len(times)
    median = statistics.median(times)
    p95 = percentile(times, 0.95)
    goal = f"≤ {EDIT_P95_TARGET_MS:.0f} ms" if target else ""
    return [
        Row(label, f"median of {n}", ms(median), "", None),
        Row(label, f"p95 of {n}", ms(p95), goal, (p95 <= EDIT_P95_TARGET_MS / 1000) if target else None),
    ]


def emit_leak() -> float:
    """References to True that one Python `Signal.emit()` drops.

    PySide6 6.12.0 returns True from emit without taking a reference to it. On
    CPython 3.11 True is an ordinary object, so every emit brings its count one step
    nearer zero, and at zero the interpreter aborts ("Fatal Python error:
    bool_dealloc"). CPython 3.12 made True immortal, so there it costs nothing;
    PySide6 6.11.3 does not do it. Measured rather than assumed, so the row says
    what the installed versions do."""
    from PySide6.QtCore import QObject, Signal

    class Probe(QObject):
        fired = Signal()

    probe = Probe()
    _TRUE_BALLAST.extend([True] * 1000)  # the probe itself must not be what brings True to zero
    before = sys.getrefcount(True)
    for _ in range(100):
        probe.fired.emit()
    return (before - sys.getrefcount(True)) / 100


def bench_edits(settings: Settings, app: Any, path: Path, window: Any) -> list[Row]:
    from coprod_desktop.domain.changes import Change
    from coprod_desktop.domain.model import Participant, replace
    from coprod_desktop.storage.sessionfile import SessionFile
    from coprod_desktop.ui.document import SessionDocument

    names = ("Aroha Ngata-Smith", "Aroha Ngata")
    ident = "p007"
    rows: list[Row] = []

    # The document on its own: the undo command, the transaction with its fsyncs, the
    # session in memory and the change signals (nothing listening).
    document = SessionDocument.open(path)
    times: list[float] = []
    refs_before = sys.getrefcount(True)
    for i in range(settings.edits):
        person = document.session.get(Participant, ident)
        renamed = replace(person, name=names[i % 2])
        start = time.perf_counter()
        ok = document.put(renamed, "Rename")
        times.append(time.perf_counter() - start)
        if not ok:
            raise SystemExit("an edit could not be saved")
    refs_lost = (refs_before - sys.getrefcount(True)) / settings.edits
    document.close()
    rows += edit_rows("One edit to disk (SessionDocument.put)", times, target=True)

    # The storage layer alone: SessionFile.write with one Change.
    with SessionFile.open(path) as file:
        person = file.load().get(Participant, ident)
        times = []
        for i in range(settings.edits):
            renamed = replace(person, name=names[i % 2])
            start = time.perf_counter()
            file.write([Change(person, renamed)])
            times.append(time.perf_counter() - start)
            person = renamed
    rows += edit_rows("One edit to disk (SessionFile.write only)", times, target=False)

    # The same edit made in the open main window, with every view that listens to the
    # document updating (participants table, title, saved state); paints not included.
    window.open_session(path)
    settle(app)
    times = []
    for i in range(settings.edits):
        person = window.document.session.get(Participant, ident)
        renamed = replace(person, name=names[i % 2])
        start = time.perf_counter()
        ok = window.document.put(renamed, "Rename")
        times.append(time.perf_counter() - start)
        if not ok:
            raise SystemExit("an edit could not be saved")
    window.close_session()
    settle(app)
    rows += edit_rows("One edit to disk (in the open main window)", times, target=False)

    # Every edit really reached the file.
    with SessionFile.open(path, read_only=True) as file:
        last = file.load().get(Participant, ident)
    if last is None or last.name != names[(settings.edits - 1) % 2]:
        raise SystemExit("the last edit is not in the file")
    limit = 2000 if settings.quick else 5000
    rows += leak_rows(refs_lost, STATE.get("sample"), STATE["work"], STATE["env"], limit)
    return rows


CRASH_PROBE = textwrap.dedent(
    """
    import sys
    from dataclasses import replace
    from pathlib import Path
    from coprod_desktop.domain.model import Participant
    from coprod_desktop.ui.shell.application import make_application
    from coprod_desktop.ui.shell.mainwindow import MainWindow

    # The app as `coprod-desktop FILE` leaves it, then one rename after another.
    app = make_application()
    window = MainWindow()
    window.show()
    assert window.open_session(Path(sys.argv[1]))
    app.processEvents()
    person = window.document.session.participants[0]
    for number in range(1, int(sys.argv[2]) + 1):
        window.document.put(replace(person, name=("Anna", "Hanna")[number % 2]), "Rename")
        app.processEvents()
        print(number, flush=True)
    window.close_session()
    """
)


def edits_until_abort(sample: Path, work: Path, env: dict[str, str], limit: int) -> tuple[int, int]:
    """How many edits a freshly started app survives (up to `limit`), and its exit status."""
    done = subprocess.run(
        [sys.executable, "-c", CRASH_PROBE, str(sample), str(limit)],
        env=env,
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    counted = [int(line) for line in done.stdout.split() if line.isdigit()]
    return (counted[-1] if counted else 0), done.returncode


def leak_rows(
    lost_per_edit: float, sample: Path | None, work: Path, env: dict[str, str], limit: int
) -> list[Row]:
    from PySide6 import __version__ as pyside

    lost = max(0.0, round(lost_per_edit, 1))
    versions = f"PySide6 {pyside}, Python {platform.python_version()}"
    rows = [
        Row(
            "Edits keep the app alive",
            f"references to True lost per edit ({versions})",
            f"{lost:g}",
            "0",
            not lost,
        )
    ]
    if sample is not None:
        survived, status = edits_until_abort(sample, work, env, limit)
        if status == 0:
            result = f"none: {survived} edits and a clean quit"
        elif survived >= limit:
            result = f"all {limit} edits, then aborted at quit (status {status})"
        else:
            result = f"aborted after {survived} edits (status {status})"
        rows.append(
            Row(
                "Edits keep the app alive",
                f"renames in a freshly started app until it aborts (limit {limit})",
                result,
                f"{limit} edits, clean quit",
                status == 0,
            )
        )
    return rows


# --- the run ---------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    lines = ["| benchmark | measure | result | target | verdict |", "|---|---|---|---|---|"]
    lines += [f"| {r.benchmark} | {r.measure} | {r.result} | {r.target or '—'} | {r.verdict} |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (under 30 s)")
    parser.add_argument(
        "--dir", type=Path, help="where to write session files (default: the system temp folder)"
    )
    parser.add_argument("--json", type=Path, help="also write the machine and the rows as JSON here")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 if a target is missed")
    parser.add_argument(
        "--only",
        choices=("startup", "open", "edit"),
        action="append",
        help="run only these benchmarks (repeatable)",
    )
    options = parser.parse_args(argv)
    settings = Settings(
        quick=options.quick,
        startup_runs=5 if options.quick else 15,
        startup_warmups=2,
        open_runs=3 if options.quick else 10,
        edits=100 if options.quick else 500,
    )
    only = set(options.only or ("startup", "open", "edit"))
    began = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="coprod-bench-", dir=options.dir))
    env = child_env(work)
    STATE.update(work=work, env=env)
    try:
        info = machine(work)
        print("## Machine\n")
        for key, value in info:
            print(f"- {key}: {value}")
        print(
            f"- Date: {time.strftime('%Y-%m-%d %H:%M')}, {'--quick' if settings.quick else 'full run'}\n",
            flush=True,
        )

        rows: list[Row] = []
        if "startup" in only:
            rows += bench_startup(settings, work, env)
        if only & {"open", "edit"}:
            # This process becomes a Qt app too, in the same isolated environment.
            for key in ("QT_QPA_PLATFORM", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
                os.environ[key] = env[key]
            from coprod_desktop.ui.shell.application import make_application

            app = make_application([sys.argv[0]])
            quiet_qt_warnings()
            if "sample" not in STATE:
                STATE["sample"] = make_sample(work, env)
            if emit_leak() > 0:
                STATE["leak"] = True
                # Keep this process alive through thousands of emits, so the timings can be
                # taken; the "Edits keep the app alive" row reports the leak itself.
                _TRUE_BALLAST.extend([True] * 2_000_000)
            path = write_large_session(work)
            open_rows, window = bench_open(settings, app, path) if "open" in only else ([], None)
            rows += open_rows
            if "edit" in only:
                if window is None:
                    from coprod_desktop.ui.shell.mainwindow import MainWindow

                    window = MainWindow()
                    window.show()
                rows += bench_edits(settings, app, path, window)
            if window is not None:
                window.close()
        print("## Results\n")
        print(table(rows))
        print(f"\nTotal time: {time.perf_counter() - began:.1f} s; load average at the end: {load_average()}")
        if options.json:
            options.json.write_text(
                json.dumps(
                    {
                        "machine": dict(info),
                        "quick": settings.quick,
                        "rows": [{**r.__dict__, "verdict": r.verdict} for r in rows],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        missed = any(r.met is False for r in rows)
        return 1 if options.strict and missed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    status = main()
    if STATE.get("leak"):
        # With PySide6's emit leak, the interpreter would abort in its teardown once the
        # ballast is freed; everything is printed and written, so leave without one.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)
