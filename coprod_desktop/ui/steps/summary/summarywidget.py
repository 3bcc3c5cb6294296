"""What we found: the workshop's results on one screen.

Only what has been revealed is summarised, on the laptop as on the projector, so both
show the same figures; the rest says it has not been shown yet.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from ....domain.i18n import _, ngettext
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
from ...common import htmlescape as html
from ...common.roompager import RoomPagerWidget, text_block
from ...document import SessionDocument

Section = tuple[str, list[str], list[str]]  # heading, paragraphs, bullets (plain text)


def _matrix_section(session: Session) -> Section | None:
    """The matrix's turnout, stage averages and placement: the same domain figures and
    sentences as the grid, its placement panel and the PDF (revealed boxes only)."""
    results = matrix_results(session)
    cells = list(results.all_cells())
    if not any(cell.voters for cell in cells):
        return None
    points = len(results.scale)
    paragraphs = [turnout_sentence(cells)]
    averages = [
        _("{stage} {average}").format(stage=stage.title, average=average_text(mean, points))
        for stage, mean in zip(results.stages, column_means(results), strict=True)
        if mean is not None
    ]
    if averages:
        paragraphs.append(_("Average of each stage: {averages}.").format(averages="; ".join(averages)))
    found = classify_results(results)
    if found is not None:
        paragraphs.append(
            _("By the rules, the ratings place the work at {rung}. {reason}").format(
                rung=_(found.name), reason=found.reason
            )
        )
        paragraphs.append(placement_note(cells, results.scale))
    return (_("The assessment matrix"), paragraphs, [])


def _action_line(what: str, who: str, due: str) -> str:
    if who and due:
        return _("{what} — {who}, by {due}").format(what=what, who=who, due=due)
    if who:
        return _("{what} — {who}").format(what=what, who=who)
    if due:
        return _("{what}, by {due}").format(what=what, due=due)
    return what


def summary_sections(session: Session, *, audience: bool) -> list[Section]:
    """The summary's sections, the same on the laptop and the projector: every figure is a
    revealed result (`audience` is kept for the callers; nothing hidden is shown to either)."""
    sections: list[Section] = []
    people = session.participants
    groups: dict[str, int] = {}
    for person in people:
        label = _(person.role.label)
        groups[label] = groups.get(label, 0) + 1
    if people:
        mix = ", ".join(
            _("{n} {role}").format(n=count, role=label.lower()) for label, count in groups.items()
        )
        took_part = ngettext("{n} person: {mix}.", "{n} people: {mix}.", len(people))
        sections.append((_("Who took part"), [took_part.format(n=len(people), mix=mix)], []))

    if session.scenarios:
        score = scenario_score(session)
        lines = [
            ngettext(
                "{scenario}: {n} of {total} chose {term}", "{scenario}: {n} of {total} chose {term}", r.total
            ).format(
                scenario=r.scenario.title,
                n=r.correct,
                total=r.total,
                term=term_name(session, r.scenario.answer),
            )
            for r in score.results
        ]
        sections.append((_("Which is it?"), [score.text], lines))

    matrix = _matrix_section(session)
    if matrix is not None:
        sections.append(matrix)
    rung = RUNG_BY_KEY.get(session.matrix.agreed_rung)
    if rung is not None:
        placed = _("We placed our work at {rung}.").format(rung=_(rung.name))
        if session.matrix.agreed_reason:
            placed = _("{placed} {reason}").format(placed=placed, reason=session.matrix.agreed_reason)
        sections.append((_("How we work now"), [placed], []))

    readiness_shown = all(
        session.get(Reveal, readiness_question(item.id)) is not None for item in session.readiness_items
    )
    recommendation = recommend(session)
    if recommendation.verdict is not Verdict.UNRATED and readiness_shown:
        sections.append((_("Should we co-produce?"), [recommendation.headline], []))

    actions = session.actions
    if actions:
        rows = [_action_line(a.what, a.who, a.due) for a in actions]
        sections.append((_("What we will do"), [], rows))
    return sections


def summary_html(session: Session, *, audience: bool) -> str:
    parts: list[str] = []
    for heading, paragraphs, bullets in summary_sections(session, audience=audience):
        parts.append(f"<h3>{html.escape(heading)}</h3>")
        parts += [f"<p>{html.escape(text)}</p>" for text in paragraphs]
        if bullets:
            parts.append("<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in bullets) + "</ul>")
    if not parts:
        parts.append("<p>" + html.escape(_("Results will gather here as the workshop goes on.")) + "</p>")
    return "".join(parts)


class SummaryWidget(QWidget):
    def __init__(self, document: SessionDocument, *, audience: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.audience = audience
        self.view = QTextBrowser()
        self.view.setObjectName("summaryText")
        self.view.setAccessibleName(_("Summary of the workshop"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # The room gets the summary in pages of whole paragraphs, never a scroll bar.
        self.pager: RoomPagerWidget | None = None
        if audience:
            self.view.hide()
            self.pager = RoomPagerWidget()
            self.pager.setAccessibleName(_("Summary of the workshop"))
            layout.addWidget(self.pager, 1)
        else:
            layout.addWidget(self.view, 1)
        self.export_button: QPushButton | None = None
        if not audience:
            row = QHBoxLayout()
            self.export_button = QPushButton(_("Export the PDF summary…"))
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
        if self.pager is None:
            self.view.setHtml(summary_html(self.document.session, audience=self.audience))
            return
        blocks: list[QWidget] = []
        for heading, paragraphs, bullets in summary_sections(self.document.session, audience=True):
            blocks.append(text_block(heading, "roomHeading", keep_with_next=True))
            blocks += [text_block(text) for text in paragraphs]
            blocks += [text_block(f"•\u2002{line}") for line in bullets]
        if not blocks:
            blocks.append(text_block(_("Results will gather here as the workshop goes on.")))
        self.pager.set_blocks(blocks, keep_page=True)
