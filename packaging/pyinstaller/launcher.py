"""The bundled app's entry point (PyInstaller freezes this file as `coprod-desktop`).

It runs exactly what the installed `coprod-desktop` command runs. One extra: with the
environment variable COPROD_DESKTOP_BUNDLE_SELFTEST=1 it prints, as JSON, where the frozen
app finds its resources and whether Qt can read its icons, then exits. `python3 dev.py bundle`
uses that to prove the bundle carries templates, fonts, styles and icons, and the Qt
plugins that read them; nobody else sets it.
"""

from __future__ import annotations

import os
import sys


def selftest() -> int:
    import importlib.util
    import json
    from pathlib import Path

    from coprod_desktop.report.fonts import FONT_FILES
    from coprod_desktop.storage.templates import builtin_template_names, resource

    spec = importlib.util.find_spec("coprod_desktop.resources")
    root = resource()
    bundle = Path(getattr(sys, "_MEIPASS", "")).resolve()
    report: dict[str, object] = {
        "frozen": bool(getattr(sys, "frozen", False)),
        "find_spec": list(spec.submodule_search_locations or []) if spec else None,
        "resources": str(root),
        "resources_inside_bundle": root.resolve().is_relative_to(bundle),
        "templates": builtin_template_names(),
        "fonts": sorted(name for name in FONT_FILES.values() if resource("fonts", name).is_file()),
        "style": resource("styles", "app.qss").is_file(),
        # About shows these, looked up through importlib.metadata.
        "versions": {name: _version(name) for name in ("coprod-desktop", "PySide6-Essentials", "reportlab")},
    }

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QLibraryInfo
    from PySide6.QtGui import QGuiApplication, QIcon, QImage, QImageReader

    app = QGuiApplication([sys.argv[0]])  # noqa: F841 (QIcon and the image plugins need one)
    report["image_formats"] = sorted(bytes(f.data()).decode() for f in QImageReader.supportedImageFormats())
    icons: dict[str, list[int]] = {}
    for name in (
        "coprod-desktop.svg",
        "coprod-desktop.ico",
        "coprod-desktop-16.png",
        "coprod-desktop-512.png",
    ):
        image = QImage(str(resource("icons", name)))
        icons[name] = [image.width(), image.height()]
    pixmap = QIcon(str(resource("icons", "coprod-desktop.svg"))).pixmap(48, 48)
    icons["QIcon(svg) at 48"] = [pixmap.width(), pixmap.height()]
    report["icons"] = icons
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    report["qt_plugins"] = sorted(
        f"{p.parent.name}/{p.name}" for p in plugins.glob("*/*") if p.suffix in {".so", ".dll", ".dylib"}
    )
    print(json.dumps(report, indent=1))
    return 0


def _version(distribution: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


if __name__ == "__main__":
    if os.environ.get("COPROD_DESKTOP_BUNDLE_SELFTEST") == "1":
        sys.exit(selftest())
    from coprod_desktop.app import main

    sys.exit(main())
