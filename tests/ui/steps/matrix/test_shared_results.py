"""While presenting, the console's and the room's matrix share one result per change."""

from __future__ import annotations

from PySide6.QtCore import Qt

from coprod_desktop.domain.model import VotingMode
from coprod_desktop.ui.steps.matrix import matrixmodel
from coprod_desktop.ui.steps.matrix.matrixwidget import MatrixWidget

from .test_matrixwidget import document, make, path, select, set_mode  # noqa: F401 - fixtures


def test_a_vote_is_worked_out_once_for_both_screens(qtbot, document, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    set_mode(document, VotingMode.NAMED)
    console = make(qtbot, document)
    audience = MatrixWidget(document, audience=True)
    qtbot.addWidget(audience)
    audience.show()
    console.choose_person("p1")
    select(console, 2, 1)
    calls: list[tuple[str, str]] = []
    real = matrixmodel.cell_result

    def counted(session, criterion_id, stage_id):  # type: ignore[no-untyped-def]
        calls.append((criterion_id, stage_id))
        return real(session, criterion_id, stage_id)

    monkeypatch.setattr(matrixmodel, "cell_result", counted)
    qtbot.keyClick(console.view, Qt.Key.Key_2)
    assert len(calls) == 1
    shared = [
        (row, column)
        for row, cells in enumerate(console.model.cells)
        for column, cell in enumerate(cells)
        if audience.model.cells[row][column] is cell
    ]
    assert len(shared) == 1  # the box voted in: the very same result on both screens
    row, column = shared[0]
    assert console.model.cells[row][column].voters >= 1
