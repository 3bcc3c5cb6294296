#!/usr/bin/env python3
"""Render the app icon from resources/icons/coprod-desktop.svg into every file a platform wants.

    .venv/bin/python packaging/make_icons.py          write them all
    .venv/bin/python packaging/make_icons.py --check  say whether the committed files are current

Writes, from the one SVG:
- resources/icons/coprod-desktop-{16..512}.png  (the app's own window icon, any size)
- resources/icons/coprod-desktop.ico             (Windows: PNG entries 16..256)
- resources/icons/coprod-desktop.icns            (macOS: PNG entries ic07..ic14)
- packaging/linux/icons/hicolor/...              (the freedesktop icon theme layout)

The generated files are committed, so a build never needs to run this; run it after
changing the SVG. Rendering uses Qt's own SVG renderer (PySide6.QtSvg, part of
PySide6-Essentials), the same one the app draws the icon with, so no other tool is needed.
Below 32 px the ladder is left out (at that size it is only noise) and the two circles grow to fill the tile.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "coprod-desktop.svg"
ICONS = ROOT / "resources" / "icons"
HICOLOR = ROOT / "packaging" / "linux" / "icons" / "hicolor"
NAME = "coprod-desktop"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # an ICO entry is at most 256 px
# ICNS types holding PNG data, and their pixel sizes (ic11..ic14 are the @2x variants).
ICNS_TYPES = (
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
    (b"ic10", 1024),
)
SMALL = 32  # below this, no ladder
SVG_NS = "http://www.w3.org/2000/svg"


def small_variant(svg: bytes) -> bytes:
    """The icon for 16 and 24 px: no ladder, and the two circles larger and centred."""
    ET.register_namespace("", SVG_NS)
    root = ET.fromstring(svg)
    for parent in root.iter():
        for child in list(parent):
            if child.get("id") == "ladder":
                parent.remove(child)
            elif child.get("id") == "people":
                # The circles' centre is (256, 300); move it to the tile's centre and enlarge.
                child.set("transform", "translate(256 256) scale(1.16) translate(-256 -300)")
    return ET.tostring(root, encoding="utf-8")


def render_png(svg: bytes, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {SVG} is not an SVG that Qt can draw.")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit("make_icons: Qt could not write a PNG.")
    buffer.close()
    return bytes(data.data())


def ico_file(pngs: dict[int, bytes]) -> bytes:
    """An ICO container with PNG entries (read by Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in sorted(pngs.items()):
        side = 0 if size == 256 else size  # 0 means 256 in the one-byte width and height
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def icns_file(pngs: dict[bytes, bytes]) -> bytes:
    """An ICNS container: 'icns', the total length, then (type, length, PNG data) entries."""
    body = b"".join(kind + struct.pack(">I", 8 + len(png)) + png for kind, png in pngs.items())
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def wanted_files() -> dict[Path, bytes]:
    svg = SVG.read_bytes()
    small_svg = small_variant(svg)
    cache: dict[int, bytes] = {}

    def png(size: int) -> bytes:
        if size not in cache:
            cache[size] = render_png(small_svg if size < SMALL else svg, size)
        return cache[size]

    files: dict[Path, bytes] = {}
    for size in PNG_SIZES:
        files[ICONS / f"{NAME}-{size}.png"] = png(size)
        files[HICOLOR / f"{size}x{size}" / "apps" / f"{NAME}.png"] = png(size)
    files[HICOLOR / "scalable" / "apps" / f"{NAME}.svg"] = svg
    files[ICONS / f"{NAME}.ico"] = ico_file({size: png(size) for size in ICO_SIZES})
    files[ICONS / f"{NAME}.icns"] = icns_file({kind: png(size) for kind, size in ICNS_TYPES})
    return files


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether the files are current")
    options = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841 (keeps Qt alive)
    stale = []
    for path, data in wanted_files().items():
        if path.exists() and path.read_bytes() == data:
            continue
        stale.append(path)
        if not options.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    if options.check:
        for path in stale:
            print(f"make_icons: out of date: {path.relative_to(ROOT)}")
        print(f"make_icons: {'all icon files are current' if not stale else f'{len(stale)} stale'}.")
        return 1 if stale else 0
    print(f"make_icons: wrote {len(stale)} file(s)." if stale else "make_icons: nothing to do.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
