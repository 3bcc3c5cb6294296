"""A file that is refused keeps its exact bytes, and an upgrade is all or nothing."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlite_utils.migrations import Migrations

from coprod_desktop.domain.errors import SessionFileError
from coprod_desktop.storage import sessionfile
from coprod_desktop.storage.schema import APPLICATION_ID, migrations
from coprod_desktop.storage.sessionfile import SessionFile

from .test_sessionfile import age, fingerprint


def _version_zero_with_a_clashing_table(path: Path) -> None:
    """Marked as ours at version 0, but already holding a table the first migration makes."""
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE info (something TEXT)")
    conn.commit()
    conn.close()


def _older_with_a_bad_value(path: Path) -> None:
    SessionFile.create(path, sessionfile.Session()).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE matrix SET mode = 'by lottery'")
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()


def _wal_with_a_bad_value(path: Path) -> None:
    SessionFile.create(path, sessionfile.Session()).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("UPDATE matrix SET mode = 'by lottery'")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("read_only", [False, True], ids=["read-write", "read-only"])
@pytest.mark.parametrize(
    ("make", "problem"),
    [
        pytest.param(_version_zero_with_a_clashing_table, "could not be brought up", id="clashing-v0"),
        pytest.param(_older_with_a_bad_value, "'mode' has an unexpected value", id="older-bad-value"),
        pytest.param(_wal_with_a_bad_value, "'mode' has an unexpected value", id="wal-bad-value"),
    ],
)
def test_a_refused_file_keeps_its_exact_bytes(
    tmp_path: Path, make: Callable[[Path], None], problem: str, read_only: bool
) -> None:
    path = tmp_path / "refused.coprod"
    make(path)
    age(path)
    before = fingerprint(path)
    with pytest.raises(SessionFileError, match=problem):
        SessionFile.open(path, read_only=read_only)
    assert fingerprint(path) == before
    assert [p.name for p in tmp_path.iterdir()] == ["refused.coprod"]


def _failing_set() -> Migrations:
    registry = Migrations("coprod-desktop")
    for migration in migrations()._migrations:
        registry(name=migration.name)(migration.fn)

    def _breaks_half_way(db: object) -> None:
        raise sqlite3.OperationalError("a migration that fails half way")

    registry(name="9999_breaks")(_breaks_half_way)
    return registry


def test_a_failing_migration_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.coprod"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.commit()
    conn.close()
    shutil.copyfile(path, tmp_path / "before.coprod")
    monkeypatch.setattr(sessionfile, "migrations", _failing_set)
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(SessionFileError, match="could not be brought up"):
            sessionfile._migrate(conn, path.name)
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
        assert tables == []  # not the first migration's tables, not the migrations table
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    finally:
        conn.close()
    assert path.read_bytes() == (tmp_path / "before.coprod").read_bytes()
    with pytest.raises(SessionFileError, match="could not be brought up"):
        SessionFile.open(path)
    assert path.read_bytes() == (tmp_path / "before.coprod").read_bytes()
