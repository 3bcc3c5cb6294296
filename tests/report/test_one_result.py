"""One result for every view: the PDF prints the domain's figures, words and rules."""

from __future__ import annotations

import re

from coprod_desktop.domain import words
from coprod_desktop.domain.matrix import (
    average_text,
    column_means,
    matrix_results,
    matrix_turnout,
    turnout_sentence,
)
from coprod_desktop.domain.model import Reveal, Session
from coprod_desktop.domain.voting import cell_question, combined_turnout
from coprod_desktop.report.pdf import ReportOptions, render_pdf

from .helpers import flat, pdf_text, sample


def hide_two_boxes_that_move_a_stage(session: Session) -> int:
    """Hide two boxes of one stage so that its revealed-only average reads differently from
    the average of every box (the 1.27 against 1.35 of the bug). Returns the stage's column."""
    results = matrix_results(session)
    for column in range(len(results.stages)):
        cells = sorted((row[column] for row in results.cells), key=lambda c: c.mean or 0.0)
        for hidden in (cells[:2], cells[-2:]):
            for cell in hidden:
                session.remove(Reveal, (cell.question,))
            after = matrix_results(session)
            points = len(after.scale)
            if average_text(column_means(after)[column], points) != average_text(
                column_means(after, revealed_only=False)[column], points
            ):
                return column
            for cell in hidden:
                session.put(Reveal(cell.question))
    raise AssertionError("no two boxes move a stage's average")


def test_the_pdf_stage_averages_count_only_revealed_boxes_like_the_screen() -> None:
    session = sample()
    column = hide_two_boxes_that_move_a_stage(session)
    results = matrix_results(session)
    points = len(results.scale)
    revealed = [average_text(mean, points) for mean in column_means(results)]
    everything = average_text(column_means(results, revealed_only=False)[column], points)
    text = flat(pdf_text(render_pdf(session, ReportOptions())))
    assert f"Average of the stage {' '.join(revealed)}" in text
    assert revealed[column] != everything
    # A hidden box shows only its turnout, as on screen, never its average.
    assert text.count(words.NOT_REVEALED) >= 2


def test_one_wording_and_one_decimal_in_the_report() -> None:
    session = sample()
    session.remove(Reveal, (cell_question(session.criteria[0].id, session.stages[0].id),))
    for facilitator in (False, True):
        text = flat(pdf_text(render_pdf(session, ReportOptions(facilitator=facilitator))))
        assert "Split views" not in text
        assert words.VIEWS_DIFFER in text
        # No figure with two decimals (dates and the version are not figures).
        assert not re.findall(r"(?<![\d.])\d+\.\d\d(?![\d.])", text)


def test_the_matrix_turnout_is_the_combined_turnout_of_its_boxes() -> None:
    session = sample()
    cells = list(matrix_results(session).all_cells())
    assert matrix_turnout(cells) == combined_turnout(session, [c.question for c in cells])
    text = flat(pdf_text(render_pdf(session, ReportOptions())))
    assert turnout_sentence(cells) in text


def test_a_hidden_story_shows_only_its_turnout_in_the_handout() -> None:
    from coprod_desktop.domain.scenarios import scenario_result

    session = sample()
    results = [scenario_result(session, s) for s in session.scenarios]
    shown = [r for r in results if r.revealed and r.total and r.scenario.answer]
    hidden = [r for r in results if r.total and not r.revealed]
    assert shown
    assert hidden
    handout = flat(pdf_text(render_pdf(session, ReportOptions())))
    assert handout.count("chose the answer") == len(shown)
    assert handout.count(f"{words.NOT_REVEALED_IN_ROOM}: ") == len(hidden)
    report = flat(pdf_text(render_pdf(session, ReportOptions(facilitator=True))))
    assert report.count("chose the answer") == len(shown) + sum(1 for r in hidden if r.scenario.answer)
