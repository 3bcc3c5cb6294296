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
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ...domain.model import Note, Participant, Session, Vote, VotingMode, new_id
from ...domain.voting import Ballot, named_vote
from ...remote.interface import PhoneInput, PhoneJoin, PhoneLeave, PhoneNote, PhoneVote, Receipt
from ...remote.roomview import phone_mode, room_view

if TYPE_CHECKING:
    from ..document import SessionDocument
    from .controller import PhonesController

SCENARIO_FOCUS = "scenario"  # the scenario on the projector (ui/steps/scenarios FOCUS_KEY)


class SessionPhones(QObject):
    """The phones' side of one open session; lives on the GUI thread."""

    notes_changed = Signal()

    def __init__(self, document: SessionDocument) -> None:
        super().__init__(document)
        self.document = document
        self.voter_of: dict[str, str] = {}  # device hash -> participant id (named and secret)
        self.ballots: dict[str, Ballot] = {}  # device hash -> its open ballot (secret, anonymous)
        self.notes: list[PhoneNote] = []  # waiting for the facilitator
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

    def view(self) -> tuple[Mapping[str, Any], Mapping[str, Mapping[str, Any]]]:
        session = self.session
        room = room_view(
            session,
            scenario_id=self.document.focus(SCENARIO_FOCUS),
            results_hidden=self.document.ballot is not None,
        )
        keys = [q["key"] for q in room["screen"]["questions"]]
        personal: dict[str, dict[str, Any]] = {}
        for device in set(self.voter_of) | set(self.ballots):
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
            personal[device] = {"voter": voter, "mine": mine}
        return room, personal

    @property
    def participants(self) -> int:
        return self.session.count(Participant)

    @property
    def named_phones(self) -> int:
        return len(set(self.voter_of.values()))

    # --- what phones send -------------------------------------------------------------

    def record(self, item: PhoneInput, done: Callable[[Receipt], None]) -> None:
        if self.document.file is None or self.document.read_only:
            done(Receipt.refused("The session on the laptop is closed."))
            return
        if isinstance(item, PhoneVote):
            self._vote(item, done)
        elif isinstance(item, PhoneJoin):
            done(self._join(item))
        elif isinstance(item, PhoneNote):
            self.notes.append(item)
            self.notes_changed.emit()
            done(Receipt.ok())
        elif isinstance(item, PhoneLeave):
            done(Receipt.ok())  # its person stays chosen: a phone that slept comes back as itself

    def _vote(self, item: PhoneVote, done: Callable[[Receipt], None]) -> None:
        mode = phone_mode(self.session)
        voter = self.voter_of.get(item.device, "")
        if mode in ("named", "secret") and (not voter or voter != item.voter):
            done(Receipt.refused("Choose who you are on this phone first."))
            return
        if mode == "named":

            def changes(session: Session) -> list[Any]:
                return named_vote(session, item.question, voter, item.choice)

            self.document.record(changes, origin=self, on_saved=self._answer(done))
            return
        if mode == "anonymous" and item.question in self.voted.get(item.device, set()):
            done(Receipt.refused("This phone has already voted on this one."))
            return
        ballot = self.ballots.get(item.device)
        wanted = VotingMode.SECRET if mode == "secret" else VotingMode.ANONYMOUS
        if ballot is None or ballot.sealed or ballot.mode is not wanted or ballot.voter_id != voter:
            try:
                ballot = Ballot.open(self.session, wanted, voter)
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
            done(Receipt(ok, "" if ok else reason or "The laptop could not save this."))

        return on_saved

    def _join(self, item: PhoneJoin) -> Receipt:
        if not item.voter:
            return Receipt.ok()  # a phone is here; it has not said who holds it
        person = self.session.get(Participant, item.voter)
        if person is None:
            return Receipt.refused("That name is not on this workshop's list.")
        taken = [d for d, v in self.voter_of.items() if v == item.voter and d != item.device]
        if taken:
            return Receipt.refused(
                f"Another phone already votes as {person.name}. Ask the facilitator to free the name."
            )
        if self.voter_of.get(item.device) not in (None, item.voter):
            self._seal(item.device)  # a new person on this phone: the old ballot is handed back
        self.voter_of[item.device] = item.voter
        if self.controller is not None:
            self.controller.schedule_publish()
        return Receipt.ok()

    # --- what the facilitator does ------------------------------------------------------

    def free_names(self) -> None:
        """Let every phone choose its person again (a phone handed to someone else)."""
        for device in list(self.ballots):
            self._seal(device)
        self.voter_of.clear()
        if self.controller is not None:
            self.controller.schedule_publish()

    def accept_note(self, index: int) -> bool:
        """Keep a phone's note among the session's notes (an undoable edit of the facilitator)."""
        note = self.notes.pop(index)
        self.notes_changed.emit()
        step = self.session.current_step
        return self.document.put(
            Note(
                id=new_id(),
                text=note.text,
                step_id=step.id if step is not None else "",
                position=self.session.next_position(Note),
            ),
            "Keep a note from a phone",
        )

    def dismiss_note(self, index: int) -> None:
        self.notes.pop(index)
        self.notes_changed.emit()

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
