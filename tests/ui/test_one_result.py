"""One result for every view, as a property: for any session, the PDF prints what the screens show.

Hypothesis builds sessions with random criteria, stages, people and boxes (empty, named
votes, counted hands, ballot counts by side, a mix; some revealed, some not). Each is written
to a real session file and opened as a `SessionDocument`; then the laptop's and the
projector's matrix (their `MatrixModel`s and placement panels), both summaries, and the text
of the PDF must show the same cell averages, row and stage averages, role split, placement,
reasons and turnout, box by box.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from coprod_desktop.domain import words
from coprod_desktop.domain.model import Session
from coprod_desktop.report.pdf import ReportOptions, render_pdf
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.steps.matrix.matrixmodel import ROLES, CellView, MatrixModel
from coprod_desktop.ui.steps.matrix.matrixwidget import MatrixWidget
from coprod_desktop.ui.steps.summary.summarywidget import SummaryWidget, summary_sections

from ..domain.strategies import matrix_sessions
from ..report.helpers import flat, pdf_text

GAP = r"\s*"  # a table cell's lines may run together in the extracted text


def token(text: str) -> str:
    return re.escape(text).replace(r"\ ", GAP)


def joined(parts: list[str]) -> str:
    return GAP.join(parts)


@contextmanager
def opened(session: Session) -> Iterator[SessionDocument]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.coprod"
        SessionFile.create(path, session).close()
        document = SessionDocument.open(path)
        try:
            yield document
        finally:
            document.close()


def close_all(widgets: list[QWidget]) -> None:
    for widget in widgets:
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def views(model: MatrixModel, row: int) -> list[CellView]:
    return [model.view_at(model.index(row, column + 1)) for column in range(len(model.stages))]


def heat_cell_pattern(model: MatrixModel, row: int, column: int, view: CellView) -> str:
    """What the PDF's heat map box must say, given what the screen's box says."""
    cell = model.cells[row][column]
    if view.kind == "hidden":
        return joined([token(words.NOT_REVEALED), token(cell.progress_text)])
    if view.kind == "empty":
        return joined([token(words.NONE_SHOWN), token(words.NO_VOTES)])
    assert view.kind == "result", view
    spread = view.lines[0].split(" · ")[0]  # "spread 0.8", then the screen's turnout aside
    parts = [token(view.main), r"\d+ votes?", token(spread)]
    if view.flag:
        parts.append(token(view.flag))
    return joined(parts)


def split_cell_pattern(view: CellView) -> str:
    """What the PDF's role split box must say, given the screen's box in the roles display."""
    if view.kind == "hidden":
        return token(words.NOT_REVEALED)
    if not view.pairs:  # no side known: nothing rated, or counted hands only
        return token(words.NONE_SHOWN)
    (lived, _), (staff, _) = view.pairs
    parts = [token(f"{words.LIVED.capitalize()} {lived}"), token(f"{words.STAFF.capitalize()} {staff}")]
    parts += [token(line) for line in view.lines]  # the gap, where the screen calls it out
    return joined(parts)


def check_heat_map(text: str, console: MatrixModel, audience: MatrixModel) -> None:
    stages = [stage.title for stage in console.stages]
    start = text.index(" ".join(stages) + " Average")
    heat = text[start:]
    for row, criterion in enumerate(console.criteria):
        shown = views(console, row)
        assert [(v.kind, v.main, v.flag) for v in shown] == [
            (v.kind, v.main, v.flag) for v in views(audience, row)
        ]
        average = console.view_at(console.index(row, console.average_column)).main
        pattern = joined(
            [token(criterion.title)]
            + [heat_cell_pattern(console, row, column, view) for column, view in enumerate(shown)]
            + [token(average)]
        )
        assert re.search(pattern, heat), (criterion.title, pattern, heat[:600])
    stage_means = [
        console.view_at(console.index(console.average_row, column)).main
        for column in range(1, console.average_column + 1)
    ]
    assert stage_means == [
        audience.view_at(audience.index(audience.average_row, column)).main
        for column in range(1, audience.average_column + 1)
    ]
    assert "Average of the stage " + " ".join(stage_means) in heat


def check_split_table(text: str, console: MatrixModel) -> None:
    console.display = ROLES
    console.refresh_cells()
    rows = [views(console, row) for row in range(len(console.criteria))]
    known = any(view.pairs for line in rows for view in line)
    heading = "Lived experience and staff, side by side"
    assert (heading in text) == known
    if not known:
        return
    table = text[text.index(heading) :]
    for criterion, line in zip(console.criteria, rows, strict=True):
        pattern = joined([token(criterion.title)] + [split_cell_pattern(view) for view in line])
        assert re.search(pattern, table), (criterion.title, pattern, table[:600])


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(session=matrix_sessions())
def test_the_pdf_and_every_screen_show_the_same_figures(qapp: QApplication, session: Session) -> None:
    with opened(session) as document:
        console = MatrixWidget(document)
        room = MatrixWidget(document, audience=True)
        laptop_summary = SummaryWidget(document)
        room_summary = SummaryWidget(document, audience=True)
        made: list[QWidget] = [console, room, laptop_summary, room_summary]
        try:
            text = flat(pdf_text(render_pdf(document.session, ReportOptions())))
            check_heat_map(text, console.model, room.model)

            panel, room_panel = console.placement, room.placement
            turnout = panel.turnout.text()
            assert turnout
            assert turnout == room_panel.turnout.text()
            assert turnout in text
            summary = flat(laptop_summary.view.toPlainText())
            # One summary for both: the room pages the very sections the laptop shows.
            assert summary_sections(document.session, audience=True) == summary_sections(
                document.session, audience=False
            )
            assert room_summary.pager is not None

            found = panel.classification
            if found is None:
                assert "No box has a revealed rating yet, so the rules place nothing." in text
                assert "place the work at" not in summary
            else:
                name = panel.rung.text().removeprefix("Reads as: ")
                assert name == found.name
                assert f"the ratings place our work at: {name}" in text
                assert f"the ratings place the work at {name}." in summary
                for said in (panel.reason.text(), panel.note.text()):
                    assert flat(said) in text
                    assert flat(said) in summary
                if room_panel.rung.isVisibleTo(room_panel):  # the room sees it once all is revealed
                    assert room_panel.rung.text() == panel.rung.text()
            if any(cell.voters for line in console.model.cells for cell in line):
                assert turnout in summary
                model = console.model
                for column, stage in enumerate(model.stages, start=1):
                    mean = model.view_at(model.index(model.average_row, column)).main
                    if mean != words.NONE_SHOWN:
                        assert f"{stage.title} {mean}" in summary
            if panel.split.text():
                assert flat(panel.split.text()) in text
            check_split_table(text, console.model)
        finally:
            close_all(made)


def test_the_laptop_and_the_projector_summaries_count_the_same_votes(qapp: QApplication) -> None:
    # The sample reveals three of its nine stories: the projector used to count "30 of 36"
    # where the laptop counted every story ("46 of 108"). Both now count the revealed ones.
    from coprod_desktop.domain.scenarios import scenario_score

    from ..report.helpers import sample

    session = sample()
    score = scenario_score(session)
    assert len(score.results) == 3
    assert score.hidden == len(session.scenarios) - 3
    with opened(session) as document:
        laptop, projector = SummaryWidget(document), SummaryWidget(document, audience=True)
        try:
            said = flat(laptop.view.toPlainText())
            # The projector pages the same sections (see summary_sections), in text blocks.
            shown = [label.text() for label in projector.findChildren(QLabel)]
            assert any(score.text in text for text in shown), shown
            assert score.text in said
            assert f"{score.right} of {score.total} votes found the right word." in said
            assert f"{score.hidden} stories are not revealed yet." in said
        finally:
            close_all([laptop, projector])
