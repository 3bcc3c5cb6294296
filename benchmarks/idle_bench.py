"""Idle is idle (issue 13, point 7): what a running timer and presenting cost when nothing happens.

    build/bench-venv/bin/python benchmarks/idle_bench.py [--quick]

The sample session is open in the main window (1280×800) on its first step. For a few seconds
of wall time each, the event loop runs on its own (no input):

- **timer running**: the step timer counts down. Counted: paints of the time label (≤ 2/s),
  layout requests reaching the sidebar and the timer widget (0), and this process's CPU use.
- **presenting, timer paused**: the audience view is shown; counted: thumbnail grabs (0: the
  room's view does not change), and CPU use.
- **presenting, timer running**: the room's timer changes once a second, so the thumbnail may
  follow it, at most once a second.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emit, isolate, paint_counter, quiet_qt, sample  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args()
    seconds = 3.0 if options.quick else 5.0
    work = isolate("coprod-idle-bench-")

    import subprocess

    sample_file = work / "sample.coprod"
    subprocess.run(
        [sys.executable, "-m", "coprod_desktop", "demo", str(sample_file)],
        check=True,
        stdout=subprocess.DEVNULL,
    )

    from coprod_desktop.ui.presenter import presenterwindow
    from coprod_desktop.ui.shell.application import make_application
    from coprod_desktop.ui.shell.mainwindow import MainWindow

    grabs = [0]
    original = presenterwindow.ThumbnailLabel.show_window

    def counted(label: Any, window: Any) -> None:
        if window is not None and window.isVisible():
            grabs[0] += 1
        original(label, window)

    presenterwindow.ThumbnailLabel.show_window = counted  # type: ignore[method-assign]
    app = make_application([sys.argv[0]])
    quiet_qt()
    window = MainWindow()
    window.show()
    if not window.open_session(sample_file):
        raise SystemExit("the sample did not open")
    workshop: Any = window.workshop
    workshop.go_to(workshop.document.session.steps[0].id)
    for _ in range(5):
        app.processEvents()
    timer_widget = workshop.step_view.timer_widget
    label = timer_widget.display
    paints = paint_counter(label)
    layouts = paint_counter(timer_widget)
    sidebar = paint_counter(workshop.step_view.panel)

    def idle(for_seconds: float) -> tuple[float, float]:
        """Runs the loop for `for_seconds` of wall time; returns (wall, CPU) seconds."""
        began, cpu = time.perf_counter(), time.process_time()
        while time.perf_counter() - began < for_seconds:
            app.processEvents()
            time.sleep(0.005)  # as an idle event loop would, instead of spinning
        return time.perf_counter() - began, time.process_time() - cpu

    found: dict[str, Any] = {}
    workshop.timer.start()
    idle(0.3)  # the button's new text ("Pause") is laid out once, at the start
    paints.paints = layouts.layouts = sidebar.layouts = 0
    wall, cpu = idle(seconds)
    found["idle.timer.paints"] = sample(
        "Timer running: paints of the time label per second",
        [paints.paints / wall],
        unit="/s",
        target={"stat": "median", "limit": 2.0, "text": "≤ 2/s"},
    )
    found["idle.timer.layouts"] = sample(
        "Timer running: layout requests (timer widget and its panel) per second",
        [(layouts.layouts + sidebar.layouts) / wall],
        unit="/s",
        target={"stat": "median", "limit": 0.0, "text": "0"},
    )
    found["idle.timer.cpu"] = sample(
        "Timer running: CPU of the app (% of one core)", [cpu / wall * 100], unit="%"
    )
    workshop.timer.pause()

    window.start_presenting()
    for _ in range(20):
        app.processEvents()
        time.sleep(0.01)
    idle(1.2)  # the first thumbnail after the room's view appeared
    grabs[0] = 0
    wall, cpu = idle(seconds)
    found["idle.present.grabs"] = sample(
        "Presenting, nothing changes: thumbnail grabs per second",
        [grabs[0] / wall],
        unit="/s",
        target={"stat": "median", "limit": 0.0, "text": "0"},
    )
    found["idle.present.cpu"] = sample(
        "Presenting, nothing changes: CPU (% of one core)", [cpu / wall * 100], unit="%"
    )
    workshop.timer.start()
    grabs[0] = 0
    wall, cpu = idle(seconds)
    found["idle.present_timer.grabs"] = sample(
        "Presenting, timer running: thumbnail grabs per second", [grabs[0] / wall], unit="/s"
    )
    found["idle.present_timer.cpu"] = sample(
        "Presenting, timer running: CPU (% of one core)", [cpu / wall * 100], unit="%"
    )
    workshop.timer.pause()
    window.stop_presenting()
    emit(found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
