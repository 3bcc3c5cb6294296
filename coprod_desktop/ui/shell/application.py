"""Starting the app: the QApplication, its look, the main window."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QSize, QTimer
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from ... import __version__
from ...storage.templates import resource
from .errorlog import ErrorLog
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
    app.setDesktopFileName("coprod-desktop")  # packaging/linux/coprod-desktop.desktop: the dock icon
    app.setWindowIcon(app_icon())
    apply_style(app)
    return app


def app_icon() -> QIcon:
    """The app's icon, from its PNG sizes (no SVG renderer needed to start)."""
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        path = resource("icons", f"coprod-desktop-{size}.png")
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    return icon


def apply_style(app: QApplication) -> None:
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 11.0))
    app.setFont(font)
    app.setStyleSheet(resource("styles", "app.qss").read_text(encoding="utf-8"))


def run(path: Path | None, *, quit_after_startup: bool = False) -> int:
    # Start-up makes many objects that live as long as the app; collecting them
    # over and over while starting only costs time. Collection resumes once idle.
    gc.disable()
    app = make_application()
    # Every bug from here on is logged, and shown in the window's banner, never only on stderr.
    errors = ErrorLog.install(parent=app)
    window = MainWindow(start_screen=path is None)
    errors.caught.connect(window.show_bug)
    window.show()
    if path is not None and not window.open_session(path):
        if quit_after_startup:
            print(f"coprod-desktop: {window.banner.text.removeprefix('⚠ Problem: ')}", file=sys.stderr)
            return _leave(window, 2)
        window.show_start()  # the banner says what was wrong with the file
    QTimer.singleShot(0, _resume_collection)
    if quit_after_startup:
        # Fires once the event loop has shown and painted the window and has nothing left to do.
        QTimer.singleShot(0, app.quit)
    return _leave(window, app.exec())


def _resume_collection() -> None:
    gc.freeze()  # what start-up made stays; later collections skip it
    gc.enable()


def _leave(window: MainWindow, status: int) -> int:
    """Close the session and settings, then end the process at once.

    Every change is already on disk and the settings are synced, so tearing down
    thousands of Qt and Python objects one by one would only keep the facilitator
    waiting (and on some PySide6 releases it crashes)."""
    window.close_session()
    QSettings().sync()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
