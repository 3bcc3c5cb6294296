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
from ...domain.i18n import N_, _, ngettext
from ...domain.readiness import Condition
from ..markup import esc, format_date
from .base import Heading, ReportContext, h1, h2_loose, head, table
from .matrix import matrix
from .readiness import STATUS_MARK

__all__ = ["combined_story"]

DIFFERENCES_SHOWN = 8

# The running head of the report, translated where it is printed.
REPORT_KIND = N_("Combined report")


def _value(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _cover(ctx: ReportContext, combined: Combined) -> list[Flowable]:
    sheet = ctx.sheet
    session = combined.session
    groups = len(combined.groups)
    flowables: list[Flowable] = [
        Spacer(1, sheet.base * 3.0),
        Paragraph(esc(_("COMBINED REPORT")), sheet.small),
        Heading(ctx.text(session.info.title or _("Several groups")), sheet.title, _("About this report"), 0),
        Paragraph(
            esc(
                ngettext(
                    "{n} group ran the same workshop. Their ratings are added together as counts, so no one "
                    "can be picked out, whichever group they were in.",
                    "{n} groups ran the same workshop. Their ratings are added together as counts, so no one "
                    "can be picked out, whichever group they were in.",
                    groups,
                ).format(n=groups)
            ),
            sheet.subtitle,
        ),
    ]
    first, last = format_date(combined.first_date), format_date(combined.last_date)
    if first:
        when = first if first == last else _("from {first} to {last}").format(first=first, last=last)
        flowables.append(Paragraph(_bold_label(_("When: {days}").format(days=when)), sheet.body))
    people = sum(g.people for g in combined.groups)
    if people:
        taking_part = ngettext("Taking part: {n} person in all.", "Taking part: {n} people in all.", people)
        flowables.append(Paragraph(_bold_label(taking_part.format(n=people)), sheet.body))
    glance = []
    if combined.placement is not None:
        glance.append(
            esc(_("Together, the ratings place the work at {rung}.")).format(
                rung=f"<b>{esc(_(combined.placement.name))}</b>"
            )
        )
    if combined.whole is not None:
        glance.append(
            esc(_("The whole matrix averages {mean} across all groups.")).format(
                mean=f"<b>{_value(combined.whole)}</b>"
            )
        )
    if combined.differences and combined.differences[0].spread >= 0.05:
        widest = combined.differences[0]
        glance.append(
            esc(
                _(
                    "Groups differ most on {criterion} at {stage}: "
                    "{low} in {low_group}, {high} in {high_group}."
                )
            ).format(
                criterion=f"<b>{ctx.text(widest.criterion)}</b>",
                stage=f"<b>{ctx.text(widest.stage)}</b>",
                low=_value(widest.low),
                low_group=ctx.text(widest.low_group),
                high=_value(widest.high),
                high_group=ctx.text(widest.high_group),
            )
        )
    glance.append(
        esc(_("Should we co-produce? {headline}")).format(headline=ctx.text(combined.recommendation.headline))
    )
    flowables.append(Paragraph(esc(_("At a glance")), sheet.h2))
    flowables.extend(Paragraph(line, sheet.bullet, bulletText="•") for line in glance)
    return flowables


def _bold_label(text: str) -> str:
    """ "When: 19 November 2026" as markup with its label, up to the first colon, in bold."""
    label, colon, rest = text.partition(":")
    if not colon:
        return esc(text)
    return f"<b>{esc(label)}:</b>{esc(rest)}"


def _groups(ctx: ReportContext, combined: Combined) -> list[Flowable]:
    sheet = ctx.sheet
    flowables = h1(ctx, _("Each group"), new_page=True)
    flowables.append(
        Paragraph(
            esc(
                _(
                    "Each group's own results, as its session shows them: the average of the boxes its room "
                    "saw, where those ratings place the work on the ladder, and its readiness."
                )
            ),
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
            head(ctx, esc(_("Group"))),
            head(ctx, esc(_("People"))),
            head(ctx, esc(_("Average"))),
            head(ctx, esc(_("Placement"))),
            head(ctx, esc(_("Readiness"))),
        ]
    ]
    verdicts = {
        "ready": _("Ready"),
        "ready_with_work": _("Ready, with work to do"),
        "not_yet": _("Not yet"),
        "unrated": _("Not rated"),
    }
    for group in combined.groups:
        label = ctx.text(group.name)
        details = " · ".join(esc(part) for part in (format_date(group.date), group.place) if part.strip())
        rows.append(
            [
                Paragraph(f"<b>{label}</b>" + (f"<br/>{details}" if details else ""), sheet.cell),
                Paragraph(str(group.people), sheet.cell_right),
                Paragraph(_value(group.whole), sheet.cell_right),
                Paragraph(esc(_(group.placement.name)) if group.placement else "–", sheet.cell),
                Paragraph(esc(verdicts[group.recommendation.verdict.value]), sheet.cell),
            ]
        )
    flowables.append(table(ctx, rows, [name, people, mean, place, ready]))
    return flowables


def _differences(ctx: ReportContext, combined: Combined) -> list[Flowable]:
    sheet = ctx.sheet
    shown = [d for d in combined.differences if d.spread >= 0.05][:DIFFERENCES_SHOWN]
    title = _("Where the groups differ most")
    flowables = h2_loose(ctx, esc(title), title)
    flowables.append(
        Paragraph(
            esc(
                ngettext(
                    "Boxes rated by at least two groups with {n} rating or more each, the widest "
                    "difference between the lowest and the highest group first.",
                    "Boxes rated by at least two groups with {n} ratings or more each, the widest "
                    "difference between the lowest and the highest group first.",
                    MIN_VOTES,
                ).format(n=MIN_VOTES)
            ),
            sheet.small,
        )
    )
    if not shown:
        flowables.append(Paragraph(esc(_("No box shows the groups apart.")), sheet.body))
        return flowables
    spread = sheet.base * 5.5
    each = sheet.base * 10
    box = ctx.width - spread - 2 * each
    rows: list[list[Any]] = [
        [
            head(ctx, esc(_("Box"))),
            head(ctx, esc(_("Lowest"))),
            head(ctx, esc(_("Highest"))),
            head(ctx, esc(_("Apart by"))),
        ]
    ]
    for difference in shown:
        rows.append(
            [
                Paragraph(
                    f"<b>{ctx.text(difference.criterion)}</b><br/>{ctx.text(difference.stage)}", sheet.cell
                ),
                Paragraph(_in_group(ctx, difference.low, difference.low_group), sheet.cell),
                Paragraph(_in_group(ctx, difference.high, difference.high_group), sheet.cell),
                Paragraph(f"<b>{_value(difference.spread)}</b>", sheet.cell_right),
            ]
        )
    flowables.append(table(ctx, rows, [box, each, each, spread]))
    return flowables


def _in_group(ctx: ReportContext, value: float | None, group: str) -> str:
    # Translators: an average and the group that gave it, e.g. "2.4 in north.coprod".
    return esc(_("{mean} in {group}")).format(mean=f"<b>{_value(value)}</b>", group=ctx.text(group))


def _condition(found: Condition | None) -> str:
    if found is None:
        return "–"
    return f"{STATUS_MARK[found.status]} {_value(found.mean)}"


def _readiness(ctx: ReportContext, combined: Combined) -> list[Flowable]:
    if not combined.readiness:
        return []
    sheet = ctx.sheet
    flowables = h1(ctx, _("Readiness across the groups"))
    flowables.append(Paragraph(ctx.text(combined.recommendation.headline), sheet.callout))
    # A column per group while they fit; beyond that, the combined figure and the range.
    groups = combined.groups
    per_group = len(groups) <= 6
    label = min(ctx.width * 0.34, sheet.base * 16)
    columns = len(groups) + 1 if per_group else 3
    each = (ctx.width - label) / columns
    header: list[Any] = [head(ctx, esc(_("Condition"))), head(ctx, esc(_("All groups")))]
    if per_group:
        header += [head(ctx, ctx.text(g.name)) for g in groups]
    else:
        header += [head(ctx, esc(_("Lowest group"))), head(ctx, esc(_("Highest group")))]
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
                Paragraph(_in_group(ctx, low[0], low[1]) if low else "–", sheet.cell),
                Paragraph(_in_group(ctx, high[0], high[1]) if high else "–", sheet.cell),
            ]
        rows.append(cells)
    flowables.append(table(ctx, rows, [label] + [each] * columns))
    flowables.append(
        Paragraph(
            esc(
                _(
                    "✓ in place · ◐ partly in place · ✗ missing · ? not rated; "
                    "the number is the average, 0 to 4."
                )
            ),
            sheet.small,
        )
    )
    return flowables


def _notes(ctx: ReportContext, combined: Combined) -> list[Flowable]:
    if not combined.notes:
        return []
    flowables = h2_loose(ctx, esc(_("Not every group had the same items")), _("Items in some groups only"))
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
