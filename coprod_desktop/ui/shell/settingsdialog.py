"""Settings: the language of the app's screens."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from ...domain.i18n import _, available, name_of
from ..common.widgets import hint_label
from .language import system_language


class SettingsDialog(QDialog):
    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        """`language`: the one chosen now, "" when the app follows the system."""
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName(_("Language of the app"))
        self.language_combo.addItem(
            _("The system's language ({language})").format(language=name_of(system_language())), ""
        )
        for tag in available():
            self.language_combo.addItem(name_of(tag), tag)
        found = self.language_combo.findData(language)
        self.language_combo.setCurrentIndex(max(found, 0))
        form = QFormLayout()
        form.addRow(_("&Language of the app:"), self.language_combo)
        hint = hint_label(
            _(
                "The screens change at once. Each session's handout keeps the session's own "
                "language, whatever the screens are in."
            )
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def language(self) -> str:
        """The language chosen: a tag, or "" to follow the system."""
        return str(self.language_combo.currentData() or "")

    def choose(self, tag: str) -> None:
        self.language_combo.setCurrentIndex(max(self.language_combo.findData(tag), 0))
