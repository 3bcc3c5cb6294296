"""The log's restart: a commit after a checkpoint makes no fsync on the GUI thread.

Once a checkpoint has copied all of the log into the file, SQLite (synchronous=NORMAL) has the
next commit start the log afresh and fsync its header first, on the committing thread: with a
slow disk, once every few hundred votes, the GUI thread waited for the disk (8 to 21 ms with the
benchmark's 8 ms fsyncs). The syncer now empties the log in a pause and syncs the emptying, so
the commit after it need not: and nothing acknowledged is lost on a kill -9 or a power cut."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from coprod_desktop.domain.model import Note, Session, WorkshopInfo
from coprod_desktop.storage.sessionfile import SessionFile, read_header

from .faults import build_shim, kill_during_stream, power_cut, run_faulty


@pytest.fixture(scope="module")
def shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_shim(tmp_path_factory.mktemp("shim"))


BURSTS = """
import os, sys, threading, time
from pathlib import Path
from coprod_desktop.domain.model import Note
from coprod_desktop.storage import walsync
from coprod_desktop.storage.sessionfile import Change, SessionFile
walsync.CHECKPOINT_BYTES = 48 * 1024  # a long log after a few dozen edits
walsync.QUIET_SECONDS = 0.02
log = LOG
def mark(what):
    with open(log, "a") as stream:
        stream.write(f"mark {what}\\n")
opened = SessionFile.open(Path(PATH))
syncer = walsync.WalSyncer(opened, lambda number, error: None)
print(threading.get_native_id(), flush=True)
opened.write([Change(None, Note(id="first", text="the switch to WAL"))])
syncer.wait()
mark("edits")
for burst in range(BURSTS_N):
    for i in range(40):  # a burst of votes, each waited for as the benchmark does
        syncer.wait(opened.write([Change(None, Note(id=f"n{burst}-{i}", text="x" * 400))]))
    deadline = time.monotonic() + 10
    while syncer.emptied <= burst and time.monotonic() < deadline:  # the pause
        time.sleep(0.005)
    assert syncer.emptied == burst + 1, (burst, syncer.emptied, opened.wal_size())
    assert opened.wal_size() == 0 and opened.log_empty_on_disk
mark("done")
print("saved", flush=True)
os._exit(0)  # the plug is pulled
"""


def _bursts(shim: Path, folder: Path, path: Path, bursts: int, *, power: bool) -> tuple[str, list[str]]:
    log = folder / "faults.log"
    code = (
        BURSTS.replace("LOG", repr(str(log)))
        .replace("PATH", repr(str(path)))
        .replace("BURSTS_N", str(bursts))
    )
    result = run_faulty(shim, folder, code, power_cut=power, log=log)
    assert result.returncode == 0, result.stderr
    lines = log.read_text().splitlines()
    log.unlink()
    return result.stdout, lines


def test_the_commit_after_the_log_is_emptied_makes_no_fsync_on_its_thread(shim: Path, tmp_path: Path) -> None:
    path = tmp_path / "session.coprod"
    SessionFile.create(path, Session()).close()
    out, lines = _bursts(shim, tmp_path, path, 4, power=False)
    gui = out.split()[0]
    edits, done = lines.index("mark edits"), lines.index("mark done")
    on_gui = [line for line in lines[edits:done] if line.endswith(f"thread={gui}")]
    assert on_gui == [], on_gui  # before: one fdatasync of the log for each restart
    # The log was emptied after each burst, and its emptying synced on the sync thread.
    wal_syncs = [line for line in lines[edits:done] if line.split()[1:2] == [str(path) + "-wal"]]
    assert len(wal_syncs) >= 4 * 40
    with SessionFile.open(path) as reopened:
        assert reopened._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert len(reopened.load().notes) == 1 + 4 * 40


def test_edits_acknowledged_around_the_logs_emptying_survive_a_power_cut(shim: Path, tmp_path: Path) -> None:
    """Each burst after the first starts the log afresh without an fsync on its thread; the
    syncer's sync makes it durable before the wait returns (the acknowledgement)."""
    path = tmp_path / "session.coprod"
    SessionFile.create(path, Session(info=WorkshopInfo(title="Before the cut"))).close()
    out, _lines = _bursts(shim, tmp_path, path, 3, power=True)
    assert out.split()[1:] == ["saved"]
    undone = power_cut(tmp_path)
    assert not [u for u in undone if u.endswith("-wal")], undone
    with SessionFile.open(path) as reopened:
        assert reopened._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        loaded = reopened.load()
    assert loaded.info.title == "Before the cut"
    missing = [f"n{b}-{i}" for b in range(3) for i in range(40) if loaded.get(Note, f"n{b}-{i}") is None]
    assert missing == [], missing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["session.coprod"]
    assert not read_header(path).wal


STREAM = """
import sys, threading, time
from pathlib import Path
from coprod_desktop.domain.model import Note
from coprod_desktop.storage import walsync
from coprod_desktop.storage.sessionfile import Change, SessionFile
walsync.CHECKPOINT_BYTES = 32 * 1024  # the log is emptied every few dozen edits
walsync.QUIET_SECONDS = 0.002
opened = SessionFile.open(Path(sys.argv[1]))
lock = threading.Lock()
def told(number, error):
    with lock:
        print(number, flush=True)  # acknowledged: the screen would now say saved
syncer = walsync.WalSyncer(opened, told)
number = 0
while number < 20000:  # bounded, should the parent never kill it
    number = opened.write([Change(None, Note(id=f"n{number}", text="x" * (number % 700)))])
    syncer.request(number)
    if number % 25 == 0:
        time.sleep(0.01)  # a pause: the syncer empties the log
syncer.stop()
"""


@pytest.mark.parametrize("trial", range(2))
def test_kill_9_while_the_log_is_emptied_between_edits_loses_no_acknowledged_edit(
    tmp_path: Path, trial: int
) -> None:
    path = tmp_path / "stream.coprod"
    SessionFile.create(path, Session()).close()
    acknowledged = kill_during_stream(path, STREAM, trial)
    with SessionFile.open(path) as reopened:
        assert reopened._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        loaded = reopened.load()
    assert acknowledged >= 5
    missing = [n for n in range(acknowledged) if loaded.get(Note, f"n{n}") is None]  # commit n wrote n-1
    assert missing == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stream.coprod"]


def test_a_commit_during_the_emptying_is_not_taken_for_a_fresh_log(tmp_path: Path) -> None:
    """A commit made while the syncer syncs the emptied log starts the log itself (with
    SQLite's own fsync): the file must not then say the log is empty on disk."""
    import threading

    from coprod_desktop.storage import walsync
    from coprod_desktop.storage.sessionfile import Change

    path = tmp_path / "race.coprod"
    SessionFile.create(path, Session()).close()
    opened = SessionFile.open(path)
    syncer = walsync.WalSyncer(opened, lambda number, error: None)
    syncer.wait(opened.write([Change(None, Note(id="first", text="x"))]))
    in_sync, go_on = threading.Event(), threading.Event()
    real_sync = opened.sync

    def held_sync() -> None:
        if opened.wal_size() == 0:  # the emptied log's sync
            in_sync.set()
            go_on.wait(5)
        real_sync()

    opened.sync = held_sync  # type: ignore[method-assign]
    tries: list[tuple[bool, bool, int]] = []
    real_empty = syncer._empty_log

    def recorded() -> bool:
        done = real_empty()
        tries.append((done, opened.log_empty_on_disk, opened.wal_size()))
        return done

    syncer._empty_log = recorded  # type: ignore[method-assign]
    syncer.forget_history()
    assert in_sync.wait(5)
    number = opened.write([Change(None, Note(id="meanwhile", text="y"))])  # not held up
    go_on.set()
    assert syncer.wait(number) == (2, "")
    deadline = time.monotonic() + 5
    while not tries and time.monotonic() < deadline:
        time.sleep(0.005)
    done, fresh, size = tries[0]
    assert (done, fresh) == (False, False), tries[0]
    assert size > 0, tries[0]
    # The next pause empties it after all.
    while len(tries) < 2 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert tries[1][0], tries
    syncer.stop()
    opened.close()
    with SessionFile.open(path, read_only=True) as check:
        assert {note.id for note in check.load().notes} == {"first", "meanwhile"}
