"""The canvas as a picture: PNG for slides and messages, SVG for print and the report.

Both draw the whole canvas (background, cards, arrows and key) as the scene shows
it, without the selection outline. For SVG, item caching is switched off while
drawing, so every card is written as shapes and text rather than as a bitmap.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem

from ....domain.errors import KnownError
from ....domain.i18n import _
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
    """Draw without the selection, and, for vector output, without bitmap caches."""
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


def export_png(source: CanvasSource, path: str | Path, *, scale: float = 2.0) -> Path:
    """Write the canvas as a PNG. Raises KnownError with a plain sentence if it cannot."""
    target = Path(path)
    if not render_image(source, scale).save(str(target), "PNG"):  # type: ignore[call-overload]
        raise KnownError(
            _("Could not save the picture as {file}; check the folder can be written to.").format(
                file=target.name
            )
        )
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
    target = Path(path)
    try:
        target.write_bytes(svg_bytes(source, title))
    except OSError as exc:
        raise KnownError(
            _("Could not save the drawing as {file}: {reason}.").format(
                file=target.name, reason=exc.strerror or exc
            )
        ) from None
    return target
