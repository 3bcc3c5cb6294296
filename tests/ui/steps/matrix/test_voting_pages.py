"""The console's voting pages: each in a frameless scroll area of its own, put there while still
empty (steps/matrix/panels.py `scroll_page`), in the order the modes' pages are asked for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QStackedWidget, QWidget

from coprod_desktop.domain.model import Participant, RoleGroup, VotingMode, replace
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.steps.matrix.matrixwidget import PAGE, MatrixWidget
from coprod_desktop.ui.steps.matrix.panels import HandsEditor, scroll_page


@pytest.fixture
def document(tmp_path: Path) -> Iterator[SessionDocument]:
    session = load_builtin_template()
    for index, name in enumerate(("Ana", "Bea", "Cy")):
        session.put(Participant(id=f"p{index}", name=name, role=RoleGroup.CARER, position=index))
    path = tmp_path / "pages.coprod"
    SessionFile.create(path, session).close()
    opened = SessionDocument.open(path)
    yield opened
    opened.close()


@pytest.fixture
def console(qtbot, document: SessionDocument) -> Iterator[MatrixWidget]:  # type: ignore[no-untyped-def]
    widget = MatrixWidget(document)
    widget.resize(1280, 720)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _looks_like_the_page_alone(area: QWidget) -> QWidget:
    assert isinstance(area, QScrollArea)
    assert area.widgetResizable()
    assert area.frameShape() == QScrollArea.Shape.NoFrame
    assert area.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert area.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert not area.viewport().autoFillBackground()
    page = area.widget()
    assert page is not None
    assert not page.autoFillBackground()
    return page


def test_each_mode_has_its_page_in_a_scroll_area_of_its_own(console: MatrixWidget) -> None:
    entry = console.entry
    assert entry.count() == len(PAGE)
    pages = {mode: _looks_like_the_page_alone(entry.widget(index)) for mode, index in PAGE.items()}
    assert pages[VotingMode.SHOW_OF_HANDS] is console.hands
    assert console.hands.scroll_area is entry.widget(PAGE[VotingMode.SHOW_OF_HANDS])
    assert pages[VotingMode.NAMED].isAncestorOf(console.named_combo)
    assert pages[VotingMode.SECRET] is console.secret_pages
    assert pages[VotingMode.ANONYMOUS] is console.anonymous_pages


@pytest.mark.parametrize("name", ["secret", "anonymous"])
def test_a_ballots_pages_keep_their_order_closed_then_open(console: MatrixWidget, name: str) -> None:
    pages: QStackedWidget = getattr(console, f"{name}_pages")
    assert pages.count() == 2
    closed, opened = pages.widget(0), pages.widget(1)
    start = console.secret_start if name == "secret" else console.anonymous_start
    assert closed.isAncestorOf(start)
    done = console.secret_done if name == "secret" else console.anonymous_done
    assert opened.isAncestorOf(done)
    assert pages.currentIndex() == 0


def test_the_shown_page_follows_the_mode(console: MatrixWidget, document: SessionDocument) -> None:
    for mode in VotingMode:
        document.put(replace(document.session.matrix, mode=mode), "mode")
        assert console.entry.currentIndex() == PAGE[mode]
        assert console.entry.currentWidget().isVisible()


def test_a_page_is_in_its_scroll_area_before_it_is_filled(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A scroll area sizes what it is given to its size hint and shows it: given while empty, the
    page's fields and labels are neither polished nor laid out until the window shows them."""
    editor = HandsEditor(scrolled=True)
    area = editor.scroll_area
    assert area is not None
    assert area.widget() is editor
    _looks_like_the_page_alone(area)
    assert editor.findChildren(QLabel)
    for child in editor.findChildren(QWidget):
        assert not child.testAttribute(Qt.WidgetAttribute.WA_WState_Polished), child
    qtbot.addWidget(area)
    area.resize(900, 300)
    area.show()
    qtbot.waitExposed(area)
    assert editor.save_button.isVisible()
    assert editor.width() == area.viewport().width()


def test_scroll_page_takes_any_page(qtbot) -> None:  # type: ignore[no-untyped-def]
    page = QWidget()
    area = scroll_page(page)
    qtbot.addWidget(area)
    assert _looks_like_the_page_alone(area) is page


def test_the_secret_ballots_list_marks_who_has_voted_as_it_is_filled(
    qtbot, document: SessionDocument
) -> None:  # type: ignore[no-untyped-def]
    from coprod_desktop.domain.model import Vote
    from coprod_desktop.domain.voting import cell_question

    session = document.session
    first = cell_question(session.criteria[0].id, session.stages[0].id)
    document.put(Vote(first, "p1", "2"), "Bea votes")
    document.put(replace(session.matrix, mode=VotingMode.SECRET), "secret")
    widget = MatrixWidget(document)
    qtbot.addWidget(widget)
    named = [widget.named_combo.itemText(i) for i in range(widget.named_combo.count())]
    secret = [widget.secret_combo.itemText(i) for i in range(widget.secret_combo.count())]
    assert named == ["Ana", "Bea", "Cy"]
    assert secret == ["Ana", "✓ Bea (has voted)", "Cy"]
    assert [widget.secret_combo.itemData(i) for i in range(3)] == ["p0", "p1", "p2"]
    assert widget.secret_combo.currentData() == "p0"  # the first who has not voted
    document.put(Vote(first, "p0", "1"), "Ana votes")
    secret = [widget.secret_combo.itemText(i) for i in range(widget.secret_combo.count())]
    assert secret == ["✓ Ana (has voted)", "✓ Bea (has voted)", "Cy"]
    assert widget.secret_combo.currentData() == "p2"  # moved on to who has not voted yet
