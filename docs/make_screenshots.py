"""Screenshots of the app's screens, for the README and for looking at changes.

Run: .venv/bin/python docs/make_screenshots.py [OUT_DIR]
Renders offscreen at 1280x720 and 1920x1080 (and 1366x768 for the laptop) into OUT_DIR
(default shots/, not committed), and the README's pictures into docs/screenshots/. Uses
throwaway settings and a fresh sample session, so a real user's files are never touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent.parent / "shots")
    readme = Path(__file__).parent / "screenshots"
    readme.mkdir(exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="coprod-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(scratch / "config")
    os.environ["XDG_DATA_HOME"] = str(scratch / "data")
    os.environ["HOME"] = str(scratch / "home")  # test-mode settings live under HOME/.qttest

    from PySide6.QtCore import QStandardPaths
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    QStandardPaths.setTestModeEnabled(True)
    from coprod_desktop.domain.model import StepKind
    from coprod_desktop.ui.shell.application import make_application
    from coprod_desktop.ui.shell.mainwindow import MainWindow

    app = make_application()
    window = MainWindow()
    sample = scratch / "Sample workshop.coprod"
    window.open_sample(sample)
    window.close_session()  # so the start screen lists it as a recent session

    def shoot(name: str) -> None:
        for width, height in ((1280, 720), (1920, 1080), (1366, 768)):
            window.resize(width, height)
            window.show()
            QApplication.processEvents()
            window.grab().save(str(out / f"{name}-{width}x{height}.png"))

    shoot("start")
    _copy(out / "start-1280x720.png", readme / "start.png")
    window.open_session(sample)
    assert window.workshop is not None
    assert window.document is not None
    steps = {step.kind: step for step in window.document.session.steps}
    for kind in StepKind:
        if kind not in steps:
            continue
        window.workshop.go_to(steps[kind].id)
        shoot(f"step-{kind.value}")
    _copy(out / "step-definition-1280x720.png", readme / "workshop.png")
    window.roomy_action.trigger()  # agenda and notes hidden: the whole window for the tool
    for kind in (StepKind.MATRIX, StepKind.CANVAS):
        window.workshop.go_to(steps[kind].id)
        shoot(f"roomy-{kind.value}")
    window.roomy_action.trigger()
    window.workshop.people_button.setChecked(True)
    shoot("participants")
    window.workshop.people_button.setChecked(False)
    window.workshop.edit_button.setChecked(True)
    shoot("editor")
    window.workshop.edit_button.setChecked(False)

    # Presenter mode: what the room sees, and the facilitator's console beside it.
    window.start_presenting()
    audience = window.presenter.window if window.presenter else None
    assert audience is not None
    audience.showNormal()
    for kind in (
        StepKind.WELCOME,
        StepKind.DEFINITION,
        StepKind.SCENARIOS,
        StepKind.MATRIX,
        StepKind.CANVAS,
        StepKind.READINESS,
        StepKind.SUMMARY,
    ):
        if kind not in steps:
            continue
        window.workshop.go_to(steps[kind].id)
        for width, height in ((1280, 720), (1920, 1080)):
            audience.setFixedSize(width, height)  # as on a projector of that size
            # Settled, as the room sees it a moment later: the canvas remakes its board's
            # picture for a new size on a short timer.
            QTest.qWait(300)
            audience.grab().save(str(out / f"audience-{kind.value}-{width}x{height}.png"))
    window.workshop.go_to(steps[StepKind.SCENARIOS].id)
    window.presenter.refresh_thumbnails()  # type: ignore[union-attr]
    shoot("console-scenarios")
    audience.set_high_contrast(True)
    audience.setFixedSize(1920, 1080)
    QApplication.processEvents()
    audience.grab().save(str(out / "audience-scenarios-high-contrast-1920x1080.png"))
    window.stop_presenting()
    window.close()
    app.processEvents()
    print(f"Screenshots written to {out}")
    return 0


def _copy(source: Path, target: Path) -> None:
    target.write_bytes(source.read_bytes())


if __name__ == "__main__":
    sys.exit(main())
