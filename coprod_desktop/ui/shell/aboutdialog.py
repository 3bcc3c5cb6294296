"""About: the version, and what the app is built from, with each part's licence."""

from __future__ import annotations

import platform
import sqlite3
from importlib import metadata

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ... import __version__
from ...domain.i18n import N_, _

# (name, what it does here, licence); versions are looked up where installed.
PARTS: tuple[tuple[str, str, str, str], ...] = (
    ("Qt", N_("the windows, drawing and printing"), "LGPL 3.0", ""),
    ("Qt for Python (PySide6)", N_("Qt from Python"), "LGPL 3.0", "PySide6-Essentials"),
    ("SQLite", N_("the session files"), N_("public domain"), ""),
    ("sqlite-utils", N_("upgrading older session files"), "Apache 2.0", "sqlite-utils"),
    ("ReportLab", N_("the PDF summaries"), "BSD", "reportlab"),
    ("tomli-w", N_("saving workshop templates"), "MIT", "tomli-w"),
    ("Pillow", N_("pictures inside the PDF (through ReportLab)"), "MIT-CMU", "pillow"),
    ("Python", N_("the language the app is written in"), N_("PSF licence"), ""),
    (
        N_("DejaVu Sans fonts"),
        N_("the letters of every language in the PDF"),
        N_("Bitstream Vera / DejaVu free licence"),
        "",
    ),
)


def _version(name: str, package: str) -> str:
    if name == "Qt":
        return qVersion()
    if name == "SQLite":
        return sqlite3.sqlite_version
    if name == "Python":
        return platform.python_version()
    if name == "Qt for Python (PySide6)":
        return pyside_version
    if not package:
        return ""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


def about_html() -> str:
    rows = "".join(
        f"<tr><td><b>{_(name)}</b> {_version(name, package)}</td><td>{_(role)}</td><td>{_(licence)}</td></tr>"
        for name, role, licence, package in PARTS
    )
    return (
        f"<h2>coprod-desktop {__version__}</h2>"
        + "<p>"
        + _(
            "Run a co-production workshop with a laptop and a projector, with no internet needed. "
            "Every change is saved at once to one session file."
        )
        + "</p><p>"
        + _("Free software under the GNU Lesser General Public License, version 3 or later.")
        + "</p><h3>"
        + _("Built with")
        + "</h3>"
        + f"<table cellspacing='6'><tr><th align='left'>{_('Part')}</th><th align='left'>{_('Used for')}</th>"
        + f"<th align='left'>{_('Licence')}</th></tr>{rows}</table><p>"
        + _(
            "The licence texts travel with the app: the LGPL and GPL in LICENSE and the fonts' licence "
            "in LICENSE-DejaVu.txt (in the standalone build, in the LICENSES folder beside the program; "
            "each library's own licence is in its .dist-info folder)."
        )
        + "</p>"
    )


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About coprod-desktop"))
        self.text = QTextBrowser()
        self.text.setHtml(about_html())
        self.text.setAccessibleName(_("About coprod-desktop"))
        self.text.setOpenExternalLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(720, 520)
