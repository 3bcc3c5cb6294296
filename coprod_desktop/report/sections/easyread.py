"""The Easy Read handout: the day's results in short sentences, one idea a line, large type.

Easy Read practice, as written for people with learning disabilities: short
sentences in everyday words, one idea on each line, large clear type with space
around it, and a simple symbol beside each key result so the eye finds it. It
leaves out the tables and the numbers behind them: the full summary has those.
The symbols are drawn from DejaVu Sans, so they print in black and white.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from ...domain import readiness as readiness_rules
from ...domain.i18n import _, ngettext
from ...domain.ladder import RUNG_BY_KEY
from ..fonts import BOLD, REGULAR
from ..markup import esc, format_date
from .base import INK, Heading, ReportContext

# The symbol beside each kind of line; each line also says in words what it is.
PEOPLE = "☺"
DATE = "▣"
AGREED = "★"
READY = "✓"
NOT_YET = "✗"
ACTION = "➜"
DONE = "✓"

BASE_SIZE = 18.0  # Easy Read guidance asks for large type: 16 point at least


def _styles() -> dict[str, ParagraphStyle]:
    common: dict[str, Any] = {"textColor": INK, "splitLongWords": 1, "allowWidows": 0, "allowOrphans": 0}
    return {
        "title": ParagraphStyle(
            "easy_title", fontName=BOLD, fontSize=BASE_SIZE * 1.6, leading=BASE_SIZE * 2.0, **common
        ),
        "h": ParagraphStyle(
            "easy_h",
            fontName=BOLD,
            fontSize=BASE_SIZE * 1.25,
            leading=BASE_SIZE * 1.6,
            spaceBefore=BASE_SIZE,
            spaceAfter=BASE_SIZE * 0.4,
            keepWithNext=1,
            **common,
        ),
        "line": ParagraphStyle(
            "easy_line", fontName=REGULAR, fontSize=BASE_SIZE, leading=BASE_SIZE * 1.5, **common
        ),
        "symbol": ParagraphStyle(
            "easy_symbol", fontName=BOLD, fontSize=BASE_SIZE * 1.6, leading=BASE_SIZE * 1.8, **common
        ),
    }


def _row(ctx: ReportContext, styles: dict[str, ParagraphStyle], symbol: str, lines: list[str]) -> Table:
    """A symbol in its own column, and beside it one short line per idea."""
    symbol_width = BASE_SIZE * 2.6
    cells = [Paragraph(line, styles["line"]) for line in lines]
    table = Table(
        [[Paragraph(esc(symbol), styles["symbol"]), cells]],
        colWidths=[symbol_width, ctx.width - symbol_width],
        hAlign="LEFT",
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                # A cell's starting font (its text is in paragraphs): ours, not the Helvetica
                # reportlab would otherwise name, unembedded.
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), BASE_SIZE * 0.7),
            ]
        ),
    )
    return table


def easy_read_story(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    info = session.info
    styles = _styles()
    title = info.title.strip() or _("Untitled workshop")
    story: list[Flowable] = [
        Heading(ctx.text(title), styles["title"], _("Easy Read summary"), 0),
        Paragraph(esc(_("Easy Read summary")), styles["h"]),
        Paragraph(esc(_("This is what we did at our meeting.")), styles["line"]),
        Paragraph(esc(_("We talked about working together as equals.")), styles["line"]),
        Spacer(1, BASE_SIZE),
    ]
    day = format_date(info.date)
    if day:
        story.append(_row(ctx, styles, DATE, [esc(_("We met on {day}.").format(day=day))]))
    count = len(session.participants)
    if count:
        people = ngettext("{n} person came.", "{n} people came.", count).format(n=count)
        story.append(_row(ctx, styles, PEOPLE, [esc(people)]))
    agreed = session.matrix.agreed_rung.strip()
    if agreed:
        rung = RUNG_BY_KEY.get(agreed)
        name = _(rung.name) if rung is not None else agreed
        story.append(
            _row(
                ctx,
                styles,
                AGREED,
                [
                    esc(_("We looked at how we work now.")),
                    esc(_("We said it is most like:")),
                    f"<b>{ctx.text(name)}</b>",
                ],
            )
        )
    if session.readiness_items:
        verdict = readiness_rules.recommend(session).verdict
        if verdict is readiness_rules.Verdict.READY:
            story.append(_row(ctx, styles, READY, [esc(_("We are ready to work together as equals."))]))
        elif verdict is readiness_rules.Verdict.READY_WITH_WORK:
            story.append(
                _row(
                    ctx,
                    styles,
                    READY,
                    [
                        esc(_("We are nearly ready to work together as equals.")),
                        esc(_("Some things need more work.")),
                    ],
                )
            )
        elif verdict is readiness_rules.Verdict.NOT_YET:
            story.append(
                _row(
                    ctx,
                    styles,
                    NOT_YET,
                    [esc(_("We are not ready yet.")), esc(_("Some things we need are missing."))],
                )
            )
    actions = session.actions
    if actions:
        story.append(Paragraph(esc(_("What we will do next")), styles["h"]))
        for action in actions:
            what = action.what or _("(no description)")
            lines = [f"<b>{ctx.text(what)}</b>"]
            if action.who.strip():
                lines.append(esc(_("Who will do it: {who}")).format(who=ctx.text(action.who)))
            due = format_date(action.due)
            if due:
                lines.append(esc(_("When: {day}")).format(day=ctx.text(due)))
            lines.append(esc(_("Done.") if action.done else _("Not done yet.")))
            story.append(_row(ctx, styles, DONE if action.done else ACTION, lines))
    story.append(Spacer(1, BASE_SIZE))
    story.append(Paragraph(esc(_("Thank you for coming.")), styles["line"]))
    story.append(Paragraph(esc(_("Ask us if you want the full summary.")), styles["line"]))
    return story
