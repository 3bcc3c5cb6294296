"""The canvas drawing: both layers, arrows, shapes by role, every background, and its meaning."""

from __future__ import annotations

import pytest
from reportlab.graphics.shapes import Drawing, Group, Polygon, String

from coprod_desktop.domain.model import CanvasBackground, Card, CardKind, RoleGroup
from coprod_desktop.report.canvas_drawing import canvas_drawing
from coprod_desktop.report.canvas_look import canvas_look

from .helpers import sample


def strings(node: Drawing | Group) -> list[String]:
    found: list[String] = []
    for child in node.contents:
        if isinstance(child, String):
            found.append(child)
        elif isinstance(child, Group):
            found.extend(strings(child))
    return found


def layers(drawing: Drawing) -> tuple[Group, Group, Group]:
    arrows, hollow, filled = drawing.contents[-3:]
    return arrows, hollow, filled


@pytest.mark.parametrize("background", list(CanvasBackground))
def test_every_background_draws_both_layers(background: CanvasBackground) -> None:
    cards = sample().cards
    drawing = canvas_drawing(cards, background, 480, 600)
    assert drawing.width == 480
    assert drawing.height <= 600
    arrows, hollow, filled = layers(drawing)
    on_now = sum(1 for c in cards if c.now_x is not None)
    on_aim = sum(1 for c in cards if c.aspiration_x is not None)
    labels = [s.text for s in strings(hollow)]
    assert sorted(labels, key=int) == [str(n) for n, c in enumerate(cards, 1) if c.now_x is not None]
    assert len([s for s in strings(filled)]) == on_aim
    assert on_now > on_aim  # the GP practice has no aspiration
    both = sum(1 for c in cards if c.now_x is not None and c.aspiration_x is not None)
    assert len([p for p in arrows.contents if isinstance(p, Polygon)]) <= both  # one head per move


def test_positions_follow_the_canvas_coordinates() -> None:
    card = Card(
        "c",
        CardKind.STAKEHOLDER,
        "Top left to bottom right",
        RoleGroup.MANAGER,
        now_x=0,
        now_y=0,
        aspiration_x=1000,
        aspiration_y=1000,
    )
    drawing = canvas_drawing([card], CanvasBackground.BLANK, 400, 600)
    _arrows, hollow, filled = layers(drawing)
    now = next(s for s in strings(hollow) if s.text == "1")
    aim = next(s for s in strings(filled) if s.text == "1")
    assert now.x < aim.x  # x grows to the right
    assert now.y > aim.y  # y grows downwards on the canvas, upwards in PDF points


def test_roles_have_different_shapes_not_only_colours() -> None:
    look = canvas_look(CanvasBackground.PLAN_DELIVER)
    cards = [Card(str(i), CardKind.STAKEHOLDER, "x", role) for i, role in enumerate(RoleGroup)]
    cards.append(Card("d", CardKind.DECISION, "x"))
    shapes = {look.mark(card).shape for card in cards}
    assert len(shapes) >= 4
    names = {look.mark(card).name for card in cards}
    assert len(names) == len(cards)


def test_place_in_words_uses_the_apps_zones() -> None:
    canvas = pytest.importorskip("coprod_desktop.domain.canvas")
    look = canvas_look(CanvasBackground.PLAN_DELIVER)
    centre = canvas.zone_of(CanvasBackground.PLAN_DELIVER, 500, 500)
    assert look.where(500, 500).lower() == centre.name.lower()
    assert look.where(None, 3) == "—"


def test_a_card_far_off_the_canvas_is_drawn_on_its_edge() -> None:
    card = Card("c", CardKind.DECISION, "x", now_x=-5000, now_y=99999)
    drawing = canvas_drawing([card], CanvasBackground.PLAN_DELIVER, 400, 600)
    label = next(s for s in strings(layers(drawing)[1]) if s.text == "1")
    assert 0 <= label.x <= drawing.width
    assert 0 <= label.y <= drawing.height


def test_the_marks_written_straight_are_what_the_renderer_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """`_Picture` writes the cards' layers itself: the page's operators are the renderer's."""
    from reportlab.pdfgen.canvas import Canvas

    from coprod_desktop.report import canvas_drawing as module

    cards = [
        Card(
            id=f"c{n}",
            kind=CardKind.STAKEHOLDER if n % 3 else CardKind.DECISION,
            text=f"Card {n}",
            role=list(RoleGroup)[n % len(RoleGroup)] if n % 3 else None,
            now_x=(n * 37) % 1000,
            now_y=(n * 91) % 1000,
            aspiration_x=(n * 53) % 1000 if n % 4 else None,
            aspiration_y=(n * 17) % 1000 if n % 4 else None,
            position=n,
        )
        for n in range(40)
    ]

    def page(quick: bool) -> list[str]:
        monkeypatch.setattr(module, "_quick", lambda layer: quick)
        canvas = Canvas(None)
        drawing = canvas_drawing(cards, CanvasBackground.PLAN_DELIVER, 480, 600)
        drawing.drawOn(canvas, 20, 30)
        # The renderer puts each layer (a group) in a saved state of its own, moved by nothing.
        operators = " ".join(canvas._code).replace("1 0 0 1 0 0 cm", "").split()
        return [op for op in operators if op not in ("q", "Q")]

    quick = page(True)
    assert quick == page(False)
    assert len(quick) > 2000
