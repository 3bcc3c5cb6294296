"""A card's cell drawn straight onto the page (`report/quickcell.py`) has its paragraph's lines."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from pypdf import PdfReader

from coprod_desktop.report import quickcell
from coprod_desktop.report.fonts import BOLD, register_fonts
from coprod_desktop.report.pdf import ReportOptions, build_pdf
from coprod_desktop.report.sections import canvas as canvas_section
from coprod_desktop.report.sections.base import Sheet

from .test_card_table import many_cards, page_texts

WORDS = [
    *("a", "I", "to", "the", "card", "timetable", "Wójcik", "point", "about", "council's,"),
    *("decisions—made", "people-led", "co-production", "12", "(draft)", "“quoted”", "Łódź"),
    *("naïve", "supercalifragilisticexpialidocious", " ", "  "),
]


def test_the_lines_are_the_ones_reportlab_breaks() -> None:
    from reportlab.platypus import Paragraph

    register_fonts()
    sheet = Sheet(large_print=False)
    rng = random.Random(13)
    compared = 0
    for _ in range(600):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 25)))
        room = rng.uniform(50, 220)
        words = quickcell.plain_words(text)
        if words is None:
            assert not text.strip()  # nothing but spaces
            continue
        mine = quickcell.break_words(words, BOLD, sheet.cell_size, room)
        if mine is None:
            continue  # a word wider than the cell: the paragraph's own
        compared += 1
        paragraph = Paragraph(f"<b>{text}</b><br/><font size='8'>● Decision</font>", sheet.cell)
        paragraph.wrap(room, 1e6)
        theirs = paragraph.blPara.lines[:-1]  # the last is the details line
        drawn = ["".join(word.text for word in line.words).strip() for line in theirs]
        assert [" ".join(line) for _, line in mine] == drawn
        assert [round(left, 6) for left, _ in mine] == [round(t.extraSpace, 6) for t in theirs]
    assert compared > 400


@pytest.mark.parametrize("text", ["", "   ", "tab\there", "line\nbreak", "no\u00a0break", "مرحبا"])
def test_text_reportlab_would_treat_otherwise_is_left_to_the_paragraph(text: str) -> None:
    assert quickcell.plain_words(text) is None


def test_the_card_pages_read_as_with_paragraphs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = many_cards(60)
    quick = tmp_path / "quick.pdf"
    made: list[quickcell.QuickCell] = []
    real = canvas_section.QuickCell

    def counted(*args: object, **kwargs: object) -> quickcell.QuickCell:
        made.append(real(*args, **kwargs))  # type: ignore[arg-type]
        return made[-1]

    monkeypatch.setattr(canvas_section, "QuickCell", counted)
    build_pdf(session, quick, ReportOptions(paper="a4"))
    assert len(made) >= 60
    monkeypatch.setattr(canvas_section, "plain_words", lambda _text: None)
    slow = tmp_path / "slow.pdf"
    build_pdf(session, slow, ReportOptions(paper="a4"))
    assert page_texts(quick) == page_texts(slow)
    assert len(PdfReader(quick).pages) == len(PdfReader(slow).pages)
