"""The fair baseline for start-up: what any real desktop window of this kind costs.

A main window with a menu bar (four menus with a few actions each), a status bar, the app's
font (the platform's, at least 11 pt, as ui/shell/application.py sets it) and one label. It
touches the `Qt` enum namespace as any real app does, is shown, painted once, and quits the
same way as the app and bare_window.py: a zero-delay timer once the loop is idle, then
`os._exit`.
"""

from __future__ import annotations

import os
import sys

import paint_once  # benchmarks/paint_once.py: quit once a frame is painted
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

MENUS = {
    "&File": ("&New…", "&Open…", "Save &As…", "&Export PDF…", "&Quit"),
    "&Edit": ("&Undo", "&Redo", "&Preferences…"),
    "&View": ("&Present", "&Full screen", "Larger text", "Smaller text"),
    "&Help": ("&About",),
}


def main() -> int:
    app = QApplication(sys.argv[:1])
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 11.0))
    app.setFont(font)
    window = QMainWindow()
    window.setWindowTitle("Fair window")
    for title, entries in MENUS.items():
        menu = window.menuBar().addMenu(title)
        for text in entries:
            action = QAction(text, window)
            if text == "&Quit":
                action.setShortcut(QKeySequence.StandardKey.Quit)
            menu.addAction(action)
    label = QLabel("A session opens here.")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.setCentralWidget(label)
    window.statusBar().showMessage("Ready")
    window.resize(1280, 800)  # as the app's main window
    paint_once.install(window)
    window.show()
    QTimer.singleShot(0, app.quit)
    status = app.exec()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    sys.exit(main())
