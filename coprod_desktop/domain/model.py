"""The workshop as plain data.

Every entity is a frozen dataclass, so an undo command can hold the value before
and after an edit without fear of it changing underneath. A `Session` holds the
entities of one workshop, keyed by their identity; `Session.put` and
`Session.remove` are the only ways to change it, which is what lets the storage
layer and the undo stack stay in step with it.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from itertools import groupby
from operator import attrgetter
from typing import Any, ClassVar, TypeVar

__all__ = [
    "SCHEMA_ENTITIES",
    "Action",
    "ActionReview",
    "ActionStatus",
    "CanvasBackground",
    "CanvasSettings",
    "Card",
    "CardKind",
    "Criterion",
    "Entity",
    "MatrixSettings",
    "Note",
    "Participant",
    "Progress",
    "BallotCast",
    "BallotCount",
    "ReadinessItem",
    "Reveal",
    "RoleGroup",
    "Scenario",
    "Session",
    "Side",
    "Stage",
    "Step",
    "StepKind",
    "Tally",
    "Term",
    "Vote",
    "VotingMode",
    "WorkshopInfo",
    "new_id",
    "new_key",
    "replace",
]


def new_id() -> str:
    """A short random identity (48 bits), unique enough for one workshop's entities."""
    return os.urandom(6).hex()


def new_key() -> str:
    """A fresh stable key for an item the facilitator adds (template items keep the
    template's key). Two sessions are matched item by item through these keys."""
    return os.urandom(6).hex()


class RoleGroup(enum.StrEnum):
    """Where a participant stands; the split between lived experience and staff
    is what shows a gap in power."""

    USES_SERVICES = "uses_services"
    CARER = "carer"
    COMMUNITY = "community"
    FRONTLINE = "frontline"
    MANAGER = "manager"
    RESEARCHER = "researcher"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]

    @property
    def lived_experience(self) -> bool:
        """People who use services, their carers and communities, as opposed
        to the staff and professionals who provide them."""
        return self in (RoleGroup.USES_SERVICES, RoleGroup.CARER, RoleGroup.COMMUNITY)

    @property
    def professional(self) -> bool:
        return self in (RoleGroup.FRONTLINE, RoleGroup.MANAGER, RoleGroup.RESEARCHER)

    @property
    def side(self) -> Side:
        if self.lived_experience:
            return Side.LIVED
        return Side.STAFF if self.professional else Side.OTHER


class Side(enum.StrEnum):
    """The two sides whose views the role split compares, and everyone else."""

    LIVED = "lived"  # people who use services, carers, communities
    STAFF = "staff"  # frontline staff, managers and commissioners, researchers
    OTHER = "other"


_ROLE_LABELS = {
    RoleGroup.USES_SERVICES: "Uses services",
    RoleGroup.CARER: "Carer or family",
    RoleGroup.COMMUNITY: "Community member",
    RoleGroup.FRONTLINE: "Frontline staff",
    RoleGroup.MANAGER: "Manager or commissioner",
    RoleGroup.RESEARCHER: "Researcher",
    RoleGroup.OTHER: "Other",
}


class StepKind(enum.StrEnum):
    WELCOME = "welcome"
    DEFINITION = "definition"
    LADDER = "ladder"
    SCENARIOS = "scenarios"
    MATRIX = "matrix"
    CANVAS = "canvas"
    READINESS = "readiness"
    ACTIONS = "actions"
    SUMMARY = "summary"
    REFERENCES = "references"
    TEXT = "text"
    REVIEW = "review"  # a follow-up's look back at the earlier session's actions


class VotingMode(enum.StrEnum):
    SHOW_OF_HANDS = "show_of_hands"
    NAMED = "named"
    SECRET = "secret"
    ANONYMOUS = "anonymous"

    @property
    def stores_people(self) -> bool:
        """Whether a vote in this mode is kept with the name of who cast it."""
        return self in (VotingMode.NAMED, VotingMode.SECRET)


class CardKind(enum.StrEnum):
    STAKEHOLDER = "stakeholder"
    DECISION = "decision"


class CanvasBackground(enum.StrEnum):
    PLAN_DELIVER = "plan_deliver"
    POWER_RESPONSIBILITY = "power_responsibility"
    LADDER = "ladder"
    BLANK = "blank"


E = TypeVar("E", bound="Entity")


def _ident_getter(key: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if not key:
        return lambda _entity: ()
    if len(key) == 1:
        one = attrgetter(key[0])
        return lambda entity: (one(entity),)
    many: Callable[[Any], tuple[Any, ...]] = attrgetter(*key)  # a tuple already
    return many


@dataclass(frozen=True, eq=False, repr=False)
class Entity:
    """Base of everything a session holds.

    `KIND` names the entity in storage, JSON and change signals. `KEY` lists the
    fields that identify one entity; singletons have an empty key.
    """

    KIND: ClassVar[str] = ""
    KEY: ClassVar[tuple[str, ...]] = ("id",)
    # KEY's values as a tuple, made once per class: loading a large session asks it thousands of times.
    _ident_of: ClassVar[Callable[[Any], tuple[Any, ...]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._ident_of = staticmethod(_ident_getter(cls.KEY))

    @property
    def ident(self) -> tuple[Any, ...]:
        return type(self)._ident_of(self)

    # ==, hash and repr are those `dataclass` would write for each class (same fields, same
    # results), written once here: each generated method is compiled when the module is
    # imported, and start-up paid for some seventy of them (`eq=False, repr=False` below).

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        compared = _compared(type(self))
        return compared(self) == compared(other)

    def __hash__(self) -> int:
        return hash(_hashed(type(self))(self))

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
        return f"{type(self).__qualname__}({shown})"

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


Entity._ident_of = staticmethod(_ident_getter(Entity.KEY))

_COMPARED: dict[type[Entity], Callable[[Any], tuple[Any, ...]]] = {}
_HASHED: dict[type[Entity], Callable[[Any], tuple[Any, ...]]] = {}


def _values_getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if len(names) == 1:
        return _ident_getter(names)
    return attrgetter(*names) if names else (lambda _entity: ())


def _compared(cls: type[Entity]) -> Callable[[Any], tuple[Any, ...]]:
    """The values `==` compares, as dataclass's own __eq__ takes them (fields with compare)."""
    found = _COMPARED.get(cls)
    if found is None:
        found = _COMPARED[cls] = _values_getter(tuple(f.name for f in fields(cls) if f.compare))
    return found


def _hashed(cls: type[Entity]) -> Callable[[Any], tuple[Any, ...]]:
    """The values hash() takes, as dataclass's own __hash__ does (hash, else compare)."""
    found = _HASHED.get(cls)
    if found is None:
        names = tuple(f.name for f in fields(cls) if (f.compare if f.hash is None else f.hash))
        found = _HASHED[cls] = _values_getter(names)
    return found


# --- singletons -----------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class WorkshopInfo(Entity):
    """The workshop's details: title, day, place, who runs it and why."""

    KIND: ClassVar[str] = "info"
    KEY: ClassVar[tuple[str, ...]] = ()

    title: str = "Untitled workshop"
    date: str = ""  # ISO 8601 day, or free text if the facilitator typed one
    place: str = ""
    facilitator: str = ""
    purpose: str = ""
    template: str = ""
    # A random id fixed when the session is made (kept by Save As), so a later run
    # of the same workshop can say which one it follows.
    session_key: str = ""
    follows: str = ""  # the session_key of the earlier run this one follows up, or ""
    # The workshop's language, a tag such as "cy" or "en-GB"; empty in a session from before
    # languages, which is British English. The handout is printed in it.
    language: str = ""


@dataclass(frozen=True, eq=False, repr=False)
class Progress(Entity):
    """Where the facilitator is: the step on show."""

    KIND: ClassVar[str] = "progress"
    KEY: ClassVar[tuple[str, ...]] = ()

    current_step_id: str = ""


DEFAULT_SCALE = (
    "Done to us",
    "Told and asked",
    "Involved",
    "Shared in part",
    "Equal partners",
)


@dataclass(frozen=True, eq=False, repr=False)
class MatrixSettings(Entity):
    """How the assessment matrix is voted and rated, and the rung the room agreed."""

    KIND: ClassVar[str] = "matrix"
    KEY: ClassVar[tuple[str, ...]] = ()

    mode: VotingMode = VotingMode.SHOW_OF_HANDS
    scale: tuple[str, ...] = DEFAULT_SCALE
    agreed_rung: str = ""
    agreed_reason: str = ""


@dataclass(frozen=True, eq=False, repr=False)
class CanvasSettings(Entity):
    """The power-sharing canvas's background grid and whether cards snap to it."""

    KIND: ClassVar[str] = "canvas"
    KEY: ClassVar[tuple[str, ...]] = ()

    background: CanvasBackground = CanvasBackground.PLAN_DELIVER
    snap: bool = False


# --- collections ----------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class Participant(Entity):
    """Someone in the room, with where they stand."""

    KIND: ClassVar[str] = "participant"

    id: str
    name: str
    role: RoleGroup = RoleGroup.OTHER
    position: int = 0


@dataclass(frozen=True, eq=False, repr=False)
class Step(Entity):
    """One step of the workshop's agenda."""

    KIND: ClassVar[str] = "step"

    id: str
    kind: StepKind
    title: str
    body: str = ""
    notes: str = ""  # for the facilitator only, never projected
    minutes: int = 0
    hidden: bool = False
    term: str = ""  # for a definition step: the key of its Term
    position: int = 0
    key: str = ""  # stable across sessions of one template; see new_key()


@dataclass(frozen=True, eq=False, repr=False)
class Term(Entity):
    """A word the workshop defines, and where it sits on the ladder."""

    KIND: ClassVar[str] = "term"
    KEY: ClassVar[tuple[str, ...]] = ("key",)

    key: str
    name: str
    what: str = ""
    what_not: str = ""
    differs: str = ""
    example: str = ""
    rung: str = ""
    position: int = 0


@dataclass(frozen=True, eq=False, repr=False)
class Criterion(Entity):
    """A row of the assessment matrix."""

    KIND: ClassVar[str] = "criterion"

    id: str
    title: str
    description: str = ""
    position: int = 0
    key: str = ""  # stable across sessions of one template; see new_key()


@dataclass(frozen=True, eq=False, repr=False)
class Stage(Entity):
    """A column of the assessment matrix: a stage of the service's life cycle."""

    KIND: ClassVar[str] = "stage"

    id: str
    title: str
    description: str = ""
    position: int = 0
    key: str = ""  # stable across sessions of one template; see new_key()


@dataclass(frozen=True, eq=False, repr=False)
class Scenario(Entity):
    """A short story the room sorts under one of the terms."""

    KIND: ClassVar[str] = "scenario"

    id: str
    title: str
    text: str = ""
    answer: str = ""  # a Term key
    explanation: str = ""
    position: int = 0
    key: str = ""  # stable across sessions of one template; see new_key()


@dataclass(frozen=True, eq=False, repr=False)
class ReadinessItem(Entity):
    """One condition co-production needs, checked in the readiness step."""

    KIND: ClassVar[str] = "readiness_item"

    id: str
    title: str
    description: str = ""
    position: int = 0
    key: str = ""  # stable across sessions of one template; see new_key()


@dataclass(frozen=True, eq=False, repr=False)
class Vote(Entity):
    """One person's choice on one question.

    A question is a matrix cell, a scenario or a readiness item; see
    `domain.questions` for how its key is spelled. Choices are strings: a rating
    is its number written out, a scenario answer is a Term key.
    """

    KIND: ClassVar[str] = "vote"
    KEY: ClassVar[tuple[str, ...]] = ("question", "participant_id")

    question: str
    participant_id: str
    choice: str


@dataclass(frozen=True, eq=False, repr=False)
class Tally(Entity):
    """A count of hands for one choice on one question, with no names kept."""

    KIND: ClassVar[str] = "tally"
    KEY: ClassVar[tuple[str, ...]] = ("question", "choice")

    question: str
    choice: str
    count: int


@dataclass(frozen=True, eq=False, repr=False)
class BallotCast(Entity):
    """That one participant has cast a secret ballot on a question; never what they chose.

    What they chose is only in a `BallotCount`, which names no one. Nothing orders or
    links the two: both are kept in key order (see storage), and the link between a
    voter and their choice lives in memory only while their ballot is open.
    """

    KIND: ClassVar[str] = "ballot_cast"
    KEY: ClassVar[tuple[str, ...]] = ("question", "participant_id")

    question: str
    participant_id: str


@dataclass(frozen=True, eq=False, repr=False)
class BallotCount(Entity):
    """How many secret or anonymous ballots chose `choice` on a question, by side, with no names."""

    KIND: ClassVar[str] = "ballot_count"
    KEY: ClassVar[tuple[str, ...]] = ("question", "side", "choice")

    question: str
    side: Side
    choice: str
    count: int


@dataclass(frozen=True, eq=False, repr=False)
class Reveal(Entity):
    """A question whose results the facilitator has shown to the room."""

    KIND: ClassVar[str] = "reveal"
    KEY: ClassVar[tuple[str, ...]] = ("question",)

    question: str


@dataclass(frozen=True, eq=False, repr=False)
class Card(Entity):
    """A stakeholder or decision on the canvas, where it is now and where the room wants it."""

    KIND: ClassVar[str] = "card"

    id: str
    kind: CardKind
    text: str
    role: RoleGroup | None = None
    participant_id: str = ""
    now_x: float | None = None
    now_y: float | None = None
    aspiration_x: float | None = None
    aspiration_y: float | None = None
    position: int = 0  # stacking order


@dataclass(frozen=True, eq=False, repr=False)
class Action(Entity):
    """Something the room agreed to do: what, who, by when."""

    KIND: ClassVar[str] = "action"

    id: str
    what: str
    who: str = ""
    due: str = ""
    link: str = ""  # "criterion:<id>", "card:<id>" or empty
    done: bool = False
    position: int = 0


class ActionStatus(enum.StrEnum):
    """How far an earlier session's action got, as the room judges it in a follow-up."""

    DONE = "done"
    PARTLY = "partly"
    NOT_YET = "not_yet"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    ActionStatus.DONE: "Done",
    ActionStatus.PARTLY: "Partly",
    ActionStatus.NOT_YET: "Not yet",
    ActionStatus.DROPPED: "Dropped",
}


@dataclass(frozen=True, eq=False, repr=False)
class ActionReview(Entity):
    """One action agreed in the earlier session, looked back on in its follow-up.

    `id` is the earlier action's id; what, who and due are copied so the review
    reads on its own, without the earlier file. `status` is None until the room
    has judged it.
    """

    KIND: ClassVar[str] = "action_review"

    id: str
    what: str
    who: str = ""
    due: str = ""
    status: ActionStatus | None = None
    note: str = ""
    position: int = 0


@dataclass(frozen=True, eq=False, repr=False)
class Note(Entity):
    """A note kept with the session, for one step or for all."""

    KIND: ClassVar[str] = "note"

    id: str
    text: str
    step_id: str = ""
    position: int = 0


SINGLETONS: tuple[type[Entity], ...] = (WorkshopInfo, Progress, MatrixSettings, CanvasSettings)
COLLECTIONS: tuple[type[Entity], ...] = (
    Participant,
    Step,
    Term,
    Criterion,
    Stage,
    Scenario,
    ReadinessItem,
    Vote,
    Tally,
    BallotCast,
    BallotCount,
    Reveal,
    Card,
    Action,
    Note,
    ActionReview,
)
SCHEMA_ENTITIES: tuple[type[Entity], ...] = SINGLETONS + COLLECTIONS
ENTITY_BY_KIND: dict[str, type[Entity]] = {cls.KIND: cls for cls in SCHEMA_ENTITIES}


# Kinds kept in an index by question (their key starts with the question).
_BY_QUESTION = (Vote, Tally, BallotCast, BallotCount)


def _question_of(pair: tuple[tuple[Any, ...], Entity]) -> Any:
    """The question of an (identity, entity) pair of a kind kept by question."""
    return pair[0][0]


def _sort_key(entity: Entity) -> tuple[Any, ...]:
    return (getattr(entity, "position", 0), entity.ident)


@dataclass
class Session:
    """Everything one workshop holds.

    Collections are dicts from key to entity; iterate them through `items()`
    or the named properties, which return entities in their display order.
    """

    info: WorkshopInfo = field(default_factory=WorkshopInfo)
    progress: Progress = field(default_factory=Progress)
    matrix: MatrixSettings = field(default_factory=MatrixSettings)
    canvas: CanvasSettings = field(default_factory=CanvasSettings)
    collections: dict[str, dict[tuple[Any, ...], Entity]] = field(
        default_factory=lambda: {cls.KIND: {} for cls in COLLECTIONS}
    )
    # Votes and tallies by question, so a cell's result never scans the whole matrix.
    _by_question: dict[str, dict[str, dict[tuple[Any, ...], Entity]]] = field(
        default_factory=lambda: {kind.KIND: {} for kind in _BY_QUESTION}, repr=False
    )

    # --- changing -----------------------------------------------------------

    def put(self, entity: Entity) -> Entity | None:
        """Store `entity`, replacing the one with the same key. Returns the old one."""
        if entity.KIND in _SINGLETON_ATTR:
            attr = _SINGLETON_ATTR[entity.KIND]
            old: Entity | None = getattr(self, attr)
            setattr(self, attr, entity)
            return old
        bucket = self.collections[entity.KIND]
        ident = entity.ident
        old = bucket.get(ident)
        bucket[ident] = entity
        index = self._by_question.get(entity.KIND)
        if index is not None:
            index.setdefault(ident[0], {})[ident] = entity
        return old

    def put_all(self, cls: type[Entity], entities: Sequence[Entity]) -> None:
        """`put` of each of `entities`, all of kind `cls`, in order (a later one with the same
        key replaces an earlier one): how a file's table is read, a few thousand votes at a
        time, with the work done per table instead of per entity."""
        if cls.KIND in _SINGLETON_ATTR or not set(map(type, entities)) <= {cls}:
            for entity in entities:
                self.put(entity)
            return
        idents = list(map(cls._ident_of, entities))
        self.collections[cls.KIND].update(zip(idents, entities, strict=True))
        index = self._by_question.get(cls.KIND)
        if index is not None:
            # A run of one question's rows (a table is read in key order) is filed at once.
            for question, run in groupby(zip(idents, entities, strict=True), key=_question_of):
                index.setdefault(question, {}).update(run)

    def existing(self, entity: Entity) -> Entity | None:
        """What the session holds now under `entity`'s kind and identity."""
        if entity.KIND in _SINGLETON_ATTR:
            found: Entity = getattr(self, _SINGLETON_ATTR[entity.KIND])
            return found
        return self.collections[entity.KIND].get(entity.ident)

    def remove(self, cls: type[Entity], key: tuple[Any, ...]) -> Entity | None:
        """Take out the entity of kind `cls` with `key`. Returns it, or None."""
        key = tuple(key)
        old = self.collections[cls.KIND].pop(key, None)
        index = self._by_question.get(cls.KIND)
        if old is not None and index is not None:
            on_question = index[key[0]]
            del on_question[key]
            if not on_question:
                del index[key[0]]
        return old

    def on_question(self, cls: type[E], question: str) -> list[E]:
        """The votes or tallies (by `cls`) cast on one question."""
        return list(self._by_question[cls.KIND].get(question, {}).values())  # type: ignore[arg-type]

    # --- reading ------------------------------------------------------------

    def get(self, cls: type[E], key: tuple[Any, ...] | str) -> E | None:
        if isinstance(key, str):
            key = (key,)
        found = self.collections[cls.KIND].get(tuple(key))
        return found  # type: ignore[return-value]

    def items(self, cls: type[E]) -> list[E]:
        """Entities of one kind in display order."""
        return sorted(self.collections[cls.KIND].values(), key=_sort_key)  # type: ignore[arg-type]

    def all_entities(self) -> Iterator[Entity]:
        yield self.info
        yield self.progress
        yield self.matrix
        yield self.canvas
        for cls in COLLECTIONS:
            yield from self.items(cls)

    def count(self, cls: type[Entity]) -> int:
        return len(self.collections[cls.KIND])

    def next_position(self, cls: type[Entity]) -> int:
        bucket = self.collections[cls.KIND]
        return 1 + max((getattr(e, "position", 0) for e in bucket.values()), default=-1)

    @property
    def participants(self) -> list[Participant]:
        return self.items(Participant)

    @property
    def steps(self) -> list[Step]:
        return self.items(Step)

    @property
    def visible_steps(self) -> list[Step]:
        return [s for s in self.items(Step) if not s.hidden]

    @property
    def terms(self) -> list[Term]:
        return self.items(Term)

    @property
    def criteria(self) -> list[Criterion]:
        return self.items(Criterion)

    @property
    def stages(self) -> list[Stage]:
        return self.items(Stage)

    @property
    def scenarios(self) -> list[Scenario]:
        return self.items(Scenario)

    @property
    def readiness_items(self) -> list[ReadinessItem]:
        return self.items(ReadinessItem)

    @property
    def votes(self) -> list[Vote]:
        return self.items(Vote)

    @property
    def tallies(self) -> list[Tally]:
        return self.items(Tally)

    @property
    def reveals(self) -> list[Reveal]:
        return self.items(Reveal)

    @property
    def cards(self) -> list[Card]:
        return self.items(Card)

    @property
    def actions(self) -> list[Action]:
        return self.items(Action)

    @property
    def notes(self) -> list[Note]:
        return self.items(Note)

    @property
    def action_reviews(self) -> list[ActionReview]:
        return self.items(ActionReview)

    @property
    def current_step(self) -> Step | None:
        step = self.get(Step, self.progress.current_step_id)
        if step is not None:
            return step
        visible = self.visible_steps
        return visible[0] if visible else None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Session):
            return NotImplemented
        return list(self.all_entities()) == list(other.all_entities())

    def summary(self) -> dict[str, int]:
        """How many of each kind of thing the session holds, for `check`."""
        return {cls.KIND: self.count(cls) for cls in COLLECTIONS}


_SINGLETON_ATTR = {
    WorkshopInfo.KIND: "info",
    Progress.KIND: "progress",
    MatrixSettings.KIND: "matrix",
    CanvasSettings.KIND: "canvas",
}
