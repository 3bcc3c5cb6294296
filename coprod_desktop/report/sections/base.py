"""Shared pieces of every section: paragraph styles, the report's context, headings and tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    PageBreak,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from ...domain import words
from ...domain.i18n import _, right_to_left
from ...domain.i18n import number as decimal
from ...domain.model import (
    Participant,
    Session,
    Step,
    StepKind,
)
from ...domain.text import blocks
from .. import rlsetup, styles
from ..fonts import BOLD, FAMILY, REGULAR
from ..markup import NameRedactor, bind_rtl, clean, esc, esc_lines, escape
from ..shaping import simple

INK = colors.HexColor(styles.INK)
MUTED = colors.HexColor(styles.MUTED_INK)
RULE = colors.HexColor(styles.RULE)
TINT = colors.HexColor(styles.PAPER_TINT)

NOT_REVEALED = words.NOT_REVEALED_IN_ROOM


# --- typography -----------------------------------------------------------------------


class Sheet:
    """The paragraph styles of one print size, in the direction of the current language.

    Each style exists twice: as written (left to right) and mirrored for a language written
    right to left (`domain.i18n.right_to_left`): aligned to the right, indents swapped, and
    `wordWrap="RTL"`, with which reportlab breaks lines in reading order and lays each line's
    words out from the right (report/shaping.py orders the characters inside each word).
    A section asks for `sheet.body` while it is built in its language (`i18n.using`), so a
    handout in Arabic with a second language in Welsh gets each part in its own direction.
    """

    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h2_loose: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    lead_in: ParagraphStyle
    bullet: ParagraphStyle
    small: ParagraphStyle
    story: ParagraphStyle
    callout: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    cell_centre: ParagraphStyle
    cell_right: ParagraphStyle
    cell_small: ParagraphStyle
    heat: ParagraphStyle
    left: int  # the alignment of the start of a line: TA_LEFT, or TA_RIGHT right to left

    def __init__(self, *, large_print: bool) -> None:
        self.__dict__["_styles"] = {}
        self._build(large_print=large_print)
        written: dict[str, Any] = self.__dict__.pop("_styles")
        self.__dict__["_directions"] = {
            False: written,
            True: {name: _mirrored(value) for name, value in written.items()},
        }

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, ParagraphStyle) or name == "left":
            self.__dict__["_styles"][name] = value
        else:
            super().__setattr__(name, value)

    def __getattr__(self, name: str) -> Any:
        directions = self.__dict__.get("_directions")
        if directions is not None and name in directions[False]:
            return directions[right_to_left()][name]
        raise AttributeError(name)

    def _build(self, *, large_print: bool) -> None:
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


_MIRRORED_ALIGNMENT = {TA_LEFT: TA_RIGHT, TA_RIGHT: TA_LEFT, TA_CENTER: TA_CENTER, TA_JUSTIFY: TA_JUSTIFY}


def _mirrored(value: Any) -> Any:
    """A style (or the start alignment) for a language written right to left."""
    if not isinstance(value, ParagraphStyle):
        return _MIRRORED_ALIGNMENT.get(value, value)
    padding = value.borderPadding
    if isinstance(padding, list | tuple) and len(padding) == 4:
        padding = (padding[0], padding[3], padding[2], padding[1])
    return ParagraphStyle(
        f"{value.name}-rtl",
        parent=value,
        alignment=_MIRRORED_ALIGNMENT.get(value.alignment, value.alignment),
        leftIndent=value.rightIndent,
        rightIndent=value.leftIndent,
        borderPadding=padding,
        wordWrap="RTL",
    )


class Heading(Paragraph):  # type: ignore[misc]
    """A heading that also makes a bookmark in the PDF's outline."""

    def __init__(
        self,
        markup: str | None,
        style: ParagraphStyle,
        outline_title: str = "",
        outline_level: int | None = None,
        **split_parts: Any,
    ) -> None:
        # reportlab makes the two halves of a split paragraph with (None, style, frags=...).
        super().__init__(markup, style, **split_parts)
        self.outline_title = outline_title
        self.outline_level = outline_level

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """A heading too long for the page (a title of thousands of characters) splits
        like any paragraph; its first part keeps the bookmark."""
        parts: list[Flowable] = super().split(available_width, available_height)
        if parts and isinstance(parts[0], Heading):
            parts[0].outline_title, parts[0].outline_level = self.outline_title, self.outline_level
        return parts


class Bar(Flowable):  # type: ignore[misc]
    """A horizontal bar for a share of votes: grey, so it prints the same in greyscale."""

    def __init__(self, fraction: float, width: float, height: float, colour: str) -> None:
        super().__init__()
        self.fraction = max(0.0, min(1.0, fraction))
        self.bar_width = width
        self.bar_height = height
        self.colour = colour
        self.from_right = right_to_left()  # a bar read from the right grows from the right

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
            filled = self.bar_width * self.fraction
            start = self.bar_width - filled if self.from_right else 0
            canvas.rect(start, 0, filled, self.bar_height, stroke=0, fill=1)


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

    def brief(self, value: str, most: int = 160) -> str:
        """Like `text`, cut short with an ellipsis: for a column header, which repeats on
        every page and cannot itself break across one."""
        plain = " ".join(self.redact(clean(value)).split())  # names go before anything is cut
        return esc(plain if len(plain) <= most else plain[: most - 1].rstrip() + "…")

    def para(self, value: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(self.text(value), style or self.sheet.body)

    def flow(
        self, value: str, style: ParagraphStyle, *, lines: bool = False, bullet: str | None = None
    ) -> list[Flowable]:
        """User text as paragraphs of at most PIECE characters each, so any length costs
        time in proportion to it: reportlab re-wraps the rest of a paragraph each time
        it splits one across a page, which for one huge paragraph is quadratic.

        Text that fits one piece is one Paragraph, exactly as `text`/`lines` make it."""
        plain = self.redact(clean(value))  # names are found before the text is cut
        if lines:
            plain = plain.strip("\n")
        if len(plain) <= PIECE:
            markup = esc_lines(plain) if lines else esc(plain)
            return [Paragraph(markup, style, bulletText=bullet)]
        cut = pieces(plain if lines else plain.replace("\n", " "))
        inner = ParagraphStyle(f"{style.name}-piece", parent=style, spaceBefore=0, spaceAfter=0)
        first = ParagraphStyle(f"{style.name}-first", parent=style, spaceAfter=0)
        last = ParagraphStyle(f"{style.name}-last", parent=style, spaceBefore=0)
        flowables: list[Flowable] = []
        for number, piece in enumerate(cut):
            shape = first if number == 0 else last if number == len(cut) - 1 else inner
            mark = bullet if number == 0 else None
            markup = escape(bind_rtl(piece)) or "&nbsp;"
            flowables.append(Paragraph(markup, shape, bulletText=mark))
        return flowables

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
        return found.name if found is not None else _("(someone since removed)")


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
    mirror: bool = True,
) -> Flowable:
    """A table of the report's look; read from the right in a right-to-left language, unless
    `mirror` is False (the matrix keeps its stages in time order from the left, as on screen)."""
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
    # A table lays out all its remaining rows again at every page it splits over, so a
    # cell of long text (a list of pieces from `cell`) would cost the square of its
    # length. It keeps its first piece; the rest follows the table, where it flows.
    overflow: list[Flowable] = []
    for row in rows:
        for column, value in enumerate(row):
            if isinstance(value, list) and len(value) > 1:
                number = sum(1 for f in overflow if isinstance(f, _Continued)) + 1
                row[column] = [value[0], Paragraph(continued_note(number), ctx.sheet.cell_small)]
                overflow.extend(continuation(ctx, number, value[1:]))
    # A plain string in a cell is drawn as it is, unshaped: text in another script goes in a
    # paragraph, which shapes and orders it.
    for number, row in enumerate(rows):
        for column, value in enumerate(row):
            if isinstance(value, str) and value and not simple(value):
                style = ctx.sheet.cell_head if header and number == 0 else ctx.sheet.cell
                row[column] = Paragraph(esc(value), style)
    rtl = right_to_left()
    if rtl and mirror:
        rows, widths, commands = mirror_table(rows, widths, commands)
    built = _ReportTable(
        rows,
        colWidths=list(widths),
        repeatRows=1 if header else 0,
        splitInRow=1,
        style=TableStyle(commands),
        hAlign="RIGHT" if rtl and mirror else "LEFT",
    )
    return _Run([built, *overflow]) if overflow else built


class _ReportTable(Table):  # type: ignore[misc]
    """reportlab's `Table`, drawing a cell of plain text (a card's number, a place on the canvas:
    thousands in a long list) straight onto the page: the operators `Canvas.drawString` would
    write, the string's part written once per document (`rlsetup.written`), without a text
    object and a width made for each. Any other cell is reportlab's own."""

    _curcellstyle: Any  # reportlab's: the style of the cell drawn last
    canv: Any

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:  # noqa: N802 - reportlab's name
        canvas = self.canv
        if (
            type(cellval) is not str
            or cellstyle.valign != "TOP"
            or cellstyle.alignment not in ("LEFT", "RIGHT")
            or cellstyle.href
            or cellstyle.destination
            or cellstyle.direction
            or cellstyle.shaping
            or not canvas.bottomup
        ):
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        if self._curcellstyle is not cellstyle:  # as reportlab sets the cell's font and colour
            current = self._curcellstyle
            if current is None or cellstyle.color != current.color:
                canvas.setFillColor(cellstyle.color)
            if (
                current is None
                or cellstyle.leading != current.leading
                or cellstyle.fontname != current.fontname
                or cellstyle.fontsize != current.fontsize
            ):
                canvas.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        column, row = pos
        width, height = size
        right = cellstyle.alignment == "RIGHT"
        x = column + width - cellstyle.rightPadding if right else column + cellstyle.leftPadding
        y = row + height - cellstyle.topPadding - cellstyle.fontsize
        code = canvas._code
        for line in cellval.split("\n"):
            start = x - stringWidth(line, canvas._fontname, canvas._fontsize) if right else x
            code.append(f"BT 1 0 0 1 {fp_str(start, y)} Tm {rlsetup.written(canvas, line)} T* ET")
            y -= cellstyle.leading


_MIRRORED_COMMANDS = {
    "LINEBEFORE": "LINEAFTER",
    "LINEAFTER": "LINEBEFORE",
    "LEFTPADDING": "RIGHTPADDING",
    "RIGHTPADDING": "LEFTPADDING",
}


def mirror_table(
    rows: list[list[Any]], widths: Sequence[float], commands: Sequence[tuple[Any, ...]]
) -> tuple[list[list[Any]], list[float], list[tuple[Any, ...]]]:
    """A table read from the right: columns in reverse order, and every style command's
    columns (and its left and right) with them. For a language written right to left the
    first column (a row's name) stands on the right, where reading starts."""
    count = len(widths)

    def column(index: int) -> int:
        return count - 1 - (index if index >= 0 else count + index)

    mirrored: list[tuple[Any, ...]] = [("ALIGN", (0, 0), (-1, -1), "RIGHT")]  # plain text starts on the right
    for command in commands:
        name, start, end, *rest = command
        if not isinstance(start, tuple) or not isinstance(end, tuple) or name == "ROWBACKGROUNDS":
            mirrored.append(command)
            continue
        first, last = sorted((column(start[0]), column(end[0])))
        name = _MIRRORED_COMMANDS.get(name, name)
        if name == "ALIGN" and rest and rest[0] in ("LEFT", "RIGHT"):
            rest = ["RIGHT" if rest[0] == "LEFT" else "LEFT", *rest[1:]]
        mirrored.append((name, (first, start[1]), (last, end[1]), *rest))
    return [list(reversed(row)) for row in rows], list(reversed(widths)), mirrored


class _Continued(Paragraph):  # type: ignore[misc]
    """The mark over the rest of a long table cell, below its table."""


def continued_note(number: int) -> str:
    """The markup closing the part of a long cell that stays in its table."""
    return "<i>" + esc(_("… continued below the table ({number})").format(number=number)) + "</i>"


def continuation(ctx: ReportContext, number: int, rest: Sequence[Flowable]) -> list[Flowable]:
    """The rest of long cell `number`, below its table, under its mark."""
    return [_Continued(f"({number})", ctx.sheet.cell_small), *rest]


class _Run(Flowable):  # type: ignore[misc]
    """Flowables that must follow each other: given to the frame as one, it asks to be
    split at once, and the frame then lays out each part in turn."""

    def __init__(self, parts: list[Flowable]) -> None:
        super().__init__()
        self.parts = parts

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, available_height + 1  # never "fits" whole: split instead

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        # The frame insists that the first part returned fits where it is.
        first, rest = self.parts[0], self.parts[1:]
        _, height = first.wrap(available_width, available_height)
        if height <= available_height:
            return [first, *rest]
        parts = first.split(available_width, available_height)
        return [*parts, *rest] if parts else []

    def draw(self) -> None:  # pragma: no cover - always split before drawing
        pass


def cell(ctx: ReportContext, value: str, style: ParagraphStyle | None = None) -> Any:
    """A table cell of user text: one Paragraph, or for long text a list of them
    (a table cell takes either, and a row can then split across pages)."""
    found = ctx.flow(value, style or ctx.sheet.cell)
    return found[0] if len(found) == 1 else found


def head(ctx: ReportContext, markup: str) -> Paragraph:
    return Paragraph(markup, ctx.sheet.cell_head)


def rich_text(ctx: ReportContext, text: str) -> list[Flowable]:
    """A step body (paragraphs and "- " bullets) as flowables."""
    flowables: list[Flowable] = []
    for block in blocks(clean(text)):
        for line in block.lines:
            if block.kind == "bullets":
                flowables.extend(ctx.flow(line, ctx.sheet.bullet, bullet="•"))
            else:
                flowables.extend(ctx.flow(line, ctx.sheet.body))
    return flowables


PIECE = 1500  # characters: about twenty lines of body text
SENTENCE_ENDS = (". ", "। ", "? ", "! ", "؟ ", "۔ ", "。", "！", "？")


def pieces(text: str, limit: int = PIECE) -> list[str]:
    """`text` cut at its line breaks, and any line longer than `limit` cut again: at
    the last sentence end or space in the second half of the limit, else (one very
    long word) at the limit itself. Linear in the length of `text`."""
    found: list[str] = []
    for line in text.split("\n"):
        start = 0
        while len(line) - start > limit:
            end = start + limit
            # A sentence's end in any script (full stop, danda, Arabic and CJK stops, ? and !).
            cut = max(line.rfind(stop, start + limit // 2, end) for stop in SENTENCE_ENDS)
            cut = cut + 1 if cut >= 0 else line.rfind(" ", start + limit // 2, end)
            if cut <= start:
                cut = end
            found.append(line[start:cut].rstrip(" "))
            start = cut
            while start < len(line) and line[start] == " ":
                start += 1
        found.append(line[start:])
    return found


def muted(ctx: ReportContext, markup: str) -> str:
    """Markup set small and grey, for asides beside a heading or under a title."""
    sheet = ctx.sheet
    return f"<font name='{REGULAR}' size='{sheet.small_size}' color='{styles.MUTED_INK}'>{markup}</font>"


def number(value: float | None, digits: int = 1) -> str:
    """A figure with no threshold to respect (a count's mean, a spread), in the language's digits."""
    return "–" if value is None else decimal(value, digits)
