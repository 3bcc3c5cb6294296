"""domain.limits: one model of valid values, and tallies that stay counts."""

from __future__ import annotations

import statistics
import time
from collections import Counter
from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coprod_desktop.domain import limits
from coprod_desktop.domain.model import (
    ENTITY_BY_KIND,
    BallotCount,
    Card,
    CardKind,
    Entity,
    MatrixSettings,
    Note,
    Participant,
    Step,
    StepKind,
    Tally,
    Vote,
    WorkshopInfo,
    replace,
)
from coprod_desktop.domain.voting import rating_counts, summarise, summarise_counts

from .strategies import entities


@pytest.mark.parametrize(
    ("entity", "field", "words"),
    [
        (Step("s", StepKind.TEXT, "Welcome", minutes=2**63 - 1), "'minutes'", 'step "Welcome"'),
        (Step("s", StepKind.TEXT, "Welcome", minutes=-1), "'minutes'", "0 to 600 minutes"),
        (Tally("cell/a/b", "2", 2**63 - 1), "'count'", "0 to 999 hands"),
        (Tally("cell/a/b", "2", 10**8), "'count'", "100,000,000"),
        (MatrixSettings(scale=()), "'scale'", "0 points"),
        (MatrixSettings(scale=tuple(str(i) for i in range(2000))), "'scale'", "2,000 points"),
        (MatrixSettings(scale=("low", "x" * 201)), "'scale'", "label of 201 characters"),
        (Note("n", "x" * (limits.LONG_TEXT + 1)), "'text'", "1,000,001 characters"),
        (WorkshopInfo(title="t" * (limits.SHORT_TEXT + 1)), "'title'", "the workshop details"),
        (Note("n", "ok", position=2**40), "'position'", "beyond"),
    ],
)
def test_an_out_of_bounds_value_is_named_in_one_sentence(entity, field: str, words: str) -> None:  # type: ignore[no-untyped-def]
    found = limits.problem(entity)
    assert found is not None
    assert field in found
    assert words in found
    assert "\n" not in found
    assert len(found) < 300
    with pytest.raises(limits.LimitError, match=field):
        limits.check(entity)


@pytest.mark.parametrize(
    "entity",
    [
        Step("s", StepKind.TEXT, "Welcome", minutes=600),
        Tally("cell/a/b", "2", 999),
        MatrixSettings(scale=tuple("abcdefghijk")),
        MatrixSettings(scale=("no", "yes")),
        Note("n", "x" * limits.LONG_TEXT),
    ],
)
def test_values_at_the_bounds_are_valid(entity) -> None:  # type: ignore[no-untyped-def]
    assert limits.problem(entity) is None
    assert limits.check(entity) is entity


def test_the_bounds_are_the_ranges_the_screens_and_templates_use() -> None:
    assert (limits.STEP_MINUTES.minimum, limits.STEP_MINUTES.maximum) == (0, 600)
    assert (limits.HANDS.minimum, limits.HANDS.maximum) == (0, 999)
    assert (limits.SCALE_POINTS.minimum, limits.SCALE_POINTS.maximum) == (2, 11)
    assert 600 in limits.STEP_MINUTES
    assert 601 not in limits.STEP_MINUTES
    assert "5" not in limits.STEP_MINUTES


def test_a_huge_tally_is_summarised_from_its_counts_at_once() -> None:
    counts = Counter({"0": 10**12, "4": 10**12, "2": 1})
    started = time.perf_counter()
    values = rating_counts(counts)
    summary = summarise_counts(values, 5)
    assert time.perf_counter() - started < 0.5  # 2 * 10**12 votes: never expanded
    assert values == {0: 10**12, 2: 1, 4: 10**12}
    assert summary.votes == 2 * 10**12 + 1
    assert summary.median == 2.0
    assert summary.mean == pytest.approx(2.0)
    assert summary.disagreement
    assert (summary.low, summary.high) == (0, 4)


def test_summarise_counts_reads_hands_per_point() -> None:
    assert summarise_counts({0: 2, 4: 2}, 5) == summarise([0, 0, 4, 4], 5)


def test_rating_counts_keep_only_ratings() -> None:
    assert rating_counts(Counter({"2": 3, "0": 1, "co-design": 5, "-1": 2})) == {2: 3, 0: 1, -1: 2}
    assert rating_counts(Counter()) == {}


@given(st.lists(st.integers(-3, 12), max_size=60))
def test_statistics_from_counts_match_the_statistics_module(data: list[int]) -> None:
    summary = summarise_counts(Counter(data), 13)
    assert summary.votes == len(data)
    if not data:
        assert summary.mean is None
        assert summary.median is None
        assert summary.spread == 0.0
        return
    assert summary.mean == pytest.approx(statistics.fmean(data))
    assert summary.median == float(statistics.median(data))
    assert summary.spread == pytest.approx(statistics.pstdev(data) if len(data) > 1 else 0.0, abs=1e-12)
    assert (summary.low, summary.high) == (min(data), max(data))


# --- a table cleared at once ---------------------------------------------------------

CLEARED_KINDS = [cls for cls in ENTITY_BY_KIND.values() if limits.clear_up_to(cls)]


def test_only_kinds_with_nothing_but_text_to_check_are_cleared_by_length() -> None:
    assert {cls.__name__ for cls in CLEARED_KINDS} >= {"Vote", "BallotCast", "Reveal"}
    for cls in ENTITY_BY_KIND.values():
        names = {f.name for f in fields(cls)}
        checked_otherwise = bool(names & {"position", "now_x", "now_y", "aspiration_x", "aspiration_y"}) or (
            cls in (WorkshopInfo, Step, Tally, BallotCount, MatrixSettings)
        )
        assert (limits.clear_up_to(cls) == 0) == checked_otherwise, cls.__name__
    assert limits.clear_up_to(Vote) == limits.KEY_TEXT


@pytest.mark.parametrize("cls", CLEARED_KINDS, ids=lambda cls: cls.__name__)
def test_texts_up_to_the_cleared_length_are_always_within_bounds(cls: type[Entity]) -> None:
    clear = limits.clear_up_to(cls)
    texts = [f.name for f in fields(cls) if f.type == "str"]

    @settings(max_examples=40, deadline=None)
    @given(entity=entities(cls, text=st.text(max_size=clear) | st.just("é" * clear)))
    def within(entity: Entity) -> None:
        assert limits.problem(entity) is None
        for name in texts:  # and one character more is refused, whichever text it is
            assert limits.problem(replace(entity, **{name: "x" * (clear + 1)})) is not None

    within()


def test_kinds_without_rules_of_their_own_are_still_checked_field_by_field() -> None:
    found = limits.problem(Vote(question="q", participant_id="p" * (limits.KEY_TEXT + 1), choice="1"))
    assert found is not None
    assert "'participant_id' of a vote is 1,001 characters long" in found
    assert limits.problem(Card(id="c", kind=CardKind.DECISION, text="t", now_x=float("nan"))) is not None
    assert limits.problem(Participant(id="p", name="n", position=-(2**31) - 1)) is not None


# Values on both sides of every bound, of every type a field may hold, for any field: what a
# file's columns can bring, whatever the field's declared type.
_NEAR_BOUNDS = st.one_of(
    st.sampled_from(
        [
            0,
            5,
            limits.KEY_TEXT,
            limits.KEY_TEXT + 1,
            limits.SHORT_TEXT,
            limits.SHORT_TEXT + 1,
            limits.LONG_TEXT,
        ]
        + [limits.LONG_TEXT + 1]
    ).map(lambda length: "x" * length),
    st.sampled_from(
        [0.0, -0.0, 1.5, limits.COORDINATE, -limits.COORDINATE, limits.COORDINATE * (1 + 1e-15), -1e7]
        + [float("inf"), float("-inf"), float("nan")]
    ),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [0, 1, -1, limits.POSITION.minimum, limits.POSITION.maximum, limits.POSITION.minimum - 1]
        + [limits.POSITION.maximum + 1, 2**63 - 1, True, False]
    ),
    st.integers(),
    st.none(),
    st.just(("a", "b")),
)


@pytest.mark.parametrize("cls", list(ENTITY_BY_KIND.values()), ids=lambda cls: cls.__name__)
def test_columns_are_clear_exactly_when_every_entity_of_them_is(cls: type[Entity]) -> None:
    names = [f.name for f in fields(cls)]
    special = cls in (WorkshopInfo, Step, Tally, BallotCount, MatrixSettings)

    @settings(max_examples=60, deadline=None)
    @given(rows=st.lists(st.tuples(*[_NEAR_BOUNDS for _ in names]), max_size=4))
    def agree(rows: list[tuple[object, ...]]) -> None:
        made = [cls(*row) for row in rows]
        columns = [[getattr(entity, name) for entity in made] for name in names]
        clear = limits.columns_clear(cls, columns)
        if special:
            assert clear is False  # a kind with rules of its own: each entity is asked
        else:
            assert clear == all(limits.problem(entity) is None for entity in made)

    agree()


def test_columns_within_bounds_are_clear_and_one_value_past_a_bound_is_not() -> None:
    card = Card(
        id="c", kind=CardKind.DECISION, text="t" * limits.SHORT_TEXT, now_x=-limits.COORDINATE, position=1
    )
    columns = [[getattr(card, f.name)] * 3 for f in fields(Card)]
    assert limits.columns_clear(Card, columns)
    for name, value in (
        ("id", "c" * (limits.KEY_TEXT + 1)),
        ("now_y", limits.COORDINATE * 1.5),
        ("aspiration_x", float("nan")),
        ("position", limits.POSITION.maximum + 1),
        ("position", limits.POSITION.minimum - 1),
    ):
        changed = [list(column) for column in columns]
        changed[[f.name for f in fields(Card)].index(name)][1] = value
        assert not limits.columns_clear(Card, changed), name
    assert not limits.columns_clear(Card, columns[:-1])  # not one column per field: ask each
    assert limits.columns_clear(Participant, [[] for _ in fields(Participant)])  # no rows
