"""Where start-up time goes: the app's start-up path split into phases, beside the bare window's.

    .venv/bin/python benchmarks/startup_phases.py [--runs N] [SESSION.coprod]
    .venv/bin/python benchmarks/startup_phases.py --runs 20 --before /tmp/older-tree
    .venv/bin/python benchmarks/startup_phases.py --callgrind [--before /tmp/older-tree]
    build/bench-venv/bin/python benchmarks/startup_phases.py --runs 20 \
        --before-python build/bench-venv-before/bin/python

Each phase is given in wall-clock time and in CPU time of the process (medians over the
runs). `--before DIR` also runs the app from another source tree (as PYTHONPATH; a tree from
`git archive` needs `ln -s ../resources DIR/coprod_desktop/resources`), run by run
interleaved with this one, and prints the CPU each phase saved; `--before-python PY` runs the
other side with another interpreter instead, such as the venv run.py --before installs the
older tree's wheel in (both sides then run installed wheels with their bytecode, as run.py
measures). `--callgrind` counts the instructions of each phase under valgrind instead (one run
each: steady on a loaded machine).

A diagnostic, not a benchmark with a target: run.py gives the verdict. Each run is a
fresh process (same interpreter, environment and working folder as run.py uses)
that walks the path `coprod-desktop FILE --quit-after-startup` takes
(coprod_desktop.app.main -> ui.shell.application.run), stamping the time after each
step. Imports are done in a fixed order, the app's own, so each import phase is the cost
*added* by that step (the Qt enums are touched on their own, because PySide6 builds
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
import os, sys, time, json
# os.getppid() at each stamp marks the phase's end for callgrind (--dump-before=getppid).
os.getppid()
stamps = [("interpreter start", time.monotonic(), time.process_time())]
def mark(name):
    os.getppid()
    stamps.append((name, time.monotonic(), time.process_time()))
kind, path = sys.argv[1], sys.argv[2]
sys.path.insert(0, sys.argv[3])
import paint_once
if kind == "app":
    # In the order `coprod-desktop FILE` imports them: the command line, then (with the
    # collector off) the ui package, whose __init__ sets up the quick enums and PySide's
    # module scan before anything of Qt is made, then PySide6 and the Qt enums.
    import coprod_desktop.app
    mark("import coprod_desktop.app (CLI: argparse)")
    import gc
    # As coprod_desktop.app does before it imports the screens: the collector off, kept code
    # in use and (since shiboken6's support code is kept too) the ui package imported; an
    # older tree: the collector off.
    getattr(coprod_desktop.app, "prepare_start", gc.disable)()
    import coprod_desktop.ui
    mark("prepare_start(), import coprod_desktop.ui (the package: shiboken6, quick enums, module scan)")
import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
mark("import PySide6 (QtCore, QtGui, QtWidgets)")
if kind == "app":
    from PySide6.QtCore import Qt
    Qt.AlignmentFlag.AlignTop
    mark("first use of the Qt namespace enums")
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
import resource
used = resource.getrusage(resource.RUSAGE_SELF)
print("SWITCHES", used.ru_nvcsw, used.ru_nivcsw, file=sys.stderr, flush=True)
if kind == "app" and "coprod_desktop.codecache" in sys.modules:
    sys.modules["coprod_desktop.codecache"].save()  # as the app does once idle
import os
os._exit(0)  # both end at once, as the app and bare_window.py do
"""


Phase = tuple[str, float, float | None]  # name, wall seconds, CPU seconds (None: not known)

# The process's context switches to its last stamp, as phases of their own (counts, not times):
# voluntary ones are waits (for a thread it started, a lock, the disk), each of which can cost
# a wait for a core on a loaded machine; involuntary ones are the process being preempted.
SWITCHES = ("context switches: voluntary (waits)", "context switches: involuntary (preempted)")


def one_run(
    kind: str, sample: Path, work: Path, env: dict[str, str], python: str = sys.executable
) -> list[Phase]:
    spawned = time.monotonic()
    done = subprocess.run(
        [python, "-c", PHASES_CHILD, kind, str(sample), str(HERE)],
        env=env,
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    exited = time.monotonic()
    if done.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{done.stderr}")
    lines = done.stderr.strip().splitlines()
    stamps = json.loads(next(line for line in reversed(lines) if line.startswith("[[")))
    switches = next((line.split()[1:] for line in reversed(lines) if line.startswith("SWITCHES ")), [])
    # The interpreter's own start is CPU spent before the first line (process_time starts at 0).
    phases: list[Phase] = [("interpreter start", stamps[0][1] - spawned, stamps[0][2])]
    phases += [
        (name, now - before, cpu - cpu_before)
        for (_, before, cpu_before), (name, now, cpu) in zip(stamps, stamps[1:], strict=False)
    ]
    phases.append(("interpreter teardown (to process exit)", exited - stamps[-1][1], None))
    phases.append(("TOTAL (spawn to exit)", exited - spawned, None))
    phases.append(("CPU to the last stamp", 0.0, stamps[-1][2]))
    phases += [(name, float(count), None) for name, count in zip(SWITCHES, switches, strict=False)]
    return phases


def callgrind_run(
    kind: str, sample: Path, work: Path, env: dict[str, str], python: str = sys.executable
) -> list[tuple[str, int]]:
    """Instructions per phase of one run under callgrind: the same child, each stamp
    ending a part of the profile (os.getppid() is called at each stamp and nowhere else)."""
    out = work / f"callgrind-{kind}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    argv = [python, "-c", PHASES_CHILD, kind, str(sample), str(HERE)]
    subprocess.run(argv, env=env, cwd=work, capture_output=True, check=True)  # bytecode written
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--dump-before=getppid", f"--callgrind-out-file={out}/cg.%p", *argv],
        env=dict(env, PYTHONHASHSEED="0"),
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} run under callgrind failed:\n{done.stderr[-2000:]}")
    stamps = json.loads(next(line for line in reversed(done.stderr.splitlines()) if line.startswith("[[")))
    parts: dict[int, int] = {}
    for path in out.iterdir():
        number = path.name.rsplit(".", 1)[-1] if path.name.count(".") == 2 else "0"
        total = next(
            line for line in path.read_text().splitlines() if line.startswith(("summary:", "totals:"))
        )
        parts[int(number)] = int(total.split()[1])
    # Part 1 ends at the first getppid (before the first stamp), part k+1 at stamp k.
    names = ["interpreter start"] + [name for name, _, _ in stamps[1:]]
    return [(name, parts.get(number + 1, 0)) for number, name in enumerate(names)]


def callgrind_report(options: argparse.Namespace, work: Path) -> None:
    env = child_env(work)
    sample = options.session.resolve() if options.session else make_sample(work, env)
    now = callgrind_run("app", sample, work, env)
    print("\nInstructions per phase (callgrind, one run each, millions)\n")
    if options.before or options.before_python:
        before = dict(callgrind_run("app", sample, work, *before_side(options, env)))
        print("| phase | before | now | saved |\n|---|---:|---:|---:|")
        for name, count in now:
            was = before.get(name)
            saved = f"{(was - count) / 1e6:+.1f}" if was is not None else "–"
            print(f"| {name} | {was / 1e6 if was is not None else 0:.1f} | {count / 1e6:.1f} | {saved} |")
        print(
            f"| TOTAL | {sum(before.values()) / 1e6:.1f} | {sum(c for _, c in now) / 1e6:.1f} | "
            f"{(sum(before.values()) - sum(c for _, c in now)) / 1e6:+.1f} |"
        )
    else:
        print("| phase | now |\n|---|---:|")
        for name, count in now:
            print(f"| {name} | {count / 1e6:.1f} |")
        print(f"| TOTAL | {sum(c for _, c in now) / 1e6:.1f} |")
    bare = callgrind_run("bare", sample, work, env)
    print("\n### Bare QMainWindow\n\n| phase | instructions |\n|---|---:|")
    for name, count in bare:
        print(f"| {name} | {count / 1e6:.1f} |")
    print(f"| TOTAL | {sum(c for _, c in bare) / 1e6:.1f} |")


def before_side(options: argparse.Namespace, env: dict[str, str]) -> tuple[dict[str, str], str]:
    """The environment and interpreter of the other side of a before/after comparison."""
    if options.before_python:
        # Absolute, for the child's own folder; not resolved, which would leave the venv.
        return env, os.path.abspath(options.before_python)
    return dict(env, PYTHONPATH=str(options.before.resolve())), sys.executable


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.1f}" if values else "–"


def report(options: argparse.Namespace, work: Path) -> None:
    env = child_env(work)
    sample = options.session.resolve() if options.session else make_sample(work, env)
    here = sys.executable
    kinds: list[tuple[str, dict[str, str], str]] = [("app", env, here), ("bare", env, here)]
    if options.before or options.before_python:
        # The same phases from another tree, interleaved run by run with this one.
        kinds.insert(1, ("before", *before_side(options, env)))
    results: dict[str, dict[str, tuple[list[float], list[float]]]] = {kind: {} for kind, _, _ in kinds}
    for run in range(options.runs + 1):
        for kind, kind_env, python in kinds:
            phases = one_run("bare" if kind == "bare" else "app", sample, work, kind_env, python)
            if run == 0:
                continue  # warm-up
            for name, seconds, cpu in phases:
                wall, cpus = results[kind].setdefault(name, ([], []))
                if name in SWITCHES:
                    wall.append(seconds)  # a count
                elif name != "CPU to the last stamp":
                    wall.append(seconds * 1000)
                if cpu is not None:
                    cpus.append(cpu * 1000)
    titles = {
        "app": "App with the sample session",
        "before": f"Before ({options.before or options.before_python})",
        "bare": "Bare QMainWindow",
    }
    print(
        f"\nMedians of {options.runs} runs, ms (wall clock; CPU time of the process); "
        "the context switches are counts (in the wall column)"
    )
    if options.before or options.before_python:
        print("\n| phase | before wall | before CPU | now wall | now CPU | CPU saved |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, (wall, cpus) in results["app"].items():
            b_wall, b_cpus = results["before"].get(name, ([], []))
            saved = f"{statistics.median(b_cpus) - statistics.median(cpus):+.1f}" if cpus and b_cpus else "–"
            before_cells = f"{_median(b_wall)} | {_median(b_cpus)}"
            print(f"| {name} | {before_cells} | {_median(wall)} | {_median(cpus)} | {saved} |")
        kinds = [side for side in kinds if side[0] == "bare"]
    for kind, _, _ in kinds:
        print(f"\n### {titles[kind]}\n")
        print("| phase | wall | CPU |\n|---|---:|---:|")
        for name, (wall, cpus) in results[kind].items():
            print(f"| {name} | {_median(wall)} | {_median(cpus)} |")


def main() -> int:
    parser = argparse.ArgumentParser(description="Split start-up time into phases.")
    parser.add_argument("session", nargs="?", type=Path, help="session to open (default: a fresh sample)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--before",
        type=Path,
        metavar="DIR",
        help="also run the app from this source tree (as PYTHONPATH), interleaved, and compare",
    )
    parser.add_argument(
        "--before-python",
        type=Path,
        metavar="PY",
        help="also run the app with this interpreter (say, build/bench-venv-before/bin/python), "
        "interleaved, and compare",
    )
    parser.add_argument(
        "--callgrind",
        action="store_true",
        help="count instructions per phase under valgrind's callgrind instead (one run; steady under load)",
    )
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coprod-phases-"))
    try:
        (callgrind_report if options.callgrind else report)(options, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
