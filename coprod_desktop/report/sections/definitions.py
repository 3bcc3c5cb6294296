"""The definitions section and the ladder of co-production."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Spacer,
)
from reportlab.platypus.flowables import Flowable

from ...domain.i18n import N_, _, join
from ...domain.ladder import LADDER, RUNG_BY_KEY
from ...domain.matrix import heat_colour, text_colour_for
from ...domain.model import (
    StepKind,
    Term,
)
from ..markup import esc
from .base import ReportContext, cell, h1, h2, muted, table

# --- definitions ------------------------------------------------------------------------

TERM_PARTS = (
    ("what", N_("What it is")),
    ("what_not", N_("What it is not")),
    ("differs", N_("How it differs from co-production")),
    ("example", N_("An example")),
)


def definitions(ctx: ReportContext) -> list[Flowable]:
    terms = ctx.session.terms
    if not ctx.shows(StepKind.DEFINITION, bool(terms)) or not terms:
        return []
    sheet = ctx.sheet
    flowables = h1(ctx, _("The words we used"))
    flowables.append(
        Paragraph(
            esc(_("A short reminder of each word, what it means and how it compares with co-production.")),
            sheet.lead_in,
        )
    )
    label_width = sheet.base * 9.5
    for term in terms:
        rung = RUNG_BY_KEY.get(term.rung)
        if rung is not None:
            where = " · " + esc(_("on the ladder: {rung}").format(rung=_(rung.name)))
        else:
            where = " · " + esc(_("beside the ladder"))
        title = ctx.text(term.name) + muted(ctx, where)
        parts: list[tuple[str, str]] = [(_(label), getattr(term, attr)) for attr, label in TERM_PARTS]
        parts = [(label, value) for label, value in parts if value.strip()]
        flowables.append(Paragraph(title, sheet.h3))
        if ctx.large_print:
            for label, value in parts:
                flowables.append(
                    Paragraph(
                        esc(_("{label}: {text}")).format(label=f"<b>{esc(label)}</b>", text=ctx.text(value)),
                        sheet.body,
                    )
                )
        elif parts:
            rows = [[Paragraph(esc(label), sheet.cell_bold), cell(ctx, value)] for label, value in parts]
            flowables.append(table(ctx, rows, [label_width, ctx.width - label_width], header=False))
    flowables.extend(ladder(ctx, terms))
    return flowables


def ladder(ctx: ReportContext, terms: Sequence[Term]) -> list[Flowable]:
    sheet = ctx.sheet
    by_rung: dict[str, list[str]] = {}
    for term in terms:
        # The ladder names each word briefly: the definitions above give it in full.
        by_rung.setdefault(term.rung, []).append(ctx.brief(term.name))
    rows: list[list[Any]] = [["", _("Rung"), _("What it means"), _("Our words")]]
    extra: list[tuple[Any, ...]] = []
    top = len(LADDER)
    for index, rung in enumerate(reversed(LADDER)):
        height = top - index
        colour = heat_colour((height - 1) / (top - 1))
        ink = text_colour_for(colour)
        row = index + 1
        rows.append(
            [
                Paragraph(f"<font color='{ink}'><b>{height}</b></font>", sheet.heat),
                Paragraph(f"<b>{esc(_(rung.name))}</b>", sheet.cell),
                Paragraph(esc(_(rung.summary)), sheet.cell),
                Paragraph(join(by_rung.get(rung.key, [])), sheet.cell),
            ]
        )
        extra.append(("BACKGROUND", (0, row), (0, row), colors.HexColor(colour)))
    beside = [ctx.text(t.name) for t in terms if t.rung not in RUNG_BY_KEY]
    number_width = sheet.base * 2.6
    name_width = sheet.base * (9 if ctx.large_print else 8)
    words_width = sheet.base * (10 if ctx.large_print else 11)
    flowables: list[Flowable] = [
        KeepTogether(
            [
                h2(ctx, esc(_("The ladder of co-production")), _("The ladder of co-production")),
                Paragraph(
                    esc(
                        _(
                            "From the top rung, an equal partnership, down to the bottom, where people have "
                            "no say at all."
                        )
                    ),
                    sheet.lead_in,
                ),
                table(
                    ctx,
                    rows,
                    [
                        number_width,
                        name_width,
                        ctx.width - number_width - name_width - words_width,
                        words_width,
                    ],
                    extra=extra,
                ),
            ]
        )
    ]
    if beside:
        flowables.append(Spacer(1, sheet.base * 0.4))
        flowables.append(
            Paragraph(
                esc(
                    _("Beside the ladder: {terms}. No provider shares power there, so it has no rung.")
                ).format(terms=join(beside)),
                sheet.small,
            )
        )
    return flowables
