"""Colours of the printed page that are not results: ink, rules and tints.

Plain hex strings and plain Python only (no reportlab, no Qt). The heat map's palette
and the choice of black or white text on it are results, so they live in the domain
(`domain.matrix.heat_colour`, `text_colour_for`, `relative_luminance`) and the report
paints with exactly what the app's matrix paints with; nothing here copies them.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "GRID_LINE",
    "INK",
    "MUTED_INK",
    "PAPER_TINT",
    "RULE",
    "mix",
]

INK: Final = "#1A1A1A"  # body text: near-black, kinder to read than pure black
MUTED_INK: Final = "#555555"  # captions, the running header and footer
RULE: Final = "#9A9A9A"  # table lines
GRID_LINE: Final = "#B8B8B8"  # the canvas background grid
PAPER_TINT: Final = "#F2F2F2"  # a quiet fill behind headings of tables


def _rgb(colour: str) -> tuple[int, int, int]:
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(part))):02X}" for part in rgb)


def mix(first: str, second: str, amount: float) -> str:
    """The colour `amount` of the way (0..1) from `first` to `second`."""
    a, b = _rgb(first), _rgb(second)
    t = max(0.0, min(1.0, amount))
    return _hex((a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t))
