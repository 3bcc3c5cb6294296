"""What we found: the workshop's results on one screen.

In the audience view only what has been revealed is summarised; the rest says
it has not been shown yet.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from ....domain.ladder import RUNG_BY_KEY
from ....domain.model import Reveal, Session
from ....domain.readiness import Verdict, recommend
from ....domain.scenarios import scenario_result, term_name
from ....domain.voting import readiness_question
from ...document import SessionDocument


def summary_html(session: Session, *, audience: bool) -> str:
    parts: list[str] = []
    people = session.participants
    groups: dict[str, int] = {}
    for person in people:
        groups[person.role.label] = groups.get(person.role.label, 0) + 1
    if people:
        mix = ", ".join(f"{count} {label.lower()}" for label, count in groups.items())
        parts.append(f"<h3>Who took part</h3><p>{len(people)} people: {html.escape(mix)}.</p>")

    results = [scenario_result(session, s) for s in session.scenarios]
    shown = [r for r in results if r.revealed or not audience]
    if shown:
        right = sum(r.correct for r in shown)
        total = sum(r.total for r in shown)
        lines = "".join(
            f"<li>{html.escape(r.scenario.title)}: {r.correct} of {r.total} chose "
            f"{html.escape(term_name(session, r.scenario.answer))}</li>"
            for r in shown
            if r.total
        )
        parts.append(
            f"<h3>Which is it?</h3><p>{right} of {total} votes found the right term.</p><ul>{lines}</ul>"
        )

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
    if recommendation.verdict is not Verdict.UNRATED and (readiness_shown or not audience):
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
