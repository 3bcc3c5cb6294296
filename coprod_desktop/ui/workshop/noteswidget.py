"""Notes from the room: what the facilitator jots down during a step, kept with the session
and printed in the summary."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.changes import Change
from ...domain.i18n import _
from ...domain.model import Note, new_id
from ..document import SessionDocument

ID_ROLE = Qt.ItemDataRole.UserRole


class StepNotesWidget(QWidget):
    """The notes taken during the current step: type and press Enter; Delete removes one."""

    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        label = QLabel(_("Notes from the &room"))
        label.setObjectName("sectionLabel")
        self.entry = QLineEdit()
        self.entry.setPlaceholderText(_("Type a note and press Enter"))
        self.entry.setAccessibleName(_("New note for this step"))
        self.entry.returnPressed.connect(self.add_note)
        label.setBuddy(self.entry)
        add = QPushButton(_("Add"))
        add.setAccessibleName(_("Add note"))
        add.clicked.connect(self.add_note)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Notes taken during this step"))
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(140)
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self.remove_selected)
        row = QHBoxLayout()
        row.addWidget(self.entry, 1)
        row.addWidget(add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addLayout(row)
        layout.addWidget(self.list)
        document.notes_changed.connect(self.refresh)
        document.step_changed.connect(lambda _arg: self.refresh())
        self.refresh()

    def _notes(self) -> list[Note]:
        step = self.document.session.current_step
        step_id = step.id if step else ""
        return [n for n in self.document.session.notes if n.step_id == step_id]

    def refresh(self) -> None:
        self.list.clear()
        for note in self._notes():
            item = QListWidgetItem(note.text)
            item.setData(ID_ROLE, note.id)
            self.list.addItem(item)
        self.list.setVisible(self.list.count() > 0)

    def add_note(self) -> None:
        text = self.entry.text().strip()
        if not text:
            return
        step = self.document.session.current_step
        note = Note(
            id=new_id(),
            text=text,
            step_id=step.id if step else "",
            position=self.document.session.next_position(Note),
        )
        if self.document.put(note, _("Add a note")):
            self.entry.clear()

    def remove_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        note = self.document.session.get(Note, item.data(ID_ROLE))
        if note is not None:
            self.document.apply([Change(note, None)], _("Remove a note"))
