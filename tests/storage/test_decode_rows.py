"""storage.codec.decode_rows: a table read a column at a time gives what its rows, read one by
one, give: the same entities, and for a wrong row the same first error with the same sentence."""

from __future__ import annotations

import dataclasses
import enum
import shutil
import sqlite3
import typing
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coprod_desktop.domain.errors import SessionFileError
from coprod_desktop.domain.limits import KEY_TEXT, LimitError
from coprod_desktop.domain.model import COLLECTIONS, SINGLETONS, Card, CardKind, Entity, Participant, Vote
from coprod_desktop.storage import codec
from coprod_desktop.storage.codec import decode_rows, row_decoder
from coprod_desktop.storage.sessionfile import SessionFile

from .test_sessionfile import odd_session


def _rows(conn: sqlite3.Connection, cls: type[Entity]) -> tuple[list[str], list[tuple[object, ...]]]:
    cursor = conn.execute(f"SELECT * FROM {cls.KIND}")
    return [d[0] for d in cursor.description], cursor.fetchall()


def _one_by_one(cls: type[Entity], columns: list[str], rows: list[tuple[object, ...]]) -> list[Entity]:
    decode_row = row_decoder(cls, columns, sql=True)
    return [decode_row(row) for row in rows]


def _outcome(read: Callable[[], list[Entity]]) -> tuple[str, object]:
    """What reading gives: the entities' fields, or the error's type and sentence."""
    try:
        found = read()
    except (ValueError, TypeError) as exc:
        return type(exc).__name__, str(exc)
    return "entities", [(type(e), e.ident, repr(e)) for e in found]


@pytest.fixture
def odd_file(tmp_path: Path) -> Path:
    path = tmp_path / "odd.coprod"
    session = odd_session()
    # More than one row in the tables read a column at a time.
    for number in range(30):
        session.put(
            Vote(question=f"cell/c{number % 3}/s{number}", participant_id=f"p{number}", choice=f"{number}")
        )
        session.put(Participant(id=f"p{number}", name=f"Person {number}", position=number))
        session.put(
            Card(
                id=f"card-{number}",
                kind=CardKind.STAKEHOLDER,
                text=f"Card {number}",
                now_x=float(number),
                position=number,
            )
        )
    SessionFile.create(path, session).close()
    return path


def _same_for_every_table(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        for cls in SINGLETONS + COLLECTIONS:
            columns, rows = _rows(conn, cls)
            together = _outcome(lambda cls=cls, columns=columns, rows=rows: decode_rows(cls, columns, rows))
            alone = _outcome(lambda cls=cls, columns=columns, rows=rows: _one_by_one(cls, columns, rows))
            assert together == alone, cls.__name__
    finally:
        conn.close()


def test_sound_rows_give_the_same_entities(odd_file: Path) -> None:
    _same_for_every_table(odd_file)
    conn = sqlite3.connect(odd_file)
    columns, rows = _rows(conn, Vote)
    conn.close()
    assert len(decode_rows(Vote, columns, rows)) == 31
    # The fields as their types say, not as SQLite stored them.
    columns_c, rows_c = _rows(sqlite3.connect(odd_file), Card)
    card = next(c for c in decode_rows(Card, columns_c, rows_c) if c.ident == ("card-3",))
    assert type(card.now_x) is float
    assert card.now_x == 3.0


# Each damage is a list of statements; the first row in the table's order that is wrong decides
# the error, whichever of its columns comes first in the table.
DAMAGE = [
    # (A number written to a TEXT column is stored as its text: bytes are what is not a text.)
    pytest.param(["UPDATE vote SET choice = x'41' WHERE participant_id = 'p12'"], id="bytes-for-a-vote"),
    pytest.param(
        [f"UPDATE vote SET participant_id = '{'x' * (KEY_TEXT + 1)}' WHERE participant_id = 'p20'"],
        id="a-key-one-character-too-long",
    ),
    pytest.param(
        [
            f"UPDATE vote SET participant_id = '{'x' * (KEY_TEXT + 1)}' WHERE participant_id = 'p2'",
            "UPDATE vote SET choice = x'41' WHERE participant_id = 'p25'",
        ],
        id="too-long-before-a-wrong-type",
    ),
    pytest.param(
        [
            "UPDATE vote SET choice = x'41' WHERE participant_id = 'p2'",
            f"UPDATE vote SET participant_id = '{'x' * (KEY_TEXT + 1)}' WHERE participant_id = 'p25'",
        ],
        id="wrong-type-before-too-long",
    ),
    pytest.param(
        [
            "UPDATE participant SET position = 'first' WHERE id = 'p25'",
            "UPDATE participant SET role = 'king' WHERE id = 'p4'",
        ],
        id="two-wrong-columns-in-two-rows",
    ),
    pytest.param(["UPDATE participant SET position = 1099511627776 WHERE id = 'p9'"], id="position-beyond"),
    pytest.param(["UPDATE participant SET position = 2.5 WHERE id = 'p9'"], id="a-fraction-for-a-position"),
    pytest.param(["UPDATE card SET now_x = 1e9 WHERE id = 'card-5'"], id="off-the-canvas"),
    pytest.param(["UPDATE card SET now_x = 9e999 WHERE id = 'card-5'"], id="an-infinite-coordinate"),
    pytest.param(["UPDATE card SET now_y = 'left' WHERE id = 'card-7'"], id="a-text-for-a-coordinate"),
    pytest.param(["UPDATE card SET kind = 'dragon' WHERE id = 'card-7'"], id="a-kind-the-app-does-not-know"),
    pytest.param(["UPDATE card SET text = x'00ff' WHERE id = 'card-1'"], id="bytes-for-a-text"),
    pytest.param(["UPDATE canvas SET snap = 2"], id="a-bool-that-is-not-one"),
    pytest.param(["UPDATE matrix SET scale = '[1, 2]'"], id="a-scale-of-numbers"),
    pytest.param(["UPDATE step SET minutes = 601"], id="a-step-too-long"),
]


@pytest.mark.parametrize("statements", DAMAGE)
def test_a_wrong_row_gives_the_error_the_rows_give_one_by_one(
    tmp_path: Path, odd_file: Path, statements: list[str]
) -> None:
    path = tmp_path / "damaged.coprod"
    shutil.copyfile(odd_file, path)
    conn = sqlite3.connect(path)
    for statement in statements:
        assert conn.execute(statement).rowcount >= 1, statement
    conn.commit()
    conn.close()
    _same_for_every_table(path)
    with pytest.raises(SessionFileError) as caught:
        SessionFile.open(path)
    assert "left as it was" in str(caught.value)


def test_a_vote_at_the_key_limit_is_read_and_one_past_it_is_refused(tmp_path: Path, odd_file: Path) -> None:
    path = tmp_path / "votes.coprod"
    shutil.copyfile(odd_file, path)
    conn = sqlite3.connect(path)
    conn.execute(f"UPDATE vote SET participant_id = '{'x' * KEY_TEXT}' WHERE participant_id = 'p1'")
    conn.commit()
    columns, rows = _rows(conn, Vote)
    assert any(v.participant_id == "x" * KEY_TEXT for v in decode_rows(Vote, columns, rows))  # type: ignore[attr-defined]
    conn.execute(f"UPDATE vote SET choice = '{'y' * (KEY_TEXT + 1)}' WHERE participant_id = 'p5'")
    conn.commit()
    columns, rows = _rows(conn, Vote)
    conn.close()
    with pytest.raises(LimitError, match="'choice' of a vote is 1,001 characters long"):
        decode_rows(Vote, columns, rows)
    with pytest.raises(SessionFileError, match="holds a value the app cannot use: 'choice' of a vote"):
        SessionFile.open(path)


def _values_of(cls: type[Entity]) -> st.SearchStrategy[object]:
    """Any value SQLite can hand back, and the values this kind's enums and texts take."""
    names = [member.value for field in dataclasses.fields(cls) for member in _enum_of(cls, field.name)]
    return st.one_of(
        st.none(),
        st.text(max_size=5),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=True, allow_infinity=True),
        st.just(-0.0),
        st.binary(max_size=3),
        st.sampled_from(names or ["x"]),
    )


def _enum_of(cls: type[Entity], name: str) -> list[enum.Enum]:
    hint = typing.get_type_hints(cls)[name]
    found = [
        a for a in (typing.get_args(hint) or (hint,)) if isinstance(a, type) and issubclass(a, enum.Enum)
    ]
    return list(found[0]) if found else []


@pytest.mark.parametrize("cls", SINGLETONS + COLLECTIONS, ids=lambda cls: cls.__name__)
def test_each_column_decodes_as_its_values_do_one_by_one(cls: type[Entity]) -> None:
    columns = [f.name for f in dataclasses.fields(cls)]
    plan = codec._column_plan(cls, tuple(columns))
    assert plan is not None
    decoders = [dec for _, _, dec in codec._codecs(cls, True)]

    @settings(max_examples=25, deadline=None)
    @given(data=st.data())
    def same(data: st.DataObject) -> None:
        for (index, decode_column), dec in zip(plan, decoders, strict=True):
            column = data.draw(st.lists(_values_of(cls), max_size=6))
            try:
                alone: object = [(type(v), v) for v in map(dec, column)]
            except (ValueError, TypeError):
                alone = "error"
            try:
                together: object = [(type(v), v) for v in decode_column(column)]
            except Exception:  # noqa: BLE001 - any error sends the rows one by one
                together = "error"
            assert together == alone, (cls.__name__, columns[index], column)

    same()


def test_entities_made_from_columns_are_those_init_makes() -> None:
    """codec._maker: an entity filled field by field is the one the class's __init__ makes: the
    same fields in the same order, equal, with the same hash, and as frozen."""
    votes = [("cell/a/b", f"p{n}", str(n % 5)) for n in range(7)]
    made = codec._maker(Vote)([list(column) for column in zip(*votes, strict=True)], len(votes))
    assert codec._maker(Vote) is codec._maker(Vote)  # worked out once a class
    for entity, values in zip(made, votes, strict=True):
        by_init = Vote(*values)
        assert type(entity) is Vote
        assert list(vars(entity).items()) == list(vars(by_init).items())
        assert entity == by_init
        assert hash(entity) == hash(by_init)
        assert repr(entity) == repr(by_init)
        with pytest.raises(dataclasses.FrozenInstanceError):
            entity.choice = "9"  # type: ignore[misc]
    assert codec._maker(Vote)([[], [], []], 0) == []


def test_a_class_whose_init_does_more_is_made_by_its_init() -> None:
    @dataclasses.dataclass(frozen=True, eq=False, repr=False)
    class Checked(Entity):
        KIND: typing.ClassVar[str] = "checked"
        id: str
        seen: list[str] = dataclasses.field(default_factory=list)

        def __post_init__(self) -> None:
            self.seen.append(self.id)

    made = codec._maker(Checked)([["a", "b"], [[], []]], 2)
    assert [entity.seen for entity in made] == [["a"], ["b"]]
