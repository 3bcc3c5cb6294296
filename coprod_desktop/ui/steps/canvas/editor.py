"""Typing a card's words in place, on the canvas, at the size the card will have."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QGraphicsProxyWidget, QLineEdit

from ....domain.i18n import _
from . import style

EDITOR_Z = 2_000_000.0


class CardLineEdit(QLineEdit):
    """Enter keeps the words, Escape drops them; leaving the field keeps them too."""

    def __init__(self, done: Callable[[bool], None]) -> None:
        super().__init__()
        self._done = done

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._done(True)
            return
        if event.key() == Qt.Key.Key_Escape:
            self._done(False)
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self._done(True)


class CardEditorItem(QGraphicsProxyWidget):
    """A one-line editor over a card (or where a new card will go).

    `on_done` receives the words on Enter or when focus leaves, None on Escape; it is
    called once.
    """

    def __init__(
        self,
        text: str,
        centre: QPointF,
        on_done: Callable[[str | None], None],
        *,
        scale: float = 1.0,
        hint: str = "",
    ) -> None:
        super().__init__()
        self._on_done = on_done
        self._finished = False
        self.line = CardLineEdit(self._done)
        self.line.setFont(style.font(int(style.CARD_FONT_PX * scale), bold=True))
        self.line.setText(text)
        self.line.setPlaceholderText(hint)
        self.line.setAccessibleName(_("Card words"))
        self.line.setToolTip(_("Type the words for the card. Enter keeps them; Escape cancels."))
        self.line.setStyleSheet(
            "QLineEdit { background: #ffffff; border: 4px solid #1d3557; padding: 6px; color: #1a1a1a; }"
        )
        width = max(style.CARD_TEXT_WIDTH * scale + 120, 360.0 * scale)
        self.line.setFixedWidth(int(width))
        self.setWidget(self.line)
        height = self.line.sizeHint().height()
        self.setPos(centre - QPointF(width / 2, height / 2))
        self.setZValue(EDITOR_Z)

    @property
    def finished(self) -> bool:
        return self._finished

    def begin(self) -> None:
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.line.setFocus(Qt.FocusReason.OtherFocusReason)
        self.line.selectAll()

    def _done(self, keep: bool) -> None:
        if self._finished:
            return
        self._finished = True
        self._on_done(self.line.text() if keep else None)
