"""The open workshop: the agenda of steps, the current step, and the people in the room."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...domain.i18n import _
from ...domain.model import StepKind
from ..common.widgets import hint_label
from ..document import SessionDocument
from ..presenter.presenterwindow import ThumbnailLabel
from .noteswidget import StepNotesWidget
from .pagestack import PageStack
from .stepcontent import StepContentWidget
from .steptimer import StepTimer, TimerWidget
from .warmup import CanvasWarmUp

if TYPE_CHECKING:
    from .participantswidget import ParticipantsWidget
    from .workshopeditor import WorkshopEditorWidget

STEP_ROLE = Qt.ItemDataRole.UserRole

# The agenda column's width. A window narrower than a 1366×768 laptop's (a 1280×720 one) gives
# it less, so the step in the middle keeps the width its tools are laid out for (the canvas's
# rows, the matrix's columns); the notes column keeps its own, which the timer needs.
AGENDA_WIDTH = 270
COMPACT_AGENDA_WIDTH = 220
COMPACT_BELOW = 1366


class AgendaWidget(QListWidget):
    """The steps of the workshop in order, with their timings; choosing one goes there."""

    step_chosen = Signal(str)

    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agenda")
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(_("Agenda"))
        self.setAccessibleDescription(_("The steps of the workshop. Choose one to go to it."))
        self.document = document
        self.currentItemChanged.connect(self._chosen)
        document.steps_changed.connect(self.rebuild)
        document.step_changed.connect(self._select)
        self.rebuild()

    def rebuild(self) -> None:
        self.blockSignals(True)
        self.clear()
        for number, step in enumerate(self.document.session.visible_steps, start=1):
            if step.minutes:
                text = _("{number}. {title}  ·  {minutes} min").format(
                    number=number, title=step.title, minutes=step.minutes
                )
            else:
                text = _("{number}. {title}").format(number=number, title=step.title)
            item = QListWidgetItem(text)
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
    """The current step as the room sees it, with the facilitator's notes, timer and what comes next."""

    def __init__(self, document: SessionDocument, timer: StepTimer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.content = StepContentWidget(document, audience=False)
        self.timer_widget = TimerWidget(timer, controls=True)
        self.next_label = hint_label()
        self.notes = QTextBrowser()
        self.notes.setObjectName("facilitatorNotes")
        self.notes.setAccessibleName(_("Notes for the facilitator"))
        notes_label = QLabel(_("Notes for you (not for the room)"))
        notes_label.setWordWrap(True)
        notes_label.setObjectName("sectionLabel")
        panel = QWidget()
        self.panel = panel
        panel.setMaximumWidth(400)
        panel.setMinimumWidth(300)
        side = QVBoxLayout(panel)
        side.setContentsMargins(0, 0, 0, 0)
        self.thumbnail = ThumbnailLabel()
        self.thumbnail_box = QWidget()
        box = QVBoxLayout(self.thumbnail_box)
        box.setContentsMargins(0, 0, 0, 0)
        seen = QLabel(_("The room sees:"))
        seen.setObjectName("sectionLabel")
        box.addWidget(seen)
        box.addWidget(self.thumbnail)
        self.thumbnail_box.hide()
        side.addWidget(self.thumbnail_box)
        side.addWidget(self.timer_widget)
        side.addWidget(self.next_label)
        side.addWidget(notes_label)
        side.addWidget(self.notes, 1)
        self.room_notes = StepNotesWidget(document)
        side.addWidget(self.room_notes)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 12, 8)
        layout.setSpacing(12)
        layout.addWidget(self.content, 3)
        layout.addWidget(panel, 1)
        document.step_changed.connect(self.refresh)
        document.steps_changed.connect(self.refresh)
        self.refresh()

    @property
    def heading(self) -> QLabel:
        return self.content.heading

    def refresh(self) -> None:
        step = self.document.session.current_step
        self.notes.setPlainText((step.notes if step else "") or _("No notes for this step."))
        following = self.document.step_offset(1)
        if following is None or step is None or following.id == step.id:
            self.next_label.setText(_("Next: the end of the workshop"))
        else:
            if following.minutes:
                text = _("Next: {title} ({minutes} min)").format(
                    title=following.title, minutes=following.minutes
                )
            else:
                text = _("Next: {title}").format(title=following.title)
            self.next_label.setText(text)


class WorkshopWidget(QWidget):
    """The workshop screen: agenda on the left, the current step or the people on the right."""

    def __init__(
        self, document: SessionDocument, parent: QWidget | None = None, *, timer: StepTimer | None = None
    ) -> None:
        """`timer`: the running timer of the view this one replaces (the app's language changed)."""
        super().__init__(parent)
        self.document = document
        self.agenda = AgendaWidget(document)
        self.agenda.step_chosen.connect(self.go_to)
        self.people_button = QPushButton(_("&Participants"))
        self.people_button.setCheckable(True)
        self.people_button.setAccessibleName(_("Participants"))
        self.people_button.toggled.connect(self._show_people)
        self.edit_button = QPushButton(_("&Edit the workshop"))
        self.edit_button.setCheckable(True)
        self.edit_button.setAccessibleName(_("Edit the workshop"))
        self.edit_button.setToolTip(_("Steps, definitions, scenarios, readiness conditions and the matrix"))
        self.edit_button.toggled.connect(self._show_editor)
        self.previous_button = QPushButton(_("◀ Pre&vious"))
        self.previous_button.setAccessibleName(_("Previous step"))
        self.previous_button.clicked.connect(self.previous_step)
        self.next_button = QPushButton(_("&Next ▶"))
        self.next_button.setAccessibleName(_("Next step"))
        self.next_button.clicked.connect(self.next_step)
        agenda_label = QLabel(_("&Agenda"))
        agenda_label.setObjectName("sectionLabel")
        agenda_label.setBuddy(self.agenda)
        moves = QHBoxLayout()
        moves.addWidget(self.previous_button)
        moves.addWidget(self.next_button)
        side = QWidget()
        self.sidebar = side
        side.setObjectName("sidebar")
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(agenda_label)
        side_layout.addWidget(self.agenda, 1)
        side_layout.addLayout(moves)
        side_layout.addWidget(self.people_button)
        side_layout.addWidget(self.edit_button)

        self.timer = timer or StepTimer(document, self)
        self.timer.setParent(self)
        self.step_view = StepView(document, self.timer)
        self._people: ParticipantsWidget | None = None  # made when first shown
        self._editor: WorkshopEditorWidget | None = None
        self.pages = PageStack()
        self.pages.addWidget(self.step_view)

        splitter = self.splitter = QSplitter()
        splitter.addWidget(side)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([AGENDA_WIDTH, 1000])
        # Once the facilitator drags the agenda's edge, its width is theirs, whatever the window.
        self._agenda_dragged = False
        self._hidden_agenda: int | None = None  # the width last given to the hidden agenda
        splitter.splitterMoved.connect(self._agenda_moved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._roomy = False
        document.step_changed.connect(self._update_moves)
        document.steps_changed.connect(self._update_moves)
        document.ballot_changed.connect(self._ballot_changed)
        self._update_moves()
        # The canvas's cards prepared in idle moments while the room is on earlier steps, then
        # its tool, in a quiet one.
        self.warm_up = CanvasWarmUp(document, self, make_tool=self.step_view.content.make_canvas_ahead)
        self.warm_up.tool_made.connect(self._look_ahead)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_agenda(event.size().width())

    def _look_ahead(self) -> None:
        """The canvas's tool was made ahead: its hidden cards are looked for at the next turn
        (see `CanvasWidget.look_ahead`), then, at the one after, it is laid out at the size its
        step will give it and its first frame painted (`CanvasWidget.plan_ahead`): short waits one
        after another rather than one long one."""
        tool = self.step_view.content.tool(StepKind.CANVAS)
        look = getattr(tool, "look_ahead", None)
        if tool is not None and look is not None:

            def look_then_plan() -> None:
                look()
                QTimer.singleShot(0, tool, self._plan_canvas_ahead)

            QTimer.singleShot(0, tool, look_then_plan)

    def _plan_canvas_ahead(self) -> None:
        content = self.step_view.content
        tool = content.tool(StepKind.CANVAS)
        plan = getattr(tool, "plan_ahead", None)
        if tool is None or plan is None or tool.isVisible():
            return
        size = content.tool_size_ahead(StepKind.CANVAS)
        if size is not None:
            plan(size)

    def _fit_agenda(self, width: int) -> None:
        if self._agenda_dragged:
            return
        wanted = COMPACT_AGENDA_WIDTH if width < COMPACT_BELOW else AGENDA_WIDTH
        if self.sidebar.isHidden():
            # Hidden (roomy, or a voter at the laptop), the splitter keeps the width the agenda
            # is given now and shows it at that width again, whatever the window did meanwhile.
            if self._hidden_agenda != wanted:
                self.splitter.setSizes([wanted, max(width - wanted, 0)])
                self._hidden_agenda = wanted
            return
        self._hidden_agenda = None
        sizes = self.splitter.sizes()
        if sizes[0] not in (0, wanted):
            self.splitter.setSizes([wanted, sum(sizes) - wanted])

    def _agenda_moved(self, _position: int, _index: int) -> None:
        self._agenda_dragged = True

    def set_roomy(self, roomy: bool) -> None:
        """Hide the agenda and the notes, so a big tool (the matrix, the canvas) gets the screen."""
        self._roomy = roomy
        # While a voter is at the laptop the screen shows their ballot and nothing else:
        # no notes, no agenda, no way to the participants or the editor.
        hidden = roomy or self.document.ballot is not None
        self.sidebar.setVisible(not hidden)
        self.step_view.panel.setVisible(not hidden)

    def _ballot_changed(self, _open: bool) -> None:
        self.set_roomy(self._roomy)

    def show_step(self) -> None:
        """Back from the participants or the editor to the current step."""
        self.people_button.setChecked(False)
        self.edit_button.setChecked(False)

    def go_to(self, step_id: str) -> None:
        self.show_step()
        self.document.set_current_step(step_id)

    def next_step(self) -> None:
        self.show_step()
        self.document.go_next()

    def previous_step(self) -> None:
        self.show_step()
        self.document.go_previous()

    def _update_moves(self) -> None:
        visible = self.document.session.visible_steps
        current = self.document.session.current_step
        at = next((i for i, s in enumerate(visible) if current and s.id == current.id), 0)
        self.previous_button.setEnabled(at > 0)
        self.next_button.setEnabled(at < len(visible) - 1)

    @property
    def people(self) -> ParticipantsWidget:
        if self._people is None:
            from .participantswidget import ParticipantsWidget

            self._people = ParticipantsWidget(self.document)
            self._people_page = QScrollArea()
            self._people_page.setWidget(self._people)
            self._people_page.setWidgetResizable(True)
            self.pages.addWidget(self._people_page)
        return self._people

    @property
    def editor(self) -> WorkshopEditorWidget:
        if self._editor is None:
            from .workshopeditor import WorkshopEditorWidget

            self._editor = WorkshopEditorWidget(self.document)
            self.pages.addWidget(self._editor)
        return self._editor

    def _show_people(self, shown: bool) -> None:
        if shown:
            self.edit_button.setChecked(False)
            self.people  # noqa: B018 - made on first use
            self.pages.setCurrentWidget(self._people_page)
        elif not self.edit_button.isChecked():
            self.pages.setCurrentWidget(self.step_view)

    def _show_editor(self, shown: bool) -> None:
        if shown:
            self.people_button.setChecked(False)
            self.pages.setCurrentWidget(self.editor)
        elif not self.people_button.isChecked():
            self.pages.setCurrentWidget(self.step_view)
