"""One phone reset, anonymous phones' groups, and notes that wait in the file."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from coprod_desktop.domain.model import BallotCount, Participant, Side, Tally, Vote, VotingMode
from coprod_desktop.domain.voting import SPLIT_MIN_SECRET, role_split, tally
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.phones.session import SessionPhones

from .test_session import Phone, _open, _run, _started


@pytest.fixture
def pool():  # type: ignore[no-untyped-def]
    with ThreadPoolExecutor(2) as executor:
        yield executor


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: conn.execute(f'SELECT * FROM "{name}"').fetchall() for name in names}
    finally:
        conn.close()


def test_one_phone_is_reset_and_chooses_again_while_the_file_keeps_its_votes(qtbot, tmp_path, pool) -> None:  # type: ignore[no-untyped-def]
    document = _open(tmp_path, VotingMode.NAMED)
    phones, controller = _started(document)
    try:
        question = f"cell/{document.session.criteria[0].id}/{document.session.stages[0].id}"
        ada, bo = _run(qtbot, pool, Phone, controller.url), _run(qtbot, pool, Phone, controller.url)
        assert _run(qtbot, pool, ada.post, "join", {"voter": "phone-a"})[0] == 200
        assert _run(qtbot, pool, bo.post, "join", {"voter": "phone-b"})[0] == 200
        vote = {"question": question, "choice": "2", "voter": "phone-a"}
        assert _run(qtbot, pool, ada.post, "vote", vote)[0] == 200
        # Listed by the names they chose, never by an address.
        assert [name for _device, name in phones.phones()] == ["Ada O'Neill <i>", "Bo Chen"]
        before = _tables(document.path)  # type: ignore[arg-type]
        device = next(d for d, name in phones.phones() if name == "Bo Chen")
        phones.reset_phone(device)
        qtbot.waitUntil(lambda: _run(qtbot, pool, bo.state)["voter"] == "", timeout=5000)
        assert _run(qtbot, pool, ada.state)["voter"] == "phone-a"  # the other phone is untouched
        assert [name for _device, name in phones.phones()] == ["Ada O'Neill <i>"]
        status, answer = _run(qtbot, pool, bo.post, "vote", {**vote, "voter": "phone-b"})
        assert status == 409
        assert "Choose who you are" in answer["error"]
        # Bo's phone may now be anyone not taken, Ada's name stays taken.
        assert _run(qtbot, pool, bo.post, "join", {"voter": "phone-a"})[0] == 409
        assert _run(qtbot, pool, bo.post, "join", {"voter": "phone-b"})[0] == 200
        assert _tables(document.path) == before  # type: ignore[arg-type]  # a reset writes nothing
        with SessionFile.open(document.path, read_only=True) as on_disk:  # type: ignore[arg-type]
            assert on_disk.load().get(Vote, (question, "phone-a")).choice == "2"  # type: ignore[union-attr]
    finally:
        controller.stop()
        document.close()


def _anonymous_room(qtbot, tmp_path, pool, lived: int, staff: int):  # type: ignore[no-untyped-def]
    document = _open(tmp_path, VotingMode.ANONYMOUS)
    session = document.session
    question = f"cell/{session.criteria[-1].id}/{session.stages[-1].id}"
    # The sample's own votes on the box are taken off, so only the phones count on it.
    document.record([(e, None) for kind in (Vote, Tally, BallotCount) for e in session.on_question(kind, question)])
    assert document.flush_recorded()
    assert not tally(session, question)
    phones, controller = _started(document)
    sides = [Side.LIVED] * lived + [Side.STAFF] * staff + [Side.OTHER]
    for n, side in enumerate(sides):
        phone = _run(qtbot, pool, Phone, controller.url)
        offered = [s["value"] for s in _run(qtbot, pool, phone.state)["sides"]]
        assert offered == ["lived", "staff", "other"]
        assert _run(qtbot, pool, phone.post, "join", {"side": side.value})[0] == 200
        # Once said, the group stays: a phone cannot move to the other side to weigh it.
        other = Side.STAFF if side is not Side.STAFF else Side.LIVED
        status, answer = _run(qtbot, pool, phone.post, "join", {"side": other.value})
        assert status == 409
        assert "already said its group" in answer["error"]
        rating = "4" if side is Side.STAFF else "1"
        assert _run(qtbot, pool, phone.post, "vote", {"question": question, "choice": rating})[0] == 200, n
    return document, controller, question


def test_anonymous_phones_say_their_group_once_and_counts_split_by_side(qtbot, tmp_path, pool) -> None:  # type: ignore[no-untyped-def]
    document, controller, question = _anonymous_room(qtbot, tmp_path, pool, SPLIT_MIN_SECRET, SPLIT_MIN_SECRET)
    try:
        with SessionFile.open(document.path, read_only=True) as on_disk:  # type: ignore[arg-type]
            saved = on_disk.load()
        counts = {(c.side, c.choice): c.count for c in saved.on_question(BallotCount, question)}
        assert counts == {(Side.LIVED, "1"): 3, (Side.STAFF, "4"): 3, (Side.OTHER, "1"): 1}
        split = role_split(saved, question, 5)
        assert (split.lived_experience, split.professional) == (1.0, 4.0)
        # Nothing else about a phone: no names, no "has voted", no device anywhere in the file.
        tables = _tables(document.path)  # type: ignore[arg-type]
        assert not [r for r in tables["ballot_cast"] if r[0] == question]
        assert not [r for r in tables["vote"] if r[0] == question]
        assert tables["waiting_note"] == []
    finally:
        controller.stop()
        document.close()


def test_too_few_on_a_side_keeps_anonymous_counts_out_of_the_split(qtbot, tmp_path, pool) -> None:  # type: ignore[no-untyped-def]
    document, controller, question = _anonymous_room(qtbot, tmp_path, pool, SPLIT_MIN_SECRET, SPLIT_MIN_SECRET - 1)
    try:
        split = role_split(document.session, question, 5)
        assert (split.lived_experience, split.professional) == (None, None)
        assert split.withheld == 2 * SPLIT_MIN_SECRET - 1
    finally:
        controller.stop()
        document.close()


def _send_note(qtbot, pool, controller, text: str) -> None:  # type: ignore[no-untyped-def]
    phone = _run(qtbot, pool, Phone, controller.url)
    status, answer = _run(qtbot, pool, phone.post, "note", {"text": text})
    assert (status, answer.get("received")) == (200, True)


def test_a_waiting_note_survives_a_crash_and_a_dismissed_one_leaves_no_bytes(qtbot, tmp_path, pool) -> None:  # type: ignore[no-untyped-def]
    document = _open(tmp_path, VotingMode.NAMED)
    path = document.path
    assert path is not None
    phones, controller = _started(document)
    _send_note(qtbot, pool, controller, "Keep-me: could the slides be larger?")
    _send_note(qtbot, pool, controller, "Drop-me-zq81: a note nobody should keep")
    # "✓ received" means on disk: another reader sees both now.
    assert [row[1] for row in _tables(path)["waiting_note"]] == [
        "Keep-me: could the slides be larger?",
        "Drop-me-zq81: a note nobody should keep",
    ]
    controller.stop()
    document.close()  # the app goes away with both notes neither kept nor dismissed

    reopened = SessionDocument.open(path)
    try:
        phones = SessionPhones(reopened)
        assert [n.text for n in phones.notes] == [
            "Keep-me: could the slides be larger?",
            "Drop-me-zq81: a note nobody should keep",
        ]
        notes_before = len(reopened.session.notes)
        assert phones.accept_note(0)
        assert [n.text for n in reopened.session.notes][notes_before:] == ["Keep-me: could the slides be larger?"]
        phones.dismiss_note(0)
        assert phones.notes == []
        assert _tables(path)["waiting_note"] == []
    finally:
        reopened.close()
    # Once the session is closed, the file is one file again (its write-ahead log folded in);
    # with secure_delete the dismissed note's words are overwritten, not only unlinked.
    assert not path.with_name(path.name + "-wal").exists()
    raw = path.read_bytes()
    assert b"Drop-me-zq81" not in raw
    assert raw.count(b"Keep-me: could the slides") == 1  # now one of the session's notes, once
    last = SessionDocument.open(path)
    try:
        assert SessionPhones(last).notes == []
    finally:
        last.close()


def test_the_laptop_says_when_more_phones_vote_than_people_are_listed(window, qtbot, tmp_path, pool) -> None:  # type: ignore[no-untyped-def]
    document = _open(tmp_path, VotingMode.ANONYMOUS)
    path = document.path
    listed = document.session.count(Participant)
    document.close()
    assert window.open_session(path)
    url = window.phones.turn_on("127.0.0.1", 0)
    question = f"cell/{window.document.session.criteria[0].id}/{window.document.session.stages[0].id}"
    for n in range(listed + 1):
        phone = _run(qtbot, pool, Phone, url)
        assert _run(qtbot, pool, phone.post, "vote", {"question": question, "choice": "2"})[0] == 200, n
        if n == listed - 1:
            assert "more than the" not in window.phones.panel.crowd.text()
    qtbot.waitUntil(lambda: "have voted, more than the" in window.phones.panel.crowd.text(), timeout=5000)
    assert f"{listed + 1} phones have voted, more than the {listed} people on the list" in (
        window.phones.panel.crowd.text()
    )
    assert "More phones have voted" in window.statusBar().currentMessage()


def test_a_refusal_from_the_app_reaches_a_welsh_phone_in_welsh(qtbot, tmp_path, pool) -> None:  # type: ignore[no-untyped-def]
    document = _open(tmp_path, VotingMode.NAMED)
    phones, controller = _started(document)
    try:
        ada, other = _run(qtbot, pool, Phone, controller.url), _run(qtbot, pool, Phone, controller.url)
        other.cookie += "; coprod_lang=cy"
        assert _run(qtbot, pool, ada.post, "join", {"voter": "phone-a"})[0] == 200
        status, answer = _run(qtbot, pool, other.post, "join", {"voter": "phone-a"})
        assert status == 409
        # The name is a field: never read as a pattern, never translated.
        assert answer["error"] == (
            "Mae ffôn arall eisoes yn pleidleisio fel Ada O'Neill <i>. Gofynnwch i'r hwylusydd ryddhau'r enw."
        )
        status, answer = _run(qtbot, pool, ada.post, "join", {"side": "staff"})
        assert answer["error"] == "That is not one of the groups."  # named voting asks for no group
    finally:
        controller.stop()
        document.close()


@pytest.mark.timeout(90)
def test_a_note_waits_in_the_file_through_a_real_crash(sample_file: Path, tmp_path: Path) -> None:
    """The app is killed (SIGKILL: no clean close) once the phone hears "received"; the note is
    still waiting when the file is opened again."""
    import json
    import os
    import signal
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("COPROD_")}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "c"), XDG_DATA_HOME=str(tmp_path / "d"))
    with subprocess.Popen(
        [sys.executable, "-m", "coprod_desktop", str(sample_file), "--phones", "--bind", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    ) as app:
        assert app.stdout is not None
        try:
            line = app.stdout.readline()
            assert line.startswith("Phones join at "), line
            phone = Phone(line.split(" at ", 1)[1].strip())
            status, answer = phone.post("note", {"text": "Survives-a-crash: more time for questions"})
            phone.conn.close()
            assert (status, answer.get("received")) == (200, True)
        finally:
            app.send_signal(signal.SIGKILL)  # the app we started, by its own handle
            app.wait(20)
    document = SessionDocument.open(sample_file)
    try:
        assert [n.text for n in SessionPhones(document).notes] == ["Survives-a-crash: more time for questions"]
        assert "Survives-a-crash" not in json.dumps([n.text for n in document.session.notes])  # not kept yet
    finally:
        document.close()


def test_undoing_a_kept_note_puts_it_back_on_the_waiting_list_and_redo_keeps_it_again(qtbot, tmp_path, pool) -> None:  # type: ignore[no-untyped-def]
    document = _open(tmp_path, VotingMode.NAMED)
    path = document.path
    assert path is not None
    phones, controller = _started(document)
    for text in ("First-note: louder please", "Second-note: a break soon?", "Third-note: thank you"):
        _send_note(qtbot, pool, controller, text)
    changed: list[int] = []
    phones.notes_changed.connect(lambda: changed.append(len(phones.notes)))
    notes_before = len(document.session.notes)

    def kept() -> list[str]:
        return [n.text for n in document.session.notes][notes_before:]

    def waiting_in_file() -> list[str]:
        return [text for _id, text in document.file.waiting_notes()]  # type: ignore[union-attr]

    assert phones.accept_note(1)  # the middle one
    assert kept() == ["Second-note: a break soon?"]
    assert [n.text for n in phones.notes] == waiting_in_file() == [
        "First-note: louder please",
        "Third-note: thank you",
    ]
    assert document.undo_stack.undoText() == "Keep a note from a phone"

    document.undo_stack.undo()
    assert kept() == []
    # Back where it was, in the file and on the laptop's list alike.
    assert [n.text for n in phones.notes] == waiting_in_file() == [
        "First-note: louder please",
        "Second-note: a break soon?",
        "Third-note: thank you",
    ]
    assert changed[-1] == 3  # the panel's list is told

    document.undo_stack.redo()
    assert kept() == ["Second-note: a break soon?"]
    assert [n.text for n in phones.notes] == waiting_in_file() == [
        "First-note: louder please",
        "Third-note: thank you",
    ]

    document.undo_stack.undo()  # and the file agrees after closing and opening again
    controller.stop()
    document.close()
    reopened = SessionDocument.open(path)
    try:
        again = SessionPhones(reopened)
        assert [n.text for n in again.notes] == [
            "First-note: louder please",
            "Second-note: a break soon?",
            "Third-note: thank you",
        ]
        assert "Second-note: a break soon?" not in [n.text for n in reopened.session.notes]
        assert again.accept_note(1)  # kept again from the reopened file, once
        assert [n.text for n in reopened.session.notes].count("Second-note: a break soon?") == 1
    finally:
        reopened.close()


def test_a_kept_note_dismissed_after_its_undo_is_kept_once_by_redo(qtbot, tmp_path, pool) -> None:  # type: ignore[no-untyped-def]
    document = _open(tmp_path, VotingMode.NAMED)
    phones, controller = _started(document)
    _send_note(qtbot, pool, controller, "Only-note: could we stop at four?")
    before = len(document.session.notes)
    assert phones.accept_note(0)
    document.undo_stack.undo()
    assert [n.text for n in phones.notes] == ["Only-note: could we stop at four?"]
    phones.dismiss_note(0)
    document.undo_stack.redo()  # the facilitator's own keep comes back; nothing waits twice
    assert [n.text for n in document.session.notes][before:] == ["Only-note: could we stop at four?"]
    assert phones.notes == []
    assert document.file is not None
    assert document.file.waiting_notes() == []
