"""Starting the app: the QApplication, its look, the main window."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QMainWindow, QMenuBar, QPushButton, QScrollArea

from ... import __version__, codecache
from ...domain.i18n import _
from ...storage.templates import resource
from ..common.look import AppStyle, Look
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
    apply_layout_direction()
    return app


def apply_layout_direction(language: str | None = None) -> None:
    """Mirror the screens for a language written right to left (the current one when None);
    call at start and whenever the app's language changes. The canvas and the matrix grid
    keep left to right themselves (docs/translating.md says why)."""
    from ...domain.i18n import right_to_left

    rtl = right_to_left(language)
    QApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)


def app_icon() -> QIcon:
    """The app's icon, from its PNG sizes (no SVG renderer needed to start)."""
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        path = resource("icons", f"coprod-desktop-{size}.png")
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    return icon


INK = "#1a1a1a"
NAVY = "#1d3557"
PAPER = "#fbfaf7"

# The type and colour of named widgets, as fonts and palettes: no style sheet needed.
LOOKS: dict[str, Look] = {
    "startTitle": Look(points=30, weight=QFont.Weight.DemiBold, colour=NAVY),
    "startTagline": Look(points=14, colour="#333333"),
    "sectionLabel": Look(points=12, weight=QFont.Weight.DemiBold, colour=NAVY),
    "hint": Look(colour="#4a4a4a"),
    "stepTitle": Look(points=26, weight=QFont.Weight.DemiBold, colour=NAVY),
    "toolTitle": Look(points=18, weight=QFont.Weight.DemiBold, colour=NAVY),
    "toolText": Look(points=15),
    "voteStatus": Look(points=13, weight=QFont.Weight.DemiBold),
    "rulesText": Look(points=11, colour="#333333"),
    "tableHeader": Look(weight=QFont.Weight.DemiBold, colour=NAVY),
    "conditionName": Look(points=12),
    "conditionValue": Look(points=12),
    "stepLead": Look(points=15),
    "saveState": Look(margins=(8, 0, 8, 0)),
    "startScreen": Look(background=PAPER),
    "sidebar": Look(background="#f1efe9"),
}


def apply_style(app: QApplication) -> None:
    """Palette, fonts and small per-widget style sheets (resources/styles/app.qss says why)."""
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 11.0))
    app.setFont(font)
    style = AppStyle(LOOKS, resource("styles", "app.qss").read_text(encoding="utf-8"))
    app.setStyle(style)
    palette = QPalette(app.palette())
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):  # disabled text stays grey
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
            palette.setColor(group, role, QColor(INK))
    app.setPalette(palette)
    # The main window's ground is the warm paper colour. Its menu bar and the grounds of the
    # scroll areas in it keep the platform's colour, as under the style sheet, where the
    # main window's background was painted but not handed down.
    plain = app.palette().color(QPalette.ColorRole.Window).name()
    style.add_class_look(QMainWindow, Look(background=PAPER))
    style.add_class_look(QMenuBar, Look(background=plain))
    style.add_class_look(QScrollArea, Look(viewport_background=plain))
    style.add_class_sheet(QPushButton)


def run(path: Path | None, *, quit_after_startup: bool = False, phones: tuple[str, int] | None = None) -> int:
    """Open the app (and `path`). `phones=(address, port)` turns Phones on once it is open;
    an empty address means the one a phone is most likely to reach."""
    # Start-up makes many objects that live as long as the app; collecting them
    # over and over while starting only costs time. Collection resumes once idle.
    gc.disable()
    app = make_application()
    from .language import apply_language, chosen_language

    apply_language(chosen_language())  # the system's, or the one chosen in Settings
    apply_layout_direction()  # mirrored for a language written right to left
    # Every bug from here on is logged, and shown in the window's banner, never only on stderr.
    errors = ErrorLog.install(parent=app)
    window = MainWindow(start_screen=path is None)
    errors.caught.connect(window.show_bug)
    window.show()
    if path is not None and not window.open_session(path):
        if quit_after_startup:
            print(f"coprod-desktop: {window.banner.text.removeprefix(_('⚠ Problem: '))}", file=sys.stderr)
            return _leave(window, 2)
        window.show_start()  # the banner says what was wrong with the file
    elif path is not None and phones is not None:
        host, port = phones
        url = window.phones.turn_on(host or window.phones.panel.chosen()[0], port)
        if not url:
            print(f"coprod-desktop: {window.phones.panel.state.text()}", file=sys.stderr)
            return _leave(window, 2)
        print(f"Phones join at {url}", flush=True)
    QTimer.singleShot(0, _resume_collection)
    if quit_after_startup:
        # Fires once the event loop has shown and painted the window and has nothing left to do.
        QTimer.singleShot(0, app.quit)
    return _leave(window, app.exec())


def _resume_collection() -> None:
    gc.freeze()  # what start-up made stays; later collections skip it
    gc.enable()
    # The dataclass methods compiled on the way here, kept for the next start: only those, so
    # the next start reads no more than it needs (a step opened later compiles its own).
    codecache.save()


def _leave(window: MainWindow, status: int) -> int:
    """Close the session and settings, then end the process at once.

    Closing the session waits for the last change to reach the disk and leaves one file;
    the settings are synced; so tearing down thousands of Qt and Python objects one by one
    would only keep the facilitator waiting (and on some PySide6 releases it crashes).
    No start screen is built for a window that is going away."""
    window.close_session(then_start=False)
    QSettings().sync()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
