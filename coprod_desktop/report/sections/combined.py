"""The combined report: several groups' runs of one workshop on a few pages.

The numbers are `domain.combine`'s. The combined matrix is printed by the ordinary
matrix section, run on the combined session (counts only, no names), so a group's
box and the combined box read the same way. No participant is named anywhere.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph, Spacer
from reportlab.platypus.flowables import Flowable

from ...domain.combine import Combined
from ...domain.compare import MIN_VOTES
from ...domain.readiness import Condition
from ..markup import esc, format_date, plural
from .base import Heading, ReportContext, h1, h2_loose, head, table
from .matrix import matrix
from .readiness import STATUS_MARK

__all__ = ["combined_story"]

DIFFERENCES_SHOWN = 8


def _value(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _cover(ctx: ReportContext, combined: Combined) -> list[Flowable]:
    sheet = ctx.sheet
    session = combined.session
    flowables: list[Flowable] = [
        Spacer(1, sheet.base * 3.0),
        Paragraph("COMBINED REPORT", sheet.small),
        Heading(ctx.text(session.info.title or "Several groups"), sheet.title, "About this report", 0),
        Paragraph(
            f"{plural(len(combined.groups), 'group')} ran the same workshop. Their ratings are added "
            "together as counts, so no one can be picked out, whichever group they were in.",
            sheet.subtitle,
        ),
    ]
    if session.info.date:
        flowables.append(Paragraph(f"<b>When:</b> {esc(format_date(session.info.date))}", sheet.body))
    people = sum(g.people for g in combined.groups)
    if people:
        flowables.append(
            Paragraph(f"<b>Taking part:</b> {plural(people, 'person', 'people')} in all.", sheet.body)
        )
    glance = []
    if combined.placement is not None:
        glance.append(f"Together, the ratings place the work at <b>{esc(combined.placement.name)}</b>.")
    if combined.whole is not None:
        glance.append(f"The whole matrix averages <b>{_value(combined.whole)}</b> across all groups.")
    if combined.differences and combined.differences[0].spread >= 0.05:
        widest = combined.differences[0]
        glance.append(
            f"Groups differ most on <b>{ctx.text(widest.criterion)}</b> at <b>{ctx.text(widest.stage)}</b>: "
            f"{_value(widest.low)} in {ctx.text(widest.low_group)}, {_value(widest.high)} in "
            f"{ctx.text(widest.high_group)}."
        )
    glance.append(f"Should we co-produce? {ctx.text(combined.recommendation.headline)}")
    flowables.append(Paragraph("At a glance", sheet.h2))
    flowables.extend(Paragraph(line, sheet.bullet, bulletText="•") for line in glance)
    return flowables


def _groups(ctx: ReportContext, combined: Combined) -> list[Flowable]:
    sheet = ctx.sheet
    flowables = h1(ctx, "Each group", new_page=True)
    flowables.append(
        Paragraph(
            "Each group's own results, as its session shows them: the average of the boxes its room saw, "
            "where those ratings place the work on the ladder, and its readiness.",
            sheet.lead_in,
        )
    )
    people = sheet.base * 4.6
    mean = sheet.base * 5.4
    place = sheet.base * 9
    ready = sheet.base * 10
    name = ctx.width - people - mean - place - ready
    rows: list[list[Any]] = [
        [
            head(ctx, "Group"),
            head(ctx, "People"),
            head(ctx, "Average"),
            head(ctx, "Placement"),
            head(ctx, "Readiness"),
        ]
    ]
    verdicts = {
        "ready": "Ready",
        "ready_with_work": "Ready, with work to do",
        "not_yet": "Not yet",
        "unrated": "Not rated",
    }
    for group in combined.groups:
        label = ctx.text(group.name)
        details = " · ".join(esc(part) for part in (format_date(group.date), group.place) if part.strip())
        rows.append(
            [
                Paragraph(f"<b>{label}</b>" + (f"<br/>{details}" if details else ""), sheet.cell),
                Paragraph(str(group.people), sheet.cell_right),
                Paragraph(_value(group.whole), sheet.cell_right),
                Paragraph(esc(group.placement.name) if group.placement else "–", sheet.cell),
                Paragraph(esc(verdicts[group.recommendation.verdict.value]), sheet.cell),
            ]
        )
    flowables.append(table(ctx, rows, [name, people, mean, place, ready]))
    return flowables


def _differences(ctx: ReportContext, combined: Combined) -> list[Flowable]:
    sheet = ctx.sheet
    shown = [d for d in combined.differences if d.spread >= 0.05][:DIFFERENCES_SHOWN]
    flowables = h2_loose(ctx, "Where the groups differ most", "Where the groups differ most")
    flowables.append(
        Paragraph(
            f"Boxes rated by at least two groups with {MIN_VOTES} ratings or more each, the widest "
            "difference between the lowest and the highest group first.",
            sheet.small,
        )
    )
    if not shown:
        flowables.append(Paragraph("No box shows the groups apart.", sheet.body))
        return flowables
    spread = sheet.base * 5.5
    each = sheet.base * 10
    box = ctx.width - spread - 2 * each
    rows: list[list[Any]] = [
        [head(ctx, "Box"), head(ctx, "Lowest"), head(ctx, "Highest"), head(ctx, "Apart by")]
    ]
    for difference in shown:
        rows.append(
            [
                Paragraph(
                    f"<b>{ctx.text(difference.criterion)}</b><br/>{ctx.text(difference.stage)}", sheet.cell
                ),
                Paragraph(f"<b>{_value(difference.low)}</b> in {ctx.text(difference.low_group)}", sheet.cell),
                Paragraph(
                    f"<b>{_value(difference.high)}</b> in {ctx.text(difference.high_group)}", sheet.cell
                ),
                Paragraph(f"<b>{_value(difference.spread)}</b>", sheet.cell_right),
            ]
        )
    flowables.append(table(ctx, rows, [box, each, each, spread]))
    return flowables


def _condition(found: Condition | None) -> str:
    if found is None:
        return "–"
    return f"{STATUS_MARK[found.status]} {_value(found.mean)}"


def _readiness(ctx: ReportContext, combined: Combined) -> list[Flowable]:
    if not combined.readiness:
        return []
    sheet = ctx.sheet
    flowables = h1(ctx, "Readiness across the groups")
    flowables.append(Paragraph(ctx.text(combined.recommendation.headline), sheet.callout))
    # A column per group while they fit; beyond that, the combined figure and the range.
    groups = combined.groups
    per_group = len(groups) <= 6
    label = min(ctx.width * 0.34, sheet.base * 16)
    columns = len(groups) + 1 if per_group else 3
    each = (ctx.width - label) / columns
    header: list[Any] = [head(ctx, "Condition"), head(ctx, "All groups")]
    if per_group:
        header += [head(ctx, ctx.text(g.name)) for g in groups]
    else:
        header += [head(ctx, "Lowest group"), head(ctx, "Highest group")]
    rows: list[list[Any]] = [header]
    for row in combined.readiness:
        cells: list[Any] = [
            Paragraph(f"<b>{ctx.text(row.title)}</b>", sheet.cell),
            Paragraph(f"<b>{_condition(row.combined)}</b><br/>{esc(row.combined.status.label)}", sheet.cell),
        ]
        if per_group:
            cells += [Paragraph(_condition(found), sheet.cell) for found in row.groups]
        else:
            rated = [
                (found.mean, g.name)
                for found, g in zip(row.groups, groups, strict=True)
                if found and found.mean is not None
            ]
            low = min(rated) if rated else None
            high = max(rated) if rated else None
            cells += [
                Paragraph(f"<b>{_value(low[0])}</b> in {ctx.text(low[1])}" if low else "–", sheet.cell),
                Paragraph(f"<b>{_value(high[0])}</b> in {ctx.text(high[1])}" if high else "–", sheet.cell),
            ]
        rows.append(cells)
    flowables.append(table(ctx, rows, [label] + [each] * columns))
    flowables.append(
        Paragraph(
            "✓ in place · ◐ partly in place · ✗ missing · ? not rated; the number is the average, 0 to 4.",
            sheet.small,
        )
    )
    return flowables


def _notes(ctx: ReportContext, combined: Combined) -> list[Flowable]:
    if not combined.notes:
        return []
    flowables = h2_loose(ctx, "Not every group had the same items", "Items in some groups only")
    flowables.extend(Paragraph(ctx.text(note), ctx.sheet.bullet, bulletText="•") for note in combined.notes)
    return flowables


def combined_story(ctx: ReportContext, combined: Combined) -> list[Flowable]:
    """The whole combined report, cover first. `ctx.session` is `combined.session`."""
    from reportlab.platypus import NextPageTemplate, PageBreak

    body: list[Flowable] = [*_groups(ctx, combined), *_differences(ctx, combined)]
    body.extend(matrix(ctx))
    body.extend(_readiness(ctx, combined))
    body.extend(_notes(ctx, combined))
    return [*_cover(ctx, combined), NextPageTemplate("body"), PageBreak(), *body[1:]]
