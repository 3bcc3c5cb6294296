"""Editing the workshop: steps, definitions, scenarios, conditions, criteria and stages; templates."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from coprod_desktop.domain.model import Participant, Scenario, Step, Vote
from coprod_desktop.domain.template import parse_template
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.ui.shell.mainwindow import MainWindow


def reopen(path: Path):  # type: ignore[no-untyped-def]
    with SessionFile.open(path, read_only=True) as file:
        return file.load()


def test_edit_a_step_title_text_and_notes(window: MainWindow, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "edit.coprod"
    assert window.new_session(path)
    assert window.workshop is not None
    window.edit_workshop_action.trigger()
    editor = window.workshop.editor
    assert window.workshop.pages.currentWidget() is editor
    steps = editor.steps
    steps.list.setCurrentRow(1)
    title = steps.editors["title"]
    assert isinstance(title, QLineEdit)
    title.setFocus()
    title.selectAll()
    qtbot.keyClicks(title, "Our own words")
    qtbot.keyClick(title, Qt.Key.Key_Return)
    second = window.document.session.steps[1]  # type: ignore[union-attr]
    assert second.title == "Our own words"
    body = steps.editors["body"]
    assert isinstance(body, QPlainTextEdit)
    body.setPlainText("<b>Shown exactly</b> & as typed")
    body.committed.emit()  # as when the facilitator leaves the box
    assert reopen(path).get(Step, second.id).body == "<b>Shown exactly</b> & as typed"
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert reopen(path).get(Step, second.id).title != "Our own words"
    # The agenda follows.
    window.redo_action.trigger()
    assert "Our own words" in window.workshop.agenda.item(1).text()


def test_hide_reorder_add_and_remove_steps(window: MainWindow, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "steps.coprod"
    assert window.new_session(path)
    assert window.workshop is not None
    document = window.document
    assert document is not None
    editor = window.workshop.editor
    steps = editor.steps
    before = [s.title for s in document.session.visible_steps]
    item = steps.list.item(2)
    item.setCheckState(Qt.CheckState.Unchecked)
    assert [s.title for s in document.session.visible_steps] == before[:2] + before[3:]
    assert window.workshop.agenda.count() == len(before) - 1

    steps.list.setCurrentRow(0)
    steps.list.setFocus()
    qtbot.keyClick(steps.list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    titles = [s.title for s in document.session.steps]
    assert titles[:2] == [before[1], before[0]]
    assert [s.title for s in reopen(path).steps][:2] == [before[1], before[0]]
    assert document.undo_stack.undoText().startswith("Move step")

    count = len(document.session.steps)
    steps.add_button.click()  # type: ignore[union-attr]
    assert len(document.session.steps) == count + 1
    assert document.session.steps[-1].title == "New step"
    steps.remove_current()
    assert len(document.session.steps) == count
    window.undo_action.trigger()
    assert len(reopen(path).steps) == count + 1


def test_removing_a_scenario_takes_its_votes_and_undo_brings_both_back(
    window: MainWindow, sample_file: Path
) -> None:
    assert window.open_session(sample_file)
    assert window.workshop is not None
    document = window.document
    assert document is not None
    scenarios = window.workshop.editor.scenarios
    first = document.session.scenarios[0]
    votes = [v for v in document.session.votes if v.question == f"scenario/{first.id}"]
    assert votes
    scenarios.list.setCurrentRow(0)
    scenarios.remove_current()
    assert document.session.get(Scenario, first.id) is None
    assert not [v for v in reopen(sample_file).votes if v.question == f"scenario/{first.id}"]
    window.undo_action.trigger()
    on_disk = reopen(sample_file)
    assert on_disk.get(Scenario, first.id) == first
    restored = {v for v in on_disk.items(Vote) if v.question == f"scenario/{first.id}"}
    assert restored == set(votes)


def test_change_a_scenario_answer_and_a_definition(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "words.coprod"
    assert window.new_session(path)
    assert window.workshop is not None
    document = window.document
    assert document is not None
    scenarios = window.workshop.editor.scenarios
    scenarios.list.setCurrentRow(0)
    answer = scenarios.editors["answer"]
    index = answer.findData("co-creation")  # type: ignore[attr-defined]
    answer.setCurrentIndex(index)  # type: ignore[attr-defined]
    answer.activated.emit(index)  # type: ignore[attr-defined]
    assert reopen(path).scenarios[0].answer == "co-creation"
    terms = window.workshop.editor.terms
    terms.list.setCurrentRow(1)
    what = terms.editors["what"]
    what.setPlainText("Working side by side.")  # type: ignore[attr-defined]
    what.committed.emit()  # type: ignore[attr-defined]
    assert reopen(path).terms[1].what == "Working side by side."


def test_save_as_template_and_start_a_session_from_it(
    window: MainWindow, sample_file: Path, tmp_path: Path
) -> None:
    assert window.open_session(sample_file)
    document = window.document
    assert document is not None
    own = tmp_path / "templates"
    saved = window.save_as_template("Library day: ♥ ünïcode", "For the library team", folder=own)
    assert saved is not None
    assert saved.is_file()
    parsed = parse_template(saved.read_text(encoding="utf-8"), saved.name)
    assert [s.title for s in parsed.steps] == [s.title for s in document.session.steps]
    assert parsed.count(Participant) == 0
    assert parsed.votes == []

    from coprod_desktop.ui.shell.templatedialog import NewSessionDialog

    chooser = NewSessionDialog(window, folder=own)
    names = [t.name for t in chooser.templates]
    assert "Library day: ♥ ünïcode" in names
    assert chooser.templates[0].builtin
    fresh = tmp_path / "from-template.coprod"
    assert window.new_session(fresh, template=saved)
    session = reopen(fresh)
    assert [s.title for s in session.steps] == [s.title for s in parsed.steps]
    assert session.count(Participant) == 0


def test_a_broken_personal_template_gets_a_sentence(window: MainWindow, tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(
        'format = "coprod-template"\nformat_version = 1\nname = "x"\n[[steps]]\nkind = "dance"\ntitle = "t"\n',
        encoding="utf-8",
    )
    assert not window.new_session(tmp_path / "never.coprod", template=broken)
    assert "broken.toml" in window.banner.text
    assert "kind" in window.banner.text
    assert not (tmp_path / "never.coprod").exists()
