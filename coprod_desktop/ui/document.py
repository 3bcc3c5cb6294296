"""The one object that owns the open session.

`SessionDocument` holds the domain `Session`, the open `SessionFile`, the
`QUndoStack` and the ballot open at the laptop, if any. Changes reach the file by
one of two paths, and by no other:

- `apply`: an edit by the facilitator, wrapped in an `EditCommand` on the undo stack;
- `record`: input that is not the facilitator's to undo (a ballot cast at the laptop,
  a phone's vote), batched per turn of the event loop, never on the undo stack.

Either commits to the file first and only then changes the session in memory, so what
the window shows is always what the file holds, and then announces one `ChangeSet`
(`changed`): the changes, the kinds and questions they touched, who made them and
which view asked. Widgets listen to the document and never to each other; what the
room is looking at within a step (a box, a scenario, a card) is shared through
`set_focus`.

A commit returns before the disk has it (WAL, see `storage/sessionfile.py`); a thread of
the file's (`storage/walsync.py`) makes it durable, and only then does the document say
`saved` and call a recorded input's `on_saved`: nothing is acknowledged that a power cut
could take back, and the GUI thread never waits for the disk.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..domain.changes import Change, ChangeSet, Initiator, apply_changes, inverse
from ..domain.errors import KnownError
from ..domain.i18n import _
from ..domain.model import (
    Entity,
    Participant,
    Progress,
    Session,
    Side,
    Step,
    VotingMode,
    WorkshopInfo,
)
from ..domain.voting import Ballot
from ..storage.sessionfile import SessionFile
from ..storage.walsync import WalSyncer

OnSaved = Callable[[bool, str], None]
# A move to another step is made durable once no move has come for this long (see
# `SessionDocument._sync_soon`): the facilitator presses Next a few times a second at most.
MOVES_PAUSE_MS = 100


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
    def changes(self) -> tuple[Change, ...]:
        return self._changes

    @property
    def _inverse(self) -> tuple[Change, ...]:
        return inverse(self._changes)

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
        self._document._commit(self._changes, Initiator.HISTORY, text=self.text())

    def undo(self) -> None:
        self._document._commit(self._inverse, Initiator.HISTORY, text=self.text())


class SessionDocument(QObject):
    """The open session: its file, its contents and its undo history."""

    # Past tense: each fires only after a change is on disk and in memory.
    changed = Signal(object)  # the ChangeSet just applied
    info_changed = Signal()
    participants_changed = Signal()
    steps_changed = Signal()
    step_changed = Signal(str)  # the id of the current step
    votes_changed = Signal()
    cards_changed = Signal()
    actions_changed = Signal()
    notes_changed = Signal()
    saved = Signal()  # once the changes so far are on disk (acknowledged)
    save_failed = Signal(str)  # a plain sentence for the facilitator
    path_changed = Signal()
    # What the room is looking at within a step (say, which scenario): shared by the
    # facilitator's window and the audience view, not saved.
    focus_changed = Signal(str)
    # A ballot opened (True) or was handed back (False) at the laptop: while one is open the
    # screen belongs to the voter (no notes, no reveal, no results, no undo).
    ballot_changed = Signal(bool)
    # From the syncer's thread to this one: every commit up to a number is on disk (or not).
    _disk_done = Signal(int, str)

    def __init__(self, file: SessionFile, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.file: SessionFile | None = file
        self.session = session
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(1000)
        self._focus: dict[str, str] = {}
        self._ballot: Ballot | None = None
        # Recorded input waiting for the end of this turn of the event loop.
        self._pending: list[
            tuple[
                Sequence[Change] | Callable[[Session], Sequence[Change]],
                object | None,
                Callable[[bool, str], None] | None,
            ]
        ] = []
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self.flush_recorded)
        # Commits waiting for the disk, oldest first: (number, callbacks, say `saved`).
        self._unacked: list[tuple[int, list[tuple[OnSaved, str]], bool]] = []
        self._disk_done.connect(self._on_disk)
        # Moves between steps whose fsync is asked for once the moves pause (see
        # `_sync_when_moves_pause`): the highest number, and whether the log is to be emptied.
        self._later_sync = 0
        self._later_forget = False
        self._later_timer = QTimer(self)
        self._later_timer.setSingleShot(True)
        self._later_timer.setInterval(MOVES_PAUSE_MS)
        self._later_timer.timeout.connect(self._hand_over_later)
        self._syncer: WalSyncer | None = None
        self._ballots_in_log = False  # secret or anonymous ballots committed since the log was emptied
        self._start_syncing()

    def _start_syncing(self) -> None:
        if self.file is not None and not self.file.read_only:
            # The thread holds the document weakly: an unclosed document can still be freed.
            ref = weakref.ref(self)

            def told(number: int, error: str) -> None:
                document = ref()
                if document is not None:
                    document._synced_elsewhere(number, error)

            self._syncer = WalSyncer(self.file, told)

    def _synced_elsewhere(self, number: int, error: str) -> None:
        """On the syncer's thread: hand the news to the document's thread (a queued signal)."""
        with contextlib.suppress(RuntimeError):  # the document is gone; close() delivered it
            self._disk_done.emit(number, error)

    def _sync_soon(self, number: int, initiator: Initiator | None = None) -> None:
        """Have the syncer start on commit `number` now, while the views follow the change:
        its fsync then overlaps their work instead of beginning after it. Nothing is
        acknowledged any sooner than it is on disk (`_await_disk`).

        Not for a move to another step (`initiator` NAVIGATION): that step's tool is made and
        painted in this turn of the event loop, tens of milliseconds of the GUI thread's work.
        A syncer that finished its fsync meanwhile would wait for Python's lock (the GIL) all
        that time, and every call that hands the lock round (Qt freeing each of thousands of
        small objects, say) would wake it in vain: on the large session's canvas that made the
        step's tool a third slower (the scene 18 -> 30 ms, measured in-process). Its fsync is
        asked for once the moves pause (`_sync_when_moves_pause`), the step long on the
        screen; a step is no one's input to acknowledge."""
        if initiator is Initiator.NAVIGATION:
            self._sync_when_moves_pause(number)
        elif self._syncer is not None:
            self._syncer.request(number)

    def _sync_when_moves_pause(self, number: int = 0, *, forget: bool = False) -> None:
        """Ask the syncer for commit `number`'s fsync (and, with `forget`, to empty the log) once
        no move has come for MOVES_PAUSE_MS: after the new step is made and painted, and once
        for a run of quick moves (the facilitator skipping steps), whose next step is made
        meanwhile. Until then the move is in the log, safe from a crash of the app; a power cut
        could take the room back to the step before."""
        self._later_sync = max(self._later_sync, number)
        self._later_forget = self._later_forget or forget
        self._later_timer.start()

    def _hand_over_later(self) -> None:
        number, forget = self._later_sync, self._later_forget
        self._later_sync, self._later_forget = 0, False
        if self._syncer is None:
            return
        if number:
            self._syncer.request(number)
        if forget:
            self._syncer.forget_history()

    def _await_disk(
        self,
        number: int,
        callbacks: list[tuple[OnSaved, str]],
        *,
        say_saved: bool,
        initiator: Initiator | None = None,
    ) -> None:
        """Acknowledge commit `number` once it is on disk: at once if it already is and nothing
        before it waits. (The syncer can have made it durable before the news of an earlier
        commit, a queued signal, has reached this thread: it waits its turn behind that one,
        whose news covers it too, since every commit here was asked of the syncer already.)"""
        durable = self.file is not None and self.file.durable >= number
        if self._syncer is None or self.file is None or (durable and not self._unacked):
            self._acknowledge(callbacks, say_saved, "")
            return
        self._unacked.append((number, callbacks, say_saved))
        self._sync_soon(number, initiator)

    def _on_disk(self, number: int, error: str) -> None:
        done = 0
        while done < len(self._unacked) and self._unacked[done][0] <= number:
            done += 1
        if not done:
            return
        batch, self._unacked = self._unacked[:done], self._unacked[done:]
        callbacks = [callback for _, found, _ in batch for callback in found]
        self._acknowledge(callbacks, any(say for _, _, say in batch), error)

    def _acknowledge(self, callbacks: list[tuple[OnSaved, str]], say_saved: bool, error: str) -> None:
        if error:
            self.save_failed.emit(error)
        elif say_saved:
            self.saved.emit()
        for callback, _number in callbacks:
            callback(not error, error)

    def wait_for_disk(self) -> bool:
        """Block until every commit so far is on disk and acknowledged; False if the disk
        said it could not."""
        if self._syncer is None:
            return True
        number, error = self._syncer.wait()
        self._on_disk(number, error)
        return not error

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
        self.flush_recorded()
        if self._ballot is not None:
            self.seal_ballot()
        self._stop_syncing()
        if self.file is not None:
            self.file.close()
            self.file = None

    def _stop_syncing(self) -> None:
        # What waits for the end of the turn is covered: stopping syncs every commit, and the
        # file's close (or its copy's start, for save_as) leaves no log behind.
        self._later_timer.stop()
        self._later_sync, self._later_forget = 0, False
        if self._syncer is not None:
            syncer, self._syncer = self._syncer, None
            number, error = syncer.stop()
            self._on_disk(number, error)

    @property
    def path(self) -> Path | None:
        return self.file.path if self.file is not None else None

    @property
    def read_only(self) -> bool:
        return self.file is None or self.file.read_only

    # --- editing ------------------------------------------------------------

    def apply(
        self, changes: Sequence[Change], text: str, *, merge_key: str = "", origin: object | None = None
    ) -> bool:
        """Make an edit the user can undo. Returns False (and says why) if it could not be saved."""
        changes = [Change(*c) for c in changes if c.old != c.new]
        if not changes:
            return True
        if not self._commit(changes, Initiator.FACILITATOR, origin=origin, text=text):
            return False
        self.undo_stack.push(EditCommand(self, changes, text, merge_key))
        return True

    def push(self, command: EditCommand, *, origin: object | None = None) -> bool:
        """Make an undoable edit that does more than its changes on undo and redo (an
        EditCommand of its own kind). Returns False (and says why) if it could not be saved."""
        if not self._commit(list(command.changes), Initiator.FACILITATOR, origin=origin, text=command.text()):
            return False
        self.undo_stack.push(command)
        return True

    def put(self, entity: Entity, text: str, *, merge_key: str = "", origin: object | None = None) -> bool:
        """Store one entity (new or replacing the one with its identity) as an undoable edit."""
        old = self.session.existing(entity)
        return self.apply([Change(old, entity)], text, merge_key=merge_key, origin=origin)

    def remove(self, entity: Entity, text: str, *, origin: object | None = None) -> bool:
        return self.apply([Change(entity, None)], text, origin=origin)

    # --- recorded input ---------------------------------------------------------

    def record(
        self,
        changes: Sequence[Change] | Callable[[Session], Sequence[Change]],
        *,
        origin: object | None = None,
        on_saved: Callable[[bool, str], None] | None = None,
    ) -> None:
        """Record input that is not the facilitator's to undo (a phone's vote).

        `changes` is best given as a function of the session: input recorded in one turn of
        the event loop is worked out one after another against the session as it stands
        (so two phones adding to one count both count), then written in one transaction at
        the end of the turn. `on_saved(True, "")` runs once it is on disk (later, from the event
        loop: the disk is waited for on another thread); `on_saved(False, sentence)` if the
        rules refused it (at once) or the disk did."""
        self._pending.append((changes, origin, on_saved))
        self._flush_timer.start()

    def flush_recorded(self) -> bool:
        """Commit every recorded change now. Returns False if the disk refused them.

        Each input's `on_saved` is called at once if it was refused, else once on disk."""
        self._flush_timer.stop()
        if not self._pending or self.file is None:
            return not self._pending
        batch, self._pending = self._pending, []
        done: list[Change] = []  # already made in memory, in order
        accepted: list[tuple[OnSaved, str]] = []
        refused: list[tuple[OnSaved, str]] = []
        origins: dict[int, object | None] = {}
        for item, origin, on_saved in batch:
            try:
                changes = [Change(*c) for c in (item(self.session) if callable(item) else item)]
            except KnownError as exc:
                if on_saved is not None:
                    refused.append((on_saved, str(exc)))
                continue
            apply_changes(self.session, changes)  # the next item sees this one
            done.extend(changes)
            if on_saved is not None:
                accepted.append((on_saved, ""))
            origins[id(origin)] = origin
        merged = _merged(done)
        for callback, reason in refused:
            callback(False, reason)
        if not merged:
            for callback, _reason in accepted:
                callback(True, "")  # nothing to write: already as the file has it
            return True
        try:
            number = self.file.write(merged)
        except KnownError as exc:
            apply_changes(self.session, inverse(done))
            self.wait_for_disk()  # what went before is acknowledged first, then this refusal
            self.save_failed.emit(str(exc))
            for callback, _reason in accepted:
                callback(False, str(exc))
            return False
        self._sync_soon(number)
        origin = next(iter(origins.values())) if len(origins) == 1 else None
        self._announce(ChangeSet(tuple(merged), Initiator.ROOM, origin))
        self._await_disk(number, accepted, say_saved=True)
        return True

    # --- a ballot at the laptop ---------------------------------------------------

    @property
    def ballot(self) -> Ballot | None:
        """The ballot open at the laptop, or None."""
        return self._ballot

    def open_ballot(self, mode: VotingMode, voter_id: str = "", side: Side | None = None) -> Ballot:
        """Give the laptop to one voter. Raises KnownError (a VotingError) if they may not vote."""
        if self._ballot is not None:
            self.seal_ballot()
        self.flush_recorded()
        self._ballot = Ballot.open(self.session, mode, voter_id, side)
        self.ballot_changed.emit(True)
        return self._ballot

    def cast(self, question: str, choice: str | None) -> bool:
        """Cast (or, with None, take back) the open ballot's vote on `question`, on disk at once.

        Raises KnownError when the rules refuse it; returns False if the disk refused."""
        ballot = self._ballot
        if ballot is None:
            return False
        before = dict(ballot.choices)
        changes = ballot.cast(self.session, question, choice)
        if not changes:
            return True
        if not self._commit(changes, Initiator.ROOM):
            ballot.choices = before  # nothing was written: the ballot says what the file says
            return False
        return True

    def seal_ballot(self) -> int:
        """The voter hands the laptop back: their choices are forgotten. Returns how many they cast."""
        ballot, self._ballot = self._ballot, None
        if ballot is None:
            return 0
        voted = ballot.seal()
        if voted:
            self._forget_ballot_order()
        self.ballot_changed.emit(False)
        return voted

    def set_current_step(self, step_id: str) -> None:
        """Move to a step. Saved at once, but not an edit: undo does not walk the agenda.

        Not while a ballot is open: the voter at the laptop stays on their ballot."""
        if step_id == self.session.progress.current_step_id or self._ballot is not None:
            return
        self._commit([Change(self.session.progress, Progress(current_step_id=step_id))], Initiator.NAVIGATION)
        self._forget_ballot_order(later=True)  # the phones' ballots of the step before are handed back

    def _forget_ballot_order(self, *, later: bool = False) -> None:
        """Ballots were handed back: what they chose is counted in the file, but the log's pages
        would still say in what order it changed. Have the log emptied (`later`: once the moves
        pause, as for a move's fsync, see `_sync_soon`)."""
        if self._ballots_in_log and self._syncer is not None:
            self._ballots_in_log = False
            if later:
                self._sync_when_moves_pause(forget=True)
            else:
                self._syncer.forget_history()

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

    def _commit(
        self,
        changes: Sequence[Change],
        initiator: Initiator,
        *,
        origin: object | None = None,
        text: str = "",
    ) -> bool:
        if self.file is None:
            return False
        try:
            number = self.file.write(changes)
        except KnownError as exc:
            self.wait_for_disk()  # what went before is acknowledged first, then this refusal
            self.save_failed.emit(str(exc))
            if initiator is Initiator.HISTORY:
                # The history no longer matches the file; start it afresh rather than mislead.
                QTimer.singleShot(0, self.undo_stack.clear)
            return False
        self._sync_soon(number, initiator)
        apply_changes(self.session, changes)
        self._announce(ChangeSet(tuple(changes), initiator, origin, text))
        self._await_disk(number, [], say_saved=True, initiator=initiator)
        return True

    def _announce(self, changes: ChangeSet) -> None:
        kinds = changes.kinds
        if kinds & {"ballot_cast", "ballot_count"}:
            self._ballots_in_log = True
        self.changed.emit(changes)
        if WorkshopInfo.KIND in kinds:
            self.info_changed.emit()
        if Participant.KIND in kinds:
            self.participants_changed.emit()
        if Step.KIND in kinds:
            self.steps_changed.emit()
        if Progress.KIND in kinds:
            self.step_changed.emit(self.session.progress.current_step_id)
        if kinds & {"vote", "tally", "ballot_cast", "ballot_count", "reveal", "matrix"}:
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
        self.wait_for_disk()
        self._stop_syncing()
        try:
            self.file = self.file.save_as(path)
        finally:
            self._start_syncing()
        self.path_changed.emit()

    def save_copy(self, path: str | Path) -> Path:
        if self.file is None:
            raise KnownError(_("No session is open."))
        return self.file.save_copy(path)


def _merged(changes: Sequence[Change]) -> list[Change]:
    """Several recorded changes to one entity in one batch, as one change from first to last."""
    first: dict[tuple[str, tuple[object, ...]], Change] = {}
    last: dict[tuple[str, tuple[object, ...]], Change] = {}
    for change in changes:
        key = (change.kind.KIND, change.entity.ident)
        first.setdefault(key, change)
        last[key] = change
    merged = [Change(first[key].old, last[key].new) for key in first]
    return [change for change in merged if change.old != change.new]
