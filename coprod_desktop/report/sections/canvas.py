"""The power-sharing canvas, drawn, with its plain reading and the list of cards."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Paragraph,
    Table,
)
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.paragraph import _SplitWord, _SplitWordEnd

from ...domain.canvas import reading
from ...domain.i18n import _, right_to_left
from ...domain.model import (
    Card,
    StepKind,
)
from ..canvas_drawing import canvas_drawing
from ..canvas_look import canvas_look
from ..fonts import BOLD, REGULAR
from ..markup import clean, esc
from ..quickcell import QuickCell, plain_words
from ..shaping import simple
from .base import ReportContext, continuation, continued_note, h1, h2, h2_loose, pieces, table


@lru_cache(maxsize=64)
def _colour(value: str) -> Color:
    return HexColor(value)


# --- the canvas -------------------------------------------------------------------------


def canvas_section(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    cards = session.cards
    if not ctx.shows(StepKind.CANVAS, bool(cards)):
        return []
    sheet = ctx.sheet
    background = session.canvas.background
    flowables = h1(ctx, ctx.section_title(StepKind.CANVAS, _("Who holds the power?")), new_page=bool(cards))
    if not cards:
        flowables.append(Paragraph(esc(_("No cards were placed on the canvas.")), sheet.body))
        return flowables
    intro = Paragraph(
        esc(
            _(
                "Each card is a person, a group or a decision. A hollow shape shows where it sits now; a "
                "filled shape shows where we want it to be, with an arrow for the change. The numbers lead "
                "to the list of cards."
            )
        ),
        sheet.lead_in,
    )
    size = 11.0 if ctx.large_print else 7.5
    if ctx.large_print:  # the picture first, as big as the page allows; the words after it
        flowables.append(
            canvas_drawing(cards, background, ctx.width, ctx.height - sheet.base * 4.5, font_size=size)
        )
        flowables.append(intro)
    else:
        flowables.append(intro)
        flowables.append(canvas_drawing(cards, background, ctx.width, ctx.height * 0.78, font_size=size))
    flowables.extend(canvas_reading(ctx))
    flowables.extend(card_table(ctx, cards))
    return flowables


READING_LIMIT = 12  # cards named in the reading; the table lists every card anyway


def canvas_reading(ctx: ReportContext) -> list[Flowable]:
    """The canvas's plain reading, word for word as `domain.canvas.reading` gives it."""
    lines = reading(ctx.session, limit=READING_LIMIT)
    if not lines:
        return []
    flowables: list[Flowable] = [h2(ctx, esc(_("What the canvas tells us")))]
    for line in lines:  # a line quotes its cards, whose text may be very long: in pieces
        flowables.extend(ctx.flow(line, ctx.sheet.bullet, bullet="•"))
    return flowables


# A card's text up to this length stays whole in its row. Longer text (a card may hold a
# book's worth) keeps its first part there and continues below the table, as a long cell
# does (`base.table`): reportlab wraps a row again at every page it runs over, so a row of
# a whole book would cost the square of its length.
CARD_WHOLE = 5_000


def card_table(ctx: ReportContext, cards: Sequence[Card]) -> list[Flowable]:
    sheet = ctx.sheet
    look = canvas_look(ctx.session.canvas.background)
    number_width = number_column_width(ctx, len(cards))
    if ctx.large_print:
        header = ["", _("Card")]
        widths = [number_width, ctx.width - number_width]
    else:
        # Translators: the heads of the list of cards: a card's text, where it sits now, and
        # where the group wants it to be. The last two columns are narrow (under a third of
        # the page each): short words, please.
        header = ["", _("Card"), _("Now"), _("Where we want it")]
        rest = ctx.width - number_width
        widths = [number_width, rest * 0.4, rest * 0.3, rest * 0.3]
    # A head too wide for its column (a translation's longer words) wraps in a paragraph.
    room = [width - 2 * sheet.padding for width in widths]
    head: list[Any] = [
        Paragraph(esc(text), sheet.cell_head) if stringWidth(text, BOLD, sheet.cell_size) > room[i] else text
        for i, text in enumerate(header)
    ]
    one_line = _one_line_cells(ctx, widths)
    rtl = right_to_left()
    rows: list[list[Any]] = []
    below: list[Flowable] = []
    continued = 0
    # Translators: after a card's kind, the participant who wrote it ("● Uses services · from Ana").
    from_whom = _(" · from {name}")
    no_text = _("(no text)")
    marked: dict[Any, str] = {}  # each kind of mark's markup, made once (a canvas has a few)
    for index, card in enumerate(cards, start=1):
        mark = look.mark(card)
        details = marked.get(mark)
        if details is None:
            details = marked[mark] = f"<font color='{mark.colour}'>{mark.symbol}</font> {esc(mark.name)}"
        said = mark.name  # the details as drawn, for a cell drawn without markup
        if ctx.names and card.participant_id in ctx.people:
            name = ctx.people[card.participant_id].name
            details += esc(from_whom).format(name=ctx.text(name))
            said += from_whom.format(name=ctx.redact(clean(name)))
        plain = ctx.redact(clean(card.text))
        if len(plain) > CARD_WHOLE:
            continued += 1
            first, *others = pieces(plain.replace("\n", " "))
            text = f"{esc(first)}</b> {continued_note(continued)}<b>"
            below.extend(
                continuation(
                    ctx, continued, [Paragraph(f"<b>{esc(piece)}</b>", sheet.cell) for piece in others]
                )
            )
        else:
            text = ctx.text(card.text or no_text)
        now_text = look.where(card.now_x, card.now_y)
        aim_text = look.where(card.aspiration_x, card.aspiration_y)
        now, aim = esc(now_text), esc(aim_text)
        number = str(index)
        number_cell = one_line(number, 0, BOLD) or Paragraph(f"<b>{number}</b>", sheet.cell)
        if ctx.large_print:
            line = "<br/>".join(
                [
                    f"<b>{text}</b>",
                    details,
                    # Translators: in large print, where a card sits now ({now} is a place on the canvas).
                    esc(_("Now: {now}")).format(now=now),
                    # Translators: in large print, where the group wants the card to be ({aim} is a place).
                    esc(_("We want: {aim}")).format(aim=aim),
                ]
            )
            rows.append([number_cell, Paragraph(line, sheet.cell)])
        else:
            markup = f"<b>{text}</b><br/><font size='{sheet.small_size}'>{details}</font>"
            shown = plain if card.text else no_text
            words = None if rtl or len(plain) > CARD_WHOLE else plain_words(shown)
            main: Flowable
            if words is not None and simple(mark.symbol) and plain_words(said) is not None:
                runs = [(f"{mark.symbol} ", _colour(mark.colour)), (said, sheet.cell.textColor)]
                main = QuickCell(
                    words, runs, markup, sheet.cell, bold=BOLD, regular=REGULAR, small_size=sheet.small_size
                )
            else:
                main = Paragraph(markup, sheet.cell)
            rows.append(
                [
                    number_cell,
                    main,
                    one_line(now_text, 2, REGULAR) or Paragraph(now, sheet.cell),
                    one_line(aim_text, 3, REGULAR) or Paragraph(aim, sheet.cell),
                ]
            )
    # The numbers are bold, and the places' lines as far apart, as their paragraphs were.
    as_paragraphs: list[tuple[Any, ...]] = [
        ("FONT", (0, 1), (0, -1), BOLD, sheet.cell_size),
        ("LEADING", (0, 1), (0, -1), sheet.cell.leading),
    ]
    if not ctx.large_print:
        as_paragraphs.append(("LEADING", (2, 1), (3, -1), sheet.cell.leading))
    return [
        *h2_loose(ctx, esc(_("The cards"))),
        ChunkedTable(lambda part: table(ctx, [head, *part], widths, extra=as_paragraphs), rows),
        *below,
    ]


def number_column_width(ctx: ReportContext, count: int) -> float:
    """The width of the list's column of card numbers: its usual width, or wider when the
    longest number (a list of 1,000 cards or more) would not fit on one line in it."""
    sheet = ctx.sheet
    digits = len(str(max(count, 1)))
    # The widest of the numbers of that many digits, in the bold the numbers are set in.
    widest = max(stringWidth(digit * digits, BOLD, sheet.cell_size) for digit in "0123456789")
    # A point to spare: a number exactly as wide as its room would still be broken.
    return float(max(sheet.base * 2.8, widest + 2 * sheet.padding + 1.0))


def _one_line_cells(ctx: ReportContext, widths: Sequence[float]) -> Callable[[str, int, str], str | None]:
    """A cell's text as a plain string, its lines broken where its paragraph breaks them, when
    the table draws it as the paragraph would: simple text in the cell's font, size and
    leading from its top left corner, read from the left. A table draws a string at once,
    where a paragraph is parsed, broken into lines and drawn word by word: for thousands of
    cards, a third of the report's time. The places ("Both plan, people deliver") are few, so
    each is broken into lines once, by reportlab itself. Anything else (another script, a word
    hyphenated, a handout read from the right) stays a paragraph. A word too long for its line
    is cut where the paragraph cuts it."""
    sheet = ctx.sheet
    rtl = right_to_left()
    found: dict[tuple[str, int], str | None] = {}

    def lines_of(text: str, column: int, font: str) -> str | None:
        room = widths[column] - sheet.padding - sheet.padding  # as the table gives its cells
        if stringWidth(text, font, sheet.cell_size) < room - 0.01 and text == " ".join(text.split()):
            return text  # one line
        style = sheet.cell_bold if font == BOLD else sheet.cell
        paragraph = Paragraph(esc(text), style)
        paragraph.wrap(room, 1e6)
        broken = paragraph.blPara
        if broken.kind != 0 or not all(
            left > -1e-8 and all(type(word) in _AS_DRAWN for word in words) for left, words in broken.lines
        ):
            return None  # a line whose spaces shrank, or a word hyphenated: drawn otherwise
        return "\n".join(" ".join(words) for _, words in broken.lines)

    digits_alike: dict[str, bool] = {}

    def one_line(text: str, column: int, font: str) -> str | None:
        if rtl or not text or not simple(text):
            return None
        if text.isascii() and text.isdigit():
            # A card's number: in a font whose digits are equally wide (ours), it breaks as
            # any number of as many digits does (its column is made wide enough for none to).
            if font not in digits_alike:
                digits_alike[font] = len({stringWidth(d, font, sheet.cell_size) for d in "0123456789"}) == 1
            if digits_alike[font]:
                key = ("0" * len(text), column)
                if key not in found:
                    found[key] = lines_of(key[0], column, font)
                pattern = found[key]
                if pattern is None:
                    return None
                lines, start = [], 0
                for line in pattern.split("\n"):
                    lines.append(text[start : start + len(line)])
                    start += len(line)
                return "\n".join(lines)
        key = (text, column)
        if key not in found:
            found[key] = lines_of(text, column, font)
        return found[key]

    return one_line


_AS_DRAWN = (str, _SplitWord, _SplitWordEnd)  # a word, or the parts of one cut to fit


class ChunkedTable(Flowable):  # type: ignore[misc]
    """A long table built a page at a time, with the same look as one `Table`.

    reportlab measures every remaining row of a `Table` each time it splits it at a page end,
    so one table of 5,000 cards costs time growing with the square of its length. This one
    makes a table of only about the rows that fit the room left (guessed from the page before,
    grown until they no longer fit), lets that split as usual (header repeated, a row may run
    over the page), and keeps the rows it did not place, unmeasured, for the next page.

    Where not even its first row fits whole (the foot of a page, asked before the next page
    is begun), what reportlab does (split that row in two, or place nothing) depends on the
    header and that row alone: a table of just those two is asked, not one of a page's rows."""

    FIRST_GUESS = 8

    def __init__(
        self,
        make: Callable[[list[list[Any]]], Table],
        rows: list[list[Any]],
        guess: int = FIRST_GUESS,
        width: float | None = None,
    ) -> None:
        super().__init__()
        self.make = make
        self.rows = rows
        self.guess = max(1, guess)
        self._made: tuple[int, Table] | None = None
        self._first: Table | None = None
        self._width = width

    def _table(self, size: int) -> Table:
        if self._made is None or self._made[0] != size:
            self._made = (size, self.make(self.rows[:size]))
        return self._made[1]

    def _first_row(self) -> Table:
        """The header and the first row, as a table of their own."""
        if self._first is None:
            self._first = self.make(self.rows[:1])
        return self._first

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        if len(self.rows) <= self.guess:
            self.width, self.height = self._table(len(self.rows)).wrap(availWidth, availHeight)
        else:
            # Taller than the room, as the whole table would say: the frame splits it next,
            # and only then is anything measured.
            if self._width is None:
                self._width = sum(self._first_row()._colWidths)
            self.width = self._width
            self.height = availHeight + 1
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        total = len(self.rows)
        if total > 1:
            first = self._first_row()
            if first.wrap(availWidth, availHeight)[1] > availHeight:
                return self._parts(list(first.split(availWidth, availHeight)), 1)
        size = min(self.guess, total)
        head = self._table(size)
        height = head.wrap(availWidth, availHeight)[1]
        while size < total and height <= availHeight:
            # All fitted: take about as many more rows as the room left holds, and two more.
            each = height / (size + 1)  # the header counted as a row
            size = min(size + int((availHeight - height) / each) + 2, total)
            head = self._table(size)
            height = head.wrap(availWidth, availHeight)[1]
        return self._parts(list(head.split(availWidth, availHeight)), size)

    def _parts(self, parts: list[Flowable], size: int) -> list[Flowable]:
        """The split of a table of the first `size` rows, and the rows it did not hold."""
        if size == len(self.rows) or not parts:
            return parts
        if len(parts) == 1:
            return [parts[0], ChunkedTable(self.make, self.rows[size:], size, self._width)]
        first, rest = parts[0], parts[1]
        # What the chunk did not place (less its repeated header), then the rows not yet made.
        # A right-to-left table holds its rows mirrored (`base.mirror_table`): turned back to
        # the order `make` is given, or every page after the first read from the left.
        turn = right_to_left()
        left: list[list[Any]] = [list(reversed(row)) if turn else list(row) for row in rest._cellvalues[1:]]
        placed = len(first._cellvalues) - 1
        return [first, ChunkedTable(self.make, left + self.rows[size:], placed + 2, self._width)]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        # Reached only when the rows left fitted in one table (see `wrap`).
        self._table(len(self.rows)).drawOn(canvas, x, y, _sW)
