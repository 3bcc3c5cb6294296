"""A table cell of simple text drawn straight onto the page, with its paragraph's lines and look.

The card table's main cell is a card's text in bold with, below it, a small line of details (a
coloured shape, its meaning, who wrote it). As a reportlab `Paragraph` each of thousands of such
cells is parsed from markup, broken into lines by reportlab's general routine and drawn word by
word: for 5,000 cards, a third of the report's time. `QuickCell` breaks the text as that
paragraph would (reportlab's rule for a left-aligned paragraph of one font: a word joins the line
while the line, its spaces allowed to shrink by `rl_config.spaceShrinkage`, still fits) and
draws each line as one run, in the same fonts, colours and places.

Only text reportlab would not treat otherwise is taken: simple (no shaping, no fallback font,
nothing read from the right), words parted by spaces only, no word wider than the cell, the
details on one line. Anything else, and a cell split across a page, is the paragraph itself
(`markup` in `style`), so the look never depends on which path drew it
(tests/report/test_quick_cell.py compares the lines with reportlab's).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph
from reportlab.platypus.flowables import Flowable

from .shaping import simple

_EPSILON = 1e-6  # a decision this close to the limit is left to reportlab
_widths: dict[tuple[str, float], dict[str, float]] = {}


def _width_of(font: str, size: float) -> dict[str, float]:
    """Word widths in `font` at `size`, measured once (card texts share most of their words)."""
    return _widths.setdefault((font, size), {})


def plain_words(text: str) -> list[str] | None:
    """`text`'s words when reportlab would split it into the same words at its spaces and
    draw it unshaped, else None."""
    if not text or not simple(text):
        return None
    words = [word for word in text.split(" ") if word]  # spaces at the ends or doubled count as one
    for word in words:
        if not word.isprintable() or any(char.isspace() for char in word):
            return None  # tabs, no-break spaces, line breaks
    return words or None


def break_words(
    words: Sequence[str], font: str, size: float, room: float
) -> list[tuple[float, list[str]]] | None:
    """`words` in lines of at most `room` points as reportlab breaks a paragraph of them
    followed by a line break: (room left, words) per line; None when a word is wider than
    `room` (reportlab splits it) or a line ends too close to call."""
    known = _width_of(font, size)
    space = known.get(" ")
    if space is None:
        space = known[" "] = stringWidth(" ", font, size)
    shrink = space * rl_config.spaceShrinkage
    lines: list[tuple[float, list[str]]] = []
    line: list[str] = []
    width = 0.0
    for word in words:
        found = known.get(word)
        if found is None:
            found = known[word] = stringWidth(word, font, size)
        if found > room - _EPSILON:
            return None
        if not line:
            line, width = [word], found
            continue
        wider = width + space + found
        limit = room + shrink * len(line)  # the line's spaces, and the one before this word
        if abs(wider - limit) < _EPSILON:
            return None
        if wider > limit:
            lines.append((room - width, line))
            line, width = [word], found
        else:
            line.append(word)
            width = wider
    if line:
        lines.append((room - width, line))
    return lines


class QuickCell(Flowable):  # type: ignore[misc]
    """Bold `text` over one small line of `details` runs ((text, colour) each), in a table
    cell; `markup` in `style` is the same cell as a paragraph, used whenever this cannot
    draw it as that paragraph would."""

    def __init__(
        self,
        words: list[str],
        details: list[tuple[str, Color]],
        markup: str,
        style: ParagraphStyle,
        *,
        bold: str,
        regular: str,
        small_size: float,
    ) -> None:
        super().__init__()
        self.words = words
        self.details = details
        self.markup = markup
        self.style = style
        self.bold = bold
        self.regular = regular
        self.small_size = small_size
        self._lines: tuple[float, list[tuple[float, list[str]]] | None] | None = None
        self._paragraph: Paragraph | None = None

    def paragraph(self) -> Paragraph:
        if self._paragraph is None:
            self._paragraph = Paragraph(self.markup, self.style)
        return self._paragraph

    def _broken(self, room: float) -> list[tuple[float, list[str]]] | None:
        if self._lines is None or self._lines[0] != room:
            lines = break_words(self.words, self.bold, self.style.fontSize, room)
            if lines is not None:
                known = _width_of(self.regular, self.small_size)
                details = "".join(text for text, _colour in self.details)
                width = known.get(details)
                if width is None:
                    width = known[details] = stringWidth(details, self.regular, self.small_size)
                if width > room - 0.01:
                    lines = None  # the details would wrap: reportlab's own breaking
            self._lines = (room, lines)
        return self._lines[1]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        lines = self._broken(availWidth)
        if lines is None:
            return self.paragraph().wrap(availWidth, availHeight)  # type: ignore[no-any-return]
        self.width = availWidth
        self.height = (len(lines) + 1) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        # Only at a page's end, when a table breaks inside this row: as the paragraph does.
        paragraph = self.paragraph()
        paragraph.wrap(availWidth, availHeight)
        return paragraph.split(availWidth, availHeight)  # type: ignore[no-any-return]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        if self._lines is None or self._lines[1] is None:
            self.paragraph().drawOn(canvas, x, y, _sW)
        else:
            super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        # What Paragraph.drawPara writes for these lines (left aligned, leading fixed): the
        # first baseline a font size below the top, each line one run, a line whose spaces
        # shrank drawn with the same negative word space.
        assert self._lines is not None
        assert self._lines[1] is not None
        lines = self._lines[1]
        style = self.style
        leading = style.leading
        canvas = self.canv
        canvas.saveState()
        y = self.height - style.fontSize
        text = canvas.beginText(0, y)
        text.setFont(self.bold, style.fontSize, leading)
        text.setFillColor(style.textColor)
        for extra, words in lines:
            text.setTextOrigin(0, y)
            spaces = len(words) - 1
            if extra <= -1e-8 and spaces > 0:
                text.setWordSpace(extra / spaces)
                text.textOut(" ".join(words))
                text.setWordSpace(0)
            else:
                text.textOut(" ".join(words))
            y -= leading
        text.setTextOrigin(0, y)
        text.setFont(self.regular, self.small_size, leading)
        for run, colour in self.details:
            text.setFillColor(colour)
            text.textOut(run)
        canvas.drawText(text)
        canvas.restoreState()
