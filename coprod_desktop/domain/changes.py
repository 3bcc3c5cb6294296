"""The vocabulary of change: what an edit does to a session, and who made it.

A `Change` is one entity written (`new`) or removed (`new is None`). Domain functions
that edit a session return lists of changes; the storage layer writes them and the UI
announces them. A `ChangeSet` is what the open document announces after a set of
changes is on disk and in memory: the changes, the kinds of thing they touched, the
questions whose votes, counts or reveals moved, and who asked for them.

Views subscribe to the kinds they show (`changes.touches(Vote, Tally)`) and may skip
their own echo (`changes.origin is self`) without a flag of their own.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from .model import Entity, Session

__all__ = ["VOTE_KINDS", "Change", "ChangeSet", "Initiator", "apply_changes", "inverse"]


@dataclass(frozen=True)
class Change:
    """One entity written (`new`) or removed (`new is None`, `old` says which)."""

    old: Entity | None
    new: Entity | None

    @property
    def kind(self) -> type[Entity]:
        entity = self.new if self.new is not None else self.old
        assert entity is not None, "a change needs an old or a new value"
        return type(entity)

    @property
    def entity(self) -> Entity:
        """The entity the change is about (its new value, or the removed one)."""
        found = self.new if self.new is not None else self.old
        assert found is not None, "a change needs an old or a new value"
        return found

    @property
    def real(self) -> bool:
        return self.old != self.new

    def __iter__(self) -> Iterator[Entity | None]:
        # Lets `for old, new in edits` read a change like the (old, new) pair it is.
        yield self.old
        yield self.new


def inverse(changes: Sequence[Change]) -> tuple[Change, ...]:
    """The changes that undo `changes`, in the order that undoes them."""
    return tuple(Change(change.new, change.old) for change in reversed(changes))


class Initiator(enum.StrEnum):
    """Who made a change: it decides what goes on the undo stack and what a view echoes."""

    FACILITATOR = "facilitator"  # an edit at the laptop; undoable
    HISTORY = "history"  # undo or redo of such an edit
    ROOM = "room"  # input recorded from the room (a ballot, a phone); never on the undo stack
    NAVIGATION = "navigation"  # moving between steps; saved, not undoable


# Kinds whose changes move a question's result.
VOTE_KINDS = frozenset({"vote", "tally", "ballot_cast", "ballot_count", "reveal"})


@dataclass(frozen=True)
class ChangeSet:
    """Changes that are on disk and in memory, announced once, with who made them.

    Iterating a change set gives its changes, so a view may read it as the sequence it is.
    """

    changes: tuple[Change, ...]
    initiator: Initiator = Initiator.FACILITATOR
    origin: object | None = field(default=None, compare=False)
    text: str = ""

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def __bool__(self) -> bool:
        return bool(self.changes)

    @cached_property
    def kinds(self) -> frozenset[str]:
        return frozenset(change.kind.KIND for change in self.changes)

    def touches(self, *kinds: type[Entity] | str) -> bool:
        """Whether any change is of one of `kinds` (entity classes or their KIND names)."""
        wanted = {kind if isinstance(kind, str) else kind.KIND for kind in kinds}
        return not wanted.isdisjoint(self.kinds)

    @cached_property
    def questions(self) -> frozenset[str]:
        """The questions whose votes, counts, ballots or reveal changed."""
        found: set[str] = set()
        for change in self.changes:
            if change.kind.KIND in VOTE_KINDS:
                found.add(str(change.entity.ident[0]))
        return frozenset(found)

    @property
    def votes_only(self) -> bool:
        """Only votes, counts or reveals moved: a view of results can update those questions alone."""
        return bool(self.kinds) and self.kinds <= VOTE_KINDS


def apply_changes(session: Session, changes: Sequence[Change]) -> None:
    """Make `changes` in an in-memory `Session` (after they are on disk)."""
    for change in changes:
        if change.new is not None:
            session.put(change.new)
        elif change.old is not None:
            session.remove(type(change.old), change.old.ident)
