"""The assessment matrix as the facilitator and the room meet it: real widgets, real files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from coprod_desktop.domain.changes import Change
from coprod_desktop.domain.matrix import cell_result, placement_votes
from coprod_desktop.domain.model import (
    BallotCast,
    BallotCount,
    Criterion,
    MatrixSettings,
    Participant,
    Reveal,
    RoleGroup,
    Session,
    Side,
    Tally,
    Vote,
    VotingMode,
    replace,
)
from coprod_desktop.domain.voting import cell_question, tally
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.common.roompager import RoomPagerWidget
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.steps.matrix.matrixmodel import QUESTION_ROLE, VIEW_ROLE, CellView
from coprod_desktop.ui.steps.matrix.matrixwidget import DISPLAY_KEY, FOCUS_KEY, MatrixWidget

PEOPLE = (
    ("Ana", RoleGroup.USES_SERVICES),
    ("Bea", RoleGroup.CARER),
    ("Cy", RoleGroup.MANAGER),
    ("Dov", RoleGroup.FRONTLINE),
)
DATA_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.EditRole,
    Qt.ItemDataRole.UserRole,
    VIEW_ROLE,
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    session = load_builtin_template()
    for index, (name, role) in enumerate(PEOPLE):
        session.put(Participant(id=f"p{index}", name=name, role=role, position=index))
    target = tmp_path / "matrix.coprod"
    SessionFile.create(target, session).close()
    return target


@pytest.fixture
def document(path: Path) -> Iterator[SessionDocument]:
    opened = SessionDocument.open(path)
    yield opened
    opened.close()


MADE: list[MatrixWidget] = []


@pytest.fixture(autouse=True)
def _delete_widgets() -> Iterator[None]:
    """Delete this test's widgets for real, so later tests do not restyle and repaint them."""
    yield
    while MADE:
        widget = MADE.pop()
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def make(qtbot, document: SessionDocument, *, audience: bool = False) -> MatrixWidget:  # type: ignore[no-untyped-def]
    widget = MatrixWidget(document, audience=audience)
    MADE.append(widget)
    widget.resize(1280, 720)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def on_disk(path: Path) -> Session:
    with SessionFile.open(path, read_only=True) as file:
        return file.load()


def question(session: Session, row: int, column: int) -> str:
    return cell_question(session.criteria[row].id, session.stages[column].id)


def set_mode(document: SessionDocument, mode: VotingMode) -> None:
    document.put(replace(document.session.matrix, mode=mode), "Mode")


def select(widget: MatrixWidget, row: int, column: int) -> None:
    widget.view.setCurrentIndex(widget.model.index(row, column + 1))


def texts_of(widget: QWidget) -> str:
    """Every text a person could read in a widget: labels, buttons, and every box's data."""
    parts = [label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)]
    parts += [button.text() for button in widget.findChildren(QAbstractButton)]
    # The room's view shows one page at a time; a person reads the others a click later.
    for pager in widget.findChildren(RoomPagerWidget):
        parts += [block.text() for block in pager.blocks if isinstance(block, QLabel)]
    return "\n".join(parts)


def model_texts(widget: MatrixWidget) -> str:
    model = widget.model
    parts: list[str] = []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            for role in DATA_ROLES:
                value = model.data(index, role)
                if isinstance(value, CellView):
                    parts += [value.text, value.accessible, value.short, *(a + b for a, b in value.pairs)]
                elif value is not None:
                    parts.append(str(value))
    return "\n".join(parts)


# --- named votes ---------------------------------------------------------------------------


def test_named_votes_from_the_keyboard_reach_the_file_and_undo(qtbot, document, path) -> None:  # type: ignore[no-untyped-def]
    set_mode(document, VotingMode.NAMED)
    widget = make(qtbot, document)
    widget.choose_person("p2")
    select(widget, 0, 0)
    qtbot.keyClick(widget.view, Qt.Key.Key_3)
    qtbot.keyClick(widget.view, Qt.Key.Key_1)
    session = document.session
    first, second = question(session, 0, 0), question(session, 0, 1)
    assert session.get(Vote, (first, "p2")) == Vote(first, "p2", "3")
    assert session.get(Vote, (second, "p2")) == Vote(second, "p2", "1")
    # The selection moved on by itself: the next key rates the third box.
    assert widget.view.currentIndex().column() == 3
    assert on_disk(path).get(Vote, (second, "p2")) == Vote(second, "p2", "1")
    assert "Rate" in document.undo_stack.undoText()
    assert "Cy" in document.undo_stack.undoText()
    # The console shows this person's own rating; the box stays blind.
    view = widget.model.data(widget.model.index(0, 1), VIEW_ROLE)
    assert view.kind == "hidden"
    assert view.mine == "You: 3"
    assert view.main == "1 of 4"

    document.undo_stack.undo()
    assert document.session.get(Vote, (second, "p2")) is None
    assert on_disk(path).get(Vote, (second, "p2")) is None
    assert "You" not in widget.model.data(widget.model.index(0, 2), Qt.ItemDataRole.DisplayRole)
    document.undo_stack.redo()
    assert on_disk(path).get(Vote, (second, "p2")) == Vote(second, "p2", "1")
    assert widget.model.data(widget.model.index(0, 2), VIEW_ROLE).mine == "You: 1"


def test_change_and_withdraw_a_named_vote(qtbot, document, path) -> None:  # type: ignore[no-untyped-def]
    set_mode(document, VotingMode.NAMED)
    widget = make(qtbot, document)
    widget.choose_person("p0")
    select(widget, 1, 2)
    qtbot.keyClick(widget.view, Qt.Key.Key_4)
    select(widget, 1, 2)
    qtbot.keyClick(widget.view, Qt.Key.Key_0)
    target = question(document.session, 1, 2)
    assert on_disk(path).get(Vote, (target, "p0")) == Vote(target, "p0", "0")
    select(widget, 1, 2)
    qtbot.keyClick(widget.view, Qt.Key.Key_Delete)
    assert on_disk(path).get(Vote, (target, "p0")) is None
    # Alt+Right moves on to the next person, whose ratings the boxes then show.
    with qtbot.waitActive(widget):
        widget.activateWindow()
    widget.view.setFocus()
    qtbot.keyClick(widget.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert widget.named_combo.currentData() == "p1"
    assert widget.voter_id == "p1"
    assert widget.view.currentIndex().column() == 3  # withdrawing does not move on
    # A number off the scale is refused with a sentence, and nothing is stored.
    qtbot.keyClick(widget.view, Qt.Key.Key_7)
    assert "0 to 4" in widget.status.text()
    assert on_disk(path).count(Vote) == 0


def test_a_vote_repaints_one_box_without_resetting_the_model(qtbot, document) -> None:  # type: ignore[no-untyped-def]
    set_mode(document, VotingMode.NAMED)
    widget = make(qtbot, document)
    widget.choose_person("p1")
    select(widget, 2, 1)
    resets: list[int] = []
    changed: list[tuple[int, int]] = []
    widget.model.modelReset.connect(lambda: resets.append(1))
    widget.model.dataChanged.connect(lambda first, last, *_: changed.append((first.row(), first.column())))
    qtbot.keyClick(widget.view, Qt.Key.Key_2)
    assert resets == []
    assert (2, 2) in changed
    assert set(changed) <= {
        (2, 2),
        (2, widget.model.average_column),
        (widget.model.average_row, 2),
        (widget.model.average_row, widget.model.average_column),
    }


# --- show of hands -------------------------------------------------------------------------


def test_show_of_hands_typed_counts_enter_and_next_box(qtbot, document, path) -> None:  # type: ignore[no-untyped-def]
    widget = make(qtbot, document)
    assert document.session.matrix.mode is VotingMode.SHOW_OF_HANDS
    select(widget, 0, 1)
    qtbot.keyClick(widget.view, Qt.Key.Key_2)  # the first count, typed in the grid
    spins = widget.hands.spins
    assert len(spins) == 5
    assert spins[0].text() == "2"
    spins[1].selectAll()
    qtbot.keyClicks(spins[1], "5")
    spins[3].selectAll()
    qtbot.keyClicks(spins[3], "1")
    qtbot.keyClick(spins[3], Qt.Key.Key_Return)
    target = question(document.session, 0, 1)
    saved = on_disk(path)
    assert {(t.choice, t.count) for t in saved.tallies if t.question == target} == {
        ("0", 2),
        ("1", 5),
        ("3", 1),
    }
    assert saved.count(Vote) == 0
    assert widget.view.currentIndex().column() == 3  # moved to the next box
    assert [spin.value() for spin in spins] == [0, 0, 0, 0, 0]
    assert "Total: 0 of 4 people" in widget.hands.total.text()
    # Back on the first box, its counts come back for correcting; Enter in the grid opens them.
    select(widget, 0, 1)
    assert [spin.value() for spin in spins] == [2, 5, 0, 1, 0]
    assert "⚠ more hands than people" in widget.hands.total.text()
    spins[1].setValue(1)
    widget.hands.commit()
    assert cell_result(
        document.session, document.session.criteria[0].id, document.session.stages[1].id
    ).counts == (
        2,
        1,
        0,
        1,
        0,
    )
    view = widget.model.data(widget.model.index(0, 2), VIEW_ROLE)
    assert (view.main, view.lines, view.short) == ("All 4", ("have voted ✓",), "All 4 voted ✓")


# --- secret ballot -------------------------------------------------------------------------


def test_secret_ballot_shows_each_voter_only_their_own_and_clears_between(qtbot, document, path) -> None:  # type: ignore[no-untyped-def]
    set_mode(document, VotingMode.SECRET)
    widget = make(qtbot, document)
    first_q = question(document.session, 0, 0)
    document.apply([Change(None, Reveal(first_q))], "Reveal")  # a revealed box must not show in a ballot
    document.apply([Change(None, Vote(first_q, "p3", "4"))], "Earlier vote")

    # Nobody can rate before choosing a name.
    select(widget, 0, 1)
    qtbot.keyClick(widget.view, Qt.Key.Key_2)
    assert "Start a ballot first" in widget.status.text()

    ballots: list[bool] = []
    document.ballot_changed.connect(ballots.append)
    undo_steps = document.undo_stack.count()
    assert widget.start_secret_ballot("p0")
    assert ballots == [True]
    assert not widget.mode_combo.isEnabled()
    assert not widget.reveal_all_button.isEnabled()
    assert not widget.tabs.isTabEnabled(1)
    qtbot.keyClick(widget.view, Qt.Key.Key_1)
    qtbot.keyClick(widget.view, Qt.Key.Key_3)
    # A ballot is recorded input: nothing of it goes on the undo stack.
    assert document.undo_stack.count() == undo_steps
    assert not widget.reveal_box_button.isEnabled()  # still locked after ratings
    assert document.focus(FOCUS_KEY) == ""  # the room is not shown where the voter is
    mine = dict(widget.model.mine)
    assert mine == {first_q: 1, question(document.session, 0, 1): 3}
    texts = model_texts(widget)
    assert "You: 1" in texts
    assert "You: 3" in texts
    assert "4.0" not in texts  # the revealed box stays blind in a ballot
    assert "2.5" not in texts
    # Reveal keys do nothing while a voter is at the laptop.
    qtbot.keyClick(
        widget.view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert on_disk(path).count(Reveal) == 1

    widget.finish_ballot()
    assert ballots == [True, False]
    assert widget.model.mine == {}
    assert not widget.model.private
    assert not widget.view.currentIndex().isValid()
    assert "You:" not in model_texts(widget)
    assert widget.mode_combo.isEnabled()
    assert widget.secret_combo.currentData() == "p1"  # the next who has not voted
    assert "has voted" in widget.secret_combo.itemText(widget.secret_combo.findData("p0"))

    assert widget.start_secret_ballot()
    assert widget.model.mine == {}  # Bea sees none of Ana's ratings
    assert "You:" not in model_texts(widget)
    qtbot.keyClick(widget.view, Qt.Key.Key_4)
    widget.finish_ballot()
    saved = on_disk(path)
    # Who voted is kept apart from what they chose; only the earlier named vote has a name.
    assert saved.get(Vote, (first_q, "p0")) is None
    assert saved.get(Vote, (first_q, "p1")) is None
    assert saved.get(Vote, (first_q, "p3")) == Vote(first_q, "p3", "4")
    assert {(c.participant_id) for c in saved.on_question(BallotCast, first_q)} == {"p0", "p1"}
    assert {(c.side, c.choice, c.count) for c in saved.on_question(BallotCount, first_q)} == {
        (Side.OTHER, "1", 1),
        (Side.OTHER, "4", 1),
    }
    assert tally(saved, first_q) == {"1": 1, "4": 2}
    # A voter coming back sees nothing of their earlier ballot, and cannot vote twice.
    assert widget.start_secret_ballot("p0")
    assert widget.model.mine == {}
    select(widget, 0, 0)
    qtbot.keyClick(widget.view, Qt.Key.Key_2)
    assert "already voted" in widget.status.text()
    assert tally(on_disk(path), first_q) == {"1": 1, "4": 2}
    # Switching to named voting does not read a secret ballot back either.
    widget.finish_ballot()
    assert widget.set_mode(VotingMode.NAMED)
    widget.choose_person("p0")
    assert widget.model.mine == {}
    qtbot.keyClick(widget.view, Qt.Key.Key_3)
    assert "already voted" in widget.status.text()


# --- anonymous ballot ----------------------------------------------------------------------


def test_anonymous_ballot_stores_only_counts(qtbot, document, path) -> None:  # type: ignore[no-untyped-def]
    set_mode(document, VotingMode.ANONYMOUS)
    widget = make(qtbot, document)
    target = question(document.session, 0, 0)
    votes_before = on_disk(path).count(Vote)
    undo_steps = document.undo_stack.count()
    for rating in (Qt.Key.Key_2, Qt.Key.Key_4):
        assert widget.start_anonymous_ballot()
        qtbot.keyClick(widget.view, rating)
        widget.finish_ballot()
    assert widget.start_anonymous_ballot()
    qtbot.keyClick(widget.view, Qt.Key.Key_1)
    select(widget, 0, 0)
    qtbot.keyClick(widget.view, Qt.Key.Key_3)  # changes their mind: 1 becomes 3
    select(widget, 0, 1)
    qtbot.keyClick(widget.view, Qt.Key.Key_0)
    select(widget, 0, 1)
    qtbot.keyClick(widget.view, Qt.Key.Key_Delete)  # and takes that one back
    assert document.undo_stack.count() == undo_steps
    widget.finish_ballot()
    assert document.ballot is None
    assert widget.model.mine == {}
    assert "3 anonymous ballots" in widget.anonymous_count.text()
    saved = on_disk(path)
    assert saved.count(Vote) == votes_before == 0
    assert saved.count(BallotCast) == 0  # no name asked, none kept
    assert tally(saved, target) == {"2": 1, "3": 1, "4": 1}
    assert not tally(saved, question(saved, 0, 1))


def test_switching_to_anonymous_asks_about_names(qtbot, document, path) -> None:  # type: ignore[no-untyped-def]
    set_mode(document, VotingMode.NAMED)
    target = question(document.session, 0, 0)
    document.apply([Change(None, Vote(target, "p0", "2")), Change(None, Vote(target, "p1", "2"))], "Votes")
    widget = make(qtbot, document)
    assert widget.set_mode(VotingMode.ANONYMOUS, drop_names=False)
    assert on_disk(path).count(Vote) == 2
    assert "kept and still count" in widget.status.text()
    assert widget.set_mode(VotingMode.NAMED)
    assert widget.set_mode(VotingMode.ANONYMOUS, drop_names=True)
    saved = on_disk(path)
    assert saved.count(Vote) == 0
    assert saved.get(Tally, (target, "2")) == Tally(target, "2", 2)
    assert saved.matrix.mode is VotingMode.ANONYMOUS
    assert widget.mode_combo.currentData() == VotingMode.ANONYMOUS.value
    document.undo_stack.undo()  # names and mode come back in one step
    assert on_disk(path).count(Vote) == 2
    assert widget.mode_combo.currentData() == VotingMode.NAMED.value
    assert widget.entry.currentIndex() == 1


# --- reveal --------------------------------------------------------------------------------


def test_reveal_a_box_a_row_and_all_and_hide_again(qtbot, document, path) -> None:  # type: ignore[no-untyped-def]
    set_mode(document, VotingMode.NAMED)
    session = document.session
    document.apply(
        [Change(None, Vote(question(session, r, c), "p0", "3")) for r in range(2) for c in range(4)], "Votes"
    )
    widget = make(qtbot, document)
    select(widget, 0, 1)
    assert widget.model.data(widget.model.index(0, 2), Qt.ItemDataRole.DisplayRole).startswith("1 of 4")
    qtbot.keyClick(widget.view, Qt.Key.Key_R)
    assert {r.question for r in on_disk(path).reveals} == {question(session, 0, 1)}
    assert widget.model.data(widget.model.index(0, 2), Qt.ItemDataRole.DisplayRole).startswith("3.0")
    assert widget.reveal_box_button.text().startswith("Hide box")
    qtbot.keyClick(widget.view, Qt.Key.Key_R)
    assert on_disk(path).count(Reveal) == 0

    select(widget, 1, 0)
    qtbot.keyClick(widget.view, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    assert {r.question for r in on_disk(path).reveals} == {question(session, 1, c) for c in range(4)}
    assert widget.reveal_row_button.text().startswith("Hide row")
    widget.reveal_row_button.click()
    assert on_disk(path).count(Reveal) == 0

    qtbot.keyClick(
        widget.view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    every = {
        question(session, r, c) for r in range(len(session.criteria)) for c in range(len(session.stages))
    }
    assert {r.question for r in on_disk(path).reveals} == every
    assert document.undo_stack.undoText() == "Reveal every box"
    widget.hide_all_button.click()
    assert on_disk(path).count(Reveal) == 0
    document.undo_stack.undo()
    assert on_disk(path).count(Reveal) == len(every)


# --- the audience view -----------------------------------------------------------------------


def test_audience_never_shows_hidden_results_or_anyones_own_ratings(qtbot, document) -> None:  # type: ignore[no-untyped-def]
    set_mode(document, VotingMode.SECRET)
    session = document.session
    hidden_q, shown_q = question(session, 0, 0), question(session, 1, 1)
    # Hidden box: three votes with an unmistakable average of 3.7 (3, 4, 4 -> 3.67).
    changes = [Change(None, Vote(hidden_q, f"p{i}", v)) for i, v in enumerate(("3", "4", "4"))]
    changes += [Change(None, Vote(shown_q, f"p{i}", v)) for i, v in enumerate(("0", "1"))]
    document.apply(changes, "Votes")
    console = make(qtbot, document)
    audience = make(qtbot, document, audience=True)
    console.start_secret_ballot("p3")
    select(console, 0, 0)
    qtbot.keyClick(console.view, Qt.Key.Key_2)  # now 3, 4, 4, 2 -> 3.25

    assert "All 4\nhave voted ✓" in model_texts(audience)
    for text in (model_texts(audience), texts_of(audience)):
        for secret in ("3.2", "3.3", "3.7", "You", "spread", "lived", "staff", "Reads as"):
            assert secret not in text
    assert audience.model.data(audience.model.index(0, 1), VIEW_ROLE).kind == "hidden"
    # Nothing to press, nothing to type into, nothing to focus.
    for kind in (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit):
        usable = [w for w in audience.findChildren(kind) if w.isVisibleTo(audience) and w.isEnabled()]
        assert usable == []
    assert audience.view.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert not audience.model.flags(audience.model.index(0, 1)) & Qt.ItemFlag.ItemIsSelectable

    console.finish_ballot()
    document.apply([Change(None, Reveal(shown_q))], "Reveal")
    text = model_texts(audience)
    assert "0.5" in text  # the revealed box, live, without anything else asked of it
    assert "3.2" not in text
    assert "3.3" not in text
    assert "The placement appears once every box with votes is revealed." in texts_of(audience)
    assert "Reads as" not in texts_of(audience)

    document.apply([Change(None, Reveal(hidden_q))], "Reveal")
    assert "3.2" in model_texts(audience)  # 3.25, to one decimal
    # The placement follows a moment after the last change (it is coalesced, not per key).
    qtbot.waitUntil(lambda: audience.placement.rung.isVisibleTo(audience.placement), timeout=2000)
    assert audience.placement.rung.text().startswith("Reads as: ")


def test_audience_follows_the_box_under_discussion_and_the_display(qtbot, document) -> None:  # type: ignore[no-untyped-def]
    set_mode(document, VotingMode.NAMED)
    session = document.session
    target = question(session, 2, 1)
    document.apply(
        [
            Change(None, Vote(target, "p0", "1")),
            Change(None, Vote(target, "p2", "4")),
            Change(None, Reveal(target)),
        ],
        "Votes",
    )
    console = make(qtbot, document)
    audience = make(qtbot, document, audience=True)
    select(console, 2, 1)
    assert document.focus(FOCUS_KEY) == target
    assert audience.model.focused_question == target
    qtbot.keyClick(console.view, Qt.Key.Key_S)
    assert document.focus(DISPLAY_KEY) == "roles"
    view = audience.model.data(audience.model.index(2, 2), VIEW_ROLE)
    assert view.pairs == (("1.0", "lived"), ("4.0", "staff"))
    assert view.lines == ("▲ staff +3.0",)  # domain.words.gap_text, as in the PDF
    assert console.display_button.isChecked()
    console.display_button.click()
    assert audience.model.data(audience.model.index(2, 2), VIEW_ROLE).pairs == ()


# --- placement -------------------------------------------------------------------------------


def test_placement_room_answer_and_agreed_position(qtbot, document, path) -> None:  # type: ignore[no-untyped-def]
    set_mode(document, VotingMode.NAMED)
    session = document.session
    changes: list[Change] = []
    for row in range(len(session.criteria)):
        for column in range(len(session.stages)):
            value = "4" if column == 1 else "1"
            changes += [Change(None, Vote(question(session, row, column), f"p{i}", value)) for i in range(4)]
            changes.append(Change(None, Reveal(question(session, row, column))))
    document.apply(changes, "Votes")
    widget = make(qtbot, document)
    audience = make(qtbot, document, audience=True)
    panel = widget.placement
    assert panel.rung.text() == "Reads as: Co-design"
    assert "Design averages 4.0" in panel.reason.text()
    assert "▶ ✓ holds: Co-design: the design stage" in panel.rules.text()
    assert "This places the work." in panel.rules.text()
    assert audience.placement.rung.text() == "Reads as: Co-design"

    panel.agree_spin.setValue(3)
    panel.disagree_spin.setValue(1)
    panel.agree_spin.editingFinished.emit()
    assert placement_votes(on_disk(path), "co-design") == (3, 1)
    qtbot.waitUntil(lambda: "3 agree, 1 disagree" in audience.placement.room.text(), timeout=2000)

    panel.agreed_combo.setCurrentIndex(panel.agreed_combo.findData("engagement"))
    panel.reason_edit.setText("Members are asked, but staff still decide the timetable.")
    qtbot.keyClick(panel.reason_edit, Qt.Key.Key_Return)
    saved = on_disk(path).matrix
    assert (saved.agreed_rung, saved.agreed_reason) == (
        "engagement",
        "Members are asked, but staff still decide the timetable.",
    )
    assert audience.placement.agreed.text().startswith("Agreed by the group: Engagement.")
    # Everyone rated alike: each side averages (4 + 1 + 1 + 1) / 4 over the stages.
    assert audience.placement.split.text().endswith(
        "rate 1.8 on average, staff and professionals 1.8: no gap."
    )
    document.undo_stack.undo()
    assert on_disk(path).matrix.agreed_rung == ""
    assert not audience.placement.agreed.isVisibleTo(audience.placement)


# --- editing the matrix ----------------------------------------------------------------------


def test_edit_rows_columns_and_scale_through_the_undo_stack(qtbot, document, path) -> None:  # type: ignore[no-untyped-def]
    set_mode(document, VotingMode.NAMED)
    widget = make(qtbot, document)
    editor = widget.editor
    rows_before = len(document.session.criteria)
    editor.rows.new_edit.setText("Say over money")
    qtbot.keyClick(editor.rows.new_edit, Qt.Key.Key_Return)
    assert [c.title for c in on_disk(path).criteria][-1] == "Say over money"
    assert widget.model.rowCount() == rows_before + 2  # the new row and the averages
    assert (
        widget.model.data(widget.model.index(rows_before, 0), Qt.ItemDataRole.DisplayRole) == "Say over money"
    )

    # Rename in place, then move it to the top with the keyboard.
    item = editor.rows.list.item(rows_before)
    item.setText("Say over the budget")
    assert on_disk(path).criteria[-1].title == "Say over the budget"
    editor.rows.list.setCurrentRow(rows_before)
    for _ in range(rows_before):
        editor.rows.up_button.click()
    assert on_disk(path).criteria[0].title == "Say over the budget"

    # Remove a row with votes in it; undo brings the votes back.
    first = document.session.criteria[1]
    target = cell_question(first.id, document.session.stages[0].id)
    document.apply([Change(None, Vote(target, "p0", "3"))], "Vote")
    editor.rows.list.setCurrentRow(1)
    editor.rows.remove_button.click()
    assert on_disk(path).get(Criterion, first.id) is None
    assert on_disk(path).get(Vote, (target, "p0")) is None
    document.undo_stack.undo()
    assert on_disk(path).get(Vote, (target, "p0")) == Vote(target, "p0", "3")

    # Columns: add one and take it away again.
    editor.columns.new_edit.setText("Share the results")
    editor.columns.add_button.click()
    assert on_disk(path).stages[-1].title == "Share the results"
    assert widget.model.columnCount() == len(document.session.stages) + 2
    editor.columns.list.setCurrentRow(editor.columns.list.count() - 1)
    editor.columns.remove_button.click()
    assert "Share the results" not in [s.title for s in on_disk(path).stages]

    # Scale: rename a point, add a sixth, and refuse to remove a point a rating uses.
    editor.scale.list.item(0).setText("0 Not involved at all")
    assert on_disk(path).matrix.scale[0] == "Not involved at all"
    editor.scale.new_edit.setText("Led by people")
    editor.scale.add_button.click()
    assert len(on_disk(path).matrix.scale) == 6
    assert len(widget.hands.spins) == 6
    widget.choose_person("p1")
    select(widget, 0, 0)
    qtbot.keyClick(widget.view, Qt.Key.Key_5)
    editor.scale.remove_button.click()
    assert len(on_disk(path).matrix.scale) == 6
    assert "uses the points you are removing" in widget.status.text()
    assert isinstance(on_disk(path).matrix, MatrixSettings)


# --- the file remembers ----------------------------------------------------------------------


def test_reopen_the_file_and_find_every_vote(qtbot, path) -> None:  # type: ignore[no-untyped-def]
    document = SessionDocument.open(path)
    try:
        widget = make(qtbot, document)
        session = document.session
        widget.set_mode(VotingMode.NAMED)
        for person, key in (("p0", Qt.Key.Key_1), ("p1", Qt.Key.Key_2), ("p2", Qt.Key.Key_4)):
            widget.choose_person(person)
            select(widget, 0, 0)
            qtbot.keyClick(widget.view, key)
            qtbot.keyClick(widget.view, key)
        widget.set_mode(VotingMode.SHOW_OF_HANDS)
        select(widget, 1, 0)
        for spin, value in zip(widget.hands.spins, (1, 0, 2, 0, 0), strict=True):
            spin.setValue(value)
        widget.hands.commit()
        assert widget.set_mode(VotingMode.ANONYMOUS, drop_names=False)
        widget.start_anonymous_ballot()
        select(widget, 2, 3)
        qtbot.keyClick(widget.view, Qt.Key.Key_3)
        widget.finish_ballot()
        expected_votes = set(session.votes)
        expected_tallies = set(session.tallies)
        expected_ballots = set(session.items(BallotCount))
        widget.close()
    finally:
        document.close()
    assert len(expected_votes) == 6
    assert len(expected_tallies) == 2
    assert len(expected_ballots) == 1
    reopened = SessionDocument.open(path)
    try:
        again = make(qtbot, reopened)
        assert set(reopened.session.votes) == expected_votes
        assert set(reopened.session.tallies) == expected_tallies
        assert set(reopened.session.items(BallotCount)) == expected_ballots
        assert reopened.session.matrix.mode is VotingMode.ANONYMOUS
        first = again.model.data(again.model.index(0, 1), VIEW_ROLE)
        assert (first.main, first.lines) == ("3 of 4", ("have voted",))
    finally:
        reopened.close()


def test_model_is_empty_without_rows_or_columns(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "empty.coprod"
    SessionFile.create(target, Session()).close()
    document = SessionDocument.open(target)
    try:
        widget = make(qtbot, document)
        assert widget.model.rowCount() == 0
        assert widget.model.columnCount() == 0
        qtbot.keyClick(widget.view, Qt.Key.Key_R)
        assert widget.model.cell_at(QModelIndex()) is None
        assert "Reveal some boxes" in widget.placement.waiting.text()
        QApplication.processEvents()
    finally:
        document.close()


def test_question_role_names_the_box(qtbot, document) -> None:  # type: ignore[no-untyped-def]
    widget = make(qtbot, document)
    assert widget.model.data(widget.model.index(0, 1), QUESTION_ROLE) == question(document.session, 0, 0)
    assert widget.model.data(widget.model.index(0, 0), QUESTION_ROLE) == ""
    assert widget.model.headerData(1, Qt.Orientation.Horizontal) == document.session.stages[0].title
    assert widget.model.headerData(widget.model.average_column, Qt.Orientation.Horizontal) == "Average"


def test_every_control_has_an_accessible_name_or_a_label(qtbot, document) -> None:  # type: ignore[no-untyped-def]
    widget = make(qtbot, document)
    labelled = {label.buddy() for label in widget.findChildren(QLabel) if label.buddy() is not None}
    controls: list[QWidget] = []
    for kind in (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit):
        controls += [w for w in widget.findChildren(kind) if w.objectName() != "qt_tableview_cornerbutton"]
    controls = [w for w in controls if w.parent() is not None and not w.objectName().startswith("qt_")]
    assert len(controls) > 25
    unnamed = [
        f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
        for w in controls
        if not w.accessibleName() and w not in labelled and not (isinstance(w, QAbstractButton) and w.text())
    ]
    assert unnamed == []
    assert widget.view.accessibleName() == "Assessment matrix"


def test_a_first_vote_in_a_hidden_box_takes_the_placement_off_the_projector(qtbot, document) -> None:  # type: ignore[no-untyped-def]
    set_mode(document, VotingMode.NAMED)
    session = document.session
    shown = question(session, 0, 1)
    document.apply([Change(None, Vote(shown, "p0", "4")), Change(None, Reveal(shown))], "Vote")
    audience = make(qtbot, document, audience=True)
    assert audience.placement.rung.text() == "Reads as: Co-design"
    assert audience.placement.rung.isVisibleTo(audience.placement)
    document.apply([Change(None, Vote(question(session, 3, 3), "p1", "0"))], "A vote in a hidden box")
    qtbot.waitUntil(lambda: not audience.placement.rung.isVisibleTo(audience.placement), timeout=2000)
    assert "once every box with votes is revealed" in audience.placement.waiting.text()


def test_a_vote_changes_the_rooms_placement_words_without_new_blocks(qtbot, document) -> None:  # type: ignore[no-untyped-def]
    set_mode(document, VotingMode.NAMED)
    session = document.session
    for row in range(len(session.criteria)):
        for column in range(len(session.stages)):
            box = question(session, row, column)
            document.apply([Change(None, Vote(box, "p0", "2")), Change(None, Reveal(box))], "Vote")
    audience = make(qtbot, document, audience=True)
    audience.settle()
    QApplication.processEvents()
    blocks = audience.pager.blocks
    words = [block.text() for block in blocks if isinstance(block, QLabel)]
    grid = audience.grid_block.geometry()
    for row in range(len(session.criteria)):
        document.apply([Change(None, Vote(question(session, row, 0), "p1", "4"))], "Another vote")
    audience.settle()
    QApplication.processEvents()
    # The same labels with new words: the grid above them is not laid out (and repainted) again.
    assert audience.pager.blocks == blocks
    assert [block.text() for block in blocks if isinstance(block, QLabel)] != words
    assert audience.grid_block.geometry() == grid


def test_the_placement_and_the_editor_are_made_when_first_shown(qtbot, document) -> None:  # type: ignore[no-untyped-def]
    set_mode(document, VotingMode.NAMED)
    shown = question(document.session, 0, 1)
    document.apply([Change(None, Vote(shown, "p0", "4")), Change(None, Reveal(shown))], "Vote")
    widget = make(qtbot, document)
    assert widget._placement is None
    assert widget._editor is None
    widget.tabs.setCurrentIndex(1)
    assert widget._placement is not None
    assert widget.placement.isVisibleTo(widget)
    assert widget.placement.rung.text() == "Reads as: Co-design"
    # Made, it follows the document from then on.
    document.apply([Change(None, Vote(shown, "p1", "0"))], "Another vote")
    widget.settle()
    assert widget.placement.rung.text() != "Reads as: Co-design"
    widget.tabs.setCurrentIndex(2)
    assert widget._editor is not None
    assert widget.editor.isVisibleTo(widget)
    assert widget.editor.rows.list.count() == len(document.session.criteria)


class _Recorder(QPainter):
    """A painter that keeps each text drawn with the rectangle it was given."""

    def __init__(self, image: QImage) -> None:
        super().__init__(image)
        self.texts: list[tuple[QRect, str, QFont]] = []

    def drawText(self, rect, flags, text) -> None:  # type: ignore[no-untyped-def,override]  # noqa: N802
        self.texts.append((QRect(rect.toRect() if hasattr(rect, "toRect") else rect), text, QFont(self.font())))
        super().drawText(rect, flags, text)


def _figures(view: CellView, width: int) -> tuple[list[tuple[QRect, str]], list[QRect], bool]:
    """The box's figures (drawn bold) with their rectangles, the badge's rectangles, and whether
    every figure fits its rectangle whole."""
    from coprod_desktop.ui.steps.matrix.matrixmodel import MatrixDelegate

    image = QImage(width, 30, QImage.Format.Format_ARGB32)
    painter = _Recorder(image)
    MatrixDelegate()._paint_box(painter, QRect(0, 0, width, 30), QFont(), view)
    painter.end()
    badge = [rect for rect, text, _font in painter.texts if view.mine and text in (view.mine, view.mine_short)]
    figures = [
        (rect, text, font)
        for rect, text, font in painter.texts
        if font.bold() and not (view.mine and text in (view.mine, view.mine_short))
    ]
    whole = all(QFontMetrics(font).horizontalAdvance(text) <= rect.width() + 1 for rect, text, font in figures)
    return [(rect, text) for rect, text, _font in figures], badge, whole


@pytest.mark.parametrize("width", [56, 64, 72, 80, 90, 100, 120, 160])
def test_the_voters_badge_never_cuts_the_figure_in_a_narrow_box(qtbot, width: int) -> None:  # type: ignore[no-untyped-def]
    """On a laptop's narrow grid "You: 0" took the room of "2.4", which read ".4". The badge
    now shortens to the rating, or steps aside: a figure that fits without it fits with it."""
    views = [
        CellView("result", "2.4 ⚠", ("spread",), "#888888", "#000000", mine="You: 3", mine_short="3"),
        CellView("hidden", "59 of 60", ("voted",), mine="You: 0", mine_short="0", short="59/60"),
        CellView("result", "", (), "#888888", pairs=(("2.5", "Lived"), ("3.5", "Staff")), mine="You: 4", mine_short="4"),
    ]
    for view in views:
        _, _, alone = _figures(replace(view, mine="", mine_short=""), width)
        figures, badge, whole = _figures(view, width)
        assert len(figures) == max(len(view.pairs), 1)
        if alone:
            assert whole, (width, view.main, figures)
        for rect, _text in figures:
            assert not any(rect.intersects(each) for each in badge), (width, rect, badge)
        if width >= 160:
            assert len(badge) == 1  # room enough for "You: 3" in full
