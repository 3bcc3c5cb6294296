"""Editing the workshop's details: title, date, place, facilitator and purpose."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain.i18n import _
from ...domain.model import WorkshopInfo, replace


class DetailsDialog(QDialog):
    """Shows the details for editing; `details()` gives the edited values."""

    def __init__(self, info: WorkshopInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Workshop details"))
        self._info = info
        self.title_edit = QLineEdit(info.title)
        self.date_edit = QLineEdit(info.date)
        self.date_edit.setPlaceholderText(_("for example 2026-11-26"))
        self.place_edit = QLineEdit(info.place)
        self.facilitator_edit = QLineEdit(info.facilitator)
        self.purpose_edit = QPlainTextEdit(info.purpose)
        self.purpose_edit.setTabChangesFocus(True)
        form = QFormLayout()
        for label, widget in (
            (_("&Title:"), self.title_edit),
            (_("&Date:"), self.date_edit),
            (_("&Place:"), self.place_edit),
            (_("&Facilitator:"), self.facilitator_edit),
            (_("P&urpose:"), self.purpose_edit),
        ):
            widget.setAccessibleName(label.replace("&", "").rstrip(":"))
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def details(self) -> WorkshopInfo:
        return replace(
            self._info,
            title=self.title_edit.text().strip() or self._info.title,
            date=self.date_edit.text().strip(),
            place=self.place_edit.text().strip(),
            facilitator=self.facilitator_edit.text().strip(),
            purpose=self.purpose_edit.toPlainText().strip(),
        )
