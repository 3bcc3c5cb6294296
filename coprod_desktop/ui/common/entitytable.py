"""A table model over one kind of entity in the open session, in display order.

Subclasses say which kind and which columns, and how a cell reads and edits;
this base keeps the rows in step with the document without disturbing an
editor that is open in the table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, SignalInstance
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ...domain.i18n import _
from ...domain.model import Entity
from ..document import SessionDocument

Index = QModelIndex | QPersistentModelIndex
E = TypeVar("E", bound=Entity)


class EntityTableModel(QAbstractTableModel, Generic[E]):
    HEADERS: tuple[str, ...] = ()

    def __init__(self, document: SessionDocument, cls: type[E], changed: SignalInstance) -> None:
        super().__init__(document)
        self.document = document
        self.cls = cls
        self._rows: list[E] = document.session.items(cls)
        changed.connect(self.reload)

    def reload(self) -> None:
        rows = self.document.session.items(self.cls)
        if [r.ident for r in rows] == [r.ident for r in self._rows]:
            # Same rows in the same order: refresh in place, so an open editor
            # (the next cell after Tab) survives the edit just saved.
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, self.columnCount() - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def entity(self, row: int) -> E:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return _(self.HEADERS[section]) if orientation == Qt.Orientation.Horizontal else str(section + 1)


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a cell by choosing from a list of (label, value); the model gets the value."""

    def __init__(
        self,
        choices: Callable[[], list[tuple[str, str]]],
        name: str,
        parent: QWidget | None = None,
        *,
        current_role: Qt.ItemDataRole = Qt.ItemDataRole.EditRole,
    ) -> None:
        super().__init__(parent)
        self.choices = choices
        self.name = name
        self.current_role = current_role  # where the model keeps the value now

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        combo = QComboBox(parent)
        combo.setAccessibleName(self.name)
        for label, value in self.choices():
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(self.current_role))))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
