"""What the canvas's background means and how each card is marked, for the report.

The meaning comes from `domain.canvas` (axes, zones, mark_of, shape_points), the
same source the app's canvas draws from, so paper and screen agree. When that
module is missing (an older build), a built-in reading of Bovaird's grid stands
in. Plain Python: the CSV export uses it too, without loading reportlab.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from ..domain.i18n import N_, _
from ..domain.ladder import LADDER
from ..domain.model import CanvasBackground, Card, CardKind
from . import styles

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


def _domain_canvas() -> ModuleType | None:
    try:
        return importlib.import_module("coprod_desktop.domain.canvas")
    except ImportError:
        return None


def canvas_look(background: CanvasBackground) -> CanvasLook:
    module = _domain_canvas()
    if module is not None and all(
        hasattr(module, name) for name in ("axes", "zones", "zone_of", "mark_of", "shape_points")
    ):
        return _look_from_domain(module, background)
    return _builtin_look(background)


def _look_from_domain(module: ModuleType, background: CanvasBackground) -> CanvasLook:
    found_axes: Any = module.axes(background)
    ladder_bands = background is CanvasBackground.LADDER
    # domain.canvas names the axes, zones and marks in English; they are translated here.
    zones = tuple(
        ZoneLook(z.left, z.top, z.right, z.bottom, _(z.label) if z.label else "", z.co_production)
        for z in module.zones(background)
    )

    def mark(card: Card) -> MarkLook:
        found = module.mark_of(card)
        return MarkLook(found.colour, str(found.shape), _(found.name), found.ink)

    def where(x: float | None, y: float | None) -> str:
        if x is None or y is None:
            return "—"
        zone = module.zone_of(background, x, y)
        return _capital(zone.name) if zone is not None else "Placed"

    def corners(shape: str, cx: float, cy: float, r: float) -> list[tuple[float, float]]:
        try:
            kind = module.Shape(shape)
        except ValueError:
            return []
        return list(module.shape_points(kind, cx, cy, r))

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

# --- the stand-in, when domain.canvas is not there ------------------------------------------

_WHO = ("Professionals", "Both", "People who use services")
_BUILTIN_CELLS: dict[tuple[int, int], str] = {(1, 1): "Full co-production"}
_BUILTIN_MARKS = {
    "lived_experience": MarkLook(
        styles.ROLE_GROUP_COLOURS["lived_experience"], "circle", "Lived experience", "#FFFFFF"
    ),
    "professional": MarkLook(styles.ROLE_GROUP_COLOURS["professional"], "square", "Staff", "#FFFFFF"),
    "other": MarkLook(styles.ROLE_GROUP_COLOURS["other"], "diamond", "Other", "#FFFFFF"),
    "decision": MarkLook(styles.DECISION_COLOUR, "triangle", "Decision", "#FFFFFF"),
}


def _builtin_look(background: CanvasBackground) -> CanvasLook:
    third = SPAN / 3
    zones: tuple[ZoneLook, ...] = ()
    x_title, y_title = "", ""
    x_labels: tuple[str, ...] = ()
    y_labels: tuple[str, ...] = ()
    if background in (CanvasBackground.PLAN_DELIVER, CanvasBackground.POWER_RESPONSIBILITY):
        zones = tuple(
            ZoneLook(
                c * third,
                r * third,
                (c + 1) * third,
                (r + 1) * third,
                _BUILTIN_CELLS.get((c, r), ""),
                (c, r) == (1, 1),
            )
            for r in range(3)
            for c in range(3)
        )
        plan = background is CanvasBackground.PLAN_DELIVER
        x_title = "Who plans?" if plan else "Who holds the power?"
        y_title = "Who delivers?" if plan else "Who carries the responsibility?"
        x_labels = _WHO
        y_labels = tuple(reversed(_WHO))  # people at the top, professionals at the bottom
    elif background is CanvasBackground.LADDER:
        band = SPAN / len(LADDER)
        zones = tuple(
            ZoneLook(0, SPAN - (i + 1) * band, SPAN, SPAN - i * band, rung.name, i == len(LADDER) - 1)
            for i, rung in enumerate(LADDER)
        )
        y_title = "The ladder of co-production"

    def mark(card: Card) -> MarkLook:
        if card.kind is CardKind.DECISION:
            return _BUILTIN_MARKS["decision"]
        if card.role is not None and card.role.lived_experience:
            return _BUILTIN_MARKS["lived_experience"]
        if card.role is not None and card.role.professional:
            return _BUILTIN_MARKS["professional"]
        return _BUILTIN_MARKS["other"]

    def where(x: float | None, y: float | None) -> str:
        if x is None or y is None:
            return "—"
        column = min(2, max(0, int(x / third)))
        row = min(2, max(0, int(y / third)))
        if background is CanvasBackground.LADDER:
            band = SPAN / len(LADDER)
            return LADDER[min(len(LADDER) - 1, max(0, int((SPAN - y) / band)))].name
        if background is CanvasBackground.BLANK:
            across = ("left", "middle", "right")[column]
            down = ("top", "middle", "bottom")[row]
            return "Centre" if across == down == "middle" else _capital(f"{down} {across}")
        return f"{_WHO[column]} plan, {y_labels[row].lower()} deliver"

    def corners(shape: str, cx: float, cy: float, r: float) -> list[tuple[float, float]]:
        if shape == "square":
            s = r * 0.85
            return [(cx - s, cy - s), (cx + s, cy - s), (cx + s, cy + s), (cx - s, cy + s)]
        if shape == "diamond":
            s = r * 1.1
            return [(cx, cy - s), (cx + s, cy), (cx, cy + s), (cx - s, cy)]
        if shape == "triangle":
            s = r * 1.1
            return [
                (cx + s * math.cos(a), cy + s * math.sin(a))
                for a in (-math.pi / 2, math.pi / 6, 5 * math.pi / 6)
            ]
        return []

    return CanvasLook(
        x_title,
        x_labels,
        y_title,
        y_labels,
        zones,
        background is CanvasBackground.LADDER,
        mark,
        where,
        corners,
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
