"""Every agenda entry is shown whole: its last line (the step's minutes) is never cut off with
"…", in any language, at the laptop's and the projector's sizes.

An item's height is worked out for the width its text is drawn in. Qt's style-sheet style
works the height out for the whole row but draws the text inside the item's side padding,
so a title that just filled two lines needed a third that was cut ("experience-led design ·
6…"); the agenda's side spacing is therefore the list's own padding (app.qss)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem

from coprod_desktop.ui.shell.mainwindow import MainWindow


def settle() -> None:
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()


def cut_entries(window: MainWindow) -> list[str]:
    """The entries whose text, laid out as the style draws it, is taller than its place."""
    workshop = window.workshop
    assert workshop is not None
    agenda = workshop.agenda
    style = agenda.style()
    cut = []
    for row in range(agenda.count()):
        item = agenda.item(row)
        index = agenda.indexFromItem(item)
        option = QStyleOptionViewItem()
        agenda.initViewItemOption(option)
        agenda.itemDelegate().initStyleOption(option, index)
        # As QListView paints a list from top to bottom: no wider than its viewport.
        rect = agenda.visualRect(index)
        rect.setWidth(min(rect.width(), agenda.viewport().width()))
        option.rect = rect
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, agenda)
        # As QCommonStyle lays an item's text out: inside a margin of the focus frame's, plus one.
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, agenda) + 1
        needed = QFontMetricsF(option.font).boundingRect(
            QRectF(0, 0, text_rect.width() - 2 * margin, 10_000), int(Qt.TextFlag.TextWordWrap), item.text()
        )
        if needed.height() > text_rect.height() + 0.5:
            cut.append(item.text())
    return cut


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("size", [(1280, 720), (1366, 768), (1920, 1080)])
def test_no_agenda_entry_is_cut(qtbot, sample_file: Path, size: tuple[int, int], language: str) -> None:  # type: ignore[no-untyped-def]
    from coprod_desktop.ui.shell.language import apply_language

    apply_language(language)
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    assert window.open_session(sample_file)
    settle()
    workshop = window.workshop
    assert workshop is not None
    assert workshop.agenda.count() >= 10
    assert cut_entries(window) == []
    window.close_session()
