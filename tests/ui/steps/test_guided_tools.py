"""The tools of the guided workshop, driven as the facilitator would: scenarios, readiness,
actions, the ladder and the summary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QSpinBox

from coprod_desktop.domain.model import Action, Reveal, StepKind, Tally, Vote
from coprod_desktop.domain.voting import readiness_question, scenario_question
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.ui.shell.mainwindow import MainWindow
from coprod_desktop.ui.steps.actions.actionswidget import ActionsWidget
from coprod_desktop.ui.steps.ladder.ladderwidget import LadderWidget
from coprod_desktop.ui.steps.readiness.readinesswidget import ReadinessWidget
from coprod_desktop.ui.steps.scenarios.scenarioswidget import ScenariosWidget
from coprod_desktop.ui.steps.summary.summarywidget import SummaryWidget


def reopen(path: Path):  # type: ignore[no-untyped-def]
    with SessionFile.open(path, read_only=True) as file:
        return file.load()


def go(window: MainWindow, kind: StepKind):  # type: ignore[no-untyped-def]
    document = window.document
    assert document is not None
    assert window.workshop is not None
    step = next(s for s in document.session.steps if s.kind is kind)
    window.workshop.go_to(step.id)
    tool = window.workshop.step_view.content.tool(kind)
    assert tool is not None
    assert tool.isVisibleTo(window)
    return tool


def test_scenario_hands_then_reveal(window: MainWindow, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "s.coprod"
    assert window.new_session(path)
    tool = go(window, StepKind.SCENARIOS)
    assert isinstance(tool, ScenariosWidget)
    document = window.document
    assert document is not None
    scenario = document.session.scenarios[0]
    question = scenario_question(scenario.id)
    spin = tool._spins[scenario.answer]
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "12")
    assert document.session.get(Tally, (question, scenario.answer)).count == 12  # type: ignore[union-attr]
    assert document.undo_stack.count() == 1  # typing "1" then "2" is one step
    assert "12" in tool.status.text()
    assert "Only you can see" in tool.status.text()
    assert not tool.reveal_button.isChecked()

    qtbot.mouseClick(tool.reveal_button, Qt.MouseButton.LeftButton)
    assert document.session.get(Reveal, question) is not None
    assert "Answer:" in tool.answer.text()
    assert scenario.explanation[:40] in tool.answer.text()
    assert any(bar.highlight and bar.value == 12 for bar in tool.chart.bars)
    on_disk = reopen(path)
    assert on_disk.get(Reveal, question) is not None
    assert on_disk.get(Tally, (question, scenario.answer)).count == 12  # type: ignore[union-attr]
    window.undo_action.trigger()
    assert document.session.get(Reveal, question) is None

    tool.step_scenario(1)
    assert tool.counter.text().startswith("Scenario 2 of")


def test_scenario_one_vote_each(window: MainWindow, sample_file: Path) -> None:
    assert window.open_session(sample_file)
    tool = go(window, StepKind.SCENARIOS)
    assert isinstance(tool, ScenariosWidget)
    document = window.document
    assert document is not None
    scenario = document.session.scenarios[0]
    assert tool.mode.currentData() == "named"  # the sample votes one by one
    person = document.session.participants[0]
    combo = tool._combos[person.id]
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("collaboration"))
    vote = document.session.get(Vote, (scenario_question(scenario.id), person.id))
    assert vote is not None
    assert vote.choice == "collaboration"
    combo.setCurrentIndex(combo.findData(""))  # withdraw
    assert document.session.get(Vote, (scenario_question(scenario.id), person.id)) is None
    assert reopen(sample_file).get(Vote, (scenario_question(scenario.id), person.id)) is None


def test_readiness_counts_reveal_and_recommendation(window: MainWindow, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "r.coprod"
    assert window.new_session(path)
    tool = go(window, StepKind.READINESS)
    assert isinstance(tool, ReadinessWidget)
    document = window.document
    assert document is not None
    items = document.session.readiness_items
    for item in items:
        spin = tool._spins[(item.id, 4)]  # everyone says "Fully"
        assert isinstance(spin, QSpinBox)
        spin.setValue(10)
    low = tool._spins[(items[1].id, 0)]
    low.setValue(30)  # ...but most say there is no money at all
    assert "Not yet" in tool.headline.text()
    assert items[1].title in tool.headline.text()
    assert "(Hidden from the room)" in tool.headline.text()
    assert tool.rules.isVisibleTo(window)
    tool.reveal_button.click()
    assert all(document.session.get(Reveal, readiness_question(i.id)) for i in items)
    assert not tool.headline.text().startswith("(Hidden")
    assert reopen(path).get(Tally, (readiness_question(items[1].id), "0")).count == 30  # type: ignore[union-attr]
    window.undo_action.trigger()
    assert not any(document.session.get(Reveal, readiness_question(i.id)) for i in items)


def test_actions_from_the_keyboard(window: MainWindow, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.coprod"
    assert window.new_session(path)
    tool = go(window, StepKind.ACTIONS)
    assert isinstance(tool, ActionsWidget)
    document = window.document
    assert document is not None
    tool.table.setFocus()
    qtbot.keyClick(tool.table, Qt.Key.Key_Insert)
    editor = QApplication.focusWidget()
    assert editor is not None
    editor.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(editor, "Book the room for March")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    who = QApplication.focusWidget()
    qtbot.keyClicks(who, "Ana")
    qtbot.keyClick(who, Qt.Key.Key_Return)
    # The delegate commits Return on the next turn of the event loop.
    qtbot.waitUntil(lambda: document.session.actions[0].who == "Ana")
    actions = reopen(path).items(Action)
    assert [(a.what, a.who) for a in actions] == [("Book the room for March", "Ana")]
    model = tool.model
    link = model.index(0, 3)
    criterion = document.session.criteria[0]
    assert model.setData(link, f"criterion:{criterion.id}", Qt.ItemDataRole.EditRole)
    assert model.data(link, Qt.ItemDataRole.DisplayRole) == f"Criterion: {criterion.title}"
    done = model.index(0, 4)
    assert model.setData(done, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert reopen(path).actions[0].done
    assert "1 done" in tool.count.text()
    tool.table.selectRow(0)
    tool.table.setFocus()
    qtbot.keyClick(tool.table, Qt.Key.Key_Delete)
    assert document.session.actions == []
    window.undo_action.trigger()
    assert len(document.session.actions) == 1


def test_ladder_and_summary_show_the_session(window: MainWindow, sample_file: Path) -> None:
    assert window.open_session(sample_file)
    ladder = go(window, StepKind.LADDER)
    assert isinstance(ladder, LadderWidget)
    description = ladder.accessibleDescription()
    assert "Coercion" in description
    assert "Co-production" in description
    assert not ladder.grab().isNull()
    summary = go(window, StepKind.SUMMARY)
    assert isinstance(summary, SummaryWidget)
    text = summary.view.toPlainText()
    assert "12 people" in text
    assert "Not yet" in text
    assert "Invite two class members" in text


def test_notes_from_the_room_are_kept_with_their_step(window: MainWindow, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "n.coprod"
    assert window.new_session(path)
    assert window.workshop is not None
    document = window.document
    assert document is not None
    notes = window.workshop.step_view.room_notes
    notes.entry.setFocus()
    qtbot.keyClicks(notes.entry, "Break after this step")
    qtbot.keyClick(notes.entry, Qt.Key.Key_Return)
    welcome = document.session.visible_steps[0]
    saved = reopen(path).notes
    assert [(n.text, n.step_id) for n in saved] == [("Break after this step", welcome.id)]
    assert notes.list.count() == 1
    document.go_next()
    assert notes.list.count() == 0  # another step, its own notes
    document.go_previous()
    notes.list.setCurrentRow(0)
    notes.list.setFocus()
    qtbot.keyClick(notes.list, Qt.Key.Key_Delete)
    assert reopen(path).notes == []
    window.undo_action.trigger()
    assert [n.text for n in reopen(path).notes] == ["Break after this step"]


def test_summary_catches_up_with_changes_made_while_hidden(window: MainWindow, sample_file: Path) -> None:
    assert window.open_session(sample_file)
    summary = go(window, StepKind.SUMMARY)
    assert isinstance(summary, SummaryWidget)
    go(window, StepKind.ACTIONS)
    document = window.document
    assert document is not None
    document.put(Action(id="new", what="Print the summary in braille", position=99), "Add action")
    assert "braille" not in summary.view.toPlainText()  # not shown, not redrawn yet
    go(window, StepKind.SUMMARY)
    assert "Print the summary in braille" in summary.view.toPlainText()
