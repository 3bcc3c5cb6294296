"""The readiness check: each condition, its status and the recommendation."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import (
    Paragraph,
)
from reportlab.platypus.flowables import Flowable

from ...domain import readiness as readiness_rules
from ...domain.model import (
    StepKind,
)
from ..markup import esc, plural
from .base import ReportContext, h1, h2, muted, table

# --- readiness --------------------------------------------------------------------------

STATUS_MARK = {
    readiness_rules.Status.IN_PLACE: "✓",
    readiness_rules.Status.PARTLY: "◐",
    readiness_rules.Status.MISSING: "✗",
    readiness_rules.Status.UNRATED: "?",
}


def readiness(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    items = session.readiness_items
    if not ctx.shows(StepKind.READINESS, bool(items)) or not items:
        return []
    sheet = ctx.sheet
    recommendation = readiness_rules.recommend(session)
    flowables = h1(ctx, ctx.section_title(StepKind.READINESS, "Should we co-produce?"))
    flowables.append(
        Paragraph(
            "Co-production needs the right conditions. The group rated each one; the app turns the ratings "
            "into "
            "a recommendation by the rules printed below.",
            sheet.lead_in,
        )
    )
    flowables.append(Paragraph(ctx.text(recommendation.headline), sheet.callout))
    average = sheet.base * 8.5
    votes = sheet.base * 4
    status_width = sheet.base * 8.5
    if ctx.large_print:
        header: list[Any] = ["Condition", "Average", "Status"]
        widths = [ctx.width - average - status_width, average, status_width]
    else:
        header = ["Condition", "Average", "Votes", "Status"]
        widths = [ctx.width - average - votes - status_width, average, votes, status_width]
    rows: list[list[Any]] = [header]
    for condition in recommendation.conditions:
        status = condition.status
        title = f"<b>{ctx.text(condition.item.title)}</b><br/>" + muted(
            ctx, ctx.text(condition.item.description)
        )
        mark = Paragraph(f"<b>{STATUS_MARK[status]}</b> {esc(status.label)}", sheet.cell)
        mean = readiness_rules.average_label(condition.mean)
        if ctx.large_print:
            average_text = f"{mean}<br/>{plural(condition.votes, 'vote')}"
            rows.append([Paragraph(title, sheet.cell), Paragraph(average_text, sheet.cell), mark])
        else:
            rows.append(
                [Paragraph(title, sheet.cell), Paragraph(mean, sheet.cell), str(condition.votes), mark]
            )
    right = [] if ctx.large_print else [("ALIGN", (2, 0), (2, -1), "RIGHT")]
    flowables.append(table(ctx, rows, widths, extra=right))
    flowables.append(h2(ctx, "How the recommendation is made"))
    flowables.append(
        Paragraph(
            "Ratings run from 0 ("
            + esc(readiness_rules.READINESS_SCALE[0])
            + ") to 4 ("
            + esc(readiness_rules.READINESS_SCALE[-1])
            + ").",
            sheet.body,
        )
    )
    flowables.extend(Paragraph(esc(rule), sheet.bullet, bulletText="•") for rule in readiness_rules.RULES)
    return flowables
