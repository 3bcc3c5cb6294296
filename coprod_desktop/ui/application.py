"""Starting the app: the QApplication, its look, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from .. import __version__
from ..storage.templates import resource
from .mainwindow import MainWindow

ORGANIZATION = "coprod-desktop"
APPLICATION = "coprod-desktop"


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with our names (which decide where QSettings live) and style."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("coprod-desktop")
    app.setApplicationVersion(__version__)
    apply_style(app)
    return app


def apply_style(app: QApplication) -> None:
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 11.0))
    app.setFont(font)
    app.setStyleSheet(resource("styles", "app.qss").read_text(encoding="utf-8"))


def run(path: Path | None, *, quit_after_startup: bool = False) -> int:
    app = make_application()
    window = MainWindow()
    window.show()
    if path is not None and not window.open_session(path) and quit_after_startup:
        print(f"coprod-desktop: {window.banner.text.removeprefix('⚠ Problem: ')}", file=sys.stderr)
        return 2
    if quit_after_startup:
        # Fires once the event loop has shown and painted the window and has nothing left to do.
        QTimer.singleShot(0, app.quit)
    return app.exec()
