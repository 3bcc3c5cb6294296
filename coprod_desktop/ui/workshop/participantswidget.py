"""The people in the room: names and role groups, quick to enter from the keyboard."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.changes import Change
from ...domain.i18n import N_, _, ngettext
from ...domain.model import Participant, RoleGroup, new_id, replace
from ..common.entitytable import ChoiceDelegate, EntityTableModel, Index
from ..common.widgets import hint_label
from ..document import SessionDocument

ROLES = list(RoleGroup)


class ParticipantsModel(EntityTableModel[Participant]):
    """Participants of the open session, as a table that edits through the undo stack."""

    HEADERS = (N_("Name"), N_("Role group"))

    def __init__(self, document: SessionDocument) -> None:
        super().__init__(document, Participant, document.participants_changed)

    def participant(self, row: int) -> Participant:
        return self.entity(row)

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        person = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return person.name if index.column() == 0 else _(person.role.label)
        if role == Qt.ItemDataRole.UserRole:
            return person.role.value
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    def setData(self, index: Index, value: Any, role: int = 0) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        person = self._rows[index.row()]
        if index.column() == 0:
            name = str(value).strip()
            if not name or name == person.name:
                return False
            return self.document.put(replace(person, name=name), _("Rename {name}").format(name=person.name))
        role_group = RoleGroup(value)
        if role_group == person.role:
            return False
        return self.document.put(
            replace(person, role=role_group), _("Change role of {name}").format(name=person.name)
        )


class ParticipantsWidget(QWidget):
    """Add, rename, regroup and remove participants."""

    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        heading = QLabel(_("Participants"))
        heading.setObjectName("stepTitle")
        hint = hint_label(
            _(
                "Type a name, choose a role group and press Enter. Role groups show whether people who use "
                "services and staff see things differently. Select a row and press Delete to remove it."
            )
        )

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(_("Name"))
        self.name_edit.setAccessibleName(_("New participant's name"))
        self.name_edit.returnPressed.connect(self.add_from_form)
        self.role_combo = QComboBox()
        self.role_combo.setAccessibleName(_("New participant's role group"))
        for role in ROLES:
            self.role_combo.addItem(_(role.label), role.value)
        # Enter in the role box adds the person too, as the hint says (a closed combo box
        # has no returnPressed of its own).
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.role_combo)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self.add_from_form)
        add = QPushButton(_("&Add"))
        add.setAccessibleName(_("Add participant"))
        add.clicked.connect(self.add_from_form)
        name_label = QLabel(_("&Name:"))
        name_label.setBuddy(self.name_edit)
        role_label = QLabel(_("R&ole group:"))
        role_label.setBuddy(self.role_combo)
        form = QHBoxLayout()
        form.addWidget(name_label)
        form.addWidget(self.name_edit, 2)
        form.addWidget(role_label)
        form.addWidget(self.role_combo, 1)
        form.addWidget(add)

        self.model = ParticipantsModel(document)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Participants"))
        self.table.setItemDelegateForColumn(
            1,
            ChoiceDelegate(
                lambda: [(_(role.label), role.value) for role in ROLES],
                _("Role group"),
                self.table,
                current_role=Qt.ItemDataRole.UserRole,
            ),
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        remove_shortcut = QShortcut(QKeySequence.StandardKey.Delete, self.table)
        remove_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove_shortcut.activated.connect(self.remove_selected)
        self.remove_button = QPushButton(_("&Remove selected"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        document.participants_changed.connect(self._update_count)

        footer = QHBoxLayout()
        footer.addWidget(self.count_label, 1)
        footer.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)
        self._update_count()

    def add_from_form(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            return
        role = RoleGroup(self.role_combo.currentData())
        person = Participant(
            id=new_id(),
            name=name,
            role=role,
            position=self.document.session.next_position(Participant),
        )
        if self.document.put(person, _("Add {name}").format(name=name)):
            self.name_edit.clear()
            self.name_edit.setFocus()

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows:
            return
        people = [self.model.participant(row) for row in rows]
        if len(people) == 1:
            text = _("Remove {name}").format(name=people[0].name)
        else:
            text = ngettext("Remove {n} participant", "Remove {n} participants", len(people)).format(
                n=len(people)
            )
        self.document.apply([Change(person, None) for person in people], text)

    def _update_count(self) -> None:
        count = self.document.session.count(Participant)
        self.count_label.setText(ngettext("{n} participant", "{n} participants", count).format(n=count))
