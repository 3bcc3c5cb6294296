"""The document writes every edit through to the file, and undo and redo do too."""

from __future__ import annotations

from pathlib import Path

from coprod_desktop.domain.model import Participant, RoleGroup, WorkshopInfo, replace
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
