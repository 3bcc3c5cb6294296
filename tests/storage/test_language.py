"""The workshop language in the session file: migration 0004 and a round trip."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from coprod_desktop.domain.model import WorkshopInfo, replace
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.schema import SCHEMA_VERSION
from coprod_desktop.storage.sessionfile import SessionFile, read_header
from coprod_desktop.storage.templates import load_builtin_template


def test_a_welsh_session_keeps_its_language(tmp_path: Path) -> None:
    session = build_sample(load_builtin_template())
    session.put(replace(session.info, language="cy"))
    path = tmp_path / "cy.coprod"
    SessionFile.create(path, session).close()
    with SessionFile.open(path, read_only=True) as opened:
        assert opened.load().info.language == "cy"


def test_a_version_3_file_gains_an_empty_language(tmp_path: Path) -> None:
    session = build_sample(load_builtin_template())
    path = tmp_path / "v3.coprod"
    SessionFile.create(path, session).close()
    # Make it the file version 3 wrote: no language column, migration 0004 not run.
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE info DROP COLUMN language")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0004_language'")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    assert read_header(path).user_version == 3
    with SessionFile.open(path) as opened:
        loaded = opened.load()
    assert loaded.info == replace(session.info, language="")
    assert isinstance(loaded.info, WorkshopInfo)
    assert read_header(path).user_version == SCHEMA_VERSION == 5
