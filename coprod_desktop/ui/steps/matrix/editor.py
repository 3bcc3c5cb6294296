"""Editing the matrix itself: its rows (criteria), its columns (stages) and the labels
of its rating scale. Every edit goes through the document, so it can be undone and is
on disk at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ....domain.changes import Change, ChangeSet
from ....domain.errors import KnownError
from ....domain.i18n import N_, _
from ....domain.matrix import (
    Edit,
    add_criterion,
    add_stage,
    move,
    remove_criterion,
    remove_stage,
    rename,
    set_scale,
)
from ....domain.model import Criterion, MatrixSettings, Stage
from ...common.widgets import hint_label
from ...document import SessionDocument

ID_ROLE = Qt.ItemDataRole.UserRole

# Whole phrases for each kind of list (a noun put into a sentence would not fit every language):
# the new item's box, then the accessible names of Add, Remove, Up and Down.
SECTION_TEXTS: dict[str, tuple[str, str, str, str, str]] = {
    "row": (
        N_("Name of a new row"),
        N_("Add a row"),
        N_("Remove the selected row"),
        N_("Move the selected row up"),
        N_("Move the selected row down"),
    ),
    "column": (
        N_("Name of a new column"),
        N_("Add a column"),
        N_("Remove the selected column"),
        N_("Move the selected column up"),
        N_("Move the selected column down"),
    ),
    "point": (
        N_("Name of a new point"),
        N_("Add a point"),
        N_("Remove the selected point"),
        N_("Move the selected point up"),
        N_("Move the selected point down"),
    ),
}
ADD_TEXTS = {"row": N_("Add row {name}"), "column": N_("Add column {name}")}


class ListSection(QWidget):
    """A titled list whose items are renamed in place, with buttons and keys to add,
    remove and reorder them."""

    def __init__(
        self,
        title: str,
        noun: str,
        *,
        reorder: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.noun = noun
        heading = QLabel(title)
        heading.setObjectName("sectionLabel")
        self.list = QListWidget()
        self.list.setAccessibleName(title)
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.new_edit = QLineEdit()
        named, add, remove, up, down = (_(text) for text in SECTION_TEXTS[noun])
        self.new_edit.setPlaceholderText(named)
        self.new_edit.setAccessibleName(named)
        self.add_button = QPushButton(_("Add"))
        self.add_button.setAccessibleName(add)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setAccessibleName(remove)
        self.up_button = QPushButton(_("▲ Up"))
        self.up_button.setAccessibleName(up)
        self.down_button = QPushButton(_("▼ Down"))
        self.down_button.setAccessibleName(down)
        self.up_button.setVisible(reorder)
        self.down_button.setVisible(reorder)
        adding = QHBoxLayout()
        adding.addWidget(self.new_edit, 1)
        adding.addWidget(self.add_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.list, 1)
        layout.addLayout(adding)
        layout.addLayout(buttons)
        for keys, button in (
            (QKeySequence(QKeySequence.StandardKey.Delete), self.remove_button),
            (QKeySequence("Ctrl+Up"), self.up_button),
            (QKeySequence("Ctrl+Down"), self.down_button),
        ):
            shortcut = QShortcut(keys, self.list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(button.click)
        self.list.setAccessibleDescription(_("F2 renames, Delete removes, Ctrl+Up and Ctrl+Down move."))
        self.new_edit.returnPressed.connect(self.add_button.click)

    def fill(self, entries: Sequence[tuple[str, str]]) -> None:
        """Show (identity, name) entries, keeping the selection where it was."""
        current = self.current_id()
        row = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        for ident, name in entries:
            item = QListWidgetItem(name)
            item.setData(ID_ROLE, ident)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.list.addItem(item)
        self.list.blockSignals(False)
        for index in range(self.list.count()):
            if self.list.item(index).data(ID_ROLE) == current:
                self.list.setCurrentRow(index)
                return
        if self.list.count():
            self.list.setCurrentRow(min(max(row, 0), self.list.count() - 1))

    def current_id(self) -> str:
        item = self.list.currentItem()
        return str(item.data(ID_ROLE)) if item is not None else ""


class MatrixEditorWidget(QWidget):
    """Rows, columns and scale of the matrix, each editable from the keyboard."""

    def __init__(
        self,
        document: SessionDocument,
        report: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.report = report or (lambda text: None)
        self.rows = ListSection(_("Rows: what we rate"), "row")
        self.columns = ListSection(_("Columns: the stages"), "column")
        self.scale = ListSection(_("The rating scale, from 0 upwards"), "point", reorder=False)
        self.scale.add_button.setText(_("Add at the top"))
        self.scale.add_button.setAccessibleName(_("Add a point at the top of the scale"))
        self.scale.remove_button.setText(_("Remove the top point"))
        self.scale.remove_button.setAccessibleName(_("Remove the top point of the scale"))
        self.scale.new_edit.setPlaceholderText(_("Label of a new top point"))
        hint = hint_label(
            _(
                "Columns are read by position: the first is planning, the second design, "
                "the third delivery, the fourth assessment. Points of the scale keep their numbers, "
                "so they can be renamed but not reordered."
            )
        )
        lists = QHBoxLayout()
        lists.addWidget(self.rows, 3)
        lists.addWidget(self.columns, 2)
        lists.addWidget(self.scale, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(lists, 1)
        layout.addWidget(hint)

        self.rows.add_button.clicked.connect(lambda: self._add(self.rows, add_criterion, "row"))
        self.columns.add_button.clicked.connect(lambda: self._add(self.columns, add_stage, "column"))
        self.scale.add_button.clicked.connect(self._add_point)
        self.rows.remove_button.clicked.connect(lambda: self._remove(Criterion))
        self.columns.remove_button.clicked.connect(lambda: self._remove(Stage))
        self.scale.remove_button.clicked.connect(self._remove_point)
        self.rows.up_button.clicked.connect(lambda: self._move(Criterion, -1))
        self.rows.down_button.clicked.connect(lambda: self._move(Criterion, 1))
        self.columns.up_button.clicked.connect(lambda: self._move(Stage, -1))
        self.columns.down_button.clicked.connect(lambda: self._move(Stage, 1))
        self.rows.list.itemChanged.connect(lambda item: self._renamed(Criterion, item))
        self.columns.list.itemChanged.connect(lambda item: self._renamed(Stage, item))
        self.scale.list.itemChanged.connect(self._point_renamed)
        document.changed.connect(self._changed)
        self.refresh()

    def _changed(self, changes: ChangeSet) -> None:
        if changes.touches(Criterion, Stage, MatrixSettings):
            self.refresh()

    def refresh(self) -> None:
        session = self.document.session
        self.rows.fill([(c.id, c.title) for c in session.criteria])
        self.columns.fill([(s.id, s.title) for s in session.stages])
        self.scale.fill([(str(n), f"{n} {label}") for n, label in enumerate(session.matrix.scale)])

    # --- edits ----------------------------------------------------------------

    def _apply(self, edits: list[Edit], text: str) -> bool:
        return self.document.apply([Change(old, new) for old, new in edits], text)

    def _attempt(self, make: Callable[[], list[Edit]], text: str) -> bool:
        try:
            edits = make()
        except KnownError as exc:
            self.report(_("⚠ {problem}").format(problem=exc))
            return False
        if not edits:
            return False
        done = self._apply(edits, text)
        if done:
            self.report(_("Done: {edit}.").format(edit=text))
        return done

    def _add(self, section: ListSection, make: Callable[..., list[Edit]], noun: str) -> None:
        name = section.new_edit.text()
        if self._attempt(
            lambda: make(self.document.session, name), _(ADD_TEXTS[noun]).format(name=name.strip())
        ):
            section.new_edit.clear()
            section.list.setCurrentRow(section.list.count() - 1)

    def _entity(self, cls: type[Criterion] | type[Stage]) -> Criterion | Stage | None:
        section = self.rows if cls is Criterion else self.columns
        ident = section.current_id()
        return self.document.session.get(cls, ident) if ident else None

    def _remove(self, cls: type[Criterion] | type[Stage]) -> None:
        entity = self._entity(cls)
        if entity is None:
            return
        session = self.document.session
        if isinstance(entity, Criterion):
            self._attempt(
                lambda: remove_criterion(session, entity), _("Remove row {name}").format(name=entity.title)
            )
        else:
            self._attempt(
                lambda: remove_stage(session, entity), _("Remove column {name}").format(name=entity.title)
            )

    def _move(self, cls: type[Criterion] | type[Stage], offset: int) -> None:
        entity = self._entity(cls)
        if entity is None:
            return
        section = self.rows if cls is Criterion else self.columns
        row = section.list.currentRow()
        if self._attempt(
            lambda: move(self.document.session, entity, offset), _("Move {name}").format(name=entity.title)
        ):
            section.list.setCurrentRow(min(max(row + offset, 0), section.list.count() - 1))

    def _renamed(self, cls: type[Criterion] | type[Stage], item: QListWidgetItem) -> None:
        entity = self.document.session.get(cls, str(item.data(ID_ROLE)))
        if entity is None:
            return
        name = item.text()
        if not self._attempt(
            lambda: rename(self.document.session, entity, name), _("Rename {name}").format(name=entity.title)
        ):
            self.refresh()

    def _point_renamed(self, item: QListWidgetItem) -> None:
        number = int(item.data(ID_ROLE))
        labels = list(self.document.session.matrix.scale)
        typed = item.text().strip()
        # The number shown before the label is not part of it.
        prefix = f"{number} "
        labels[number] = typed[len(prefix) :] if typed.startswith(prefix) else typed
        if not self._attempt(
            lambda: set_scale(self.document.session, labels), _("Rename point {number}").format(number=number)
        ):
            self.refresh()

    def _add_point(self) -> None:
        labels = [*self.document.session.matrix.scale, self.scale.new_edit.text()]
        if self._attempt(lambda: set_scale(self.document.session, labels), _("Add a point to the scale")):
            self.scale.new_edit.clear()

    def _remove_point(self) -> None:
        labels = list(self.document.session.matrix.scale)[:-1]
        self._attempt(
            lambda: set_scale(self.document.session, labels), _("Remove the top point of the scale")
        )
