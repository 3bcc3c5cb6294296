"""Colours and symbols shared by the PDF report and the app's own views.

Plain hex strings and plain Python only (no reportlab, no Qt), so any layer can
import this cheaply: the matrix view can paint its heat map with the very same
palette as the printed report.

The heat map palette samples *cividis*, a sequential palette designed to read
the same for people with the common kinds of colour blindness, and whose
lightness rises steadily from one end to the other, so a greyscale print keeps
the order of the colours. Numbers are always printed in the cells as well:
colour is never the only signal.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "DECISION_COLOUR",
    "GRID_LINE",
    "HEAT_PALETTE",
    "INK",
    "MUTED_INK",
    "PAPER_TINT",
    "ROLE_GROUP_COLOURS",
    "RULE",
    "heat_colour",
    "mix",
    "relative_luminance",
    "text_colour_on",
]

# cividis in six even steps, dark blue through grey to pale yellow: the very stops of
# domain.matrix.heat_colour, which the app's matrix paints with (a test keeps them equal).
HEAT_PALETTE: Final[tuple[str, ...]] = ("#00224E", "#35456C", "#666970", "#948E77", "#C8B866", "#FEE838")

INK: Final = "#1A1A1A"  # body text: near-black, kinder to read than pure black
MUTED_INK: Final = "#555555"  # captions, the running header and footer
RULE: Final = "#9A9A9A"  # table lines
GRID_LINE: Final = "#B8B8B8"  # the canvas background grid
PAPER_TINT: Final = "#F2F2F2"  # a quiet fill behind headings of tables

# Canvas card groups (Okabe-Ito colours, safe for colour-blind readers). Each
# group also has its own shape, so the colours are a help, never the only signal.
ROLE_GROUP_COLOURS: Final[dict[str, str]] = {
    "lived_experience": "#0072B2",  # blue
    "professional": "#D55E00",  # vermilion
    "other": "#6B6B6B",  # grey
}
DECISION_COLOUR: Final = "#009E73"  # bluish green


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


def heat_colour(fraction: float) -> str:
    """The heat map colour for a position on the scale, 0 (lowest) to 1 (highest)."""
    t = max(0.0, min(1.0, fraction))
    steps = len(HEAT_PALETTE) - 1
    index = min(int(t * steps), steps - 1)
    return mix(HEAT_PALETTE[index], HEAT_PALETTE[index + 1], t * steps - index)


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = _rgb(colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def text_colour_on(background: str) -> str:
    """Black or white, whichever contrasts more with `background` (WCAG contrast ratio)."""
    lum = relative_luminance(background)
    on_black = (lum + 0.05) / 0.05
    on_white = 1.05 / (lum + 0.05)
    return "#000000" if on_black >= on_white else "#FFFFFF"
