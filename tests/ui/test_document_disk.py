"""The document hands each commit to the disk at once and acknowledges it only once it is there."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from coprod_desktop.domain.changes import Change
from coprod_desktop.domain.model import Note, Participant, RoleGroup, Session, VotingMode, replace
from coprod_desktop.domain.voting import cell_question
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.document import MOVES_PAUSE_MS, SessionDocument
from tests.storage.faults import kill_during_stream


def test_the_fsync_runs_while_the_views_follow_and_saved_waits_for_it(
    qtbot, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sync.coprod"
    SessionFile.create(path, Session()).close()
    document = SessionDocument.open(path)
    events: list[str] = []
    lock = threading.Lock()
    real_sync = SessionFile.sync

    def sync(file: SessionFile) -> None:
        with lock:
            events.append("fsync begins")
        real_sync(file)
        with lock:
            events.append("fsync done")

    monkeypatch.setattr(SessionFile, "sync", sync)

    def slow_view(_changes: object) -> None:
        with lock:
            events.append("view begins")
        time.sleep(0.2)  # a slow repaint: the disk should not wait for it
        with lock:
            events.append("view done")

    document.changed.connect(slow_view)
    document.saved.connect(lambda: events.append("saved"))
    assert document.put(Note(id="n1", text="a note"), "Add a note")
    qtbot.waitUntil(lambda: "saved" in events, timeout=3000)
    assert events.index("fsync begins") < events.index("view done")
    assert events.index("fsync done") < events.index("saved")
    document.close()
    with SessionFile.open(path, read_only=True) as file:
        assert file.load().get(Note, "n1") == Note(id="n1", text="a note")


STREAM = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from coprod_desktop.domain.changes import Change
from coprod_desktop.domain.model import Note
from coprod_desktop.ui.document import SessionDocument
app = QGuiApplication(["stream", "-platform", "offscreen"])
document = SessionDocument.open(sys.argv[1])
made = [0]
def received(number):
    def on_saved(ok, why):
        if ok:
            print(number, flush=True)  # a phone would now hear "received"
    return on_saved
def send():
    number = made[0]
    made[0] += 1
    if number >= 20000:  # bounded, should the parent never kill it
        app.quit()
        return
    note = Note(id=f"n{number}", text="x" * (number % 700))
    document.record([Change(None, note)], on_saved=received(number))
timer = QTimer()
timer.timeout.connect(send)
timer.start(1)  # a phone a millisecond, the batch written between them
app.exec()
"""


@pytest.mark.parametrize("trial", range(2))
def test_kill_9_while_phones_send_loses_nothing_acknowledged(tmp_path: Path, trial: int) -> None:
    path = tmp_path / "stream.coprod"
    SessionFile.create(path, Session()).close()
    # (If the test fails, the child still ends: it stops after 20,000 notes.)
    acknowledged = kill_during_stream(path, STREAM, trial)
    with SessionFile.open(path) as reopened:
        loaded = reopened.load()
    assert acknowledged >= 5
    missing = [n for n in range(acknowledged + 1) if loaded.get(Note, f"n{n}") is None]
    assert missing == []


def test_an_edit_is_acknowledged_once_and_in_order_with_the_disk(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "order.coprod"
    SessionFile.create(path, Session()).close()
    document = SessionDocument.open(path)
    received: list[int] = []
    for number in range(30):
        document.record(
            [Change(None, Note(id=f"n{number}", text="x"))],
            on_saved=lambda ok, _why, n=number: received.append(n) if ok else None,
        )
        if number % 3 == 0:
            assert document.flush_recorded()
    qtbot.waitUntil(lambda: len(received) == 30, timeout=3000)
    assert received == list(range(30))
    assert document.wait_for_disk()
    assert received == list(range(30))  # nothing said twice
    document.close()


def test_an_edit_already_on_disk_is_acknowledged_after_the_ones_before_it(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # The sync thread can make a commit durable before the news of the one before it has
    # reached the document (a queued signal, delivered by the event loop): the later one is
    # acknowledged after the earlier one all the same, never before it.
    path = tmp_path / "order.coprod"
    SessionFile.create(path, Session()).close()
    document = SessionDocument.open(path)
    received: list[int] = []

    def record(number: int) -> None:
        document.record(
            [Change(None, Note(id=f"n{number}", text="x"))],
            on_saved=lambda ok, _why: received.append(number) if ok else None,
        )
        assert document.flush_recorded()

    def until(done) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + 5
        while not done():  # without the event loop: no news from the sync thread is taken
            assert time.monotonic() < deadline
            time.sleep(0.001)

    record(0)
    assert document.file is not None
    first = document.file.commits
    until(lambda: document.file.durable >= first)  # on disk; its news not yet taken
    # The next one, made durable while the views follow it, before the document asks.
    document.changed.connect(lambda _changes: until(lambda: document.file.durable >= first + 1))
    record(1)
    qtbot.waitUntil(lambda: len(received) == 2, timeout=3000)
    assert received == [0, 1]
    document.close()


def test_moves_between_steps_are_synced_once_they_pause(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A move's fsync is asked for once the moves pause, after the new step is made and painted:
    # a syncer done with its fsync meanwhile would wait for Python's lock through all that work
    # and slow it (ui/document.py, `_sync_soon`). A run of quick moves is synced once.
    path = tmp_path / "move.coprod"
    SessionFile.create(path, load_builtin_template()).close()
    document = SessionDocument.open(path)
    events: list[str] = []
    real_sync = SessionFile.sync

    def sync(file: SessionFile) -> None:
        events.append("fsync")
        real_sync(file)

    monkeypatch.setattr(SessionFile, "sync", sync)

    def slow_step(_step_id: str) -> None:
        time.sleep(0.03)  # the new step's tool, made in this turn
        events.append("step shown")

    document.step_changed.connect(slow_step)
    document.saved.connect(lambda: events.append("saved"))
    steps = document.session.visible_steps
    clock = time.monotonic()
    for step in steps[1:4]:  # three quick presses of Next, the event loop turning between
        document.set_current_step(step.id)
        qtbot.wait(MOVES_PAUSE_MS // 4)
    assert events == ["step shown"] * 3  # no fsync while the moves go on
    qtbot.waitUntil(lambda: "saved" in events, timeout=3000)
    assert time.monotonic() - clock >= (3 * MOVES_PAUSE_MS // 4 + MOVES_PAUSE_MS) / 1000 - 0.02
    assert events[:3] == ["step shown"] * 3
    assert events.index("fsync") < events.index("saved")  # said only once it is on disk
    assert document.file is not None
    assert document.file.durable >= document.file.commits
    document.close()
    with SessionFile.open(path, read_only=True) as file:
        assert file.load().progress.current_step_id == steps[3].id


def test_a_move_after_secret_ballots_still_has_the_log_emptied(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # The order the ballots came in is in the log's pages until it is emptied: a move hands
    # the ballots back, and the log is emptied once the new step is shown.
    session = load_builtin_template()
    session.put(Participant(id="p0", name="Person 0", role=RoleGroup.CARER, position=0))
    session.put(replace(session.matrix, mode=VotingMode.SECRET))
    path = tmp_path / "secret.coprod"
    document = SessionDocument.create(path, session)
    question = cell_question(document.session.criteria[0].id, document.session.stages[0].id)
    matrix = next(step for step in document.session.visible_steps if step.kind.value == "matrix")
    document.set_current_step(matrix.id)
    document.open_ballot(VotingMode.SECRET, "p0")
    assert document.cast(question, "3")
    document.seal_ballot()
    assert document.wait_for_disk()
    syncer = document._syncer
    assert syncer is not None
    emptied = syncer.emptied
    document.go_next()
    qtbot.waitUntil(lambda: syncer.emptied > emptied, timeout=5000)  # (zeros may follow, in a pause)
    document.close()
