"""The room's cards are drawn as large as the back row needs, short of covering anything new
(steps/canvas/room.py, `room_card_scale`): the same size as trying every step down from the top
finds, and quick on a dense canvas, whose layout is worked out again after every change."""

from __future__ import annotations

import math
import random
import time

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication

from coprod_desktop.ui.steps.canvas import room

WORDS = [
    "who",
    "plans",
    "it",
    "who",
    "delivers",
    "it",
    "the",
    "council",
    "carers",
    "families",
    "young",
    "people",
    "staff",
    "the",
    "board",
]


def _cards(rng: random.Random, count: int, spread: float) -> list[tuple[str, QPointF]]:
    """`count` cards of a few words each, their centres scattered over `spread` canvas units."""
    return [
        (
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 9))),
            QPointF(rng.random() * spread, rng.random() * spread),
        )
        for _ in range(count)
    ]


def _every_step_down(cards: list[tuple[str, QPointF]], wanted: float, step: float = 0.02) -> float:
    """The first version's search: each step of the grid, from the top down."""
    laptop = room._overlaps(room.card_rects(cards, 1.0))
    steps = math.ceil((wanted - 1.0) / step - 1e-9)
    for n in range(steps, 0, -1):
        scale = round(1.0 + n * step, 3)
        if room._overlaps(room.card_rects(cards, scale)) <= laptop:
            return scale
    return 1.0


def test_the_size_is_the_one_every_step_down_finds(qapp: QApplication) -> None:
    rng = random.Random(13)
    sizes = []
    for case in range(60):
        cards = _cards(rng, rng.randint(2, 60), rng.choice([600.0, 1500.0, 4000.0, 12000.0]))
        wanted = rng.choice([1.01, 1.3, 1.77, 2.5, 3.4])
        room._LAST_SIZES.clear()
        found = room.room_card_scale(cards, wanted)
        assert found == _every_step_down(cards, wanted), case
        new = room._overlaps(room.card_rects(cards, found)) - room._overlaps(room.card_rects(cards, 1.0))
        assert not new, case  # it covers nothing new
        sizes.append(found)
    assert min(sizes) == 1.0  # some canvases could not grow at all
    assert max(sizes) > 2.0  # some grew as far as was wanted
    assert any(1.0 < size < 2.0 for size in sizes)  # some part of the way


def test_nothing_or_a_small_wish_keeps_the_laptops_size(qapp: QApplication) -> None:
    assert room.room_card_scale([], 2.0) == 2.0
    cards = [("a card", QPointF(0, 0))]
    assert room.room_card_scale(cards, 0.8) == 1.0
    assert room.room_card_scale(cards, 1.5) == 1.5  # alone, it may grow as far as wanted
    # Never wider than the whole canvas, whatever a tiny view would want.
    assert room.room_card_scale(cards, 74.3) == round(
        1.0 + math.ceil((room.LARGEST_CARD_SCALE - 1) / 0.02) * 0.02, 3
    )


def test_a_dense_canvas_is_quick_and_asked_once_per_layout(qapp: QApplication) -> None:
    rng = random.Random(5)
    cards = _cards(rng, 500, 2000.0)  # about the large session's canvas: cards over cards
    room._LAST_SIZES.clear()
    began = time.process_time()
    assert room.room_card_scale(cards, 3.0) == 1.0
    # The first version took tens of seconds here (a hundred sizes tried, each in full).
    assert time.process_time() - began < 5.0
    began = time.process_time()
    for _ in range(50):  # a vote or a note changes no card: the answer is remembered
        assert room.room_card_scale(list(cards), 3.0) == 1.0
    assert time.process_time() - began < 1.0
    moved = [(cards[0][0], QPointF(cards[0][1].x() + 1, cards[0][1].y())), *cards[1:]]
    assert room.room_card_scale(moved, 3.0) == 1.0  # a card moved: asked afresh
    assert room._LAST_SIZES[0].cards[0] == (moved[0][0], moved[0][1].x(), moved[0][1].y())


def test_sizes_found_are_kept_for_any_later_wish_while_no_card_moves(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The room's view or type changes what is wanted, not which sizes fit: a later wish tries
    only the sizes not tried yet, and finds what a search of its own finds."""
    tried: list[float] = []
    look = room._fits

    def counted(cards: list[tuple[str, QPointF]], scale: float, sizes: object) -> bool:
        tried.append(scale)
        return look(cards, scale, sizes)  # type: ignore[arg-type]

    monkeypatch.setattr(room, "_fits", counted)
    rng = random.Random(21)
    for case in range(12):
        cards = _cards(rng, rng.randint(5, 40), rng.choice([600.0, 1500.0, 4000.0]))
        room._LAST_SIZES.clear()
        tried.clear()
        for wish in (rng.uniform(1.0, 3.5) for _ in range(6)):
            before = len(tried)
            assert room.room_card_scale(cards, wish) == _every_step_down(cards, wish), (case, wish)
            assert max(tried[before:], default=1.0) < wish + 0.02  # nothing above the wish
        assert len(tried) == len(set(tried)), case  # no size tried twice
    # Asked first for large cards (a small room's window), then for smaller (a larger one).
    cards = _cards(random.Random(3), 300, 2000.0)
    room._LAST_SIZES.clear()
    room.room_card_scale(cards, 3.0)
    tried.clear()
    assert room.room_card_scale(cards, 2.1) == _every_step_down(cards, 2.1)
    assert not tried  # nothing tried again
