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
from dataclasses import dataclass, fields
from typing import Any

from .model import BallotCount, Entity, MatrixSettings, Step, Tally

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
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.minimum:,} to {self.maximum:,}{unit}"


STEP_MINUTES = Bound(0, 600, "minutes")  # ten hours: the agenda editor's and templates' range
HANDS = Bound(0, 999, "hands")  # a count of hands for one choice: the count boxes' range
SCALE_POINTS = Bound(2, 11, "points")  # a rating scale: the templates' range
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
    "info": "the workshop details",
    "progress": "the current step",
    "matrix": "the matrix settings",
    "canvas": "the canvas settings",
    "readiness_item": "a readiness item",
}


def _where(entity: Entity) -> str:
    """Which entity, in words: 'step "Welcome"', 'the matrix settings'."""
    if entity.KIND in _WHAT:
        return _WHAT[entity.KIND]
    label = getattr(entity, "title", None) or getattr(entity, "name", None)
    kind = entity.KIND.replace("_", " ")
    if isinstance(label, str) and label:
        shown = label if len(label) <= 40 else label[:39] + "…"
        return f'{kind} "{shown}"'
    return f"a {kind}"


def _text_limit(name: str) -> int:
    if name in _LONG_FIELDS:
        return LONG_TEXT
    if name in _KEY_FIELDS:
        return KEY_TEXT
    return SHORT_TEXT


def _number(value: Any) -> str:
    text = f"{value:,}" if isinstance(value, int) else f"{value!r}"
    return text if len(text) <= 40 else text[:39] + "…"


def problem(entity: Entity) -> str | None:
    """What is out of bounds in `entity`, as a sentence naming the field; None if all is well."""
    for item in fields(entity):
        name, value = item.name, getattr(entity, item.name)
        if isinstance(value, str):
            limit = _text_limit(name)
            if len(value) > limit:
                return (
                    f"'{name}' of {_where(entity)} is {len(value):,} characters long, "
                    f"more than the {limit:,} it may hold"
                )
        elif isinstance(value, float) and name in _COORDINATES:
            if not math.isfinite(value) or abs(value) > COORDINATE:
                return (
                    f"'{name}' of {_where(entity)} is {_number(value)}, off the canvas "
                    f"(it must be within {COORDINATE:,.0f} of the middle)"
                )
        elif name == "position" and isinstance(value, int) and value not in POSITION:
            return f"'position' of {_where(entity)} is {_number(value)}, beyond {POSITION.describe()}"
    return _special(entity)


def _special(entity: Entity) -> str | None:
    if isinstance(entity, Step) and entity.minutes not in STEP_MINUTES:
        return (
            f"'minutes' of {_where(entity)} is {_number(entity.minutes)}; "
            f"a step lasts {STEP_MINUTES.describe()}"
        )
    if isinstance(entity, Tally) and entity.count not in HANDS:
        return (
            f"'count' of the hands for {entity.choice[:40]!r} on {entity.question[:60]!r} is "
            f"{_number(entity.count)}; a count is {HANDS.describe()}"
        )
    if isinstance(entity, BallotCount) and entity.count not in HANDS:
        return (
            f"'count' of the ballots for {entity.choice[:40]!r} on {entity.question[:60]!r} is "
            f"{_number(entity.count)}; a count is {HANDS.describe()}"
        )
    if isinstance(entity, MatrixSettings):
        points = len(entity.scale)
        if points not in SCALE_POINTS:
            return (
                f"'scale' of the matrix settings has {points:,} points; a scale has {SCALE_POINTS.describe()}"
            )
        for label in entity.scale:
            if len(label) > SCALE_LABEL:
                return (
                    f"'scale' of the matrix settings has a label of {len(label):,} characters, "
                    f"more than the {SCALE_LABEL} a label may hold"
                )
    return None


def check(entity: Entity) -> Entity:
    """`entity` itself if it is within bounds; else LimitError with the sentence."""
    found = problem(entity)
    if found is not None:
        raise LimitError(found)
    return entity
