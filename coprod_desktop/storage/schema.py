"""The session file's schema and its history of migrations.

Each migration is written out in full and never edited once released, so a
file from any earlier version upgrades the same way. `SCHEMA_VERSION` is the
number stored in `PRAGMA user_version` once every migration has run.
Singleton tables hold one row with `id = 1`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

# "CoPr" in ASCII: marks a SQLite file as a coprod-desktop session.
APPLICATION_ID = 0x436F5072
SCHEMA_VERSION = 5

# Tables that a file of an earlier version does not have yet, by the version that adds them.
ADDED_IN: dict[str, int] = {
    "action_review": 2,
    "ballot_cast": 3,
    "ballot_count": 3,
    "waiting_note": 5,
}
# Tables rewritten in key order after every change to them, so that where a row sits in the
# file says nothing about when it was written (see SessionFile.write).
KEY_ORDERED = {"ballot_cast": ("question", "participant_id"), "ballot_count": ("question", "side", "choice")}


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


# --- 0002: stable keys, the session's own key, reviews of earlier actions -------------

# The keys of the default template's items as released with version 2, by title (and, for
# steps, kind). Frozen here rather than read from resources/templates/default.toml, so a
# later edit of the template never changes how an old file upgrades.
_DEFAULT_STEP_KEYS: dict[tuple[str, str], str] = {
    ("welcome", "Welcome"): "welcome",
    ("definition", "What is co-production?"): "define-co-production",
    ("definition", "Collaboration: how is it different?"): "define-collaboration",
    ("definition", "Co-design and experience-led design"): "define-co-design",
    ("definition", "Co-creation: a word with many uses"): "define-co-creation",
    ("definition", "User-created services"): "define-user-created",
    ("ladder", "The ladder of co-production"): "ladder",
    ("scenarios", "Which is it?"): "which-is-it",
    ("matrix", "How do we work now?"): "matrix",
    ("canvas", "Who holds the power?"): "canvas",
    ("readiness", "Should we co-produce?"): "readiness",
    ("actions", "What will we do?"): "actions",
    ("summary", "What we found"): "summary",
    ("references", "Where these ideas come from"): "references",
}
_DEFAULT_KEYS: dict[str, dict[str, str]] = {
    "criterion": {
        "Shared responsibility": "shared-responsibility",
        "Equal relationship throughout": "equal-relationship",
        "Shared decision-making": "shared-decisions",
        "All perspectives and skills": "all-perspectives",
        "Everyone's knowledge valued": "knowledge-valued",
        "Reciprocity": "reciprocity",
    },
    "stage": {
        "Plan and commission": "plan-commission",
        "Design": "design",
        "Deliver": "deliver",
        "Assess": "assess",
    },
    "scenario": {
        "The carers' Tuesday café": "carers-cafe",
        "A new hospital discharge leaflet": "discharge-leaflet",
        "Research with people who know": "research-psychosis",
        "Tackling damp in tenants' homes": "damp-homes",
        "Members invent a new class": "members-class",
        "Booking a bulky-waste collection": "bulky-waste",
        "A mural at the day centre": "day-centre-mural",
        "The youth club committee": "youth-committee",
        "The summer reading challenge": "summer-reading",
    },
    "readiness_item": {
        "Time": "time",
        "Resources": "resources",
        "Support from leaders": "leaders-support",
        "Equal footing": "equal-footing",
        "Willingness to share power": "share-power",
        "Willingness to share responsibility": "share-responsibility",
    },
}
KEYED_TABLES = ("step", "criterion", "stage", "scenario", "readiness_item")
_KEY_LIMIT = 40


def _slug(title: str) -> str:
    # A copy of domain.template.key_from_title as it was in version 2, frozen with the migration.
    words = "".join(ch if ch.isalnum() else " " for ch in title.casefold()).split()
    return "-".join(words)[:_KEY_LIMIT].strip("-") or "item"


def version_1_keys(table: str, rows: Sequence[tuple[str, str]], taken: set[str] | None = None) -> list[str]:
    """Stable keys for the rows of a session made before keys existed.

    `rows` are (title, step kind or "") in display order. A title of the default
    template gets that template's key; any other row gets a key made from its title,
    so two old sessions of one home-made template still line up. A key already used
    in the table (or in `taken`) gets a number after it, so keys stay unique within
    one session.
    """
    known = _DEFAULT_KEYS.get(table, {})
    taken = set() if taken is None else taken
    keys: list[str] = []
    for title, kind in rows:
        base = _DEFAULT_STEP_KEYS.get((kind, title)) if table == "step" else known.get(title)
        base = base or _slug(title)
        key, number = base, 1
        while key in taken:
            number += 1
            key = f"{base[: _KEY_LIMIT - len(str(number)) - 1]}-{number}"
        taken.add(key)
        keys.append(key)
    return keys


def _stable_keys(db: Database) -> None:
    for table in KEYED_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN key TEXT NOT NULL DEFAULT ''")
        kind = "kind" if table == "step" else "''"
        rows = db.execute(f"SELECT id, title, {kind} FROM {table} ORDER BY position, id").fetchall()
        keys = version_1_keys(table, [(title, kind_value) for _, title, kind_value in rows])
        for (ident, _, _), key in zip(rows, keys, strict=True):
            db.execute(f"UPDATE {table} SET key = ? WHERE id = ?", [key, ident])
    db.execute("ALTER TABLE info ADD COLUMN session_key TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE info ADD COLUMN follows TEXT NOT NULL DEFAULT ''")
    # An upgraded file gets its own key now; a new file is given one by the app when made.
    db.execute("UPDATE info SET session_key = ? WHERE session_key = ''", [os.urandom(6).hex()])
    db.execute(
        """CREATE TABLE action_review (
            id TEXT PRIMARY KEY, what TEXT NOT NULL, who TEXT NOT NULL, due TEXT NOT NULL,
            status TEXT, note TEXT NOT NULL, position INTEGER NOT NULL
        )"""
    )


# Secret ballots: who has voted is kept apart from what was chosen, with nothing that
# orders or links them (WITHOUT ROWID: rows sit in key order, not in the order cast).
_SECRET_BALLOTS = """
CREATE TABLE ballot_cast (
    question TEXT NOT NULL, participant_id TEXT NOT NULL,
    PRIMARY KEY (question, participant_id)
) WITHOUT ROWID;
CREATE TABLE ballot_count (
    question TEXT NOT NULL, side TEXT NOT NULL, choice TEXT NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (question, side, choice)
) WITHOUT ROWID;
"""

# A version-1 file kept secret-ballot ratings as named votes. Its matrix cannot tell which
# ratings were cast in secret, so when the matrix is in secret mode every rating in it is
# unlinked: the person is kept as "has voted", the choice as a count with no side.
_UNLINK_SECRET_VOTES = """
INSERT INTO ballot_cast (question, participant_id)
    SELECT question, participant_id FROM vote
    WHERE question LIKE 'cell/%' AND (SELECT mode FROM matrix WHERE id = 1) = 'secret'
    ORDER BY question, participant_id;
INSERT INTO ballot_count (question, side, choice, count)
    SELECT vote.question,
           'other' AS side,  -- no side: a side's count could give a lone voter away
           vote.choice, COUNT(*)
    FROM vote LEFT JOIN participant ON participant.id = vote.participant_id
    WHERE vote.question LIKE 'cell/%' AND (SELECT mode FROM matrix WHERE id = 1) = 'secret'
    GROUP BY vote.question, side, vote.choice
    ORDER BY vote.question, side, vote.choice;
DELETE FROM vote
    WHERE question LIKE 'cell/%' AND (SELECT mode FROM matrix WHERE id = 1) = 'secret';
"""


def _statements(script: str) -> list[str]:
    return [statement for statement in script.split(";") if statement.strip()]


def _language(db: Database) -> None:
    """Each session records its workshop language; an older one is British English ('')."""
    db.execute("ALTER TABLE info ADD COLUMN language TEXT NOT NULL DEFAULT ''")


def _secret_ballots(db: Database) -> None:
    db.execute("PRAGMA secure_delete = ON")  # the deleted named ratings leave no trace
    for statement in _statements(_SECRET_BALLOTS) + _statements(_UNLINK_SECRET_VOTES):
        db.execute(statement)


def _waiting_notes(db: Database) -> None:
    """Notes sent from phones wait in the file until the facilitator keeps or dismisses them,
    so a crash or a restart does not lose them. Only the note's words and its place in the
    queue are kept: not the phone, not when it was sent. Not a domain entity: a waiting note
    is not part of the workshop (nor of its exports) until it is kept."""
    db.execute(
        "CREATE TABLE waiting_note (id TEXT PRIMARY KEY, text TEXT NOT NULL, position INTEGER NOT NULL)"
    )


@cache
def migrations() -> Migrations:
    """Every migration, in order. sqlite-utils is imported only when a file is
    created or upgraded, so opening a current file does not pay for it."""
    from sqlite_utils.migrations import Migrations

    registry = Migrations("coprod-desktop")
    registry(name="0001_initial")(_initial)
    registry(name="0002_stable_keys")(_stable_keys)
    registry(name="0003_secret_ballots")(_secret_ballots)
    registry(name="0004_language")(_language)
    registry(name="0005_waiting_notes")(_waiting_notes)
    return registry
