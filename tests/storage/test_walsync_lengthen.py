"""The syncer keeps zeros ahead of the log's frames, so that a commit overwrites them instead of
making the log longer (its fsync then has no new file length to record).

What this relies on, pinned here: `wal_used` says how much of the log holds frames (as SQLite
counts them); the zeros are only ever written past the frames; a log whose frames are followed
by zeros reads back every commit after a crash (SQLite stops at the first frame without the
log's salts and checksums); commits in the zeros leave the log's length as it was; closing
still leaves one self-contained file."""

from __future__ import annotations

import os
import shutil
import struct
import time
from pathlib import Path

from coprod_desktop.domain.model import Note, Session
from coprod_desktop.storage import walsync
from coprod_desktop.storage.sessionfile import Change, SessionFile, read_header
from coprod_desktop.storage.walsync import WalSyncer

FRAME = 24 + 4096  # a frame's header and one page


def _frames_in_log(path: Path) -> int:
    """How many frames the log holds, read from it as SQLite's recovery does (frames one after
    another while they carry the header's salts), without touching it."""
    data = Path(str(path) + "-wal").read_bytes()
    page = struct.unpack(">I", data[8:12])[0]
    salts = data[16:24]
    frames = 0
    while 32 + (frames + 1) * (24 + page) <= len(data):
        at = 32 + frames * (24 + page)
        if data[at + 8 : at + 16] != salts:
            break
        frames += 1
    return frames


def _note(i: int) -> Change:
    return Change(None, Note(id=f"n{i:03d}", text="x" * (i % 300)))


def _until(condition, seconds: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def test_the_log_is_kept_ahead_of_its_frames_with_zeros(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ahead.coprod"
    SessionFile.create(path, Session()).close()
    opened = SessionFile.open(path)
    assert opened.wal_used() is None  # not in WAL mode yet
    syncer = WalSyncer(opened, lambda number, error: None)
    for i in range(30):
        syncer.wait(opened.write([_note(i)]))
    syncer.wait()
    used = opened.wal_used()
    assert used is not None
    assert used == 32 + _frames_in_log(path) * FRAME  # as SQLite counts the log's frames
    assert _until(lambda: opened.wal_size() - used >= walsync.LOG_LOW_BYTES)
    size = opened.wal_size()
    assert size <= walsync.CHECKPOINT_BYTES
    with open(str(path) + "-wal", "rb") as log:
        log.seek(used)
        assert log.read() == bytes(size - used)  # only zeros past the frames
    # Commits in the zeros overwrite them: the log's length stays as it is (no more steps now).
    monkeypatch.setattr(walsync, "LOG_AHEAD_BYTES", 0)
    for i in range(30, 35):
        syncer.wait(opened.write([_note(i)]))
    assert opened.wal_size() == size
    later = opened.wal_used()
    assert later is not None
    assert later > used
    syncer.stop()
    opened.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ahead.coprod"]  # one file again
    assert not read_header(path).wal
    with SessionFile.open(path, read_only=True) as check:
        assert sorted(note.id for note in check.load().notes) == [f"n{i:03d}" for i in range(35)]


def test_a_crash_with_zeros_after_the_frames_keeps_every_commit(tmp_path: Path) -> None:
    """The file and its log as a crash leaves them (copied while open, the log's index left
    behind, so SQLite reads the log afresh): every commit is there, the zeros read as its end."""
    path = tmp_path / "crash.coprod"
    SessionFile.create(path, Session()).close()
    opened = SessionFile.open(path)
    syncer = WalSyncer(opened, lambda number, error: None)
    for i in range(25):
        syncer.wait(opened.write([_note(i)]))
    used = opened.wal_used()
    assert used is not None
    assert opened.wal_size() > used  # zeros after the frames
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copyfile(path, copy / path.name)
    shutil.copyfile(str(path) + "-wal", str(copy / path.name) + "-wal")
    syncer.stop()
    opened.close()
    with SessionFile.open(copy / path.name) as recovered:
        assert sorted(note.id for note in recovered.load().notes) == [f"n{i:03d}" for i in range(25)]


def _in_wal_with_one_note(path: Path) -> SessionFile:
    """A new session file at `path`, opened in WAL mode with one note committed and synced."""
    SessionFile.create(path, Session()).close()
    opened = SessionFile.open(path)
    opened.prefer_wal = True
    opened.sync_beside = True
    opened.write([_note(1)])
    opened.sync()
    return opened


def test_lengthening_writes_only_past_the_log_end(tmp_path: Path) -> None:
    """Asked for a length the log already has (or passed), it writes nothing."""
    path = tmp_path / "end.coprod"
    opened = _in_wal_with_one_note(path)
    with open(str(path) + "-wal", "rb") as log:
        before = log.read()
    assert opened.lengthen_wal(len(before) // 2) is False  # shorter: left alone
    assert opened.lengthen_wal(len(before)) is True
    with open(str(path) + "-wal", "rb") as log:
        assert log.read() == before
    assert opened.lengthen_wal(len(before) + 10_000) is True
    with open(str(path) + "-wal", "rb") as log:
        assert log.read() == before + bytes(10_000)
    opened.sync_beside = False
    opened.close()
    with SessionFile.open(path, read_only=True) as check:
        assert [note.id for note in check.load().notes] == ["n001"]


def test_zeros_are_written_a_piece_at_a_time_under_the_writing_lock(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Each piece is written holding `writing` (so no commit writes the log meanwhile) and is
    small (so a commit waits for one piece at most, not for the whole step)."""
    path = tmp_path / "pieces.coprod"
    opened = _in_wal_with_one_note(path)
    start = opened.wal_size()
    assert start > 0
    pieces: list[tuple[int, bool]] = []
    real_pwrite = os.pwrite

    def pwrite(fd: int, data: bytes, offset: int) -> int:
        pieces.append((len(data), opened.writing.locked()))
        return real_pwrite(fd, data, offset)

    monkeypatch.setattr(os, "pwrite", pwrite)
    assert opened.lengthen_wal(start + 1024 * 1024)
    monkeypatch.undo()
    assert sum(size for size, _ in pieces) == 1024 * 1024
    assert all(locked for _, locked in pieces)
    assert max(size for size, _ in pieces) <= 256 * 1024
    assert len(pieces) >= 4
    assert opened.wal_size() == start + 1024 * 1024
    opened.sync_beside = False
    opened.close()


def test_the_zeros_wait_for_a_pause_unless_the_log_is_nearly_at_them(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With room left, the next step is put off to a pause between edits (so no commit's sync
    waits behind it); with almost none left (the first commit, edits that never pause), it is
    taken at once after the sync."""
    monkeypatch.setattr(walsync, "LOG_STEP_BYTES", 128 * 1024)
    monkeypatch.setattr(walsync, "LOG_AHEAD_BYTES", 96 * 1024)
    monkeypatch.setattr(walsync, "LOG_LOW_BYTES", 16 * 1024)
    monkeypatch.setattr(walsync, "QUIET_SECONDS", 0.5)
    path = tmp_path / "pause.coprod"
    SessionFile.create(path, Session()).close()
    opened = SessionFile.open(path)
    syncer = WalSyncer(opened, lambda number, error: None)
    syncer.wait(opened.write([_note(0)]))
    assert _until(lambda: opened.wal_size() >= 96 * 1024)  # at once (LOG_AHEAD_BYTES): no room at all
    first = opened.wal_size()
    i = 1
    while True:  # commits until fewer than LOG_AHEAD_BYTES are left, but more than LOG_LOW_BYTES
        syncer.wait(opened.write([_note(i)]))
        i += 1
        used = opened.wal_used()
        assert used is not None
        if first - used < 96 * 1024:
            break
    assert first - used >= 16 * 1024
    assert _until(lambda: syncer._lengthen, 2)  # put off to the pause
    assert opened.wal_size() == first  # not yet: no pause has come
    assert _until(lambda: opened.wal_size() > first, 5)  # the pause came
    assert opened.wal_size() == max(first, used) + 128 * 1024
    syncer.stop()
    opened.close()
    with SessionFile.open(path, read_only=True) as check:
        assert len(check.load().notes) == i
