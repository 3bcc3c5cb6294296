"""What the canvas's background means and how each card is marked, for the report.

The meaning comes from `domain.canvas` (axes, zones, zone_of, mark_of, shape_points),
the same source the app's canvas draws from, so paper and screen agree. Plain Python:
the CSV export uses it too, without loading reportlab.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..domain import canvas as canvas_rules
from ..domain.i18n import N_, _, current
from ..domain.model import CanvasBackground, Card

__all__ = ["SHAPE_SYMBOL", "SPAN", "CanvasLook", "MarkLook", "ZoneLook", "canvas_look"]

SPAN = 1000.0

# Text symbols for the shapes, for tables beside the drawing (all in DejaVu Sans).
SHAPE_SYMBOL = {
    "circle": "●",
    "square": "■",
    "diamond": "◆",
    "triangle": "▲",
    "hexagon": "⬢",
    "pentagon": "⬟",
    "cross": "✚",
    "star": "★",
}


@dataclass(frozen=True)
class MarkLook:
    colour: str
    shape: str
    name: str
    ink: str

    @property
    def symbol(self) -> str:
        return SHAPE_SYMBOL.get(self.shape, "●")


@dataclass(frozen=True)
class ZoneLook:
    left: float
    top: float
    right: float
    bottom: float
    label: str
    co_production: bool


@dataclass(frozen=True)
class CanvasLook:
    """Everything the drawing needs to know about a background, and how to mark a card."""

    x_title: str
    x_labels: tuple[str, ...]  # left to right
    y_title: str
    y_labels: tuple[str, ...]  # top to bottom
    zones: tuple[ZoneLook, ...]
    ladder_bands: bool
    mark: Callable[[Card], MarkLook]
    where: Callable[[float | None, float | None], str]
    corners: Callable[[str, float, float, float], list[tuple[float, float]]]  # y downwards


def canvas_look(background: CanvasBackground) -> CanvasLook:
    found_axes = canvas_rules.axes(background)
    ladder_bands = background is CanvasBackground.LADDER
    # domain.canvas names the axes, zones and marks in English; they are translated here.
    zones = tuple(
        ZoneLook(z.left, z.top, z.right, z.bottom, _(z.label) if z.label else "", z.co_production)
        for z in canvas_rules.zones(background)
    )

    # A canvas of thousands of cards has a handful of marks and zones: each is translated once
    # (per language: a handout in two languages asks in each).
    marks: dict[tuple[Any, ...], MarkLook] = {}
    places: dict[tuple[str | None, str], str] = {}

    def mark(card: Card) -> MarkLook:
        found = canvas_rules.mark_of(card)
        key = (found.colour, found.shape, found.name, found.ink, current())
        look = marks.get(key)
        if look is None:
            look = marks[key] = MarkLook(found.colour, str(found.shape), _(found.name), found.ink)
        return look

    def where(x: float | None, y: float | None) -> str:
        if x is None or y is None:
            return "—"
        zone = canvas_rules.zone_of(background, x, y)
        key = (zone.name if zone is not None else None, current())
        place = places.get(key)
        if place is None:
            place = places[key] = _capital(_(zone.name)) if zone is not None else _("Placed")
        return place

    def corners(shape: str, cx: float, cy: float, r: float) -> list[tuple[float, float]]:
        try:
            kind = canvas_rules.Shape(shape)
        except ValueError:
            return []
        return list(canvas_rules.shape_points(kind, cx, cy, r))

    if found_axes is None:
        titles: tuple[str, tuple[str, ...], str, tuple[str, ...]] = ("", (), "", ())
    else:
        titles = (
            _(found_axes.x_title) if found_axes.x_title else "",
            tuple(_(label) for label in found_axes.x_labels),
            _(found_axes.y_title) if found_axes.y_title else "",
            tuple(_(label) for label in found_axes.y_labels),
        )
    if ladder_bands:
        titles = ("", (), titles[2], ())  # the bands carry the rung names themselves
    return CanvasLook(
        *titles, zones=zones, ladder_bands=ladder_bands, mark=mark, where=where, corners=corners
    )


# The words domain.canvas draws on the picture, marked for the catalogue (the domain keeps
# them in English; `_look_from_domain` translates them).
CANVAS_WORDS = (
    N_("Who plans and designs?"),
    N_("Who delivers?"),
    N_("Who holds the power?"),
    N_("Who carries the responsibility?"),
    N_("Professionals"),
    N_("Both together"),
    N_("Shared"),
    N_("People who use services and communities"),
    N_("Full co-production"),
    N_("Power and responsibility shared"),
    N_("Decision or activity"),
)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
