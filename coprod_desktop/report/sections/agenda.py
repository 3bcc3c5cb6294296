"""The agenda section: the steps of the day with their timings."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import (
    Paragraph,
)
from reportlab.platypus.flowables import Flowable

from .base import ReportContext, cell, h1, table

# --- agenda ---------------------------------------------------------------------------


def agenda(ctx: ReportContext) -> list[Flowable]:
    steps = ctx.session.visible_steps
    if not steps:
        return []
    sheet = ctx.sheet
    rows: list[list[Any]] = [["Starts", "Step", "Time"]]
    elapsed = 0
    for step in steps:
        minutes = max(step.minutes, 0)
        rows.append(
            [
                f"{elapsed // 60}:{elapsed % 60:02d}",
                cell(ctx, step.title or "Untitled step"),
                f"{minutes} min" if minutes else "–",
            ]
        )
        elapsed += minutes
    first = sheet.base * 5.5
    last = sheet.base * 6
    flowables = h1(ctx, "Agenda")
    if elapsed:
        hours, minutes = divmod(elapsed, 60)
        length = f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
        flowables.append(
            Paragraph(f"The workshop took about {length}. Times are counted from the start.", sheet.lead_in)
        )
    flowables.append(
        table(ctx, rows, [first, ctx.width - first - last, last], extra=[("ALIGN", (2, 0), (2, -1), "RIGHT")])
    )
    return flowables
