"""A handout printed in two languages: each part's pages carry its own header and footer.

The second part used to keep the first part's page furniture: "Page 14 of 24" in English, from
the left, on the pages of an Arabic second part, and "الصفحة 14 من 24" on an English one.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf._page import PageObject

from coprod_desktop.domain.i18n import _, right_to_left, using
from coprod_desktop.domain.model import Session
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.report.pdf import ReportOptions, render_pdf
from coprod_desktop.storage.templates import load_builtin_template

from .helpers import nfc, sample

# The marks a reader puts around a line it reads from the right.
_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_MARGIN = 18 * 72 / 25.4  # the handout's margin on A4 (pdf.py), where the footer's line stands


@cache
def _arabic_session() -> Session:
    return build_sample(load_builtin_template(language="ar"))


def _session(first: str) -> Session:
    # An Arabic first part is an Arabic workshop's handout, as a room in Arabic prints it.
    return _arabic_session() if first == "ar" else sample()


@dataclass(frozen=True)
class Word:
    x: float
    y: float
    text: str


def _words(page: PageObject) -> list[Word]:
    """The page's pieces of text where the reader finds them, in points from the bottom left."""
    found: list[Word] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append(Word(x, y, nfc(text.translate(_MARKS)).strip()))

    page.extract_text(visitor_text=visit)
    return found


def _arabic(text: str) -> bool:
    return any("\u0600" <= char <= "\u06ff" or "\ufb50" <= char <= "\ufeff" for char in text)


@dataclass(frozen=True)
class Handout:
    reader: PdfReader
    first_pages: int  # how many pages the first part has

    def language_of(self, number: int, first: str, second: str) -> str:
        return first if number <= self.first_pages else second


@cache
def _handout(first: str, second: str) -> Handout:
    session = _session(first)
    alone = PdfReader(io.BytesIO(render_pdf(session, ReportOptions(paper="a4", language=first))))
    both = render_pdf(session, ReportOptions(paper="a4", language=first, second_language=second))
    return Handout(PdfReader(io.BytesIO(both)), len(alone.pages))


PAIRS = [("en-GB", "cy"), ("en-GB", "ar"), ("ar", "en-GB")]


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_each_part_has_its_own_languages_footer_on_one_line(first: str, second: str) -> None:
    handout = _handout(first, second)
    pages = handout.reader.pages
    total = len(pages)
    assert handout.first_pages < total  # there is a second part
    for number, page in enumerate(pages, start=1):
        language = handout.language_of(number, first, second)
        other = second if language == first else first
        with using(language):
            footer = _("Page {page} of ").format(page=number) + str(total)
        with using(other):
            not_footer = _("Page {page} of ").format(page=number) + str(total)
        words = footer.split()
        if right_to_left(language):
            words.reverse()  # a line read from the right comes out as it stands, from the left
        lines = [" ".join(line.translate(_MARKS).split()) for line in page.extract_text().splitlines()]
        assert " ".join(words) in lines, (number, language, lines[-3:])
        assert not any(not_footer.split()[0] in line.split() for line in lines[-3:]), (number, lines[-3:])


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_each_parts_footer_stands_in_its_languages_direction(first: str, second: str) -> None:
    """From the left margin in English and Welsh; in Arabic from the right margin, its total to
    the left of "الصفحة 14 من", as a single-language Arabic handout has it."""
    handout = _handout(first, second)
    pages = handout.reader.pages
    for number, page in enumerate(pages, start=1):
        language = handout.language_of(number, first, second)
        width = float(page.mediabox.width)
        footer = sorted((w for w in _words(page) if abs(w.y - _MARGIN) < 1), key=lambda w: w.x)
        assert footer, number
        if right_to_left(language):
            assert footer[0].x > width / 2, (number, footer)
            assert footer[0].text == str(len(pages)), (number, footer)
            assert _arabic(footer[-1].text), (number, footer)
        else:
            assert abs(footer[0].x - _MARGIN) < 1, (number, footer)
            assert footer[-1].text == str(len(pages)), (number, footer)
            assert not any(_arabic(w.text) for w in footer), (number, footer)


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_each_parts_running_header_is_in_its_language_and_direction(first: str, second: str) -> None:
    """The kind of handout ("Workshop summary") in the part's language, at the end of the line
    its language reads towards: the right in English and Welsh, the left in Arabic."""
    handout = _handout(first, second)
    covers = {1, handout.first_pages + 1}  # a cover page has no running header
    for number, page in enumerate(handout.reader.pages, start=1):
        if number in covers:
            continue
        language = handout.language_of(number, first, second)
        with using(language):
            kind = _("Workshop summary")
        height, width = float(page.mediabox.height), float(page.mediabox.width)
        header = sorted((w for w in _words(page) if w.y > height - _MARGIN - 20), key=lambda w: w.x)
        assert header, number
        kind_words = kind.split()
        if right_to_left(language):
            kind_words.reverse()
            shown = [w.text for w in header[: len(kind_words)]]
            assert abs(header[0].x - _MARGIN) < 1, (number, header)
        else:
            shown = [w.text for w in header[-len(kind_words) :]]
            assert header[-1].x > width / 2, (number, header)
        assert shown == kind_words, (number, language, [w.text for w in header])


def test_the_second_parts_pages_count_on_out_of_the_whole_handout() -> None:
    """One document handed out as one: page 14 of the PDF says it is page 14 of all 24, in
    either part, as the first part's pages do."""
    handout = _handout("en-GB", "cy")
    total = len(handout.reader.pages)
    number = handout.first_pages + 2
    with using("cy"):
        expected = _("Page {page} of ").format(page=number) + str(total)
    assert " ".join(expected.split()) in handout.reader.pages[number - 1].extract_text()


# --- the rest of the second part: as the handout printed in that language alone ---------------


def _masked(text: str) -> str:
    """A page's text with its numbers left out: the part's pages are numbered on from the first."""
    return re.sub(r"\d+", "#", nfc(text))


@pytest.mark.parametrize(
    ("first", "second", "names"),
    [("en-GB", "cy", True), ("en-GB", "cy", False), ("en-GB", "ar", True), ("ar", "en-GB", True)],
)
def test_the_second_part_prints_as_the_handout_in_its_language_alone(
    first: str, second: str, names: bool
) -> None:
    """Page for page the same text, bar the page numbers. Before, an anonymous handout's second
    part put the first language's roles for the names ("[manager or commissioner]" in Welsh),
    and an Arabic second part's list of cards read from the left."""
    session = _session(first)

    def pages(**options: object) -> list[str]:
        data = render_pdf(session, ReportOptions(paper="a4", names=names, **options))  # type: ignore[arg-type]
        return [_masked(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]

    one = pages(language=first)
    alone = pages(language=second)
    both = pages(language=first, second_language=second)
    assert both[: len(one)] == one
    assert both[len(one) :] == alone


def test_an_arabic_second_parts_card_table_reads_from_the_right_on_every_page() -> None:
    """The list of cards is made a page at a time (`ChunkedTable`), while the document is laid
    out: in the second part's language, its numbers column on the right in Arabic, as the
    first part's stands on the left in English."""
    from .test_card_table import many_cards

    session = many_cards(70)
    alone = PdfReader(io.BytesIO(render_pdf(session, ReportOptions(paper="a4"))))
    reader = PdfReader(io.BytesIO(render_pdf(session, ReportOptions(paper="a4", second_language="ar"))))
    listing = {"en-GB": 0, "ar": 0}
    for number, page in enumerate(reader.pages, start=1):
        language = "en-GB" if number <= len(alone.pages) else "ar"
        with using(language):
            head = _("Where we want it")
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        words = _words_and_fonts(page)
        shown = {text for _x, _y, text, _bold in words}
        if head not in shown and not set(head.split()) <= shown:  # a run of words, or word by word
            continue  # not a page of the list
        numbers = [
            x
            for x, y, text, bold in words
            if bold and re.fullmatch(r"\d{1,3}", text) and 80 < y < height - 80
        ]
        if not numbers:
            continue
        listing[language] += 1
        if language == "ar":
            assert all(x > width / 2 for x in numbers), (number, numbers)
        else:
            assert all(x < width / 2 for x in numbers), (number, numbers)
    # The list ran over several pages in each part.
    assert listing["en-GB"] >= 3, listing
    assert listing["ar"] >= 3, listing


def _words_and_fonts(page: PageObject) -> list[tuple[float, float, str, bool]]:
    found: list[tuple[float, float, str, bool]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            bold = font is not None and "Bold" in str(font.get("/BaseFont", ""))
            found.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text.strip(), bold))

    page.extract_text(visitor_text=visit)
    return found
