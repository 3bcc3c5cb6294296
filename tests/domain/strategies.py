"""Hypothesis strategies for domain entities and whole sessions.

Strategies are derived from each entity's type hints, so a field added to the
model is covered by the property tests without anyone remembering to add it.
"""

from __future__ import annotations

import enum
import types
import typing
from dataclasses import fields
from typing import Any

from hypothesis import strategies as st

from coprod_desktop.domain import limits
from coprod_desktop.domain.model import (
    COLLECTIONS,
    SINGLETONS,
    BallotCount,
    Criterion,
    Entity,
    MatrixSettings,
    Participant,
    Reveal,
    RoleGroup,
    Session,
    Side,
    Stage,
    Tally,
    Vote,
    VotingMode,
)
from coprod_desktop.domain.voting import cell_question

# Every value domain.limits allows; the session file must hold each of them.
INT64 = st.integers(min_value=limits.POSITION.minimum, max_value=limits.POSITION.maximum)
# -0.0 is excluded: SQLite stores it as 0.0 (see test_interchange for that case).
FINITE = st.floats(
    min_value=-limits.COORDINATE, max_value=limits.COORDINATE, allow_nan=False, allow_infinity=False
).map(lambda x: x + 0.0)
_BOUNDED = {
    "minutes": st.integers(limits.STEP_MINUTES.minimum, limits.STEP_MINUTES.maximum),
    "count": st.integers(limits.HANDS.minimum, limits.HANDS.maximum),
    # A workshop's language is a language tag, or empty (British English).
    "language": st.just("") | st.from_regex(limits.LANGUAGE_TAG, fullmatch=True),
}


def _split_optional(hint: Any) -> tuple[bool, Any]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return True, args[0]
    return False, hint


def field_strategy(hint: Any, text: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    optional, base = _split_optional(hint)
    strategy: st.SearchStrategy[Any]
    if base is str:
        strategy = text
    elif base is bool:
        strategy = st.booleans()
    elif base is int:
        strategy = INT64
    elif base is float:
        strategy = FINITE
    elif isinstance(base, type) and issubclass(base, enum.Enum):
        strategy = st.sampled_from(list(base))
    elif typing.get_origin(base) is tuple:  # the rating scale
        strategy = st.lists(text, min_size=limits.SCALE_POINTS.minimum, max_size=6).map(tuple)
    else:  # pragma: no cover - a new field type must be taught here
        raise TypeError(f"no strategy for {hint!r}")
    return st.none() | strategy if optional else strategy


def entities(cls: type[Entity], text: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Entity]:
    """Any value of entity class `cls`, every field drawn from its type."""
    text = st.text(max_size=30) if text is None else text
    hints = typing.get_type_hints(cls)
    kwargs = {
        f.name: _BOUNDED[f.name] if f.name in _BOUNDED else field_strategy(hints[f.name], text)
        for f in fields(cls)
    }
    return st.builds(cls, **kwargs)


@st.composite
def sessions(draw: st.DrawFn, max_per_kind: int = 3, text: st.SearchStrategy[str] | None = None) -> Session:
    """A session with arbitrary singletons and up to `max_per_kind` entities of each kind."""
    session = Session()
    for cls in SINGLETONS:
        session.put(draw(entities(cls, text)))
    for cls in COLLECTIONS:
        for entity in draw(st.lists(entities(cls, text), max_size=max_per_kind)):
            session.put(entity)
    return session


@st.composite
def matrix_sessions(
    draw: st.DrawFn, max_criteria: int = 4, max_stages: int = 5, max_people: int = 8
) -> Session:
    """A session with a matrix of plain titles and every kind of result in its boxes: empty,
    named votes, counted hands, ballot counts by side, or a mix; some boxes revealed."""
    session = Session()
    points = draw(st.integers(min_value=2, max_value=6))
    scale = tuple(f"Point {index}" for index in range(points))
    session.put(MatrixSettings(mode=draw(st.sampled_from(list(VotingMode))), scale=scale))
    criteria = [
        Criterion(id=f"c{index}", title=f"Row {index + 1}", position=index)
        for index in range(draw(st.integers(min_value=1, max_value=max_criteria)))
    ]
    stages = [
        Stage(id=f"s{index}", title=f"Stage {index + 1}", position=index)
        for index in range(draw(st.integers(min_value=1, max_value=max_stages)))
    ]
    roles = draw(st.lists(st.sampled_from(list(RoleGroup)), max_size=max_people))
    people = [Participant(f"p{index}", f"Person {index}", role, index) for index, role in enumerate(roles)]
    for entity in (*criteria, *stages, *people):
        session.put(entity)
    rating = st.integers(min_value=0, max_value=points - 1).map(str)
    small = st.integers(min_value=0, max_value=4)
    for criterion in criteria:
        for stage in stages:
            question = cell_question(criterion.id, stage.id)
            kind = draw(st.sampled_from(("empty", "named", "hands", "ballots", "mixed")))
            if kind in ("named", "mixed") and people:
                voters = draw(st.lists(st.sampled_from(people), unique=True))
                for person in voters:
                    session.put(Vote(question, person.id, draw(rating)))
            if kind in ("hands", "mixed"):
                for value in range(points):
                    count = draw(small)
                    if count:
                        session.put(Tally(question, str(value), count))
            if kind in ("ballots", "mixed"):
                for side in Side:
                    for value in draw(st.lists(st.integers(min_value=0, max_value=points - 1), max_size=4)):
                        old = session.get(BallotCount, (question, side, str(value)))
                        count = 1 + (old.count if old is not None else 0)
                        session.put(BallotCount(question, side, str(value), count))
            if draw(st.booleans()):
                session.put(Reveal(question))
    return session
