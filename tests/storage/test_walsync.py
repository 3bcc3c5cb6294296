"""The app's write path: commits in WAL mode, made durable by `WalSyncer` on its own thread.

Nothing is acknowledged before it is on disk (kill -9 and power cuts), a closed session is
one file in DELETE mode again with no log of its history beside it, and a session opened
and closed unedited is left byte for byte as it was."""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

import pytest

from coprod_desktop.domain.model import Note, Session, WorkshopInfo
from coprod_desktop.storage.sessionfile import Change, SessionFile, read_header
from coprod_desktop.storage.walsync import WalSyncer

from .faults import build_shim, kill_during_stream, power_cut, run_faulty

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_shim(tmp_path_factory.mktemp("shim"))


def test_commits_are_acknowledged_in_order_once_synced_and_the_file_closes_whole(tmp_path: Path) -> None:
    path = tmp_path / "w.coprod"
    SessionFile.create(path, Session()).close()
    opened = SessionFile.open(path)
    told: list[tuple[int, str]] = []
    syncer = WalSyncer(opened, lambda number, error: told.append((number, error)))
    numbers = [opened.write([Change(None, Note(id=f"n{i}", text="x"))]) for i in range(20)]
    assert numbers == list(range(1, 21))
    assert opened.wal  # switched at the first write
    assert syncer.wait() == (20, "")
    assert opened.durable == 20
    syncer.stop()  # joins the thread, so every call back has been made
    assert told[-1] == (20, "")
    assert [number for number, _ in told] == sorted(number for number, _ in told)
    opened.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.coprod"]
    assert not read_header(path).wal  # back to DELETE mode
    with SessionFile.open(path, read_only=True) as check:
        assert len(check.load().notes) == 20


def _sync_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "session file sync"]


def test_the_thread_starts_with_the_first_commit_to_sync(tmp_path: Path) -> None:
    """Opening a session starts no thread (a start waits for a core on the way to the first
    frame); the first commit's request starts it, and that commit is still made durable."""
    path = tmp_path / "lazy.coprod"
    SessionFile.create(path, Session()).close()
    opened = SessionFile.open(path)
    before = len(_sync_threads())
    syncer = WalSyncer(opened, lambda number, error: None)
    assert len(_sync_threads()) == before
    assert syncer.wait() == (0, "")  # nothing to sync: still no thread
    assert len(_sync_threads()) == before
    number = opened.write([Change(None, Note(id="n1", text="first"))])
    syncer.request(number)
    assert len(_sync_threads()) == before + 1
    assert syncer.wait(number) == (1, "")
    assert opened.durable == 1
    syncer.stop()
    assert len(_sync_threads()) == before
    opened.close()
    with SessionFile.open(path, read_only=True) as check:
        assert [note.text for note in check.load().notes] == ["first"]


def test_opening_and_closing_unedited_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "same.coprod"
    SessionFile.create(path, Session(info=WorkshopInfo(title="Left alone"))).close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    opened = SessionFile.open(path)
    WalSyncer(opened, lambda number, error: None).stop()
    opened.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["same.coprod"]


def test_a_write_from_the_gui_thread_never_waits_for_the_sync(tmp_path: Path) -> None:
    """While an fsync is slow, commits go on; the syncer catches up with one fsync for them all."""
    path = tmp_path / "slow.coprod"
    SessionFile.create(path, Session()).close()
    opened = SessionFile.open(path)
    gate = threading.Event()
    real_sync = opened.sync

    def slow_sync() -> None:
        gate.wait(5)
        real_sync()

    opened.sync = slow_sync  # type: ignore[method-assign]
    told: list[int] = []
    syncer = WalSyncer(opened, lambda number, error: told.append(number))
    opened.write([Change(None, Note(id="first", text="x"))])
    started = time.perf_counter()
    for i in range(10):
        opened.write([Change(None, Note(id=f"n{i}", text="y"))])
    assert time.perf_counter() - started < 2  # nothing waited for the gate
    assert told == []  # nothing acknowledged before the disk has it
    gate.set()
    assert syncer.wait()[0] == 11
    assert len(told) <= 3  # a burst is one or two fsyncs, not one each
    syncer.stop()
    opened.close()


STREAM = """
import sys, threading
from pathlib import Path
from coprod_desktop.domain.model import Note
from coprod_desktop.storage.sessionfile import Change, SessionFile
from coprod_desktop.storage.walsync import WalSyncer
opened = SessionFile.open(Path(sys.argv[1]))
lock = threading.Lock()
def told(number, error):
    with lock:
        print(number, flush=True)  # acknowledged: the screen would now say saved
syncer = WalSyncer(opened, told)
number = 0
while number < 20000:  # bounded, should the parent never kill it
    number = opened.write([Change(None, Note(id=f"n{number}", text="x" * (number % 700)))])
    syncer.request(number)
syncer.stop()
"""


@pytest.mark.parametrize("trial", range(2))
def test_kill_9_during_a_stream_of_edits_loses_no_acknowledged_edit(tmp_path: Path, trial: int) -> None:
    path = tmp_path / "stream.coprod"
    SessionFile.create(path, Session()).close()
    # (If the test fails, the child still ends: it stops after 20,000 edits.)
    acknowledged = kill_during_stream(path, STREAM, trial)
    with SessionFile.open(path) as reopened:
        loaded = reopened.load()
    assert acknowledged >= 5
    # Commit n wrote note n-1.
    missing = [n for n in range(acknowledged) if loaded.get(Note, f"n{n}") is None]
    assert missing == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stream.coprod"]


EDIT = """
import os, sys
from pathlib import Path
from coprod_desktop.domain.model import Note
from coprod_desktop.storage.sessionfile import Change, SessionFile
from coprod_desktop.storage.walsync import WalSyncer
opened = SessionFile.open(Path(sys.argv[1]))
syncer = WalSyncer(opened, lambda number, error: None)
for number in range(int(sys.argv[2])):
    opened.write([Change(None, Note(id=f"acked-{number}", text="acknowledged on screen"))])
assert syncer.wait() == (int(sys.argv[2]), "")
print("saved", flush=True)
os._exit(0)  # the plug is pulled: no close, no clean-up
"""


@pytest.mark.parametrize("edits", [1, 5])
def test_an_acknowledged_edit_survives_a_power_cut(shim: Path, tmp_path: Path, edits: int) -> None:
    path = tmp_path / "session.coprod"
    SessionFile.create(path, Session(info=WorkshopInfo(title="Before the cut"))).close()
    code = EDIT.replace("sys.argv[1]", repr(str(path))).replace("sys.argv[2]", repr(str(edits)))
    result = run_faulty(shim, tmp_path, code, power_cut=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "saved"
    undone = power_cut(tmp_path)
    assert not [u for u in undone if u.endswith("-wal")], undone  # the log's creation was synced
    with SessionFile.open(path) as reopened:
        loaded = reopened.load()
    assert loaded.info.title == "Before the cut"
    for number in range(edits):
        assert loaded.get(Note, f"acked-{number}") is not None, f"edit {number} was rolled back"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["session.coprod"]


FIRST = """
import os, sys, threading
from pathlib import Path
from coprod_desktop.domain.model import Note
from coprod_desktop.storage.sessionfile import Change, SessionFile
from coprod_desktop.storage.walsync import WalSyncer
log = LOG
def mark(what):
    with open(log, "a") as stream:
        stream.write(f"mark {what}\\n")
opened = SessionFile.open(Path(PATH))
syncer = WalSyncer(opened, lambda number, error: None)
print(threading.get_native_id(), flush=True)
mark("first")
number = opened.write([Change(None, Note(id="first", text="the session's first edit"))])
mark("written")
if ACK:
    assert syncer.wait(number) == (1, "")
    mark("acknowledged")
    print("saved", flush=True)
os._exit(0)  # the plug is pulled, before or after the acknowledgement
"""


def _first_write(shim: Path, folder: Path, path: Path, *, ack: bool, power: bool) -> tuple[str, list[str]]:
    log = folder / "faults.log"
    code = FIRST.replace("LOG", repr(str(log))).replace("PATH", repr(str(path))).replace("ACK", str(ack))
    result = run_faulty(shim, folder, code, power_cut=power, log=log)
    assert result.returncode == 0, result.stderr
    lines = log.read_text().splitlines()
    log.unlink()
    return result.stdout, lines


def test_the_first_write_makes_no_fsync_on_the_calling_thread(shim: Path, tmp_path: Path) -> None:
    """Switching to WAL at the first write cost the GUI thread 7 fsyncs (journal, folder,
    header, folder, log header, folder): about 60 ms on a slow disk. The sync thread makes
    the switch durable instead, before it acknowledges the commit."""
    path = tmp_path / "session.coprod"
    SessionFile.create(path, Session(info=WorkshopInfo(title="First write"))).close()
    out, lines = _first_write(shim, tmp_path, path, ack=True, power=False)
    gui = out.split()[0]
    first, written, acked = (lines.index(f"mark {m}") for m in ("first", "written", "acknowledged"))
    assert [line for line in lines[first:written] if line.startswith(("fsync", "fdatasync", "dirsync"))] == []
    assert not [line for line in lines[first:] if line.endswith(f"thread={gui}")]
    # Before the acknowledgement, on the sync thread: the log, the header, the folder.
    synced = {line.split()[1]: line.split()[0] for line in lines[written:acked] if " thread=" in line}
    assert synced.get(str(path) + "-wal") in ("fsync", "fdatasync"), lines
    assert synced.get(str(path)) in ("fsync", "fdatasync"), lines
    assert synced.get(str(tmp_path)) == "dirsync", lines


@pytest.mark.parametrize("ack", [False, True])
def test_a_power_cut_at_the_first_write_leaves_a_sound_file(shim: Path, tmp_path: Path, ack: bool) -> None:
    """Cut just after the first write returns (not yet acknowledged: the switch to WAL may be
    only half on disk, the journal's removal may come undone) or just after its
    acknowledgement (nothing may come undone): the file opens sound with the session as it
    was, plus the edit once acknowledged."""
    path = tmp_path / "session.coprod"
    SessionFile.create(path, Session(info=WorkshopInfo(title="Before the cut"))).close()
    out, _lines = _first_write(shim, tmp_path, path, ack=ack, power=True)
    undone = power_cut(tmp_path)
    if ack:
        assert out.split()[1:] == ["saved"]
        assert undone == [], undone  # the journal's removal and the log's name were synced
    with SessionFile.open(path) as reopened:
        assert reopened._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        loaded = reopened.load()
    assert loaded.info.title == "Before the cut"
    if ack:
        assert loaded.get(Note, "first") is not None, "the acknowledged first edit was lost"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["session.coprod"]
    assert not read_header(path).wal


def test_secret_ballots_through_the_log_leave_the_same_file_whatever_the_order(tmp_path: Path) -> None:
    """As `test_secret_ballots`, with the app's write path: after closing, no log is left and
    the pages do not say who voted last."""
    from coprod_desktop.domain.changes import apply_changes
    from coprod_desktop.domain.model import VotingMode
    from coprod_desktop.domain.voting import Ballot

    from .test_secret_ballots import CHOICES, PEOPLE, _pages, questions, secret_session

    def vote(path: Path, order: list[str], start: Session) -> None:
        file = SessionFile.create(path, start)
        syncer = WalSyncer(file, lambda number, error: None)
        try:
            session = file.load()
            for voter in order:
                ballot = Ballot.open(session, VotingMode.SECRET, voter)
                for question in questions(session):
                    changes = ballot.cast(session, question, CHOICES[voter])
                    syncer.request(file.write(changes))
                    apply_changes(session, changes)
                ballot.seal()
            assert file.wal
        finally:
            syncer.stop()
            file.close()

    start = secret_session()
    voters = [pid for pid, _ in PEOPLE]
    forwards, backwards = tmp_path / "forwards.coprod", tmp_path / "backwards.coprod"
    vote(forwards, voters, start)
    vote(backwards, list(reversed(voters)), start)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backwards.coprod", "forwards.coprod"]
    everything = "name != '_sqlite_migrations'"
    assert _pages(forwards, everything) == _pages(backwards, everything)


def test_the_syncer_copies_a_long_log_into_the_file_while_edits_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edits that never pause: once the log holds FORCE_BYTES, it is copied all the same."""
    from coprod_desktop.storage import walsync

    monkeypatch.setattr(walsync, "CHECKPOINT_BYTES", 64 * 1024)
    monkeypatch.setattr(walsync, "FORCE_BYTES", 192 * 1024)
    path = tmp_path / "long.coprod"
    SessionFile.create(path, Session()).close()
    opened = SessionFile.open(path)
    syncer = WalSyncer(opened, lambda number, error: None)
    empty = path.stat().st_size
    for i in range(400):
        syncer.request(opened.write([Change(None, Note(id=f"n{i}", text="x" * 300))]))
    assert syncer.wait() == (400, "")
    # The copy runs on the syncer's thread, beside the writes: the file itself grows.
    deadline = time.monotonic() + 5
    while path.stat().st_size <= empty and time.monotonic() < deadline:
        syncer.request(opened.write([Change(None, Note(id="nudge", text=str(time.monotonic())))]))
        syncer.wait()
        time.sleep(0.05)
    assert path.stat().st_size > empty
    syncer.stop()
    opened.close()
    with SessionFile.open(path, read_only=True) as check:
        assert len(check.load().notes) >= 400
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.coprod"]


def test_forgetting_history_empties_the_log_while_the_session_stays_open(tmp_path: Path) -> None:
    path = tmp_path / "forget.coprod"
    SessionFile.create(path, Session()).close()
    opened = SessionFile.open(path)
    syncer = WalSyncer(opened, lambda number, error: None)
    for i in range(10):
        syncer.request(opened.write([Change(None, Note(id=f"n{i}", text="secret order"))]))
    syncer.wait()
    wal = path.with_name(path.name + "-wal")
    assert wal.stat().st_size > 0
    syncer.forget_history()
    deadline = time.monotonic() + 5
    while wal.stat().st_size > 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert wal.stat().st_size == 0
    # Writing goes on as before, into a fresh log.
    syncer.request(opened.write([Change(None, Note(id="after", text="x"))]))
    assert syncer.wait() == (11, "")
    syncer.stop()
    opened.close()
    with SessionFile.open(path, read_only=True) as check:
        assert len(check.load().notes) == 11
