"""Actions, notes from the room, who took part and the references."""

from __future__ import annotations

from collections import Counter
from typing import Any

from reportlab.platypus import (
    Paragraph,
)
from reportlab.platypus.flowables import Flowable

from ...domain.i18n import _, ngettext
from ...domain.model import (
    RoleGroup,
    StepKind,
)
from ..markup import esc, format_date
from .base import PIECE, ReportContext, cell, h1, muted, rich_text, table

# --- actions, notes, people, references ---------------------------------------------------


def actions(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    items = session.actions
    if not ctx.shows(StepKind.ACTIONS, bool(items)):
        return []
    sheet = ctx.sheet
    flowables = h1(ctx, ctx.section_title(StepKind.ACTIONS, _("What will we do?")))
    if not items:
        flowables.append(Paragraph(esc(_("No actions were recorded.")), sheet.body))
        return flowables
    done = sum(1 for action in items if action.done)
    if done:
        summary = ngettext(
            "{n} action agreed, {done} already done.", "{n} actions agreed, {done} already done.", len(items)
        )
    else:
        summary = ngettext("{n} action agreed.", "{n} actions agreed.", len(items))
    flowables.append(Paragraph(esc(summary.format(n=len(items), done=done)), sheet.lead_in))
    rows: list[list[Any]] = []
    for index, action in enumerate(items, start=1):
        status = esc(_("✓ Done") if action.done else _("☐ To do"))
        link = link_text(ctx, action.link)
        what = ctx.text(action.what or _("(no description)"))
        if link:
            what += "<br/>" + muted(ctx, link)
        long = len(action.what) > PIECE
        if long:  # in pieces, so the table can move the rest of it below itself
            pieces = ctx.flow(action.what, sheet.cell_bold if ctx.large_print else sheet.cell)
            if link:
                pieces.append(Paragraph(muted(ctx, link), sheet.cell))
        if ctx.large_print:
            owner = ctx.text(action.who) or "–"
            due = ctx.text(format_date(action.due)) or "–"
            who_line = esc(_("Who: {who}")).format(who=owner)
            by_line = esc(_("By: {due}")).format(due=due) + f" · {status}"
            line = "<br/>".join((f"<b>{what}</b>", who_line, by_line))
            if long:
                first = Paragraph(f"{who_line}<br/>{by_line}", sheet.cell)
                rows.append([Paragraph(f"<b>{index}</b>", sheet.cell), [*pieces, first]])
            else:
                rows.append([Paragraph(f"<b>{index}</b>", sheet.cell), Paragraph(line, sheet.cell)])
        else:
            rows.append(
                [
                    Paragraph(f"<b>{index}</b>", sheet.cell),
                    pieces if long else Paragraph(what, sheet.cell),
                    cell(ctx, action.who or "–"),
                    cell(ctx, format_date(action.due) or "–"),
                    Paragraph(status, sheet.cell),
                ]
            )
    number_width = sheet.base * 2.8
    if ctx.large_print:
        flowables.append(table(ctx, [["", _("Action")], *rows], [number_width, ctx.width - number_width]))
    else:
        who_width, due_width, status_width = sheet.base * 10, sheet.base * 9, sheet.base * 5.5
        what_width = ctx.width - number_width - who_width - due_width - status_width
        flowables.append(
            table(
                ctx,
                [["", _("What"), _("Who"), _("By when"), _("Status")], *rows],
                [number_width, what_width, who_width, due_width, status_width],
            )
        )
    return flowables


def link_text(ctx: ReportContext, link: str) -> str:
    """What an action is about, in a line under it: the row or card named briefly (a card
    may hold a book's worth of text; the canvas section gives it in full)."""
    kind, _colon, ident = link.partition(":")
    session = ctx.session
    if kind == "criterion":
        found = next((c for c in session.criteria if c.id == ident), None)
        return esc(_("About the matrix row “{row}”")).format(row=ctx.brief(found.title)) if found else ""
    if kind == "card":
        cards = session.cards
        for index, card in enumerate(cards, start=1):
            if card.id == ident:
                return esc(_("About canvas card {number}, “{card}”")).format(
                    number=index, card=ctx.brief(card.text)
                )
    return ""


def notes(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    items = [note for note in session.notes if note.text.strip()]
    if not items:
        return []
    sheet = ctx.sheet
    titles = {step.id: step.title for step in session.steps}
    flowables = h1(ctx, _("Notes from the day"))
    current: str | None = None
    for note in items:
        heading = titles.get(note.step_id, _("General"))
        if heading != current:
            flowables.append(Paragraph(ctx.text(heading), sheet.h3))
            current = heading
        flowables.extend(ctx.flow(note.text, sheet.body, lines=True))
    return flowables


def people(ctx: ReportContext) -> list[Flowable]:
    participants = ctx.session.participants
    if not participants:
        return []
    sheet = ctx.sheet
    flowables = h1(ctx, _("Who took part"))
    if ctx.names:
        rows: list[list[Any]] = [[_("Name"), _("Role")]]
        rows += [[cell(ctx, p.name), Paragraph(esc(_(p.role.label)), sheet.cell)] for p in participants]
        half = ctx.width / 2
        flowables.append(table(ctx, rows, [half, half]))
    else:
        counts = Counter(p.role for p in participants)
        flowables.append(
            Paragraph(
                esc(
                    ngettext(
                        "{n} person took part. This copy leaves out everyone's name.",
                        "{n} people took part. This copy leaves out everyone's name.",
                        len(participants),
                    ).format(n=len(participants))
                ),
                sheet.body,
            )
        )
        for role in RoleGroup:
            if counts[role]:
                flowables.append(
                    Paragraph(
                        esc(_("{role}: {count}").format(role=_(role.label), count=counts[role])),
                        sheet.bullet,
                        bulletText="•",
                    )
                )
    return flowables


def references(ctx: ReportContext) -> list[Flowable]:
    step = ctx.step(StepKind.REFERENCES)
    if step is None or step.hidden or not step.body.strip():
        return []
    return [
        *h1(ctx, ctx.section_title(StepKind.REFERENCES, _("Where these ideas come from"))),
        *rich_text(ctx, step.body),
    ]
