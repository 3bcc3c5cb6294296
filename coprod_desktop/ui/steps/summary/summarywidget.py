"""What we found: the workshop's results on one screen.

Only what has been revealed is summarised, on the laptop as on the projector, so both
show the same figures; the rest says it has not been shown yet.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from ....domain.ladder import RUNG_BY_KEY
from ....domain.matrix import (
    average_text,
    classify_results,
    column_means,
    matrix_results,
    placement_note,
    turnout_sentence,
)
from ....domain.model import Reveal, Session
from ....domain.readiness import Verdict, recommend
from ....domain.scenarios import scenario_score, term_name
from ....domain.voting import readiness_question
from ...document import SessionDocument


def _matrix_html(session: Session) -> list[str]:
    """The matrix's turnout, stage averages and placement: the same domain figures and
    sentences as the grid, its placement panel and the PDF (revealed boxes only)."""
    results = matrix_results(session)
    cells = list(results.all_cells())
    if not any(cell.voters for cell in cells):
        return []
    points = len(results.scale)
    lines = [f"<p>{html.escape(turnout_sentence(cells))}</p>"]
    averages = [
        f"{html.escape(stage.title)} {average_text(mean, points)}"
        for stage, mean in zip(results.stages, column_means(results), strict=True)
        if mean is not None
    ]
    if averages:
        lines.append(f"<p>Average of each stage: {'; '.join(averages)}.</p>")
    found = classify_results(results)
    if found is not None:
        lines.append(
            f"<p>By the rules, the ratings place the work at <b>{html.escape(found.name)}</b>. "
            f"{html.escape(found.reason)}</p>"
            f"<p><small>{html.escape(placement_note(cells, results.scale))}</small></p>"
        )
    return ["<h3>The assessment matrix</h3>", *lines]


def summary_html(session: Session, *, audience: bool) -> str:
    """The summary, the same on the laptop and the projector: every figure is a revealed
    result (`audience` is kept for the callers; nothing hidden is shown to either)."""
    parts: list[str] = []
    people = session.participants
    groups: dict[str, int] = {}
    for person in people:
        groups[person.role.label] = groups.get(person.role.label, 0) + 1
    if people:
        mix = ", ".join(f"{count} {label.lower()}" for label, count in groups.items())
        parts.append(f"<h3>Who took part</h3><p>{len(people)} people: {html.escape(mix)}.</p>")

    if session.scenarios:
        score = scenario_score(session)
        lines = "".join(
            f"<li>{html.escape(r.scenario.title)}: {r.correct} of {r.total} chose "
            f"{html.escape(term_name(session, r.scenario.answer))}</li>"
            for r in score.results
        )
        parts.append(f"<h3>Which is it?</h3><p>{html.escape(score.text)}</p><ul>{lines}</ul>")

    parts.extend(_matrix_html(session))
    rung = RUNG_BY_KEY.get(session.matrix.agreed_rung)
    if rung is not None:
        reason = f" {html.escape(session.matrix.agreed_reason)}" if session.matrix.agreed_reason else ""
        parts.append(
            f"<h3>How we work now</h3><p>We placed our work at <b>{html.escape(rung.name)}</b>.{reason}</p>"
        )

    readiness_shown = all(
        session.get(Reveal, readiness_question(item.id)) is not None for item in session.readiness_items
    )
    recommendation = recommend(session)
    if recommendation.verdict is not Verdict.UNRATED and readiness_shown:
        parts.append(f"<h3>Should we co-produce?</h3><p>{html.escape(recommendation.headline)}</p>")

    actions = session.actions
    if actions:
        rows = "".join(
            f"<li>{html.escape(a.what)}"
            + (f" — {html.escape(a.who)}" if a.who else "")
            + (f", by {html.escape(a.due)}" if a.due else "")
            + "</li>"
            for a in actions
        )
        parts.append(f"<h3>What we will do</h3><ul>{rows}</ul>")
    if not parts:
        parts.append("<p>Results will gather here as the workshop goes on.</p>")
    return "".join(parts)


class SummaryWidget(QWidget):
    def __init__(self, document: SessionDocument, *, audience: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.audience = audience
        self.view = QTextBrowser()
        self.view.setObjectName("summaryText")
        self.view.setAccessibleName("Summary of the workshop")
        if audience:
            self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        self.export_button: QPushButton | None = None
        if not audience:
            row = QHBoxLayout()
            self.export_button = QPushButton("Export the PDF summary…")
            self.export_button.setObjectName("exportPdf")
            self.export_button.clicked.connect(self._export)
            row.addStretch(1)
            row.addWidget(self.export_button)
            layout.addLayout(row)
        self._stale = True
        document.changed.connect(self._changed)
        self.refresh()

    def _changed(self, changes: object) -> None:
        # Every vote is a change; a summary nobody is looking at waits until it is shown.
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def _export(self) -> None:
        from ...shell.pdfexport import export_pdf_interactively

        export_pdf_interactively(self.window(), self.document)

    def refresh(self) -> None:
        self._stale = False
        self.view.setHtml(summary_html(self.document.session, audience=self.audience))
