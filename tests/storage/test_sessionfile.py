"""The .coprod session file: round trips, SQLite settings, copies and every bad file."""

from __future__ import annotations

import enum
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import typing
from collections.abc import Callable
from dataclasses import MISSING, astuple, fields
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coprod_desktop.domain.changes import Change
from coprod_desktop.domain.errors import KnownError, SessionFileError
from coprod_desktop.domain.model import (
    COLLECTIONS,
    SCHEMA_ENTITIES,
    Action,
    ActionReview,
    ActionStatus,
    BallotCast,
    BallotCount,
    CanvasBackground,
    CanvasSettings,
    Card,
    CardKind,
    Criterion,
    Entity,
    MatrixSettings,
    Note,
    Participant,
    Progress,
    ReadinessItem,
    Reveal,
    RoleGroup,
    Scenario,
    Session,
    Side,
    Stage,
    Step,
    StepKind,
    Tally,
    Term,
    Vote,
    VotingMode,
    WorkshopInfo,
    replace,
)
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.lock import is_locked
from coprod_desktop.storage.schema import APPLICATION_ID, SCHEMA_VERSION
from coprod_desktop.storage.sessionfile import SessionFile, read_header
from coprod_desktop.storage.templates import load_builtin_template
from tests.domain.strategies import entities, sessions

STORAGE = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- test data ----------------------------------------------------------------------

EMOJI = "Family 👩‍👩‍👧‍👦, thumbs 👍🏽 and a flag 🏳️‍🌈"
ARABIC = "ورشة عمل: هل نحن ننتج معًا؟"
NUL = "before\x00after"
LONG = ("Ten thousand characters. " * 400)[:10_000]
MIXED = "Line one\nLine two\r\n\ttab, quote ' \" ; DROP TABLE note; -- é ß ğ ł ñ 中文 עברית"


def odd_session() -> Session:
    """One entity of every kind with every field set away from its default, in awkward text."""
    session = Session()
    session.put(
        WorkshopInfo(
            title=EMOJI,
            date="2026-11-19",
            place=ARABIC,
            facilitator=NUL,
            purpose=LONG,
            template=MIXED,
            session_key="sess-🙂",
            follows=NUL,
            language="cy",
        )
    )
    session.put(Progress(current_step_id="step-🙂"))
    session.put(
        MatrixSettings(
            mode=VotingMode.SECRET,
            scale=(ARABIC, EMOJI, NUL, "", LONG[:200]),
            agreed_rung="co-design",
            agreed_reason=MIXED,
        )
    )
    session.put(CanvasSettings(background=CanvasBackground.POWER_RESPONSIBILITY, snap=True))
    session.put(Participant(id="p-عربي", name=ARABIC, role=RoleGroup.CARER, position=-7))
    session.put(Participant(id="p-nul\x00", name=NUL, role=RoleGroup.RESEARCHER, position=2**31 - 1))
    session.put(
        Step(
            id="step-🙂",
            kind=StepKind.TEXT,
            title=EMOJI,
            body=LONG,
            notes=ARABIC,
            minutes=600,
            hidden=True,
            term="co-production",
            position=3,
            key=ARABIC,
        )
    )
    session.put(
        Term(
            key="co-production",
            name=ARABIC,
            what=EMOJI,
            what_not=NUL,
            differs=LONG,
            example=MIXED,
            rung="co-production",
            position=1,
        )
    )
    session.put(Criterion(id="crit", title=MIXED, description=LONG, position=5, key=EMOJI))
    session.put(Stage(id="stage", title=NUL, description=ARABIC, position=6, key=NUL))
    session.put(
        Scenario(
            id="scen",
            title=EMOJI,
            text=LONG,
            answer="co-production",
            explanation=ARABIC,
            position=7,
            key=MIXED,
        )
    )
    session.put(ReadinessItem(id="ready", title=ARABIC, description=NUL, position=8, key="time"))
    session.put(Vote(question=f"cell/crit/{ARABIC}", participant_id="p-عربي", choice=EMOJI))
    session.put(Tally(question=f"scenario/{NUL}", choice=MIXED, count=999))
    session.put(BallotCast(question=f"cell/{EMOJI}/{NUL}", participant_id="p-nul\x00"))
    session.put(BallotCount(question=f"cell/{EMOJI}/{NUL}", side=Side.STAFF, choice=ARABIC, count=7))
    session.put(Reveal(question=LONG[:1000]))
    session.put(
        Card(
            id="card-1",
            kind=CardKind.STAKEHOLDER,
            text=EMOJI,
            role=RoleGroup.COMMUNITY,
            participant_id="p-عربي",
            now_x=-12.5,
            now_y=1e-300,
            aspiration_x=1_000_000.0,
            aspiration_y=0.1 + 0.2,
            position=9,
        )
    )
    session.put(
        Card(
            id="card-2",
            kind=CardKind.DECISION,
            text=ARABIC,
            role=None,
            participant_id="",
            now_x=None,
            now_y=None,
            aspiration_x=None,
            aspiration_y=None,
            position=10,
        )
    )
    session.put(
        Action(id="act", what=LONG, who=ARABIC, due="soon 🙂", link="card:card-1", done=True, position=11)
    )
    session.put(Note(id="note", text=NUL + EMOJI + ARABIC, step_id="step-🙂", position=12))
    session.put(
        ActionReview(
            id="act", what=MIXED, who=EMOJI, due=NUL, status=ActionStatus.PARTLY, note=ARABIC, position=13
        )
    )
    return session


@pytest.fixture(scope="module")
def sample() -> Session:
    return build_sample(load_builtin_template())


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory, sample: Session) -> Path:
    """A valid session file, written once; tests copy it before touching it."""
    path = tmp_path_factory.mktemp("valid") / "sample.coprod"
    SessionFile.create(path, sample).close()
    return path


@pytest.fixture
def valid_copy(tmp_path: Path, sample_file: Path) -> Path:
    path = tmp_path / "workshop.coprod"
    shutil.copyfile(sample_file, path)
    return path


def reopen(path: Path, **kwargs: bool) -> Session:
    with SessionFile.open(path, **kwargs) as opened:
        return opened.load()


def assert_field_types(entity: Entity) -> None:
    """Each value has the Python type its field declares (a StrEnum compares equal to a str,
    so equality alone would not notice an enum read back as text)."""
    hints = typing.get_type_hints(type(entity))
    for f in fields(entity):
        value = getattr(entity, f.name)
        hint = hints[f.name]
        optional = typing.get_origin(hint) is not None and type(None) in typing.get_args(hint)
        if optional and value is None:
            continue
        base = next(a for a in typing.get_args(hint) if a is not type(None)) if optional else hint
        if typing.get_origin(base) is tuple:
            assert isinstance(value, tuple), f.name
            assert all(isinstance(v, str) for v in value), f.name
        elif base is int:
            assert type(value) is int, f.name
        else:
            assert type(value) is base, (type(entity).__name__, f.name, type(value))
            if isinstance(base, type) and issubclass(base, enum.Enum):
                assert isinstance(value, base)


def assert_same_session(loaded: Session, expected: Session) -> None:
    assert loaded.summary() == expected.summary()
    for got, want in zip(loaded.all_entities(), expected.all_entities(), strict=True):
        assert type(got) is type(want)
        assert astuple(got) == astuple(want), type(want).__name__
        assert_field_types(got)
    assert loaded == expected


def fingerprint(path: Path) -> tuple[str, int, int]:
    data = path.read_bytes()
    stat = path.stat()
    return hashlib.sha256(data).hexdigest(), stat.st_mtime_ns, stat.st_size


def age(path: Path) -> None:
    """Date the file back to 2001, so any write would visibly move its mtime."""
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))


def sidecars(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(("-journal", "-wal", "-shm", ".tmp")))


# --- every field survives close and reopen -----------------------------------------


def test_the_odd_session_sets_every_field_of_every_kind_away_from_its_default() -> None:
    session = odd_session()
    for cls in SCHEMA_ENTITIES:
        present = [e for e in session.all_entities() if type(e) is cls]
        assert present, cls.__name__
        for f in fields(cls):
            if f.default is MISSING:
                continue
            values = [getattr(e, f.name) for e in present]
            assert any(v != f.default for v in values), f"{cls.__name__}.{f.name} is only ever its default"


@pytest.mark.parametrize(
    "build", [odd_session, lambda: build_sample(load_builtin_template())], ids=["odd-text", "sample"]
)
def test_every_field_survives_create_close_open_load(tmp_path: Path, build: Callable[[], Session]) -> None:
    session = build()
    path = tmp_path / "round.coprod"
    SessionFile.create(path, session).close()
    assert_same_session(reopen(path), session)
    assert_same_session(reopen(path, read_only=True), session)


def test_the_loaded_session_keeps_nul_characters_and_long_text(tmp_path: Path) -> None:
    path = tmp_path / "odd.coprod"
    SessionFile.create(path, odd_session()).close()
    loaded = reopen(path)
    assert loaded.info.facilitator == NUL
    assert len(loaded.info.purpose) == 10_000
    assert loaded.get(Participant, "p-nul\x00") is not None
    assert loaded.get(Card, "card-2").now_x is None  # type: ignore[union-attr]
    assert loaded.get(Card, "card-1").aspiration_y == 0.1 + 0.2  # type: ignore[union-attr]


@STORAGE
@given(session=sessions())
def test_any_session_survives_the_file(tmp_path_factory: pytest.TempPathFactory, session: Session) -> None:
    path = tmp_path_factory.mktemp("any") / "any.coprod"
    SessionFile.create(path, session).close()
    assert_same_session(reopen(path), session)


# --- writing edits ------------------------------------------------------------------


def test_write_put_replace_and_remove_reach_the_file(tmp_path: Path) -> None:
    path = tmp_path / "edits.coprod"
    session = odd_session()
    with SessionFile.create(path, session) as opened:
        new_person = Participant(id="p-new", name="Zoë", role=RoleGroup.FRONTLINE, position=99)
        old_card = session.get(Card, "card-1")
        assert old_card is not None
        moved = replace(old_card, now_x=500.25, now_y=None, text="moved")
        old_vote = session.get(Vote, (f"cell/crit/{ARABIC}", "p-عربي"))
        changes = [
            Change(None, new_person),
            Change(old_card, moved),
            Change(old_vote, None),
            Change(session.info, replace(session.info, title="Renamed")),
            Change(session.canvas, replace(session.canvas, snap=False)),
        ]
        opened.write(changes)
        for change in changes:
            if change.new is None:
                assert change.old is not None
                session.remove(type(change.old), change.old.ident)
            else:
                session.put(change.new)
        assert opened.load() == session  # visible at once, before closing
    assert_same_session(reopen(path), session)


def test_an_empty_write_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty-write.coprod"
    session = odd_session()
    with SessionFile.create(path, session) as opened:
        opened.write([])
    assert reopen(path) == session


def test_change_kind_comes_from_the_new_or_the_old_value() -> None:
    note = Note(id="n", text="t")
    assert Change(None, note).kind is Note
    assert Change(note, None).kind is Note


_edits = st.lists(
    st.one_of(
        st.tuples(
            st.just("put"),
            st.sampled_from(COLLECTIONS).flatmap(lambda cls: entities(cls, st.text(max_size=8))),
        ),
        st.tuples(st.just("remove"), st.integers(0, 1000)),
    ),
    max_size=15,
)


@STORAGE
@given(start=sessions(max_per_kind=2), edits=_edits)
def test_any_sequence_of_writes_matches_the_same_edits_in_memory(
    tmp_path_factory: pytest.TempPathFactory, start: Session, edits: list[tuple[str, object]]
) -> None:
    path = tmp_path_factory.mktemp("edits") / "edits.coprod"
    with SessionFile.create(path, start) as opened:
        for op, value in edits:
            if op == "put":
                assert isinstance(value, Entity)
                change = Change(start.get(type(value), value.ident), value)
                start.put(value)
            else:
                present = [e for cls in COLLECTIONS for e in start.items(cls)]
                if not present:
                    continue
                victim = present[int(value) % len(present)]  # type: ignore[call-overload]
                change = Change(victim, None)
                start.remove(type(victim), victim.ident)
            opened.write([change])
    assert_same_session(reopen(path), start)


# --- SQLite settings ----------------------------------------------------------------


def test_the_file_is_marked_as_ours_with_the_schema_version(sample_file: Path) -> None:
    header = read_header(sample_file)
    assert header.is_sqlite
    assert header.application_id == APPLICATION_ID == 0x436F5072
    assert header.user_version == SCHEMA_VERSION
    conn = sqlite3.connect(f"{sample_file.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        conn.close()


def test_the_journal_is_delete_mode_with_extra_sync_and_nothing_is_left_beside_the_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.coprod"
    with SessionFile.create(path, odd_session()) as opened:
        assert opened._conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert opened._conn.execute("PRAGMA synchronous").fetchone()[0] == 3  # EXTRA
        opened.write([Change(None, Note(id="extra", text="edit"))])
        # Between edits the session is one self-contained file.
        assert sidecars(tmp_path) == []
        assert opened.version() == SCHEMA_VERSION
    assert sidecars(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.coprod"]
    # Bytes 18 and 19 of the header are 1 for a rollback journal and 2 for WAL.
    assert path.read_bytes()[18:20] == b"\x01\x01"


def test_the_file_has_one_table_per_entity_kind_with_one_column_per_field(sample_file: Path) -> None:
    conn = sqlite3.connect(f"{sample_file.as_uri()}?mode=ro", uri=True)
    try:
        for cls in SCHEMA_ENTITIES:
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({cls.KIND})")]
            expected = list(cls.field_names()) if cls.KEY else ["id", *cls.field_names()]
            assert columns == expected, cls.KIND
    finally:
        conn.close()


# --- copies -------------------------------------------------------------------------


def test_save_copy_writes_an_identical_session_and_stays_on_the_original(tmp_path: Path) -> None:
    original = tmp_path / "original.coprod"
    session = odd_session()
    with SessionFile.create(original, session) as opened:
        target = opened.save_copy(tmp_path / "copy.coprod")
        assert target == tmp_path / "copy.coprod"
        assert opened.path == original
        opened.write([Change(None, Note(id="after", text="only in the original"))])
        assert sidecars(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.coprod", "original.coprod"]
    assert_same_session(reopen(tmp_path / "copy.coprod"), session)
    assert read_header(tmp_path / "copy.coprod").application_id == APPLICATION_ID
    assert reopen(original).get(Note, "after") is not None


def test_save_copy_replaces_an_existing_file(tmp_path: Path) -> None:
    (tmp_path / "copy.coprod").write_text("old contents")
    with SessionFile.create(tmp_path / "a.coprod", odd_session()) as opened:
        opened.save_copy(tmp_path / "copy.coprod")
    assert reopen(tmp_path / "copy.coprod") == odd_session()
    assert sidecars(tmp_path) == []


def test_save_as_moves_to_the_new_file_and_releases_the_old_one(tmp_path: Path) -> None:
    original = tmp_path / "original.coprod"
    session = odd_session()
    first = SessionFile.create(original, session)
    second = first.save_as(tmp_path / "renamed.coprod")
    try:
        assert second.path == tmp_path / "renamed.coprod"
        assert not second.read_only
        assert_same_session(second.load(), session)
        second.write([Change(None, Note(id="later", text="only in the new file"))])
        assert is_locked(tmp_path / "renamed.coprod")
        assert not is_locked(original)
    finally:
        second.close()
    assert reopen(original) == session
    assert reopen(tmp_path / "renamed.coprod").get(Note, "later") is not None
    assert sidecars(tmp_path) == []


def test_save_copy_onto_the_open_file_itself_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "self.coprod"
    with SessionFile.create(path, odd_session()) as opened:
        before = fingerprint(path)
        with pytest.raises(SessionFileError, match="already open"):
            opened.save_copy(path)
        assert fingerprint(path) == before


def test_save_copy_onto_a_file_open_elsewhere_is_refused(tmp_path: Path) -> None:
    with (
        SessionFile.create(tmp_path / "a.coprod", odd_session()) as a,
        SessionFile.create(tmp_path / "b.coprod", Session()) as b,
    ):
        before = fingerprint(b.path)
        with pytest.raises(SessionFileError, match="another copy"):
            a.save_copy(b.path)
        assert fingerprint(b.path) == before


def test_save_copy_into_a_missing_folder_is_a_plain_error(tmp_path: Path) -> None:
    with (
        SessionFile.create(tmp_path / "a.coprod", odd_session()) as opened,
        pytest.raises(SessionFileError, match="Could not save a copy"),
    ):
        opened.save_copy(tmp_path / "no-such-folder" / "copy.coprod")


def test_create_replaces_an_existing_file_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "replace.coprod"
    path.write_bytes(b"whatever was here")
    SessionFile.create(path, odd_session()).close()
    assert reopen(path) == odd_session()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["replace.coprod"]


def test_create_over_a_file_open_elsewhere_is_refused(valid_copy: Path) -> None:
    with SessionFile.open(valid_copy):
        age(valid_copy)
        before = fingerprint(valid_copy)
        with pytest.raises(SessionFileError, match="another copy"):
            SessionFile.create(valid_copy, Session())
        assert fingerprint(valid_copy) == before


# --- bad files ----------------------------------------------------------------------


def _text(path: Path, valid: Path) -> None:
    path.write_text("Workshop notes\nThese are not a session.\n", encoding="utf-8")


def _empty(path: Path, valid: Path) -> None:
    path.write_bytes(b"")


def _png(path: Path, valid: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)


def _other_app(path: Path, valid: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ada', '123')")
    conn.commit()
    conn.close()
    assert read_header(path).application_id == 0


def _newer(path: Path, valid: Path) -> None:
    shutil.copyfile(valid, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()


def _table_root(path: Path, table: str) -> tuple[int, int]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    finally:
        conn.close()
    return page_size, root


def _garbage(path: Path, offset: int, length: int) -> None:
    with open(path, "r+b") as stream:
        stream.seek(offset)
        stream.write(bytes((0xF7 ^ (i * 37)) & 0xFF for i in range(length)))


def _damaged_page_header(path: Path, valid: Path) -> None:
    """Garbage over the b-tree header of the card table's page: the page type is wrong."""
    shutil.copyfile(valid, path)
    page_size, root = _table_root(path, "card")
    _garbage(path, (root - 1) * page_size, 12)


def _damaged_cell_pointers(path: Path, valid: Path) -> None:
    """Garbage inside the card table's page, over its cell pointers: rows point outside the page."""
    shutil.copyfile(valid, path)
    page_size, root = _table_root(path, "card")
    _garbage(path, (root - 1) * page_size + 8, 16)


def _truncated_to_pages(path: Path, valid: Path) -> None:
    shutil.copyfile(valid, path)
    page_size, _ = _table_root(path, "card")
    os.truncate(path, (path.stat().st_size // 2) // page_size * page_size)


def _truncated_mid_page(path: Path, valid: Path) -> None:
    shutil.copyfile(valid, path)
    os.truncate(path, path.stat().st_size // 2 + 123)


def _truncated_header(path: Path, valid: Path) -> None:
    path.write_bytes(valid.read_bytes()[:60])


def _bad_value(path: Path, valid: Path) -> None:
    shutil.copyfile(valid, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE participant SET role = 'king' WHERE id = 'p00'")
    conn.commit()
    conn.close()


def _missing_table(path: Path, valid: Path) -> None:
    shutil.copyfile(valid, path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE note")
    conn.commit()
    conn.close()


BAD_FILES = [
    pytest.param(_text, "not a SQLite database", id="text-file"),
    pytest.param(_empty, "not a SQLite database", id="empty-file"),
    pytest.param(_png, "not a SQLite database", id="png-image"),
    pytest.param(_other_app, "made by another program", id="other-apps-database"),
    pytest.param(_newer, "newer version of coprod-desktop (file version 99", id="newer-version"),
    pytest.param(_damaged_page_header, "damaged", id="damaged-page-header"),
    pytest.param(_damaged_cell_pointers, "damaged", id="damaged-cell-pointers"),
    pytest.param(_truncated_to_pages, "damaged", id="truncated-at-a-page"),
    pytest.param(_truncated_mid_page, "damaged", id="truncated-mid-page"),
    pytest.param(_truncated_header, "not a SQLite database", id="truncated-header"),
    pytest.param(_bad_value, "cannot read ('role' has an unexpected value 'king')", id="bad-value-in-a-row"),
    pytest.param(_missing_table, "parts of the session are missing (note)", id="missing-table"),
]


def assert_plain_sentence(message: str, name: str) -> None:
    assert name in message
    assert message[0].isupper() or message.startswith(name)
    assert message.endswith(".")
    assert "Traceback" not in message
    assert "\n" not in message, f"more than one line: {message!r}"


@pytest.mark.parametrize("read_only", [False, True], ids=["read-write", "read-only"])
@pytest.mark.parametrize(("make", "problem"), BAD_FILES)
def test_a_bad_file_is_refused_plainly_and_left_byte_for_byte(
    tmp_path: Path,
    sample_file: Path,
    make: Callable[[Path, Path], None],
    problem: str,
    read_only: bool,
) -> None:
    path = tmp_path / "bad.coprod"
    make(path, sample_file)
    age(path)
    before = fingerprint(path)
    with pytest.raises(SessionFileError) as caught:
        SessionFile.open(path, read_only=read_only)
    message = str(caught.value)
    assert problem in message
    assert fingerprint(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.coprod"]
    assert not is_locked(path)  # a failed open gives its lock back
    assert_plain_sentence(message, path.name)


def test_a_damaged_file_is_refused_even_if_its_message_is_long(tmp_path: Path, sample_file: Path) -> None:
    """The refusal itself holds for every kind of damage."""
    path = tmp_path / "bad.coprod"
    _damaged_cell_pointers(path, sample_file)
    age(path)
    before = fingerprint(path)
    for read_only in (False, True):
        with pytest.raises(SessionFileError, match=r"^bad\.coprod is damaged"):
            SessionFile.open(path, read_only=read_only)
    assert fingerprint(path) == before


def test_a_missing_file_is_a_plain_error(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.coprod"
    with pytest.raises(SessionFileError) as caught:
        SessionFile.open(path)
    assert_plain_sentence(str(caught.value), path.name)
    assert "There is no file" in str(caught.value)
    assert not path.exists()


def test_a_folder_is_a_plain_error(tmp_path: Path) -> None:
    folder = tmp_path / "folder.coprod"
    folder.mkdir()
    (folder / "inside.txt").write_text("x")
    with pytest.raises(SessionFileError) as caught:
        SessionFile.open(folder)
    assert_plain_sentence(str(caught.value), folder.name)
    assert "is a folder" in str(caught.value)
    assert sorted(p.name for p in folder.iterdir()) == ["inside.txt"]


def test_session_file_errors_are_known_errors() -> None:
    assert issubclass(SessionFileError, KnownError)


# --- older files --------------------------------------------------------------------


def _version_zero(path: Path) -> None:
    """A file of ours from before the first migration: marked, but with no tables yet."""
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.commit()
    conn.close()


def test_an_older_file_opened_read_only_is_upgraded_in_memory_only(tmp_path: Path) -> None:
    path = tmp_path / "old.coprod"
    _version_zero(path)
    age(path)
    before = fingerprint(path)
    with SessionFile.open(path, read_only=True) as opened:
        assert opened.read_only
        assert opened.version() == SCHEMA_VERSION
        assert opened.load() == Session()
    assert fingerprint(path) == before
    assert read_header(path).user_version == 0


def test_an_older_file_opened_for_writing_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.coprod"
    _version_zero(path)
    with SessionFile.open(path) as opened:
        assert opened.load() == Session()
        opened.write([Change(None, Participant(id="p", name="Ada"))])
    header = read_header(path)
    assert (header.application_id, header.user_version) == (APPLICATION_ID, SCHEMA_VERSION)
    assert reopen(path).get(Participant, "p") == Participant(id="p", name="Ada")


# --- read-only ----------------------------------------------------------------------


def test_a_file_opened_read_only_loads_but_refuses_writes(valid_copy: Path, sample: Session) -> None:
    age(valid_copy)
    before = fingerprint(valid_copy)
    with SessionFile.open(valid_copy, read_only=True) as opened:
        assert opened.read_only
        assert opened.load() == sample
        with pytest.raises(SessionFileError) as caught:
            opened.write([Change(None, Note(id="x", text="lost?"))])
        message = str(caught.value)
        assert "read-only" in message
        assert "Save As" in message
        assert_plain_sentence(message, valid_copy.name)
    assert fingerprint(valid_copy) == before
    assert sidecars(valid_copy.parent) == []


def test_work_in_a_read_only_file_can_be_kept_with_save_as(valid_copy: Path, sample: Session) -> None:
    opened = SessionFile.open(valid_copy, read_only=True)
    with opened.save_as(valid_copy.with_name("mine.coprod")) as mine:  # closes `opened`
        assert not mine.read_only
        mine.write([Change(None, Note(id="x", text="kept"))])
    assert reopen(valid_copy.with_name("mine.coprod")).get(Note, "x") is not None
    assert reopen(valid_copy) == sample


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions")
def test_a_file_without_write_permission_opens_read_only_by_itself(valid_copy: Path) -> None:
    valid_copy.chmod(0o444)
    try:
        before = fingerprint(valid_copy)
        with SessionFile.open(valid_copy) as opened:
            assert opened.read_only
            with pytest.raises(SessionFileError, match="read-only"):
                opened.write([Change(None, Note(id="x", text="x"))])
        assert fingerprint(valid_copy) == before
    finally:
        valid_copy.chmod(0o644)


# --- already open -------------------------------------------------------------------


def test_a_second_open_of_the_same_file_is_refused_until_the_first_closes(valid_copy: Path) -> None:
    first = SessionFile.open(valid_copy)
    try:
        with pytest.raises(SessionFileError) as caught:
            SessionFile.open(valid_copy)
        message = str(caught.value)
        assert "another copy" in message
        assert_plain_sentence(message, valid_copy.name)
        # Looking without writing is still allowed.
        with SessionFile.open(valid_copy, read_only=True) as look:
            assert look.read_only
            assert look.load().summary()["participant"] == 12
    finally:
        first.close()
    with SessionFile.open(valid_copy) as again:
        assert not again.read_only


def test_closing_twice_is_harmless(valid_copy: Path) -> None:
    opened = SessionFile.open(valid_copy)
    opened.close()
    opened.close()
    assert not is_locked(valid_copy)


def test_another_process_cannot_open_a_file_this_one_has_open(valid_copy: Path) -> None:
    script = (
        "import sys\n"
        "from coprod_desktop.storage.sessionfile import SessionFile\n"
        "from coprod_desktop.domain.errors import SessionFileError\n"
        "try:\n"
        "    SessionFile.open(sys.argv[1]).close()\n"
        "except SessionFileError as exc:\n"
        "    print(exc); sys.exit(3)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    with SessionFile.open(valid_copy):
        busy = subprocess.run(
            [sys.executable, "-c", script, str(valid_copy)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env=env,
        )
    assert busy.returncode == 3, busy.stderr
    assert "another copy" in busy.stdout
    free = subprocess.run(
        [sys.executable, "-c", script, str(valid_copy)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert free.returncode == 0, free.stdout + free.stderr


# --- a full disk --------------------------------------------------------------------


def test_a_full_disk_is_reported_and_what_was_saved_before_stays(tmp_path: Path) -> None:
    path = tmp_path / "full.coprod"
    session = odd_session()
    with SessionFile.create(path, session) as opened:
        opened.write([Change(None, Note(id="saved", text="saved before the disk filled"))])
        pages = opened._conn.execute("PRAGMA page_count").fetchone()[0]
        opened._conn.execute(f"PRAGMA max_page_count = {pages}")
        big = [Change(None, Note(id="small", text="fits")), Change(None, Note(id="big", text="x" * 200_000))]
        with pytest.raises(SessionFileError) as caught:
            opened.write(big)
        message = str(caught.value)
        assert "the disk is full" in message
        assert_plain_sentence(message, path.name)
        # The whole failed write was rolled back, not half of it.
        assert opened.load().get(Note, "small") is None
        # Once there is room again, editing carries on.
        opened._conn.execute(f"PRAGMA max_page_count = {pages * 100}")
        opened.write([Change(None, Note(id="after", text="room again"))])
    assert sidecars(tmp_path) == []
    loaded = reopen(path)
    assert loaded.get(Note, "saved") is not None
    assert loaded.get(Note, "after") is not None
    assert loaded.get(Note, "small") is None
    assert loaded.get(Note, "big") is None
    session.put(Note(id="saved", text="saved before the disk filled"))
    session.put(Note(id="after", text="room again"))
    assert loaded == session
