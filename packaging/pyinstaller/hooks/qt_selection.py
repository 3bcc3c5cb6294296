"""Which Qt plugins and data files the bundle keeps: shared by the Qt hooks here and the spec.

PyInstaller's own Qt hooks collect every plugin of each kind a Qt module may use (all
platforms, all image formats, eglfs, vnc...), and then every library those plugins need.
Our hooks (hook-PySide6.Qt*.py beside this file) run the upstream hook and drop what this
app does not use *before* PyInstaller follows the libraries, so a dropped plugin does not
leave its dependencies (GTK, Pango, QtNetwork, EGL device integration...) behind.
"""

from __future__ import annotations

import os
import sys
from pathlib import PurePath

# "kind/stem" (the file name without a "lib" prefix and suffixes), for every platform.
KEEP_PLUGINS = frozenset(
    {
        # Windows on X11 and Wayland desktops, Windows and macOS, and offscreen for smoke tests.
        "platforms/qxcb",
        "platforms/qwayland",
        "platforms/qoffscreen",
        "platforms/qwindows",
        "platforms/qcocoa",
        # Wayland needs its shell integration (xdg-shell) and client-side window decorations.
        "wayland-shell-integration/xdg-shell",
        "wayland-decoration-client/bradient",
        "wayland-decoration-client/adwaita",
        # X11 OpenGL glue, which Qt's xcb plugin probes for even in a widgets app.
        "xcbglintegrations/qxcb-glx-integration",
        "xcbglintegrations/qxcb-egl-integration",
        # Native file dialogs through desktop portals (GNOME, KDE, Flatpak). Not qgtk3: it
        # would drag GTK, Pango and Cairo in, which then clash with the desktop's own.
        "platformthemes/qxdgdesktopportal",
        # Typing: compose and dead keys (e, o, l with accents in names) and IBus input methods.
        "platforminputcontexts/composeplatforminputcontextplugin",
        "platforminputcontexts/ibusplatforminputcontextplugin",
        # Images: PNG and JPEG are built into QtGui; SVG, ICO and ICNS are plugins, and SVG icons
        # need the SVG icon engine.
        "imageformats/qsvg",
        "imageformats/qico",
        "imageformats/qicns",
        "iconengines/qsvgicon",
        # Native styles on Windows and macOS (Linux uses Fusion, built in, with app.qss on top).
        "styles/qmodernwindowsstyle",
        "styles/qwindowsvistastyle",
        "styles/qmacstyle",
    }
)
QT_DIR = PurePath("PySide6", "Qt")


def plugin_key(dest: str) -> str | None:
    """'kind/stem' when dest is a Qt plugin's place in the bundle, else None."""
    parts = PurePath(dest).parts
    if len(parts) < 5 or PurePath(*parts[:3]) != QT_DIR / "plugins":
        return None
    stem = parts[-1].split(".")[0]
    if not sys.platform.startswith("win"):
        stem = stem.removeprefix("lib")
    return f"{parts[3]}/{stem}"


def wanted(dest: str) -> bool:
    key = plugin_key(dest)
    if key is not None:
        return key in KEEP_PLUGINS
    # The app installs no QTranslator, so Qt's own translations would never be loaded.
    return not PurePath(dest).is_relative_to(QT_DIR / "translations")


def trim(entries: list) -> list:
    """Hook results ((source, dest folder) pairs) without what `wanted` refuses."""
    return [
        (source, dest) for source, dest in entries if wanted(os.path.join(dest, os.path.basename(source)))
    ]
