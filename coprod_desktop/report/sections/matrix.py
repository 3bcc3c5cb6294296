"""The assessment matrix: heat map, role split, and where the ratings place the work.

Nothing here computes a result. Every figure, flag and rule comes from `domain.matrix`
(cell results, revealed-only averages, the placement), `domain.voting` (turnout) and
`domain.words` (the words and the one-decimal format), the very functions the laptop and
the projector show; so paper and screen cannot disagree. As on screen, a box the
facilitator did not reveal shows only how many voted, and no average counts it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)
from reportlab.platypus.flowables import Flowable

from ...domain import words
from ...domain.i18n import _, ngettext
from ...domain.ladder import RUNG_BY_KEY
from ...domain.matrix import (
    GAP_FROM,
    CellResult,
    MatrixResults,
    average_text,
    classify_results,
    column_means,
    heat_colour,
    matrix_results,
    mean_of_cells,
    overall_role_split,
    placement_note,
    row_means,
    text_colour_for,
    turnout_sentence,
)
from ...domain.model import StepKind
from ..markup import esc
from .base import (
    INK,
    RULE,
    TINT,
    ReportContext,
    cell,
    h1,
    h2,
    table,
)

# --- the matrix -------------------------------------------------------------------------


def matrix(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    criteria, stages = session.criteria, session.stages
    has_grid = bool(criteria and stages)
    if not ctx.shows(StepKind.MATRIX, has_grid) or not has_grid:
        return []
    sheet = ctx.sheet
    results = matrix_results(session)
    scale = results.scale
    points = max(len(scale), 2)
    flowables = h1(ctx, ctx.section_title(StepKind.MATRIX, _("How do we work now?")))
    low = f"0 ({ctx.text(scale[0])})" if scale else "0"
    high = f"{points - 1} ({ctx.text(scale[-1])})" if scale else str(points - 1)
    intro = _(
        "The group rated how equally we work on each sign of co-production (rows) at each stage "
        "(columns), from {low} to {high}. Each box shows the average rating; the darker the box, "
        "the lower it is. {spread} says how far apart the votes were; “{split}” marks "
        "boxes where the room was divided."
    )
    flowables.append(
        Paragraph(
            esc(intro).format(
                low=low, high=high, spread="<i>" + esc(_("Spread")) + "</i>", split=esc(_(words.VIEWS_DIFFER))
            ),
            sheet.lead_in,
        )
    )
    turnout = Paragraph(esc(turnout_text(results)), sheet.small)
    if ctx.large_print:
        flowables.append(KeepTogether([scale_key(ctx, scale)]))
        flowables.append(Spacer(1, sheet.base * 0.6))
        flowables.append(turnout)
        flowables.extend(matrix_by_criterion(ctx, results))
    else:
        # The heading, the key and the heat map on one page where they fit: a heat map cut
        # after its first row is hard to read. (A grid taller than a page still splits.)
        opening = [
            *flowables[1:],
            scale_key(ctx, scale),
            Spacer(1, sheet.base * 0.6),
            heat_map(ctx, results),
            Spacer(1, sheet.base * 0.3),
            turnout,
        ]
        flowables = [flowables[0], KeepTogether(opening)]
        flowables.extend(split_table(ctx, results))
    flowables.extend(classification(ctx, results))
    return flowables


def turnout_text(results: MatrixResults) -> str:
    """The matrix's turnout as the laptop and the projector say it, and how many boxes stayed hidden."""
    cells = list(results.all_cells())
    text = turnout_sentence(cells)
    hidden = sum(1 for c in cells if c.voters and not c.revealed)
    if hidden:
        more = ngettext(
            "{n} box with votes was not revealed in the room: it shows only how many voted.",
            "{n} boxes with votes were not revealed in the room: they show only how many voted.",
            hidden,
        ).format(n=hidden)
        text = f"{text} {more}"
    return text


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def scale_key(ctx: ReportContext, scale: Sequence[str]) -> Table:
    sheet = ctx.sheet
    points = max(len(scale), 2)
    row: list[Any] = []
    extra: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for index, label in enumerate(scale):
        colour = heat_colour(index / (points - 1))
        ink = text_colour_for(colour)
        row.append(Paragraph(f"<font color='{ink}'><b>{index}</b><br/>{ctx.text(label)}</font>", sheet.heat))
        extra.append(("BACKGROUND", (index, 0), (index, 0), colors.HexColor(colour)))
    width = ctx.width / max(len(row), 1)
    if ctx.large_print:
        rows = [[item] for item in row]
        extra = [("BACKGROUND", (0, i), (0, i), cmd[3]) for i, cmd in enumerate(extra[1:])]
        return table(ctx, rows, [ctx.width * 0.6], header=False, extra=extra, grid=False, mirror=False)
    return table(ctx, [row], [width] * len(row), header=False, extra=extra, grid=False, mirror=False)


def heat_cell(ctx: ReportContext, result: CellResult, points: int) -> tuple[Paragraph, str | None]:
    """A heat map box, as the screen's box shows it: the average, votes, spread and a flag;
    before the reveal only the turnout. Returns the paragraph and its background colour."""
    sheet = ctx.sheet
    if not result.revealed:
        lines = [_(words.NOT_REVEALED), result.progress_text]
        return Paragraph(f"<font color='#333333'>{'<br/>'.join(map(esc, lines))}</font>", sheet.heat), None
    if result.mean is None:
        return Paragraph(f"<font color='#555555'>–<br/>{esc(_(words.NO_VOTES))}</font>", sheet.heat), None
    colour = heat_colour(result.level or 0.0)
    ink = text_colour_for(colour)
    big = sheet.cell_size * 1.45
    lines = [
        f"<font size='{big}'><b>{average_text(result.mean, points)}</b></font>",
        esc(ngettext("{n} vote", "{n} votes", result.rated).format(n=result.rated)),
        esc(words.spread_text(result.summary.spread)),
    ]
    if result.disagreement:
        lines.append(f"<b>{esc(_(words.VIEWS_DIFFER))}</b>")
    return Paragraph(f"<font color='{ink}'>{'<br/>'.join(lines)}</font>", sheet.heat), colour


def average_cell(ctx: ReportContext, mean: float | None, points: int) -> tuple[Paragraph, str | None]:
    """A row, stage or whole-matrix average (revealed boxes only), framed as on screen."""
    sheet = ctx.sheet
    if mean is None:
        return Paragraph(words.NONE_SHOWN, sheet.heat), None
    colour = heat_colour(mean / (points - 1))
    ink = text_colour_for(colour)
    return Paragraph(f"<font color='{ink}'><b>{average_text(mean, points)}</b></font>", sheet.heat), colour


# A stage title heads a narrow column, which repeats on every page and cannot break across
# one: it is cut short there (a title of thousands of characters once stopped the PDF).
HEADER_MOST = 80


def heat_map(ctx: ReportContext, results: MatrixResults) -> Table:
    sheet = ctx.sheet
    points = max(len(results.scale), 2)
    stages = results.stages
    label_width = min(ctx.width * 0.24, sheet.base * 12)
    average_width = min(ctx.width * 0.1, sheet.base * 5.5)
    column = (ctx.width - label_width - average_width) / len(stages)
    rows: list[list[Any]] = [
        [""]
        + [Paragraph(ctx.brief(stage.title, HEADER_MOST), sheet.cell_head) for stage in stages]
        + [Paragraph(_("Average"), sheet.cell_head)]
    ]
    last = len(stages) + 1
    extra: list[tuple[Any, ...]] = [
        ("GRID", (1, 1), (-1, -1), 1.5, colors.white),
        ("VALIGN", (1, 1), (-1, -1), "MIDDLE"),
    ]
    for row, (criterion, mean) in enumerate(zip(results.criteria, row_means(results), strict=True), start=1):
        line: list[Any] = [Paragraph(ctx.text(criterion.title), sheet.cell_bold)]
        for col, result in enumerate(results.cells[row - 1], start=1):
            content, colour = heat_cell(ctx, result, points)
            line.append(content)
            extra.append(("BACKGROUND", (col, row), (col, row), colors.HexColor(colour or "#ECEAE4")))
        content, colour = average_cell(ctx, mean, points)
        line.append(content)
        if colour is not None:
            extra.append(("BACKGROUND", (last, row), (last, row), colors.HexColor(colour)))
        rows.append(line)
    bottom = len(rows)
    averages: list[Any] = [Paragraph(_("Average of the stage"), sheet.cell_bold)]
    means = [*column_means(results), mean_of_cells(results.all_cells())]
    for col, mean in enumerate(means, start=1):
        content, colour = average_cell(ctx, mean, points)
        averages.append(content)
        if colour is not None:
            extra.append(("BACKGROUND", (col, bottom), (col, bottom), colors.HexColor(colour)))
    rows.append(averages)
    extra.append(("LINEABOVE", (0, bottom), (-1, bottom), 1.0, INK))
    extra.append(("LINEBEFORE", (last, 0), (last, -1), 1.0, INK))
    return table(
        ctx, rows, [label_width] + [column] * len(stages) + [average_width], extra=extra, mirror=False
    )


def split_text(result: CellResult) -> str:
    """The role split of a revealed box: each side's average, and the gap where it is large."""
    if not result.revealed:
        return esc(_(words.NOT_REVEALED))
    split = result.split
    if split.lived_experience is None and split.professional is None:
        return words.NONE_SHOWN
    text = (
        f"{_capital(_(words.LIVED))} {words.one_decimal(split.lived_experience)}<br/>"
        f"{_capital(_(words.STAFF))} {words.one_decimal(split.professional)}"
    )
    if result.big_gap:
        text += f"<br/><b>{esc(words.gap_text(split.lived_experience, split.professional))}</b>"
    return text


def split_table(ctx: ReportContext, results: MatrixResults) -> list[Flowable]:
    sheet = ctx.sheet
    known = [
        r
        for r in results.all_cells()
        if r.revealed and (r.split.lived_experience is not None or r.split.professional is not None)
    ]
    if not known:
        return [
            Spacer(1, sheet.base * 0.5),
            Paragraph(
                esc(
                    _(
                        "There is no split by role: no revealed box has ratings whose side is known (counted "
                        "hands carry no names, and a secret ballot shows a side only with at least three "
                        "voters on each)."
                    )
                ),
                sheet.small,
            ),
        ]
    stages = results.stages
    label_width = min(ctx.width * 0.26, sheet.base * 13)
    column = (ctx.width - label_width) / len(stages)
    headers = [Paragraph(ctx.brief(stage.title, HEADER_MOST), sheet.cell_head) for stage in stages]
    rows: list[list[Any]] = [["", *headers]]
    extra: list[tuple[Any, ...]] = [("GRID", (1, 1), (-1, -1), 0.4, RULE)]
    for row, criterion in enumerate(results.criteria, start=1):
        line: list[Any] = [Paragraph(ctx.text(criterion.title), sheet.cell_bold)]
        for col, result in enumerate(results.cells[row - 1], start=1):
            line.append(Paragraph(split_text(result), sheet.cell_centre))
            if result.revealed and result.big_gap:
                extra.append(("BACKGROUND", (col, row), (col, row), TINT))
        rows.append(line)
    overall = overall_role_split(results.all_cells())
    sentence = words.split_sentence(overall.lived_experience, overall.professional)
    gap_from = words.one_decimal(GAP_FROM * max(len(results.scale) - 1, 1))
    flowables: list[Flowable] = [
        h2(ctx, _("Lived experience and staff, side by side")),
        Paragraph(
            esc(
                _(
                    "The average rating given by people with lived experience (people who use services, "
                    "carers and community members) and by staff (frontline staff, managers and "
                    "researchers). A gap of {gap} or more is written out and shaded: it shows the two "
                    "groups see the same work differently."
                )
            ).format(gap=gap_from),
            sheet.lead_in,
        ),
        table(ctx, rows, [label_width] + [column] * len(stages), extra=extra, mirror=False),
    ]
    if sentence:
        flowables.append(Spacer(1, sheet.base * 0.3))
        flowables.append(Paragraph(esc(sentence), sheet.body))
    return flowables


def matrix_by_criterion(ctx: ReportContext, results: MatrixResults) -> list[Flowable]:
    """The large print matrix: one small table per row of the grid, so the type can stay big."""
    sheet = ctx.sheet
    points = max(len(results.scale), 2)
    flowables: list[Flowable] = []
    widths = [ctx.width * 0.34, ctx.width * 0.33, ctx.width * 0.33]
    for row, (criterion, mean) in enumerate(zip(results.criteria, row_means(results), strict=True)):
        rows: list[list[Any]] = [[_("Stage"), _("Average"), _("Lived · staff")]]
        extra: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        for line, result in enumerate(results.cells[row], start=1):
            content, colour = heat_cell(ctx, result, points)
            rows.append(
                [cell(ctx, result.stage.title), content, Paragraph(split_text(result), sheet.cell_centre)]
            )
            if colour is not None:
                extra.append(("BACKGROUND", (1, line), (1, line), colors.HexColor(colour)))
        content, colour = average_cell(ctx, mean, points)
        rows.append([Paragraph(esc(_("Average of the row")), sheet.cell_bold), content, ""])
        if colour is not None:
            extra.append(("BACKGROUND", (1, len(rows) - 1), (1, len(rows) - 1), colors.HexColor(colour)))
        flowables.append(
            KeepTogether([h2(ctx, ctx.text(criterion.title)), table(ctx, rows, widths, extra=extra)])
        )
    rows = [[_("Stage"), _("Average"), ""]]
    extra = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for line, (stage, mean) in enumerate(zip(results.stages, column_means(results), strict=True), start=1):
        content, colour = average_cell(ctx, mean, points)
        rows.append([cell(ctx, stage.title), content, ""])
        if colour is not None:
            extra.append(("BACKGROUND", (1, line), (1, line), colors.HexColor(colour)))
    content, colour = average_cell(ctx, mean_of_cells(results.all_cells()), points)
    rows.append([Paragraph(esc(_("The whole matrix")), sheet.cell_bold), content, ""])
    if colour is not None:
        extra.append(("BACKGROUND", (1, len(rows) - 1), (1, len(rows) - 1), colors.HexColor(colour)))
    flowables.append(
        KeepTogether([h2(ctx, _("Average of each stage")), table(ctx, rows, widths, extra=extra)])
    )
    return flowables


def classification(ctx: ReportContext, results: MatrixResults) -> list[Flowable]:
    session = ctx.session
    sheet = ctx.sheet
    flowables: list[Flowable] = [
        KeepTogether([h2(ctx, _("What the ratings suggest")), *placement(ctx, results)])
    ]
    agreed = session.matrix.agreed_rung.strip()
    reason = session.matrix.agreed_reason.strip()
    if agreed or reason:
        flowables.append(h2(ctx, esc(_("What we agreed"))))
        if agreed:
            rung = RUNG_BY_KEY.get(agreed)
            name = _(rung.name) if rung is not None else agreed
            closest = esc(_("How we work now is closest to: {rung}")).format(rung=ctx.text(name))
            flowables.append(Paragraph(closest, sheet.callout))
        if reason:
            flowables.extend(ctx.flow(reason, sheet.body, lines=True))
    return flowables


def placement(ctx: ReportContext, results: MatrixResults) -> list[Flowable]:
    """The placement by `domain.matrix.classify_results`, its reason, the note on reading the
    rules, and every rule with whether it held: the panel under the screen's grid, on paper."""
    sheet = ctx.sheet
    found = classify_results(results)
    if found is None:
        return [Paragraph(_("No box has a revealed rating yet, so the rules place nothing."), sheet.small)]
    flowables: list[Flowable] = [
        Paragraph(
            esc(_("By the rules below, the ratings place our work at: {place}")).format(
                place=ctx.text(_(found.name))
            ),
            sheet.callout,
        ),
        Paragraph(ctx.text(found.reason), sheet.body),
        Paragraph(esc(placement_note(results.all_cells(), results.scale)), sheet.small),
    ]
    for rule in found.rules:
        mark = esc(_(words.HOLDS) if rule.held else _(words.DOES_NOT_HOLD))
        if rule.rung == found.rung:
            line = f"<b>{mark}: {ctx.text(rule.text)} {esc(_(words.PLACES_THE_WORK))}</b>"
        else:
            line = f"{mark}: {ctx.text(rule.text)}"
        flowables.append(Paragraph(line, sheet.bullet, bulletText="•"))
    return flowables
