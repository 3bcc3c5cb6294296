"""Choosing the template a new session starts from, and naming a template of one's own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain.i18n import _, name_of
from ...storage.templates import TemplateInfo, available_templates, template_languages

PATH_ROLE = Qt.ItemDataRole.UserRole


def personal_templates_folder() -> Path:
    """Where the facilitator's own templates are kept."""
    from .settings import data_folder

    return data_folder() / "templates"


class NewSessionDialog(QDialog):
    """Lists the built-in templates and the facilitator's own; Enter starts from the chosen one."""

    def __init__(self, parent: QWidget | None = None, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Start a new session"))
        self.templates = available_templates(folder or personal_templates_folder())
        label = QLabel(_("Start from which &workshop?"))
        self.list = QListWidget()
        self.list.setAccessibleName(_("Workshop templates"))
        self.list.setWordWrap(True)
        label.setBuddy(self.list)
        for template in self.templates:
            whose = _("built in") if template.builtin else _("your own")
            text = _("{template}  ({whose})").format(template=template.name, whose=whose)
            if template.description:
                text += f"\n{template.description}"
            item = QListWidgetItem(text)
            item.setData(PATH_ROLE, str(template.path))
            self.list.addItem(item)
        # The workshop's language: any the chosen template is written in (a built-in one has
        # a file per language, keyed by the same stable keys); the handout is printed in it.
        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName(_("Language of the workshop"))
        language_label = QLabel(_("&Language of the workshop:"))
        language_label.setBuddy(self.language_combo)
        self.list.currentRowChanged.connect(self._offer_languages)
        self.list.setCurrentRow(0)
        self._offer_languages()
        self.list.itemActivated.connect(lambda _arg: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Start"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list, 1)
        layout.addWidget(language_label)
        layout.addWidget(self.language_combo)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def chosen(self) -> TemplateInfo | None:
        row = self.list.currentRow()
        return self.templates[row] if 0 <= row < len(self.templates) else None

    def language(self) -> str | None:
        """The language chosen for a built-in template; None for one's own (its own language)."""
        found = self.language_combo.currentData()
        return str(found) if found else None

    def _offer_languages(self) -> None:
        self.language_combo.clear()
        template = self.chosen()
        if template is None or not template.builtin:
            self.language_combo.addItem(_("As the template is written"), None)
            self.language_combo.setEnabled(False)
            return
        self.language_combo.setEnabled(True)
        for tag in template_languages(template.path.name):
            self.language_combo.addItem(name_of(tag), tag)


class SaveTemplateDialog(QDialog):
    """Asks for the name (and a line about it) of a template made from this session."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Save as my template"))
        hint = QLabel(
            _(
                "Keeps this workshop's steps, definitions, scenarios, conditions, criteria and stages, "
                "to start new sessions from. Names, votes, cards and actions are not kept."
            )
        )
        hint.setWordWrap(True)
        self.name_edit = QLineEdit(title)
        self.name_edit.setAccessibleName(_("Template name"))
        self.description_edit = QPlainTextEdit()
        self.description_edit.setAccessibleName(_("What the template is for"))
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setMaximumHeight(90)
        name_label = QLabel(_("&Name:"))
        name_label.setBuddy(self.name_edit)
        about_label = QLabel(_("What it is &for:"))
        about_label.setBuddy(self.description_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (hint, name_label, self.name_edit, about_label, self.description_edit, buttons):
            layout.addWidget(widget)

    def name(self) -> str:
        return self.name_edit.text().strip()

    def description(self) -> str:
        return " ".join(self.description_edit.toPlainText().split())
