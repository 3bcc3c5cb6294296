"""The "Which is it?" scenarios with the room's votes and the answers."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Spacer,
)
from reportlab.platypus.flowables import Flowable

from ...domain.i18n import _, ngettext
from ...domain.matrix import heat_colour
from ...domain.model import (
    StepKind,
)
from ...domain.scenarios import ScenarioResult, scenario_result, term_name
from ...domain.voting import scenario_question, turnout
from ..markup import clean, esc
from .base import NOT_REVEALED, PIECE, TINT, Bar, ReportContext, h1, h2, table

# --- scenarios --------------------------------------------------------------------------


def scenarios(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    items = session.scenarios
    if not ctx.shows(StepKind.SCENARIOS, bool(items)) or not items:
        return []
    sheet = ctx.sheet
    flowables = h1(ctx, ctx.section_title(StepKind.SCENARIOS, _("Which is it?")))
    if ctx.facilitator:
        intro = _(
            "For each short story, the group voted on which word fits best. Below are the votes, the answer "
            "and why. Stories marked “{mark}” were voted on but their results were not shown "
            "on the day; they are here so the record is complete."
        )
    else:
        intro = _(
            "For each short story, the group voted on which word fits best. Below are the votes, the "
            "answer and why. Stories marked “{mark}” were voted on but their results were not shown "
            "on the day, so this summary shows only how many voted, as the screen did."
        )
    flowables.append(Paragraph(esc(intro.format(mark=_(NOT_REVEALED))), sheet.lead_in))
    for number_, scenario in enumerate(items, start=1):
        flowables.extend(scenario_block(ctx, number_, scenario_result(session, scenario)))
    return flowables


def scenario_block(ctx: ReportContext, position: int, result: ScenarioResult) -> list[Flowable]:
    sheet = ctx.sheet
    session = ctx.session
    scenario = result.scenario
    story_title = scenario.title or _("Untitled story")
    title = f"{position}. {ctx.text(story_title)}"
    block: list[Flowable] = [h2(ctx, title, f"{position}. {' '.join(clean(scenario.title).split())}")]
    hidden = not result.revealed and result.total > 0
    if hidden:
        said = turnout(session, scenario_question(scenario.id)).text
        block.append(Paragraph("◌ " + esc(f"{_(NOT_REVEALED)}: {said}."), sheet.small))
    if scenario.text.strip():
        block.extend(ctx.flow(scenario.text, sheet.story, lines=True))
    if hidden and not ctx.facilitator:
        pass  # blind until revealed, on paper as on screen: the turnout above, no counts
    elif result.total:
        top = max(count for _, count in result.counts)
        name_width = sheet.base * (13 if ctx.large_print else 15)
        count_width = sheet.base * 4.5
        mark_width = sheet.base * (6 if ctx.large_print else 6.5)
        bar_width = ctx.width - name_width - count_width - mark_width
        rows: list[list[Any]] = [[_("Word"), _("Votes"), "", ""]]
        extra: list[tuple[Any, ...]] = [
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
        for row, (key, count) in enumerate(result.counts, start=1):
            answer = key == scenario.answer
            name = ctx.brief(term_name(session, key))  # in full under "The words we used"
            rows.append(
                [
                    Paragraph(f"<b>{name}</b>" if answer else name, sheet.cell),
                    str(count),
                    Bar(
                        count / top if top else 0,
                        bar_width - 2 * sheet.padding,
                        sheet.cell_size * 0.9,
                        heat_colour(0.2) if answer else heat_colour(0.6),
                    ),
                    Paragraph("<b>" + esc(_("✓ Answer")) + "</b>", sheet.cell) if answer else "",
                ]
            )
            if answer:
                extra.append(("BACKGROUND", (0, row), (-1, row), TINT))
        block.append(table(ctx, rows, [name_width, count_width, bar_width, mark_width], extra=extra))
        share = result.share_correct
        if share is not None and scenario.answer:
            block.append(Spacer(1, sheet.base * 0.3))
            block.append(
                Paragraph(
                    esc(
                        ngettext(
                            "{correct} of {n} vote chose the answer ({share}).",
                            "{correct} of {n} votes chose the answer ({share}).",
                            result.total,
                        ).format(correct=result.correct, n=result.total, share=f"{share:.0%}")
                    ),
                    sheet.small,
                )
            )
    else:
        block.append(Paragraph(esc(_("No votes were recorded for this story.")), sheet.small))
    answer_text = ""
    if scenario.answer:
        said = esc(_("The answer: {term}.")).format(term=ctx.text(term_name(session, scenario.answer)))
        answer_text = f"<b>{said}</b> "
    if len(scenario.explanation) > PIECE:  # a long explanation flows in pieces, after the answer
        if answer_text:
            block.append(Paragraph(answer_text, sheet.body))
        block.extend(ctx.flow(scenario.explanation, sheet.body))
    elif answer_text or scenario.explanation.strip():
        block.append(Paragraph(answer_text + ctx.text(scenario.explanation), sheet.body))
    # A story stays on one page with its votes, unless it is too long or the type is large:
    # large print would then leave half of every page empty.
    size = len(scenario.text) + len(scenario.explanation)
    return [KeepTogether(block)] if size < 1500 and not ctx.large_print else block
