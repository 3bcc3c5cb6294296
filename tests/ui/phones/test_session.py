"""Phone votes in a real session file: through the voting rules, recorded input, on disk first."""

from __future__ import annotations

import http.client
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from coprod_desktop.domain.model import (
    BallotCast,
    BallotCount,
    Participant,
    Progress,
    Reveal,
    StepKind,
    Vote,
    VotingMode,
)
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.phones.controller import PhonesController
from coprod_desktop.ui.phones.session import SessionPhones

OPEN: list[http.client.HTTPConnection] = []


@pytest.fixture(autouse=True)
def _close_phones():  # type: ignore[no-untyped-def]
    yield
    while OPEN:
        OPEN.pop().close()


class Phone:
    def __init__(self, url: str) -> None:
        self.authority = url.split("/")[2]
        self.path = "/" + url.split("/")[3] + "/"
        host, port = self.authority.split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=15)
        OPEN.append(self.conn)
        self.conn.request("GET", self.path, headers={"Host": self.authority})
        page = self.conn.getresponse()
        self.cookie = page.getheader("Set-Cookie", "").split(";")[0]
        page.read()
        self.sent = 0

    def post(self, what: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.sent += 1
        body = {**body, "id": f"phone-input-{self.sent:04d}"}
        self.conn.request(
            "POST",
            self.path + what,
            body=json.dumps(body),
            headers={
                "Host": self.authority,
                "Cookie": self.cookie,
                "Content-Type": "application/json",
                "Origin": f"http://{self.authority}",
            },
        )
        answer = self.conn.getresponse()
        return answer.status, json.loads(answer.read())

    def state(self) -> dict[str, Any]:
        self.conn.request("GET", self.path + "state", headers={"Host": self.authority, "Cookie": self.cookie})
        return json.loads(self.conn.getresponse().read())["view"]


def _open(tmp_path: Path, mode: VotingMode) -> SessionDocument:
    session = build_sample(load_builtin_template())
    session.matrix = replace(session.matrix, mode=mode)
    matrix = next(s for s in session.steps if s.kind is StepKind.MATRIX)
    session.put(Progress(current_step_id=matrix.id))
    for reveal in list(session.reveals):
        session.remove(Reveal, (reveal.question,))
    # People who have not voted yet in the sample.
    session.put(Participant(id="phone-a", name="Ada O'Neill <i>", position=90))
    session.put(Participant(id="phone-b", name="Bo Chen", position=91))
    path = tmp_path / "room.coprod"
    SessionFile.create(path, session).close()
    return SessionDocument.open(path)


@pytest.fixture
def pool():  # type: ignore[no-untyped-def]
    with ThreadPoolExecutor(2) as executor:
        yield executor


def _run(qtbot, pool, fn, *args):  # type: ignore[no-untyped-def]
    """Run a phone's request off the GUI thread, keeping the GUI's event loop turning."""
    future = pool.submit(fn, *args)
    qtbot.waitUntil(future.done, timeout=10000)
    return future.result()


def _started(document: SessionDocument) -> tuple[SessionPhones, PhonesController]:
    phones = SessionPhones(document)
    controller = PhonesController(phones.record, phones.view)
    phones.attach(controller)
    controller.start("127.0.0.1", 0)
    return phones, controller


def test_a_named_phone_vote_is_the_persons_vote_on_disk_and_not_undoable(qtbot, tmp_path, pool) -> None:  # type: ignore[no-untyped-def]
    document = _open(tmp_path, VotingMode.NAMED)
    phones, controller = _started(document)
    try:
        person = document.session.get(Participant, "phone-a")
        assert person is not None
        question = f"cell/{document.session.criteria[0].id}/{document.session.stages[0].id}"
        phone = _run(qtbot, pool, Phone, controller.url)
        status, answer = _run(
            qtbot, pool, phone.post, "vote", {"question": question, "choice": "4", "voter": person.id}
        )
        assert status == 409
        assert "Choose who you are" in answer["error"]
        assert _run(qtbot, pool, phone.post, "join", {"voter": person.id})[0] == 200
        undo_steps = document.undo_stack.count()
        status, answer = _run(
            qtbot, pool, phone.post, "vote", {"question": question, "choice": "4", "voter": person.id}
        )
        assert (status, answer["received"]) == (200, True)
        with SessionFile.open(document.path, read_only=True) as on_disk:  # type: ignore[arg-type]
            assert on_disk.load().get(Vote, (question, person.id)).choice == "4"  # type: ignore[union-attr]
        assert document.undo_stack.count() == undo_steps  # recorded input, not the facilitator's edit
        view = _run(qtbot, pool, phone.state)
        assert view["voter"] == person.id
        assert view["mine"][question] == "4"
        # Another phone cannot take the same person.
        other = _run(qtbot, pool, Phone, controller.url)
        status, answer = _run(qtbot, pool, other.post, "join", {"voter": person.id})
        assert status == 409
        assert person.name in answer["error"]
    finally:
        controller.stop()
        document.close()


def test_a_secret_phone_ballot_keeps_no_link_between_person_and_choice(qtbot, tmp_path, pool) -> None:  # type: ignore[no-untyped-def]
    document = _open(tmp_path, VotingMode.SECRET)
    phones, controller = _started(document)
    try:
        session = document.session
        person = session.get(Participant, "phone-b")
        assert person is not None
        question = f"cell/{session.criteria[1].id}/{session.stages[1].id}"
        before = sum(c.count for c in session.on_question(BallotCount, question))
        phone = _run(qtbot, pool, Phone, controller.url)
        _run(qtbot, pool, phone.post, "join", {"voter": person.id})
        assert (
            _run(qtbot, pool, phone.post, "vote", {"question": question, "choice": "1", "voter": person.id})[
                0
            ]
            == 200
        )
        # Changing its mind while the step is open moves the count, not a second vote.
        assert (
            _run(qtbot, pool, phone.post, "vote", {"question": question, "choice": "3", "voter": person.id})[
                0
            ]
            == 200
        )
        assert _run(qtbot, pool, phone.state)["mine"] == {question: "3"}
        document.go_next()  # the facilitator moves on: the phone's ballot is handed back
        qtbot.waitUntil(lambda: not phones.ballots, timeout=2000)
        document.flush_recorded()
        raw = Path(document.path).read_bytes()  # type: ignore[arg-type]
        with SessionFile.open(document.path, read_only=True) as on_disk:  # type: ignore[arg-type]
            saved = on_disk.load()
        assert saved.get(Vote, (question, person.id)) is None
        assert saved.get(BallotCast, (question, person.id)) is not None
        assert sum(c.count for c in saved.on_question(BallotCount, question)) == before + 1
        assert phone.cookie.split("=")[1].encode() not in raw
        assert all(device.encode() not in raw for device in phones.voter_of)
    finally:
        controller.stop()
        document.close()


def test_an_anonymous_phone_votes_once_per_question(qtbot, tmp_path, pool) -> None:  # type: ignore[no-untyped-def]
    document = _open(tmp_path, VotingMode.ANONYMOUS)
    phones, controller = _started(document)
    try:
        session = document.session
        question = f"cell/{session.criteria[0].id}/{session.stages[2].id}"
        named_before = len(session.on_question(Vote, question))
        counted_before = sum(c.count for c in session.on_question(BallotCount, question))
        phone = _run(qtbot, pool, Phone, controller.url)
        assert _run(qtbot, pool, phone.post, "vote", {"question": question, "choice": "2"})[0] == 200
        matrix = session.current_step
        document.go_next()
        document.set_current_step(matrix.id)  # type: ignore[union-attr]
        controller.publish()
        status, answer = _run(qtbot, pool, phone.post, "vote", {"question": question, "choice": "0"})
        assert status == 409
        assert "already voted" in answer["error"]
        assert len(session.on_question(Vote, question)) == named_before  # counts only, no name
        assert sum(c.count for c in session.on_question(BallotCount, question)) == counted_before + 1
    finally:
        controller.stop()
        document.close()


def test_phone_work_on_the_gui_thread_stays_under_a_frame_with_a_real_session(qtbot, tmp_path, pool) -> None:  # type: ignore[no-untyped-def]
    import time

    document = _open(tmp_path, VotingMode.ANONYMOUS)
    phones = SessionPhones(document)
    spent: list[float] = []

    def timed(fn):  # type: ignore[no-untyped-def]
        def run(*args):  # type: ignore[no-untyped-def]
            started = time.thread_time()
            try:
                return fn(*args)
            finally:
                spent.append(time.thread_time() - started)

        return run

    controller = PhonesController(timed(phones.record), timed(phones.view))
    phones.attach(controller)
    controller.start("127.0.0.1", 0)
    try:
        keys = [f"cell/{c.id}/{s.id}" for c in document.session.criteria for s in document.session.stages]

        def one_phone() -> list[int]:
            phone = Phone(controller.url)
            return [phone.post("vote", {"question": k, "choice": str(n % 5)})[0] for n, k in enumerate(keys)]

        with ThreadPoolExecutor(4) as many:
            done = [many.submit(one_phone) for _ in range(4)]
            qtbot.waitUntil(lambda: all(d.done() for d in done), timeout=60000)
        assert all(d.result() == [200] * len(keys) for d in done)
        assert len(spent) >= 4 * len(keys)
        assert max(spent) < 0.016, max(spent)
    finally:
        controller.stop()
        document.close()
