"""Reading a session file as counts gives what combining a loaded session gives."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coprod_desktop.domain.combine import combine, group_counts
from coprod_desktop.domain.errors import SessionFileError
from coprod_desktop.domain.model import BallotCast, BallotCount, Reveal, Side, Tally, Vote
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.domain.voting import cell_question
from coprod_desktop.report.changes_json import combined_to_dict
from coprod_desktop.storage.counts import read_counts
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template


def _with_secret_ballots(seed: int, per_side: int):  # type: ignore[no-untyped-def]
    """The sample, with one box rated by secret ballot: `per_side` ballots for each side."""
    session = build_sample(load_builtin_template(), seed=seed)
    criterion, stage = session.criteria[2], session.stages[3]
    question = cell_question(criterion.id, stage.id)
    for vote in [v for v in session.votes if v.question == question]:
        session.remove(Vote, vote.ident)
    people = session.participants
    for person in people[:6]:
        session.put(BallotCast(question, person.id))
    session.put(BallotCount(question, Side.LIVED, "1", per_side))
    session.put(BallotCount(question, Side.STAFF, "3", per_side))
    session.put(Reveal(question))
    return session, question


@pytest.mark.parametrize("per_side", [3, 2], ids=["sides-shown", "sides-withheld"])
def test_read_counts_equals_the_counts_of_the_loaded_session(tmp_path: Path, per_side: int) -> None:
    session, question = _with_secret_ballots(5, per_side)
    path = tmp_path / "group.coprod"
    SessionFile.create(path, session).close()
    with SessionFile.open(path, read_only=True) as opened:
        loaded = opened.load()
    direct, read = group_counts(loaded), read_counts(path)
    assert read.people == direct.people == 12
    assert read.session.count(Vote) == 0  # no named vote is read at all
    assert read.session.criteria == loaded.criteria
    assert read.session.reveals == loaded.reveals
    assert set(read.roles) == set(direct.roles)
    for key, sums in direct.roles.items():
        assert read.roles[key] == pytest.approx(sums), key
    # Named votes come back as counted hands; the secret ballots as they are.
    assert sum(t.count for t in read.session.on_question(Tally, question)) == 0
    assert sum(b.count for b in read.session.on_question(BallotCount, question)) == 2 * per_side
    if per_side < 3:
        assert question not in read.roles  # withheld, as on the group's own screen


def test_combining_files_read_as_counts_equals_combining_loaded_sessions(tmp_path: Path) -> None:
    paths, sessions = [], []
    for number in range(3):
        session, _ = _with_secret_ballots(40 + number, 3 + number % 2)
        path = tmp_path / f"g{number}.coprod"
        SessionFile.create(path, session).close()
        with SessionFile.open(path, read_only=True) as opened:
            sessions.append(opened.load())
        paths.append(path)
    names = [p.name for p in paths]
    from_sessions = combined_to_dict(combine(sessions, names=names))
    from_counts = combined_to_dict(combine([read_counts(p) for p in paths], names=names))
    assert _close(from_counts, from_sessions)


def _close(one: object, two: object) -> bool:
    if isinstance(one, dict) and isinstance(two, dict):
        assert one.keys() == two.keys()
        return all(_close(one[k], two[k]) for k in one)
    if isinstance(one, list) and isinstance(two, list):
        assert len(one) == len(two)
        return all(_close(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, float) and isinstance(two, float):
        assert one == pytest.approx(two)
        return True
    assert one == two
    return True


def test_a_damaged_vote_is_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "bad.coprod"
    SessionFile.create(path, build_sample(load_builtin_template())).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE participant SET role = 'king' WHERE id = 'p00'")
    conn.commit()
    conn.close()
    with pytest.raises(SessionFileError, match="holds something this version cannot read"):
        read_counts(path)


def test_a_file_that_is_not_a_session_is_refused_as_on_opening(tmp_path: Path) -> None:
    path = tmp_path / "notes.coprod"
    path.write_text("not a database", encoding="utf-8")
    with pytest.raises(SessionFileError, match="not a coprod-desktop session file"):
        read_counts(path)


def test_a_file_from_the_version_before_reads_as_the_same_counts_and_is_left_as_it_was(tmp_path: Path) -> None:
    session, _question = _with_secret_ballots(7, 3)
    current, older = tmp_path / "current.coprod", tmp_path / "older.coprod"
    SessionFile.create(current, session).close()
    SessionFile.create(older, session).close()
    # Make `older` a file of version 4: what the app wrote before waiting notes were kept.
    conn = sqlite3.connect(older)
    conn.execute("DROP TABLE waiting_note")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0005_waiting_notes'")
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    before = older.read_bytes()
    mine, theirs = read_counts(current), read_counts(older)
    assert theirs.people == mine.people
    assert theirs.roles == mine.roles
    assert theirs.session.tallies == mine.session.tallies
    assert theirs.session.items(BallotCount) == mine.session.items(BallotCount)
    assert older.read_bytes() == before  # read, never upgraded in place
