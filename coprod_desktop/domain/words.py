"""The words and the number format every view uses for results.

The laptop, the projector, the summary, the PDF and the CSV print results; each used to
spell them its own way ("⚠ views differ" on screen, "▲ Split views" on paper, an
average of "1.46" among one-decimal numbers). They take them from here instead, so one
idea has one name and one figure looks the same wherever it is shown.

The number format
    Every average, spread and gap is shown with one decimal (`one_decimal`). Where a rule
    compares an average with a threshold (the matrix's placement, the readiness check),
    rounding could put the shown figure on the other side of it: 2.46 would read "2.5"
    against a threshold of 2.5 it does not reach. Then the figure is rounded the other
    way ("2.4"), still within a tenth of the truth, so what is printed always agrees with
    what the rule decided. Nothing ever shows two decimals.

The words are English, marked for the catalogue with `N_`: translate them with `_` where
they are shown (the functions below translate their own sentences).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .i18n import N_, _

# Where the room was divided on a box (both ends of the scale and a wide spread).
VIEWS_DIFFER = N_("⚠ Views differ")
VIEWS_DIFFER_SPOKEN = N_("views differ strongly")  # for screen readers, inside a sentence
# A box with no rating, and one whose result the facilitator has not shown yet.
NO_VOTES = N_("No votes")
NOT_REVEALED = N_("Not revealed yet")
NOT_REVEALED_IN_ROOM = N_("Not revealed in the room")
# The two sides of the role split, short (in a box) and long (in a sentence).
LIVED = N_("lived")
STAFF = N_("staff")
LIVED_LONG = N_("people with lived experience")
STAFF_LONG = N_("staff and professionals")
# A gap between the sides of at least a quarter of the scale (see domain.matrix.big_gap).
GAP_MARK = "▲"
NONE_SHOWN = "–"  # a figure that does not exist (nothing rated)


def one_decimal(value: float | None, thresholds: Iterable[float] = ()) -> str:
    """`value` with one decimal, on the same side of every threshold as the value itself.

    None (nothing rated) is shown as a dash."""
    if value is None or not math.isfinite(value):
        return NONE_SHOWN
    limits = tuple(thresholds)
    nearest = round(value, 1)
    if _same_side(value, nearest, limits):
        return _text(nearest)
    for other in (math.floor(value * 10) / 10, math.ceil(value * 10) / 10):
        if _same_side(value, other, limits):
            return _text(other)
    return _text(nearest)  # thresholds closer together than a tenth: cannot happen on our scales


def _same_side(value: float, shown: float, limits: tuple[float, ...]) -> bool:
    return all((value >= limit) == (shown >= limit - 1e-9) for limit in limits)


def _text(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def spread_text(spread: float) -> str:
    """How far apart the votes were, as a box shows it: "spread 0.8"."""
    # Translators: in a box of the matrix, how far apart the votes were.
    return _("spread {figure}").format(figure=one_decimal(spread))


def gap_text(lived: float | None, staff: float | None) -> str:
    """The role split's gap as a box shows it: "▲ staff +1.2" (the higher side named)."""
    if lived is None or staff is None:
        return ""
    gap = staff - lived
    who = _(STAFF) if gap > 0 else _(LIVED)
    # Translators: in a box of the matrix: the higher side of the role split and by how much.
    return _("{mark} {side} +{gap}").format(mark=GAP_MARK, side=who, gap=one_decimal(abs(gap)))


def split_sentence(lived: float | None, staff: float | None) -> str:
    """The whole matrix's role split in one sentence, or "" when a side is missing."""
    if lived is None or staff is None:
        return ""
    gap = staff - lived
    shown = one_decimal(abs(gap))
    figures = {"lived": one_decimal(lived), "staff": one_decimal(staff), "gap": shown}
    if shown == "0.0":
        return _(
            "People with lived experience rate {lived} on average, staff and professionals {staff}: no gap."
        ).format(**figures)
    if gap > 0:
        return _(
            "People with lived experience rate {lived} on average, staff and professionals {staff}: "
            "staff {gap} higher."
        ).format(**figures)
    return _(
        "People with lived experience rate {lived} on average, staff and professionals {staff}: "
        "staff {gap} lower."
    ).format(**figures)


# The placement's rules, each marked as holding or not (a sign and a word, never colour alone).
HOLDS = N_("✓ holds")
DOES_NOT_HOLD = N_("✗ does not hold")
PLACES_THE_WORK = N_("This places the work.")
