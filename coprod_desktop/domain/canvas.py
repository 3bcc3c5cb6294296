"""The power-sharing canvas as plain data: where a card sits, what that place means,
how far each card moves between "now" and "aspiration", and a reading of it in words.

The coordinate convention
-------------------------
Cards live in one square space, ``0 <= x, y <= SIZE`` (1000 units), whatever the
background; changing the background changes the words around the cards, never
their positions. On both axes a bigger number means more is in the hands of
people who use services and communities:

- ``x`` runs left to right from *professionals* (0) to *people who use services
  and communities* (1000): who plans and designs, or who holds the power.
- ``y`` runs top to bottom from *professionals* (0) to *people who use services
  and communities* (1000): who delivers, or who carries the responsibility.

This is the layout of Bovaird's own table: the top-left corner is a service
planned and delivered by professionals alone, the bottom-right one is run by
people and communities alone, and the middle cell (both plan, both deliver) is
full co-production. On the ladder background only ``y`` counts, and the ladder
climbs upwards: the bottom band is coercion and the top band co-production. A
card's position is its centre. Points outside the square count in the nearest zone.

Colours and shapes for role groups (`ROLE_MARKS`, `mark_of`, `shape_points`) live
here too, so the Qt canvas and the PDF report draw the same marks.

Words: the axes, zone names and labels are English constants marked with `N_`, to be
translated with `_` where they are shown; `reading` and `step_words` translate their own
sentences into the current language (`domain.i18n`).
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from .i18n import N_, _, ngettext, pgettext
from .ladder import LADDER
from .model import CanvasBackground, Card, CardKind, RoleGroup, Session, replace

__all__ = [
    "DECISION_MARK",
    "GRID",
    "ROLE_MARKS",
    "SIZE",
    "Axes",
    "Direction",
    "Layer",
    "Mark",
    "Move",
    "Shape",
    "Zone",
    "axes",
    "co_production_zone",
    "distance_to",
    "duplicate",
    "mark_of",
    "moves",
    "place",
    "position",
    "reading",
    "shape_points",
    "snap",
    "step_words",
    "zone_of",
    "zones",
]

SIZE = 1000.0
GRID = 25.0  # the snapping step: 40 steps across, 13 and a third to a cell

# A move shorter than this is no move at all (half a grid step: a nudge, not a decision).
STILL = GRID / 2
SMALL_STEP = 150.0  # under half a cell
LONG_STEP = 450.0  # more than a cell and a third


class Layer(enum.StrEnum):
    """The two layers a card can sit on."""

    NOW = "now"
    ASPIRATION = "aspiration"

    @property
    def label(self) -> str:
        return "Now" if self is Layer.NOW else "Aspiration"


# --- zones -----------------------------------------------------------------------


@dataclass(frozen=True)
class Zone:
    """A region of the canvas with a meaning.

    `name` is how the reading refers to it ("both plan, people deliver");
    `label` is drawn on the canvas (empty for the plain cells, whose meaning the
    axis headings give). Bounds are half-open on the right and bottom, except at
    the edge of the canvas.
    """

    key: str
    name: str
    left: float
    top: float
    right: float
    bottom: float
    co_production: bool = False
    label: str = ""

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.left + self.right) / 2, (self.top + self.bottom) / 2)

    def contains(self, x: float, y: float) -> bool:
        inside_x = self.left <= x < self.right or (x == self.right == SIZE)
        inside_y = self.top <= y < self.bottom or (y == self.bottom == SIZE)
        return inside_x and inside_y


@dataclass(frozen=True)
class Axes:
    """The words around a background: titles, and the labels of its thirds.

    `x_labels` run left to right; `y_labels` top to bottom. The ladder has no
    x axis (empty title and labels) and names its bands in `y_labels`.
    """

    x_title: str
    x_labels: tuple[str, ...]
    y_title: str
    y_labels: tuple[str, ...]


_THIRD = SIZE / 3
_BOUNDS = (0.0, _THIRD, 2 * _THIRD, SIZE)

# Who: the three parties of Bovaird's grid, left to right (and bottom to top).
_PLAN_WHO = ("professionals", "both", "people")
_PLAN_AXES = Axes(
    x_title=N_("Who plans and designs?"),
    x_labels=(N_("Professionals"), N_("Both together"), N_("People who use services and communities")),
    y_title=N_("Who delivers?"),
    y_labels=(N_("Professionals"), N_("Both together"), N_("People who use services and communities")),
)
_POWER_AXES = Axes(
    x_title=N_("Who holds the power?"),
    x_labels=(N_("Professionals"), N_("Shared"), N_("People who use services and communities")),
    y_title=N_("Who carries the responsibility?"),
    y_labels=(N_("Professionals"), N_("Shared"), N_("People who use services and communities")),
)
# The cells' names, by who plans (or holds the power) and who delivers (or carries the
# responsibility); each a whole phrase, so a translation need not build it from parts.
_PLAN_NAMES = {
    ("professionals", "professionals"): N_("professionals plan, professionals deliver"),
    ("both", "professionals"): N_("both plan, professionals deliver"),
    ("people", "professionals"): N_("people plan, professionals deliver"),
    ("professionals", "both"): N_("professionals plan, both deliver"),
    ("both", "both"): N_("both plan, both deliver"),
    ("people", "both"): N_("people plan, both deliver"),
    ("professionals", "people"): N_("professionals plan, people deliver"),
    ("both", "people"): N_("both plan, people deliver"),
    ("people", "people"): N_("people plan, people deliver"),
}
_POWER_NAMES = {
    ("professionals", "professionals"): N_(
        "professionals hold the power, professionals carry responsibility"
    ),
    ("both", "professionals"): N_("power shared, professionals carry responsibility"),
    ("people", "professionals"): N_("people hold the power, professionals carry responsibility"),
    ("professionals", "both"): N_("professionals hold the power, responsibility shared"),
    ("both", "both"): N_("power shared, responsibility shared"),
    ("people", "both"): N_("people hold the power, responsibility shared"),
    ("professionals", "people"): N_("professionals hold the power, people carry responsibility"),
    ("both", "people"): N_("power shared, people carry responsibility"),
    ("people", "people"): N_("people hold the power, people carry responsibility"),
}


def _grid_zone(column: int, row: int, background: CanvasBackground) -> Zone:
    """The cell in `column` and `row`, both counted from 0 = professionals (left, top)."""
    plan = _PLAN_WHO[column]
    deliver = _PLAN_WHO[row]
    centre = column == 1 and row == 1
    if background is CanvasBackground.PLAN_DELIVER:
        name = _PLAN_NAMES[(plan, deliver)]
        label = N_("Full co-production") if centre else ""
    else:
        name = _POWER_NAMES[(plan, deliver)]
        label = N_("Power and responsibility shared") if centre else ""
    return Zone(
        key=f"{plan}-{deliver}",
        name=name,
        left=_BOUNDS[column],
        top=_BOUNDS[row],
        right=_BOUNDS[column + 1],
        bottom=_BOUNDS[row + 1],
        co_production=centre,
        label=label,
    )


def _ladder_zones() -> tuple[Zone, ...]:
    band = SIZE / len(LADDER)
    top_rung = len(LADDER) - 1
    found = []
    for height, rung in enumerate(LADDER):
        bottom = SIZE - height * band
        top = 0.0 if height == top_rung else bottom - band
        found.append(
            Zone(
                key=rung.key,
                name=rung.name,
                left=0.0,
                top=top,
                right=SIZE,
                bottom=bottom,
                co_production=height == top_rung,
                label=rung.name,
            )
        )
    return tuple(found)


_ZONES: dict[CanvasBackground, tuple[Zone, ...]] = {
    CanvasBackground.PLAN_DELIVER: tuple(
        _grid_zone(c, r, CanvasBackground.PLAN_DELIVER) for r in range(3) for c in range(3)
    ),
    CanvasBackground.POWER_RESPONSIBILITY: tuple(
        _grid_zone(c, r, CanvasBackground.POWER_RESPONSIBILITY) for r in range(3) for c in range(3)
    ),
    CanvasBackground.LADDER: _ladder_zones(),
    CanvasBackground.BLANK: (),
}


def zones(background: CanvasBackground) -> tuple[Zone, ...]:
    """The zones of a background: the grids in reading order (top row first), the
    ladder bottom rung first, none for the blank canvas."""
    return _ZONES[background]


def axes(background: CanvasBackground) -> Axes | None:
    if background is CanvasBackground.PLAN_DELIVER:
        return _PLAN_AXES
    if background is CanvasBackground.POWER_RESPONSIBILITY:
        return _POWER_AXES
    if background is CanvasBackground.LADDER:
        return Axes("", (), N_("The ladder of co-production"), tuple(r.name for r in reversed(LADDER)))
    return None


def co_production_zone(background: CanvasBackground) -> Zone | None:
    return next((z for z in zones(background) if z.co_production), None)


def zone_of(background: CanvasBackground, x: float, y: float) -> Zone | None:
    """The zone a point falls in; points off the canvas count in the nearest zone.
    None on the blank canvas, or for a point that is not a number."""
    if math.isnan(x) or math.isnan(y):
        return None
    x = min(max(x, 0.0), SIZE)
    y = min(max(y, 0.0), SIZE)
    for zone in zones(background):
        if zone.contains(x, y):
            return zone
    return None


def distance_to(zone: Zone, x: float, y: float) -> float:
    """How far a point is from a zone: 0 inside it."""
    dx = max(zone.left - x, 0.0, x - zone.right)
    dy = max(zone.top - y, 0.0, y - zone.bottom)
    return math.hypot(dx, dy)


def snap(value: float, step: float = GRID) -> float:
    """The nearest grid line to `value`."""
    return round(value / step) * step + 0.0


# --- cards on layers --------------------------------------------------------------


def position(card: Card, layer: Layer) -> tuple[float, float] | None:
    """Where a card sits on a layer, or None when it is not on it."""
    if layer is Layer.NOW:
        x, y = card.now_x, card.now_y
    else:
        x, y = card.aspiration_x, card.aspiration_y
    if x is None or y is None:
        return None
    return (x, y)


def place(card: Card, layer: Layer, at: tuple[float, float] | None) -> Card:
    """`card` with its position on `layer` set to `at` (None takes it off that layer)."""
    x, y = (None, None) if at is None else at
    if layer is Layer.NOW:
        return replace(card, now_x=x, now_y=y)
    return replace(card, aspiration_x=x, aspiration_y=y)


def duplicate(card: Card, new_id: str, stacking: int, offset: float = 2 * GRID) -> Card:
    """A copy of `card` under a new identity, shifted by `offset` on every layer it sits on."""
    copy = replace(card, id=new_id, position=stacking)
    for layer in Layer:
        at = position(card, layer)
        if at is not None:
            copy = place(copy, layer, (at[0] + offset, at[1] + offset))
    return copy


# --- marks: colour plus shape for each role group ----------------------------------


class Shape(enum.StrEnum):
    CIRCLE = "circle"
    TRIANGLE = "triangle"
    HEXAGON = "hexagon"
    SQUARE = "square"
    DIAMOND = "diamond"
    PENTAGON = "pentagon"
    CROSS = "cross"
    STAR = "star"


@dataclass(frozen=True)
class Mark:
    """How a card shows who it is: a colour and a shape, so colour is never the only signal.

    Colours are the Okabe-Ito palette, which stays distinct for the common kinds of
    colour blindness; warm colours for people with lived experience, cool ones for
    staff. `ink` is the text colour that reads on `colour`.
    """

    colour: str
    shape: Shape
    name: str
    ink: str = "#000000"


ROLE_MARKS: dict[RoleGroup, Mark] = {
    RoleGroup.USES_SERVICES: Mark("#E69F00", Shape.CIRCLE, RoleGroup.USES_SERVICES.label),
    RoleGroup.CARER: Mark("#CC79A7", Shape.TRIANGLE, RoleGroup.CARER.label),
    RoleGroup.COMMUNITY: Mark("#F0E442", Shape.HEXAGON, RoleGroup.COMMUNITY.label),
    RoleGroup.FRONTLINE: Mark("#56B4E9", Shape.SQUARE, RoleGroup.FRONTLINE.label),
    RoleGroup.MANAGER: Mark("#0072B2", Shape.DIAMOND, RoleGroup.MANAGER.label, ink="#FFFFFF"),
    RoleGroup.RESEARCHER: Mark("#009E73", Shape.PENTAGON, RoleGroup.RESEARCHER.label, ink="#FFFFFF"),
    RoleGroup.OTHER: Mark("#999999", Shape.CROSS, RoleGroup.OTHER.label),
}
DECISION_MARK = Mark("#D55E00", Shape.STAR, N_("Decision or activity"), ink="#FFFFFF")


def mark_of(card: Card) -> Mark:
    """A stakeholder shows its role group; a decision its own star unless it names a role."""
    if card.role is not None:
        return ROLE_MARKS[card.role]
    if card.kind is CardKind.DECISION:
        return DECISION_MARK
    return ROLE_MARKS[RoleGroup.OTHER]


def shape_points(shape: Shape, cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    """The corners of a shape of radius `r` centred on (cx, cy), y downwards.
    A circle has none: draw it as a circle."""

    def ring(count: int, radius: float, start: float) -> list[tuple[float, float]]:
        return [
            (
                cx + radius * math.cos(start + 2 * math.pi * i / count),
                cy + radius * math.sin(start + 2 * math.pi * i / count),
            )
            for i in range(count)
        ]

    up = -math.pi / 2
    if shape is Shape.CIRCLE:
        return []
    if shape is Shape.TRIANGLE:
        return ring(3, r * 1.1, up)
    if shape is Shape.HEXAGON:
        return ring(6, r, 0.0)
    if shape is Shape.SQUARE:
        s = r * 0.85
        return [(cx - s, cy - s), (cx + s, cy - s), (cx + s, cy + s), (cx - s, cy + s)]
    if shape is Shape.DIAMOND:
        return ring(4, r * 1.1, up)
    if shape is Shape.PENTAGON:
        return ring(5, r, up)
    if shape is Shape.CROSS:
        a, b = r, r * 0.36
        return [
            (cx - b, cy - a),
            (cx + b, cy - a),
            (cx + b, cy - b),
            (cx + a, cy - b),
            (cx + a, cy + b),
            (cx + b, cy + b),
            (cx + b, cy + a),
            (cx - b, cy + a),
            (cx - b, cy + b),
            (cx - a, cy + b),
            (cx - a, cy - b),
            (cx - b, cy - b),
        ]
    outer = ring(5, r * 1.1, up)
    inner = ring(5, r * 0.45, up + math.pi / 5)
    return [p for pair in zip(outer, inner, strict=True) for p in pair]


# --- moves -------------------------------------------------------------------------


class Direction(enum.StrEnum):
    """How a move relates to the zone of co-production."""

    INTO = "into"  # from outside it to inside it
    TOWARDS = "towards"  # nearer to it, still outside
    WITHIN = "within"  # moves about inside it
    ALONG = "along"  # no nearer, no further
    AWAY = "away"  # further from it, outside it
    OUT_OF = "out_of"  # from inside it to outside it
    ACROSS = "across"  # from one side of it to another, through it
    STILL = "still"  # too short to count as a move
    UNMARKED = "unmarked"  # a background with no zones

    @property
    def towards_co_production(self) -> bool:
        return self in (Direction.INTO, Direction.TOWARDS)


@dataclass(frozen=True)
class Move:
    """One card's move from where it is now to where the room wants it, read on `background`."""

    card: Card
    background: CanvasBackground
    start: tuple[float, float]
    end: tuple[float, float]
    from_zone: Zone | None
    to_zone: Zone | None
    direction: Direction

    @property
    def distance(self) -> float:
        return math.hypot(self.end[0] - self.start[0], self.end[1] - self.start[1])

    @property
    def rungs(self) -> int:
        """Rungs climbed on the ladder (negative when it goes down); 0 on other backgrounds."""
        if self.background is not CanvasBackground.LADDER or self.from_zone is None or self.to_zone is None:
            return 0
        keys = [r.key for r in LADDER]
        return keys.index(self.to_zone.key) - keys.index(self.from_zone.key)


Point = tuple[float, float]


def _direction(background: CanvasBackground, start: Point, end: Point) -> Direction:
    if math.hypot(end[0] - start[0], end[1] - start[1]) < STILL:
        return Direction.STILL
    target = co_production_zone(background)
    if target is None:
        return Direction.UNMARKED
    was_in = zone_of(background, *start) == target
    is_in = zone_of(background, *end) == target
    if was_in and is_in:
        return Direction.WITHIN
    if is_in:
        return Direction.INTO
    if was_in:
        return Direction.OUT_OF
    if _crosses(target, _clamped(start), _clamped(end)):
        return Direction.ACROSS
    before = distance_to(target, *_clamped(start))
    after = distance_to(target, *_clamped(end))
    if after < before - STILL:
        return Direction.TOWARDS
    if after > before + STILL:
        return Direction.AWAY
    return Direction.ALONG


def _crosses(zone: Zone, start: Point, end: Point) -> bool:
    """Whether the straight path from `start` to `end` passes through `zone` (Liang-Barsky)."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    low, high = 0.0, 1.0
    for step, gap in (
        (-dx, start[0] - zone.left),
        (dx, zone.right - start[0]),
        (-dy, start[1] - zone.top),
        (dy, zone.bottom - start[1]),
    ):
        if step == 0:
            if gap < 0:
                return False
            continue
        t = gap / step
        if step < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _clamped(point: tuple[float, float]) -> tuple[float, float]:
    return (min(max(point[0], 0.0), SIZE), min(max(point[1], 0.0), SIZE))


def moves(session: Session, background: CanvasBackground | None = None) -> list[Move]:
    """The move of every card placed on both layers, in stacking order.
    `background` defaults to the one the session shows."""
    background = session.canvas.background if background is None else background
    found = []
    for card in session.cards:
        start = position(card, Layer.NOW)
        end = position(card, Layer.ASPIRATION)
        if start is None or end is None:
            continue
        found.append(
            Move(
                card=card,
                background=background,
                start=start,
                end=end,
                from_zone=zone_of(background, *start),
                to_zone=zone_of(background, *end),
                direction=_direction(background, start, end),
            )
        )
    return found


# --- the reading -------------------------------------------------------------------


# What the reading calls the zone of co-production on each background.
_TARGET = {
    CanvasBackground.PLAN_DELIVER: N_("full co-production"),
    CanvasBackground.POWER_RESPONSIBILITY: N_("shared power and responsibility"),
    CanvasBackground.LADDER: N_("co-production"),
}
_ARRIVE = {
    CanvasBackground.PLAN_DELIVER: N_("in full co-production"),
    CanvasBackground.POWER_RESPONSIBILITY: N_("where power and responsibility are shared"),
    CanvasBackground.LADDER: N_("on the co-production rung"),
}
# Each follows the size of the step: "— a long step into full co-production."
# Translators: these follow the size of a card's step ("a long step"), with no space
# before a comma; {target} is "full co-production" or the like.
_DIRECTION_WORDS = {
    Direction.INTO: N_(" into {target}"),
    Direction.TOWARDS: N_(" towards {target}"),
    Direction.WITHIN: N_(", staying in {target}"),
    Direction.ALONG: N_(", but no nearer to {target}"),
    Direction.AWAY: N_(" away from {target}"),
    Direction.OUT_OF: N_(" out of {target}"),
    Direction.ACROSS: N_(" through {target} and beyond it"),
}


def _spelled() -> tuple[str, ...]:
    """The counts up to ten in words, in the current language."""
    # Translators: a count in words ("three cards"); a translation may use the figure itself.
    return (
        pgettext("counted in words", "no"),
        pgettext("counted in words", "one"),
        pgettext("counted in words", "two"),
        pgettext("counted in words", "three"),
        pgettext("counted in words", "four"),
        pgettext("counted in words", "five"),
        pgettext("counted in words", "six"),
        pgettext("counted in words", "seven"),
        pgettext("counted in words", "eight"),
        pgettext("counted in words", "nine"),
        pgettext("counted in words", "ten"),
    )


def _number(count: int) -> str:
    """A count as the reading says it: in words up to ten, where the language does so."""
    words = _spelled()
    return words[count] if 0 <= count < len(words) else str(count)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _cards(count: int) -> str:
    return ngettext("{n} card", "{n} cards", count).format(n=_number(count))


def step_words(move: Move) -> str:
    """How far, in words: rungs on the ladder, otherwise the length of the step."""
    if move.direction is Direction.STILL:
        return _("no real move")
    if move.background is CanvasBackground.LADDER:
        rungs = move.rungs
        if rungs == 0:
            return _("a step on the same rung")
        count = abs(rungs)
        if rungs > 0:
            return ngettext("{n} rung up", "{n} rungs up", count).format(n=_number(count))
        return ngettext("{n} rung down", "{n} rungs down", count).format(n=_number(count))
    if move.distance < SMALL_STEP:
        return _("a small step")
    if move.distance < LONG_STEP:
        return _("a clear step")
    return _("a long step")


def _title(card: Card) -> str:
    text = " ".join(card.text.split())
    if text:
        return text
    return _("An untitled decision") if card.kind is CardKind.DECISION else _("An untitled card")


def _quoted(zone: Zone | None) -> str:
    # Translators: a zone's name quoted in a sentence of the canvas's reading.
    return _("‘{zone}’").format(zone=_(zone.name)) if zone is not None else _("its place")


def _move_sentence(move: Move) -> str:
    card = _title(move.card)
    if move.direction is Direction.STILL:
        return _("{card}: stays at {place}.").format(card=card, place=_quoted(move.from_zone))
    if move.direction is Direction.UNMARKED:
        return _("{card}: {step} between now and the aspiration.").format(card=card, step=step_words(move))
    where = _(_DIRECTION_WORDS[move.direction]).format(target=_(_TARGET[move.background]))
    if move.from_zone == move.to_zone:
        # Translators: {where} is " into full co-production" or the like, possibly empty.
        return _("{card}: moves within {place} — {step}{where}.").format(
            card=card, place=_quoted(move.from_zone), step=step_words(move), where=where
        )
    # Translators: {where} is " into full co-production" or the like, possibly empty.
    return _("{card}: from {start} to {end} — {step}{where}.").format(
        card=card,
        start=_quoted(move.from_zone),
        end=_quoted(move.to_zone),
        step=step_words(move),
        where=where,
    )


def reading(
    session: Session, background: CanvasBackground | None = None, limit: int | None = None
) -> list[str]:
    """A short reading of the canvas in plain words, for the report: an overview, then
    each card's move (longest first), then cards on one layer only.

    The card's own words lead each sentence ("Class members: from … to …"), since
    the text is whatever the room wrote and a verb after it could not be made to
    agree with it. `limit` caps the number of cards named; the rest are counted.
    """
    background = session.canvas.background if background is None else background
    cards = session.cards
    if not cards:
        return [_("No cards have been put on the canvas yet.")]
    found = moves(session, background)
    on = {
        c.id: (position(c, Layer.NOW) is not None, position(c, Layer.ASPIRATION) is not None) for c in cards
    }
    now_only = [c for c in cards if on[c.id] == (True, False)]
    aim_only = [c for c in cards if on[c.id] == (False, True)]
    unplaced = len(cards) - len(found) - len(now_only) - len(aim_only)

    lines = [_overview(found, len(cards), background)]
    ordered = sorted(found, key=lambda m: (-m.distance, m.card.position, m.card.id))
    shown: list[Move | Card] = [*ordered, *now_only, *aim_only]
    named = shown if limit is None else shown[: max(limit, 0)]
    for entry in named:
        if isinstance(entry, Move):
            lines.append(_move_sentence(entry))
            continue
        zone = _zone_at(
            entry, Layer.NOW if position(entry, Layer.NOW) is not None else Layer.ASPIRATION, background
        )
        if position(entry, Layer.NOW) is not None:
            if zone is None:
                line = _("{card}: placed now; no aspiration has been placed.")
            else:
                line = _("{card}: at {place} now; no aspiration has been placed.")
        elif zone is None:
            line = _("{card}: no place now; the aspiration is placed.")
        else:
            line = _("{card}: no place now; the aspiration is at {place}.")
        lines.append(line.format(card=_title(entry), place=_quoted(zone)))
    left = len(shown) - len(named)
    if left:
        more = ngettext("{n} card more is not listed here.", "{n} cards more are not listed here.", left)
        lines.append(_capital(more.format(n=_number(left))))
    if unplaced:
        not_placed = ngettext(
            "{n} card has not been placed on either layer.",
            "{n} cards have not been placed on either layer.",
            unplaced,
        )
        lines.append(_capital(not_placed.format(n=_number(unplaced))))
    return lines


def _zone_at(card: Card, layer: Layer, background: CanvasBackground) -> Zone | None:
    at = position(card, layer)
    assert at is not None
    return zone_of(background, *at)


def _overview(found: list[Move], total: int, background: CanvasBackground) -> str:
    if not found:
        return _capital(
            ngettext(
                "{n} card on the canvas, but none yet has both a place now "
                "and an aspiration, so there are no moves to read.",
                "{n} cards on the canvas, but none yet has both a place now "
                "and an aspiration, so there are no moves to read.",
                total,
            ).format(n=_number(total))
        )
    both = len(found)
    cards = _cards(total)
    if both == total and both > 1:
        head = _("{cards} on the canvas; all have a place now and an aspiration.").format(cards=cards)
    else:
        head = ngettext(
            "{cards} on the canvas; {n} has a place now and an aspiration.",
            "{cards} on the canvas; {n} have a place now and an aspiration.",
            both,
        ).format(cards=cards, n=_number(both))
    head = _capital(head)
    if background not in _TARGET:
        moving = sum(1 for m in found if m.direction is not Direction.STILL)
        them = ngettext("{n} of them moves.", "{n} of them move.", moving).format(n=_number(moving))
        return f"{head} {_capital(them)}"
    target = _(_TARGET[background])
    towards = sum(1 for m in found if m.direction.towards_co_production)
    arrive = sum(1 for m in found if m.direction in (Direction.INTO, Direction.WITHIN))
    away = sum(1 for m in found if m.direction in (Direction.AWAY, Direction.OUT_OF))
    if towards:
        going = ngettext(
            "{n} of {total} moves towards {target}", "{n} of {total} move towards {target}", towards
        ).format(n=_number(towards), total=_number(both), target=target)
    elif both > 1:
        going = _("None of them moves towards {target}").format(target=target)
    else:
        going = _("None moves towards {target}").format(target=target)
    place = _(_ARRIVE[background])
    if arrive:
        ending = ngettext("{n} would end {place}", "{n} would end {place}", arrive).format(
            n=_number(arrive), place=place
        )
    else:
        ending = _("none would end {place}").format(place=place)
    # Translators: the two halves of a sentence: "Six of nine move towards full
    # co-production" and "three would end in full co-production".
    text = f"{head} " + _("{moving}, and {ending}.").format(moving=_capital(going), ending=ending)
    across = sum(1 for m in found if m.direction is Direction.ACROSS)
    if across:
        passes = ngettext("{n} passes through it and beyond.", "{n} pass through it and beyond.", across)
        text += " " + _capital(passes.format(n=_number(across)))
    if away:
        leaves = ngettext("{n} moves away from it.", "{n} move away from it.", away)
        text += " " + _capital(leaves.format(n=_number(away)))
    return text
