"""What changed since the earlier run: the follow-up's pages of the handout.

Every number and every word comes from `domain.compare`; this module only lays them
out. Each change is printed as a signed number with ▲ or ▼ (or "= no change", or
"too few votes to say"), and its box is tinted from the domain's colour-blind-safe
diverging palette, so the direction never rests on colour and a greyscale print
loses nothing.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Paragraph
from reportlab.platypus.flowables import Flowable

from ...domain.compare import (
    MIN_GROUP,
    MIN_VOTES,
    CardChange,
    Comparison,
    GapChange,
    LineChange,
    MeanChange,
    change_colour,
)
from ...domain.i18n import N_, _
from ...domain.matrix import text_colour_for
from ..markup import esc, format_date
from .base import ReportContext, h1, h2, h2_loose, head, muted, table

__all__ = ["changes_cover", "changes_section", "changes_title"]

# The running head of the report, translated where it is printed.
REPORT_KIND = N_("What changed")


def changes_title(comparison: Comparison) -> str:
    day = format_date(comparison.before_date)
    return _("What changed since {day}").format(day=day) if day else _("What changed since the last run")


def _value(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _coloured(ctx: ReportContext, markup: str, background: str | None) -> Paragraph:
    """A table cell on the change palette, its text black or white for contrast."""
    if background is None:
        return Paragraph(markup, ctx.sheet.cell)
    ink = text_colour_for(background)
    return Paragraph(f"<font color='{ink}'>{markup}</font>", ctx.sheet.cell)


def _tint(background: str | None, column: int, row: int) -> list[tuple[Any, ...]]:
    if background is None:
        return []
    return [("BACKGROUND", (column, row), (column, row), colors.HexColor(background))]


def _gap_words(gap: GapChange) -> str:
    if not gap.enough or gap.before is None or gap.after is None:
        return esc(gap.text)
    return f"{_value(abs(gap.before))} → {_value(abs(gap.after))}<br/>{esc(gap.text)}"


def _lines_table(
    ctx: ReportContext, first: str, lines: tuple[LineChange, ...], points: int
) -> list[Flowable]:
    sheet = ctx.sheet
    number = sheet.base * 3.4
    change = sheet.base * 8
    votes = sheet.base * 5.2
    gap = sheet.base * 10.5
    name = ctx.width - 2 * number - change - votes - gap
    rows: list[list[Any]] = [
        [
            head(ctx, first),
            head(ctx, esc(_("Then"))),
            head(ctx, esc(_("Now"))),
            head(ctx, esc(_("Change"))),
            # Translators: a table's column head over two lines; keep the <br/> where the line breaks.
            head(ctx, _("Ratings<br/>then / now")),
            head(ctx, esc(_("Gap between lived experience and staff"))),
        ]
    ]
    extra: list[tuple[Any, ...]] = []
    for row, line in enumerate(lines, start=1):
        colour = change_colour(line.mean.delta, points)
        rows.append(
            [
                Paragraph(ctx.text(line.title), sheet.cell_bold),
                Paragraph(_value(line.mean.before), sheet.cell_right),
                Paragraph(_value(line.mean.after), sheet.cell_right),
                _coloured(ctx, f"<b>{esc(line.mean.text)}</b>", colour),
                Paragraph(f"{line.mean.votes_before} / {line.mean.votes_after}", sheet.cell_right),
                Paragraph(_gap_words(line.gap), sheet.cell),
            ]
        )
        extra += _tint(colour, 3, row)
    return [table(ctx, rows, [name, number, number, change, votes, gap], extra=extra)]


def _box_grid(ctx: ReportContext, comparison: Comparison, points: int) -> list[Flowable]:
    sheet = ctx.sheet
    criteria = [(line.key, line.title) for line in comparison.criteria]
    stages = [(line.key, line.title) for line in comparison.stages]
    if not criteria or not stages:
        return []
    boxes = {(c.criterion_key, c.stage_key): c for c in comparison.cells}
    first = min(ctx.width * 0.3, sheet.base * 15)
    each = (ctx.width - first) / len(stages)
    rows: list[list[Any]] = [[head(ctx, "")] + [head(ctx, ctx.text(title)) for _, title in stages]]
    extra: list[tuple[Any, ...]] = [("VALIGN", (1, 1), (-1, -1), "MIDDLE")]
    for row, (criterion_key, criterion_title) in enumerate(criteria, start=1):
        cells: list[Any] = [Paragraph(ctx.text(criterion_title), sheet.cell_bold)]
        for column, (stage_key, _title) in enumerate(stages, start=1):
            box = boxes[(criterion_key, stage_key)]
            mean: MeanChange = box.mean
            colour = change_colour(mean.delta, points)
            markup = (
                f"{_value(mean.before)} → {_value(mean.after)}<br/><b>{esc(mean.text)}</b>"
                if mean.before is not None or mean.after is not None
                else esc(mean.text)
            )
            cells.append(_coloured(ctx, markup, colour))
            extra += _tint(colour, column, row)
        rows.append(cells)
    return [table(ctx, rows, [first] + [each] * len(stages), extra=extra)]


def _card_rows(ctx: ReportContext, cards: tuple[CardChange, ...]) -> list[Flowable]:
    sheet = ctx.sheet
    move = sheet.base * 10
    zone = (ctx.width - move) * 0.3
    name = ctx.width - move - 2 * zone
    rows: list[list[Any]] = [
        [
            head(ctx, esc(_("Card"))),
            head(ctx, esc(_("Then"))),
            head(ctx, esc(_("Now"))),
            head(ctx, esc(_("Compared with its aim"))),
        ]
    ]
    for change in cards:
        rows.append(
            [
                Paragraph(ctx.text(change.text or _("An untitled card")), sheet.cell_bold),
                # Zone names are the canvas's (domain/canvas.py), in its catalogue.
                Paragraph(ctx.text(_(change.zone_before)) if change.zone_before else "–", sheet.cell),
                Paragraph(ctx.text(_(change.zone_after)) if change.zone_after else "–", sheet.cell),
                Paragraph(f"<b>{esc(change.text_of_move)}</b>", sheet.cell),
            ]
        )
    return [table(ctx, rows, [name, zone, zone, move])]


def changes_cover(ctx: ReportContext, comparison: Comparison) -> list[Flowable]:
    """The cover of a report that holds only what changed."""
    from reportlab.platypus import Spacer

    from .base import Heading

    sheet = ctx.sheet
    flowables: list[Flowable] = [
        Spacer(1, sheet.base * 3.0),
        Paragraph(esc(_("WHAT CHANGED")), sheet.small),
        Heading(
            ctx.text(comparison.after_title or _("Untitled workshop")), sheet.title, _("About this report"), 0
        ),
        Paragraph(
            esc(
                _("{title}: the earlier run and this one, side by side.").format(
                    title=changes_title(comparison)
                )
            ),
            sheet.subtitle,
        ),
    ]
    facts = [
        [
            Paragraph(f"<b>{esc(_('Then'))}</b>", sheet.cell),
            Paragraph(_run(ctx, comparison.before_title, comparison.before_date), sheet.body),
        ],
        [
            Paragraph(f"<b>{esc(_('Now'))}</b>", sheet.cell),
            Paragraph(_run(ctx, comparison.after_title, comparison.after_date), sheet.body),
        ],
    ]
    label = sheet.base * 7
    flowables.append(table(ctx, facts, [label, ctx.width - label], header=False, grid=False))
    flowables.append(Paragraph(esc(_("At a glance")), sheet.h2))
    flowables.extend(Paragraph(line, sheet.bullet, bulletText="•") for line in _glance(ctx, comparison))
    return flowables


def _run(ctx: ReportContext, title: str, date: str, *, bold: bool = False) -> str:
    """A run's title, and its day where it has one, as markup."""
    day = format_date(date)
    name = ctx.text(title or _("Untitled workshop"))
    if bold:
        name = f"<b>{name}</b>"
    # Translators: a workshop's title and, in brackets, the day it ran.
    return esc(_("{title} ({day})")).format(title=name, day=esc(day)) if day else name


def _glance(ctx: ReportContext, comparison: Comparison) -> list[str]:
    whole = comparison.whole
    glance = [
        esc(
            _(
                "The whole matrix: {before} then, {after} now: {change} "
                "({votes_before} and {votes_after} ratings)."
            )
        ).format(
            before=_value(whole.mean.before),
            after=_value(whole.mean.after),
            change=f"<b>{esc(whole.mean.text)}</b>",
            votes_before=whole.mean.votes_before,
            votes_after=whole.mean.votes_after,
        ),
        esc(_("Where the ratings place the work: {placement}.")).format(
            placement=f"<b>{esc(comparison.placement.text)}</b>"
        ),
        esc(_("Between people with lived experience and staff: {gap}.")).format(
            gap=f"<b>{esc(whole.gap.text)}</b>"
        ),
    ]
    if comparison.readiness:
        glance.append(
            esc(_("Should we co-produce? Then: {then} Now: {now}")).format(
                then=ctx.text(comparison.headline_before), now=f"<b>{ctx.text(comparison.headline_after)}</b>"
            )
        )
    return glance


def changes_section(ctx: ReportContext, comparison: Comparison, *, new_page: bool = False) -> list[Flowable]:
    sheet = ctx.sheet
    points = len(ctx.session.matrix.scale)
    flowables = h1(ctx, changes_title(comparison), new_page=new_page)
    compared = esc(_("This compares {after} with the earlier run, {before}.")).format(
        after=_run(ctx, comparison.after_title, comparison.after_date, bold=True),
        before=_run(ctx, comparison.before_title, comparison.before_date, bold=True),
    )
    how = esc(
        _(
            "Each change is now minus then: ▲ means higher now, ▼ lower. Where either side rests on "
            "fewer than {votes} ratings the report says “{too_few}”, because a handful of votes moves "
            "with whoever was in the room. The gap between people with lived experience and staff is "
            "compared only where each group had at least {people} people on both days."
        ).format(votes=MIN_VOTES, too_few=_("too few votes to say"), people=MIN_GROUP)
    )
    flowables.append(Paragraph(f"{compared} {how}", sheet.lead_in))
    flowables.extend(Paragraph(line, sheet.bullet, bulletText="•") for line in _glance(ctx, comparison))

    said = comparison.item_sentences
    if said:
        flowables.append(h2(ctx, esc(_("What is different in the workshop itself"))))
        flowables.append(
            Paragraph(
                esc(
                    _(
                        "Rows, columns and conditions are matched by their key, never by their wording: "
                        "a new or removed item has no earlier result to compare with."
                    )
                ),
                sheet.small,
            )
        )
        flowables.extend(Paragraph(ctx.text(line), sheet.bullet, bulletText="•") for line in said)

    if comparison.stages:
        title = _("Stage by stage")
        flowables.extend(h2_loose(ctx, esc(title), title))
        flowables.extend(_lines_table(ctx, esc(_("Stage")), comparison.stages, points))
    if comparison.criteria:
        title = _("Sign by sign")
        flowables.extend(h2_loose(ctx, esc(title), title))
        flowables.extend(_lines_table(ctx, esc(_("Criterion")), comparison.criteria, points))
    grid = _box_grid(ctx, comparison, points)
    if grid:
        title = _("Box by box")
        aside = muted(ctx, esc(_("average then → now, and the change")))
        flowables.extend(h2_loose(ctx, f"{esc(title)} {aside}", title))
        flowables.extend(grid)

    if comparison.readiness:
        title = _("Readiness then and now")
        flowables.extend(h2_loose(ctx, esc(title), title))
        number = sheet.base * 7
        change = sheet.base * 8
        rows: list[list[Any]] = [
            [
                head(ctx, esc(_("Condition"))),
                head(ctx, esc(_("Then"))),
                head(ctx, esc(_("Now"))),
                head(ctx, esc(_("Change"))),
            ]
        ]
        extra: list[tuple[Any, ...]] = []
        for row, item in enumerate(comparison.readiness, start=1):
            colour = change_colour(item.mean.delta, 5)
            rows.append(
                [
                    Paragraph(ctx.text(item.title), sheet.cell_bold),
                    Paragraph(f"{_value(item.before.mean)}<br/>{esc(item.before.status.label)}", sheet.cell),
                    Paragraph(f"{_value(item.after.mean)}<br/>{esc(item.after.status.label)}", sheet.cell),
                    _coloured(ctx, f"<b>{esc(item.mean.text)}</b>", colour),
                ]
            )
            extra += _tint(colour, 3, row)
        flowables.append(
            table(ctx, rows, [ctx.width - 2 * number - change, number, number, change], extra=extra)
        )

    if comparison.cards or comparison.cards_added or comparison.cards_removed:
        title = _("The canvas: did the cards move?")
        flowables.extend(h2_loose(ctx, esc(title), title))
        flowables.append(
            Paragraph(
                esc(
                    _(
                        "Where each card sat on the “now” layer then and now, and whether it came nearer to "
                        "where the room wanted it to be at the earlier run."
                    )
                ),
                sheet.small,
            )
        )
        if comparison.cards:
            flowables.extend(_card_rows(ctx, comparison.cards))
    return flowables
