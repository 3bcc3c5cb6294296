"""The canvas's list of cards, built a page at a time, prints as one long table would."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from coprod_desktop.domain.i18n import _, using
from coprod_desktop.domain.model import Card, CardKind, RoleGroup
from coprod_desktop.report.pdf import ReportOptions, build_pdf
from coprod_desktop.report.sections import canvas as canvas_section

from .helpers import nfc, sample


def many_cards(count: int):  # type: ignore[no-untyped-def]
    session = sample()
    for n in range(count):
        session.put(
            Card(
                id=f"extra{n:04d}",
                kind=CardKind.STAKEHOLDER if n % 2 else CardKind.DECISION,
                text=f"Extra card {n:04d} " + "with a longer text that wraps " * (n % 4),
                role=RoleGroup.CARER if n % 2 else None,
                now_x=float(n % 1000),
                now_y=float((n * 7) % 1000),
                position=500 + n,
            )
        )
    return session


def page_texts(path: Path) -> list[str]:
    return [nfc(page.extract_text()) for page in PdfReader(path).pages]


@pytest.mark.parametrize("large_print", [False, True])
def test_the_chunked_card_table_matches_one_table_page_for_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, large_print: bool
) -> None:
    session = many_cards(70)
    options = ReportOptions(paper="a4", large_print=large_print)
    chunked = build_pdf(session, tmp_path / "chunked.pdf", options)
    monkeypatch.setattr(canvas_section.ChunkedTable, "FIRST_GUESS", 10**6)  # one table for every card
    whole = build_pdf(session, tmp_path / "whole.pdf", options)
    assert chunked.pages == whole.pages
    assert page_texts(tmp_path / "chunked.pdf") == page_texts(tmp_path / "whole.pdf")


def test_rows_that_run_over_a_page_split_as_in_one_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cards of a dozen lines each: at most pages' feet no whole row fits and a row is split
    in two, which the chunked table asks of the header and that row alone."""
    session = sample()
    for n in range(40):
        words = " ".join(f"word{n}x{k}" for k in range(40 + (n % 3) * 25))
        session.put(
            Card(
                id=f"long{n:03d}", kind=CardKind.DECISION, text=f"Long card {n:03d} {words}", position=700 + n
            )
        )
    options = ReportOptions(paper="a4")
    chunked = build_pdf(session, tmp_path / "chunked.pdf", options)
    monkeypatch.setattr(canvas_section.ChunkedTable, "FIRST_GUESS", 10**6)
    whole = build_pdf(session, tmp_path / "whole.pdf", options)
    assert chunked.pages == whole.pages
    texts = page_texts(tmp_path / "chunked.pdf")
    assert texts == page_texts(tmp_path / "whole.pdf")
    # Rows did run over pages: a card's words on two pages of the list.
    import re

    cards = [set(re.findall(r"word(\d+)x", text)) for text in texts if "Where we want it" in text]
    assert sum(1 for one, two in zip(cards, cards[1:], strict=False) if one & two) >= 5


def test_every_card_is_listed_in_order_with_the_header_on_each_page(tmp_path: Path) -> None:
    session = many_cards(70)
    build_pdf(session, tmp_path / "cards.pdf", ReportOptions(paper="a4"))
    pages = page_texts(tmp_path / "cards.pdf")
    listing = [p for p in pages if "Where we want it" in p]
    assert len(listing) > 2  # the list runs over several pages, each with its header
    text = "\n".join(listing)
    found = [text.index(f"Extra card {n:04d}") for n in range(70)]
    assert found == sorted(found)
    assert all(text.count(f"Extra card {n:04d}") >= 1 for n in range(70))  # the reading names a few too


@pytest.mark.parametrize("large_print", [False, True])
def test_an_arabic_card_table_reads_from_the_right_on_every_page(tmp_path: Path, large_print: bool) -> None:
    """The numbers column stands on the right on every page of the list. Before, each page
    after the first had rows mirrored back: numbers under "Where we want it", places squeezed
    into the numbers' narrow column."""
    import re

    build_pdf(
        many_cards(70), tmp_path / "ar.pdf", ReportOptions(paper="a4", language="ar", large_print=large_print)
    )
    with using("ar"):  # the list's last head, word by word as the page gives them
        head = _("Card") if large_print else _("Where we want it")
    assert not head.isascii()
    listing = 0
    for page in PdfReader(tmp_path / "ar.pdf").pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        numbers: list[tuple[str, float]] = []
        heads: list[str] = []

        def seen(text, cm, tm, font, _size, numbers=numbers, heads=heads, height=height) -> None:  # type: ignore[no-untyped-def]
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            heads.append(text.strip())
            bold = font is not None and "Bold" in str(font.get("/BaseFont", ""))
            # A card's number: bold, in the body of the page (not its head or foot).
            if bold and re.fullmatch(r"\d{1,3}", text.strip()) and 80 < y < height - 80:
                numbers.append((text.strip(), x))

        page.extract_text(visitor_text=seen)
        if not set(head.split()) <= set(heads) or not numbers:
            continue  # not a page of the list
        listing += 1
        assert all(x > width / 2 for _number, x in numbers), [n for n in numbers if n[1] <= width / 2]
    assert listing >= 3  # the list ran over several pages


# --- card numbers of four digits -------------------------------------------------------------


def _numbers_column(reader: PdfReader, pages: list[int]) -> list[str]:
    """The bold numbers drawn at the left edge of the list's rows on `pages`, as the pages'
    text gives them, in drawing order."""
    found: list[str] = []
    for index in pages:
        page = reader.pages[index]
        width = float(page.mediabox.width)

        def seen(text, cm, tm, font, _size, found=found, width=width) -> None:  # type: ignore[no-untyped-def]
            x = tm[4] * cm[0] + cm[4]
            bold = font is not None and "Bold" in str(font.get("/BaseFont", ""))
            if bold and text.strip().isdigit() and x < width * 0.12:
                found.append(text.strip())

        page.extract_text(visitor_text=seen)
    return found


def test_card_numbers_of_four_digits_stay_on_one_line(tmp_path: Path) -> None:
    """With 1,000 cards or more the numbers column is wide enough for the longest number.
    Before, "1001" was broken as "100" over "1" in its narrow column."""
    session = sample()
    extra = 1005 - len(session.cards)
    for n in range(extra):
        session.put(Card(id=f"many{n:04d}", kind=CardKind.DECISION, text=f"Point {n}", position=600 + n))
    build_pdf(session, tmp_path / "many.pdf", ReportOptions(paper="a4"))
    reader = PdfReader(tmp_path / "many.pdf")
    texts = [page.extract_text() for page in reader.pages]
    first_page = next(i for i, text in enumerate(texts) if f"Point {extra - 30}\n" in text)
    last_page = next(i for i, text in enumerate(texts) if f"Point {extra - 1}\n" in text)
    numbers = _numbers_column(reader, list(range(first_page, last_page + 1)))
    assert "1005" in numbers
    # Every number whole, once, in order: no piece of a broken one.
    first = int(numbers[0])
    assert numbers == [str(n) for n in range(first, 1006)]


@pytest.mark.parametrize(
    ("large_print", "language"), [(False, None), (True, None), (False, "ar"), (True, "ar")]
)
def test_the_numbers_column_fits_the_longest_number(large_print: bool, language: str | None) -> None:
    """In every print size and direction the cell of card 1,005 lays out on one line."""
    from reportlab.platypus import Paragraph

    session = sample()
    for n in range(1005 - len(session.cards)):
        session.put(Card(id=f"many{n:04d}", kind=CardKind.DECISION, text=f"Point {n}", position=600 + n))
    ctx = _context(session, large_print)
    with using(language or "en-GB"):
        flowables = canvas_section.card_table(ctx, session.cards)
        chunked = next(f for f in flowables if isinstance(f, canvas_section.ChunkedTable))
        table = chunked.make(chunked.rows[-3:])
        table.wrap(ctx.width, 1e6)
        for row in table._cellvalues[1:]:
            number = row[-1] if language == "ar" else row[0]  # read from the right: the last column
            if isinstance(number, list | tuple):  # a table holds a cell's flowables in a tuple
                (number,) = number
            if isinstance(number, Paragraph):
                assert len(number.blPara.lines) == 1, number.text
                number = number.text
            assert "\n" not in number, number
        assert "1005" in str(table._cellvalues[-1])


@pytest.mark.parametrize("large_print", [False, True])
def test_a_list_of_fewer_than_1000_cards_keeps_its_numbers_column(large_print: bool) -> None:
    ctx = _context(sample(), large_print)
    chunked = next(
        f
        for f in canvas_section.card_table(ctx, ctx.session.cards)
        if isinstance(f, canvas_section.ChunkedTable)
    )
    table = chunked.make(chunked.rows)
    assert table._colWidths[0] == ctx.sheet.base * 2.8


def _context(session, large_print: bool):  # type: ignore[no-untyped-def]
    """The report's context for an A4 handout, as `pdf.build_pdf` makes it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    from coprod_desktop.report.fonts import register_fonts
    from coprod_desktop.report.sections.base import ReportContext, Sheet

    register_fonts()
    margin = (14 if large_print else 18) * mm
    return ReportContext(
        session=session,
        names=True,
        facilitator=False,
        large_print=large_print,
        sheet=Sheet(large_print=large_print),
        width=A4[0] - 2 * margin,
        height=A4[1] - 3 * margin,
    )
