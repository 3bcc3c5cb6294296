"""The session file's schema and its history of migrations.

Each migration is written out in full and never edited once released, so a
file from any earlier version upgrades the same way. `SCHEMA_VERSION` is the
number stored in `PRAGMA user_version` once every migration has run.
Singleton tables hold one row with `id = 1`.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

# "CoPr" in ASCII: marks a SQLite file as a coprod-desktop session.
APPLICATION_ID = 0x436F5072
SCHEMA_VERSION = 1


_VERSION_1 = """
CREATE TABLE info (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    title TEXT NOT NULL, date TEXT NOT NULL, place TEXT NOT NULL,
    facilitator TEXT NOT NULL, purpose TEXT NOT NULL, template TEXT NOT NULL
);
CREATE TABLE progress (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    current_step_id TEXT NOT NULL
);
CREATE TABLE matrix (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    mode TEXT NOT NULL, scale TEXT NOT NULL,
    agreed_rung TEXT NOT NULL, agreed_reason TEXT NOT NULL
);
CREATE TABLE canvas (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    background TEXT NOT NULL, snap INTEGER NOT NULL
);
CREATE TABLE participant (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, position INTEGER NOT NULL
);
CREATE TABLE step (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL,
    notes TEXT NOT NULL, minutes INTEGER NOT NULL, hidden INTEGER NOT NULL,
    term TEXT NOT NULL, position INTEGER NOT NULL
);
CREATE TABLE term (
    key TEXT PRIMARY KEY, name TEXT NOT NULL, what TEXT NOT NULL, what_not TEXT NOT NULL,
    differs TEXT NOT NULL, example TEXT NOT NULL, rung TEXT NOT NULL, position INTEGER NOT NULL
);
CREATE TABLE criterion (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL, position INTEGER NOT NULL
);
CREATE TABLE stage (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL, position INTEGER NOT NULL
);
CREATE TABLE scenario (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, answer TEXT NOT NULL,
    explanation TEXT NOT NULL, position INTEGER NOT NULL
);
CREATE TABLE readiness_item (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL, position INTEGER NOT NULL
);
CREATE TABLE vote (
    question TEXT NOT NULL, participant_id TEXT NOT NULL, choice TEXT NOT NULL,
    PRIMARY KEY (question, participant_id)
);
CREATE TABLE tally (
    question TEXT NOT NULL, choice TEXT NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (question, choice)
);
CREATE TABLE reveal (
    question TEXT PRIMARY KEY
);
CREATE TABLE card (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, text TEXT NOT NULL, role TEXT,
    participant_id TEXT NOT NULL,
    now_x REAL, now_y REAL, aspiration_x REAL, aspiration_y REAL,
    position INTEGER NOT NULL
);
CREATE TABLE action (
    id TEXT PRIMARY KEY, what TEXT NOT NULL, who TEXT NOT NULL, due TEXT NOT NULL,
    link TEXT NOT NULL, done INTEGER NOT NULL, position INTEGER NOT NULL
);
CREATE TABLE note (
    id TEXT PRIMARY KEY, text TEXT NOT NULL, step_id TEXT NOT NULL, position INTEGER NOT NULL
);
"""


def _initial(db: Database) -> None:
    for statement in _VERSION_1.split(";"):
        if statement.strip():
            db.execute(statement)


@cache
def migrations() -> Migrations:
    """Every migration, in order. sqlite-utils is imported only when a file is
    created or upgraded, so opening a current file does not pay for it."""
    from sqlite_utils.migrations import Migrations

    registry = Migrations("coprod-desktop")
    registry(name="0001_initial")(_initial)
    return registry
