"""The one object that owns the open session.

`SessionDocument` holds the domain `Session`, the open `SessionFile` and the
`QUndoStack`. Every edit is a list of `Change`s wrapped in an `EditCommand`;
applying it writes the file first and only then changes the session in memory,
so what the window shows is always what is on disk. Widgets listen to the
document's signals and never to each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..domain.errors import KnownError
from ..domain.model import (
    Entity,
    Participant,
    Progress,
    Session,
    Step,
    WorkshopInfo,
)
from ..storage.sessionfile import Change, SessionFile


class EditCommand(QUndoCommand):
    """One user edit: the changes it makes, undone by their inverse.

    Edits given the same `merge_key` one after another (typing a count digit by
    digit, nudging a card with the arrow keys) merge into one undo step.
    """

    MERGEABLE = 1

    def __init__(
        self, document: SessionDocument, changes: Sequence[Change], text: str, merge_key: str = ""
    ) -> None:
        super().__init__(text)
        self._document = document
        self._changes = tuple(changes)
        self._merge_key = merge_key
        self._skip_first_redo = True  # the document applied it before pushing

    @property
    def _inverse(self) -> tuple[Change, ...]:
        return tuple(Change(c.new, c.old) for c in reversed(self._changes))

    def id(self) -> int:
        return self.MERGEABLE if self._merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if not isinstance(other, EditCommand) or other._merge_key != self._merge_key:
            return False
        mine = [(c.kind, (c.old or c.new).ident) for c in self._changes]  # type: ignore[union-attr]
        theirs = [(c.kind, (c.old or c.new).ident) for c in other._changes]  # type: ignore[union-attr]
        if mine != theirs:
            return False
        self._changes = tuple(
            Change(a.old, b.new) for a, b in zip(self._changes, other._changes, strict=True)
        )
        self.setText(other.text())
        if all(c.old == c.new for c in self._changes):
            self.setObsolete(True)
        return True

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._document._commit(self._changes, from_history=True)

    def undo(self) -> None:
        self._document._commit(self._inverse, from_history=True)


class SessionDocument(QObject):
    """The open session: its file, its contents and its undo history."""

    # Past tense: each fires only after a change is on disk and in memory.
    changed = Signal(object)  # the tuple of Changes just applied
    info_changed = Signal()
    participants_changed = Signal()
    steps_changed = Signal()
    step_changed = Signal(str)  # the id of the current step
    votes_changed = Signal()
    cards_changed = Signal()
    actions_changed = Signal()
    notes_changed = Signal()
    saved = Signal()  # after every successful write
    save_failed = Signal(str)  # a plain sentence for the facilitator
    path_changed = Signal()
    # What the room is looking at within a step (say, which scenario): shared by the
    # facilitator's window and the audience view, not saved.
    focus_changed = Signal(str)

    def __init__(self, file: SessionFile, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.file: SessionFile | None = file
        self.session = session
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(1000)
        self._focus: dict[str, str] = {}

    # --- opening ------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, parent: QObject | None = None) -> SessionDocument:
        """Open a session file. Raises KnownError with a plain sentence."""
        file = SessionFile.open(path)
        try:
            session = file.load()
        except BaseException:
            file.close()
            raise
        return cls(file, session, parent)

    @classmethod
    def create(cls, path: str | Path, session: Session, parent: QObject | None = None) -> SessionDocument:
        file = SessionFile.create(path, session)
        try:
            loaded = file.load()
        except BaseException:
            file.close()
            raise
        return cls(file, loaded, parent)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None

    @property
    def path(self) -> Path | None:
        return self.file.path if self.file is not None else None

    @property
    def read_only(self) -> bool:
        return self.file is None or self.file.read_only

    # --- editing ------------------------------------------------------------

    def apply(self, changes: Sequence[Change], text: str, *, merge_key: str = "") -> bool:
        """Make an edit the user can undo. Returns False (and says why) if it could not be saved."""
        changes = [c for c in changes if c.old != c.new]
        if not changes:
            return True
        if not self._commit(changes, from_history=False):
            return False
        self.undo_stack.push(EditCommand(self, changes, text, merge_key))
        return True

    def put(self, entity: Entity, text: str, *, merge_key: str = "") -> bool:
        """Store one entity (new or replacing the one with its identity) as an undoable edit."""
        old = self.session.existing(entity)
        return self.apply([Change(old, entity)], text, merge_key=merge_key)

    def remove(self, entity: Entity, text: str) -> bool:
        return self.apply([Change(entity, None)], text)

    def set_current_step(self, step_id: str) -> None:
        """Move to a step. Saved at once, but not an edit: undo does not walk the agenda."""
        if step_id == self.session.progress.current_step_id:
            return
        self._commit([Change(self.session.progress, Progress(current_step_id=step_id))], from_history=False)

    def focus(self, key: str) -> str:
        return self._focus.get(key, "")

    def set_focus(self, key: str, value: str) -> None:
        if self._focus.get(key) != value:
            self._focus[key] = value
            self.focus_changed.emit(key)

    def step_offset(self, offset: int) -> Step | None:
        """The visible step `offset` places from the current one (clamped to the ends)."""
        visible = self.session.visible_steps
        current = self.session.current_step
        if not visible or current is None:
            return None
        ids = [step.id for step in visible]
        index = ids.index(current.id) if current.id in ids else 0
        return visible[min(max(index + offset, 0), len(ids) - 1)]

    def go_next(self) -> None:
        step = self.step_offset(1)
        if step is not None:
            self.set_current_step(step.id)

    def go_previous(self) -> None:
        step = self.step_offset(-1)
        if step is not None:
            self.set_current_step(step.id)

    def _commit(self, changes: Sequence[Change], *, from_history: bool) -> bool:
        if self.file is None:
            return False
        try:
            self.file.write(changes)
        except KnownError as exc:
            self.save_failed.emit(str(exc))
            if from_history:
                # The history no longer matches the file; start it afresh rather than mislead.
                QTimer.singleShot(0, self.undo_stack.clear)
            return False
        for change in changes:
            if change.new is not None:
                self.session.put(change.new)
            elif change.old is not None:
                self.session.remove(type(change.old), change.old.ident)
        self._announce(tuple(changes))
        self.saved.emit()
        return True

    def _announce(self, changes: tuple[Change, ...]) -> None:
        kinds = {change.kind.KIND for change in changes}
        self.changed.emit(changes)
        if WorkshopInfo.KIND in kinds:
            self.info_changed.emit()
        if Participant.KIND in kinds:
            self.participants_changed.emit()
        if Step.KIND in kinds:
            self.steps_changed.emit()
        if Progress.KIND in kinds:
            self.step_changed.emit(self.session.progress.current_step_id)
        if kinds & {"vote", "tally", "reveal", "matrix"}:
            self.votes_changed.emit()
        if kinds & {"card", "canvas"}:
            self.cards_changed.emit()
        if "action" in kinds:
            self.actions_changed.emit()
        if "note" in kinds:
            self.notes_changed.emit()

    # --- copies -------------------------------------------------------------

    def save_as(self, path: str | Path) -> None:
        """Continue in a copy at `path`. Raises KnownError; the open file is untouched then."""
        if self.file is None:
            return
        self.file = self.file.save_as(path)
        self.path_changed.emit()

    def save_copy(self, path: str | Path) -> Path:
        if self.file is None:
            raise KnownError("No session is open.")
        return self.file.save_copy(path)
