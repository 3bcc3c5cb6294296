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

    build_pdf(many_cards(70), tmp_path / "ar.pdf", ReportOptions(paper="a4", language="ar", large_print=large_print))
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
