"""The palette: the session's people and the role groups, ready to put on the canvas.

Drag an entry onto the canvas, or choose it and press Enter to put it in the middle
of what the canvas shows. Each entry wears its mark (colour and shape), so the list
is also the key.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QMimeData, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from ....domain.canvas import DECISION_MARK, ROLE_MARKS, Mark
from ....domain.i18n import _
from ....domain.model import CardKind, RoleGroup
from ...common.plaintext import tooltip
from ...document import SessionDocument
from . import style
from .view import MIME_TYPE, card_mime

ENTRY_ROLE = Qt.ItemDataRole.UserRole


@lru_cache(maxsize=32)
def mark_icon(mark: Mark, size: int = 32) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = style.mark_pen(mark)
    pen.setWidthF(2.0)
    painter.setPen(pen)
    painter.setBrush(QColor(mark.colour))
    painter.drawPath(style.mark_path(mark.shape, QPointF(size / 2, size / 2), size * 0.36))
    painter.end()
    return QIcon(pixmap)


class PaletteWidget(QListWidget):
    """People and role groups to drop onto the canvas. `entry_chosen` carries an entry's payload."""

    entry_chosen = Signal(object)

    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("canvasPalette")
        self.setAccessibleName(_("Cards to add"))
        self.setAccessibleDescription(
            _(
                "People in the room, role groups and a decision. Drag one onto the canvas, "
                "or choose it and press Enter to add it in the middle of the canvas."
            )
        )
        self.setToolTip(_("Drag onto the canvas, or choose and press Enter"))
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setIconSize(QSize(28, 28))
        self.itemActivated.connect(self._activated)
        document.participants_changed.connect(self.rebuild)
        self.rebuild()

    def rebuild(self) -> None:
        self.clear()
        self._heading(_("New cards"))
        self._entry(
            _("{mark}…").format(mark=_(DECISION_MARK.name)),
            DECISION_MARK,
            {"kind": CardKind.DECISION, "text": "", "role": None, "participant_id": "", "draft": True},
            _("Type the words of a decision or activity, then press Enter"),
        )
        self._entry(
            _("Person or group…"),
            ROLE_MARKS[RoleGroup.OTHER],
            {"kind": CardKind.STAKEHOLDER, "text": "", "role": None, "participant_id": "", "draft": True},
            _("Type the name of a person or group, then press Enter"),
        )
        self._heading(_("Role groups"))
        for role in RoleGroup:
            mark = ROLE_MARKS[role]
            self._entry(
                _(role.label),
                mark,
                {
                    "kind": CardKind.STAKEHOLDER,
                    "text": _(role.label),
                    "role": role,
                    "participant_id": "",
                    "draft": False,
                },
                _("A card for the role group {role}").format(role=_(role.label)),
            )
        people = self.document.session.participants
        self._heading(_("People in the room") if people else _("People in the room (none added yet)"))
        for person in people:
            self._entry(
                person.name,
                ROLE_MARKS[person.role],
                {
                    "kind": CardKind.STAKEHOLDER,
                    "text": person.name,
                    "role": person.role,
                    "participant_id": person.id,
                    "draft": False,
                },
                _("{name}, {role}").format(name=person.name, role=_(person.role.label)),
            )

    def _heading(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        self.addItem(item)

    def _entry(self, text: str, mark: Mark, payload: dict[str, Any], tip: str) -> None:
        item = QListWidgetItem(mark_icon(mark), text)
        item.setData(ENTRY_ROLE, payload)
        item.setToolTip(tooltip(tip))
        flag = Qt.ItemFlag
        item.setFlags(flag.ItemIsEnabled | flag.ItemIsSelectable | flag.ItemIsDragEnabled)
        self.addItem(item)

    def payload(self, item: QListWidgetItem) -> dict[str, Any] | None:
        data = item.data(ENTRY_ROLE)
        if not isinstance(data, dict):
            return None
        # Qt keeps the entry as a map of plain values: the enums come back as their strings.
        payload = dict(data)
        payload["kind"] = CardKind(payload["kind"])
        payload["role"] = RoleGroup(payload["role"]) if payload.get("role") else None
        return payload

    def entries(self) -> list[QListWidgetItem]:
        return [self.item(row) for row in range(self.count()) if self.payload(self.item(row)) is not None]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:  # noqa: N802
        payload = self.payload(items[0]) if items else None
        if payload is None:
            return QMimeData()
        return card_mime(
            payload["kind"], payload["text"], payload["role"], payload["participant_id"], payload["draft"]
        )

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME_TYPE]

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self._activated(self.currentItem())
            event.accept()
            return
        super().keyPressEvent(event)

    def _activated(self, item: QListWidgetItem) -> None:
        payload = self.payload(item)
        if payload is not None:
            self.entry_chosen.emit(payload)
