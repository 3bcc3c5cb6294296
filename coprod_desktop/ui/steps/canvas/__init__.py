"""The power-sharing canvas: cards of people and decisions on a grid of power, now and as hoped for.

`CanvasWidget` is what a step view hosts; `export_png` and `export_svg` write the
picture. The meaning of positions (zones, moves, the reading) is in
`coprod_desktop.domain.canvas`, which has no Qt in it.
"""

from typing import TYPE_CHECKING, Any

from .scene import CanvasScene, LayerChoice
from .view import CanvasView
from .widget import CanvasWidget

if TYPE_CHECKING:
    from .export import export_png, export_svg, render_image, svg_bytes

_EXPORTS = ("export_png", "export_svg", "render_image", "svg_bytes")


def __getattr__(name: str) -> Any:
    # The export (and QtSvg under it) is imported when first used, not when the canvas opens.
    if name in _EXPORTS:
        from . import export

        return getattr(export, name)
    raise AttributeError(name)


__all__ = [
    "CanvasScene",
    "CanvasView",
    "CanvasWidget",
    "LayerChoice",
    "export_png",
    "export_svg",
    "render_image",
    "svg_bytes",
]
