"""The cover page and the list of sections, and the story that puts them in order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.platypus import (
    CondPageBreak,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
)
from reportlab.platypus.flowables import Flowable

from ...domain import readiness as readiness_rules
from ...domain.i18n import _, ngettext
from ...domain.ladder import RUNG_BY_KEY
from ..fonts import REGULAR
from ..markup import esc, format_date
from .agenda import agenda
from .base import PIECE, Heading, ReportContext, table
from .canvas import canvas_section
from .closing import actions, notes, people, references
from .definitions import definitions
from .facilitator import every_count, every_vote
from .matrix import matrix
from .readiness import readiness
from .scenarios import scenarios

# --- the story ------------------------------------------------------------------------


def build_story(
    ctx: ReportContext, first: Sequence[Callable[[ReportContext], list[Flowable]]] = ()
) -> list[Flowable]:
    """The cover, then `first` (such as a follow-up's "What changed"), then every section."""
    body: list[Flowable] = []
    makers = (*first, *SECTIONS) + ((every_count, every_vote) if ctx.facilitator else ())
    for section in makers:
        flowables = section(ctx)
        if not flowables:
            continue
        if not body and isinstance(flowables[0], CondPageBreak | PageBreak):
            flowables = flowables[1:]  # the cover already ended its page
        body.extend(flowables)
    inside = [
        f.outline_title for f in _all_flowables(body) if isinstance(f, Heading) and f.outline_level == 0
    ]
    return [*cover(ctx, inside), NextPageTemplate("body"), PageBreak(), *body]


def _all_flowables(flowables: Sequence[Flowable]) -> list[Flowable]:
    """Every flowable, including those kept together inside another (a section whose heading
    is kept with its first table is still a section of the report)."""
    found: list[Flowable] = []
    for flowable in flowables:
        found.append(flowable)
        inner = getattr(flowable, "_content", None)
        if isinstance(inner, list | tuple):
            found.extend(_all_flowables(inner))
    return found


def cover(ctx: ReportContext, inside: Sequence[str] = ()) -> list[Flowable]:
    info = ctx.session.info
    sheet = ctx.sheet
    kind = _("Facilitator report") if ctx.facilitator else _("Workshop summary")
    flowables: list[Flowable] = [
        Spacer(1, sheet.base * (1.0 if ctx.large_print else 3.0)),
        Paragraph(esc(kind.upper()), sheet.small),
        Heading(
            ctx.text(info.title.strip() or _("Untitled workshop")), sheet.title, _("About this workshop"), 0
        ),
    ]
    if ctx.facilitator:
        flowables.append(
            Paragraph(esc(_("Everything in the summary, with every count and every vote.")), sheet.subtitle)
        )
    else:
        flowables.append(
            Paragraph(esc(_("What we did and what we found, for everyone who took part.")), sheet.subtitle)
        )
    facts: list[list[Any]] = []
    after: list[Flowable] = []
    for label, value in (
        (_("Date"), format_date(info.date)),
        (_("Place"), info.place),
        (_("Facilitator"), info.facilitator),
        (_("Purpose"), info.purpose),
    ):
        if not value.strip():
            continue
        if len(value) > PIECE:
            # A table row is laid out whole on each try at a page split: long text goes
            # under the table, where it can break across pages at linear cost.
            after.append(Paragraph(esc(label), sheet.cell_bold))
            after.extend(ctx.flow(value, sheet.body, lines=True))
        else:
            facts.append([Paragraph(esc(label), sheet.cell_bold), Paragraph(ctx.lines(value), sheet.body)])
    if facts:
        label_width = sheet.base * (8 if ctx.large_print else 7)
        flowables.append(
            table(
                ctx,
                facts,
                [label_width, ctx.width - label_width],
                header=False,
                grid=False,
                extra=[
                    ("FONT", (0, 0), (-1, -1), REGULAR, sheet.base),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ],
            )
        )
    flowables.extend(after)
    flowables.append(Spacer(1, sheet.base))
    glance = at_a_glance(ctx)
    if glance:
        flowables.append(Paragraph(esc(_("At a glance")), sheet.h2))
        flowables.extend(Paragraph(line, sheet.bullet, bulletText="•") for line in glance)
    if inside and not ctx.large_print:  # large print keeps the cover to one page
        flowables.append(Paragraph(esc(_("Inside")), sheet.h2))
        flowables.append(Paragraph(" · ".join(esc(title) for title in inside), sheet.body))
    return flowables


def at_a_glance(ctx: ReportContext) -> list[str]:
    session = ctx.session
    lines: list[str] = []
    people = session.participants
    if people:
        lines.append(
            esc(ngettext("{n} person took part.", "{n} people took part.", len(people)).format(n=len(people)))
        )
    agreed = session.matrix.agreed_rung.strip()
    if agreed:
        rung = RUNG_BY_KEY.get(agreed)
        name = _(rung.name) if rung is not None else agreed
        lines.append(
            esc(_("We agreed that how we work now is closest to {rung}.")).format(
                rung=f"<b>{ctx.text(name)}</b>"
            )
        )
    if session.readiness_items:
        recommendation = readiness_rules.recommend(session)
        if recommendation.verdict is not readiness_rules.Verdict.UNRATED:
            lines.append(
                esc(_("Should we co-produce? {answer}")).format(answer=ctx.text(recommendation.headline))
            )
    actions = session.actions
    if actions:
        lines.append(
            esc(
                ngettext(
                    "We agreed {n} action; it is listed near the end.",
                    "We agreed {n} actions; they are listed near the end.",
                    len(actions),
                )
            ).format(n=len(actions))
        )
    return lines


SECTIONS: tuple[Callable[[ReportContext], list[Flowable]], ...] = (
    agenda,
    definitions,
    scenarios,
    matrix,
    canvas_section,
    readiness,
    actions,
    notes,
    people,
    references,
)
