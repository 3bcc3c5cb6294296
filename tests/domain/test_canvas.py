"""The canvas as plain data: zones, moves and the reading of them."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coprod_desktop.domain.canvas import (
    DECISION_MARK,
    GRID,
    ROLE_MARKS,
    SIZE,
    Direction,
    Layer,
    Shape,
    axes,
    co_production_zone,
    distance_to,
    duplicate,
    mark_of,
    moves,
    place,
    position,
    reading,
    shape_points,
    snap,
    step_words,
    zone_of,
    zones,
)
from coprod_desktop.domain.ladder import LADDER
from coprod_desktop.domain.model import (
    CanvasBackground,
    CanvasSettings,
    Card,
    CardKind,
    RoleGroup,
    Session,
)
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.templates import load_builtin_template

from .strategies import sessions

INSIDE = st.floats(min_value=0.0, max_value=SIZE)
ANYWHERE = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9)
MARKED = [CanvasBackground.PLAN_DELIVER, CanvasBackground.POWER_RESPONSIBILITY, CanvasBackground.LADDER]


@pytest.fixture(scope="module")
def sample() -> Session:
    return build_sample(load_builtin_template())


def session_with(*cards: Card, background: CanvasBackground = CanvasBackground.PLAN_DELIVER) -> Session:
    session = Session()
    session.put(CanvasSettings(background=background))
    for card in cards:
        session.put(card)
    return session


def card(
    card_id: str,
    now: tuple[float, float] | None,
    aim: tuple[float, float] | None,
    text: str = "",
    kind: CardKind = CardKind.STAKEHOLDER,
    position_: int = 0,
) -> Card:
    made = Card(id=card_id, kind=kind, text=text or card_id, position=position_)
    return place(place(made, Layer.NOW, now), Layer.ASPIRATION, aim)


# --- zones ---------------------------------------------------------------------------


@given(background=st.sampled_from(MARKED), x=INSIDE, y=INSIDE)
def test_every_point_of_the_canvas_is_in_exactly_one_zone(
    background: CanvasBackground, x: float, y: float
) -> None:
    holding = [z for z in zones(background) if z.contains(x, y)]
    assert len(holding) == 1
    assert zone_of(background, x, y) == holding[0]


@given(background=st.sampled_from(MARKED), x=ANYWHERE, y=ANYWHERE)
def test_points_off_the_canvas_count_in_the_nearest_zone(
    background: CanvasBackground, x: float, y: float
) -> None:
    zone = zone_of(background, x, y)
    assert zone is not None
    assert zone == zone_of(background, min(max(x, 0.0), SIZE), min(max(y, 0.0), SIZE))


def test_the_grid_reads_like_bovairds_table() -> None:
    plan = CanvasBackground.PLAN_DELIVER
    assert [z.name for z in zones(plan)][:3] == [
        "professionals plan, professionals deliver",
        "both plan, professionals deliver",
        "people plan, professionals deliver",
    ]
    assert zone_of(plan, 100, 100).name == "professionals plan, professionals deliver"  # type: ignore[union-attr]
    assert zone_of(plan, 900, 900).name == "people plan, people deliver"  # type: ignore[union-attr]
    assert zone_of(plan, 100, 900).name == "professionals plan, people deliver"  # type: ignore[union-attr]
    centre = zone_of(plan, 500, 500)
    assert centre is not None
    assert centre.co_production
    assert centre.label == "Full co-production"
    assert co_production_zone(plan) == centre
    assert sum(z.co_production for z in zones(plan)) == 1
    # The far edges belong to the last zones, not to nothing.
    assert zone_of(plan, SIZE, SIZE).name == "people plan, people deliver"  # type: ignore[union-attr]
    labels = axes(plan)
    assert labels is not None
    assert labels.x_labels[0] == labels.y_labels[0] == "Professionals"
    assert len(labels.x_labels) == len(labels.y_labels) == 3


def test_power_and_responsibility_use_the_same_geometry_in_other_words() -> None:
    power = CanvasBackground.POWER_RESPONSIBILITY
    assert zone_of(power, 500, 500).co_production  # type: ignore[union-attr]
    assert zone_of(power, 900, 100).name == "people hold the power, professionals carry responsibility"  # type: ignore[union-attr]
    assert [z.key for z in zones(power)] == [z.key for z in zones(CanvasBackground.PLAN_DELIVER)]


def test_the_ladder_climbs_upwards_in_bands() -> None:
    ladder = CanvasBackground.LADDER
    bands = zones(ladder)
    assert [z.name for z in bands] == [r.name for r in LADDER]
    assert zone_of(ladder, 500, 999).name == "Coercion"  # type: ignore[union-attr]
    assert zone_of(ladder, 20, 1).name == "Co-production"  # type: ignore[union-attr]
    assert co_production_zone(ladder) == bands[-1]
    assert all(math.isclose(z.bottom - z.top, SIZE / len(LADDER)) for z in bands)
    assert axes(ladder).y_labels[0] == "Co-production"  # type: ignore[union-attr]


def test_the_blank_canvas_has_no_zones() -> None:
    assert zones(CanvasBackground.BLANK) == ()
    assert zone_of(CanvasBackground.BLANK, 10, 10) is None
    assert co_production_zone(CanvasBackground.BLANK) is None
    assert axes(CanvasBackground.BLANK) is None
    assert zone_of(CanvasBackground.PLAN_DELIVER, math.nan, 10) is None


def test_distance_to_a_zone() -> None:
    centre = co_production_zone(CanvasBackground.PLAN_DELIVER)
    assert centre is not None
    assert distance_to(centre, 500, 500) == 0
    assert distance_to(centre, centre.left - 30, 500) == pytest.approx(30)
    assert distance_to(centre, centre.left - 30, centre.top - 40) == pytest.approx(50)


# --- cards on layers -------------------------------------------------------------------


def test_place_position_duplicate_and_snap() -> None:
    base = Card(id="a", kind=CardKind.DECISION, text="Timetable", position=3)
    now_only = place(base, Layer.NOW, (10.5, 20.25))
    assert position(now_only, Layer.NOW) == (10.5, 20.25)
    assert position(now_only, Layer.ASPIRATION) is None
    both = place(now_only, Layer.ASPIRATION, (700.0, 300.0))
    assert position(place(both, Layer.NOW, None), Layer.NOW) is None
    copy = duplicate(both, "b", 9)
    assert (copy.id, copy.position, copy.text) == ("b", 9, "Timetable")
    assert position(copy, Layer.NOW) == (10.5 + 2 * GRID, 20.25 + 2 * GRID)
    assert position(copy, Layer.ASPIRATION) == (700.0 + 2 * GRID, 300.0 + 2 * GRID)
    assert position(duplicate(now_only, "c", 1), Layer.ASPIRATION) is None
    assert snap(37.4) == 25.0
    assert snap(38.0) == 50.0
    assert snap(-12.4) == 0.0


# --- marks -------------------------------------------------------------------------------


def test_every_role_has_its_own_colour_and_shape() -> None:
    marks = [*ROLE_MARKS.values(), DECISION_MARK]
    assert len({m.colour for m in marks}) == len(marks)
    assert len({m.shape for m in marks}) == len(marks)
    assert set(ROLE_MARKS) == set(RoleGroup)
    assert mark_of(Card(id="d", kind=CardKind.DECISION, text="x")) == DECISION_MARK
    assert mark_of(Card(id="s", kind=CardKind.STAKEHOLDER, text="x")) == ROLE_MARKS[RoleGroup.OTHER]
    assert (
        mark_of(Card(id="s", kind=CardKind.DECISION, text="x", role=RoleGroup.CARER))
        == ROLE_MARKS[RoleGroup.CARER]
    )


@pytest.mark.parametrize(
    ("shape", "corners"),
    [
        (Shape.CIRCLE, 0),
        (Shape.TRIANGLE, 3),
        (Shape.SQUARE, 4),
        (Shape.DIAMOND, 4),
        (Shape.PENTAGON, 5),
        (Shape.HEXAGON, 6),
        (Shape.CROSS, 12),
        (Shape.STAR, 10),
    ],
)
def test_shapes_have_their_corners_around_the_centre(shape: Shape, corners: int) -> None:
    points = shape_points(shape, 100, 50, 10)
    assert len(points) == corners
    assert all(4 <= math.hypot(x - 100, y - 50) <= 12.5 for x, y in points)  # within 1.25 radii


# --- moves -------------------------------------------------------------------------------


def test_the_sample_moves(sample: Session) -> None:
    found = {m.card.text: m for m in moves(sample)}
    assert len(found) == 9
    assert "GP practice" not in found  # no aspiration
    carers = found["Carers who bring people"]
    assert carers.from_zone.name == "professionals plan, people deliver"  # type: ignore[union-attr]
    assert carers.to_zone.name == "both plan, people deliver"  # type: ignore[union-attr]
    assert not carers.to_zone.co_production  # type: ignore[union-attr]
    assert carers.direction is Direction.TOWARDS
    assert carers.distance == pytest.approx(330)
    timetable = found["Class timetable"]
    assert timetable.direction is Direction.INTO
    assert timetable.to_zone.co_production  # type: ignore[union-attr]
    assert timetable.distance == pytest.approx(math.hypot(330, 266))
    # From a professional-led cell to a people-led one, straight through the middle.
    assert found["Welcoming newcomers"].direction is Direction.ACROSS
    assert found["Class members"].direction is Direction.ACROSS
    assert found["Neighbourhood walking group"].direction is Direction.TOWARDS


@given(start=st.tuples(INSIDE, INSIDE), end=st.tuples(INSIDE, INSIDE), background=st.sampled_from(MARKED))
def test_direction_agrees_with_the_distance_to_co_production(  # type: ignore[no-untyped-def]
    start, end, background: CanvasBackground
) -> None:
    move = moves(session_with(card("a", start, end), background=background))[0]
    target = co_production_zone(background)
    assert target is not None
    before, after = distance_to(target, *start), distance_to(target, *end)
    if move.distance < GRID / 2:
        assert move.direction is Direction.STILL
    elif after == 0 and before > 0:
        assert move.direction is Direction.INTO
    elif move.direction is Direction.TOWARDS:
        assert after < before
    elif move.direction in (Direction.AWAY, Direction.OUT_OF):
        assert after > before
    assert move.direction.towards_co_production == (move.direction in (Direction.INTO, Direction.TOWARDS))


def test_a_move_through_the_middle_reads_as_across() -> None:
    session = session_with(
        card("a", (150, 500), (850, 520), "Members"), card("b", (150, 150), (150, 850), "Side")
    )
    found = {m.card.id: m for m in moves(session)}
    assert found["a"].direction is Direction.ACROSS
    assert found["b"].direction is Direction.ALONG  # down the left edge, never nearer
    lines = reading(session)
    assert (
        "Members: from ‘professionals plan, both deliver’ to ‘people plan, both deliver’ — a long step "
        "through full co-production and beyond it." in lines
    )
    assert (
        "Side: from ‘professionals plan, professionals deliver’ to ‘professionals plan, people deliver’ — "
        "a long step, but no nearer to full co-production." in lines
    )
    assert lines[0].endswith(
        "None of them moves towards full co-production, and none would end in full co-production. "
        "One passes through it and beyond."
    )


def test_ladder_moves_count_rungs() -> None:
    band = SIZE / len(LADDER)
    session = session_with(
        card("up", (500, SIZE - band / 2), (500, band / 2)),
        card("down", (500, band * 2.5), (500, band * 3.5)),
        background=CanvasBackground.LADDER,
    )
    found = {m.card.id: m for m in moves(session)}
    up, down = found["up"], found["down"]
    assert up.rungs == 6
    assert step_words(up) == "six rungs up"
    assert up.direction is Direction.INTO
    assert down.rungs == -1
    assert step_words(down) == "one rung down"
    assert down.direction is Direction.AWAY


# --- the reading -------------------------------------------------------------------------


def test_reading_of_the_sample(sample: Session) -> None:
    lines = reading(sample)
    assert lines[0] == (
        "Ten cards on the canvas; nine have a place now and an aspiration. Six of nine "
        "move towards full co-production, and three would end in full co-production. "
        "Three pass through it and beyond."
    )
    assert (
        "Carers who bring people: from ‘professionals plan, people deliver’ to ‘both plan, people deliver’"
        " — a clear step towards full co-production."
    ) in lines
    assert (
        lines[-1]
        == "GP practice: at ‘professionals plan, professionals deliver’ now; no aspiration has been placed."
    )
    # Longest moves first.
    named = [line.split(":")[0] for line in lines[1:-1]]
    found = {m.card.text: m.distance for m in moves(sample)}
    assert [found[n] for n in named] == sorted(found.values(), reverse=True)


def test_reading_with_no_cards_or_one_layer_only() -> None:
    assert reading(Session()) == ["No cards have been put on the canvas yet."]
    session = session_with(
        card("a", (100, 100), None, "Ward staff"),
        card("b", None, (500, 500), "Peer group"),
        card("c", None, None, "Volunteers"),
    )
    lines = reading(session)
    assert lines[0].startswith("Three cards on the canvas, but none yet has both a place now")
    assert (
        "Ward staff: at ‘professionals plan, professionals deliver’ now; no aspiration has been placed."
        in lines
    )
    assert "Peer group: no place now; the aspiration is at ‘both plan, both deliver’." in lines
    assert lines[-1] == "One card has not been placed on either layer."


def test_reading_on_the_blank_canvas_and_with_a_limit() -> None:
    cards = [
        card(f"c{n}", (100.0, 100.0 + n), (100.0 + 60 * n, 100.0 + n), f"Card {n}", position_=n)
        for n in range(6)
    ]
    blank = session_with(*cards, background=CanvasBackground.BLANK)
    lines = reading(blank)
    assert lines[0] == "Six cards on the canvas; all have a place now and an aspiration. Five of them move."
    assert "Card 5: a clear step between now and the aspiration." in lines
    assert "Card 0: no real move between now and the aspiration." in lines or any(
        line.startswith("Card 0: stays") for line in lines
    )
    limited = reading(blank, limit=2)
    assert len(limited) == 4
    assert limited[-1] == "Four cards more are not listed here."


def test_reading_a_move_that_stays_still_or_within_a_zone() -> None:
    session = session_with(
        card("a", (500, 500), (505, 505), "Stays"),
        card("b", (400, 400), (600, 600), "Within"),
        card("c", (900, 900), (980, 950), "Corner"),
    )
    lines = reading(session)
    assert "Stays: stays at ‘both plan, both deliver’." in lines
    assert (
        "Within: moves within ‘both plan, both deliver’ — a clear step, staying in full co-production."
        in lines
    )
    assert (
        "Corner: moves within ‘people plan, people deliver’ — a small step away from full co-production."
        in lines
    )


def test_untitled_cards_get_words() -> None:
    session = session_with(
        Card(
            id="a",
            kind=CardKind.STAKEHOLDER,
            text="  ",
            now_x=100,
            now_y=100,
            aspiration_x=500,
            aspiration_y=500,
        ),
        Card(
            id="b", kind=CardKind.DECISION, text="", now_x=900, now_y=100, aspiration_x=500, aspiration_y=500
        ),
    )
    text = " ".join(reading(session))
    assert "An untitled card:" in text
    assert "An untitled decision:" in text


@settings(max_examples=60, deadline=None)
@given(sessions(max_per_kind=4), st.sampled_from(list(CanvasBackground)), st.none() | st.integers(0, 5))
def test_reading_never_fails_and_names_every_card_once(  # type: ignore[no-untyped-def]
    session: Session, background: CanvasBackground, limit: int | None
) -> None:
    lines = reading(session, background, limit)
    assert lines
    assert all(isinstance(line, str) and line.strip() for line in lines)
    placed = [c for c in session.cards if position(c, Layer.NOW) or position(c, Layer.ASPIRATION)]
    if limit is None and session.cards:
        assert len(lines) == 1 + len(placed) + (1 if len(placed) < len(session.cards) else 0)
