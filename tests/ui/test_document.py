"""The document writes every edit through to the file, and undo and redo do too."""

from __future__ import annotations

import threading
from pathlib import Path

from coprod_desktop.domain.changes import ChangeSet, Initiator
from coprod_desktop.domain.model import (
    BallotCast,
    BallotCount,
    Participant,
    RoleGroup,
    Side,
    Vote,
    VotingMode,
    WorkshopInfo,
    replace,
)
from coprod_desktop.domain.voting import Ballot, cell_question, named_vote, tally
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.document import SessionDocument


def on_disk(path: Path):  # type: ignore[no-untyped-def]
    with SessionFile.open(path, read_only=True) as file:
        return file.load()


def test_edit_undo_redo_write_through(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "w.coprod"
    document = SessionDocument.create(path, load_builtin_template())
    person = Participant(id="p1", name="Zofia Łęcka", role=RoleGroup.CARER)
    with qtbot.waitSignals([document.participants_changed, document.saved]):
        assert document.put(person, "Add Zofia")
    assert on_disk(path).get(Participant, "p1") == person

    renamed = replace(person, name="Ζωή")
    document.put(renamed, "Rename")
    assert on_disk(path).get(Participant, "p1") == renamed

    document.undo_stack.undo()
    assert document.session.get(Participant, "p1") == person
    assert on_disk(path).get(Participant, "p1") == person
    document.undo_stack.undo()
    assert document.session.get(Participant, "p1") is None
    assert on_disk(path).get(Participant, "p1") is None
    document.undo_stack.redo()
    document.undo_stack.redo()
    assert on_disk(path).get(Participant, "p1") == renamed
    assert document.undo_stack.undoText() == "Rename"
    document.close()


def test_no_op_edit_is_not_pushed(tmp_path: Path) -> None:
    document = SessionDocument.create(tmp_path / "n.coprod", load_builtin_template())
    assert document.put(document.session.info, "Nothing")
    assert document.undo_stack.count() == 0
    document.close()


def test_current_step_is_saved_but_not_undoable(tmp_path: Path) -> None:
    path = tmp_path / "s.coprod"
    document = SessionDocument.create(path, load_builtin_template())
    third = document.session.visible_steps[2]
    document.set_current_step(third.id)
    assert document.undo_stack.count() == 0
    document.close()
    reopened = SessionDocument.open(path)
    assert reopened.session.current_step == third
    reopened.close()


def test_read_only_edit_reports_and_changes_nothing(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "r.coprod"
    SessionFile.create(path, load_builtin_template()).close()
    document = SessionDocument(SessionFile.open(path, read_only=True), on_disk(path))
    before = path.read_bytes()
    with qtbot.waitSignal(document.save_failed) as failed:
        assert not document.put(WorkshopInfo(title="Changed"), "Edit")
    assert "read-only" in failed.args[0]
    assert document.session.info.title != "Changed"
    assert document.undo_stack.count() == 0
    assert path.read_bytes() == before
    document.close()


# --- one typed change set, two write paths ---------------------------------------------------


def _matrix_document(tmp_path: Path, mode: VotingMode) -> tuple[SessionDocument, Path]:
    session = load_builtin_template()
    for index, role in enumerate((RoleGroup.USES_SERVICES, RoleGroup.CARER, RoleGroup.MANAGER)):
        session.put(Participant(id=f"p{index}", name=f"Person {index}", role=role, position=index))
    session.put(replace(session.matrix, mode=mode))
    path = tmp_path / "m.coprod"
    return SessionDocument.create(path, session), path


def test_an_edit_announces_one_change_set_with_its_kinds_questions_and_origin(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document, _ = _matrix_document(tmp_path, VotingMode.NAMED)
    question = cell_question(document.session.criteria[0].id, document.session.stages[0].id)
    seen: list[ChangeSet] = []
    document.changed.connect(seen.append)
    asker = object()
    assert document.apply(named_vote(document.session, question, "p0", "3"), "Rate", origin=asker)
    assert len(seen) == 1
    assert seen[0].initiator is Initiator.FACILITATOR
    assert seen[0].origin is asker
    assert seen[0].kinds == {"vote"}
    assert seen[0].questions == {question}
    assert seen[0].touches(Vote)
    assert not seen[0].touches(Participant)
    document.undo_stack.undo()
    assert seen[-1].initiator is Initiator.HISTORY
    assert seen[-1].text == "Rate"
    document.close()


def test_recorded_input_is_batched_per_turn_and_never_undoable(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document, path = _matrix_document(tmp_path, VotingMode.ANONYMOUS)
    question = cell_question(document.session.criteria[0].id, document.session.stages[0].id)
    ballots = [Ballot.open(document.session, VotingMode.ANONYMOUS) for _ in range(5)]
    seen: list[ChangeSet] = []
    saved: list[tuple[bool, str]] = []
    document.changed.connect(seen.append)
    for ballot in ballots:
        # Worked out when written, so five phones adding to one count all count.
        document.record(
            lambda session, b=ballot: b.cast(session, question, "2"),
            on_saved=lambda ok, why: saved.append((ok, why)),
        )
    assert not saved  # nothing is written until the end of this turn of the event loop
    qtbot.waitUntil(lambda: len(saved) == 5, timeout=2000)
    assert saved == [(True, "")] * 5
    assert len(seen) == 1
    assert seen[0].initiator is Initiator.ROOM
    assert document.undo_stack.count() == 0
    assert tally(on_disk(path), question) == {"2": 5}
    # A refused input says why and does not stop the rest of its batch. The disk is held back
    # until the flush has returned: a fast disk may otherwise be done before the flush looks,
    # and then the accepted input is rightly acknowledged at once.
    assert document.file is not None
    disk = threading.Event()
    real_sync = document.file.sync

    def held_sync() -> None:
        disk.wait(5)
        real_sync()

    document.file.sync = held_sync  # type: ignore[method-assign]
    document.record(
        lambda session: named_vote(session, question, "nobody", "1"),
        on_saved=lambda ok, why: saved.append((ok, why)),
    )
    document.record(
        lambda session: ballots[0].cast(session, question, "4"),
        on_saved=lambda ok, why: saved.append((ok, why)),
    )
    assert document.flush_recorded()
    assert saved[5][0] is False  # refused by the rules: said at once
    assert "not on the list" in saved[5][1]
    assert len(saved) == 6  # accepted: said only once the disk has it
    disk.set()
    assert document.wait_for_disk()
    assert saved[6] == (True, "")
    assert tally(on_disk(path), question) == {"2": 4, "4": 1}
    document.close()


def test_a_ballot_blocks_undo_and_moving_on_and_leaves_nothing_to_undo(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document, path = _matrix_document(tmp_path, VotingMode.SECRET)
    first = document.session.visible_steps[0]
    question = cell_question(document.session.criteria[0].id, document.session.stages[0].id)
    opened: list[bool] = []
    document.ballot_changed.connect(opened.append)
    document.open_ballot(VotingMode.SECRET, "p0")
    assert document.cast(question, "1")
    assert document.cast(question, "3")  # a change of mind while the ballot is open
    document.set_current_step(document.session.visible_steps[3].id)
    assert document.session.current_step == first  # the voter stays on their ballot
    assert document.seal_ballot() == 1
    assert opened == [True, False]
    assert document.undo_stack.count() == 0
    saved = on_disk(path)
    assert [c.participant_id for c in saved.on_question(BallotCast, question)] == ["p0"]
    assert [(c.side, c.choice, c.count) for c in saved.on_question(BallotCount, question)] == [
        (Side.OTHER, "3", 1)
    ]
    assert saved.count(Vote) == 0
    document.close()


def test_a_secret_ballot_handed_back_leaves_no_order_in_the_log(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document, path = _matrix_document(tmp_path, VotingMode.SECRET)
    question = cell_question(document.session.criteria[0].id, document.session.stages[0].id)
    wal = path.with_name(path.name + "-wal")
    for voter, choice in (("p0", "1"), ("p1", "3")):
        document.open_ballot(VotingMode.SECRET, voter)
        assert document.cast(question, choice)
        assert wal.stat().st_size > 0  # the app's edits go through the log
        document.seal_ballot()
        qtbot.waitUntil(lambda: wal.stat().st_size == 0, timeout=5000)
    assert document.wait_for_disk()
    assert tally(on_disk(path), question) == {"1": 1, "3": 1}
    document.close()
    assert not wal.exists()
