"""The agenda section: the steps of the day with their timings."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import (
    Paragraph,
)
from reportlab.platypus.flowables import Flowable

from ...domain.i18n import _
from ..fonts import BOLD
from ..markup import esc
from ..shaping import text_width
from .base import ReportContext, cell, h1, table

# --- agenda ---------------------------------------------------------------------------


def agenda(ctx: ReportContext) -> list[Flowable]:
    steps = ctx.session.visible_steps
    if not steps:
        return []
    sheet = ctx.sheet
    starts = _("Starts")
    rows: list[list[Any]] = [[starts, _("Step"), _("Time")]]
    elapsed = 0
    for step in steps:
        minutes = max(step.minutes, 0)
        rows.append(
            [
                f"{elapsed // 60}:{elapsed % 60:02d}",
                cell(ctx, step.title or _("Untitled step")),
                _("{minutes} min").format(minutes=minutes) if minutes else "–",
            ]
        )
        elapsed += minutes
    # Wide enough for its heading in any language ("Yn dechrau" ran into "Cam" in Welsh).
    first = max(sheet.base * 5.5, text_width(starts, BOLD, sheet.cell_size) + 2 * sheet.padding + 1)
    last = sheet.base * 6
    flowables = h1(ctx, _("Agenda"))
    if elapsed:
        hours, minutes = divmod(elapsed, 60)
        if hours:
            length = _("{hours} h {minutes} min").format(hours=hours, minutes=f"{minutes:02d}")
        else:
            length = _("{minutes} min").format(minutes=minutes)
        sentence = _("The workshop took about {length}. Times are counted from the start.")
        flowables.append(Paragraph(esc(sentence.format(length=length)), sheet.lead_in))
    flowables.append(
        table(ctx, rows, [first, ctx.width - first - last, last], extra=[("ALIGN", (2, 0), (2, -1), "RIGHT")])
    )
    return flowables
