"""The readiness check: each condition, its status and the recommendation."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import (
    Paragraph,
)
from reportlab.platypus.flowables import Flowable

from ...domain import readiness as readiness_rules
from ...domain.i18n import _, ngettext, number
from ...domain.model import (
    StepKind,
)
from ..markup import esc
from .base import PIECE, ReportContext, h1, h2, muted, table

# --- readiness --------------------------------------------------------------------------

STATUS_MARK = {
    readiness_rules.Status.IN_PLACE: "✓",
    readiness_rules.Status.PARTLY: "◐",
    readiness_rules.Status.MISSING: "✗",
    readiness_rules.Status.UNRATED: "?",
}


def readiness_label(mean: float | None) -> str:
    if mean is None:
        return "–"
    scale = readiness_rules.READINESS_SCALE
    nearest = scale[max(0, min(len(scale) - 1, round(mean)))]
    return f"{number(mean)} ({_(nearest)})"


def readiness(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    items = session.readiness_items
    if not ctx.shows(StepKind.READINESS, bool(items)) or not items:
        return []
    sheet = ctx.sheet
    recommendation = readiness_rules.recommend(session)
    flowables = h1(ctx, ctx.section_title(StepKind.READINESS, _("Should we co-produce?")))
    flowables.append(
        Paragraph(
            esc(
                _(
                    "Co-production needs the right conditions. The group rated each one; the app turns the "
                    "ratings into a recommendation by the rules printed below."
                )
            ),
            sheet.lead_in,
        )
    )
    flowables.append(Paragraph(ctx.text(recommendation.headline), sheet.callout))
    average = sheet.base * 8.5
    votes = sheet.base * 4
    status_width = sheet.base * 8.5
    if ctx.large_print:
        header: list[Any] = [_("Condition"), _("Average"), _("Status")]
        widths = [ctx.width - average - status_width, average, status_width]
    else:
        header = [_("Condition"), _("Average"), _("Votes"), _("Status")]
        widths = [ctx.width - average - votes - status_width, average, votes, status_width]
    rows: list[list[Any]] = [header]
    for condition in recommendation.conditions:
        status = condition.status
        described: Any
        if len(condition.item.description) > PIECE:  # in pieces: the table moves the rest below it
            described = [
                Paragraph(f"<b>{ctx.text(condition.item.title)}</b>", sheet.cell),
                *ctx.flow(condition.item.description, sheet.cell_small),
            ]
        else:
            described = None
        title = f"<b>{ctx.text(condition.item.title)}</b><br/>" + muted(
            ctx, ctx.text(condition.item.description)
        )
        mark = Paragraph(f"<b>{STATUS_MARK[status]}</b> {esc(status.label)}", sheet.cell)
        mean = readiness_label(condition.mean)
        if ctx.large_print:
            votes_text = ngettext("{n} vote", "{n} votes", condition.votes).format(n=condition.votes)
            average_text = f"{esc(mean)}<br/>{esc(votes_text)}"
            shown = described or Paragraph(title, sheet.cell)
            rows.append([shown, Paragraph(average_text, sheet.cell), mark])
        else:
            shown = described or Paragraph(title, sheet.cell)
            rows.append([shown, Paragraph(mean, sheet.cell), str(condition.votes), mark])
    right = [] if ctx.large_print else [("ALIGN", (2, 0), (2, -1), "RIGHT")]
    flowables.append(table(ctx, rows, widths, extra=right))
    flowables.append(h2(ctx, esc(_("How the recommendation is made"))))
    scale = readiness_rules.READINESS_SCALE
    flowables.append(
        Paragraph(
            esc(
                _("Ratings run from 0 ({lowest}) to 4 ({highest}).").format(
                    lowest=_(scale[0]), highest=_(scale[-1])
                )
            ),
            sheet.body,
        )
    )
    flowables.extend(Paragraph(esc(rule), sheet.bullet, bulletText="•") for rule in readiness_rules.rules())
    return flowables
