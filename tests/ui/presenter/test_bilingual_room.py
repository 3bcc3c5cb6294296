"""A bilingual room: each step's words in the session's language and, under them, in a second.

The second language's words come from the workshop template's translation, paired by
stable key; a text the facilitator edited shows in its own language only. The room's
view still fits: pages, never a scroll bar, every text big enough and dark enough.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from coprod_desktop.domain.model import StepKind, Term, replace
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.presenter.audience import AudienceWindow
from coprod_desktop.ui.workshop.steptimer import StepTimer

from .roomcheck import look, picture
from .test_room_fit import settle, walk_room


@pytest.fixture
def room(tmp_path: Path, qtbot: QtBot) -> Iterator[AudienceWindow]:
    path = tmp_path / "bilingual.coprod"
    SessionFile.create(path, load_builtin_template()).close()
    document = SessionDocument.open(path)
    window = AudienceWindow(document, StepTimer(document))
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    yield window
    window.close()
    document.close()


def _definition(document: SessionDocument) -> str:
    return next(s.id for s in document.session.visible_steps if s.kind is StepKind.DEFINITION)


def test_a_definition_reads_in_english_then_welsh(room: AudienceWindow) -> None:
    document = room.document
    welsh = load_builtin_template(language="cy")
    step_id = _definition(document)
    document.set_current_step(step_id)
    room.set_second_language("cy")
    settle()
    step = document.session.current_step
    assert step is not None
    term = document.session.get(Term, step.term)
    assert term is not None
    theirs = next(t for t in welsh.terms if t.key == term.key)
    shown = room.texts_on_every_page()
    assert step.title in shown
    assert next(s.title for s in welsh.steps if s.key == step.key) in shown
    joined = "\n".join(shown)
    for english, cymraeg in ((term.what, theirs.what), (term.example, theirs.example)):
        assert english.split("\n")[0].strip() in joined
        assert cymraeg.split("\n")[0].strip() in joined
    # The headings say both: "What it is · Beth ydyw".
    assert "What it is · Beth ydyw" in shown
    # Told apart by more than colour: the second language is italic, behind a rule.
    second = [lb for lb in room.findChildren(QLabel) if lb.objectName() == "roomSecond" and lb.isVisible()]
    assert second
    assert all(lb.font().italic() for lb in second)
    # One language again.
    room.set_second_language(None)
    settle()
    assert cymraeg.split("\n")[0].strip() not in "\n".join(room.texts_on_every_page())


def test_an_edited_text_shows_in_its_own_language_only(room: AudienceWindow) -> None:
    document = room.document
    step_id = _definition(document)
    document.set_current_step(step_id)
    step = document.session.current_step
    assert step is not None
    term = document.session.get(Term, step.term)
    assert term is not None
    welsh = next(t for t in load_builtin_template(language="cy").terms if t.key == term.key)
    assert document.put(replace(term, example="An example from our own service."), "Edit example")
    room.set_second_language("cy")
    settle()
    joined = "\n".join(room.texts_on_every_page())
    assert "An example from our own service." in joined
    assert welsh.example.split("\n")[0].strip() not in joined
    assert welsh.what.split("\n")[0].strip() in joined


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["720p", "1080p"])
@pytest.mark.parametrize("high_contrast", [False, True], ids=["light", "high-contrast"])
def test_the_bilingual_room_still_fits(
    room: AudienceWindow, size: tuple[int, int], high_contrast: bool
) -> None:
    room.resize(*size)
    room.set_high_contrast(high_contrast)
    room.set_second_language("cy")
    problems: list[str] = []
    screens = 0
    for where in walk_room(room, room.document):
        problems += look(room, picture(room), f"{size}, {where}").problems
        screens += 1
    assert screens > 14
    assert not problems, "\n".join(problems[:30])
    QApplication.processEvents()


def test_the_view_menu_sets_the_rooms_second_language(window, sample_file: Path) -> None:  # type: ignore[no-untyped-def]
    window.open_session(sample_file)
    window._fill_second_language_menu()
    actions = {a.text(): a for a in window.second_language_menu.actions()}
    assert actions["&One Language Only"].isChecked()
    welsh = actions["Cymraeg"]
    assert welsh.isEnabled()
    welsh.trigger()
    assert window.presenter is not None
    assert window.presenter.second_language == "cy"
    room = window.presenter.start(window)
    assert room.content.second_language == "cy"
    assert "Cymraeg" in window.statusBar().currentMessage()
    window.presenter.stop()
