"""Actions: what, who, by when, linked to a criterion or a canvas card. Quick from the keyboard.

Insert (or Ctrl+Return) adds a row and starts typing in it; Tab moves along the
row; Delete removes the selected rows; every edit is one undo step on disk.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ....domain.changes import Change, ChangeSet
from ....domain.i18n import N_, _, ngettext
from ....domain.model import Action, Card, Criterion, Session, new_id, replace
from ...common.entitytable import ChoiceDelegate, EntityTableModel, Index
from ...common.roompager import RoomPagerWidget
from ...common.roomrow import room_row
from ...document import SessionDocument

COLUMNS = ("what", "who", "due", "link", "done")
HEADERS = (N_("What"), N_("Who"), N_("By when"), N_("Linked to"), N_("Done"))
ROOM_SHARES = (5, 2, 2, 3, 1)  # the room's columns, as shares of the width


def link_choices(session: Session) -> list[tuple[str, str]]:
    """(label, link) pairs for what an action can be linked to."""
    choices = [(_("Nothing"), "")]
    choices += [
        (_("Criterion: {title}").format(title=c.title), f"criterion:{c.id}") for c in session.items(Criterion)
    ]
    choices += [(_("Card: {text}").format(text=c.text), f"card:{c.id}") for c in session.items(Card)]
    return choices


def link_label(session: Session, link: str) -> str:
    kind, _sep, ident = link.partition(":")
    if kind == "criterion":
        criterion = session.get(Criterion, ident)
        return (
            _("Criterion: {title}").format(title=criterion.title) if criterion else _("(a removed criterion)")
        )
    if kind == "card":
        card = session.get(Card, ident)
        return _("Card: {text}").format(text=card.text) if card else _("(a removed card)")
    return ""


class ActionsModel(EntityTableModel[Action]):
    HEADERS = HEADERS

    def __init__(self, document: SessionDocument, *, editable: bool) -> None:
        super().__init__(document, Action, document.actions_changed)
        self.editable = editable
        document.changed.connect(self._maybe_relabel)

    def _maybe_relabel(self, changes: ChangeSet) -> None:
        if changes.touches(Criterion, Card) and self._rows:
            self.dataChanged.emit(self.index(0, 3), self.index(len(self._rows) - 1, 3))

    def action(self, row: int) -> Action:
        return self.entity(row)

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        action = self._rows[index.row()]
        field = COLUMNS[index.column()]
        if field == "done":
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if action.done else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.DisplayRole:
                return _("Done") if action.done else _("Open")
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if field == "link":
                return link_label(self.document.session, action.link)
            return getattr(action, field)
        if role == Qt.ItemDataRole.EditRole:
            return getattr(action, field)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if not index.isValid() or not self.editable:
            return flags
        if COLUMNS[index.column()] == "done":
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        return flags | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = 0) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        action = self._rows[index.row()]
        field = COLUMNS[index.column()]
        if field == "done" and role == Qt.ItemDataRole.CheckStateRole:
            done = Qt.CheckState(value) == Qt.CheckState.Checked
            return self.document.put(
                replace(action, done=done), _("Mark action done") if done else _("Reopen action")
            )
        if role != Qt.ItemDataRole.EditRole or field == "done":
            return False
        text = str(value).strip()
        if field == "what" and not text:
            return False
        if getattr(action, field) == text:
            return False
        edited: Action = replace(action, **{field: text})  # type: ignore[arg-type]
        return self.document.put(edited, _("Edit action: {field}").format(field=_(HEADERS[index.column()])))


class WhoDelegate(QStyledItemDelegate):
    """Free text, completing the names of the session's participants."""

    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        editor = QLineEdit(parent)
        editor.setAccessibleName(_("Who"))
        names = [p.name for p in self.document.session.participants]
        completer = QCompleter(names, editor)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        editor.setCompleter(completer)
        return editor


class ActionsTableView(QTableView):
    """Tab moves along the rows as a spreadsheet does, and out of the table past its last cell
    (Shift+Tab, before its first), so the keyboard is never stuck in it."""

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt override
        model = self.model()
        current = self.currentIndex()
        if model is None or not current.isValid() or self.state() == QAbstractItemView.State.EditingState:
            return super().focusNextPrevChild(next)
        last_row, last_column = model.rowCount() - 1, model.columnCount() - 1
        at_end = current.row() == last_row and current.column() == last_column
        at_start = current.row() == 0 and current.column() == 0
        if (next and at_end) or (not next and at_start):
            return QWidget.focusNextPrevChild(self, next)
        return super().focusNextPrevChild(next)


class ActionsWidget(QWidget):
    def __init__(self, document: SessionDocument, *, audience: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.model = ActionsModel(document, editable=not audience)
        self.table = ActionsTableView()
        self.table.setObjectName("actionsTable")
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Actions"))
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 220)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.count = QLabel()
        self.count.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.audience = audience
        self.pager: RoomPagerWidget | None = None
        if audience:
            # The room cannot scroll a table: one row per action, as many as fit, in pages.
            self.table.hide()
            self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.pager = RoomPagerWidget(spacing=10)
            self.pager.setAccessibleName(_("Actions"))
            layout.addWidget(
                room_row(list(zip([_(h) for h in HEADERS], ROOM_SHARES, strict=True)), header=True)
            )
            layout.addWidget(self.pager, 1)
            layout.addWidget(self.count)
            document.actions_changed.connect(self._update_count)
            document.changed.connect(self._room_changed)
            self._update_count()
            return
        else:
            self.table.setItemDelegateForColumn(1, WhoDelegate(document, self.table))
            self.table.setItemDelegateForColumn(
                3, ChoiceDelegate(lambda: link_choices(document.session), _("Linked to"), self.table)
            )
            self.table.setEditTriggers(
                QAbstractItemView.EditTrigger.DoubleClicked
                | QAbstractItemView.EditTrigger.EditKeyPressed
                | QAbstractItemView.EditTrigger.AnyKeyPressed
            )
            add = QPushButton(_("&Add action"))
            add.setToolTip(_("Add an action and start typing it (Insert)"))
            add.clicked.connect(self.add_action)
            remove = QPushButton(_("Remove selected"))
            remove.clicked.connect(self.remove_selected)
            hint = QLabel(_("Insert adds a row · Tab moves along it · Delete removes · F2 edits"))
            hint.setObjectName("hint")
            hint.setWordWrap(True)  # on one line it held the step wider than a laptop's middle column
            row = QHBoxLayout()
            row.addWidget(add)
            row.addWidget(remove)
            row.addWidget(hint, 1)
            layout.addLayout(row)
            for keys, slot in (
                (QKeySequence(Qt.Key.Key_Insert), self.add_action),
                (QKeySequence("Ctrl+Return"), self.add_action),
                (QKeySequence(QKeySequence.StandardKey.Delete), self.remove_selected),
            ):
                shortcut = QShortcut(keys, self.table)
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
                shortcut.activated.connect(slot)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        document.actions_changed.connect(self._update_count)
        self._update_count()

    def add_action(self) -> None:
        action = Action(
            id=new_id(), what=_("New action"), position=self.document.session.next_position(Action)
        )
        if not self.document.put(action, _("Add action")):
            return
        row = [a.id for a in self.document.session.actions].index(action.id)
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.setFocus()
        self.table.edit(index)

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows:
            current = self.table.currentIndex()
            rows = [current.row()] if current.isValid() else []
        if not rows:
            return
        actions = [self.model.action(row) for row in rows]
        text = ngettext("Remove action", "Remove {n} actions", len(actions)).format(n=len(actions))
        self.document.apply([Change(a, None) for a in actions], text)

    def _update_count(self) -> None:
        actions = self.document.session.actions
        done = sum(1 for a in actions if a.done)
        self.count.setText(
            ngettext("{n} action, {done} done", "{n} actions, {done} done", len(actions)).format(
                n=len(actions), done=done
            )
        )
        if self.pager is not None:
            self._fill_room()

    def _room_changed(self, changes: tuple[Change, ...]) -> None:
        if any(change.kind in (Criterion, Card) for change in changes):
            self._fill_room()

    def _fill_room(self) -> None:
        assert self.pager is not None
        session = self.document.session
        rows = []
        for action in session.actions:
            texts = (
                action.what,
                action.who or "–",
                action.due or "–",
                link_label(session, action.link) or "–",
                _("✓ Done") if action.done else _("Open"),
            )
            rows.append(room_row(list(zip(texts, ROOM_SHARES, strict=True))))
        if not rows:
            rows = [room_row([(_("No actions yet."), 1)])]
        self.pager.set_blocks(rows, keep_page=True)
