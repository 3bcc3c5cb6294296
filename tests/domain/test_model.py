"""The workshop model: storing, replacing, removing and ordering entities."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coprod_desktop.domain.model import (
    COLLECTIONS,
    SCHEMA_ENTITIES,
    Card,
    CardKind,
    MatrixSettings,
    Note,
    Participant,
    Progress,
    RoleGroup,
    Session,
    Step,
    StepKind,
    Tally,
    Vote,
    VotingMode,
    WorkshopInfo,
    replace,
)

from .strategies import sessions


def person(ident: str, name: str = "", position: int = 0, role: RoleGroup = RoleGroup.OTHER) -> Participant:
    return Participant(id=ident, name=name or ident.upper(), role=role, position=position)


# --- put, get, remove -------------------------------------------------------------


def test_put_stores_and_get_finds_by_string_or_tuple_key() -> None:
    session = Session()
    ada = person("ada")
    assert session.put(ada) is None
    assert session.get(Participant, "ada") is ada
    assert session.get(Participant, ("ada",)) is ada
    assert session.get(Participant, "bob") is None
    assert session.count(Participant) == 1


def test_put_replaces_the_entity_with_the_same_key_and_returns_the_old_one() -> None:
    session = Session()
    old = person("ada", "Ada")
    session.put(old)
    new = replace(old, name="Ada Lovelace", role=RoleGroup.CARER)
    assert session.put(new) is old
    assert session.get(Participant, "ada") == new
    assert session.count(Participant) == 1


def test_put_of_a_singleton_replaces_it_and_returns_the_previous_value() -> None:
    session = Session()
    before = session.info
    info = WorkshopInfo(title="Day one", place="Hall")
    assert session.put(info) is before
    assert session.info is info
    matrix = MatrixSettings(mode=VotingMode.SECRET, scale=("no", "yes"))
    assert session.put(matrix) == MatrixSettings()
    assert session.matrix is matrix


def test_remove_returns_the_removed_entity_or_none() -> None:
    session = Session()
    ada = person("ada")
    session.put(ada)
    assert session.remove(Participant, ("ada",)) is ada
    assert session.get(Participant, "ada") is None
    assert session.remove(Participant, ("ada",)) is None
    assert session.count(Participant) == 0


def test_remove_uses_the_whole_key_of_a_vote() -> None:
    session = Session()
    session.put(Vote("q1", "ada", "3"))
    session.put(Vote("q1", "bob", "4"))
    session.put(Vote("q2", "ada", "1"))
    assert session.remove(Vote, ("q1", "ada")) == Vote("q1", "ada", "3")
    assert {v.ident for v in session.votes} == {("q1", "bob"), ("q2", "ada")}


def test_entities_are_frozen() -> None:
    ada = person("ada")
    with pytest.raises(FrozenInstanceError):
        ada.name = "Bob"  # type: ignore[misc]


def test_every_entity_kind_is_distinct_and_keyed_by_its_fields() -> None:
    kinds = [cls.KIND for cls in SCHEMA_ENTITIES]
    assert len(kinds) == len(set(kinds))
    for cls in COLLECTIONS:
        assert cls.KEY, cls
        assert set(cls.KEY) <= set(cls.field_names()), cls


# --- ordering -----------------------------------------------------------------------


def test_items_come_in_position_order_then_key_order() -> None:
    session = Session()
    for entity in (
        person("c", position=2),
        person("b", position=0),
        person("a", position=2),
        person("z", position=-1),
    ):
        session.put(entity)
    assert [p.id for p in session.items(Participant)] == ["z", "b", "a", "c"]
    assert session.participants == session.items(Participant)


def test_items_of_keyed_kinds_without_position_sort_by_key() -> None:
    session = Session()
    for voter in ("zoe", "amy", "kim"):
        session.put(Vote("q", voter, "1"))
    session.put(Vote("a-question", "zoe", "1"))
    assert [v.ident for v in session.votes] == [
        ("a-question", "zoe"),
        ("q", "amy"),
        ("q", "kim"),
        ("q", "zoe"),
    ]


def test_next_position_follows_the_highest() -> None:
    session = Session()
    assert session.next_position(Note) == 0
    session.put(Note(id="n1", text="x", position=4))
    session.put(Note(id="n2", text="y", position=1))
    assert session.next_position(Note) == 5


@given(st.lists(st.tuples(st.sampled_from("abcdef"), st.integers(-3, 3)), max_size=20))
def test_items_order_matches_a_sort_by_position_then_id(rows: list[tuple[str, int]]) -> None:
    session = Session()
    latest: dict[str, int] = {}
    for ident, position in rows:
        session.put(person(ident, position=position))
        latest[ident] = position
    expected = sorted(latest, key=lambda ident: (latest[ident], ident))
    assert [p.id for p in session.participants] == expected


def test_summary_counts_every_collection() -> None:
    session = Session()
    session.put(person("ada"))
    session.put(Card(id="c1", kind=CardKind.DECISION, text="Budget"))
    summary = session.summary()
    assert set(summary) == {cls.KIND for cls in COLLECTIONS}
    assert summary["participant"] == 1
    assert summary["card"] == 1
    assert sum(summary.values()) == 2


# --- steps --------------------------------------------------------------------------


def test_current_step_is_the_recorded_one_or_else_the_first_visible() -> None:
    session = Session()
    assert session.current_step is None
    hidden = Step(id="s0", kind=StepKind.WELCOME, title="Hidden", hidden=True, position=0)
    first = Step(id="s1", kind=StepKind.MATRIX, title="Matrix", position=1)
    last = Step(id="s2", kind=StepKind.SUMMARY, title="Summary", position=2)
    for step in (last, hidden, first):
        session.put(step)
    assert session.visible_steps == [first, last]
    assert session.current_step == first
    session.put(Progress(current_step_id="s2"))
    assert session.current_step == last
    session.put(Progress(current_step_id="gone"))
    assert session.current_step == first


# --- the votes-by-question index ----------------------------------------------------

QUESTIONS = ("cell/a/b", "scenario/x", "readiness/r")
PEOPLE = ("p1", "p2", "p3")
CHOICES = ("0", "1", "2")

_operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("vote"), st.sampled_from(QUESTIONS), st.sampled_from(PEOPLE), st.sampled_from(CHOICES)
        ),
        st.tuples(st.just("tally"), st.sampled_from(QUESTIONS), st.sampled_from(CHOICES), st.integers(0, 9)),
        st.tuples(st.just("unvote"), st.sampled_from(QUESTIONS), st.sampled_from(PEOPLE), st.just("")),
        st.tuples(st.just("untally"), st.sampled_from(QUESTIONS), st.sampled_from(CHOICES), st.just(0)),
    ),
    max_size=40,
)


def _brute_force(session: Session, cls: type[Vote] | type[Tally], question: str) -> list[tuple[str, ...]]:
    return sorted(e.ident for e in session.items(cls) if e.question == question)


@settings(max_examples=150, deadline=None)
@given(_operations)
def test_on_question_agrees_with_a_full_scan_after_any_edits(operations: list[tuple]) -> None:
    session = Session()
    for op, question, who_or_choice, extra in operations:
        if op == "vote":
            session.put(Vote(question, who_or_choice, extra))
        elif op == "tally":
            session.put(Tally(question, who_or_choice, extra))
        elif op == "unvote":
            session.remove(Vote, (question, who_or_choice))
        else:
            session.remove(Tally, (question, who_or_choice))
        for q in QUESTIONS:
            votes = session.on_question(Vote, q)
            tallies = session.on_question(Tally, q)
            assert sorted(v.ident for v in votes) == _brute_force(session, Vote, q)
            assert sorted(t.ident for t in tallies) == _brute_force(session, Tally, q)
            # The index holds the current values, not stale ones replaced since.
            assert all(session.get(Vote, v.ident) == v for v in votes)
            assert all(session.get(Tally, t.ident) == t for t in tallies)
    assert session.on_question(Vote, "never/asked") == []


def test_on_question_sees_a_replaced_vote_once_with_its_new_choice() -> None:
    session = Session()
    session.put(Vote("q", "ada", "1"))
    session.put(Vote("q", "ada", "4"))
    assert session.on_question(Vote, "q") == [Vote("q", "ada", "4")]
    session.remove(Vote, ("q", "ada"))
    assert session.on_question(Vote, "q") == []
    session.put(Vote("q", "ada", "2"))
    assert session.on_question(Vote, "q") == [Vote("q", "ada", "2")]


# --- equality -----------------------------------------------------------------------


def test_sessions_with_the_same_entities_are_equal_whatever_the_insertion_order() -> None:
    entities = [person("a", position=1), person("b", position=0), Vote("q", "a", "1"), Tally("q", "2", 3)]
    one, two = Session(), Session()
    for entity in entities:
        one.put(entity)
    for entity in reversed(entities):
        two.put(entity)
    assert one == two
    two.put(Tally("q", "2", 4))
    assert one != two


def test_sessions_differing_in_a_singleton_are_not_equal() -> None:
    one, two = Session(), Session()
    two.put(WorkshopInfo(title="Other"))
    assert one != two
    two.put(WorkshopInfo())
    assert one == two


def test_a_session_is_not_equal_to_other_things() -> None:
    assert Session() != "session"
    assert Session() != None  # noqa: E711 - checks __eq__ returns NotImplemented


def test_a_removed_then_restored_entity_gives_an_equal_session() -> None:
    one, two = Session(), Session()
    ada = person("ada")
    one.put(ada)
    two.put(ada)
    two.remove(Participant, ("ada",))
    assert one != two
    two.put(ada)
    assert one == two


@settings(max_examples=40, deadline=None)
@given(sessions())
def test_copying_every_entity_into_a_new_session_gives_an_equal_one(session: Session) -> None:
    copy = Session()
    for entity in reversed(list(session.all_entities())):
        copy.put(entity)
    assert copy == session


def _state(session: Session) -> object:
    """Everything a session holds, in the order it holds it (the index by question too)."""
    return (
        [(kind, list(bucket.items())) for kind, bucket in session.collections.items()],
        [
            (kind, [(q, list(found.items())) for q, found in index.items()])
            for kind, index in session._by_question.items()
        ],
        list(session.all_entities()),
    )


_VOTES = st.builds(
    Vote,
    question=st.sampled_from(["cell/a/1", "cell/a/2", "scenario/s", "q"]),
    participant_id=st.sampled_from(["p1", "p2", "p3"]),
    choice=st.sampled_from(["0", "1", "2"]),
)
_TALLIES = st.builds(
    Tally,
    question=st.sampled_from(["cell/a/1", "cell/b/1"]),
    choice=st.sampled_from(["0", "1"]),
    count=st.integers(0, 9),
)
_CARDS = st.builds(
    Card,
    id=st.sampled_from(["c1", "c2", "c3"]),
    kind=st.sampled_from(list(CardKind)),
    text=st.text(max_size=3),
)


@settings(max_examples=80, deadline=None)
@given(
    before=st.lists(st.one_of(_VOTES, _TALLIES, _CARDS), max_size=6),
    votes=st.lists(_VOTES, max_size=12),
    tallies=st.lists(_TALLIES, max_size=6),
    cards=st.lists(_CARDS, max_size=6),
)
def test_put_all_is_put_of_each_in_order(before: list, votes: list, tallies: list, cards: list) -> None:  # type: ignore[type-arg]
    one_by_one, at_once = Session(), Session()
    for entity in before:  # what the session held already: replaced, as put replaces it
        one_by_one.put(entity)
        at_once.put(entity)
    for cls, entities in ((Vote, votes), (Tally, tallies), (Card, cards)):
        for entity in entities:
            one_by_one.put(entity)
        at_once.put_all(cls, entities)
    assert _state(at_once) == _state(one_by_one)
    for question in {v.question for v in votes}:
        assert at_once.on_question(Vote, question) == one_by_one.on_question(Vote, question)


def test_put_all_of_singletons_and_of_mixed_kinds_is_put_of_each() -> None:
    session = Session()
    session.put_all(Progress, [Progress(current_step_id="a"), Progress(current_step_id="b")])
    assert session.progress.current_step_id == "b"
    mixed = [Vote("q", "p", "1"), Tally("q", "1", 2)]
    expected = Session()
    for entity in mixed:
        expected.put(entity)
    session = Session()
    session.put_all(Vote, mixed)
    assert _state(session) == _state(expected)
