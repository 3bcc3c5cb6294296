"""The assessment matrix: heat map, role split, and where the ratings place the work."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)
from reportlab.platypus.flowables import Flowable

from ...domain.i18n import _, ngettext
from ...domain.ladder import RUNG_BY_KEY
from ...domain.model import (
    Session,
    StepKind,
)
from ...domain.voting import (
    RatingSummary,
    cell_question,
    is_revealed,
    rating_counts,
    role_split,
    summarise_counts,
    tally,
)
from .. import styles
from ..markup import esc
from .base import (
    DISAGREEMENT,
    INK,
    RULE,
    SPLIT_GAP_SHARE,
    TINT,
    ReportContext,
    _optional_module,
    cell,
    h1,
    h2,
    number,
    rich_text,
    table,
)

# --- the matrix -------------------------------------------------------------------------


@dataclass(frozen=True)
class CellResult:
    summary: RatingSummary
    counts: Counter[str]
    revealed: bool
    lived: float | None
    staff: float | None
    gap_from: float  # a gap between the two groups this large is called out

    @property
    def big_gap(self) -> bool:
        if self.lived is None or self.staff is None:
            return False
        return abs(self.staff - self.lived) >= self.gap_from


def matrix_results(session: Session) -> dict[tuple[str, str], CellResult]:
    points = len(session.matrix.scale)
    found: dict[tuple[str, str], CellResult] = {}
    for criterion in session.criteria:
        for stage in session.stages:
            question = cell_question(criterion.id, stage.id)
            counts = tally(session, question)
            split = role_split(session, question)
            found[(criterion.id, stage.id)] = CellResult(
                summarise_counts(rating_counts(counts), points),
                counts,
                is_revealed(session, question),
                split.lived_experience,
                split.professional,
                gap_threshold(points),
            )
    return found


def gap_threshold(points: int) -> float:
    """The gap between lived experience and staff that is called out: a quarter of the scale."""
    return SPLIT_GAP_SHARE * max(points - 1, 1)


def shown(value: float | None) -> float | None:
    """A rating as the app shows it: the scale's own numbers, 0 at the bottom (as the rules say)."""
    return value


def matrix(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    criteria, stages = session.criteria, session.stages
    has_grid = bool(criteria and stages)
    if not ctx.shows(StepKind.MATRIX, has_grid) or not has_grid:
        return []
    sheet = ctx.sheet
    scale = session.matrix.scale
    points = max(len(scale), 2)
    results = matrix_results(session)
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
                low=low, high=high, spread="<i>" + esc(_("Spread")) + "</i>", split=esc(_(DISAGREEMENT))
            ),
            sheet.lead_in,
        )
    )
    if ctx.large_print:
        flowables.append(KeepTogether([scale_key(ctx, scale)]))
        flowables.append(Spacer(1, sheet.base * 0.6))
        flowables.extend(matrix_by_criterion(ctx, results, points))
    else:
        # The heading, the key and the heat map on one page where they fit: a heat map cut
        # after its first row is hard to read. (A grid taller than a page still splits.)
        opening = [
            *flowables[1:],
            scale_key(ctx, scale),
            Spacer(1, sheet.base * 0.6),
            heat_map(ctx, results, points),
        ]
        flowables = [flowables[0], KeepTogether(opening)]
        flowables.extend(split_table(ctx, results))
    hidden = sum(1 for result in results.values() if result.summary.votes and not result.revealed)
    if hidden:
        flowables.append(
            Paragraph(
                "* "
                + esc(
                    ngettext(
                        "{n} box had votes that were not revealed in the room.",
                        "{n} boxes had votes that were not revealed in the room.",
                        hidden,
                    ).format(n=hidden)
                ),
                sheet.small,
            )
        )
    flowables.extend(classification(ctx))
    return flowables


def scale_key(ctx: ReportContext, scale: Sequence[str]) -> Table:
    sheet = ctx.sheet
    points = max(len(scale), 2)
    row: list[Any] = []
    extra: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for index, label in enumerate(scale):
        colour = styles.heat_colour(index / (points - 1))
        ink = styles.text_colour_on(colour)
        row.append(Paragraph(f"<font color='{ink}'><b>{index}</b><br/>{ctx.text(label)}</font>", sheet.heat))
        extra.append(("BACKGROUND", (index, 0), (index, 0), colors.HexColor(colour)))
    width = ctx.width / max(len(row), 1)
    if ctx.large_print:
        rows = [[item] for item in row]
        extra = [("BACKGROUND", (0, i), (0, i), cmd[3]) for i, cmd in enumerate(extra[1:])]
        return table(ctx, rows, [ctx.width * 0.6], header=False, extra=extra, grid=False)
    return table(ctx, [row], [width] * len(row), header=False, extra=extra, grid=False)


def heat_cell(ctx: ReportContext, result: CellResult, points: int) -> tuple[Paragraph, str | None]:
    """A heat map box: average, votes, spread and a flag; and its background colour."""
    sheet = ctx.sheet
    summary = result.summary
    if not summary.votes or summary.mean is None:
        nothing = esc(_("no votes"))
        return Paragraph(f"<font color='#555555'>–<br/>{nothing}</font>", sheet.heat), None
    colour = styles.heat_colour(summary.mean / (points - 1))
    ink = styles.text_colour_on(colour)
    big = sheet.cell_size * 1.45
    star = "*" if not result.revealed else ""
    lines = [
        f"<font size='{big}'><b>{number(shown(summary.mean))}{star}</b></font>",
        esc(ngettext("{n} vote", "{n} votes", summary.votes).format(n=summary.votes)),
        esc(_("spread {spread}").format(spread=number(summary.spread))),
    ]
    if summary.disagreement:
        lines.append(f"<b>{esc(_(DISAGREEMENT))}</b>")
    return Paragraph(f"<font color='{ink}'>{'<br/>'.join(lines)}</font>", sheet.heat), colour


def heat_map(ctx: ReportContext, results: dict[tuple[str, str], CellResult], points: int) -> Table:
    session = ctx.session
    sheet = ctx.sheet
    stages = session.stages
    label_width = min(ctx.width * 0.26, sheet.base * 13)
    column = (ctx.width - label_width) / len(stages)
    rows: list[list[Any]] = [[""] + [Paragraph(ctx.text(stage.title), sheet.cell_head) for stage in stages]]
    extra: list[tuple[Any, ...]] = [
        ("GRID", (1, 1), (-1, -1), 1.5, colors.white),
        ("VALIGN", (1, 1), (-1, -1), "MIDDLE"),
    ]
    for row, criterion in enumerate(session.criteria, start=1):
        line: list[Any] = [Paragraph(ctx.text(criterion.title), sheet.cell_bold)]
        for col, stage in enumerate(stages, start=1):
            content, colour = heat_cell(ctx, results[(criterion.id, stage.id)], points)
            line.append(content)
            if colour is not None:
                extra.append(("BACKGROUND", (col, row), (col, row), colors.HexColor(colour)))
        rows.append(line)
    averages: list[Any] = [Paragraph(esc(_("Average of the stage")), sheet.cell_bold)]
    bottom = len(rows)
    for col, stage in enumerate(stages, start=1):
        means = [
            r.summary.mean for (_, s), r in results.items() if s == stage.id and r.summary.mean is not None
        ]
        if not means:
            averages.append(Paragraph("–", sheet.heat))
            continue
        mean = statistics.fmean(means)
        colour = styles.heat_colour(mean / (points - 1))
        ink = styles.text_colour_on(colour)
        averages.append(Paragraph(f"<font color='{ink}'><b>{number(shown(mean))}</b></font>", sheet.heat))
        extra.append(("BACKGROUND", (col, bottom), (col, bottom), colors.HexColor(colour)))
    rows.append(averages)
    extra.append(("LINEABOVE", (0, bottom), (-1, bottom), 1.0, INK))
    return table(ctx, rows, [label_width] + [column] * len(stages), extra=extra)


def split_text(result: CellResult) -> str:
    lived, staff = shown(result.lived), shown(result.staff)
    if lived is None and staff is None:
        return "–"
    # Translators: "lived experience", short, in a small table cell.
    text = esc(_("Lived {value}").format(value=number(lived))) + "<br/>"
    text += esc(_("Staff {value}").format(value=number(staff)))
    if lived is not None and staff is not None and result.big_gap:
        gap = staff - lived
        if gap:
            template = _("Staff +{gap}") if gap > 0 else _("Lived +{gap}")
            text += f"<br/><b>{esc(template.format(gap=number(abs(gap))))}</b>"
    return text


def split_table(ctx: ReportContext, results: dict[tuple[str, str], CellResult]) -> list[Flowable]:
    session = ctx.session
    sheet = ctx.sheet
    if all(r.lived is None and r.staff is None for r in results.values()):
        return [
            Spacer(1, sheet.base * 0.5),
            Paragraph(
                esc(
                    _(
                        "There is no split by role: the votes were counted without names, "
                        "so nobody's role is known."
                    )
                ),
                sheet.small,
            ),
        ]
    stages = session.stages
    label_width = min(ctx.width * 0.26, sheet.base * 13)
    column = (ctx.width - label_width) / len(stages)
    rows: list[list[Any]] = [[""] + [Paragraph(ctx.text(stage.title), sheet.cell_head) for stage in stages]]
    extra: list[tuple[Any, ...]] = [("GRID", (1, 1), (-1, -1), 0.4, RULE)]
    for row, criterion in enumerate(session.criteria, start=1):
        line: list[Any] = [Paragraph(ctx.text(criterion.title), sheet.cell_bold)]
        for col, stage in enumerate(stages, start=1):
            result = results[(criterion.id, stage.id)]
            line.append(Paragraph(split_text(result), sheet.cell_centre))
            if result.big_gap:
                extra.append(("BACKGROUND", (col, row), (col, row), TINT))
        rows.append(line)
    return [
        h2(ctx, esc(_("Lived experience and staff, side by side"))),
        Paragraph(
            esc(
                _(
                    "The average rating given by people with lived experience (people who use services, "
                    "carers and community members) and by staff (frontline staff, managers and "
                    "researchers). A gap of {gap} or more is written out and shaded: it shows "
                    "the two groups see the same work differently."
                ).format(gap=f"{gap_threshold(len(session.matrix.scale)):g}")
            ),
            sheet.lead_in,
        ),
        table(ctx, rows, [label_width] + [column] * len(stages), extra=extra),
    ]


def matrix_by_criterion(
    ctx: ReportContext, results: dict[tuple[str, str], CellResult], points: int
) -> list[Flowable]:
    """The large print matrix: one small table per row of the grid, so the type can stay big."""
    session = ctx.session
    sheet = ctx.sheet
    flowables: list[Flowable] = []
    widths = [ctx.width * 0.34, ctx.width * 0.33, ctx.width * 0.33]
    for criterion in session.criteria:
        rows: list[list[Any]] = [[_("Stage"), _("Average"), _("Lived · staff")]]
        extra: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        for row, stage in enumerate(session.stages, start=1):
            result = results[(criterion.id, stage.id)]
            content, colour = heat_cell(ctx, result, points)
            rows.append([cell(ctx, stage.title), content, Paragraph(split_text(result), sheet.cell_centre)])
            if colour is not None:
                extra.append(("BACKGROUND", (1, row), (1, row), colors.HexColor(colour)))
        flowables.append(
            KeepTogether([h2(ctx, ctx.text(criterion.title)), table(ctx, rows, widths, extra=extra)])
        )
    return flowables


def classification(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    sheet = ctx.sheet
    flowables: list[Flowable] = []
    computed = _computed_classification(ctx)
    if computed:
        flowables.append(KeepTogether([h2(ctx, esc(_("What the ratings suggest"))), *computed]))
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


def _computed_classification(ctx: ReportContext) -> list[Flowable]:
    """The matrix rules' placement (domain/matrix.py `classify`), with every rule and whether it held."""
    module = _optional_module("matrix")
    classify: Callable[[Session], Any] | None = getattr(module, "classify", None) if module else None
    if classify is None:
        return []
    result = classify(ctx.session)
    if result is None:
        nothing = _("No box has a revealed rating yet, so the rules place nothing.")
        return [Paragraph(esc(nothing), ctx.sheet.small)]
    sheet = ctx.sheet
    name = getattr(result, "name", None)
    rules = getattr(result, "rules", None)
    if not isinstance(name, str) or not isinstance(rules, tuple | list):
        return describe_result(ctx, result)
    flowables: list[Flowable] = [
        Paragraph(
            esc(_("By the rules below, the ratings place our work at: {place}")).format(
                place=ctx.text(_(name))
            ),
            sheet.callout,
        )
    ]
    reason = getattr(result, "reason", "")
    if isinstance(reason, str) and reason.strip():
        flowables.extend(ctx.flow(reason, sheet.body))
    flowables.append(
        Paragraph(
            esc(
                _(
                    "The rules, read from the top: the first that holds gives the place. "
                    "Only boxes revealed in the room count."
                )
            ),
            sheet.small,
        )
    )
    chosen = getattr(result, "rung", None)
    for rule in rules:
        held = bool(getattr(rule, "held", False))
        text = ctx.text(str(getattr(rule, "text", rule)))
        mark = esc(_("✓ holds") if held else _("✗ does not hold"))
        line = f"{text} <font color='{styles.MUTED_INK}'>({mark})</font>"
        if getattr(rule, "rung", None) == chosen:
            here = esc(_("✓ holds: this is the place"))
            line = f"<b>{text}</b> <b>({here})</b>"
        flowables.append(Paragraph(line, sheet.bullet, bulletText="•"))
    return flowables


def describe_result(ctx: ReportContext, result: Any) -> list[Flowable]:
    """Our best reading of a domain result object: a headline, then its rules or reasons."""
    sheet = ctx.sheet
    flowables: list[Flowable] = []
    if isinstance(result, str):
        return rich_text(ctx, result)
    headline = ""
    for name in ("headline", "summary", "label", "title", "text"):
        value = getattr(result, name, None)
        if isinstance(value, str) and value.strip():
            headline = value
            break
    rung_key = getattr(result, "rung", None)
    if not headline and isinstance(rung_key, str):
        rung = RUNG_BY_KEY.get(rung_key)
        headline = _(rung.name) if rung is not None else rung_key
    if headline:
        flowables.append(Paragraph(ctx.text(headline), sheet.callout))
    for name in ("reasons", "explanation", "rules", "fired", "applied"):
        value = getattr(result, name, None)
        if isinstance(value, str) and value.strip():
            flowables.extend(rich_text(ctx, value))
        elif isinstance(value, list | tuple):
            for item in value:
                text = item if isinstance(item, str) else getattr(item, "text", None) or str(item)
                flowables.append(Paragraph(ctx.text(str(text)), sheet.bullet, bulletText="•"))
    return flowables
