"""The canvas as a picture: PNG for slides and messages, SVG for print and the report.

Both draw the whole canvas (background, cards, arrows and key) as the scene shows
it, without the selection outline. For SVG, item caching is switched off while
drawing, so every card is written as shapes and text rather than as a bitmap.

The picture is made in memory and written through the app's one atomic path
(`storage.atomic`), like every other file the app writes: a temporary file beside
the target, fsynced and renamed over it, so a full disk, a read-only folder or a
crash never leaves half a picture or spoils the one that was there, and the new
file gets the permissions the umask gives. A failure is one sentence that says
what to do.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem

from ....domain.errors import KnownError
from ....storage.atomic import atomic_write, cannot_save
from .scene import CanvasScene


class HasCanvasScene(Protocol):
    scene_: CanvasScene


CanvasSource = CanvasScene | HasCanvasScene


def _scene_of(source: CanvasSource) -> CanvasScene:
    if isinstance(source, CanvasScene):
        return source
    return source.scene_


@contextlib.contextmanager
def _clean(scene: CanvasScene, *, vector: bool) -> Iterator[None]:
    """Draw without the selection, and, for vector output, without bitmap caches; with every
    arrow (a view's paint leaves out those found under cards); every card laid out."""
    scene.lay_out_later()
    scene.show_concealed()
    selected = scene.selectedItems()
    for item in selected:
        item.setSelected(False)
    cached = [i for i in scene.items() if i.cacheMode() != QGraphicsItem.CacheMode.NoCache] if vector else []
    modes = [i.cacheMode() for i in cached]
    for item in cached:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for item, mode in zip(cached, modes, strict=True):
            item.setCacheMode(mode)
        for item in selected:
            if item.scene() is scene:
                item.setSelected(True)


def render_image(source: CanvasSource, scale: float = 2.0) -> QImage:
    """The whole canvas as an image, `scale` pixels per canvas unit."""
    scene = _scene_of(source)
    rect = scene.sceneRect()
    size = QSize(round(rect.width() * scale), round(rect.height() * scale))
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHints(
        QPainter.RenderHint.Antialiasing
        | QPainter.RenderHint.TextAntialiasing
        | QPainter.RenderHint.SmoothPixmapTransform
    )
    try:
        with _clean(scene, vector=False):
            scene.render(painter, QRectF(image.rect()), rect, Qt.AspectRatioMode.KeepAspectRatio)
    finally:
        painter.end()
    return image


def png_bytes(source: CanvasSource, scale: float = 2.0, name: str = "canvas.png") -> bytes:
    """The canvas as a PNG, in memory. Raises KnownError if it cannot be drawn (a canvas
    too large for the memory there is), naming the file `name` it was for."""
    image = render_image(source, scale)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    made = not image.isNull() and image.save(buffer, "PNG")  # type: ignore[call-overload]
    buffer.close()
    if not made:
        raise KnownError(cannot_save(name, OSError(errno.ENOMEM, "not enough memory")))
    return bytes(data.data())


def export_png(source: CanvasSource, path: str | Path, *, scale: float = 2.0) -> Path:
    """Write the canvas as a PNG. Raises KnownError with a plain sentence if it cannot."""
    target = Path(path)
    return _save(target, png_bytes(source, scale, target.name))


def _save(target: Path, data: bytes) -> Path:
    """`data` written to `target` all or nothing; a failure is a sentence saying what to do."""
    try:
        with atomic_write(target) as stream:
            stream.write(data)
    except OSError as exc:
        raise KnownError(cannot_save(target.name or str(target), exc)) from None
    return target


def _write_svg(scene: CanvasScene, generator: QSvgGenerator, title: str) -> None:
    rect = scene.sceneRect()
    size = QSize(round(rect.width()), round(rect.height()))
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(title)
    generator.setDescription("Cards of people, groups and decisions on a grid of who plans and who delivers.")
    painter = QPainter(generator)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    try:
        with _clean(scene, vector=True):
            scene.render(painter, QRectF(0, 0, size.width(), size.height()), rect)
    finally:
        painter.end()


def svg_bytes(source: CanvasSource, title: str = "Power-sharing canvas") -> bytes:
    """The canvas as SVG, in memory: a vector drawing to hand to the report."""
    scene = _scene_of(source)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    _write_svg(scene, generator, title)
    buffer.close()
    return bytes(data.data())


def export_svg(source: CanvasSource, path: str | Path, *, title: str = "Power-sharing canvas") -> Path:
    """Write the canvas as an SVG. Raises KnownError with a plain sentence if it cannot."""
    return _save(Path(path), svg_bytes(source, title))
