"""The one model of valid values: what a session may hold, checked the same everywhere.

The session file, a JSON import and a template can carry any number SQLite or
JSON allows; the app cannot use them all (a step of 2**63 minutes overflows the
timer, a count of 10**8 hands is no room anyone facilitates). Every entity that
enters a session from outside passes `check`, which names the field and the
bounds in a sentence; the storage layer runs it on reading a file, on an import
and before saving an edit, and widgets take their ranges from the bounds here
(`STEP_MINUTES.maximum`, `HANDS.maximum`, ...), so the three never disagree.

The bounds are generous: each is far beyond any real workshop, and each is what
the app's screens already accept.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from .i18n import N_, _
from .model import BallotCount, Entity, MatrixSettings, Step, Tally, WorkshopInfo

__all__ = [
    "COORDINATE",
    "HANDS",
    "KEY_TEXT",
    "LONG_TEXT",
    "POSITION",
    "SCALE_LABEL",
    "SCALE_POINTS",
    "SHORT_TEXT",
    "STEP_MINUTES",
    "Bound",
    "LimitError",
    "check",
    "clear_up_to",
    "columns_clear",
    "problem",
]


class LimitError(ValueError):
    """A value outside the model of valid values; `str()` is the sentence."""


@dataclass(frozen=True)
class Bound:
    """An inclusive range, with the word for what it counts."""

    minimum: int
    maximum: int
    unit: str = ""

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.minimum <= value <= self.maximum

    def describe(self) -> str:
        low, high = f"{self.minimum:,}", f"{self.maximum:,}"
        if self.unit:
            # Translators: a range, "0 to 600 minutes"; {unit} is "minutes", "hands" or "points".
            return _("{low} to {high} {unit}").format(low=low, high=high, unit=_(self.unit))
        return _("{low} to {high}").format(low=low, high=high)


STEP_MINUTES = Bound(0, 600, N_("minutes"))  # ten hours: the agenda editor's and templates' range
HANDS = Bound(0, 999, N_("hands"))  # a count of hands for one choice: the count boxes' range
SCALE_POINTS = Bound(2, 11, N_("points"))  # a rating scale: the templates' range
POSITION = Bound(-(2**31), 2**31 - 1)  # display order and stacking
COORDINATE = 1_000_000.0  # a card further than this from the middle of the canvas is lost to view
KEY_TEXT = 1_000  # identities, question keys, choices
SHORT_TEXT = 2_000  # titles, names, labels: each shows in narrow columns and headers
LONG_TEXT = 1_000_000  # notes, bodies, descriptions: a long book's worth
SCALE_LABEL = 200

# Fields that hold prose rather than a name; every other text field is short.
_LONG_FIELDS = frozenset(
    {
        "purpose",
        "body",
        "notes",
        "what",
        "what_not",
        "differs",
        "example",
        "description",
        "text",
        "explanation",
        "agreed_reason",
    }
)
_KEY_FIELDS = frozenset({"id", "key", "question", "participant_id", "choice", "step_id", "term"})
_COORDINATES = frozenset({"now_x", "now_y", "aspiration_x", "aspiration_y"})

_WHAT = {
    "info": N_("the workshop details"),
    "progress": N_("the current step"),
    "matrix": N_("the matrix settings"),
    "canvas": N_("the canvas settings"),
    "readiness_item": N_("a readiness item"),
}


def _where(entity: Entity) -> str:
    """Which entity, in words: 'step "Welcome"', 'the matrix settings'."""
    if entity.KIND in _WHAT:
        return _(_WHAT[entity.KIND])
    label = getattr(entity, "title", None) or getattr(entity, "name", None)
    kind = entity.KIND.replace("_", " ")
    if isinstance(label, str) and label:
        shown = label if len(label) <= 40 else label[:39] + "…"
        # Translators: which item, by its kind (an identifier, in English) and its title.
        return _('{kind} "{title}"').format(kind=kind, title=shown)
    # Translators: an item of this kind (an identifier, in English) with no title.
    return _("a {kind}").format(kind=kind)


def _text_limit(name: str) -> int:
    if name in _LONG_FIELDS:
        return LONG_TEXT
    if name in _KEY_FIELDS:
        return KEY_TEXT
    return SHORT_TEXT


def _number(value: Any) -> str:
    text = f"{value:,}" if isinstance(value, int) else f"{value!r}"
    return text if len(text) <= 40 else text[:39] + "…"


def _plan(cls: type[Entity]) -> _Plan:
    """(name, text limit, is a coordinate, is the position) of each field of `cls`, in order,
    and whether the kind has rules of its own: worked out once per class, as every entity
    read from a file is checked."""
    found = _PLANS.get(cls)
    if found is None:
        found = (
            tuple(
                (item.name, _text_limit(item.name), item.name in _COORDINATES, item.name == "position")
                for item in fields(cls)
            ),
            issubclass(cls, _SPECIAL),
        )
        _PLANS[cls] = found
    return found


_Plan = tuple[tuple[tuple[str, int, bool, bool], ...], bool]
_PLANS: dict[type[Entity], _Plan] = {}


def clear_up_to(cls: type[Entity]) -> int:
    """A length of text such that an entity of `cls` whose texts are all at most that long is
    within bounds, whatever they say; 0 when other values of the kind are checked too (numbers,
    positions, a kind's own rules). Lets a reader clear a table of votes at once instead of
    asking `problem` of each row."""
    steps, special = _PLANS.get(cls) or _plan(cls)
    if special or any(coordinate or position for _, _, coordinate, position in steps):
        return 0
    return min((limit for _, limit, _, _ in steps), default=LONG_TEXT)


_IS_STR = str.__instancecheck__  # isinstance(value, str), for filter() to call from C
_IS_FLOAT = float.__instancecheck__
_IS_INT = int.__instancecheck__  # bools too, as isinstance(value, int) takes them


def columns_clear(cls: type[Entity], columns: Sequence[Sequence[Any]]) -> bool:
    """Whether every entity of `cls` made of these values (one sequence per field, in field
    order, the i-th entity of the i-th values) is within bounds: what asking `problem` of each
    says, asked a column at a time with the loops in C, as a file's table of cards or people
    is read. False for a kind with rules of its own (`_SPECIAL`): then ask each entity."""
    steps, special = _PLANS.get(cls) or _plan(cls)
    if special or len(columns) != len(steps):
        return False
    low, high = POSITION.minimum, POSITION.maximum
    for (_name, limit, coordinate, position), column in zip(steps, columns, strict=True):
        # problem() asks a str its length, a float (of a coordinate) its distance, an int (of a
        # position) its bounds, and nothing else: the same questions of the whole column.
        if max(map(len, filter(_IS_STR, column)), default=0) > limit:
            return False
        if coordinate:
            floats = list(filter(_IS_FLOAT, column))
            if not all(map(math.isfinite, floats)) or max(map(abs, floats), default=0.0) > COORDINATE:
                return False
        if position:
            whole = list(filter(_IS_INT, column))
            if whole and (min(whole) < low or max(whole) > high):
                return False
    return True


def problem(entity: Entity) -> str | None:
    """What is out of bounds in `entity`, as a sentence naming the field; None if all is well."""
    steps, special = _PLANS.get(type(entity)) or _plan(type(entity))
    low, high = POSITION.minimum, POSITION.maximum
    for name, limit, coordinate, position in steps:
        value = getattr(entity, name)
        if isinstance(value, str):
            if len(value) > limit:
                return _(
                    "'{field}' of {what} is {length} characters long, more than the {limit} it may hold"
                ).format(field=name, what=_where(entity), length=f"{len(value):,}", limit=f"{limit:,}")
        elif isinstance(value, float):
            if coordinate and (not math.isfinite(value) or abs(value) > COORDINATE):
                return _(
                    "'{field}' of {what} is {value}, off the canvas (it must be within {limit} of the middle)"
                ).format(field=name, what=_where(entity), value=_number(value), limit=f"{COORDINATE:,.0f}")
        elif position and isinstance(value, int) and not low <= value <= high:  # `not in POSITION`
            return _("'position' of {what} is {value}, beyond {bounds}").format(
                what=_where(entity), value=_number(value), bounds=POSITION.describe()
            )
    return _special(entity) if special else None


# A workshop's language, as BCP 47 writes it: "cy", "en-GB", "zh-Hant-TW" (or empty: British English).
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,4}")
# The kinds with rules of their own (below): problem() asks only these.
_SPECIAL = (WorkshopInfo, Step, Tally, BallotCount, MatrixSettings)


def _special(entity: Entity) -> str | None:
    if isinstance(entity, WorkshopInfo) and entity.language and not LANGUAGE_TAG.fullmatch(entity.language):
        return _(
            "'language' of the workshop details is {value}, which is not a language tag such as cy or en-GB"
        ).format(value=repr(entity.language[:40]))
    if isinstance(entity, Step) and entity.minutes not in STEP_MINUTES:
        return _("'minutes' of {what} is {value}; a step lasts {bounds}").format(
            what=_where(entity), value=_number(entity.minutes), bounds=STEP_MINUTES.describe()
        )
    if isinstance(entity, Tally) and entity.count not in HANDS:
        return _(
            "'count' of the hands for {choice!r} on {question!r} is {value}; a count is {bounds}"
        ).format(
            choice=entity.choice[:40],
            question=entity.question[:60],
            value=_number(entity.count),
            bounds=HANDS.describe(),
        )
    if isinstance(entity, BallotCount) and entity.count not in HANDS:
        return _(
            "'count' of the ballots for {choice!r} on {question!r} is {value}; a count is {bounds}"
        ).format(
            choice=entity.choice[:40],
            question=entity.question[:60],
            value=_number(entity.count),
            bounds=HANDS.describe(),
        )
    if isinstance(entity, MatrixSettings):
        points = len(entity.scale)
        if points not in SCALE_POINTS:
            return _("'scale' of the matrix settings has {points} points; a scale has {bounds}").format(
                points=f"{points:,}", bounds=SCALE_POINTS.describe()
            )
        for label in entity.scale:
            if len(label) > SCALE_LABEL:
                return _(
                    "'scale' of the matrix settings has a label of {length} characters, "
                    "more than the {limit} a label may hold"
                ).format(length=f"{len(label):,}", limit=SCALE_LABEL)
    return None


def check(entity: Entity) -> Entity:
    """`entity` itself if it is within bounds; else LimitError with the sentence."""
    found = problem(entity)
    if found is not None:
        raise LimitError(found)
    return entity
