"""Secret means secret in the session file: who voted is kept apart from what was chosen,
with nothing that orders or links them, and files from version 1 are unlinked on opening."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coprod_desktop.domain.changes import apply_changes
from coprod_desktop.domain.model import (
    BallotCast,
    BallotCount,
    Participant,
    RoleGroup,
    Session,
    Vote,
    VotingMode,
    replace,
)
from coprod_desktop.domain.voting import Ballot, cell_question, tally
from coprod_desktop.storage.schema import _VERSION_1, APPLICATION_ID, SCHEMA_VERSION
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template

PEOPLE = (
    ("voter-aaaa", RoleGroup.USES_SERVICES),
    ("voter-bbbb", RoleGroup.CARER),
    ("voter-cccc", RoleGroup.MANAGER),
    ("voter-dddd", RoleGroup.RESEARCHER),
)
CHOICES = {"voter-aaaa": "0", "voter-bbbb": "4", "voter-cccc": "2", "voter-dddd": "3"}


def secret_session() -> Session:
    session = load_builtin_template()
    for index, (pid, role) in enumerate(PEOPLE):
        session.put(Participant(id=pid, name=pid.upper(), role=role, position=index))
    session.put(replace(session.matrix, mode=VotingMode.SECRET))
    return session


def questions(session: Session) -> list[str]:
    return [cell_question(c.id, s.id) for c in session.criteria[:2] for s in session.stages]


def vote_in_order(path: Path, order: list[str], start: Session | None = None) -> None:
    """Each voter in `order` takes the laptop and rates every box of two rows, then seals."""
    file = SessionFile.create(path, start or secret_session())
    try:
        session = file.load()
        for voter in order:
            ballot = Ballot.open(session, VotingMode.SECRET, voter)
            for question in questions(session):
                changes = ballot.cast(session, question, CHOICES[voter])
                file.write(changes)
                apply_changes(session, changes)
            ballot.seal()
    finally:
        file.close()


def rows_of_every_table(path: Path) -> list[tuple[str, tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        found = []
        for table in tables:
            found += [(table, tuple(row)) for row in conn.execute(f'SELECT * FROM "{table}"')]
        return found
    finally:
        conn.close()


def test_no_row_anywhere_ties_a_voter_to_a_choice(tmp_path: Path) -> None:
    path = tmp_path / "secret.coprod"
    vote_in_order(path, [pid for pid, _ in PEOPLE])
    for table, row in rows_of_every_table(path):
        for pid in CHOICES:
            if pid in row:
                assert table in {"participant", "ballot_cast", "card"}, (table, row)
                assert table != "ballot_cast" or len(row) == 2  # question and person, no choice
    with SessionFile.open(path, read_only=True) as file:
        saved = file.load()
    assert saved.count(Vote) == 0
    first = questions(saved)[0]
    assert tally(saved, first) == {"0": 1, "4": 1, "2": 1, "3": 1}
    assert {c.participant_id for c in saved.on_question(BallotCast, first)} == set(CHOICES)


def test_the_file_is_the_same_whatever_order_people_voted_in(tmp_path: Path) -> None:
    """Nothing in the file orders the ballots: two rooms that voted alike in another order
    leave byte-identical files, so no row's place can say who voted last."""
    forwards = tmp_path / "forwards.coprod"
    backwards = tmp_path / "backwards.coprod"
    voters = [pid for pid, _ in PEOPLE]
    start = secret_session()  # one set of ids for both rooms
    vote_in_order(forwards, voters, start)
    vote_in_order(backwards, list(reversed(voters)), start)
    assert _pages(forwards, "name IN ('ballot_cast', 'ballot_count')") == _pages(
        backwards, "name IN ('ballot_cast', 'ballot_count')"
    )
    # Every other page too, but for the migrations' own record of when they ran.
    everything = "name != '_sqlite_migrations'"
    assert _pages(forwards, everything) == _pages(backwards, everything)


def _pages(path: Path, where: str) -> list[bytes]:
    """The raw bytes of the pages of the tables and indexes `where` picks (SQLite's dbstat)."""
    conn = sqlite3.connect(path)
    try:
        try:
            pages = conn.execute(
                f"SELECT name, pageno FROM dbstat WHERE {where} ORDER BY name, path"
            ).fetchall()
        except sqlite3.OperationalError:
            pytest.skip("this SQLite has no dbstat table")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    data = path.read_bytes()
    return [data[(page - 1) * size : page * size] for _, page in pages]


def _version_1_file(path: Path) -> None:
    """A session file as version 1 wrote it: secret ratings kept with the voter's id."""
    conn = sqlite3.connect(path)
    for statement in _VERSION_1.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(
        "CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT, name TEXT, "
        "applied_at TEXT)"
    )
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('coprod-desktop', '0001_initial', '2026-11-01')"
    )
    conn.execute("INSERT INTO info VALUES (1, 'Old secret', '', '', '', '', '')")
    conn.execute("INSERT INTO progress VALUES (1, '')")
    conn.execute('INSERT INTO matrix VALUES (1, \'secret\', \'["a","b","c","d","e"]\', \'\', \'\')')
    conn.execute("INSERT INTO canvas VALUES (1, 'plan_deliver', 0)")
    conn.execute("INSERT INTO criterion VALUES ('crit-one', 'One', '', 0)")
    conn.execute("INSERT INTO stage VALUES ('stage-one', 'Plan', '', 0)")
    for index, (pid, role) in enumerate(PEOPLE):
        conn.execute("INSERT INTO participant VALUES (?, ?, ?, ?)", (pid, pid.upper(), role.value, index))
        conn.execute("INSERT INTO vote VALUES (?, ?, ?)", ("cell/crit-one/stage-one", pid, CHOICES[pid]))
    conn.execute("INSERT INTO vote VALUES ('scenario/s1', 'voter-aaaa', 'co-design')")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def test_a_version_1_file_has_its_secret_ratings_unlinked_on_opening(tmp_path: Path) -> None:
    path = tmp_path / "old.coprod"
    _version_1_file(path)
    question = "cell/crit-one/stage-one"
    # The old rows hold question, person and choice side by side in one record.
    linked = [f"{question}{pid}{choice}".encode() for pid, choice in CHOICES.items()]
    assert all(record in path.read_bytes() for record in linked)
    with SessionFile.open(path) as file:
        assert file.version() == SCHEMA_VERSION  # every migration ran
        session = file.load()
    assert session.on_question(Vote, question) == []
    assert {c.participant_id for c in session.on_question(BallotCast, question)} == set(CHOICES)
    assert tally(session, question) == {"0": 1, "4": 1, "2": 1, "3": 1}
    # Counted with no side: a side's count could give away someone alone on their side.
    assert {(c.side.value, c.choice, c.count) for c in session.on_question(BallotCount, question)} == {
        ("other", "0", 1),
        ("other", "4", 1),
        ("other", "2", 1),
        ("other", "3", 1),
    }
    # A scenario vote was never secret: it keeps its name.
    assert session.get(Vote, ("scenario/s1", "voter-aaaa")) is not None
    # secure_delete: the deleted records left no trace in the file's free space.
    data = path.read_bytes()
    assert not any(record in data for record in linked)


def test_a_version_1_json_export_in_secret_mode_is_unlinked_on_import() -> None:
    from coprod_desktop.storage.interchange import session_from_dict, session_to_dict

    session = secret_session()
    question = questions(session)[0]
    for pid, choice in CHOICES.items():
        session.put(Vote(question, pid, choice))
    document = session_to_dict(session)
    document["format_version"] = 1
    del document["ballots_cast"], document["ballot_counts"]
    imported = session_from_dict(document)
    assert imported.on_question(Vote, question) == []
    assert len(imported.on_question(BallotCast, question)) == 4
    assert tally(imported, question) == tally(session, question)
