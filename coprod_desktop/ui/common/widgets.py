"""Small widgets every screen uses alike."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def hint_label(text: str = "", *, wrap: bool = True) -> QLabel:
    """A line of quieter guidance under a heading or beside controls (styled as #hint)."""
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(wrap)
    return label
