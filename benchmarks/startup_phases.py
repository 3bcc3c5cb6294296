"""Where start-up time goes: the app's start-up path split into phases, beside the bare window's.

    .venv/bin/python benchmarks/startup_phases.py [--runs N] [SESSION.coprod]

A diagnostic, not a benchmark with a target: run.py gives the verdict. Each run is a
fresh process (same interpreter, environment and working folder as run.py uses)
that walks the path `coprod-desktop FILE --quit-after-startup` takes
(coprod_desktop.app.main -> ui.shell.application.run), stamping the time after each
step. Imports are done in a fixed order, so each import phase is the cost *added*
by that step (the Qt enums are touched on their own first, because PySide6 builds
every enum of the `Qt` namespace the first time any of them is used).

The steps after the imports mirror `ui.shell.application.run`; if that function changes,
change PHASES_CHILD to match. Times are medians over the runs, in ms. The clock is
CLOCK_MONOTONIC, shared by parent and child, so "interpreter start" (spawn to the
first line) and "teardown" (last stamp to process exit) are measured too.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child_env(work: Path) -> dict[str, str]:
    """Qt offscreen, throwaway settings, bytecode written and read (as an installed app has it).
    PYTHONPATH is kept, so a worktree measures its own source."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(work / "config"), XDG_DATA_HOME=str(work / "data")
    )
    return env


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

PHASES_CHILD = r"""
import sys, time, json
stamps = [("interpreter start", time.monotonic())]
def mark(name):
    stamps.append((name, time.monotonic()))
kind, path = sys.argv[1], sys.argv[2]
sys.path.insert(0, sys.argv[3])
import paint_once
import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
mark("import PySide6 (QtCore, QtGui, QtWidgets)")
if kind == "app":
    import gc
    gc.disable()  # as coprod_desktop.app does before it imports the screens
    from PySide6.QtCore import Qt
    Qt.AlignmentFlag.AlignTop
    mark("first use of the Qt namespace enums")
    import coprod_desktop.app
    mark("import coprod_desktop.app (CLI: argparse)")
    import coprod_desktop.domain.model
    mark("import coprod_desktop.domain.model")
    import coprod_desktop.storage.sessionfile, coprod_desktop.storage.templates
    mark("import the rest of domain + storage")
    import coprod_desktop.ui.shell.application
    mark("import coprod_desktop.ui (widgets, document)")
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from coprod_desktop.ui.shell.application import make_application
    from coprod_desktop.ui.shell.errorlog import ErrorLog
    from coprod_desktop.ui.shell.language import apply_language, chosen_language
    from coprod_desktop.ui.shell.mainwindow import MainWindow
    app = make_application()
    mark("make_application() (QApplication, font, style)")
    apply_language(chosen_language())
    ErrorLog.install(parent=app)
    mark("language, error log")
    window = MainWindow(start_screen=False)
    paint_once.install(window, when=lambda w: w.document is not None)
    mark("MainWindow() (menus, recent list)")
    window.show()
    mark("window.show()")
    if not window.open_session(Path(path)):
        sys.exit(2)
    mark("open_session(sample) (check, load, WorkshopWidget)")
else:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication(sys.argv[:1])
    mark("QApplication()")
    window = QMainWindow()
    paint_once.install(window)
    window.show()
    mark("QMainWindow() + show()")
QTimer.singleShot(0, app.quit)
app.exec()
mark("event loop to the first frame painted")
if kind == "app":
    window.close_session(then_start=False)
    mark("close the session (the app's _leave)")
print(json.dumps(stamps), file=sys.stderr, flush=True)
import os
os._exit(0)  # both end at once, as the app and bare_window.py do
"""


def one_run(kind: str, sample: Path, work: Path, env: dict[str, str]) -> list[tuple[str, float]]:
    spawned = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", PHASES_CHILD, kind, str(sample), str(HERE)],
        env=env,
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    exited = time.monotonic()
    if done.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{done.stderr}")
    stamps = json.loads(done.stderr.strip().splitlines()[-1])
    phases = [("interpreter start", stamps[0][1] - spawned)]
    phases += [(name, now - before) for (_, before), (name, now) in zip(stamps, stamps[1:], strict=False)]
    phases.append(("interpreter teardown (to process exit)", exited - stamps[-1][1]))
    phases.append(("TOTAL (spawn to exit)", exited - spawned))
    return phases


def report(options: argparse.Namespace, work: Path) -> None:
    env = child_env(work)
    sample = options.session.resolve() if options.session else make_sample(work, env)
    results: dict[str, dict[str, list[float]]] = {"app": {}, "bare": {}}
    for run in range(options.runs + 1):
        for kind in ("app", "bare"):
            phases = one_run(kind, sample, work, env)
            if run == 0:
                continue  # warm-up
            for name, seconds in phases:
                results[kind].setdefault(name, []).append(seconds * 1000)
    for kind, phases in results.items():
        print(
            f"\n### {'App with the sample session' if kind == 'app' else 'Bare QMainWindow'} "
            f"(median of {options.runs}, ms)\n"
        )
        print("| phase | ms |\n|---|---:|")
        for name, values in phases.items():
            print(f"| {name} | {statistics.median(values):.1f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description="Split start-up time into phases.")
    parser.add_argument("session", nargs="?", type=Path, help="session to open (default: a fresh sample)")
    parser.add_argument("--runs", type=int, default=10)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coprod-phases-"))
    try:
        report(options, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
