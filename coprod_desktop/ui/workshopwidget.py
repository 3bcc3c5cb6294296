"""The open workshop: the agenda of steps, the current step, and the people in the room."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..domain.model import Step, StepKind, Term
from ..domain.text import blocks
from .document import SessionDocument
from .participantswidget import ParticipantsWidget

STEP_ROLE = Qt.ItemDataRole.UserRole

# What each screen will offer once its part is built; said plainly until then.
COMING = {
    StepKind.LADDER: "The drawing of the ladder of co-production",
    StepKind.SCENARIOS: "Voting on each scenario and revealing the answer",
    StepKind.MATRIX: "The assessment matrix with group voting and a heat map",
    StepKind.CANVAS: "The power-sharing canvas",
    StepKind.READINESS: "Rating the conditions and the recommendation",
    StepKind.ACTIONS: "The table of actions",
    StepKind.SUMMARY: "The results on one screen and the PDF summary",
}


def body_html(text: str) -> str:
    """Step text as HTML for a QTextBrowser; everything typed is escaped first."""
    parts: list[str] = []
    for block in blocks(text):
        if block.kind == "bullets":
            items = "".join(f"<li>{html.escape(line)}</li>" for line in block.lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{html.escape(block.lines[0])}</p>")
    return "".join(parts)


class AgendaWidget(QListWidget):
    """The steps of the workshop in order, with their timings; choosing one goes there."""

    step_chosen = Signal(str)

    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agenda")
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName("Agenda")
        self.setAccessibleDescription("The steps of the workshop. Choose one to go to it.")
        self.document = document
        self.currentItemChanged.connect(self._chosen)
        document.steps_changed.connect(self.rebuild)
        document.step_changed.connect(self._select)
        self.rebuild()

    def rebuild(self) -> None:
        self.blockSignals(True)
        self.clear()
        for number, step in enumerate(self.document.session.visible_steps, start=1):
            timing = f"  ·  {step.minutes} min" if step.minutes else ""
            item = QListWidgetItem(f"{number}. {step.title}{timing}")
            item.setData(STEP_ROLE, step.id)
            self.addItem(item)
        self.blockSignals(False)
        current = self.document.session.current_step
        if current is not None:
            self._select(current.id)

    def _select(self, step_id: str) -> None:
        for row in range(self.count()):
            if self.item(row).data(STEP_ROLE) == step_id:
                self.blockSignals(True)
                self.setCurrentRow(row)
                self.blockSignals(False)
                return

    def _chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.step_chosen.emit(item.data(STEP_ROLE))


class StepView(QWidget):
    """One step as the room sees it, with the facilitator's notes beside it."""

    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.heading = QLabel()
        self.heading.setObjectName("stepTitle")
        self.heading.setWordWrap(True)
        self.position = QLabel()
        self.position.setObjectName("hint")
        self.body = QTextBrowser()
        self.body.setObjectName("stepBody")
        self.body.setOpenLinks(False)
        self.body.setAccessibleName("Step text")
        self.coming = QLabel()
        self.coming.setObjectName("comingNote")
        self.coming.setWordWrap(True)
        self.notes = QTextBrowser()
        self.notes.setObjectName("facilitatorNotes")
        self.notes.setAccessibleName("Notes for the facilitator")
        notes_label = QLabel("Notes for you (not for the room)")
        notes_label.setObjectName("sectionLabel")

        main = QVBoxLayout()
        main.addWidget(self.position)
        main.addWidget(self.heading)
        main.addWidget(self.body, 1)
        main.addWidget(self.coming)
        side = QVBoxLayout()
        side.addWidget(notes_label)
        side.addWidget(self.notes, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 16, 16, 16)
        layout.setSpacing(20)
        layout.addLayout(main, 3)
        layout.addLayout(side, 1)
        document.step_changed.connect(self.refresh)
        document.steps_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        session = self.document.session
        step = session.current_step
        visible = session.visible_steps
        if step is None:
            self.heading.setText("This workshop has no steps")
            self.body.setHtml("")
            self.notes.setPlainText("")
            self.coming.hide()
            return
        number = next((i for i, s in enumerate(visible, start=1) if s.id == step.id), 0)
        timing = f" · {step.minutes} minutes" if step.minutes else ""
        self.position.setText(f"Step {number} of {len(visible)}{timing}")
        self.heading.setText(step.title)
        self.body.setHtml(self._content(step))
        self.notes.setPlainText(step.notes or "No notes for this step.")
        coming = COMING.get(step.kind)
        self.coming.setVisible(coming is not None)
        if coming:
            self.coming.setText(f"Coming in a later version: {coming}. For now, use the text and notes.")

    def _content(self, step: Step) -> str:
        text = body_html(step.body)
        term = self.document.session.get(Term, step.term) if step.kind is StepKind.DEFINITION else None
        if term is None:
            return text
        panels = (
            ("What it is", term.what),
            ("What it is not", term.what_not),
            ("How it differs from co-production", term.differs),
            ("An example", term.example),
        )
        for heading, value in panels:
            if value:
                text += f"<h3>{html.escape(heading)}</h3>{body_html(value)}"
        return text


class WorkshopWidget(QWidget):
    """The workshop screen: agenda on the left, the current step or the people on the right."""

    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.agenda = AgendaWidget(document)
        self.agenda.step_chosen.connect(self.go_to)
        self.people_button = QPushButton("&Participants")
        self.people_button.setCheckable(True)
        self.people_button.setAccessibleName("Participants")
        self.people_button.toggled.connect(self._show_people)
        self.previous_button = QPushButton("◀ Pre&vious")
        self.previous_button.setAccessibleName("Previous step")
        self.previous_button.clicked.connect(self.previous_step)
        self.next_button = QPushButton("&Next ▶")
        self.next_button.setAccessibleName("Next step")
        self.next_button.clicked.connect(self.next_step)
        agenda_label = QLabel("&Agenda")
        agenda_label.setObjectName("sectionLabel")
        agenda_label.setBuddy(self.agenda)
        moves = QHBoxLayout()
        moves.addWidget(self.previous_button)
        moves.addWidget(self.next_button)
        side = QWidget()
        side.setObjectName("sidebar")
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(agenda_label)
        side_layout.addWidget(self.agenda, 1)
        side_layout.addLayout(moves)
        side_layout.addWidget(self.people_button)

        self.step_view = StepView(document)
        self.people = ParticipantsWidget(document)
        people_scroll = QScrollArea()
        people_scroll.setWidget(self.people)
        people_scroll.setWidgetResizable(True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.step_view)
        self.pages.addWidget(people_scroll)

        splitter = QSplitter()
        splitter.addWidget(side)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 1000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        document.step_changed.connect(self._update_moves)
        document.steps_changed.connect(self._update_moves)
        self._update_moves()

    def go_to(self, step_id: str) -> None:
        self.people_button.setChecked(False)
        self.document.set_current_step(step_id)

    def _offset_step(self, offset: int) -> None:
        visible = self.document.session.visible_steps
        current = self.document.session.current_step
        if not visible or current is None:
            return
        ids = [s.id for s in visible]
        index = ids.index(current.id) if current.id in ids else 0
        target = min(max(index + offset, 0), len(ids) - 1)
        self.go_to(ids[target])

    def next_step(self) -> None:
        self._offset_step(1)

    def previous_step(self) -> None:
        self._offset_step(-1)

    def _update_moves(self) -> None:
        visible = self.document.session.visible_steps
        current = self.document.session.current_step
        at = next((i for i, s in enumerate(visible) if current and s.id == current.id), 0)
        self.previous_button.setEnabled(at > 0)
        self.next_button.setEnabled(at < len(visible) - 1)

    def _show_people(self, shown: bool) -> None:
        self.pages.setCurrentIndex(1 if shown else 0)
