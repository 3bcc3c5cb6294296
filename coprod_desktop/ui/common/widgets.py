"""Small widgets every screen uses alike."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def hint_label(text: str = "", *, wrap: bool = True) -> QLabel:
    """A line of quieter guidance under a heading or beside controls (styled as #hint)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # it often carries a typed title or name
    label.setText(text)
    label.setObjectName("hint")
    label.setWordWrap(wrap)
    return label
