"""The PDF's cost grows in proportion to the length of the text in it: a long note
breaks across pages, a very long word wraps, and nothing is measured twice over."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from reportlab.platypus import paragraph as rl_paragraph

from coprod_desktop.domain.model import Note, Session, replace
from coprod_desktop.report import shaping
from coprod_desktop.report.pdf import ReportOptions, render_pdf
from coprod_desktop.report.sections.base import PIECE, pieces

from .helpers import pdf_text, sample


def measured(monkeypatch: pytest.MonkeyPatch, session: Session, options: ReportOptions) -> tuple[int, bytes]:
    """Characters reportlab measured, and characters HarfBuzz shaped, while laying out the
    PDF: a proxy for its cost that a busy machine cannot disturb."""
    total = 0
    real = rl_paragraph.stringWidth
    real_shape = shaping._shape_run

    def counting(text: str, *args: object, **kwargs: object) -> float:
        nonlocal total
        total += len(text)
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    def counting_shape(text: str, *args: Any) -> Any:
        nonlocal total
        total += len(text)
        return real_shape(text, *args)

    with monkeypatch.context() as patch:
        patch.setattr(rl_paragraph, "stringWidth", counting)
        patch.setattr(shaping, "_shape_run", counting_shape)
        data = render_pdf(session, options)
    return total, data


def with_note(text: str) -> Session:
    session = sample()
    session.put(Note(id="long", text=text, step_id=session.steps[0].id))
    return session


def with_scenario(text: str) -> Session:
    session = sample()
    session.put(replace(session.scenarios[0], text=text))
    return session


def with_purpose(text: str) -> Session:
    session = sample()
    session.put(replace(session.info, purpose=text))
    return session


def prose(length: int) -> str:
    return ("The group talked about who decides and who is told afterwards. " * (length // 60 + 1))[:length]


def with_action(text: str) -> Session:
    session = sample()
    session.put(replace(session.actions[0], what=text))
    return session


def with_term(text: str) -> Session:
    session = sample()
    session.put(replace(session.terms[0], what=text))
    return session


def with_readiness(text: str) -> Session:
    session = sample()
    session.put(replace(session.readiness_items[0], description=text))
    return session


def with_card(text: str) -> Session:
    session = sample()
    session.put(replace(session.cards[0], text=text))
    return session


def with_explanation(text: str) -> Session:
    session = sample()
    session.put(replace(session.scenarios[0], explanation=text))
    return session


MAKERS: dict[str, Callable[[str], Session]] = {
    "note": with_note,
    "scenario": with_scenario,
    "purpose": with_purpose,
    "action (a table cell)": with_action,
    "term (a table cell)": with_term,
    "readiness item (a table cell)": with_readiness,
    # A card's text is in the card table, the canvas's reading and the line under an action.
    "card": with_card,
    "scenario explanation": with_explanation,
}
CASES = [(where, "prose") for where in MAKERS] + [
    ("note", "one long word"),
    ("action (a table cell)", "one long word"),
    ("term (a table cell)", "one long word"),
    # A word outside the plain Latin, Greek and Cyrillic blocks is shaped by HarfBuzz.
    ("note", "one long shaped word"),
    ("action (a table cell)", "one long shaped word"),
    ("card", "one long word"),
]
KINDS: dict[str, Callable[[int], str]] = {
    "prose": prose,
    "one long word": lambda length: "x" * length,
    "one long shaped word": lambda length: "€" * length,
}


@pytest.mark.parametrize(("where", "kind"), CASES)
def test_layout_work_is_linear_in_the_length_of_text(
    monkeypatch: pytest.MonkeyPatch, where: str, kind: str
) -> None:
    make = MAKERS[where]
    options = ReportOptions(facilitator=True)
    base, _ = measured(monkeypatch, sample(), options)
    costs = []
    for length in (40_000, 160_000):
        text = KINDS[kind](length)
        cost, _ = measured(monkeypatch, make(text), options)
        costs.append(cost - base)
    # Four times the text: linear work is about four times as much; quadratic would be sixteen.
    assert costs[1] < 5 * costs[0], costs
    assert costs[1] < 40 * 160_000, costs  # and each character is measured a bounded number of times


def test_a_long_note_breaks_across_pages_and_keeps_every_word() -> None:
    words = [f"w{n}" for n in range(30_000)]
    data = render_pdf(with_note(" ".join(words)), ReportOptions())
    text = pdf_text(data)
    assert "w0 " in text
    assert "w29999" in text
    found = set(text.split())
    missing = [w for w in words[::997] if w not in found]
    assert missing == []


def test_a_very_long_word_wraps_inside_the_page() -> None:
    word = "Z" * 20_000
    data = render_pdf(with_note(word), ReportOptions())
    text = pdf_text(data)
    assert text.count("Z") == 20_000
    longest = max(len(line) for line in text.splitlines())
    assert longest < 200  # wrapped to the width of the page, not one line off its edge


def test_pieces_cut_at_sentence_ends_then_spaces_then_anywhere() -> None:
    text = ("Short sentence here. " * 200).strip()
    cut = pieces(text)
    assert all(len(p) <= PIECE for p in cut)
    assert all(p.endswith(".") for p in cut)
    assert " ".join(cut) == text
    assert pieces("x" * (2 * PIECE + 5)) == ["x" * PIECE, "x" * PIECE, "xxxxx"]
    assert pieces("one\ntwo") == ["one", "two"]
    assert pieces("") == [""]


def test_a_long_table_cell_continues_below_its_table_with_every_word() -> None:
    words = [f"a{n}" for n in range(8_000)]
    data = render_pdf(with_action(" ".join(words)), ReportOptions())
    text = pdf_text(data)
    assert "continued below the table (1)" in text
    found = set(text.split())
    assert [w for w in words[::331] if w not in found] == []


def test_a_title_as_long_as_the_limits_allow_splits_across_pages() -> None:
    from coprod_desktop.domain import limits

    session = sample()
    title = ("A long title " * (limits.SHORT_TEXT // 13 + 1))[: limits.SHORT_TEXT - 3] + "END"
    session.put(replace(session.info, title=title))
    session.put(replace(session.scenarios[0], title=title))
    for options in (ReportOptions(), ReportOptions(facilitator=True)):
        text = pdf_text(render_pdf(session, options))
        assert "END" in text


def test_a_long_word_reads_back_whole_with_no_character_added() -> None:
    """Reportlab splits a word too long for its column where the column ends: nothing is
    added to the text (no zero-width space, no hyphen), so a copy gives back the word."""
    word = "Ż" + "x" * 2_998 + "Ω"
    card = sample()
    card.put(replace(card.cards[0], text=word))
    for session in (with_note(word), card):
        text = pdf_text(render_pdf(session, ReportOptions()))
        assert "\u200b" not in text
        assert word in "".join(text.split())
    # A table cell keeps its first 1,500 characters and continues below the table.
    text = pdf_text(render_pdf(with_action(word), ReportOptions()))
    assert "\u200b" not in text
    assert "".join(text.split()).count("x") >= 2_998


def test_a_long_shaped_word_keeps_its_shaping_on_every_line() -> None:
    """Each line of a long shaped word is drawn with HarfBuzz's glyph positions, and a
    paragraph wrapped again (a table measures a cell many times, a page split wraps the
    rest) is not shaped again: once it was, a run per line, at every wrap."""
    from reportlab.pdfbase.ttfonts import ShapedStr
    from reportlab.platypus import Paragraph

    from coprod_desktop.report.fonts import register_fonts
    from coprod_desktop.report.sections.base import Sheet

    register_fonts()
    shaped: list[int] = []
    real = shaping._shape_run

    def counting(text: str, *args: Any) -> Any:
        shaped.append(len(text))
        return real(text, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shaping, "_shape_run", counting)
        para = Paragraph("€" * 600, Sheet(large_print=False).cell)
        para.wrap(100, 10_000)
        first = sum(shaped)
        lines = para.blPara.lines
        assert len(lines) > 5
        for line in lines:
            for frag in line.words:
                if not frag.text:
                    continue  # the line break reportlab puts after each piece
                assert isinstance(frag.text, ShapedStr), line
                assert len(frag.text.__shapeData__) == len(frag.text)
        para.wrap(100, 10_000)
        para.wrap(80, 10_000)
        assert sum(shaped) == first == 600


def test_typed_zero_width_spaces_in_a_long_cell_lay_out() -> None:
    """Pasted text may carry its own zero-width spaces: a table cell of it breaks across
    pages like any other (it stopped reportlab's page split once)."""
    text = ("x" * 119 + "\u200b") * 400
    data = render_pdf(with_action(text), ReportOptions(facilitator=True))
    assert "".join(pdf_text(data).split()).count("x") >= 119 * 400


SHORT_FIELDS: dict[str, Callable[[Session, str], Any]] = {
    "term name": lambda s, v: s.put(replace(s.terms[0], name=v)),
    "participant name": lambda s, v: s.put(replace(s.participants[0], name=v)),
    "stage title": lambda s, v: s.put(replace(s.stages[0], title=v)),
    "criterion title": lambda s, v: s.put(replace(s.criteria[0], title=v)),
}


@pytest.mark.parametrize("field", SHORT_FIELDS)
def test_a_name_as_long_as_the_limits_allow_costs_in_proportion(
    monkeypatch: pytest.MonkeyPatch, field: str
) -> None:
    """A one-word name of 2,000 characters (the limit) shows in headings, narrow table cells,
    column headers and vote grids: the PDF's work grows with its length, not its square."""
    from coprod_desktop.domain import limits

    options = ReportOptions(facilitator=True)
    base, _ = measured(monkeypatch, sample(), options)
    costs = []
    for length in (limits.SHORT_TEXT // 4, limits.SHORT_TEXT):
        session = sample()
        SHORT_FIELDS[field](session, "€" * length)
        cost, data = measured(monkeypatch, session, options)
        costs.append(cost - base)
    assert costs[1] < 5 * costs[0], costs
    assert costs[1] < 200 * limits.SHORT_TEXT, costs
