"""A non-modal message strip: a plain sentence, marked by a word and a symbol
as well as by colour, that the facilitator can dismiss. After a bug it also
offers the folder where the details were logged."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ...domain.i18n import _


class MessageBanner(QFrame):
    log_folder_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBanner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_button = QPushButton(_("Show &Log Folder"))
        self.log_button.setAccessibleName(_("Show the folder with the app's log"))
        self.log_button.clicked.connect(self.log_folder_requested)
        self.log_button.hide()
        close = QPushButton(_("Dismiss"))
        close.setAccessibleName(_("Dismiss message"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 10, 10)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.log_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, text: str, *, problem: bool = True, log: bool = False) -> None:
        """Show `text`; `log=True` adds the button that opens the log folder."""
        prefix = _("⚠ Problem: ") if problem else _("ℹ Note: ")
        self.setProperty("level", "problem" if problem else "note")
        self.style().unpolish(self)
        self.style().polish(self)
        self.label.setText(prefix + text)
        self.setAccessibleName(prefix + text)
        self.log_button.setVisible(log)
        self.show()

    @property
    def text(self) -> str:
        return self.label.text()
