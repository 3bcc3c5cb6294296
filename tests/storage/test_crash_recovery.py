"""After a crash inside a commit: check, export and the app all read the last
committed session, and the readers leave the user's files exactly as they were."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coprod_desktop.app import main
from coprod_desktop.domain.model import Note, Session, WorkshopInfo
from coprod_desktop.storage.interchange import session_from_json
from coprod_desktop.storage.sessionfile import Change, SessionFile

REPO = Path(__file__).resolve().parents[2]

# Starts a big write with a one-page cache, so SQLite has to write changed pages
# into the file before the commit, then dies: the file holds half a transaction
# and the journal beside it is hot.
CRASH_INSIDE_A_COMMIT = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size=1")
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE info SET title = 'half written'")
for number in range(400):
    conn.execute("INSERT INTO note VALUES (?, ?, '', ?)", (f"lost-{number}", "x" * 2000, number))
os._exit(9)
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def crashed_session(folder: Path, *, wal: bool = False) -> Path:
    path = folder / "crashed.coprod"
    session = Session(info=WorkshopInfo(title="Committed before the crash"))
    with SessionFile.create(path, session) as opened:
        opened.write([Change(None, Note(id="kept", text="committed"))])
    if wal:
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.close()
    subprocess.run([sys.executable, "-c", CRASH_INSIDE_A_COMMIT, str(path)], check=False, timeout=60)
    sidecar = path.with_name(path.name + ("-wal" if wal else "-journal"))
    assert sidecar.stat().st_size > 0, "the crash should leave a journal"
    return path


def snapshot(folder: Path) -> dict[str, str]:
    return {item.name: digest(item) for item in sorted(folder.iterdir())}


def assert_last_commit(session: Session) -> None:
    assert session.info.title == "Committed before the crash"
    assert session.get(Note, "kept") is not None
    assert session.get(Note, "lost-0") is None


@pytest.mark.parametrize("wal", [False, True], ids=["hot-journal", "wal"])
def test_check_after_a_crash_inside_a_commit_calls_the_file_sound_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], wal: bool
) -> None:
    path = crashed_session(tmp_path, wal=wal)
    before = snapshot(tmp_path)
    assert main(["check", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "is a sound coprod-desktop session" in out
    assert "Committed before the crash" in out
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("wal", [False, True], ids=["hot-journal", "wal"])
def test_export_after_a_crash_inside_a_commit_writes_the_last_commit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], wal: bool
) -> None:
    folder = tmp_path / "session"
    folder.mkdir()
    path = crashed_session(folder, wal=wal)
    before = snapshot(folder)
    out = tmp_path / "out.json"
    assert main(["export", str(path), "--json", str(out)]) == 0, capsys.readouterr().err
    assert_last_commit(session_from_json(out.read_text(encoding="utf-8")))
    assert snapshot(folder) == before


def test_a_read_only_open_after_a_crash_reads_the_last_commit(tmp_path: Path) -> None:
    path = crashed_session(tmp_path)
    before = snapshot(tmp_path)
    with SessionFile.open(path, read_only=True) as opened:
        assert_last_commit(opened.load())
    assert snapshot(tmp_path) == before


def test_the_app_opens_a_crashed_file_whole_and_leaves_one_file(tmp_path: Path) -> None:
    path = crashed_session(tmp_path)
    with SessionFile.open(path) as opened:
        assert_last_commit(opened.load())
    assert [p.name for p in tmp_path.iterdir()] == ["crashed.coprod"]


def test_check_and_export_of_a_wal_mode_file_leave_nothing_beside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file left in WAL mode (closed cleanly: no -wal beside it) is read without leaving
    SQLite's -wal and -shm behind, as a file in the default journal mode is."""
    folder = tmp_path / "session"
    folder.mkdir()
    path = folder / "wal.coprod"
    assert main(["demo", str(path)]) == 0
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    conn.close()
    before = snapshot(folder)
    assert list(before) == ["wal.coprod"]
    assert main(["check", str(path)]) == 0
    assert main(["export", str(path), "--json", str(tmp_path / "out.json")]) == 0
    assert main(["export", str(path), "--pdf", str(tmp_path / "out.pdf")]) == 0
    capsys.readouterr()
    assert snapshot(folder) == before
