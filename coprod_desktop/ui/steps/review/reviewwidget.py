""" "Did we do what we said?": a follow-up walks the earlier session's actions.

On the laptop, a table: one row per earlier action, with how it went and a note.
The clicker walks it: PageDown moves to the next action and, after the last one, to
the next step (PageUp the other way); the keys 1 to 4 say done, partly, not yet or
dropped, 0 clears, and F2 or Enter on the note writes what the room said. Every
change is one undo step on disk, through `domain.followup.set_review`.

In the room, the same actions in large type, the one being discussed marked with ▶,
each status as a symbol and a word (never colour alone). Both views follow the
document's focus ("review"), so the projector moves with the facilitator.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ....domain.changes import ChangeSet
from ....domain.followup import review_counts, set_review
from ....domain.i18n import N_, _, join, ngettext
from ....domain.model import ActionReview, ActionStatus
from ...common import htmlescape as html
from ...document import SessionDocument

Index = QModelIndex | QPersistentModelIndex
FOCUS_KEY = "review"
HEADERS = (
    N_("What we said we would do"),
    N_("Who"),
    N_("By when"),
    N_("How it went"),
    N_("What the room said"),
)
WORDS = {
    ActionStatus.DONE: N_("Done"),
    ActionStatus.PARTLY: N_("Partly"),
    ActionStatus.NOT_YET: N_("Not yet"),
    ActionStatus.DROPPED: N_("Dropped"),
    None: N_("Not reviewed yet"),
}
SYMBOLS = {
    ActionStatus.DONE: "✓",
    ActionStatus.PARTLY: "◐",
    ActionStatus.NOT_YET: "○",
    ActionStatus.DROPPED: "✗",
    None: "?",
}
STATUS_KEYS = {
    Qt.Key.Key_1: ActionStatus.DONE,
    Qt.Key.Key_2: ActionStatus.PARTLY,
    Qt.Key.Key_3: ActionStatus.NOT_YET,
    Qt.Key.Key_4: ActionStatus.DROPPED,
}


def status_text(status: ActionStatus | None) -> str:
    """A status as a symbol and a word: "✓ Done", "? Not reviewed yet"."""
    return f"{SYMBOLS[status]} {_(WORDS[status])}"


def _counted(status: ActionStatus, count: int) -> str:
    said = {
        ActionStatus.DONE: ngettext("{n} done", "{n} done", count),
        ActionStatus.PARTLY: ngettext("{n} partly", "{n} partly", count),
        ActionStatus.NOT_YET: ngettext("{n} not yet", "{n} not yet", count),
        ActionStatus.DROPPED: ngettext("{n} dropped", "{n} dropped", count),
    }[status]
    return said.format(n=count)


def summary_text(counts: dict[ActionStatus | None, int]) -> str:
    total = sum(counts.values())
    if not total:
        return _("The earlier session agreed no actions.")
    done = total - counts[None]
    parts = [_counted(s, counts[s]) for s in ActionStatus if counts[s]]
    if not parts:
        return ngettext("{done} of {total} reviewed.", "{done} of {total} reviewed.", total).format(
            done=done, total=total
        )
    return ngettext(
        "{done} of {total} reviewed: {details}.", "{done} of {total} reviewed: {details}.", total
    ).format(done=done, total=total, details=join(parts))


class ReviewModel(QAbstractTableModel):
    def __init__(self, document: SessionDocument, *, editable: bool) -> None:
        super().__init__(document)
        self.document = document
        self.editable = editable
        self._rows: list[ActionReview] = document.session.action_reviews
        document.changed.connect(self._changed)

    def _changed(self, changes: ChangeSet) -> None:
        if changes.touches(ActionReview):
            self.reload()

    def reload(self) -> None:
        rows = self.document.session.action_reviews
        if [r.id for r in rows] == [r.id for r in self._rows]:
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(HEADERS) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def review(self, row: int) -> ActionReview:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return _(HEADERS[section]) if orientation == Qt.Orientation.Horizontal else str(section + 1)

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        review = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == 3:
                return status_text(review.status)
            return (review.what, review.who, review.due, "", review.note)[column]
        if role == Qt.ItemDataRole.AccessibleTextRole and column == 3:
            return status_text(review.status)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.editable and index.column() == 4:
            return flags | Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = 0) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or index.column() != 4:
            return False
        review = self._rows[index.row()]
        return self.set(review, note=str(value))

    def set(self, review: ActionReview, **what: Any) -> bool:
        changes = set_review(self.document.session, review, **what)
        if not changes:
            return False
        label = _("Note on an earlier action") if "note" in what else _("How an earlier action went")
        return self.document.apply(changes, label)


class ReviewTableView(QTableView):
    """The laptop's table, which the clicker walks (see the module's text)."""

    def __init__(self, widget: ReviewWidget) -> None:
        super().__init__()
        self.widget = widget

    def event(self, event: QEvent) -> bool:
        # Claim the clicker's keys before the window's PageDown/PageUp shortcuts see them, so
        # they walk the actions here and reach keyPressEvent once.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and Qt.Key(event.key()) in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = Qt.Key(event.key())
        if self.state() == QAbstractItemView.State.EditingState:
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            self.widget.walk(+1 if key == Qt.Key.Key_PageDown else -1)
            return
        if key in STATUS_KEYS or key in (Qt.Key.Key_0, Qt.Key.Key_Backspace):
            self.widget.set_status(STATUS_KEYS.get(key))
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            note = self.model().index(self.currentIndex().row(), 4)
            self.setCurrentIndex(note)
            self.edit(note)
            return
        super().keyPressEvent(event)


class ReviewWidget(QWidget):
    def __init__(self, document: SessionDocument, *, audience: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.audience = audience
        self.model = ReviewModel(document, editable=not audience)
        self.summary = QLabel()
        self.summary.setObjectName("voteStatus" if audience else "reviewSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table: ReviewTableView | None = None
        self.room: QLabel | None = None
        if audience:
            self.room = QLabel()
            self.room.setObjectName("toolText")  # the room's window sizes this for the back row
            self.room.setTextFormat(Qt.TextFormat.RichText)  # built from escaped text only
            self.room.setWordWrap(True)
            self.room.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(self.room, 1)
        else:
            hint = QLabel(
                _(
                    "PageDown: next action · 1 done · 2 partly · 3 not yet · 4 dropped · 0 clear · "
                    "Enter: write what the room said"
                )
            )
            hint.setObjectName("hint")
            hint.setWordWrap(True)
            self.table = ReviewTableView(self)
            self.table.setObjectName("reviewTable")
            self.table.setAccessibleName(_("Earlier actions to review"))
            self.table.setModel(self.model)
            self.table.setWordWrap(True)
            self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            self.table.setEditTriggers(
                QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
            )
            header = self.table.horizontalHeader()
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            for column in (1, 2, 3):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
            self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            self.table.selectionModel().currentRowChanged.connect(self._row_changed)
            layout.addWidget(hint)
            layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        document.changed.connect(self._changed)
        document.focus_changed.connect(self._focus_changed)
        self.refresh()
        if self.table is not None and self.model.rowCount():
            self._select(self._focused_row() if self._focused_row() >= 0 else 0)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.table is not None:
            self.table.setFocus()  # so the clicker's PageDown walks the actions

    # --- the clicker and the keys ----------------------------------------------------------

    def current(self) -> ActionReview | None:
        row = self._focused_row()
        return self.model.review(row) if row >= 0 else None

    def walk(self, step: int) -> None:
        """The next (or previous) action; past either end, the next (or previous) step."""
        rows = self.model.rowCount()
        row = self._focused_row()
        target = row + step if row >= 0 else (0 if step > 0 else rows - 1)
        if 0 <= target < rows:
            self._select(target)
        elif step > 0:
            self.document.go_next()
        else:
            self.document.go_previous()

    def set_status(self, status: ActionStatus | None) -> bool:
        review = self.current()
        return review is not None and self.model.set(review, status=status)

    def _select(self, row: int) -> None:
        if self.table is not None:
            self.table.setCurrentIndex(self.model.index(row, 0))
        self.document.set_focus(FOCUS_KEY, self.model.review(row).id)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.document.set_focus(FOCUS_KEY, self.model.review(current.row()).id)

    def _focused_row(self) -> int:
        focused = self.document.focus(FOCUS_KEY)
        for row in range(self.model.rowCount()):
            if self.model.review(row).id == focused:
                return row
        return -1

    # --- following the document --------------------------------------------------------------

    def _changed(self, changes: ChangeSet) -> None:
        if changes.touches(ActionReview):
            self.refresh()

    def _focus_changed(self, key: str) -> None:
        if key != FOCUS_KEY:
            return
        row = self._focused_row()
        if self.table is not None and row >= 0 and self.table.currentIndex().row() != row:
            self.table.setCurrentIndex(self.model.index(row, 0))
        self.refresh()

    def refresh(self) -> None:
        self.summary.setText(summary_text(review_counts(self.document.session)))
        if self.room is None:
            return
        reviews = self.document.session.action_reviews
        if not reviews:
            self.room.setText(f"<p>{html.escape(_('The earlier session agreed no actions.'))}</p>")
            return
        focused = self.document.focus(FOCUS_KEY)
        rows = []
        for review in reviews:
            here = review.id == focused
            who = f" ({html.escape(review.who)})" if review.who.strip() else ""
            line = f"{html.escape(status_text(review.status))} · {html.escape(review.what)}{who}"
            line = f"▶ <b>{line}</b>" if here else f"&nbsp;&nbsp;&nbsp;{line}"
            if review.note.strip():
                line += f"<br/>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;<i>{html.escape(review.note)}</i>"
            rows.append(f"<p>{line}</p>")
        self.room.setText("".join(rows))
