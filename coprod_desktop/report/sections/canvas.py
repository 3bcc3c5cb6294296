"""The power-sharing canvas, drawn, with its plain reading and the list of cards."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import (
    Paragraph,
)
from reportlab.platypus.flowables import Flowable

from ...domain.canvas import reading
from ...domain.model import (
    Card,
    StepKind,
)
from ..canvas_drawing import canvas_drawing
from ..canvas_look import canvas_look
from ..markup import esc
from .base import ReportContext, h1, h2, h2_loose, table

# --- the canvas -------------------------------------------------------------------------


def canvas_section(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    cards = session.cards
    if not ctx.shows(StepKind.CANVAS, bool(cards)):
        return []
    sheet = ctx.sheet
    background = session.canvas.background
    flowables = h1(ctx, ctx.section_title(StepKind.CANVAS, "Who holds the power?"), new_page=bool(cards))
    if not cards:
        flowables.append(Paragraph("No cards were placed on the canvas.", sheet.body))
        return flowables
    intro = Paragraph(
        "Each card is a person, a group or a decision. A hollow shape shows where it sits now; a filled "
        "shape shows where we want it to be, with an arrow for the change. The numbers lead to the list "
        "of cards.",
        sheet.lead_in,
    )
    size = 11.0 if ctx.large_print else 7.5
    if ctx.large_print:  # the picture first, as big as the page allows; the words after it
        flowables.append(
            canvas_drawing(cards, background, ctx.width, ctx.height - sheet.base * 4.5, font_size=size)
        )
        flowables.append(intro)
    else:
        flowables.append(intro)
        flowables.append(canvas_drawing(cards, background, ctx.width, ctx.height * 0.78, font_size=size))
    flowables.extend(canvas_reading(ctx))
    flowables.extend(card_table(ctx, cards))
    return flowables


READING_LIMIT = 12  # cards named in the reading; the table lists every card anyway


def canvas_reading(ctx: ReportContext) -> list[Flowable]:
    """The canvas's plain reading, word for word as `domain.canvas.reading` gives it."""
    lines = reading(ctx.session, limit=READING_LIMIT)
    if not lines:
        return []
    flowables: list[Flowable] = [h2(ctx, "What the canvas tells us")]
    flowables.extend(Paragraph(ctx.text(line), ctx.sheet.bullet, bulletText="•") for line in lines)
    return flowables


def card_table(ctx: ReportContext, cards: Sequence[Card]) -> list[Flowable]:
    sheet = ctx.sheet
    look = canvas_look(ctx.session.canvas.background)
    number_width = sheet.base * 2.8
    rows: list[list[Any]] = []
    for index, card in enumerate(cards, start=1):
        mark = look.mark(card)
        symbol = f"<font color='{mark.colour}'>{mark.symbol}</font>"
        details = f"{symbol} {esc(mark.name)}"
        if ctx.names and card.participant_id in ctx.people:
            details += f" · from {ctx.text(ctx.people[card.participant_id].name)}"
        text = ctx.text(card.text or "(no text)")
        now = esc(look.where(card.now_x, card.now_y))
        aim = esc(look.where(card.aspiration_x, card.aspiration_y))
        number_cell = Paragraph(f"<b>{index}</b>", sheet.cell)
        if ctx.large_print:
            line = f"<b>{text}</b><br/>{details}<br/>Now: {now}<br/>We want: {aim}"
            rows.append([number_cell, Paragraph(line, sheet.cell)])
        else:
            rows.append(
                [
                    number_cell,
                    Paragraph(
                        f"<b>{text}</b><br/><font size='{sheet.small_size}'>{details}</font>", sheet.cell
                    ),
                    Paragraph(now, sheet.cell),
                    Paragraph(aim, sheet.cell),
                ]
            )
    if ctx.large_print:
        header = ["", "Card"]
        widths = [number_width, ctx.width - number_width]
    else:
        header = ["", "Card", "Now", "Where we want it"]
        rest = ctx.width - number_width
        widths = [number_width, rest * 0.4, rest * 0.3, rest * 0.3]
    return [*h2_loose(ctx, "The cards"), table(ctx, [header, *rows], widths)]
