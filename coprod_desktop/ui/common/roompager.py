"""Pages for the room: a column of blocks that shows as many as fit, never a scroll bar.

The room cannot scroll, and shrinking type until everything fits makes it
unreadable from the back. So the room's views hand their content over as
blocks (a paragraph, a heading, an action, a chart) and this widget lays out
as many whole blocks as fit its height at the size the room needs; the rest go
on the next page, which the clicker turns to before it moves to the next step.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from ...domain.i18n import _
from .look import FOR_THE_ROOM

KEEP_WITH_NEXT = "keepWithNext"  # a heading never ends a page on its own


def block_height(widget: QWidget, width: int) -> int:
    """The height `widget` needs at `width` (wrapped text included)."""
    if widget.hasHeightForWidth():
        return widget.heightForWidth(width)
    layout = widget.layout()
    if layout is not None and layout.hasHeightForWidth():
        return layout.totalHeightForWidth(width)
    return widget.sizeHint().height()


def text_block(
    text: str, name: str = "roomText", *, rich: bool = False, keep_with_next: bool = False
) -> QLabel:
    """A wrapped paragraph for the room, styled by its object name."""
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    label.setProperty(KEEP_WITH_NEXT, keep_with_next)
    label.setProperty(FOR_THE_ROOM, True)  # styled by the room's sheet, not the laptop's
    return label


class RoomPagerWidget(QWidget):
    """Shows the blocks of one page; `turn(+1)` and `turn(-1)` move between pages."""

    page_changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 14) -> None:
        super().__init__(parent)
        self.setObjectName("roomPager")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(spacing)
        self._layout.addStretch(1)
        self._blocks: list[QWidget] = []
        self._pages: list[list[QWidget]] = [[]]
        self.page = 0
        self._want_last = False
        self._laid_for: tuple[int, int] = (-1, -1)

    # Whatever the blocks ask for, the pager takes what it is given: that is the point.
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(400, 200)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(0, 0)

    @property
    def blocks(self) -> list[QWidget]:
        return list(self._blocks)

    def set_blocks(self, blocks: list[QWidget], *, keep_page: bool = False) -> None:
        for old in self._blocks:
            if old not in blocks:
                self._layout.removeWidget(old)
                old.hide()
                old.deleteLater()
        for index, block in enumerate(blocks):
            self._layout.insertWidget(index, block)
        self._blocks = list(blocks)
        if not keep_page:
            self.page = 0
        self.repaginate(force=True)
        # New blocks take their style sheet's type when first shown: measure again then.
        QTimer.singleShot(0, self, self._settle)

    def _settle(self) -> None:
        if self._blocks:
            self.repaginate(force=True)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.repaginate(force=True)

    def page_count(self) -> int:
        return len(self._pages)

    def page_blocks(self) -> list[QWidget]:
        return list(self._pages[self.page]) if self._pages else []

    def show_last_page(self) -> None:
        """Land on the last page (coming back from the next step); applied once laid out."""
        self._want_last = True
        self.repaginate(force=True)

    def turn(self, offset: int) -> bool:
        """Go `offset` pages on; False if there is no such page (the clicker then moves on)."""
        self.repaginate()
        target = self.page + offset
        if not 0 <= target < len(self._pages):
            return False
        self.page = target
        self._show_page()
        return True

    def set_page(self, page: int) -> None:
        self.repaginate()
        self.page = min(max(page, 0), len(self._pages) - 1)
        self._show_page()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.repaginate()

    def repaginate(self, *, force: bool = False) -> None:
        """Split the blocks into pages of whole blocks that fit the current height."""
        size = (self.width(), self.height())
        if not force and size == self._laid_for:
            return
        self._laid_for = size
        width, height = size
        spacing = self._layout.spacing()
        pages: list[list[QWidget]] = [[]]
        used = 0
        for block in self._blocks:
            block.ensurePolished()
            needed = block_height(block, width)
            on_page = pages[-1]
            extra = needed + (spacing if on_page else 0)
            if on_page and used + extra > height:
                carried: list[QWidget] = []
                # A heading (or anything marked to) moves on with what follows it.
                while on_page and bool(on_page[-1].property(KEEP_WITH_NEXT)) and len(on_page) > 1:
                    carried.insert(0, on_page.pop())
                pages.append(carried)
                used = sum(block_height(b, width) for b in carried) + spacing * len(carried)
                pages[-1].append(block)
                used += needed
            else:
                on_page.append(block)
                used += extra
        self._pages = pages
        if self._want_last and height > 0:
            self.page = len(pages) - 1
            self._want_last = False
        self.page = min(self.page, len(pages) - 1)
        self._show_page()

    def _show_page(self) -> None:
        shown = set(map(id, self._pages[self.page])) if self._pages else set()
        for block in self._blocks:
            wanted = id(block) in shown
            if block.isHidden() == wanted:  # showing a widget polishes it: only when it changes
                block.setVisible(wanted)
        self.page_changed.emit()

    def page_text(self) -> str:
        """ "page 2 of 3" when there is more than one page, else nothing."""
        if len(self._pages) <= 1:
            return ""
        return _("page {number} of {count}").format(number=self.page + 1, count=len(self._pages))
