"""Showing what people typed exactly as they typed it.

Qt guesses: a QLabel, a QStaticText or a tooltip whose text merely looks like HTML
(`O'Brien <b>bold</b>`, `<img src=x>`) is drawn as rich text, and an `&` in a button or in
a label with a buddy marks a keyboard shortcut. Typed text goes through these helpers
wherever it meets one of those guesses; HTML that the app builds around typed text
escapes it with `html.escape` instead.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt  # Qt.mightBeRichText lives in QtGui's namespace
from PySide6.QtWidgets import QLabel

from . import htmlescape as html


def plain_label(text: str = "", *, wrap: bool = False, name: str = "") -> QLabel:
    """A label that shows its text as it is, never as HTML."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if name:
        label.setObjectName(name)
    label.setText(text)
    return label


def tooltip(text: str) -> str:
    """`text` as a tooltip that shows it as typed (tooltips have no plain-text switch)."""
    if not GuiQt.mightBeRichText(text):
        return text
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"


def mnemonic_safe(text: str) -> str:
    """Typed text for a button, tab, action or buddy label: its `&` stays an ampersand."""
    return text.replace("&", "&&")


def file_stem(text: str, fallback: str = "workshop") -> str:
    """Typed text (a workshop's title) as the stem of a suggested file name: a `/` or `<`
    in the title is a character, not a folder or a name Windows refuses."""
    words = " ".join(re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", text).split())
    return words.strip(" .")[:80].strip() or fallback
