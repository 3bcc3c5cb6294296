# PyInstaller's own hook for PySide6.QtWidgets, trimmed to the Qt plugins this app uses (qt_selection.py).
import os
import sys

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

sys.path.insert(0, os.path.dirname(__file__))
from qt_selection import trim  # noqa: E402

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = trim(binaries)
datas = trim(datas)
