"""A non-modal message strip: a plain sentence, marked by a word and a symbol
as well as by colour, that the facilitator can dismiss."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class MessageBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBanner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QPushButton("Dismiss")
        close.setAccessibleName("Dismiss message")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 10, 10)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, text: str, *, problem: bool = True) -> None:
        prefix = "⚠ Problem: " if problem else "ℹ Note: "
        self.setProperty("level", "problem" if problem else "note")
        self.style().unpolish(self)
        self.style().polish(self)
        self.label.setText(prefix + text)
        self.setAccessibleName(prefix + text)
        self.show()

    @property
    def text(self) -> str:
        return self.label.text()
