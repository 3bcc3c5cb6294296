"""A table row for the room: columns share the width by fixed proportions, text wraps.

Rows built with the same proportions line up as a table, and each row is one
block a RoomPagerWidget can move to the next page whole.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget


def room_row(cells: list[tuple[str, int]], name: str = "roomText", *, header: bool = False) -> QWidget:
    """A row of (text, share of the width) cells."""
    row = QWidget()
    row.setObjectName("roomRowHeader" if header else "roomRow")
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(18)
    for text, share in cells:
        label = QLabel(text)
        label.setObjectName("tableHeader" if header else name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        label.setSizePolicy(policy)
        layout.addWidget(label, share)
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    policy.setHeightForWidth(True)
    row.setSizePolicy(policy)
    return row
