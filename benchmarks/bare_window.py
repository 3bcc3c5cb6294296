"""The baseline for the start-up benchmark: a bare Qt main window and nothing else.

It is started exactly as `coprod-desktop FILE --quit-after-startup` is (same
interpreter, environment and working folder; see run.py) and quits the same way:
a zero-delay timer set before the event loop starts, so it fires once the
window has been shown and the loop has nothing left to do, and then it ends the
process at once, as the app does (coprod_desktop/ui/shell/application.py, `_leave`).
"""

from __future__ import annotations

import os
import sys

import paint_once  # benchmarks/paint_once.py: quit once a frame is painted
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    paint_once.install(window)
    window.show()
    QTimer.singleShot(0, app.quit)
    status = app.exec()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    sys.exit(main())
