"""Shared pieces of every section: paragraph styles, the report's context, headings and tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    PageBreak,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from ...domain import words
from ...domain.model import (
    Participant,
    Session,
    Step,
    StepKind,
)
from ...domain.text import blocks
from .. import styles
from ..fonts import BOLD, FAMILY, REGULAR
from ..markup import NameRedactor, clean, esc, esc_lines

INK = colors.HexColor(styles.INK)
MUTED = colors.HexColor(styles.MUTED_INK)
RULE = colors.HexColor(styles.RULE)
TINT = colors.HexColor(styles.PAPER_TINT)

NOT_REVEALED = words.NOT_REVEALED_IN_ROOM


# --- typography -----------------------------------------------------------------------


class Sheet:
    """The paragraph styles of one print size."""

    def __init__(self, *, large_print: bool) -> None:
        self.large_print = large_print
        base = 16.0 if large_print else 10.0
        self.base = base
        self.cell_size = 14.0 if large_print else 8.6
        self.small_size = 13.0 if large_print else 8.0
        lead = 1.35

        def style(name: str, size: float, **extra: Any) -> ParagraphStyle:
            settings: dict[str, Any] = {
                "fontName": REGULAR,
                "bulletFontName": REGULAR,  # the default, Helvetica, is not embedded
                "bulletFontSize": size,
                "fontSize": size,
                "leading": round(size * lead, 1),
                "textColor": INK,
                "splitLongWords": 1,
                "allowWidows": 0,
                "allowOrphans": 0,
            }
            settings.update(extra)
            return ParagraphStyle(name, **settings)

        self.title = style("title", base * 2.3, fontName=BOLD, leading=base * 2.75, spaceAfter=base * 0.6)
        self.subtitle = style("subtitle", base * 1.25, textColor=MUTED, spaceAfter=base * 1.4)
        self.h1 = style(
            "h1",
            base * 1.7,
            fontName=BOLD,
            leading=base * 2.1,
            spaceBefore=base * 0.4,
            spaceAfter=base * 0.6,
            keepWithNext=1,
        )
        self.h2 = style(
            "h2", base * 1.25, fontName=BOLD, spaceBefore=base * 0.9, spaceAfter=base * 0.35, keepWithNext=1
        )
        self.h2_loose = style(
            "h2_loose", base * 1.25, fontName=BOLD, spaceBefore=base * 0.9, spaceAfter=base * 0.35
        )
        self.h3 = style(
            "h3", base * 1.05, fontName=BOLD, spaceBefore=base * 0.6, spaceAfter=base * 0.2, keepWithNext=1
        )
        self.body = style("body", base, spaceAfter=base * 0.55)
        self.lead_in = style("lead_in", base, spaceAfter=base * 0.55, textColor=MUTED)
        self.bullet = style(
            "bullet", base, leftIndent=base * 1.3, bulletIndent=base * 0.3, spaceAfter=base * 0.25
        )
        self.small = style("small", self.small_size, textColor=MUTED, spaceAfter=base * 0.4)
        self.story = style(
            "story", base, fontName=f"{FAMILY}-Italic", leftIndent=base * 0.8, spaceAfter=base * 0.5
        )
        self.callout = style(
            "callout",
            base * 1.1,
            fontName=BOLD,
            borderColor=INK,
            borderWidth=1.2,
            borderPadding=(base * 0.6, base * 0.7, base * 0.6, base * 0.7),
            spaceBefore=base * 0.7,
            spaceAfter=base * 1.1,
            leftIndent=base * 0.7,
            rightIndent=base * 0.7,
        )
        self.cell = style("cell", self.cell_size)
        self.cell_bold = style("cell_bold", self.cell_size, fontName=BOLD)
        self.cell_head = style("cell_head", self.cell_size, fontName=BOLD)
        self.cell_centre = style("cell_centre", self.cell_size, alignment=TA_CENTER)
        self.cell_right = style("cell_right", self.cell_size, alignment=TA_RIGHT)
        self.cell_small = style("cell_small", self.small_size, textColor=MUTED)
        self.heat = style("heat", self.cell_size, alignment=TA_CENTER, leading=self.cell_size * 1.25)
        self.left = TA_LEFT
        self.padding = 5.0 if large_print else 3.5


class Heading(Paragraph):  # type: ignore[misc]
    """A heading that also makes a bookmark in the PDF's outline."""

    def __init__(
        self, markup: str, style: ParagraphStyle, outline_title: str, outline_level: int | None
    ) -> None:
        super().__init__(markup, style)
        self.outline_title = outline_title
        self.outline_level = outline_level


class Bar(Flowable):  # type: ignore[misc]
    """A horizontal bar for a share of votes: grey, so it prints the same in greyscale."""

    def __init__(self, fraction: float, width: float, height: float, colour: str) -> None:
        super().__init__()
        self.fraction = max(0.0, min(1.0, fraction))
        self.bar_width = width
        self.bar_height = height
        self.colour = colour

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.bar_width = min(self.bar_width, available_width)
        return self.bar_width, self.bar_height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.setFillColor(colors.white)
        canvas.rect(0, 0, self.bar_width, self.bar_height, stroke=1, fill=1)
        if self.fraction > 0:
            canvas.setFillColor(colors.HexColor(self.colour))
            canvas.rect(0, 0, self.bar_width * self.fraction, self.bar_height, stroke=0, fill=1)


# --- context --------------------------------------------------------------------------


@dataclass
class ReportContext:
    session: Session
    names: bool
    facilitator: bool
    large_print: bool
    sheet: Sheet
    width: float
    height: float
    redact: NameRedactor = field(init=False)
    people: dict[str, Participant] = field(init=False)

    def __post_init__(self) -> None:
        self.redact = NameRedactor(self.session.participants, enabled=not self.names)
        self.people = {person.id: person for person in self.session.participants}

    def text(self, value: str) -> str:
        """User text, made anonymous if need be, escaped for paragraph markup."""
        return esc(self.redact(clean(value)))

    def lines(self, value: str) -> str:
        """Like `text`, keeping line breaks."""
        return esc_lines(self.redact(clean(value)))

    def para(self, value: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(self.text(value), style or self.sheet.body)

    def step(self, kind: StepKind) -> Step | None:
        for step in self.session.steps:
            if step.kind is kind:
                return step
        return None

    def section_title(self, kind: StepKind, default: str) -> str:
        step = self.step(kind)
        title = clean(step.title).strip() if step is not None else ""
        return title or default

    def shows(self, kind: StepKind, has_content: bool) -> bool:
        """A section appears when it has something to show, or its step was part of the day."""
        step = self.step(kind)
        return has_content or (step is not None and not step.hidden)

    def person(self, participant_id: str) -> str:
        found = self.people.get(participant_id)
        return found.name if found is not None else "(someone since removed)"


def h1(ctx: ReportContext, title: str, *, new_page: bool = False) -> list[Flowable]:
    """A section heading, with its bookmark; on a new page if asked, else where it fits."""
    # Where less than a quarter of the page is left, start the section on a new one.
    flowables: list[Flowable] = [PageBreak()] if new_page else [CondPageBreak(ctx.height * 0.25)]
    flowables.append(Heading(esc(title), ctx.sheet.h1, " ".join(clean(title).split()), 0))
    return flowables


def h2(ctx: ReportContext, title_markup: str, outline: str | None = None) -> Heading:
    return Heading(title_markup, ctx.sheet.h2, outline or "", 1 if outline else None)


def h2_loose(ctx: ReportContext, title_markup: str, outline: str | None = None) -> list[Flowable]:
    """A heading over a long table: a new page only if little room is left, then the table splits.

    keepWithNext would tie the heading to the whole table, and a table longer than the
    rest of the page would then leave that rest empty.
    """
    heading = Heading(title_markup, ctx.sheet.h2_loose, outline or "", 1 if outline else None)
    return [CondPageBreak(ctx.sheet.base * 10), heading]


def table(
    ctx: ReportContext,
    rows: list[list[Any]],
    widths: Sequence[float],
    *,
    header: bool = True,
    extra: Iterable[tuple[Any, ...]] = (),
    grid: bool = True,
) -> Table:
    pad = ctx.sheet.padding
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), REGULAR, ctx.sheet.cell_size),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]
    if grid:
        commands.append(("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE))
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), TINT),
            ("FONT", (0, 0), (-1, 0), BOLD, ctx.sheet.cell_size),
            ("LINEBELOW", (0, 0), (-1, 0), 1.0, INK),
        ]
    commands.extend(extra)
    return Table(
        rows,
        colWidths=list(widths),
        repeatRows=1 if header else 0,
        splitInRow=1,
        style=TableStyle(commands),
        hAlign="LEFT",
    )


def cell(ctx: ReportContext, value: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A table cell of user text."""
    return Paragraph(ctx.text(value), style or ctx.sheet.cell)


def head(ctx: ReportContext, markup: str) -> Paragraph:
    return Paragraph(markup, ctx.sheet.cell_head)


def rich_text(ctx: ReportContext, text: str) -> list[Flowable]:
    """A step body (paragraphs and "- " bullets) as flowables."""
    flowables: list[Flowable] = []
    for block in blocks(clean(text)):
        if block.kind == "bullets":
            flowables.extend(
                Paragraph(ctx.text(line), ctx.sheet.bullet, bulletText="•") for line in block.lines
            )
        else:
            flowables.extend(Paragraph(ctx.text(line), ctx.sheet.body) for line in block.lines)
    return flowables


def muted(ctx: ReportContext, markup: str) -> str:
    """Markup set small and grey, for asides beside a heading or under a title."""
    sheet = ctx.sheet
    return f"<font name='{REGULAR}' size='{sheet.small_size}' color='{styles.MUTED_INK}'>{markup}</font>"


def number(value: float | None) -> str:
    """A figure with no threshold to respect (a count's mean, a spread): `words.one_decimal`."""
    return words.one_decimal(value)
