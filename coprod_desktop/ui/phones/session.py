"""Phones and the open session: what phones see of it, and how their inputs are recorded.

Every phone vote goes through the core's voting rules (`domain.voting`) and the document's
second write path (`SessionDocument.record`): recorded input, never on the facilitator's undo
stack, written in one transaction per turn of the event loop. The phone is answered from the
write's `on_saved` callback, so "✓ received" means the vote is on disk.

Who a phone is, per voting mode:
- named: the phone picks its person once; its votes are that person's named votes.
- secret: the phone picks its person (so the room's "has voted" is right) and votes through a
  `Ballot` of its own, held in memory while the step is open; when the facilitator moves on the
  ballot is sealed and the link between the phone and its choices is forgotten.
- anonymous (and show of hands): the phone votes through an anonymous `Ballot`; counts only.
The laptop knows a phone only by its keyed hash, in memory, for as long as Phones is on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ...domain.changes import Change
from ...domain.errors import KnownError
from ...domain.i18n import DEFAULT, N_, SOURCE, _, available, using
from ...domain.model import Note, Participant, Session, Side, Vote, VotingMode, new_id
from ...domain.voting import Ballot, named_vote
from ...remote.interface import PhoneInput, PhoneJoin, PhoneLeave, PhoneNote, PhoneVote, Receipt
from ...remote.page import base_language
from ...remote.roomview import phone_mode, room_view
from ..document import EditCommand

if TYPE_CHECKING:
    from ..document import SessionDocument
    from .controller import PhonesController

SCENARIO_FOCUS = "scenario"  # the scenario on the projector (ui/steps/scenarios FOCUS_KEY)


@dataclass(frozen=True)
class WaitingNote:
    """A note from a phone, kept in the session file until the facilitator keeps or dismisses it.

    Only its words: nothing about the phone that sent it."""

    id: str
    text: str


class KeepNoteCommand(EditCommand):
    """Keeping a phone's note, as the facilitator's undoable edit: the note joins the session's
    notes and leaves the waiting list; undo takes it out of the notes and puts it back on the
    waiting list (in the file, at the place it had), redo keeps it again. The file says first
    what is waiting, so a crash between the two steps leaves the note in both places, never in
    neither."""

    def __init__(self, phones: SessionPhones, waiting: WaitingNote, position: int | None, note: Note) -> None:
        super().__init__(phones.document, [Change(None, note)], _("Keep a note from a phone"))
        self.phones = phones
        self.waiting = waiting
        self.position = position

    def redo(self) -> None:
        again = not self._skip_first_redo
        super().redo()
        if again:
            self.phones._taken_off(self.waiting)

    def undo(self) -> None:
        self.phones._put_back(self.waiting, self.position)
        super().undo()


class SessionPhones(QObject):
    """The phones' side of one open session; lives on the GUI thread."""

    notes_changed = Signal()

    def __init__(self, document: SessionDocument) -> None:
        super().__init__(document)
        self.document = document
        self.voter_of: dict[str, str] = {}  # device hash -> participant id (named and secret)
        self.ballots: dict[str, Ballot] = {}  # device hash -> its open ballot (secret, anonymous)
        self.side_of: dict[str, Side] = {}  # device hash -> the side it said (anonymous), memory only
        # Devices that have voted since Phones started: more of them than people listed is said.
        self.voting_devices: set[str] = set()
        # Waiting for the facilitator; read back from the file, so a crash does not lose them.
        self.notes: list[WaitingNote] = self._waiting_from_file()
        # Questions a phone voted on anonymously in a ballot since handed back: only that it
        # voted, never what, so it cannot vote twice by waiting for the next step.
        self.voted: dict[str, set[str]] = {}
        self.controller: PhonesController | None = None

    def attach(self, controller: PhonesController) -> None:
        self.controller = controller
        doc = self.document
        for signal in (doc.changed, doc.focus_changed, doc.participants_changed, doc.ballot_changed):
            signal.connect(controller.schedule_publish)
        doc.step_changed.connect(self._step_changed)

    # --- what phones see --------------------------------------------------------------

    @property
    def session(self) -> Session:
        return self.document.session

    def view(
        self,
    ) -> tuple[Mapping[str, Any], Mapping[str, Mapping[str, Any]], Mapping[str, Mapping[str, Any]]]:
        """The room's view in the workshop's language, what each phone alone sees, and the
        room's view in each other language a phone has asked for."""
        session = self.session
        language = base_language(session.info.language or DEFAULT)
        offered = available()
        if language not in offered:
            language = SOURCE

        def build(tag: str) -> dict[str, Any]:
            with using(tag):
                built = room_view(
                    session,
                    scenario_id=self.document.focus(SCENARIO_FOCUS),
                    results_hidden=self.document.ballot is not None,
                )
            built["language"] = language
            return built

        room = build(language)
        wanted = self.controller.feed.wanted if self.controller is not None else set(offered)
        translated = {tag: build(tag) for tag in offered if tag != language and tag in wanted}
        keys = [q["key"] for q in room["screen"]["questions"]]
        personal: dict[str, dict[str, Any]] = {}
        for device in set(self.voter_of) | set(self.ballots) | set(self.side_of):
            voter = self.voter_of.get(device, "")
            mine: dict[str, str] = {}
            ballot = self.ballots.get(device)
            if ballot is not None and not ballot.sealed:
                mine = {k: c for k, c in ballot.choices.items() if k in keys}
            elif room["mode"] == "named" and voter:
                for key in keys:
                    vote = session.get(Vote, (key, voter))
                    if vote is not None:
                        mine[key] = vote.choice
            side = self.side_of.get(device)
            personal[device] = {"voter": voter, "mine": mine, "side": side.value if side is not None else ""}
        return room, personal, translated

    @property
    def participants(self) -> int:
        return self.session.count(Participant)

    @property
    def named_phones(self) -> int:
        return len(set(self.voter_of.values()))

    # --- what phones send -------------------------------------------------------------

    def record(self, item: PhoneInput, done: Callable[[Receipt], None]) -> None:
        if self.document.file is None or self.document.read_only:
            done(Receipt.refused(N_("The session on the laptop is closed.")))
            return
        if isinstance(item, PhoneVote):
            self._vote(item, done)
        elif isinstance(item, PhoneJoin):
            done(self._join(item))
        elif isinstance(item, PhoneNote):
            done(self._keep_waiting(item))
        elif isinstance(item, PhoneLeave):
            done(Receipt.ok())  # its person stays chosen: a phone that slept comes back as itself

    def _vote(self, item: PhoneVote, done: Callable[[Receipt], None]) -> None:
        mode = phone_mode(self.session)
        voter = self.voter_of.get(item.device, "")
        if mode in ("named", "secret") and (not voter or voter != item.voter):
            done(Receipt.refused(N_("Choose who you are on this phone first.")))
            return
        self.voting_devices.add(item.device)
        if mode == "named":

            def changes(session: Session) -> list[Any]:
                return named_vote(session, item.question, voter, item.choice)

            self.document.record(changes, origin=self, on_saved=self._answer(done))
            return
        if mode == "anonymous" and item.question in self.voted.get(item.device, set()):
            done(Receipt.refused(N_("This phone has already voted on this one.")))
            return
        ballot = self.ballots.get(item.device)
        wanted = VotingMode.SECRET if mode == "secret" else VotingMode.ANONYMOUS
        side = self.side_of.get(item.device, Side.OTHER) if mode == "anonymous" else Side.OTHER
        if (
            ballot is None
            or ballot.sealed
            or ballot.mode is not wanted
            or ballot.voter_id != voter
            or ballot.side is not side
        ):
            try:
                ballot = Ballot.open(self.session, wanted, voter, side if mode == "anonymous" else None)
            except Exception as exc:  # a VotingError: a sentence for the phone
                done(Receipt.refused(str(exc)))
                return
            self.ballots[item.device] = ballot
        before = dict(ballot.choices)
        opened = ballot

        def cast(session: Session) -> list[Any]:
            return opened.cast(session, item.question, item.choice)

        def saved(ok: bool, reason: str) -> None:
            if not ok:
                opened.choices = before  # nothing was written: the ballot says what the file says
            self._answer(done)(ok, reason)

        self.document.record(cast, origin=self, on_saved=saved)

    @staticmethod
    def _answer(done: Callable[[Receipt], None]) -> Callable[[bool, str], None]:
        def on_saved(ok: bool, reason: str) -> None:
            done(Receipt(ok, "" if ok else reason or N_("The laptop could not save this.")))

        return on_saved

    def _join(self, item: PhoneJoin) -> Receipt:
        if item.side:
            return self._side(item)
        if not item.voter:
            return Receipt.ok()  # a phone is here; it has not said who holds it
        person = self.session.get(Participant, item.voter)
        if person is None:
            return Receipt.refused(N_("That name is not on this workshop's list."))
        taken = [d for d, v in self.voter_of.items() if v == item.voter and d != item.device]
        if taken:
            return Receipt.refused(
                N_("Another phone already votes as {name}. Ask the facilitator to free the name."),
                name=person.name,
            )
        if self.voter_of.get(item.device) not in (None, item.voter):
            self._seal(item.device)  # a new person on this phone: the old ballot is handed back
        self.voter_of[item.device] = item.voter
        if self.controller is not None:
            self.controller.schedule_publish()
        return Receipt.ok()

    def _side(self, item: PhoneJoin) -> Receipt:
        """An anonymous phone says its side once; only the counts by side ever reach the file."""
        if phone_mode(self.session) != "anonymous":
            return Receipt.refused(N_("Groups are asked only in anonymous voting."))
        try:
            side = Side(item.side)
        except ValueError:
            return Receipt.refused(N_("That is not one of the groups."))
        said = self.side_of.get(item.device)
        if said is not None and said is not side:
            return Receipt.refused(
                N_("This phone has already said its group; ask the facilitator to reset the phone.")
            )
        self.side_of[item.device] = side
        if self.controller is not None:
            self.controller.schedule_publish()
        return Receipt.ok()

    # --- notes that wait ------------------------------------------------------------------

    def _waiting_from_file(self) -> list[WaitingNote]:
        file = self.document.file
        return [WaitingNote(i, t) for i, t in file.waiting_notes()] if file is not None else []

    def _keep_waiting(self, item: PhoneNote) -> Receipt:
        """On disk before the phone hears "received": a crash or a restart keeps the note waiting."""
        file = self.document.file
        if file is None:
            return Receipt.refused(N_("The session on the laptop is closed."))
        note = WaitingNote(new_id(), item.text)
        try:
            file.add_waiting_note(note.id, note.text)
        except KnownError:
            return Receipt.refused(N_("The laptop could not save your note; try again."))
        self.notes.append(note)
        self.notes_changed.emit()
        return Receipt.ok()

    # --- what the facilitator does ------------------------------------------------------

    def phones(self) -> list[tuple[str, str]]:
        """(device hash, the person's name) of each phone that chose a person, by name; never an address."""
        found = []
        for device, voter in self.voter_of.items():
            person = self.session.get(Participant, voter)
            if person is not None:
                found.append((device, person.name))
        return sorted(found, key=lambda pair: (pair[1].casefold(), pair[0]))

    def reset_phone(self, device: str) -> None:
        """Let one phone choose its person (or group) again; nothing in the file changes.

        Its open ballot is handed back first, so the next person on that phone starts afresh."""
        self._seal(device)
        self.voter_of.pop(device, None)
        self.side_of.pop(device, None)
        if self.controller is not None:
            self.controller.schedule_publish()

    def free_names(self) -> None:
        """Let every phone choose its person again (a phone handed to someone else)."""
        for device in list(self.ballots):
            self._seal(device)
        self.voter_of.clear()
        self.side_of.clear()
        if self.controller is not None:
            self.controller.schedule_publish()

    def accept_note(self, index: int) -> bool:
        """Keep a phone's note among the session's notes (an undoable edit of the facilitator),
        then take it off the waiting list in the file. Undo puts it back on the list."""
        waiting = self.notes[index]
        step = self.session.current_step
        file = self.document.file
        position = file.waiting_note_position(waiting.id) if file is not None else None
        note = Note(
            id=new_id(),
            text=waiting.text,
            step_id=step.id if step is not None else "",
            position=self.session.next_position(Note),
        )
        kept = self.document.push(KeepNoteCommand(self, waiting, position, note))
        if kept:
            self._forget_note(index)
        return kept

    def dismiss_note(self, index: int) -> None:
        self._forget_note(index)

    def _forget_note(self, index: int) -> None:
        note = self.notes[index]
        file = self.document.file
        if file is not None:
            try:
                file.remove_waiting_note(note.id)
            except KnownError as exc:
                self.document.save_failed.emit(str(exc))
                return
        self.notes.pop(index)
        self.notes_changed.emit()

    def _put_back(self, waiting: WaitingNote, position: int | None) -> None:
        """A kept note waits again (its keeping undone): in the file first, then on the list."""
        file = self.document.file
        if file is None:
            return
        try:
            file.add_waiting_note(waiting.id, waiting.text, position)
        except KnownError as exc:
            self.document.save_failed.emit(str(exc))
            return
        self.notes = self._waiting_from_file()  # in the file's order: where it was
        self.notes_changed.emit()

    def _taken_off(self, waiting: WaitingNote) -> None:
        """A note kept again (redo): off the waiting list, in the file and here."""
        index = next((i for i, n in enumerate(self.notes) if n.id == waiting.id), None)
        if index is not None:
            self._forget_note(index)
            return
        file = self.document.file
        if file is not None:
            try:
                file.remove_waiting_note(waiting.id)  # dismissed meanwhile: nothing waits
            except KnownError as exc:
                self.document.save_failed.emit(str(exc))

    def _seal(self, device: str) -> None:
        ballot = self.ballots.pop(device, None)
        if ballot is not None:
            if ballot.mode is VotingMode.ANONYMOUS:
                self.voted.setdefault(device, set()).update(ballot.choices)
            ballot.seal()

    def _step_changed(self, _step_id: str) -> None:
        # The facilitator moved on: every phone's ballot is handed back, and with it the
        # link between a phone and what it chose.
        for device in list(self.ballots):
            self._seal(device)
        if self.controller is not None:
            self.controller.schedule_publish()
