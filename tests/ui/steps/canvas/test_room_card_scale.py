"""The room's cards are drawn as large as the back row needs, short of covering anything new
(steps/canvas/room.py, `room_card_scale`): the same size as trying every step down from the top
finds, and quick on a dense canvas, whose layout is worked out again after every change."""

from __future__ import annotations

import math
import random
import time

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication

from coprod_desktop.ui.steps.canvas import room

WORDS = ["who", "plans", "it", "who", "delivers", "it", "the", "council", "carers", "families", "young", "people", "staff", "the", "board"]


def _cards(rng: random.Random, count: int, spread: float) -> list[tuple[str, QPointF]]:
    """`count` cards of a few words each, their centres scattered over `spread` canvas units."""
    return [
        (" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 9))), QPointF(rng.random() * spread, rng.random() * spread))
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


def _grid(wanted: float, step: float = 0.02) -> list[float]:
    return [1.0] + [round(1.0 + n * step, 3) for n in range(1, math.ceil((wanted - 1.0) / step - 1e-9) + 1)]


def _covers_new(cards: list[tuple[str, QPointF]], scale: float) -> bool:
    return bool(room._overlaps(room.card_rects(cards, scale)) - room._overlaps(room.card_rects(cards, 1.0)))


def test_the_cards_grow_as_far_as_they_cover_nothing_new(qapp: QApplication) -> None:
    rng = random.Random(13)
    sizes, same = [], 0
    for case in range(40):
        cards = _cards(rng, rng.randint(2, 40), rng.choice([600.0, 1500.0, 4000.0, 12000.0]))
        wanted = rng.choice([1.01, 1.3, 1.77, 2.5, 3.4])
        room._LAST_SCALE.clear()
        found = room.room_card_scale(cards, wanted)
        grid = _grid(wanted)
        assert found in grid, case
        assert not _covers_new(cards, found), case  # it covers nothing new
        if found != grid[-1]:
            # Short of the size wanted: every size on the way covers nothing new, the next does.
            assert not any(_covers_new(cards, size) for size in grid[: grid.index(found)]), case
            assert _covers_new(cards, grid[grid.index(found) + 1]), case
        old = _every_step_down(cards, wanted)
        if not any(_covers_new(cards, size) for size in grid[: grid.index(old)]):
            assert found == old, case  # where growing covers more and more, as the first version
            same += 1
        sizes.append(found)
    assert same >= 35  # nearly always
    assert min(sizes) == 1.0  # some canvases could not grow at all
    assert max(sizes) > 2.0  # some grew as far as was wanted
    assert any(1.0 < size < 2.0 for size in sizes)  # some part of the way


def test_nothing_or_a_small_wish_keeps_the_laptops_size(qapp: QApplication) -> None:
    assert room.room_card_scale([], 2.0) == 2.0
    cards = [("a card", QPointF(0, 0))]
    assert room.room_card_scale(cards, 0.8) == 1.0
    assert room.room_card_scale(cards, 1.5) == 1.5  # alone, it may grow as far as wanted


def test_a_dense_canvas_is_quick_and_asked_once_per_layout(qapp: QApplication) -> None:
    rng = random.Random(5)
    cards = _cards(rng, 500, 2000.0)  # about the large session's canvas: cards over cards
    room._LAST_SCALE.clear()
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
    assert room._LAST_SCALE[0][0][0][0] == (moved[0][0], moved[0][1].x(), moved[0][1].y())
