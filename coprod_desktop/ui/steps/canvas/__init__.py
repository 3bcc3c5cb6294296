"""The power-sharing canvas: cards of people and decisions on a grid of power, now and as hoped for.

`CanvasWidget` is what a step view hosts; `export_png` and `export_svg` write the
picture. The meaning of positions (zones, moves, the reading) is in
`coprod_desktop.domain.canvas`, which has no Qt in it.
"""

from .export import export_png, export_svg, render_image, svg_bytes
from .scene import CanvasScene, LayerChoice
from .view import CanvasView
from .widget import CanvasWidget

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
